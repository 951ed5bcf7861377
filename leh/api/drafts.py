"""Draft preview (소장, 반소장 or 답변서 초안), its version history and the .docx export (DESIGN.md section 7)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from leh.adapters.docx_export import DOCX_MEDIA_TYPE
from leh.analysis.draft_writer import Claims
from leh.api.deps import AuditDep, CurrentUser, DbDep, DocxRendererDep, DraftWriterDep, EvidenceDep, UsageDep
from leh.api.responses import ERROR_RESPONSES, Envelope, ok
from leh.api.schemas import DraftVersion
from leh.domain.audit_actions import AuditAction
from leh.domain.documents import DraftDoc
from leh.services import drafts as svc

router = APIRouter(tags=["drafts"], responses=ERROR_RESPONSES)
_DOCX_DOC: dict[int | str, dict[str, Any]] = {200: {"description": "The draft as a Word document", "content": {
    DOCX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}}}


class ClaimsIn(BaseModel):
    """The claims the lawyer ticks besides divorce; amounts are left blank in the draft."""

    model_config = ConfigDict(extra="forbid")
    alimony: bool = False
    property_division: bool = False
    custody: bool = False
    child_support: bool = False


_KIND_DOC = ("complaint (소장; a plaintiff client's default), counterclaim (반소장; a defendant client's default) or "
             "answer (답변서; a defendant client only). A kind the client's side does not allow is a 400.")


class DraftIn(BaseModel):
    claims: ClaimsIn = Field(default_factory=ClaimsIn)
    kind: str | None = Field(default=None, description=_KIND_DOC, examples=["answer"])


@router.post("/api/cases/{case_id}/draft-preview", status_code=201, response_model=Envelope[DraftDoc])
def create_draft(case_id: str, request: Request, evidence: EvidenceDep, usage: UsageDep, writer: DraftWriterDep, db: DbDep,
                 user: CurrentUser, audit: AuditDep, body: DraftIn | None = None) -> JSONResponse:
    given = body or DraftIn()
    draft = svc.generate(db, evidence, usage, writer, user, case_id, Claims(**given.claims.model_dump()), given.kind)
    db.commit()
    engine = draft.get("engine") or {}
    audit(AuditAction.DRAFT_GENERATE, object_type="case", object_id=case_id,
          detail={"draft_id": draft["draft_id"], "kind": draft["kind"], "evidence": len(draft["evidence_ids"]),
                  "exhibits": len(draft["exhibits"]), "engine": engine.get("name"),
                  "dropped_sentences": engine.get("dropped_sentences", 0)})
    return ok(request, draft, 201)


@router.get("/api/cases/{case_id}/draft-preview", response_model=Envelope[DraftDoc])
def latest_draft(case_id: str, request: Request, evidence: EvidenceDep, db: DbDep, user: CurrentUser,
                 audit: AuditDep, kind: str | None = Query(None, description="the latest draft of this kind: " + _KIND_DOC)
                 ) -> JSONResponse:
    draft = svc.get(db, evidence, user, case_id, kind=kind)
    audit(AuditAction.DRAFT_VIEW, object_type="case", object_id=case_id, detail={"draft_id": draft["draft_id"]})
    return ok(request, draft)


@router.get("/api/cases/{case_id}/drafts", response_model=Envelope[list[DraftVersion]])
def draft_history(case_id: str, request: Request, db: DbDep, user: CurrentUser) -> JSONResponse:
    return ok(request, svc.history(db, user, case_id))


@router.get("/api/cases/{case_id}/drafts/{draft_id}", response_model=Envelope[DraftDoc])
def one_draft(case_id: str, draft_id: str, request: Request, evidence: EvidenceDep, db: DbDep, user: CurrentUser,
              audit: AuditDep) -> JSONResponse:
    draft = svc.get(db, evidence, user, case_id, draft_id)
    audit(AuditAction.DRAFT_VIEW, object_type="case", object_id=case_id, detail={"draft_id": draft_id})
    return ok(request, draft)


@router.get("/api/cases/{case_id}/draft-export", response_class=Response, responses=_DOCX_DOC)
def export_draft(case_id: str, request: Request, evidence: EvidenceDep, render: DocxRendererDep, db: DbDep,
                 user: CurrentUser, audit: AuditDep, draft_id: str | None = None,
                 kind: str | None = Query(None, description="without draft_id, the latest draft of this kind: " + _KIND_DOC)
                 ) -> Response:
    data, draft = svc.export_docx(db, evidence, render, user, case_id, draft_id, kind)
    audit(AuditAction.DRAFT_EXPORT, object_type="case", object_id=case_id, detail={"draft_id": draft["draft_id"]})
    disposition = svc.download_disposition(draft, datetime.now(UTC).strftime("%Y%m%d"))
    return Response(content=data, media_type=DOCX_MEDIA_TYPE, headers={"Content-Disposition": disposition})
