"""Per-case search (DESIGN.md section 7): validated filters over the search index, hits as API dicts.

The query is parsed here (`leh.analysis.query.parse_query`): a date in it ("3월 9일", "2024년 3월", "3월 첫째 주")
filters by date, its words match on morphemes and are widened with related words and the case parties'
names and aliases; every index adapter receives the same parsed query. A query that is a label tag ("폭언",
"협박", "외도") also finds the segments labelled with it whose words the query does not match ("신경 꺼 니가 뭔데
나를 감시해" labelled 폭언), after the word matches.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date
from typing import Any, Final

from leh.analysis.query import parse_query
from leh.domain.dates import format_ts, precision_of
from leh.domain.errors import ValidationFailed
from leh.domain.evidence import EvidenceStatus
from leh.domain.grounds import GROUND_IDS, TAG_GROUND, is_ground
from leh.ports import EvidenceStore, SearchFilters, SearchIndex
from leh.services.ask import case_passages
from leh.services.read_cache import cached

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


_DOTTED_DAY_RE: Final = re.compile(r"(\d{4})\s*[./]\s*(\d{1,2})\s*[./]\s*(\d{1,2})\s*\.?")


def parse_day(value: str | None, name: str) -> str | None:
    """`YYYY-MM-DD` (a longer ISO timestamp is cut to its date; "2023. 12. 25." is read too); 400 when it is not a
    date."""
    if not value:
        return None
    dotted = _DOTTED_DAY_RE.fullmatch(value.strip())  # "2023. 12. 25." / "2023.12.25" as Korean dates are typed
    if dotted:
        value = "{}-{:0>2}-{:0>2}".format(*dotted.groups())
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
                limit: int = 20, aliases: Mapping[str, Sequence[str]] | None = None,
                evidence: EvidenceStore | None = None) -> list[dict[str, Any]]:
    """`[{"evidence_id", "seq", "snippet", "score", "grounds", "ts", "ts_precision", "ts_label", "speaker", "type"}]`,
    best first.

    `aliases` maps a party's name to the other names the evidence uses for them ({"홍길동": ["남편", "길동씨"]});
    a query naming any of them also finds the others. With `evidence`, a query that is a label tag also finds the
    segments labelled with it (after the word matches, oldest first, score 0). The caller has already checked that
    the user may see the case.
    """
    if not q.strip():
        raise ValidationFailed(message_ko="검색어를 입력해주세요.")
    start, end = date_range(date_from, date_to)
    g = parse_ground(ground)
    filters = SearchFilters(grounds=[g] if g else None, type=type or None, speaker=speaker or None,
                            date_from=start, date_to=end)
    limit = max(1, min(limit, MAX_LIMIT))
    hits = [_with_precision(asdict(h)) for h in index.search(case_id, parse_query(q, aliases), filters=filters, limit=limit)]
    if evidence is not None and q.strip() in TAG_GROUND and len(hits) < limit:
        seen = {(h["evidence_id"], h["seq"]) for h in hits}
        extra = (h for h in tagged_segments(evidence, case_id).get(q.strip(), ())
                 if (h["evidence_id"], h["seq"]) not in seen and _passes(h, filters))
        hits += [_with_precision(dict(h)) for _, h in zip(range(limit - len(hits)), extra, strict=False)]
    if evidence is not None and any(_month_start(h.get("ts")) for h in hits):
        months = month_dated(evidence, case_id)
        for h in hits:
            if (h["evidence_id"], h["seq"]) in months:
                h["ts_precision"], h["ts_label"] = "month", format_ts(h.get("ts"), "month")
    return hits


def _month_start(ts: str | None) -> bool:
    return bool(ts) and str(ts)[8:19] == "01T00:00:00"


def month_dated(evidence: EvidenceStore, case_id: str) -> frozenset[tuple[str, int]]:
    """(evidence id, seq) of the segments dated only to a month: the index keeps their time (the 1st) but not that
    it stands for the month, so a hit on one is labelled "2024. 6.", not "2024. 6. 1."."""
    return cached(evidence, case_id, "search.months", lambda: frozenset(
        (p.evidence_id, p.seq) for p in case_passages(evidence, case_id) if p.precision == "month"))


def tagged_segments(evidence: EvidenceStore, case_id: str) -> dict[str, tuple[dict[str, Any], ...]]:
    """tag → the case's segments its labels (the lawyer's corrections included) give that tag, as search hits in
    time order; kept until the case's evidence changes (`read_cache`), so callers copy before changing one."""
    return cached(evidence, case_id, "search.tagged", lambda: _tagged(evidence, case_id))


