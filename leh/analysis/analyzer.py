"""The analyze stage: labels, summary, insights, speakers, evidence time and timeline for one evidence.

`analyze_document` is what the worker calls. Offline (the default) it runs the lexicon model of
`leh.analysis.labels`; given an engine (the OpenAI adapter, chosen by `leh.container`) it asks the engine,
which falls back to the offline result on any failure. The result is a dict of top-level fields merged into the evidence document.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from leh.analysis.attribution import hit_doc
from leh.analysis.labels import Hit, find_hits, kept_hits, labels_from_hits
from leh.analysis.summary import insights_of, summarize
from leh.analysis.timeline import timeline_events
from leh.domain.dates import precision_of
from leh.domain.documents import DerivedDoc, EvidenceDoc, SegmentDoc
from leh.ports import AnalysisContext, AnalysisEngine

OFFLINE_ENGINE: Final = "offline-lexicon-1"


def speakers_of(segments: Sequence[SegmentDoc]) -> list[str]:
    """Distinct speakers in order of first appearance (system lines do not count)."""
    seen: dict[str, None] = {}
    for seg in segments:
        if (speaker := seg.get("speaker")) and seg.get("kind", "speech") == "speech":
            seen.setdefault(speaker, None)
    return list(seen)


def evidence_time(segments: Sequence[SegmentDoc], event_time: str | None) -> str | None:
    """When the evidence happened: the parser's own answer (EXIF, container), else the earliest segment time."""
    if event_time:
        return event_time
    times = sorted(ts for s in segments if (ts := s.get("ts")))
    return times[0] if times else None


def evidence_time_fields(segments: Sequence[SegmentDoc], when: str | None, parser_time: str | None,
                         parser_precision: str | None) -> DerivedDoc:
    """`event_time_precision` (and `event_time_part_of_day`) of the evidence time `when`: the parser's when it
    is the parser's time, else that of the segment it was taken from, else read from the time itself."""
    if not when:
        return {"event_time_precision": None}
    source = next((s for s in segments if s.get("ts") == when and s.get("ts_precision")), None)
    if when == parser_time and parser_precision:
        precision = parser_precision
    elif source is not None:
        precision = str(source["ts_precision"])
    else:
        precision = precision_of(when) or "minute"
    out: DerivedDoc = {"event_time_precision": precision}
    if precision == "day" and source is not None and source.get("ts_part_of_day"):
        out["event_time_part_of_day"] = source["ts_part_of_day"]
    return out


def assemble(segments: list[SegmentDoc], hits: list[Hit], *, event_time: str | None, engine: str,
             kept: list[Hit] | None = None, descriptions: dict[int, str] | None = None) -> DerivedDoc:
    """The analysis fields of the evidence document from the label hits, whichever engine found them.

    `kept` are the hits strong enough for summary, insights and timeline (default: the lexicon's own cut).
    """
    speakers = speakers_of(segments)
    when = evidence_time(segments, event_time)
    kept = kept_hits(hits) if kept is None else kept
    summary, overview = summarize(segments, kept, speakers, when, descriptions=descriptions)
    return {
        "labels": labels_from_hits(hits),
        "summary": summary,
        "insights": insights_of(segments, kept),
        "speakers": speakers,
        "event_time": when,
        "timeline": timeline_events(segments, kept, when, overview, descriptions=descriptions),
        "analysis": {"engine": engine},
        # The hits themselves, so labels and timeline can be re-derived (speaker map, corrections) without them.
        "hits": [hit_doc(h, (descriptions or {}).get(h.seq)) for h in hits if h.weight > 0],
    }


def analyze_offline(segments: list[SegmentDoc], *, event_time: str | None) -> DerivedDoc:
    """The lexicon model's analysis: no network, deterministic for the same segments."""
    return assemble(segments, find_hits(segments), event_time=event_time, engine=OFFLINE_ENGINE)


def analyze_document(segments: list[SegmentDoc], *, event_time: str | None,
                     engine: AnalysisEngine | None = None, context: AnalysisContext | None = None) -> DerivedDoc:
    """Analysis fields for the evidence document; `engine=None` is the offline model."""
    if engine is None:
        return analyze_offline(segments, event_time=event_time)
    return engine.analyze(segments, event_time=event_time, context=context or AnalysisContext())


def context_of(doc: EvidenceDoc) -> AnalysisContext:
    """The usage context of one evidence document: its case, itself and its uploader."""
    return AnalysisContext(case_id=doc.get("case_id"), evidence_id=doc.get("evidence_id"), user_id=doc.get("uploaded_by"))
