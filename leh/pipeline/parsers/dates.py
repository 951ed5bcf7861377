"""Korean and English date/time parsing shared by the text and KakaoTalk parsers.

Every datetime returned is timezone-aware (zoneinfo, default Asia/Seoul) so timelines from different
evidence files compare correctly; `iso()` gives strings like `2023-12-25T22:20:00+09:00`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

from leh.domain.dates import PARTS_OF_DAY

DEFAULT_TZ: Final = "Asia/Seoul"

MONTHS: Final[dict[str, int]] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH_RX: Final = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
WEEKDAY_EN_RX: Final = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)"
WEEKDAY_KO_RX: Final = r"[월화수목금토일]요일"

# One date in any supported spelling. Each spelling has its own groups; `_date_of` reads whichever matched.
_DATE = rf"""
(?:
    (?P<ky>\d{{4}}|\d{{2}})\s*년\s*(?P<km>\d{{1,2}})\s*월\s*(?P<kd>\d{{1,2}})\s*일
  | (?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})
  | (?P<dy>\d{{4}})\s?\.\s?(?P<dm>\d{{1,2}})\s?\.\s?(?P<dd>\d{{1,2}})(?:\s?\.(?!\d))?
  | (?P<sy>\d{{4}}|\d{{2}})/(?P<sm>\d{{1,2}})/(?P<sd>\d{{1,2}})
  | (?P<ty>\d{{2}})\.(?P<tm>\d{{2}})\.(?P<td>\d{{2}})(?:\.(?!\d))?
  | (?:{WEEKDAY_EN_RX},?\s+)?(?P<em>{MONTH_RX})\.?\s+(?P<ed>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<ey>\d{{4}})
)
"""
# 오전/오후 or AM/PM (12-hour) or a 24-hour clock; `H시 M분`, `H시 반` and `H:MM[:SS]`; an explicit ISO offset wins.
_TIME = r"""
(?:(?P<kap>오전|오후)\s*)?
(?P<h>\d{1,2})
(?:
    :(?P<mi>\d{2})(?::(?P<s>\d{2}))?
  | \s*시(?!간)(?:\s*(?P<mi2>\d{1,2})\s*분|\s*(?P<half>반))?(?:\s*(?P<s2>\d{1,2})\s*초)?
)
(?:\s*(?P<eap>[AaPp]\.?[Mm]\.?)(?![A-Za-z]))?
(?P<off>Z|[+-]\d{2}:?\d{2}(?!\d))?
"""
_WEEKDAY_KO_OPT = r"(?:\s*\(?[월화수목금토일](?:요일)?\)?)?"
_SEP = r"(?:\s*,\s*|\s+at\s+|\s+|T)"

_SCAN_RX: Final = re.compile(
    rf"(?<!\d){_DATE}(?!\d){_WEEKDAY_KO_OPT}(?:{_SEP}(?P<time>{_TIME})(?!\d))?", re.VERBOSE
)
_FULL_RX: Final = re.compile(
    rf"\s*{_DATE}{_WEEKDAY_KO_OPT}(?:{_SEP}(?P<time>{_TIME}))?\s*", re.VERBOSE
)
_TIME_FULL_RX: Final = re.compile(rf"\s*{_TIME}\s*", re.VERBOSE)

MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2100


@lru_cache(maxsize=64)
def zone(name: str = DEFAULT_TZ) -> ZoneInfo:
    """The ZoneInfo for an IANA name, cached (parsers call this per file, not per line)."""
    return ZoneInfo(name)


def hour_24(hour: int, marker: str | None) -> int:
    """24-hour clock hour for a reading with 오전/오후/AM/PM, or a 24-hour reading when `marker` is None.

    오전 12시 is midnight (0) and 오후 12시 is noon (12), as on a 12-hour clock. Raises ValueError
    for readings no clock shows (오후 13시, 오전 0시, 24:00).
    """
    if not marker:
        if 0 <= hour <= 23:
            return hour
        raise ValueError(f"hour out of range: {hour}")
    if not 1 <= hour <= 12:
        raise ValueError(f"12-hour reading out of range: {hour}")
    m = marker.replace(".", "").upper()
    if m in ("오전", "AM"):
        return 0 if hour == 12 else hour
    if m in ("오후", "PM"):
        return 12 if hour == 12 else hour + 12
    raise ValueError(f"unknown AM/PM marker: {marker}")


def full_year(text: str) -> int:
    """Year from a 4-digit or 2-digit (`23` → 2023, `98` → 1998) spelling."""
    y = int(text)
    if len(text) <= 2:
        y += 2000 if y < 70 else 1900
    return y


def make_datetime(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, tz: str = DEFAULT_TZ
) -> datetime:
    """A timezone-aware datetime; raises ValueError for impossible dates (2월 30일) or out-of-range years."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year out of range: {year}")
    return datetime(year, month, day, hour, minute, second, tzinfo=zone(tz))


