"""Login, current user, logout."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from leh.api.deps import AuditDep, ContainerDep, CurrentUser, DbDep, address_hash, audit_login_failure
from leh.api.responses import ERROR_RESPONSES, Envelope, ok
from leh.api.schemas import LoggedOut, LoginResult
from leh.domain.accounts import UserPublic
from leh.domain.audit_actions import AuditAction
from leh.domain.errors import LehError
from leh.services import accounts

router = APIRouter(prefix="/api/auth", tags=["auth"], responses=ERROR_RESPONSES)


class LoginIn(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1000)


@router.post("/login", response_model=Envelope[LoginResult])
def login(body: LoginIn, request: Request, c: ContainerDep, db: DbDep, audit: AuditDep) -> Response:
    """Throttled per account and per address: 429 LOGIN_THROTTLED (with when to retry) while locked."""
    try:
        user = accounts.login(db, c.settings, body.email, body.password, address_hash(request, c))
    except LehError as exc:
        audit_login_failure(audit, body.email, exc, via="api")
        raise
    token = accounts.issue_token(user, c.settings)
    audit(AuditAction.AUTH_LOGIN, object_type="user", object_id=user.id, actor_id=user.id)
    return ok(request, {"access_token": token.access_token, "token_type": "bearer", "expires_in": token.expires_in,
                        "user": accounts.user_public(user)})


@router.get("/me", response_model=Envelope[UserPublic])
def me(request: Request, user: CurrentUser) -> Response:
    return ok(request, accounts.user_public(user))


@router.post("/logout", response_model=Envelope[LoggedOut])
def logout(request: Request, user: CurrentUser, db: DbDep, audit: AuditDep) -> Response:
    accounts.revoke_token(db, request.state.claims)
    audit(AuditAction.AUTH_LOGOUT, object_type="user", object_id=user.id)
    return ok(request, {"logged_out": True})
