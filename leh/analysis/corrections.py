"""Lawyer corrections, the pure part: apply label corrections to the engine's labels, transcript corrections to
parsed segments, and re-derive summary, insights and timeline from the corrected labels. No I/O.

Label corrections are a log (`[{"op": "add"|"remove", "ground", "segments", "tag"?, "by", "at"}]`) applied in
order over the engine's labels, so applying it again gives the same labels (lawyer labels are dropped and rebuilt
from the log; engine removals are idempotent). Engine labels carry `source: "engine"`; added ones
`source: "lawyer"` with confidence 1.0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from leh.analysis.labels import Hit
from leh.analysis.summary import insights_of, summarize
from leh.analysis.timeline import timeline_events
from leh.domain.documents import DerivedDoc, LabelCorrectionDoc, LabelDoc, SegmentCorrectionDoc, SegmentDoc
from leh.domain.grounds import ground

SOURCE_ENGINE: Final = "engine"
SOURCE_LAWYER: Final = "lawyer"
LAWYER_CONFIDENCE: Final = 1.0
# Tags that are somebody's words when a person wrote or said the line ("홍길동이 협박성 발언을 함").
UTTERANCE_TAGS: Final = frozenset({"폭언", "협박", "모욕", "부모에 대한 폭언"})


def default_tag(labels: Sequence[Mapping[str, Any]], ground_id: str, seq: int) -> str:
    """The tag an added label gets when the lawyer names none: the engine's tag on that segment, else the ground's first."""
    for label in labels:
        if label.get("ground") == ground_id and seq in (label.get("segments") or []):
            return str(label["tag"])
    return ground(ground_id).tags[0]


def _without(label: LabelDoc, seqs: set[int]) -> LabelDoc:
    return {**label, "segments": [s for s in label.get("segments") or [] if int(s) not in seqs]}


def _add(labels: list[LabelDoc], ground_id: str, seqs: set[int], tag: str) -> list[LabelDoc]:
    """File `seqs` under (ground, tag) as the lawyer's: an engine label of that tag on them is accepted, i.e. moved."""
    out = [_without(lb, seqs) if lb["ground"] == ground_id and lb.get("tag") == tag else lb for lb in labels]
    mine = next((lb for lb in out if lb.get("source") == SOURCE_LAWYER and lb["ground"] == ground_id
                 and lb.get("tag") == tag), None)
    if mine is None:
        out.append({"ground": ground_id, "tag": tag, "confidence": LAWYER_CONFIDENCE, "segments": sorted(seqs),
                    "source": SOURCE_LAWYER})
    else:
        mine["segments"] = sorted(set(mine["segments"]) | seqs)
    return out


def apply_label_corrections(engine_labels: Iterable[LabelDoc],
                            corrections: Iterable[LabelCorrectionDoc] | None) -> list[LabelDoc]:
    """The labels after the lawyer's corrections, in ground order (engine labels first within a ground).

    `engine_labels` may already carry earlier corrections: labels with `source: "lawyer"` are dropped and rebuilt
    from the log, so `apply(apply(E, C), C) == apply(E, C)`. A removed segment disappears from every label of the
    ground (an engine label covering more segments keeps the others); a label left without segments is dropped.
    """
    labels: list[LabelDoc] = [{**lb, "segments": [int(s) for s in lb.get("segments") or []], "source": SOURCE_ENGINE}
              for lb in engine_labels if lb.get("source") != SOURCE_LAWYER]
    for c in corrections or []:
        seqs = {int(s) for s in c.get("segments") or []}
        if not seqs:
            continue
        if c.get("op") == "remove":
            labels = [_without(lb, seqs) if lb["ground"] == c["ground"] else lb for lb in labels]
        elif c.get("op") == "add":
            tag = c.get("tag") or default_tag(labels, str(c["ground"]), min(seqs))
            labels = _add(labels, str(c["ground"]), seqs, str(tag))
        labels = [lb for lb in labels if lb["segments"]]
    return sorted(labels, key=lambda lb: (lb["ground"], lb.get("source") == SOURCE_LAWYER))  # stable: engine order kept


