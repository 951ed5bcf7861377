"""Lawyer corrections: accept, reject or add labels on an evidence, and correct an OCR or speech line."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from leh.api.deps import AuditDep, CurrentUser, DbDep, EvidenceDep, IndexDep
from leh.api.responses import ERROR_RESPONSES, Envelope, ok
from leh.domain.audit_actions import AuditAction
from leh.domain.documents import PublicEvidenceDoc
from leh.services import corrections as svc
from leh.services.evidence import public_doc

router = APIRouter(tags=["evidence"], responses=ERROR_RESPONSES)


class LabelAddIn(BaseModel):
    ground: str = Field(max_length=20, description="840-1 … 840-6")
    segments: list[int] = Field(max_length=10_000, description="segment seq numbers")
    tag: str | None = Field(default=None, max_length=50, description="a tag of the ground; default: the engine's or the ground's first")


class LabelRemoveIn(BaseModel):
    ground: str = Field(max_length=20)
    segments: list[int] = Field(max_length=10_000)


class LabelCorrectionIn(BaseModel):
    add: list[LabelAddIn] = Field(default_factory=list, max_length=200)
    remove: list[LabelRemoveIn] = Field(default_factory=list, max_length=200)


class SegmentCorrectionIn(BaseModel):
    text: str = Field(max_length=20_000, description="the corrected line; the original stays as original_text")


@router.patch("/api/evidence/{evidence_id}/labels", response_model=Envelope[PublicEvidenceDoc])
def correct_labels(evidence_id: str, body: LabelCorrectionIn, request: Request, evidence: EvidenceDep,
                   index: IndexDep, db: DbDep, user: CurrentUser, audit: AuditDep) -> Response:
    doc = svc.correct_labels(db, evidence, index, user, evidence_id, add=[a.model_dump() for a in body.add],
                             remove=[r.model_dump() for r in body.remove])
    # Grounds and segment numbers only: never the evidence's words.
    audit(AuditAction.EVIDENCE_LABELS_CORRECT, object_type="evidence", object_id=evidence_id, detail={
        "case_id": doc["case_id"],
        "add": [{"ground": a.ground, "segments": sorted(set(a.segments))} for a in body.add],
        "remove": [{"ground": r.ground, "segments": sorted(set(r.segments))} for r in body.remove]})
    return ok(request, public_doc(doc))


@router.patch("/api/evidence/{evidence_id}/segments/{seq}", response_model=Envelope[PublicEvidenceDoc])
def correct_segment(evidence_id: str, seq: int, body: SegmentCorrectionIn, request: Request, evidence: EvidenceDep,
                    index: IndexDep, db: DbDep, user: CurrentUser, audit: AuditDep) -> Response:
    doc = svc.correct_segment(db, evidence, index, user, evidence_id, seq, body.text)
    audit(AuditAction.EVIDENCE_SEGMENT_CORRECT, object_type="evidence", object_id=evidence_id,
          detail={"case_id": doc["case_id"], "seq": seq})
    return ok(request, public_doc(doc))
