"""Timestamps with their precision, and the one way LEH writes them for people.

A fact known only to the day ("2023년 12월 25일 밤", a card statement's 결제일) is stored as midnight of that
day in the case's time zone with `ts_precision: "day"`, and is never shown with a time: "00:00" would claim a
time the evidence does not state (DOMAIN.md, dates). Precisions: "month", "day", "minute", "second". A fact the
evidence dates only to its month ("2024년 6월부터 …") is stored as midnight of the month's first day with
`ts_precision: "month"` and shown as "2024. 6." — never as the 1st, nor as the date of the paper it is written in.

Stored times without a precision (documents processed before precisions existed) are read by the old rule:
exactly midnight is a date alone, anything else a time to the minute (to the second when it has seconds).
"""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal

Precision = Literal["month", "day", "minute", "second"]
PRECISIONS: Final[tuple[str, ...]] = ("month", "day", "minute", "second")
COARSE: Final = frozenset({"month", "day"})  # precisions without a time of day
# Time-of-day words a Korean date may carry instead of a clock time, longest first for matching.
PARTS_OF_DAY: Final[tuple[str, ...]] = ("한밤중", "새벽", "아침", "오전", "점심", "낮", "오후", "저녁", "밤")
# Where a day-only event sits among the timed events of its day: a known part of day places it there
# (the hour it stands for), otherwise it sorts before every timed event of that day.
PART_OF_DAY_HOUR: Final[dict[str, int]] = {
    "새벽": 3, "아침": 8, "오전": 9, "점심": 12, "낮": 13, "오후": 15, "저녁": 19, "밤": 22, "한밤중": 23,
}
INFERRED_MARK: Final = "추정"


def parse_iso(ts: str | None) -> datetime | None:
    """The datetime an ISO string names, or None when missing or unreadable (never raises)."""
    if not ts:
        return None
    try:
        return datetime.fromisoformat(ts)
    except ValueError:
        return None


def precision_of(ts: str | None, precision: str | None = None) -> str | None:
    """The precision of `ts`: the stored one when known, else the legacy reading (midnight = a day)."""
    if precision in PRECISIONS:
        return precision
    dt = parse_iso(ts)
    if dt is None:
        return None
    if len(ts or "") <= 10 or (dt.hour, dt.minute, dt.second) == (0, 0, 0):
        return "day"
    return "second" if dt.second else "minute"


def format_ts(ts: str | None, precision: str | None = None, part_of_day: str | None = None, *,
              inferred: bool = False, style: str = "dotted", seconds: bool = False) -> str | None:
    """A timestamp for people, never more precise than the evidence.

    style "dotted" (timeline, evidence page, search, exhibit lists): "2023. 12. 25. (밤)", "2023. 12. 25.",
    "2023. 12. 25. 22:20", and a month alone "2024. 6.".
    style "korean" (running text such as the draft, where dots would read as sentence ends):
    "2023년 12월 25일 밤", "2023년 12월 25일 22:20", "2024년 6월".
    style "iso" (the analysis sentences stored in the evidence document): "2023-12-25 (밤)", "2023-12-25 22:20",
    "2024-06".
    Times show minutes; `seconds=True` adds the seconds of a second-precision time. `inferred` (a date worked
    out from "어제" and the like) adds "(추정)". The date is the one written in the timestamp's own offset.
    None when there is no readable time.
    """
    dt = parse_iso(ts)
    if dt is None:
        return None
    level = precision_of(ts, precision)
    part = part_of_day if part_of_day in PARTS_OF_DAY and level == "day" else None
    if style == "korean":
        day = f"{dt.year}년 {dt.month}월" + ("" if level == "month" else f" {dt.day}일")
        part_text, mark = f" {part}" if part else "", f"({INFERRED_MARK})"
    elif style == "iso":
        day = f"{dt:%Y-%m}" if level == "month" else f"{dt:%Y-%m-%d}"
        part_text, mark = f" ({part})" if part else "", f" ({INFERRED_MARK})"
    else:
        day = f"{dt.year}. {dt.month}." + ("" if level == "month" else f" {dt.day}.")
        part_text, mark = f" ({part})" if part else "", f" ({INFERRED_MARK})"
    if level in COARSE:
        text = day + part_text
    else:
        text = f"{day} {dt:%H:%M:%S}" if seconds and level == "second" else f"{day} {dt:%H:%M}"
    return text + mark if inferred else text


def sort_instant(ts: str | None, precision: str | None = None, part_of_day: str | None = None) -> datetime | None:
    """The instant a (possibly day-only) timestamp sorts at.

    Rule for mixed precision: an event known only to its day sorts at the hour its part of day stands for
    ("밤" → 22:00, PART_OF_DAY_HOUR), and without one at the very start of its day, i.e. before every timed
    event of that day (a day-only fact cannot be placed after anything of the same day without inventing a
    time). A month-only fact sorts at the start of its month, before the days of that month. Timed events sort at
    their own instant.
    """
    dt = parse_iso(ts)
    if dt is None or precision_of(ts, precision) != "day":
        return dt
    hour = PART_OF_DAY_HOUR.get(part_of_day or "")
    return dt.replace(hour=hour, minute=0, second=0, microsecond=0) if hour is not None else dt
