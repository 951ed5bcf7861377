"""The analyze stage: labels, summary, insights, speakers, evidence time and timeline for one evidence.

`analyze_document` is what the worker calls. Offline (the default) it runs the lexicon model of
`leh.analysis.labels`; given an engine (the OpenAI adapter, chosen by `leh.container`) it asks the engine,
which falls back to the offline result on any failure. The result is a dict of top-level fields merged into the evidence document.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from leh.analysis.attribution import hit_doc
from leh.analysis.chat_context import ChatContext
from leh.analysis.labels import Hit, find_hits, is_labelled, kept_hits, labels_from_hits, message_hits
from leh.analysis.morph import morphs_many
from leh.analysis.summary import insights_of, summarize
from leh.analysis.timeline import timeline_events
from leh.analysis.tokens import Indexed, indexed_from_morphs
from leh.domain.dates import precision_of
from leh.domain.documents import DerivedDoc, EvidenceDoc, SegmentDoc
from leh.domain.evidence import Stage
from leh.ports import AnalysisContext, AnalysisEngine, report_progress

OFFLINE_ENGINE: Final = "offline-lexicon-1"
# Kiwi reads this many characters per call in the bounded analysis: its morphemes (about 80 bytes a character in
# Python objects) are dropped after each batch, so memory stays flat however long the evidence is.
BATCH_CHARS: Final = 100_000


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


def _batches(segments: Sequence[SegmentDoc], limit: int) -> list[list[int]]:
    """Indexes of the segments with text, in order, grouped into runs of about `limit` characters."""
    out: list[list[int]] = []
    size = limit
    for i, seg in enumerate(segments):
        text = str(seg.get("text") or "")
        if not text.strip():
            continue
        if size >= limit:
            out.append([])
            size = 0
        out[-1].append(i)
        size += len(text)
    return out


def analyze_bounded(segments: list[SegmentDoc], *, event_time: str | None,
                    batch_chars: int = BATCH_CHARS) -> tuple[DerivedDoc, list[Indexed]]:
    """`analyze_offline` plus every segment's search tokens (`leh.analysis.tokens`), in one pass of Kiwi over
    batches of segments: time grows with the text's length, memory with the batch, and progress is reported
    (`report_progress`, stage "analyze") after each batch. Same result as `analyze_offline` and `index_many`."""
    hits: list[Hit] = []
    indexed = [Indexed("", "")] * len(segments)
    batches = _batches(segments, batch_chars)
    total = sum(len(str(segments[i].get("text") or "")) for batch in batches for i in batch) or 1
    done = 0
    context = ChatContext()  # keeps a few messages across batches: the same context hits as `find_hits`
    for batch in batches:
        texts = [str(segments[i].get("text") or "") for i in batch]
        for i, text, ms in zip(batch, texts, morphs_many(texts, cache=False), strict=True):
            indexed[i] = indexed_from_morphs(text, ms)
            if is_labelled(segments[i]):
                hits.extend(context.add(segments[i], ms, message_hits(int(segments[i]["seq"]), text, ms)))
            done += len(text)
        report_progress(done / total, str(Stage.ANALYZE))
    return assemble(segments, hits, event_time=event_time, engine=OFFLINE_ENGINE), indexed


def analyze_document(segments: list[SegmentDoc], *, event_time: str | None,
                     engine: AnalysisEngine | None = None, context: AnalysisContext | None = None) -> DerivedDoc:
    """Analysis fields for the evidence document; `engine=None` is the offline model."""
    if engine is None:
        return analyze_offline(segments, event_time=event_time)
    return engine.analyze(segments, event_time=event_time, context=context or AnalysisContext())


def context_of(doc: EvidenceDoc) -> AnalysisContext:
    """The usage context of one evidence document: its case, itself and its uploader."""
    return AnalysisContext(case_id=doc.get("case_id"), evidence_id=doc.get("evidence_id"), user_id=doc.get("uploaded_by"))
