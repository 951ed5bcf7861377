"""What a KakaoTalk message's text is: a media/deletion placeholder, a system line's actor, or a speaker's words."""

from __future__ import annotations

import re
from typing import Final

# Whole-message placeholders KakaoTalk writes instead of media or deleted content. From a speaker they
# become kind="system" (not that person's words) but keep the speaker.
_PLACEHOLDERS: Final = frozenset({
    "사진", "동영상", "이모티콘", "(이모티콘)", "음성메시지", "음성 메시지", "삭제된 메시지입니다.", "삭제된 메시지입니다",
    "메시지가 삭제되었습니다.", "보이스톡 해요", "페이스톡 해요", "보이스톡 취소", "페이스톡 취소", "보이스톡 부재중",
    "페이스톡 부재중", "Photo", "Photos", "Video", "Emoticon", "Emoticons", "Voice Message", "Voice message",
    "This message was deleted.", "The message has been deleted.", "Deleted message.", "Voice Call", "Face Talk",
})
_PLACEHOLDER_RX: Final = re.compile(
    r"사진 \d+장|동영상 \d+개|파일: .+|File: .+|\d+ [Pp]hotos|Photos? \d+|(?:보이스톡|페이스톡|Voice Call|Face Talk) \d{1,2}:\d{2}(?::\d{2})?"
)
PLACEHOLDER_FIRST: Final = frozenset({p[0] for p in _PLACEHOLDERS} | set("사동파F0123456789보페VP"))

# System lines: who did it. Full-line patterns; `a` is the actor.
_ACTOR_RXS: Final = (
    re.compile(r"(?P<a>.+?)님이 (?:채팅방을 )?(?:들어왔습니다|나갔습니다)\.?"),
    re.compile(r"(?P<a>.+?)님이 .+?님을 (?:초대했습니다|초대하였습니다|내보냈습니다)\.?"),
    re.compile(r"(?P<a>.+?) (?:joined|left) this chatroom\.?"),
    re.compile(r"(?P<a>.+?) (?:invited|removed) .+"),
)


def is_placeholder(text: str) -> bool:
    """True if a message's whole text is a KakaoTalk media/deletion placeholder (`사진`, `사진 3장`, `Photo` …)."""
    return (
        text[:1] in PLACEHOLDER_FIRST
        and len(text) <= 300
        and (text in _PLACEHOLDERS or _PLACEHOLDER_RX.fullmatch(text) is not None)
    )


def system_actor(text: str) -> str | None:
    """The person a system line is about (`홍길동님이 나갔습니다.` → 홍길동), or None."""
    for rx in _ACTOR_RXS:
        m = rx.fullmatch(text)
        if m:
            return m.group("a")
    return None


def split_speaker(rest: str, known: set[str] | frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """(speaker, text) from the part of a mobile line after the stamp, or None for a system line.

    Why the FIRST ` : `: message text contains ` : ` far more often than names do (`시간 : 3시`), and
    names with a bare colon (`김:철수`) or other punctuation (`A/B`, `[엄마]`) never collide with the
    spaced separator. The one case this gets wrong is a name containing ` : ` itself; so when the
    first candidate is not a known speaker (earlier messages, join/leave lines, the 1:1 room title)
    but a longer candidate ending at a later ` : ` is, the known name wins.
    """
    idx = rest.find(" : ")
    if idx < 0:
        if rest.endswith(" :"):
            return rest[:-2], ""
        return None
    name = rest[:idx]
    if name not in known:
        j = rest.find(" : ", idx + 3)
        while j >= 0:
            if rest[:j] in known:
                return rest[:j], rest[j + 3 :]
            j = rest.find(" : ", j + 3)
    return name, rest[idx + 3 :]
