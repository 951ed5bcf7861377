"""Who is who (DESIGN.md section 7): a case's parties, an evidence's speaker → party map, the unfavourable evidence."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Request
from starlette.responses import Response

from leh.api.deps import AuditDep, CurrentUser, DbDep, EvidenceDep, IndexDep, PageDep
from leh.api.responses import ERROR_RESPONSES, Envelope, ok
from leh.domain.audit_actions import AuditAction
from leh.domain.documents import PublicEvidenceDoc, RiskDoc
from leh.domain.paging import cut
from leh.domain.parties import PartiesDoc
from leh.services import evidence as evidence_svc
from leh.services import parties as svc

router = APIRouter(tags=["parties"], responses=ERROR_RESPONSES)

_PARTIES_EXAMPLE = {"client": {"name": "이지은", "aliases": ["지은", "아내"]},
                    "opponent": {"name": "김준호", "aliases": ["준호", "남편"]},
                    "children": [{"name": "김하늘", "birth_year": 2016}], "client_side": "plaintiff"}


@router.get("/api/cases/{case_id}/parties", response_model=Envelope[PartiesDoc])
def get_parties(case_id: str, request: Request, db: DbDep, user: CurrentUser) -> Response:
    return ok(request, svc.get_parties(db, user, case_id).to_dict())


@router.put("/api/cases/{case_id}/parties", response_model=Envelope[PartiesDoc])
def put_parties(case_id: str, request: Request, evidence: EvidenceDep, index: IndexDep, db: DbDep, user: CurrentUser,
                audit: AuditDep, body: dict[str, Any] = Body(..., examples=[_PARTIES_EXAMPLE])) -> Response:
    parties, changed = svc.put_parties(db, user, case_id, body)
    db.commit()
    audit(AuditAction.CASE_PARTIES_UPDATE, object_type="case", object_id=case_id,
          detail={"changed": changed, "children": len(parties.children)})
    if changed:
        svc.rederive_after_parties(evidence, index, parties, case_id)
    return ok(request, parties.to_dict())


@router.put("/api/evidence/{evidence_id}/speakers", response_model=Envelope[PublicEvidenceDoc])
def put_speakers(evidence_id: str, request: Request, evidence: EvidenceDep, index: IndexDep, db: DbDep,
                 user: CurrentUser, audit: AuditDep,
                 body: dict[str, Any] = Body(..., examples=[{"김준호": "opponent", "나": "client"}])) -> Response:
    doc, counts = svc.set_speakers(db, evidence, index, user, evidence_id, body)
    audit(AuditAction.EVIDENCE_SPEAKERS_UPDATE, object_type="evidence", object_id=evidence_id,
          detail={"case_id": doc["case_id"], "parties": counts})
    return ok(request, evidence_svc.public_doc(doc))


@router.get("/api/cases/{case_id}/risks", response_model=Envelope[list[RiskDoc]])
def get_risks(case_id: str, request: Request, evidence: EvidenceDep, db: DbDep, user: CurrentUser,
              audit: AuditDep, page: PageDep) -> Response:
    risks, info = cut(svc.get_risks(db, evidence, user, case_id), page)
    audit(AuditAction.CASE_RISKS_VIEW, object_type="case", object_id=case_id, detail={"risks": info["total"]})
    return ok(request, risks, page=info)
