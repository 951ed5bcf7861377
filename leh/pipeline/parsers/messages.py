"""A list of phone messages typed or exported as text (문자 내역): each row is a message of its sender.

"문자 메시지 내역 (석하담 휴대폰, 상대: 시어머니 봉계순 010-5520-8836)" over rows such as "2025.05.20 오후 7:41 [수신]
며느리가 …", "2025. 7. 11. 오후 10:02 인보미: …", "2025.05.06 (화) 23:12 설가윤 → 표정례: …" or "2025.03.10 22:14 | …"
(the heading's one sender). A row becomes a message: its sender as speaker, its time as ts, and only the message as
text — so the labeller reads the words without the row's date and mark, and the words are the sender's, not the
words of the client whose phone they were copied from; the row as written stays beside it (ref["as_written"]),
for the evidence page and for whoever checks a citation against the original. Card and bank alerts ("[Web발신] 신한카드 승인 …") stay rows of
text: nobody in the case wrote them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from leh.domain.evidence import Segment
from leh.pipeline.parsers.dates import DEFAULT_TZ, find_dated

_HEAD_LINES: Final = 3
_LIST_WORD: Final = re.compile(r"문자|메시지|SMS|MMS", re.IGNORECASE)
_OWNER: Final = re.compile(r"([가-힣]{2,4})\s?(?:의\s?)?(?:휴대폰|휴대전화|핸드폰|스마트폰)")
_RECEIVER: Final = re.compile(r"수신\s*(?:자|인)?\s*[:：]\s*([가-힣]{2,4})(?![가-힣])")
_SENDER: Final = re.compile(r"(?:발신|상대)\s*(?:자|인|번호|방)?\s*[:：]?\s*(?P<who>[^,/→)(]+)")
_PHONE: Final = re.compile(r"0\d{1,2}-[\d*xX]{3,4}-[\d*xX]{4}")
_KIN: Final = re.compile(r"(?:시어머니|시어머님|시아버지|시아버님|시누이|시누|시동생|시아주버니|아주버님|장모님|장모|장인어른|장인|처남|처제|"
                         r"처형|친정엄마|친정어머니|친정아버지|어머니|아버지|엄마|아빠|남편|아내|와이프)(?![가-힣])")
_NAME: Final = re.compile(r"(?<![가-힣])[가-힣]{2,4}(?![가-힣])")
# a number's sender who gave their name ("발신자 본인이 반세은이라고 밝힘"): the name beside the number, as the list says
_SELF_NAMED: Final = re.compile(r"(?<![가-힣])([가-힣]{2,4}?)(?:이)?라고\s*(?:밝힘|밝혔|밝히|소개|자칭)")
_NOT_NAME: Final = frozenset({"본인", "휴대폰", "휴대전화", "번호", "저장", "이름", "밝힘", "발췌", "알림", "승인"})

# A row: the date, the weekday, the time (a message always has one), then a mark or a separator.
_ROW: Final = re.compile(
    r"\s*(?P<when>\d{4}\s?[.\-/년]\s?\d{1,2}\s?[.\-/월]\s?\d{1,2}\s?[.일]?\s*(?:\(?[월화수목금토일](?:요일)?\)?\s*)?"
    r"(?:(?:오전|오후)\s?\d{1,2}:\d{2}|\d{1,2}:\d{2}(?::\d{2})?))"
    r"\s*(?:[|\-–]\s*)?(?P<mark>\[(?:수신|발신|받은\s?메시지|보낸\s?메시지)\]|(?:수신|발신)(?:\s*[|:：]|\s))?\s*(?P<rest>\S.*)$",
    re.DOTALL)
_ALERT: Final = re.compile(r"\[(?:Web|web|WEB)?\s?발신\]|\[광고\]|\(광고\)")
_FROM_TO: Final = re.compile(r"(?P<who>[^:：→\n]{1,20}?)\s*(?:→|->)\s*[^:：\n]{1,20}?\s*[:：]\s*(?P<text>\S.*)$", re.DOTALL)
_WHO: Final = re.compile(r"(?P<who>(?:[가-힣]{1,6}\s)?[가-힣]{2,5}|0\d{1,2}-[\d*xX]{3,4}-[\d*xX]{4})\s*[:：]\s*(?P<text>\S.*)$",
                         re.DOTALL)


@dataclass(frozen=True)
class Heading:
    """Who the list is between, from its heading: the phone's owner and the other person (kin word, name, number)."""

    owner: str | None
    other: str | None


