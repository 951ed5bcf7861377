"""Lawyer corrections of one evidence: accept, reject or add labels, and correct an OCR or speech line.

Corrections are stored on the evidence document (`label_corrections`, `segment_corrections`), which reprocessing
keeps; the processor re-applies them after parsing and analysis. Each correction here re-derives the evidence's
labels, summary, insights and timeline at once (no re-parse) and re-indexes it, so timeline, search filters,
answers and the draft see it immediately.

Which lines can be corrected: only text a recognition engine produced — OCR of photos and scanned PDF pages, and
speech recognition of recordings. A KakaoTalk export, a .txt, a Word file or a PDF's own text layer is the
exhibit itself, byte for byte: changing its words would make LEH quote something the exhibit does not say. A typo
in a photographed chat screenshot is OCR, so it can be corrected.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Final, cast

from sqlalchemy.orm import Session

from leh.analysis.corrections import apply_label_corrections, rederived, relabel_segment
from leh.analysis.labels import label_segments
from leh.domain.documents import EvidenceDoc, LabelCorrectionDoc, LabelDoc, SegmentCorrectionDoc, SegmentDoc
from leh.domain.errors import Conflict, ValidationFailed
from leh.domain.evidence import EvidenceStatus, now_iso
from leh.domain.grounds import ground, is_ground
from leh.models import User
from leh.ports import EvidenceStore, SearchIndex
from leh.services import parties as case_parties
from leh.services.evidence import get_evidence_for, index_if_counted
from leh.services.rederive import derive

log = logging.getLogger("leh.corrections")

MAX_TEXT_CHARS: Final = 5000
MAX_ITEMS: Final = 200
# Evidence types whose every line is an engine's reading of a picture or a sound.
RECOGNISED_TYPES: Final = frozenset({"image", "audio", "video"})


def correctable(doc: EvidenceDoc, seg: SegmentDoc) -> bool:
    """An OCR line (photo, or a scanned PDF page: its ref carries the OCR confidence) or a stretch of speech."""
    if seg.get("kind") == "system":
        return False
    ref = seg.get("ref") or {}
    return doc.get("type") in RECOGNISED_TYPES or "conf" in ref or "start_s" in ref


def _checked(doc: EvidenceDoc, items: Sequence[dict[str, Any]], op: str) -> list[dict[str, Any]]:
    """The correction entries for `items`, or a 400 with a code and Korean message for the first bad one."""
    seqs = {int(s["seq"]) for s in doc.get("segments") or []}
    out = []
    for item in items:
        gid = str(item.get("ground") or "").strip()
        if not is_ground(gid):
            raise ValidationFailed("LABEL_GROUND_UNKNOWN")
        wanted = sorted({int(s) for s in item.get("segments") or []})
        if not wanted:
            raise ValidationFailed("LABEL_SEGMENTS_REQUIRED")
        if any(s not in seqs for s in wanted):
            raise ValidationFailed("SEGMENT_OUT_OF_RANGE")
        entry: dict[str, Any] = {"op": op, "ground": gid, "segments": wanted}
        tag = item.get("tag")
        if op == "add" and tag:
            if tag not in ground(gid).tags:
                raise ValidationFailed("LABEL_TAG_UNKNOWN")
            entry["tag"] = tag
        out.append(entry)
    return out


def _require_done(d: EvidenceDoc) -> None:
    if d["status"] != EvidenceStatus.DONE:
        raise Conflict("EVIDENCE_NOT_PROCESSED")


def rederive(d: EvidenceDoc, engine_labels: list[LabelDoc] | None = None) -> EvidenceDoc:
    """Labels (engine labels + the correction log), summary, insights and timeline of `d` from its stored segments.

    `engine_labels` defaults to the document's labels (lawyer labels are rebuilt from the log).
    """
    base: list[LabelDoc] = d.get("labels") or [] if engine_labels is None else engine_labels
    labels = apply_label_corrections(base, d.get("label_corrections"))
    d["labels"] = labels
    d.update(cast(EvidenceDoc, rederived(d.get("segments") or [], labels, speakers=d.get("speakers") or [],
                                         event_time=d.get("event_time"))))  # cast: a DerivedDoc is part of an EvidenceDoc, but TypedDict.update takes only the same TypedDict's parts
    return d


def correct_labels(db: Session, evidence: EvidenceStore, index: SearchIndex, user: User, evidence_id: str, *,
                   add: Sequence[dict[str, Any]], remove: Sequence[dict[str, Any]]) -> EvidenceDoc:
    """Append the lawyer's label corrections (owner/member only) and re-derive the evidence from them."""
    doc = get_evidence_for(db, evidence, user, evidence_id, write=True)
    if not add and not remove:
        raise ValidationFailed("LABEL_CORRECTION_EMPTY")
    if len(add) + len(remove) > MAX_ITEMS:
        raise ValidationFailed(message_ko=f"한 번에 {MAX_ITEMS}개까지 수정할 수 있습니다. 나누어 요청해주세요.")
    _require_done(doc)
    at = now_iso()
    # cast: _checked gives the entries without who and when; with "by" and "at" they are LabelCorrectionDocs
    entries = cast(list[LabelCorrectionDoc], [{**e, "by": user.id, "at": at} for e in [*_checked(doc, add, "add"), *_checked(doc, remove, "remove")]])

    parties = case_parties.load(db, doc["case_id"])

    def apply(d: EvidenceDoc) -> EvidenceDoc:
        _require_done(d)
        d["label_corrections"] = [*(d.get("label_corrections") or []), *entries]
        d = rederive(d)
        if "hits" in d:
            # Who did what, for the lawyer's labels too: actor, favours and a timeline that names the actor.
            d.update(cast(EvidenceDoc, derive(d, parties)))  # cast: a DerivedDoc is part of an EvidenceDoc, but TypedDict.update takes only the same TypedDict's parts
        return d

    doc = evidence.mutate(evidence_id, apply)
    index_if_counted(evidence, index, doc)
    log.info("labels corrected", extra={"evidence_id": evidence_id, "case_id": doc["case_id"], "items": len(entries)})
    return doc