def iso(dt: datetime) -> str:
    """ISO 8601 with offset and whole seconds: `2023-12-25T22:20:00+09:00`."""
    return dt.isoformat(timespec="seconds")


def _date_of(m: re.Match[str]) -> date | None:
    g = m.group
    try:
        if g("ky"):
            y, mo, d = full_year(g("ky")), int(g("km")), int(g("kd"))
        elif g("iy"):
            y, mo, d = int(g("iy")), int(g("im")), int(g("id"))
        elif g("dy"):
            y, mo, d = int(g("dy")), int(g("dm")), int(g("dd"))
        elif g("sy"):  # Korean order: 23/12/25 is 2023-12-25
            y, mo, d = full_year(g("sy")), int(g("sm")), int(g("sd"))
        elif g("ty"):  # statements and receipts: 24.03.02 is 2024-03-02
            y, mo, d = full_year(g("ty")), int(g("tm")), int(g("td"))
        elif g("ey"):
            y, mo, d = int(g("ey")), MONTHS[g("em")[:3].lower()], int(g("ed"))
        else:
            return None
        if not MIN_YEAR <= y <= MAX_YEAR:
            return None
        return date(y, mo, d)
    except ValueError:
        return None


def _time_of(m: re.Match[str], *, strict_12h: bool) -> tuple[int, int, int, timezone | None] | None:
    """(hour, minute, second, explicit offset) from a `_TIME` match, or None if no clock shows it.

    With `strict_12h`, a bare `3시` (no 오전/오후, hour ≤ 12) counts as ambiguous: in Korean speech it is as
    often 3 p.m. as 3 a.m., while `15시` or `3:00` (a clock reading) is not.
    """
    g = m.group
    marker = g("kap") or g("eap")
    hour = int(g("h"))
    colon = g("mi") is not None
    if strict_12h and not marker and not colon and 0 < hour <= 12:
        return None
    try:
        hour = hour_24(hour, marker)
    except ValueError:
        return None
    minute = int(g("mi") or g("mi2") or (30 if g("half") else 0))
    second = int(g("s") or g("s2") or 0)
    if minute > 59 or second > 59:
        return None
    off = g("off")
    offset = None
    if off:
        if off == "Z":
            offset = UTC
        else:
            sign = -1 if off[0] == "-" else 1
            digits = off[1:].replace(":", "")
            offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    return hour, minute, second, offset


def _combine(d: date, t: tuple[int, int, int, timezone | None] | None, tz: str) -> datetime:
    if t is None:
        return datetime(d.year, d.month, d.day, tzinfo=zone(tz))
    hour, minute, second, offset = t
    return datetime(d.year, d.month, d.day, hour, minute, second, tzinfo=offset or zone(tz))


def parse_date(text: str) -> date | None:
    """A calendar date from text that is only a date: `2023년 12월 25일 월요일`, `Monday, December 25, 2023`, `2023. 12. 25.`."""
    m = _FULL_RX.fullmatch(text)
    if m is None or m.group("time"):
        return None
    return _date_of(m)


def parse_time(text: str) -> tuple[int, int, int] | None:
    """(hour, minute, second) from text that is only a time: `오후 10:20`, `10:20 PM`, `22:20:05`, `오전 9시 30분`."""
    m = _TIME_FULL_RX.fullmatch(text)
    if m is None:
        return None
    t = _time_of(m, strict_12h=False)
    return None if t is None else t[:3]


def parse_datetime(text: str, tz: str = DEFAULT_TZ) -> datetime | None:
    """An aware datetime from text that is only a date with an optional time (`23/12/25 오후 10:20`,
    `2024-01-02 10:00:00`, `Feb 13, 2026 at 18:42`); a date alone gives midnight. None if it does not parse."""
    m = _FULL_RX.fullmatch(text)
    if m is None:
        return None
    d = _date_of(m)
    if d is None:
        return None
    t = None
    if m.group("time"):
        t = _time_of(m, strict_12h=False)
        if t is None:
            return None
    return _combine(d, t, tz)


def find_unambiguous_datetime(text: str, tz: str = DEFAULT_TZ) -> datetime | None:
    """The datetime of `find_dated` (midnight for a date alone), or None."""
    found = find_dated(text, tz)
    return found.at if found is not None else None


@dataclass(frozen=True)
class Dated:
    """A time read from evidence text, with how much of it the text states."""

    at: datetime  # midnight of the day when only the day is known
    precision: str  # "month" | "day" | "minute" | "second"
    part_of_day: str | None = None  # 밤, 새벽 … written beside a date without a clock time

    @property
    def iso(self) -> str:
        return iso(self.at)


