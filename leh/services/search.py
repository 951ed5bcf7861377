"""Per-case search (DESIGN.md section 7): validated filters over the search index, hits as API dicts.

The query is parsed here (`leh.analysis.query.parse_query`): a date in it ("3월 9일", "2024년 3월", "3월 첫째 주")
filters by date, its words match on morphemes and are widened with related words and the case parties'
names and aliases; every index adapter receives the same parsed query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from leh.analysis.query import parse_query
from leh.domain.dates import format_ts, precision_of
from leh.domain.errors import ValidationFailed
from leh.domain.grounds import GROUND_IDS, TAG_GROUND, is_ground
from leh.ports import SearchFilters, SearchIndex

MAX_LIMIT = 200


def parse_ground(value: str | None) -> str | None:
    """A ground id ("840-3"), or the ground of a fine tag ("폭언" → "840-3"); 400 for anything else."""
    if not value:
        return None
    value = value.strip()
    if is_ground(value):
        return value
    if value in TAG_GROUND:
        return TAG_GROUND[value]
    raise ValidationFailed(message_ko=f"이혼 사유는 {', '.join(GROUND_IDS)} 중 하나로 지정해주세요.")


def parse_day(value: str | None, name: str) -> str | None:
    """`YYYY-MM-DD` (a longer ISO timestamp is cut to its date); 400 when it is not a date."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError as exc:
        raise ValidationFailed(message_ko=f"{name} 날짜는 YYYY-MM-DD 형식으로 입력해주세요.") from exc


def date_range(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    start, end = parse_day(date_from, "시작"), parse_day(date_to, "종료")
    if start and end and start > end:
        raise ValidationFailed(message_ko="시작 날짜가 종료 날짜보다 늦습니다. 기간을 다시 확인해주세요.")
    return start, end


def search_case(index: SearchIndex, case_id: str, q: str, *, ground: str | None = None, type: str | None = None,
                speaker: str | None = None, date_from: str | None = None, date_to: str | None = None,
                limit: int = 20, aliases: Mapping[str, Sequence[str]] | None = None) -> list[dict[str, Any]]:
    """`[{"evidence_id", "seq", "snippet", "score", "grounds", "ts", "ts_precision", "ts_label", "speaker", "type"}]`,
    best first.

    `aliases` maps a party's name to the other names the evidence uses for them ({"홍길동": ["남편", "길동씨"]});
    a query naming any of them also finds the others. The caller has already checked that the user may see
    the case.
    """
    if not q.strip():
        raise ValidationFailed(message_ko="검색어를 입력해주세요.")
    start, end = date_range(date_from, date_to)
    g = parse_ground(ground)
    filters = SearchFilters(grounds=[g] if g else None, type=type or None, speaker=speaker or None,
                            date_from=start, date_to=end)
    hits = index.search(case_id, parse_query(q, aliases), filters=filters, limit=max(1, min(limit, MAX_LIMIT)))
    return [_with_precision(asdict(h)) for h in hits]


def _with_precision(hit: dict[str, Any]) -> dict[str, Any]:
    """The hit with `ts_precision` and its display `ts_label` ("2023. 12. 25." for a day-only time).

    The index keeps the time but not its precision: an index that does not say is read by the stored-time
    rule of `leh.domain.dates.precision_of` (exactly midnight is a day).
    """
    precision = hit.get("ts_precision") or precision_of(hit.get("ts"))
    hit["ts_precision"] = precision
    hit["ts_label"] = format_ts(hit.get("ts"), precision)
    return hit