def correct_segment(db: Session, evidence: EvidenceStore, index: SearchIndex, user: User, evidence_id: str,
                    seq: int, text: str) -> EvidenceDoc:
    """Correct one OCR or speech line: the original stays beside it; labels, timeline and index are re-derived.

    The line's engine labels are found again in the corrected words with the offline labeller.
    """
    doc = get_evidence_for(db, evidence, user, evidence_id, write=True)
    text = (text or "").strip()
    if not text or len(text) > MAX_TEXT_CHARS:
        raise ValidationFailed("SEGMENT_TEXT_INVALID")
    _require_done(doc)
    seg = next((s for s in doc.get("segments") or [] if int(s["seq"]) == seq), None)
    if seg is None:
        raise ValidationFailed("SEGMENT_OUT_OF_RANGE")
    if not correctable(doc, seg):
        raise ValidationFailed("SEGMENT_NOT_CORRECTABLE")
    at = now_iso()
    found = label_segments([{**seg, "text": text}])

    def apply(d: EvidenceDoc) -> EvidenceDoc:
        _require_done(d)
        target = next((s for s in d.get("segments") or [] if int(s["seq"]) == seq), None)
        if target is None:
            raise ValidationFailed("SEGMENT_OUT_OF_RANGE")
        original = target.get("original_text", target["text"])
        entry: SegmentCorrectionDoc = {"seq": seq, "original_text": original, "text": text, "by": user.id, "at": at}
        d["segment_corrections"] = [*(c for c in d.get("segment_corrections") or [] if int(c["seq"]) != seq), entry]
        target.update({"text": text, "original_text": original, "corrected_by": user.id, "corrected_at": at})
        return rederive(d, relabel_segment(d.get("labels") or [], seq, found))

    doc = evidence.mutate(evidence_id, apply)
    index_if_counted(evidence, index, doc)
    log.info("segment corrected", extra={"evidence_id": evidence_id, "case_id": doc["case_id"], "seq": seq})
    return doc
