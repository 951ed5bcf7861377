"""How a draft reads and writes times: ISO timestamps in, Korean dates (2023년 12월 25일, 2023. 12. 25.) out."""

from __future__ import annotations

from datetime import UTC, datetime


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


def format_date(ts: str | None, *, with_time: bool = True) -> str | None:
    """'2023년 12월 25일 22:20' in the timestamp's own offset (no dots: they would read as sentence ends)."""
    dt = parse_ts(ts)
    if dt is None:
        return None
    day = f"{dt.year}년 {dt.month}월 {dt.day}일"
    return f"{day} {dt:%H:%M}" if with_time and (dt.hour or dt.minute) else day


def short_date(ts: str | None) -> str | None:
    """'2023. 12. 25.', the dotted date of exhibit lists and tables."""
    dt = parse_ts(ts)
    return f"{dt.year}. {dt.month}. {dt.day}." if dt else None
