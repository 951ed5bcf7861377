"""KakaoTalk '대화 내보내기' parser: PC/Windows, Android and iOS text exports (Korean and English) and Mac CSV.

`parse_kakaotalk` streams: it keeps only the message being built (plus a small stamp cache), so a
500 MB export parses in constant memory. Every message becomes one Segment; system lines (입장/퇴장,
사진, 삭제된 메시지입니다 …) are kept with kind="system" because they matter as evidence too.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain
from pathlib import Path
from typing import Any, Final

from leh.domain.errors import EvidenceError
from leh.domain.evidence import Segment
from leh.pipeline.parsers import dates
from leh.pipeline.parsers.base import ParseContext, ParseResult, bounded
from leh.pipeline.parsers.textdecode import open_text

HEAD_LINES: Final = 60
_CACHE_MAX: Final = 4096
_KNOWN_MAX: Final = 10_000
_INVALID: Final = ""  # cache value for a stamp no clock or calendar shows (오후 13:05, 2월 30일)

# PC/Windows: `[이름] [오후 10:20] 메시지`, `[Name] [10:20 PM] message`, `[이름] [22:20] 메시지`.
# The name is matched lazily, so it ends at the FIRST `] [<time>] `: `[엄마 [집]] [오후 1:05] 밥` gives
# `엄마 [집]`, while a quoted `[B] [오후 3:10]` later in the message text stays text.
_PC_MSG: Final = re.compile(r"\[(.*?)\] \[((?:(?:오전|오후) ?)?\d{1,2}:\d{2}(?: ?[AaPp][Mm])?)\] ?")
# `--------------- 2023년 12월 25일 월요일 ---------------` / `--------------- Monday, December 25, 2023 ---------------`
_PC_SEP: Final = re.compile(r"-{5,}\s*(.+?)\s*-{5,}\s*")

# Mobile exports: a stamp, then `, 이름 : 메시지` (message), `, …` without ` : ` (Android system line),
# `: …` (iOS system line) or nothing (Android date marker). Every layout has the groups `dpart` (date
# text, cached per day), `cpart` (clock text, cached per minute) and `tail`.
_TAIL: Final = r"(?P<tail>, |: |\s*$)"
_KO_CLOCK: Final = r"(?P<cpart>(?:(?:오전|오후) )?\d{1,2}:\d{2}(?: ?[AP]M)?)"
_MOBILE: Final[dict[str, re.Pattern[str]]] = {
    # 2023년 12월 25일 오후 10:20, 이름 : 메시지
    "android": re.compile(r"(?P<dpart>(?P<y>\d{4})년 (?P<mo>\d{1,2})월 (?P<d>\d{1,2})일) " + _KO_CLOCK + _TAIL),
    # 2023. 12. 25. 오후 10:20, 이름 : 메시지 / 2023. 12. 25. 10:20 PM, Name : message / 2023. 12. 25. 22:20, …
    "ios": re.compile(r"(?P<dpart>(?P<y>\d{4})\. ?(?P<mo>\d{1,2})\. ?(?P<d>\d{1,2})\.?) " + _KO_CLOCK + _TAIL),
    # December 25, 2023 at 10:20 PM, Name : message / Dec 25, 2023, 10:20 PM, … / Feb 1, 2026 at 20:35, …
    "mobile_en": re.compile(
        rf"(?P<dpart>(?P<mon>{dates.MONTH_RX}) (?P<d>\d{{1,2}}), (?P<y>\d{{4}}))(?: at|,)? "
        r"(?P<cpart>\d{1,2}:\d{2}(?: ?[AP]M)?)" + _TAIL
    ),
    # 2019-03-30 오전 4:39, 이름 : 메시지
    "mobile_dash": re.compile(
        r"(?P<dpart>(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})) "
        r"(?P<cpart>(?:(?:오전|오후) )?\d{1,2}:\d{2}(?::\d{2})?(?: ?[AP]M)?)" + _TAIL
    ),
    # iOS with time-only lines under `2023년 12월 25일 월요일` headers: 오후 10:20, 이름 : 메시지
    "ios_time": re.compile(r"(?P<dpart>)(?P<cpart>(?:오전|오후) \d{1,2}:\d{2})(?P<tail>, |: )"),
}
_FORMAT_OF: Final = {"android": "android", "ios": "ios", "ios_time": "ios", "mobile_dash": "mobile"}

# Day headers on their own line (iOS, English exports).
_DAY_HEADER: Final = re.compile(
    rf"(?:\d{{4}}년 \d{{1,2}}월 \d{{1,2}}일 {dates.WEEKDAY_KO_RX}|{dates.WEEKDAY_EN_RX}, {dates.MONTH_RX} \d{{1,2}}, \d{{4}})\s*"
)
_SAVED: Final = re.compile(r"(?:저장한 날짜|Date Saved)\s*:\s*(.+?)\s*")
_ROOM: Final = re.compile(r"(?:(.+?) 님과 카카오톡 대화|.+ 카카오톡 대화|KakaoTalk Chats with (.+?))\s*")
_EXPORT_FILENAME: Final = re.compile(r"(?:Talk|KakaoTalk\w*)_.+\.(?:txt|csv)\s*")
_OPEN_CHAT_NOTICE: Final = "운영정책을 위반한 메시지로 신고 접수 시"
# Export headers sit at the top (a `Talk_….txt` line, the room title, the saved date, an open-chat notice).
# Further down, the same words are somebody's text and are kept.
_TITLE_LINES: Final = 3
_HEADER_LINES: Final = 8

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
_PLACEHOLDER_FIRST: Final = frozenset({p[0] for p in _PLACEHOLDERS} | set("사동파F0123456789보페VP"))

# System lines: who did it. Full-line patterns; `a` is the actor.
_ACTOR_RXS: Final = (
    re.compile(r"(?P<a>.+?)님이 (?:채팅방을 )?(?:들어왔습니다|나갔습니다)\.?"),
    re.compile(r"(?P<a>.+?)님이 .+?님을 (?:초대했습니다|초대하였습니다|내보냈습니다)\.?"),
    re.compile(r"(?P<a>.+?) (?:joined|left) this chatroom\.?"),
    re.compile(r"(?P<a>.+?) (?:invited|removed) .+"),
)
# PC exports write join/leave/invite notices as plain, untimed lines. Only these exact Korean/English
# sentences are split off as system segments; anything else between messages continues the message.
_UNTIMED_SYSTEM: Final = re.compile(
    r"(?P<a>\S.{0,49}?)님이 (?:채팅방을 )?(?:들어왔습니다|나갔습니다|.{1,200}?님을 (?:초대했습니다|초대하였습니다|내보냈습니다))\."
    r"|(?P<b>\S.{0,49}?) (?:joined|left) this chatroom\."
    r"|.{1,50}?님을 내보냈습니다\."
    r"|채팅방 관리자가 메시지를 가렸습니다\."
)


@dataclass
class KakaoStats:
    """Facts about one export, filled in while `parse_kakaotalk` runs. Holds no message text."""

    format: str | None = None  # pc | android | ios | mobile | mac_csv
    locale: str | None = None  # ko | en, when the stamps tell
    speech: int = 0
    system: int = 0
    text: int = 0  # lines before the first message that are not export headers
    invalid_timestamps: int = 0
    saved_at: str | None = None
    first_time: str | None = None
    last_time: str | None = None
    speakers: set[str] = field(default_factory=set)

    @property
    def messages(self) -> int:
        return self.speech + self.system

    def to_meta(self) -> dict[str, Any]:
        return {
            "format": self.format, "locale": self.locale, "messages": self.messages, "speech": self.speech,
            "system": self.system, "other_text": self.text, "speakers": len(self.speakers),
            "invalid_timestamps": self.invalid_timestamps, "saved_at": self.saved_at,
            "first_time": self.first_time, "last_time": self.last_time,
        }


def is_placeholder(text: str) -> bool:
    """True if a message's whole text is a KakaoTalk media/deletion placeholder (`사진`, `사진 3장`, `Photo` …)."""
    return (
        text[:1] in _PLACEHOLDER_FIRST
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


def _is_csv_header(line: str) -> bool:
    s = line.strip().lstrip("\ufeff")
    if not s or s[0] not in "Dd\"":
        return False
    try:
        row = next(csv.reader([s]))
    except (csv.Error, StopIteration):
        return False
    return [f.strip().lower() for f in row] == ["date", "user", "message"]


def _separator_day(line: str) -> str | None:
    m = _PC_SEP.fullmatch(line)
    if m is None:
        return None
    d = dates.parse_date(m.group(1))
    return None if d is None else d.isoformat()


def _day_header(line: str) -> str | None:
    if _DAY_HEADER.fullmatch(line) is None:
        return None
    d = dates.parse_date(line)
    return None if d is None else d.isoformat()


DayInfo = tuple[str, str, str | None]  # (YYYY-MM-DD, "YYYY-MM-DDT", "+09:00" or None on a DST-change day)
_NO_DAY: Final[DayInfo] = ("", "", None)


def _day_info(day: str, tz: str) -> DayInfo:
    """What a timestamp on `day` needs, so messages are stamped by string joins, not a datetime each.

    The offset is shared by the whole day unless the zone changes offset that day; then it is None and
    `_stamp` builds the datetime.
    """
    y, mo, d = int(day[:4]), int(day[5:7]), int(day[8:10])
    zone = dates.zone(tz)
    first = datetime(y, mo, d, tzinfo=zone)
    same = first.utcoffset() == datetime(y, mo, d, 23, 59, 59, tzinfo=zone).utcoffset()
    return day, day + "T", dates.iso(first)[19:] if same else None


def _stamp(info: DayInfo, hms: str, tz: str) -> str:
    if info[2] is not None:
        return info[1] + hms + info[2]
    day = info[0]
    return dates.iso(
        datetime(int(day[:4]), int(day[5:7]), int(day[8:10]), int(hms[:2]), int(hms[3:5]), int(hms[6:8]),
                 tzinfo=dates.zone(tz))
    )


def _clock(text: str) -> str:
    """`오후 10:20` → `22:20:00`; _INVALID for readings no clock shows (`오후 13:05`, `오후 0:30`)."""
    t = dates.parse_time(text)
    return _INVALID if t is None else f"{t[0]:02d}:{t[1]:02d}:{t[2]:02d}"


def _mobile_day(m: re.Match[str], tz: str) -> DayInfo:
    g = m.groupdict()
    try:
        month = int(g["mo"]) if g.get("mo") else dates.MONTHS[g["mon"][:3].lower()]
        d = date(int(g["y"]), month, int(g["d"]))
    except (ValueError, KeyError, TypeError):
        return _NO_DAY
    if not dates.MIN_YEAR <= d.year <= dates.MAX_YEAR:
        return _NO_DAY
    return _day_info(d.isoformat(), tz)


def _locale_of_clock(clock: str) -> str | None:
    if "오" in clock:
        return "ko"
    if "M" in clock or "m" in clock:
        return "en"
    return None


def _mobile_valid(m: re.Match[str], day: str | None, tz: str) -> bool:
    ok_day = _mobile_day(m, tz) is not _NO_DAY if m.group("dpart") else day is not None
    return ok_day and _clock(m.group("cpart")) != _INVALID


def _detect(line: str, day: str | None, tz: str) -> tuple[str, re.Match[str] | None] | None:
    """Which export layout a line starts, if it is a message, separator or date-marker line."""
    c = line[:1]
    if c == "[":
        m = _PC_MSG.match(line)
        return ("pc", m) if m else None
    if c == "-":
        return ("pc", None) if _separator_day(line) else None
    for key, rx in _MOBILE.items():
        if key == "ios_time" and day is None:
            continue
        m = rx.match(line)
        if m is not None and _mobile_valid(m, day, tz):
            return key, m
    return None


def _build(
    st: KakaoStats, seq: int, text: str, more: list[str] | None, ts: str | None, speaker: str | None,
    line: int, kind: str, day: str | None,
) -> Segment:
    if more:
        while more and not more[-1].strip():
            more.pop()
        if more:
            text = "\n".join(more) if not text else text + "\n" + "\n".join(more)
    if kind == "speech":
        if text[:1] in _PLACEHOLDER_FIRST and is_placeholder(text):
            kind = "system"
            st.system += 1
        else:
            st.speech += 1
    elif kind == "system":
        st.system += 1
    else:
        st.text += 1
    if speaker is not None and len(st.speakers) < _KNOWN_MAX:
        st.speakers.add(speaker)
    if ts:
        if st.first_time is None:
            st.first_time = ts
        st.last_time = ts
        ref: dict[str, Any] = {"line": line}
    else:
        ref = {"line": line} if day is None else {"line": line, "date": day}
    return Segment(seq, text, ts or None, speaker, ref, kind)


def parse_kakaotalk(
    lines: Iterable[str], tz: str = dates.DEFAULT_TZ, *, stats: KakaoStats | None = None
) -> Iterator[Segment]:
    """Segments (seq from 0, ISO ts, speaker, ref={"line": n}) for each message of a KakaoTalk export.

    Streams `lines` (with or without line endings) in constant memory. The first message line fixes
    the layout; lines in another layout after it are message text (pasted quotes). PC join/leave
    notices carry no time: ts is None and ref["date"] holds their day. Raises
    EvidenceError("KAKAO_PARSE_FAILED") after the last line if no message was found.
    """
    st = stats if stats is not None else KakaoStats()
    it = iter(lines)
    head: list[str] = []
    for raw in it:
        head.append(raw)
        if raw.strip():
            break
    source = chain(head, it)
    if head and _is_csv_header(head[-1]):
        st.format = "mac_csv"
        yield from _parse_csv(source, tz, st)
    else:
        yield from _parse_text(source, tz, st)
    if st.messages == 0:
        raise EvidenceError("KAKAO_PARSE_FAILED")


def _parse_text(lines: Iterable[str], tz: str, st: KakaoStats) -> Iterator[Segment]:
    fmt: str | None = None  # fixed by the first message line; other layouts after that are message text
    rx: re.Pattern[str] | None = None
    day: str | None = None  # YYYY-MM-DD of the last separator / day header / date marker
    info: DayInfo | None = None  # _day_info(day)
    days: dict[str, DayInfo] = {}  # mobile date text → day info
    clocks: dict[str, str] = {}  # clock text → HH:MM:SS (at most a few thousand spellings)
    known: set[str] = set()
    seq = 0
    # The message being built; p_line == 0 means none yet.
    p_line = 0
    p_text = ""
    p_more: list[str] | None = None
    p_ts: str | None = None
    p_speaker: str | None = None
    p_kind = "speech"
    p_day: str | None = None
    # Lines before the first message that are not headers (kept as one kind="text" segment).
    o_line = 0
    o_lines: list[str] = []
    lineno = 0
    pc_match = _PC_MSG.match
    untimed = _UNTIMED_SYSTEM.fullmatch

    for line in lines:
        lineno += 1
        if line and line[-1] in "\r\n":
            line = line.rstrip("\r\n")
        if lineno == 1 and line[:1] == "\ufeff":
            line = line[1:]

        if fmt is None:
            found = _detect(line, day, tz)
            if found is None:
                # Before the first message: headers, day headers, or stray text.
                s = line.strip()
                if not s:
                    if o_lines:
                        o_lines.append(line)
                    continue
                d = _day_header(s)
                if d is not None:
                    day, info = d, _day_info(d, tz)
                    continue
                m = _SAVED.fullmatch(s) if lineno <= _HEADER_LINES else None
                if m is not None:
                    saved = dates.parse_datetime(m.group(1), tz)
                    st.saved_at = dates.iso(saved) if saved else None
                    if sum(1 for o in o_lines if o.strip()) <= 2:
                        o_line, o_lines = 0, []  # a title line above the saved date is header, not text
                    continue
                m = _ROOM.fullmatch(s) if lineno <= _TITLE_LINES else None
                if m is not None:
                    room = m.group(1) or m.group(2)
                    if room:
                        known.add(room)
                    continue
                if lineno <= _HEADER_LINES and (_EXPORT_FILENAME.fullmatch(s) or s.startswith(_OPEN_CHAT_NOTICE)):
                    continue
                if not o_lines:
                    o_line = lineno
                o_lines.append(line)
                continue
            fmt, first = found
            if fmt == "pc":
                st.format = "pc"
                if first is not None:
                    st.locale = _locale_of_clock(first.group(2))
            else:
                assert first is not None
                rx = _MOBILE[fmt]
                st.format = _FORMAT_OF.get(fmt) or ("ios" if " at " in first.group(0) else "android")
                st.locale = _locale_of_clock(first.group("cpart")) or ("en" if fmt == "mobile_en" else "ko")

        if rx is None:  # PC / Windows
            c = line[:1]
            if c == "[":
                m = pc_match(line)
                if m is not None:
                    name, clock = m.group(1, 2)
                    hms = clocks.get(clock)
                    if hms is None:
                        hms = clocks[clock] = _clock(clock)
                    if hms:
                        if p_line:
                            yield _build(st, seq, p_text, p_more, p_ts, p_speaker, p_line, p_kind, p_day)
                            seq += 1
                        elif o_lines:
                            yield _build(st, seq, o_lines[0], o_lines[1:], None, None, o_line, "text", None)
                            seq += 1
                            o_lines = []
                        if info is None:
                            p_ts = None
                        elif info[2] is not None:
                            p_ts = info[1] + hms + info[2]
                        else:
                            p_ts = _stamp(info, hms, tz)
                        p_line, p_text, p_more, p_day = lineno, line[m.end() :], None, day
                        if name:
                            p_speaker, p_kind = name, "speech"
                        else:
                            p_speaker, p_kind = None, "system"
                        continue
                    st.invalid_timestamps += 1
            elif c == "-" and line.startswith("-----"):
                d = _separator_day(line)
                if d is not None:
                    if st.locale is None:
                        st.locale = "ko" if "년" in line else "en"
                    day, info = d, _day_info(d, tz)
                    continue
            if p_line:
                if ("님" in line or "chatroom." in line) and (sm := untimed(line)) is not None:
                    yield _build(st, seq, p_text, p_more, p_ts, p_speaker, p_line, p_kind, p_day)
                    seq += 1
                    actor = sm.group("a") or sm.group("b")
                    p_line, p_text, p_more, p_ts, p_speaker, p_kind, p_day = lineno, line, None, None, actor, "system", day
                elif p_more is None:
                    p_more = [line]
                else:
                    p_more.append(line)
            elif o_lines or line.strip():
                if not o_lines:
                    o_line = lineno
                o_lines.append(line)
            continue

        # Mobile (Android / iOS, Korean / English)
        m = rx.match(line)
        if m is not None:
            dpart, clock, tail = m.group("dpart", "cpart", "tail")
            if dpart:
                minfo = days.get(dpart)
                if minfo is None:
                    if len(days) >= _CACHE_MAX:
                        days.clear()
                    minfo = days[dpart] = _mobile_day(m, tz)
            else:
                minfo = info or _NO_DAY
            hms = clocks.get(clock)
            if hms is None:
                hms = clocks[clock] = _clock(clock)
            if hms and minfo[0]:
                ts = minfo[1] + hms + minfo[2] if minfo[2] is not None else _stamp(minfo, hms, tz)
                if tail == ", " or tail == ": ":
                    if p_line:
                        yield _build(st, seq, p_text, p_more, p_ts, p_speaker, p_line, p_kind, p_day)
                        seq += 1
                    elif o_lines:
                        yield _build(st, seq, o_lines[0], o_lines[1:], None, None, o_line, "text", None)
                        seq += 1
                        o_lines = []
                    rest = line[m.end() :]
                    if tail == ", ":
                        idx = rest.find(" : ")
                        # Fast path: a known speaker before the first separator (see split_speaker).
                        parts = (rest[:idx], rest[idx + 3 :]) if idx > 0 and rest[:idx] in known else split_speaker(rest, known)
                    else:
                        parts = None
                    if parts is not None and parts[0]:
                        p_speaker, p_text, p_kind = parts[0], parts[1], "speech"
                        if len(known) < _KNOWN_MAX:
                            known.add(p_speaker)
                    else:
                        p_text = parts[1] if parts is not None else rest
                        p_speaker = system_actor(p_text) if parts is None else None
                        p_kind = "system"
                        if p_speaker is not None and len(known) < _KNOWN_MAX:
                            known.add(p_speaker)
                    p_line, p_more, p_ts, p_day = lineno, None, ts, minfo[0]
                    continue
                day, info = minfo[0], minfo  # an Android date marker: the day's first stamp alone on a line
                continue
            st.invalid_timestamps += 1
        else:
            c = line[:1]
            if (c.isdigit() or c in "MTWFS") and (d := _day_header(line)) is not None:
                day, info = d, _day_info(d, tz)
                continue
        if p_line:
            if p_more is None:
                p_more = [line]
            else:
                p_more.append(line)
        elif o_lines or line.strip():
            if not o_lines:
                o_line = lineno
            o_lines.append(line)

    if p_line:
        yield _build(st, seq, p_text, p_more, p_ts, p_speaker, p_line, p_kind, p_day)
    elif o_lines:
        yield _build(st, seq, o_lines[0], o_lines[1:], None, None, o_line, "text", None)


def _with_newlines(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        yield line if line.endswith("\n") else line + "\n"


def _parse_csv(lines: Iterable[str], tz: str, st: KakaoStats) -> Iterator[Segment]:
    """Mac export: `Date,User,Message` rows; quoted messages may span lines, so the csv module reads them."""
    # Messages can be longer than csv's default 128 KiB field limit; raising the process-wide limit only
    # lets more through.
    if csv.field_size_limit() < 16 * 1024 * 1024:
        csv.field_size_limit(16 * 1024 * 1024)
    reader = csv.reader(_with_newlines(lines))
    cache: dict[str, str] = {}
    seq = 0
    prev_end = 0
    header_seen = False
    try:
        for row in reader:
            start, prev_end = prev_end + 1, reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if not header_seen:
                header_seen = True
                continue
            if len(row) < 3:
                st.invalid_timestamps += 1
                continue
            stamp, user = row[0].strip(), row[1]
            text = row[2] if len(row) == 3 else ",".join(row[2:])
            ts = cache.get(stamp)
            if ts is None:
                if len(cache) >= _CACHE_MAX:
                    cache.clear()
                parsed = dates.parse_datetime(stamp, tz)
                ts = cache[stamp] = dates.iso(parsed) if parsed else _INVALID
            if ts == _INVALID:
                st.invalid_timestamps += 1
            speaker: str | None = user
            kind = "speech"
            if not user:
                speaker, kind = system_actor(text), "system"
            yield _build(st, seq, text.rstrip("\r\n"), None, ts, speaker, start, kind, None)
            seq += 1
    except csv.Error as exc:
        raise EvidenceError("KAKAO_PARSE_FAILED") from exc


def _line_kind(line: str, day: str | None, tz: str) -> tuple[str, str | None]:
    """("message" | "marker" | "saved" | "other", day) for head detection."""
    s = line.strip()
    d = _day_header(s)
    if d is not None:
        return "marker", d
    found = _detect(s, day, tz)
    if found is not None:
        key, m = found
        if m is None:
            return "marker", _separator_day(s)
        if key != "pc" and m.group("tail") not in (", ", ": "):
            return "marker", day
        return "message", day
    saved = _SAVED.fullmatch(s)
    if saved is not None and dates.parse_datetime(saved.group(1), tz) is not None:
        return "saved", day
    return "other", day


def looks_like_kakaotalk(head_lines: list[str], tz: str = dates.DEFAULT_TZ) -> bool:
    """True if the first lines of a text file are a KakaoTalk export (any layout), for routing .txt uploads.

    Needs a `Date,User,Message` CSV header, or an export 저장한 날짜/Date Saved header with a message or
    date line, or message lines making up a good share of the text, so a memo quoting one chat line stays text.
    """
    lines = [ln.rstrip("\r\n").lstrip("\ufeff") for ln in head_lines]
    nonblank = [ln for ln in lines if ln.strip()]
    if not nonblank:
        return False
    if _is_csv_header(nonblank[0]):
        return True
    day: str | None = None
    counts = {"message": 0, "marker": 0, "saved": 0, "other": 0}
    for ln in nonblank:
        kind, day = _line_kind(ln, day, tz)
        counts[kind] += 1
    messages, records = counts["message"], counts["message"] + counts["marker"]
    if records == 0:
        return False
    if counts["saved"]:
        return True
    if messages == len(nonblank):
        return True
    return messages >= 1 and records >= 2 and records * 4 >= len(nonblank)


def parse_lines(lines: Iterable[str], tz: str = dates.DEFAULT_TZ, *, max_segments: int | None = None) -> ParseResult:
    """A ParseResult for already-decoded export lines (used by `parse` and by the plain-text parser)."""
    stats = KakaoStats()
    segments = list(bounded(parse_kakaotalk(lines, tz, stats=stats), max_segments))
    return ParseResult(
        segments=segments, event_time=stats.first_time, detected_type="kakaotalk", meta=stats.to_meta()
    )


def parse(path: Path, ctx: ParseContext) -> ParseResult:
    """Parse a KakaoTalk export file (any encoding, any layout) into one Segment per message."""
    encoding, lines = open_text(path, max_bytes=ctx.limits.max_text_bytes)
    with lines:
        result = parse_lines(lines, ctx.timezone, max_segments=ctx.limits.max_segments)
        result.meta.update(encoding=encoding, replaced_chars=lines.replaced)
    return result
