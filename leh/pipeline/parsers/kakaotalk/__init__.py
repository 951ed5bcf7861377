"""KakaoTalk '대화 내보내기' parser: PC/Windows, Android and iOS text exports (Korean and English) and Mac CSV.

`parse_kakaotalk` streams: it keeps only the message being built (plus a small stamp cache), so a
500 MB export parses in constant memory. Every message becomes one Segment; system lines (입장/퇴장,
사진, 삭제된 메시지입니다 …) are kept with kind="system" because they matter as evidence too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Final

from leh.domain.errors import EvidenceError
from leh.domain.evidence import Segment
from leh.pipeline.parsers import dates
from leh.pipeline.parsers.base import ParseContext, ParseResult, bounded
from leh.pipeline.parsers.kakaotalk.layouts import (
    EXPORT_FILENAME,
    FORMAT_OF,
    HEADER_LINES,
    MOBILE,
    OPEN_CHAT_NOTICE,
    PC_MSG,
    ROOM,
    SAVED,
    TITLE_LINES,
    UNTIMED_SYSTEM,
    day_header,
    detect,
    is_csv_header,
    line_kind,
    locale_of_clock,
    separator_day,
)
from leh.pipeline.parsers.kakaotalk.mac_csv import parse_csv
from leh.pipeline.parsers.kakaotalk.messages import is_placeholder, split_speaker, system_actor
from leh.pipeline.parsers.kakaotalk.segments import KNOWN_MAX, KakaoStats, build_segment
from leh.pipeline.parsers.kakaotalk.stamps import CACHE_MAX, NO_DAY, DayInfo, clock_hms, day_info, mobile_day, stamp_iso
from leh.pipeline.parsers.textdecode import open_text

# The public API; the helpers it re-exports live in the modules of this package.
__all__ = [
    "HEAD_LINES", "DayInfo", "KakaoStats", "is_placeholder", "looks_like_kakaotalk", "parse", "parse_kakaotalk",
    "parse_lines", "split_speaker", "system_actor",
]

HEAD_LINES: Final = 60


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
    if head and is_csv_header(head[-1]):
        st.format = "mac_csv"
        yield from parse_csv(source, tz, st)
    else:
        yield from _parse_text(source, tz, st)
    if st.messages == 0:
        raise EvidenceError("KAKAO_PARSE_FAILED")


def _parse_text(lines: Iterable[str], tz: str, st: KakaoStats) -> Iterator[Segment]:
    fmt: str | None = None  # fixed by the first message line; other layouts after that are message text
    rx: re.Pattern[str] | None = None
    day: str | None = None  # YYYY-MM-DD of the last separator / day header / date marker
    info: DayInfo | None = None  # day_info(day)
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
    pc_match = PC_MSG.match
    untimed = UNTIMED_SYSTEM.fullmatch

    for line in lines:
        lineno += 1
        if line and line[-1] in "\r\n":
            line = line.rstrip("\r\n")
        if lineno == 1 and line[:1] == "\ufeff":
            line = line[1:]

        if fmt is None:
            found = detect(line, day, tz)
            if found is None:
                # Before the first message: headers, day headers, or stray text.
                s = line.strip()
                if not s:
                    if o_lines:
                        o_lines.append(line)
                    continue
                d = day_header(s)
                if d is not None:
                    day, info = d, day_info(d, tz)
                    continue
                m = SAVED.fullmatch(s) if lineno <= HEADER_LINES else None
                if m is not None:
                    saved = dates.parse_datetime(m.group(1), tz)
                    st.saved_at = dates.iso(saved) if saved else None
                    if sum(1 for o in o_lines if o.strip()) <= 2:
                        o_line, o_lines = 0, []  # a title line above the saved date is header, not text
                    continue
                m = ROOM.fullmatch(s) if lineno <= TITLE_LINES else None
                if m is not None:
                    room = m.group(1) or m.group(2)
                    if room:
                        known.add(room)
                    continue
                if lineno <= HEADER_LINES and (EXPORT_FILENAME.fullmatch(s) or s.startswith(OPEN_CHAT_NOTICE)):
                    continue
                if not o_lines:
                    o_line = lineno
                o_lines.append(line)
                continue
            fmt, first = found
            if fmt == "pc":
                st.format = "pc"
                if first is not None:
                    st.locale = locale_of_clock(first.group(2))
            else:
                assert first is not None
                rx = MOBILE[fmt]
                st.format = FORMAT_OF.get(fmt) or ("ios" if " at " in first.group(0) else "android")
                st.locale = locale_of_clock(first.group("cpart")) or ("en" if fmt == "mobile_en" else "ko")

        if rx is None:  # PC / Windows
            c = line[:1]
            if c == "[":
                m = pc_match(line)
                if m is not None:
                    name, clock = m.group(1, 2)
                    hms = clocks.get(clock)
                    if hms is None:
                        hms = clocks[clock] = clock_hms(clock)
                    if hms:
                        if p_line:
                            yield build_segment(st, seq, p_text, p_more, p_ts, p_speaker, p_line, p_kind, p_day)
                            seq += 1
                        elif o_lines:
                            yield build_segment(st, seq, o_lines[0], o_lines[1:], None, None, o_line, "text", None)
                            seq += 1
                            o_lines = []
                        if info is None:
                            p_ts = None
                        elif info[2] is not None:
                            p_ts = info[1] + hms + info[2]
                        else:
                            p_ts = stamp_iso(info, hms, tz)
                        p_line, p_text, p_more, p_day = lineno, line[m.end() :], None, day
                        if name:
                            p_speaker, p_kind = name, "speech"
                        else:
                            p_speaker, p_kind = None, "system"
                        continue
                    st.invalid_timestamps += 1
            elif c == "-" and line.startswith("-----"):
                d = separator_day(line)
                if d is not None:
                    if st.locale is None:
                        st.locale = "ko" if "년" in line else "en"
                    day, info = d, day_info(d, tz)
                    continue
            if p_line:
                if ("님" in line or "chatroom." in line) and (sm := untimed(line)) is not None:
                    yield build_segment(st, seq, p_text, p_more, p_ts, p_speaker, p_line, p_kind, p_day)
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
                    if len(days) >= CACHE_MAX:
                        days.clear()
                    minfo = days[dpart] = mobile_day(m, tz)
            else:
                minfo = info or NO_DAY
            hms = clocks.get(clock)
            if hms is None:
                hms = clocks[clock] = clock_hms(clock)
            if hms and minfo[0]:
                ts = minfo[1] + hms + minfo[2] if minfo[2] is not None else stamp_iso(minfo, hms, tz)
                if tail == ", " or tail == ": ":
                    if p_line:
                        yield build_segment(st, seq, p_text, p_more, p_ts, p_speaker, p_line, p_kind, p_day)
                        seq += 1
                    elif o_lines:
                        yield build_segment(st, seq, o_lines[0], o_lines[1:], None, None, o_line, "text", None)
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
                        if len(known) < KNOWN_MAX:
                            known.add(p_speaker)
                    else:
                        p_text = parts[1] if parts is not None else rest
                        p_speaker = system_actor(p_text) if parts is None else None
                        p_kind = "system"
                        if p_speaker is not None and len(known) < KNOWN_MAX:
                            known.add(p_speaker)
                    p_line, p_more, p_ts, p_day = lineno, None, ts, minfo[0]
                    continue
                day, info = minfo[0], minfo  # an Android date marker: the day's first stamp alone on a line
                continue
            st.invalid_timestamps += 1
        else:
            c = line[:1]
            if (c.isdigit() or c in "MTWFS") and (d := day_header(line)) is not None:
                day, info = d, day_info(d, tz)
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
        yield build_segment(st, seq, p_text, p_more, p_ts, p_speaker, p_line, p_kind, p_day)
    elif o_lines:
        yield build_segment(st, seq, o_lines[0], o_lines[1:], None, None, o_line, "text", None)



def looks_like_kakaotalk(head_lines: list[str], tz: str = dates.DEFAULT_TZ) -> bool:
    """True if the first lines of a text file are a KakaoTalk export (any layout), for routing .txt uploads.

    Needs a `Date,User,Message` CSV header, or an export 저장한 날짜/Date Saved header with a message or
    date line, or message lines making up a good share of the text, so a memo quoting one chat line stays text.
    """
    lines = [ln.rstrip("\r\n").lstrip("\ufeff") for ln in head_lines]
    nonblank = [ln for ln in lines if ln.strip()]
    if not nonblank:
        return False
    if is_csv_header(nonblank[0]):
        return True
    day: str | None = None
    counts = {"message": 0, "marker": 0, "saved": 0, "other": 0}
    for ln in nonblank:
        kind, day = line_kind(ln, day, tz)
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