_PART_RX: Final = re.compile(r"\s*(?:경\s*)?[,(]?\s*(" + "|".join(PARTS_OF_DAY) + r")(?![가-힣]{2})")
_EVENING: Final = frozenset({"오후", "저녁", "밤", "한밤중"})
_BARE_HOUR_RX: Final = re.compile(r"\s*(\d{1,2})\s*시(?!간)(?:\s*(\d{1,2})\s*분|\s*(반))?")


def _part_after(text: str, end: int) -> str | None:
    m = _PART_RX.match(text, end)
    return m.group(1) if m else None


def _clock_after_part(text: str, end: int, part: str) -> tuple[int, int, int, timezone | None] | None:
    """`밤 10시`, `새벽 3시 20분`: a bare hour that the part of day makes unambiguous."""
    m = _PART_RX.match(text, end)
    clock = _BARE_HOUR_RX.match(text, m.end()) if m else None
    if clock is None:
        return None
    hour, minute = int(clock.group(1)), int(clock.group(2) or (30 if clock.group(3) else 0))
    if not 1 <= hour <= 12 or minute > 59:
        return None
    if part in _EVENING and hour != 12:
        hour += 12
    elif part not in _EVENING and hour == 12 and part in ("새벽", "한밤중"):
        hour = 0
    return hour, minute, 0, None


def find_dated(text: str, tz: str = DEFAULT_TZ) -> Dated | None:
    """The one date (with its time, if exactly one is given) that free text mentions, with its precision.

    A paragraph naming two different days (`12월 1일부터 12월 3일까지` with years) is left undated rather
    than guessed. Dates without a year and times without a date are ignored. A date with no unambiguous
    time is a day-precision fact; a time-of-day word after it (`2023년 12월 25일 밤`) is kept as its
    `part_of_day`, and makes a bare hour readable (`밤 10시` → 22:00).
    """
    days: set[date] = set()
    times: set[tuple[int, int, int, timezone | None]] = set()
    seconds = False
    part: str | None = None
    for m in _SCAN_RX.finditer(text):
        d = _date_of(m)
        if d is None:
            continue
        days.add(d)
        if len(days) > 1:
            return None
        t = _time_of(m, strict_12h=True) if m.group("time") else None
        if t is not None:
            times.add(t)
            seconds = seconds or bool(m.group("s") or m.group("s2"))
            continue
        end = m.start("time") if m.group("time") else m.end()
        found_part = _part_after(text, end)
        if found_part:
            part = part or found_part
            clock = _clock_after_part(text, end, found_part)
            if clock is not None:
                times.add(clock)
    if len(days) != 1:
        return None
    (d,) = days
    if len(times) == 1:
        return Dated(_combine(d, next(iter(times)), tz), "second" if seconds else "minute")
    return Dated(_combine(d, None, tz), "day", part)



# "2024년 6월" not followed by a day: a fact the text dates only to its month.
_MONTH_RX: Final = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})\s*(?:년\s*(\d{1,2})\s*월(?!\s*\d{1,2}\s*일)"
    r"|[./]\s*(\d{1,2})\s*(?:\.(?=\s*(?:경|초|중순|말|부터|까지|무렵|께|에|~|$)|\s+(?!\d))"
    r"|(?=경|초|중순|말|부터|까지|무렵)))")


def find_month(text: str, tz: str = DEFAULT_TZ) -> Dated | None:
    """The one month a text dates its fact to ("2024년 6월부터 생활비를 …", "2024. 3.경부터"), when it names no full date: the
    month's first day with precision "month". None for no month, two different months, or any full date (a day
    is more than a month; two days are `find_dated`'s ambiguity, not a month's)."""
    months = {(int(m.group(1)), int(m.group(2) or m.group(3))) for m in _MONTH_RX.finditer(text)}
    if len(months) != 1 or first_date_span(text) is not None:
        return None
    (year, month), = months
    try:
        return Dated(make_datetime(year, month, 1, tz=tz), "month")
    except ValueError:
        return None


def date_span_at(text: str, pos: int) -> tuple[int, int] | None:
    """(start, end) of a full date (with its time, if any) starting exactly at `pos`, or None."""
    m = _SCAN_RX.match(text, pos)
    return (m.start(), m.end()) if m is not None and _date_of(m) is not None else None


def first_date_span(text: str) -> tuple[int, int] | None:
    """(start, end) of the first full date (with its time, if any) in `text`, or None."""
    for m in _SCAN_RX.finditer(text):
        if _date_of(m) is not None:
            return m.start(), m.end()
    return None