def _tagged(evidence: EvidenceStore, case_id: str) -> dict[str, tuple[dict[str, Any], ...]]:
    rows = evidence.list_summaries(case_ids=[case_id], statuses=[EvidenceStatus.DONE], fields=["labels", "type"])
    tags: dict[tuple[str, int], set[str]] = defaultdict(set)
    grounds: dict[tuple[str, int], set[str]] = defaultdict(set)
    types = {r["evidence_id"]: r.get("type") for r in rows}
    for r in rows:
        for label in r.get("labels") or []:
            for seq in label.get("segments") or []:
                key = (r["evidence_id"], int(seq))
                if label.get("tag"):
                    tags[key].add(str(label["tag"]))
                if label.get("ground"):
                    grounds[key].add(str(label["ground"]))
    by_tag: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in case_passages(evidence, case_id):  # duplicates of one content already counted once
        key = (p.evidence_id, p.seq)
        for tag in tags.get(key, ()):
            by_tag[tag].append({"evidence_id": p.evidence_id, "seq": p.seq, "snippet": html.escape(p.text[:200]),
                                "score": 0.0, "grounds": sorted(grounds[key]), "ts": p.ts, "speaker": p.speaker,
                                "type": types.get(p.evidence_id), "ts_precision": p.precision})
    return {tag: tuple(sorted(hits, key=lambda h: (h["ts"] is None, h["ts"] or ""))) for tag, hits in by_tag.items()}


def _passes(hit: Mapping[str, Any], f: SearchFilters) -> bool:
    """The index's filters, applied to a labelled segment found outside the index."""
    ts = str(hit.get("ts") or "")[:10]
    return ((not f.grounds or bool(set(f.grounds) & set(hit["grounds"]))) and (not f.type or hit["type"] == f.type)
            and (not f.speaker or hit["speaker"] == f.speaker) and (not f.date_from or (bool(ts) and ts >= f.date_from))
            and (not f.date_to or (bool(ts) and ts <= f.date_to)))


def _with_precision(hit: dict[str, Any]) -> dict[str, Any]:
    """The hit with `ts_precision` and its display `ts_label` ("2023. 12. 25." for a day-only time).

    The index keeps the time but not its precision: an index that does not say is read by the stored-time
    rule of `leh.domain.dates.precision_of` (exactly midnight is a day).
    """
    precision = hit.get("ts_precision") or precision_of(hit.get("ts"))
    hit["ts_precision"] = precision
    hit["ts_label"] = format_ts(hit.get("ts"), precision)
    hit["snippet_text"], hit["marks"] = plain_snippet(str(hit.get("snippet") or ""))
    return hit


_MARK_RE: Final = re.compile(r"</?mark>")


def plain_snippet(snippet: str) -> tuple[str, list[list[int]]]:
    """(the snippet as plain text, the [start, end) character offsets of its highlighted words in that text) from
    the HTML `snippet` (escaped text and <mark>…</mark>): what an API client reads without unescaping entities
    (`'병신 같은 놈'`, not `&#x27;병신 같은 놈&#x27;`), and what a page escapes itself when it renders."""
    text: list[str] = []
    marks: list[list[int]] = []
    pos, length, start = 0, 0, None
    for m in _MARK_RE.finditer(snippet):
        piece = html.unescape(snippet[pos:m.start()])
        text.append(piece)
        length += len(piece)
        if m.group(0) == "<mark>":
            start = length
        elif start is not None:
            if length > start:
                marks.append([start, length])
            start = None
        pos = m.end()
    text.append(html.unescape(snippet[pos:]))
    return "".join(text), marks
