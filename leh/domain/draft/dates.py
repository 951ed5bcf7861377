"""How a draft reads and writes times: ISO timestamps in, Korean dates (2023년 12월 25일, 2023. 12. 25.) out."""

from __future__ import annotations

from datetime import UTC, datetime

from leh.domain.dates import format_ts


def parse_ts(ts: str | None) -> datetime | None:
    """An aware datetime from an ISO timestamp; None when missing or unreadable."""
    if not ts:
        return None
    try:
        dt = datetime.fromisoformat(ts)
    except ValueError:
        return None
    # Parsers write aware times; a naive one is ordered as UTC rather than refused.
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def format_date(ts: str | None, *, with_time: bool = True, precision: str | None = None,
                part_of_day: str | None = None) -> str | None:
    """'2023년 12월 25일 22:20' in the timestamp's own offset (no dots: they would read as sentence ends).

    A day-only fact reads '2023년 12월 25일 밤' or '2023년 12월 25일', never with an invented 00:00
    (`leh.domain.dates.format_ts`, the one formatting rule).
    """
    if parse_ts(ts) is None:
        return None
    if not with_time and precision != "month":
        precision, part_of_day = "day", None
    return format_ts(ts, precision, part_of_day, style="korean")


def short_date(ts: str | None) -> str | None:
    """'2023. 12. 25.', the dotted date of exhibit lists and tables ('2024. 6.' for a month alone, "2024-06")."""
    if ts and len(ts) == 7 and ts[4] == "-" and ts[:4].isdigit() and ts[5:].isdigit():
        return f"{int(ts[:4])}. {int(ts[5:])}."
    dt = parse_ts(ts)
    return f"{dt.year}. {dt.month}. {dt.day}." if dt else None
