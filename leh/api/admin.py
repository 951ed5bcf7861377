"""Operator API (runbook scenarios A–C): users, blocking, DLQ and redrive, reprocess, audit log."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from leh.api.deps import AdminUser, AuditDep, DbDep, EvidenceDep, IndexDep, PageDep, QueueDep, SettingsDep
from leh.api.responses import ERROR_RESPONSES, Envelope, ok
from leh.api.schemas import AuditRow, BlockedUser, DeadLetters, Redriven, Reprocessed, UnblockedUser, UnlockedUser
from leh.domain.accounts import UserPublic, UserRole
from leh.domain.audit_actions import AuditAction
from leh.domain.errors import Conflict
from leh.domain.paging import PageRequest, cut, info
from leh.services import accounts, admin, audit, login_throttle

router = APIRouter(prefix="/api/admin", tags=["admin"], responses=ERROR_RESPONSES)


class UserIn(BaseModel):
    email: str = Field(max_length=320)
    name: str = Field(default="", max_length=200)
    password: str = Field(min_length=8, max_length=1000)
    role: UserRole


class EvidenceRef(BaseModel):
    evidence_id: str


class RedriveIn(BaseModel):
    ids: list[str] | None = None


@router.get("/users", response_model=Envelope[list[UserPublic]])
def list_users(request: Request, db: DbDep, _admin: AdminUser, page: PageDep) -> Response:
    users, info = cut(accounts.list_users(db), page)
    return ok(request, [accounts.user_public(u) for u in users], page=info)


@router.post("/users", status_code=201, response_model=Envelope[UserPublic])
def create_user(body: UserIn, request: Request, db: DbDep, _admin: AdminUser, audit_: AuditDep) -> Response:
    user = accounts.create_user(db, email=body.email, password=body.password, role=body.role, name=body.name)
    db.commit()
    audit_(AuditAction.ADMIN_USER_CREATE, object_type="user", object_id=user.id, detail=body.model_dump())
    return ok(request, accounts.user_public(user), 201)


@router.post("/users/{user_id}/block", response_model=Envelope[BlockedUser])
def block(user_id: str, request: Request, evidence: EvidenceDep, db: DbDep, _admin: AdminUser, audit_: AuditDep) -> Response:
    user = admin.find_user(db, user_id)
    if user.id == _admin.id:
        raise Conflict("SELF_BLOCK")
    paused = admin.block_user(db, evidence, user)
    db.commit()
    audit_(AuditAction.ADMIN_USER_BLOCK, object_type="user", object_id=user.id, detail={"paused": paused})
    return ok(request, {**accounts.user_public(user), "paused_evidence": paused})


@router.post("/users/{user_id}/unblock", response_model=Envelope[UnblockedUser])
def unblock(user_id: str, request: Request, evidence: EvidenceDep, index: IndexDep, queue: QueueDep, db: DbDep,
            _admin: AdminUser, audit_: AuditDep) -> Response:
    user = admin.find_user(db, user_id)
    resumed = admin.unblock_user(db, evidence, index, queue, user)
    db.commit()
    audit_(AuditAction.ADMIN_USER_UNBLOCK, object_type="user", object_id=user.id, detail={"resumed": resumed})
    return ok(request, {**accounts.user_public(user), "resumed_evidence": resumed})


@router.post("/users/{user_id}/unlock", response_model=Envelope[UnlockedUser])
def unlock(user_id: str, request: Request, settings: SettingsDep, db: DbDep, _admin: AdminUser, audit_: AuditDep) -> Response:
    """Lift a login lock (too many failed logins) before it runs out."""
    user = admin.find_user(db, user_id)
    was_locked = login_throttle.unlock(db, settings, user.email)
    db.commit()
    audit_(AuditAction.ADMIN_USER_UNLOCK, object_type="user", object_id=user.id, detail={"was_locked": was_locked})
    return ok(request, {**accounts.user_public(user), "was_locked": was_locked})


@router.get("/dlq", response_model=Envelope[DeadLetters])
def dlq(request: Request, evidence: EvidenceDep, queue: QueueDep, _admin: AdminUser,
        limit: int = Query(100, ge=1, le=1000)) -> Response:
    return ok(request, {"depth": queue.depth(), "messages": admin.dlq_items(evidence, queue, limit)})


@router.post("/dlq/redrive", response_model=Envelope[Redriven])
def redrive(request: Request, evidence: EvidenceDep, queue: QueueDep, _admin: AdminUser, audit_: AuditDep,
            body: RedriveIn | None = None) -> Response:
    n = admin.redrive(evidence, queue, body.ids if body else None)
    audit_(AuditAction.ADMIN_DLQ_REDRIVE, object_type="queue", detail={"redriven": n})
    return ok(request, {"redriven": n})


@router.post("/reprocess-evidence", response_model=Envelope[Reprocessed])
def reprocess(body: EvidenceRef, request: Request, evidence: EvidenceDep, index: IndexDep, queue: QueueDep, _admin: AdminUser,
              audit_: AuditDep) -> Response:
    doc = admin.reprocess(evidence, index, queue, body.evidence_id)
    audit_(AuditAction.ADMIN_REPROCESS, object_type="evidence", object_id=body.evidence_id)
    return ok(request, {"evidence_id": doc["evidence_id"], "status": doc["status"]})


@router.get("/audit", response_model=Envelope[list[AuditRow]])
def audit_log(request: Request, db: DbDep, _admin: AdminUser, action: str | None = None, actor_id: str | None = None,
              object_id: str | None = None, limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)) -> Response:
    rows, total = audit.list_page(db, action=action, actor_id=actor_id, object_id=object_id, offset=offset, limit=limit)
    return ok(request, rows, page=info(PageRequest(offset, limit), total))
