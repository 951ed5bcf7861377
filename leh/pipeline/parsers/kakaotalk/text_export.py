"""KakaoTalk text exports (PC/Windows, Android, iOS; Korean and English): lines to messages, streaming.

Three parts: `_Export.head` reads the export headers up to the first message line, which fixes the layout;
`_Export.pc_line` / `_Export.mobile_line` say what each later line is (a message start, a day marker, or
more text of the message being built); `parse_text` keeps the one message being built and finishes it
when the next one starts. Stray text before the first message is kept as one kind="text" segment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Final

from leh.domain.evidence import Segment
from leh.pipeline.parsers import dates
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
    locale_of_clock,
    separator_day,
)
from leh.pipeline.parsers.kakaotalk.messages import split_speaker, system_actor
from leh.pipeline.parsers.kakaotalk.segments import KNOWN_MAX, KakaoStats, build_segment
from leh.pipeline.parsers.kakaotalk.stamps import CACHE_MAX, NO_DAY, DayInfo, clock_hms, day_info, mobile_day, stamp_iso

# What a line after the first message is: a message start (text, ts, speaker, kind, day, untimed), MORE text
# of the message being built, or None (a separator, day header or date marker: nothing to keep).
Start = tuple[str, str | None, str | None, str, str | None, bool]
MORE: Final = ("", None, None, "", None, False)  # identity-compared sentinel
LineKind = Start | None
_TEXT: Final = "text"


class _Export:
    """The state of one text export: the current day, stamp caches and the speakers seen so far."""

    __slots__ = ("clocks", "day", "days", "info", "known", "o_line", "o_lines", "rx", "st", "tz")

    def __init__(self, tz: str, st: KakaoStats) -> None:
        self.tz, self.st = tz, st
        self.day: str | None = None  # YYYY-MM-DD of the last separator / day header / date marker
        self.info: DayInfo | None = None  # day_info(day)
        self.days: dict[str, DayInfo] = {}  # mobile date text → day info
        self.clocks: dict[str, str] = {}  # clock text → HH:MM:SS (at most a few thousand spellings)
        self.known: set[str] = set()
        self.rx: re.Pattern[str] | None = None
        # Lines before the first message that are not headers (kept as one kind="text" segment).
        self.o_line = 0
        self.o_lines: list[str] = []

    def _set_day(self, d: str) -> None:
        self.day, self.info = d, day_info(d, self.tz)

    # --- before the first message ----------------------------------------------------------------------

    def head(self, line: str, lineno: int) -> tuple[str, re.Match[str] | None] | None:
        """The layout if `line` is the first message/separator line; else takes in a header or stray text."""
        found = detect(line, self.day, self.tz)
        if found is not None:
            return found
        s = line.strip()
        if not s:
            if self.o_lines:
                self.o_lines.append(line)
            return None
        if (d := day_header(s)) is not None:
            self._set_day(d)
        elif lineno <= HEADER_LINES and (m := SAVED.fullmatch(s)) is not None:
            saved = dates.parse_datetime(m.group(1), self.tz)
            self.st.saved_at = dates.iso(saved) if saved else None
            if sum(1 for o in self.o_lines if o.strip()) <= 2:
                self.o_line, self.o_lines = 0, []  # a title line above the saved date is header, not text
        elif lineno <= TITLE_LINES and (m := ROOM.fullmatch(s)) is not None:
            if room := m.group(1) or m.group(2):
                self.known.add(room)
        elif not (lineno <= HEADER_LINES and (EXPORT_FILENAME.fullmatch(s) or s.startswith(OPEN_CHAT_NOTICE))):
            if not self.o_lines:
                self.o_line = lineno
            self.o_lines.append(line)
        return None

    def layout(self, fmt: str, first: re.Match[str] | None) -> Callable[[str], LineKind]:
        """Fix the layout the first message line showed; the recogniser for every later line."""
        st = self.st
        if fmt == "pc":
            st.format = "pc"
            if first is not None:
                st.locale = locale_of_clock(first.group(2))
            return self.pc_line
        assert first is not None
        self.rx = MOBILE[fmt]
        st.format = FORMAT_OF.get(fmt) or ("ios" if " at " in first.group(0) else "android")
        st.locale = locale_of_clock(first.group("cpart")) or ("en" if fmt == "mobile_en" else "ko")
        return self.mobile_line

    # --- after it: what each line is -------------------------------------------------------------------

    def pc_line(self, line: str) -> LineKind:
        """PC / Windows: `[name] [clock] text`, `----- day -----` separators, untimed join/leave lines."""
        c = line[:1]
        if c == "[":
            m = PC_MSG.match(line)
            if m is not None:
                name, clock = m.group(1, 2)
                hms = self.clocks.get(clock)
                if hms is None:
                    hms = self.clocks[clock] = clock_hms(clock)
                if hms:
                    info = self.info
                    if info is None:
                        ts = None
                    elif info[2] is not None:
                        ts = info[1] + hms + info[2]
                    else:
                        ts = stamp_iso(info, hms, self.tz)
                    if name:
                        return line[m.end() :], ts, name, "speech", self.day, False
                    return line[m.end() :], ts, None, "system", self.day, False
                self.st.invalid_timestamps += 1
        elif c == "-" and line.startswith("-----"):
            d = separator_day(line)
            if d is not None:
                if self.st.locale is None:
                    self.st.locale = "ko" if "년" in line else "en"
                self._set_day(d)
                return None
        if ("님" in line or "chatroom." in line) and (sm := UNTIMED_SYSTEM.fullmatch(line)) is not None:
            return line, None, sm.group("a") or sm.group("b"), "system", self.day, True
        return MORE

    def mobile_line(self, line: str) -> LineKind:
        """Android / iOS: `stamp, name : text`, `stamp, system text`, date markers and day headers."""
        assert self.rx is not None
        m = self.rx.match(line)
        if m is None:
            c = line[:1]
            if (c.isdigit() or c in "MTWFS") and (d := day_header(line)) is not None:
                self._set_day(d)
                return None
            return MORE
        dpart, clock, tail = m.group("dpart", "cpart", "tail")
        if dpart:
            minfo = self.days.get(dpart)
            if minfo is None:
                if len(self.days) >= CACHE_MAX:
                    self.days.clear()
                minfo = self.days[dpart] = mobile_day(m, self.tz)
        else:
            minfo = self.info or NO_DAY
        hms = self.clocks.get(clock)
        if hms is None:
            hms = self.clocks[clock] = clock_hms(clock)
        if not hms or not minfo[0]:
            self.st.invalid_timestamps += 1
            return MORE
        if tail != ", " and tail != ": ":
            self.day, self.info = minfo[0], minfo  # an Android date marker: the day's first stamp alone on a line
            return None
        ts = minfo[1] + hms + minfo[2] if minfo[2] is not None else stamp_iso(minfo, hms, self.tz)
        speaker, text, kind = self._speaker(line[m.end() :], tail)
        return text, ts, speaker, kind, minfo[0], False

    def _speaker(self, rest: str, tail: str) -> tuple[str | None, str, str]:
        """(speaker, text, kind) of a mobile message after its stamp; system lines name their actor if any."""
        known = self.known
        parts: tuple[str, str] | None = None
        if tail == ", ":
            idx = rest.find(" : ")
            # Fast path: a known speaker before the first separator (see split_speaker).
            parts = (rest[:idx], rest[idx + 3 :]) if idx > 0 and rest[:idx] in known else split_speaker(rest, known)
        if parts is not None and parts[0]:
            if len(known) < KNOWN_MAX:
                known.add(parts[0])
            return parts[0], parts[1], "speech"
        if parts is not None:
            return None, parts[1], "system"
        actor = system_actor(rest)
        if actor is not None and len(known) < KNOWN_MAX:
            known.add(actor)
        return actor, rest, "system"


def parse_text(lines: Iterable[str], tz: str, st: KakaoStats) -> Iterator[Segment]:
    """Segments of a text export, one per message (see `parse_kakaotalk`). Streams in constant memory."""
    export = _Export(tz, st)
    it = iter(lines)
    for lineno, raw in enumerate(it, 1):
        line = raw.rstrip("\r\n") if raw and raw[-1] in "\r\n" else raw
        if lineno == 1 and line[:1] == "\ufeff":
            line = line[1:]
        found = export.head(line, lineno)
        if found is not None:
            yield from _messages(chain((line,), it), lineno, export.layout(*found), export)
            return
    if export.o_lines:
        yield build_segment(st, 0, export.o_lines[0], export.o_lines[1:], None, None, export.o_line, _TEXT, None)


def _messages(lines: Iterable[str], first: int, recognise: Callable[[str], LineKind], export: _Export) -> Iterator[Segment]:
    """Assemble messages from `lines` (the first message line is line number `first`).

    The message being built is p_*; p_line == 0 means none yet. Stray text before the first message is
    built like a message of kind "text", so it is finished the same way when the first message starts.
    """
    st = export.st
    seq = 0
    p_line, p_text, p_more = 0, "", None
    if export.o_lines:
        p_line, p_text, p_more = export.o_line, export.o_lines[0], export.o_lines[1:]
    p_ts: str | None = None
    p_speaker: str | None = None
    p_kind = _TEXT
    p_day: str | None = None
    for lineno, line in enumerate(lines, first):
        if line and line[-1] in "\r\n":
            line = line.rstrip("\r\n")
        kind = recognise(line)
        if kind is None:
            continue
        # An untimed PC system line splits messages, but before the first message it is just text.
        if kind is not MORE and (not kind[5] or (p_line and p_kind != _TEXT)):
            if p_line:
                yield build_segment(st, seq, p_text, p_more, p_ts, p_speaker, p_line, p_kind, p_day)
                seq += 1
            p_text, p_ts, p_speaker, p_kind, p_day, _ = kind
            p_line, p_more = lineno, None
        elif p_line:
            if p_more is None:
                p_more = [line]
            else:
                p_more.append(line)
        elif line.strip():
            p_line, p_text, p_more, p_kind = lineno, line, None, _TEXT
    if p_line:
        yield build_segment(st, seq, p_text, p_more, p_ts, p_speaker, p_line, p_kind, p_day)
