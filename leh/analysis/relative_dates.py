"""Relative dates in evidence text ("어제 밤에", "그저께", "지난주 금요일", a year-less "5월 3일") resolved against the
segment's own date.

Why here, in the analysis stage, and not in each parser: the date a relative word counts from is the segment's
own time, which every parser has already set by the time analysis runs (a KakaoTalk message's send time, an OCR
line under a dated heading, a document line under its 작성일). One pure function over the finished segments
covers chats, documents, OCR and speech alike without touching the chat parser, and it runs again whenever an
evidence is reprocessed.

The result is `refers_to` on the segment: `{"ts", "precision": "day", "phrase", "inferred": true,
"part_of_day"?}`. It never replaces the segment's own `ts` (when the message was sent or the line dated), and a
segment whose text writes an explicit date gets none: the written date wins over any inference.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

from leh.domain.dates import PARTS_OF_DAY, parse_iso
from leh.domain.documents import InferredDate, SegmentDoc

_DAY_WORDS: Final[dict[str, int]] = {
    "그끄저께": -3, "그끄제": -3, "그저께": -2, "그제": -2, "어제": -1, "어저께": -1, "어젯밤": -1, "간밤": -1,
    "오늘": 0, "내일": 1, "낼": 1, "모레": 2, "내일모레": 2,
}
_WEEKDAYS: Final = "월화수목금토일"
_WEEK_SHIFT: Final[dict[str, int]] = {"지난주": -7, "저번 주": -7, "저번주": -7, "지난 주": -7, "이번 주": 0,
                                      "이번주": 0, "다음 주": 7, "다음주": 7}
_WEEK_RX: Final = re.compile(
    r"(?<![가-힣])(?P<week>" + "|".join(sorted(_WEEK_SHIFT, key=len, reverse=True)) + r")\s*(?P<wd>[월화수목금토일])요일"
)
_LAST_WD_RX: Final = re.compile(r"(?<![가-힣])지난\s+(?P<wd>[월화수목금토일])요일")
_DAY_RX: Final = re.compile(
    r"(?<![가-힣])(?P<word>" + "|".join(sorted(_DAY_WORDS, key=len, reverse=True)) + r")"
    r"(?!날|오늘|서야|야)(?:\s*(?P<part>" + "|".join(PARTS_OF_DAY) + r"))?"
)
# Words that make "오늘"/"어제" mean "these days" rather than a day: 오늘날, 어제오늘.
_NOT_A_DAY_RX: Final = re.compile(r"오늘날|어제\s*오늘|어제도 오늘도")
_EXPLICIT_DATE_RX: Final = re.compile(
    r"\d{2,4}\s*년\s*\d{1,2}\s*월\s*\d{1,2}\s*일|\d{4}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}"
)
# A day written without its year ("5월 3일", "지난 3월 9일"): the year is the one that puts it nearest the segment's
# own date (a statement written in July about "5월 3일" means this May; a chat on 1 March about "3월 9일" this March).
_YEARLESS_RX: Final = re.compile(r"(?<![\d년.])(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일")

# Clauses: a date written in one sentence says nothing about "어제" in the next.
_CLAUSE_RX: Final = re.compile(r"(?<=[.?!。])\s+|\n")


def resolve_relative(text: str, base: datetime, *, past: bool = False) -> InferredDate | None:
    """The day a relative date in `text` names, counted from `base` (the segment's own time), or None.

    None when the clause of the relative words also writes a date (`3월 9일 어제`: the written date wins), when
    the words are used in the "these days" sense, or when no relative day is named. Weeks start on Monday
    (지난주 금요일 is the Friday of the week before `base`'s). `past`: the text tells of what had happened by
    `base` (a document's line under its 작성일), so a year-less day is the latest one on or before it.
    """
    for clause in _CLAUSE_RX.split(text):
        found = _resolve_clause(clause, base, past)
        if found is not None:
            return found
    return None


def _resolve_clause(text: str, base: datetime, past: bool) -> InferredDate | None:
    if _EXPLICIT_DATE_RX.search(text):
        return None
    yearless = _YEARLESS_RX.search(text)
    if yearless is not None:
        day = _nearest_year(base, int(yearless["m"]), int(yearless["d"]), past=past)
        return None if day is None else _inferred(day, yearless.group(0), _part_after(text, yearless.end()))
    if _NOT_A_DAY_RX.search(text):
        return None
    candidates: list[tuple[int, str, datetime, str | None]] = []
    m = _WEEK_RX.search(text)
    if m:
        monday = base - timedelta(days=base.weekday())
        day = monday + timedelta(days=_WEEK_SHIFT[m["week"]] + _WEEKDAYS.index(m["wd"]))
        candidates.append((m.start(), m.group(0), day, _part_after(text, m.end())))
    m = _LAST_WD_RX.search(text)
    if m:
        back = (base.weekday() - _WEEKDAYS.index(m["wd"])) % 7 or 7
        candidates.append((m.start(), m.group(0), base - timedelta(days=back), _part_after(text, m.end())))
    m = _DAY_RX.search(text)
    if m and not (m["word"] == "오늘" and not m["part"]):  # a bare 오늘 says no more than the message's own date
        word = m["word"]
        part = m["part"] or ("밤" if word in ("어젯밤", "간밤") else None)
        candidates.append((m.start(), m.group(0).strip(), base + timedelta(days=_DAY_WORDS[word]), part))
    if not candidates:
        return None
    _, phrase, day, part = min(candidates, key=lambda c: c[0])
    return _inferred(day, phrase, part)


def _inferred(day: datetime, phrase: str, part: str | None) -> InferredDate:
    midnight = day.replace(hour=0, minute=0, second=0, microsecond=0)
    out: InferredDate = {"ts": midnight.isoformat(timespec="seconds"), "precision": "day", "phrase": phrase,
                           "inferred": True}
    if part:
        out["part_of_day"] = part
    return out


def _nearest_year(base: datetime, month: int, day: int, *, past: bool) -> datetime | None:
    """month/day in the year that puts it nearest `base` (ties: the earlier one; `past`: on or before `base`), or
    None for no such day."""
    found: list[datetime] = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            d = base.replace(year=year, month=month, day=day, hour=0, minute=0, second=0, microsecond=0)
        except ValueError:
            continue
        if not past or d <= base:
            found.append(d)
    return min(found, key=lambda d: (abs((d - base).total_seconds()), d)) if found else None


def _part_after(text: str, end: int) -> str | None:
    rest = text[end:end + 6].lstrip()
    return next((p for p in PARTS_OF_DAY if rest.startswith(p)), None)


def annotate_relative_dates(segments: Sequence[SegmentDoc]) -> int:
    """Set `refers_to` on every dated segment whose text names a relative day; returns how many got one.

    Segments without a time of their own, or dated only to a month, are left alone: there is nothing to count from.
    """
    count = 0
    for seg in segments:
        seg.pop("refers_to", None)  # reprocessing recomputes it
        base = parse_iso(seg.get("ts"))
        if base is None or seg.get("kind") == "system" or seg.get("ts_precision") == "month":
            continue
        # A chat message may speak of days to come; a document's line tells of what had happened by its date.
        found = resolve_relative(str(seg.get("text") or ""), base, past=seg.get("kind", "speech") != "speech")
        if found is not None:
            seg["refers_to"] = found
            count += 1
    return count