def heading(lines: Sequence[str]) -> Heading | None:
    """The heading of a message list in its first lines, or None when they name no list of messages."""
    head = " ".join(lines[:_HEAD_LINES])
    if not _LIST_WORD.search(head):
        return None
    owner = _RECEIVER.search(head) or _OWNER.search(head)
    sender = _SENDER.search(head)
    other = _person(sender.group("who")) if sender else None
    said = _SELF_NAMED.search(head)
    if other and said and _PHONE.fullmatch(other):  # "상대: 010-2671-0395, 발신자 본인이 반세은이라고 밝힘"
        other = f"{other} ({said.group(1)})"
    return Heading(owner.group(1) if owner else None, other)


def _person(words: str) -> str | None:
    """How the heading names the other person: "시어머니 봉계순 010-…" → "시어머니 봉계순"; "010-2290-6418 마서린" →
    "마서린"; "장모님 010-…" → "장모님"; "010-2671-0395" → the number."""
    kin = _KIN.search(words)
    rest = _PHONE.sub(" ", words[kin.end():] if kin else words)
    name = next((n for n in _NAME.findall(rest) if n not in _NOT_NAME and not _KIN.fullmatch(n)), None)
    label = " ".join(x for x in (kin.group(0) if kin else None, name) if x)
    if label:
        return label
    phone = _PHONE.search(words)
    return phone.group(0) if phone else None


@dataclass(frozen=True)
class Row:
    speaker: str
    text: str
    when: str


def row(text: str, head: Heading, *, marks: bool) -> Row | None:
    """The message a row of the list holds, or None (an alert, a heading, a line that is no message). `marks`: the
    list marks its rows 수신/발신, so an unmarked row's sender is not the heading's."""
    m = _ROW.match(text)
    if m is None:
        return None
    rest, mark = m.group("rest").strip(), (m.group("mark") or "").strip("[] |:：")
    if _ALERT.match(rest):
        return None
    if (pair := _FROM_TO.match(rest)) is not None:
        return Row(pair.group("who").strip(), pair.group("text").strip(), m.group("when"))
    if not mark and (who := _WHO.match(rest)) is not None:
        return Row(who.group("who").strip(), who.group("text").strip(), m.group("when"))
    named = " ".join(x for x in (head.other, head.owner) if x)
    if mark and named and (who := _WHO.match(rest)) is not None and who.group("who").strip() in named:
        rest = who.group("text").strip()  # "[수신] 용순남: …" under "상대: 시어머니 용순남": the words only
    if mark.startswith(("수신", "받은")) and head.other:
        return Row(head.other, rest, m.group("when"))
    if mark.startswith(("발신", "보낸")):
        return Row(head.owner or "나", rest, m.group("when"))
    if not mark and not marks and head.other:
        return Row(head.other, rest, m.group("when"))
    return None


def as_messages(segments: Sequence[Segment], tz: str = DEFAULT_TZ) -> list[Segment]:
    """The segments of a document with its message rows made messages (speech, speaker, ts, the words only), when
    the document is a message list with two rows or more; else the segments as they were."""
    head = heading([line for s in segments[:_HEAD_LINES] for line in s.text.split("\n")])
    if head is None:
        return list(segments)
    marks = any((m := _ROW.match(s.text)) is not None and m.group("mark") for s in segments)
    rows = [row(s.text, head, marks=marks) for s in segments]
    if sum(1 for r in rows if r is not None) < 2:
        return list(segments)
    out: list[Segment] = []
    for seg, r in zip(segments, rows, strict=True):
        found = find_dated(r.when, tz) if r is not None else None
        if r is None or found is None:
            out.append(seg)
            continue
        out.append(replace(seg, text=r.text, speaker=r.speaker, kind="speech", ts=found.iso,
                           ts_precision=found.precision, ref={**seg.ref, "as_written": seg.text}))
    return out
