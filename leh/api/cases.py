"""Cases and members (DESIGN.md section 7)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from leh.api.deps import AuditDep, ContainerDep, CurrentUser, DbDep, IndexDep, PageDep
from leh.api.responses import ERROR_RESPONSES, Envelope, ok
from leh.container import Container
from leh.domain.audit_actions import AuditAction
from leh.domain.cases import CaseDetail, CaseMemberDoc, CaseSummary, MemberRole
from leh.domain.paging import cut
from leh.domain.parties import Parties, changed_fields, parse_parties
from leh.models import Case
from leh.services import cases as svc
from leh.services import parties as parties_svc

router = APIRouter(prefix="/api/cases", tags=["cases"], responses=ERROR_RESPONSES)


class CaseIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=10_000)
    # As PUT /api/cases/{id}/parties: {"client": {"name", "aliases"}, "opponent": {…}, "children", "client_side"}
    parties: dict[str, Any] | None = None


class CasePatch(BaseModel):
    title: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=10_000)


class MemberIn(BaseModel):
    email: str
    role: MemberRole = MemberRole.MEMBER


def _with_counts(c: Container, case: Case) -> dict[str, Any]:
    counts = c.evidence.count_by_status(case.id)
    counts.pop("deleted", None)
    return {**svc.case_public(case), "evidence_count": sum(counts.values()), "status_counts": counts}


@router.get("", response_model=Envelope[list[CaseSummary]])
def list_cases(request: Request, c: ContainerDep, db: DbDep, user: CurrentUser, page: PageDep,
               status: str = Query("active", pattern="^(active|closed|all)$"), q: str | None = None) -> Response:
    shown, info = cut(svc.list_cases(db, user, status=status, q=q), page)  # evidence counted for the page only
    return ok(request, [_with_counts(c, case) for case in shown], page=info)


@router.post("", status_code=201, response_model=Envelope[CaseSummary])
def create_case(body: CaseIn, request: Request, c: ContainerDep, db: DbDep, user: CurrentUser, audit: AuditDep) -> Response:
    parties = parse_parties(body.parties) if body.parties is not None else None  # 400 before anything is created
    case = svc.create_case(db, user, title=body.title, description=body.description)
    if parties is not None:
        parties_svc.store(db, case.id, parties)
    db.commit()
    audit(AuditAction.CASE_CREATE, object_type="case", object_id=case.id,
          detail={"title": case.title, **({"parties": changed_fields(Parties(), parties)} if parties else {})})
    return ok(request, _with_counts(c, case), 201)


@router.get("/{case_id}", response_model=Envelope[CaseDetail])
def get_case(case_id: str, request: Request, c: ContainerDep, db: DbDep, user: CurrentUser, audit: AuditDep) -> Response:
    case = svc.require_case(db, user, case_id)
    audit(AuditAction.CASE_VIEW, object_type="case", object_id=case.id)
    return ok(request, {**_with_counts(c, case), "members": svc.list_members(db, user, case_id)})


@router.patch("/{case_id}", response_model=Envelope[CaseSummary])
def patch_case(case_id: str, body: CasePatch, request: Request, c: ContainerDep, db: DbDep, user: CurrentUser,
               audit: AuditDep) -> Response:
    case = svc.update_case(db, user, case_id, title=body.title, description=body.description)
    db.commit()
    audit(AuditAction.CASE_UPDATE, object_type="case", object_id=case.id, detail=body.model_dump(exclude_none=True))
    return ok(request, _with_counts(c, case))


@router.delete("/{case_id}", response_model=Envelope[CaseSummary])
def close_case(case_id: str, request: Request, c: ContainerDep, db: DbDep, index: IndexDep, user: CurrentUser,
               audit: AuditDep) -> Response:
    case = svc.close_case(db, index, user, case_id)  # a closed case leaves the search index
    audit(AuditAction.CASE_CLOSE, object_type="case", object_id=case.id)
    return ok(request, _with_counts(c, case))


@router.get("/{case_id}/members", response_model=Envelope[list[CaseMemberDoc]])
def list_members(case_id: str, request: Request, db: DbDep, user: CurrentUser, page: PageDep) -> Response:
    members, info = cut(svc.list_members(db, user, case_id), page)
    return ok(request, members, page=info)


@router.post("/{case_id}/members", status_code=201, response_model=Envelope[list[CaseMemberDoc]])
def add_member(case_id: str, body: MemberIn, request: Request, db: DbDep, user: CurrentUser, audit: AuditDep) -> Response:
    member = svc.add_member(db, user, case_id, email=body.email, role=body.role)
    db.commit()
    audit(AuditAction.CASE_MEMBER_ADD, object_type="case", object_id=case_id, detail={"user_id": member.user_id, "role": member.role})
    return ok(request, svc.list_members(db, user, case_id), 201)


@router.delete("/{case_id}/members", response_model=Envelope[list[CaseMemberDoc]])
def remove_member(case_id: str, request: Request, db: DbDep, user: CurrentUser, audit: AuditDep,
                  user_id: str = Query(...)) -> Response:
    svc.remove_member(db, user, case_id, user_id=user_id)
    db.commit()
    audit(AuditAction.CASE_MEMBER_REMOVE, object_type="case", object_id=case_id, detail={"user_id": user_id})
    # Who left the case on their own no longer sees its members.
    return ok(request, [] if user_id == user.id else svc.list_members(db, user, case_id))
