"""KakaoTalk message timestamps: clock readings and per-day facts, so most messages are stamped by a string join."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Final

from leh.pipeline.parsers import dates

CACHE_MAX: Final = 4096  # entries per stamp cache; cleared when full, so no export grows it without bound
INVALID: Final = ""  # cache value for a stamp no clock or calendar shows (오후 13:05, 2월 30일)

DayInfo = tuple[str, str, str | None]  # (YYYY-MM-DD, "YYYY-MM-DDT", "+09:00" or None on a DST-change day)
NO_DAY: Final[DayInfo] = ("", "", None)


def day_info(day: str, tz: str) -> DayInfo:
    """What a timestamp on `day` needs, so messages are stamped by string joins, not a datetime each.

    The offset is shared by the whole day unless the zone changes offset that day; then it is None and
    `stamp_iso` builds the datetime.
    """
    y, mo, d = int(day[:4]), int(day[5:7]), int(day[8:10])
    zone = dates.zone(tz)
    first = datetime(y, mo, d, tzinfo=zone)
    same = first.utcoffset() == datetime(y, mo, d, 23, 59, 59, tzinfo=zone).utcoffset()
    return day, day + "T", dates.iso(first)[19:] if same else None


def stamp_iso(info: DayInfo, hms: str, tz: str) -> str:
    """The ISO timestamp of `hms` (HH:MM:SS) on the day `info` describes."""
    if info[2] is not None:
        return info[1] + hms + info[2]
    day = info[0]
    return dates.iso(
        datetime(int(day[:4]), int(day[5:7]), int(day[8:10]), int(hms[:2]), int(hms[3:5]), int(hms[6:8]),
                 tzinfo=dates.zone(tz))
    )


def clock_hms(text: str) -> str:
    """`오후 10:20` → `22:20:00`; INVALID for readings no clock shows (`오후 13:05`, `오후 0:30`)."""
    t = dates.parse_time(text)
    return INVALID if t is None else f"{t[0]:02d}:{t[1]:02d}:{t[2]:02d}"


def mobile_day(m: re.Match[str], tz: str) -> DayInfo:
    """The day a mobile layout's stamp match names; NO_DAY for an impossible or out-of-range date."""
    g = m.groupdict()
    try:
        month = int(g["mo"]) if g.get("mo") else dates.MONTHS[g["mon"][:3].lower()]
        d = date(int(g["y"]), month, int(g["d"]))
    except (ValueError, KeyError, TypeError):
        return NO_DAY
    if not dates.MIN_YEAR <= d.year <= dates.MAX_YEAR:
        return NO_DAY
    return day_info(d.isoformat(), tz)