def apply_segment_corrections(segments: Sequence[SegmentDoc],
                              corrections: Iterable[SegmentCorrectionDoc] | None) -> tuple[list[SegmentDoc], list[int]]:
    """(segments with corrected text, seqs whose correction no longer applies).

    A correction applies while the segment with its seq still reads `original_text` (the engine read the same
    thing); otherwise it waits, and its seq is returned so the lawyer can be told. The latest correction of a
    segment wins.
    """
    latest: dict[int, SegmentCorrectionDoc] = {int(c["seq"]): c for c in corrections or []}
    out: list[SegmentDoc] = []
    applied: set[int] = set()
    for seg in segments:
        s = seg.copy()
        c = latest.get(int(s["seq"]))
        if c is not None and s.get("text") == c["original_text"]:
            s.update({"text": c["text"], "original_text": c["original_text"], "corrected_by": c["by"], "corrected_at": c["at"]})
            applied.add(int(s["seq"]))
        out.append(s)
    return out, sorted(set(latest) - applied)


def hits_from_labels(labels: Iterable[Mapping[str, Any]], segments: Sequence[Mapping[str, Any]]) -> list[Hit]:
    """Label hits standing for the labels (one per label and segment), for the summary and timeline builders.

    A label keeps only its ground, tag and confidence, so a hit's mode is inferred: the utterance tags on a line
    somebody wrote or said are that person's words, everything else is reported.
    """
    by_seq = {int(s["seq"]): s for s in segments}
    hits: list[Hit] = []
    for label in labels:
        for seq in label.get("segments") or []:
            seg = by_seq.get(int(seq))
            if seg is None:
                continue
            spoken = bool(seg.get("speaker")) and seg.get("kind", "speech") == "speech"
            mode = "utterance" if spoken and label.get("tag") in UTTERANCE_TAGS else "report"
            hits.append(Hit(seq=int(seq), tag=str(label.get("tag")), ground=str(label["ground"]),
                            weight=float(label.get("confidence") or 0.0), mode=mode, start=0,
                            end=len(str(seg.get("text", ""))), rule=f"label:{label.get('source') or SOURCE_ENGINE}"))
    return hits


def rederived(segments: Sequence[SegmentDoc], labels: Sequence[Mapping[str, Any]], *,
              speakers: Sequence[str], event_time: str | None) -> DerivedDoc:
    """Summary, insights and timeline of one evidence from its (corrected) labels, with the analyzer's builders."""
    segs = [s.copy() for s in segments]
    hits = hits_from_labels(labels, segs)
    summary, overview = summarize(segs, hits, speakers, event_time)
    return {"summary": summary, "insights": insights_of(segs, hits),
            "timeline": timeline_events(segs, hits, event_time, overview)}


def corrected_analysis(segments: Sequence[SegmentDoc], derived: DerivedDoc,
                       corrections: Sequence[LabelCorrectionDoc] | None) -> DerivedDoc:
    """The analyzer's fields with the stored label corrections re-applied (what the processor writes).

    Without corrections the engine's summary and timeline stand as they are; labels are marked `source: "engine"`.
    """
    out = derived.copy()
    out["labels"] = apply_label_corrections(derived.get("labels") or [], corrections)
    if corrections:
        out.update(rederived(segments, out["labels"], speakers=list(derived.get("speakers") or []),
                             event_time=derived.get("event_time")))
    return out


def relabel_segment(labels: Sequence[LabelDoc], seq: int, found: Sequence[LabelDoc]) -> list[LabelDoc]:
    """Engine labels after one segment's text changed: the segment leaves every engine label and joins the labels
    `found` for its new text (`[{"ground", "tag", "confidence"}]`); lawyer labels are left to the correction log.
    """
    out = [_without(lb.copy(), {seq}) if lb.get("source") != SOURCE_LAWYER else lb.copy() for lb in labels]
    for f in found:
        same = next((lb for lb in out if lb.get("source") != SOURCE_LAWYER and lb.get("tag") == f["tag"]), None)
        if same is None:
            out.append({"ground": f["ground"], "tag": f["tag"], "confidence": f["confidence"], "segments": [seq],
                        "source": SOURCE_ENGINE})
        else:
            same["segments"] = sorted(set(same["segments"]) | {seq})
    return [lb for lb in out if lb["segments"]]
