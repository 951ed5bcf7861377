"""Typed FastAPI dependencies: the container, a DB session per request, the current user, role guards, audit."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session

from leh.config import Settings
from leh.container import Container
from leh.domain.accounts import UserRole
from leh.domain.audit_actions import AuditAction
from leh.domain.errors import Forbidden, Unauthorized
from leh.domain.paging import PageRequest, page_request
from leh.models import User
from leh.ports import (
    Answerer,
    DocxRenderer,
    DraftWriter,
    EvidenceStore,
    ObjectStore,
    Queue,
    SearchIndex,
    UsageRecorder,
)
from leh.services import accounts, audit

SESSION_COOKIE = "leh_session"
CSRF_COOKIE = "leh_csrf"
CSRF_HEADER = "x-csrf-token"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def get_container(request: Request) -> Container:
    return request.app.state.container  # type: ignore[no-any-return]


ContainerDep = Annotated[Container, Depends(get_container)]


# The ports a route hands to its service, each from the container (services never see the container).
def _settings(c: ContainerDep) -> Settings:
    return c.settings


def _objects(c: ContainerDep) -> ObjectStore:
    return c.objects


def _evidence(c: ContainerDep) -> EvidenceStore:
    return c.evidence


def _queue(c: ContainerDep) -> Queue:
    return c.queue


def _index(c: ContainerDep) -> SearchIndex:
    return c.index


def _usage(c: ContainerDep) -> UsageRecorder:
    return c.usage


def _answerer(c: ContainerDep) -> Answerer | None:
    return c.answerer


def _draft_writer(c: ContainerDep) -> DraftWriter | None:
    return c.draft_writer


def _docx_renderer(c: ContainerDep) -> DocxRenderer:
    return c.docx_renderer


SettingsDep = Annotated[Settings, Depends(_settings)]


def _page(settings: SettingsDep,
          offset: Annotated[int | None, Query(description="first item of the page (from 0); `meta.page.next` of the "
                                                          "previous page")] = None,
          limit: Annotated[int | None, Query(description="items per page (default LEH_PAGE_LIMIT_DEFAULT; above "
                                                         "LEH_PAGE_LIMIT_MAX: 400 PAGE_LIMIT_TOO_LARGE)")] = None,
          ) -> PageRequest:
    return page_request(offset, limit, default=settings.page_limit_default, maximum=settings.page_limit_max)


def _segments_page(settings: SettingsDep,
                   offset: Annotated[int | None, Query(description="first segment of the page (from 0); "
                                                                   "`segments_next` of the previous page")] = None,
                   limit: Annotated[int | None, Query(description="segments per page (default LEH_SEGMENTS_PAGE_DEFAULT; "
                                                                  "above LEH_SEGMENTS_PAGE_MAX: 400 "
                                                                  "PAGE_LIMIT_TOO_LARGE)")] = None,
                   ) -> PageRequest:
    return page_request(offset, limit, default=settings.segments_page_default, maximum=settings.segments_page_max)


# The page a list route answers (`offset`, `limit`), checked against the settings' maximum.
PageDep = Annotated[PageRequest, Depends(_page)]
# The page of segments an evidence detail answers.
SegmentsPageDep = Annotated[PageRequest, Depends(_segments_page)]
ObjectsDep = Annotated[ObjectStore, Depends(_objects)]
EvidenceDep = Annotated[EvidenceStore, Depends(_evidence)]
QueueDep = Annotated[Queue, Depends(_queue)]
IndexDep = Annotated[SearchIndex, Depends(_index)]
UsageDep = Annotated[UsageRecorder, Depends(_usage)]
AnswererDep = Annotated[Answerer | None, Depends(_answerer)]
DraftWriterDep = Annotated[DraftWriter | None, Depends(_draft_writer)]
DocxRendererDep = Annotated[DocxRenderer, Depends(_docx_renderer)]


def get_db(request: Request, c: ContainerDep) -> Iterator[Session]:
    with c.sessions() as db:
        request.state.db = db
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise


DbDep = Annotated[Session, Depends(get_db)]


def token_from(request: Request) -> tuple[str | None, bool]:
    """(token, from_cookie). Bearer header first; the web UI's HttpOnly cookie second."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip(), False
    cookie = request.cookies.get(SESSION_COOKIE)
    return (cookie, True) if cookie else (None, False)


def session_csrf(request: Request) -> str | None:
    """The CSRF token bound to the request's session cookie (an HMAC of the session token's id), or None without a
    valid session. A token planted by someone else (cookie injection) never matches another session."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    settings = get_container(request).settings
    try:
        jti = str(accounts.decode_token(token, settings).get("jti"))
    except Unauthorized:
        return None
    return csrf_for_session(settings, jti)


def csrf_for_session(settings: Settings, jti: str) -> str:
    return hmac.new(settings.resolved_secret_key().encode(), b"csrf|" + jti.encode(), hashlib.sha256).hexdigest()


def csrf_ok(request: Request, sent: str) -> bool:
    """Double submit, bound to the session: the cookie equals what was sent and, with a session, is its token."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not sent or not hmac.compare_digest(cookie, sent):
        return False
    bound = session_csrf(request)
    return bound is None or hmac.compare_digest(bound, cookie)


def check_csrf(request: Request) -> None:
    """Cookie-authenticated writes must echo the session's CSRF cookie in a header or form field (double submit)."""
    if not csrf_ok(request, request.headers.get(CSRF_HEADER, "")):
        raise Forbidden("CSRF_FAILED", "보안 토큰이 맞지 않습니다. 페이지를 새로고침한 뒤 다시 시도해주세요.")


def get_current_user(request: Request, c: ContainerDep, db: DbDep) -> User:
    token, from_cookie = token_from(request)
    if not token:
        raise Unauthorized()
    user, claims = accounts.user_for_token(db, token, c.settings)
    if from_cookie and request.method in _UNSAFE:
        check_csrf(request)
    request.state.user = user
    request.state.claims = claims
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_admin(user: CurrentUser) -> User:
    if user.role != UserRole.ADMIN:
        raise Forbidden()
    return user


AdminUser = Annotated[User, Depends(require_admin)]


def require_staff_or_admin(user: CurrentUser) -> User:
    if user.role not in (UserRole.ADMIN, UserRole.STAFF, UserRole.LAWYER):
        raise Forbidden()
    return user


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


class Auditor:
    """Writes audit rows for the current request (actor, hashed IP)."""

    def __init__(self, request: Request, c: Container):
        self.request, self.c = request, c

    def __call__(self, action: str, *, object_type: str | None = None, object_id: str | None = None,
                 detail: dict[str, Any] | None = None, actor_id: str | None = None) -> None:
        user = getattr(self.request.state, "user", None)
        db = getattr(self.request.state, "db", None)
        if db is not None:
            # The audit row is written in its own transaction; on SQLite a write still open in the request's
            # session would block it, so what the request did is committed first (it is being audited as done).
            db.commit()
        audit.record(self.c.sessions, action=action, actor_id=actor_id or (user.id if user else None),
                     object_type=object_type, object_id=object_id,
                     ip_hash=audit.hash_ip(client_ip(self.request), self.c.settings.resolved_secret_key()),
                     detail={"request_id": getattr(self.request.state, "request_id", None), **(detail or {})})


def address_hash(request: Request, c: Container) -> str | None:
    """The keyed hash of the client address (what login throttling and audit rows keep of it)."""
    return audit.hash_ip(client_ip(request), c.settings.resolved_secret_key())


def audit_login_failure(auditor: Auditor, identifier: str, exc: Exception, *, via: str) -> None:
    """A failed or throttled login, and the lock it set. The identifier typed is masked unless it is an e-mail
    address (a password typed into the e-mail field must never be stored; leh.analysis.masking)."""
    code = getattr(exc, "code", "INTERNAL_ERROR")
    if code == "LOGIN_THROTTLED":
        return  # refused before the password was checked; the lock itself was audited when it was set
    auditor(AuditAction.AUTH_LOGIN_FAILED, object_type="user", detail={"email": identifier, "code": code, "via": via})
    if getattr(exc, "locked", False):
        auditor(AuditAction.AUTH_LOGIN_THROTTLED, object_type="user",
                detail={"email": identifier, "via": via, "reason": "too_many_failures"})


def get_auditor(request: Request, c: ContainerDep) -> Auditor:
    return Auditor(request, c)


AuditDep = Annotated[Auditor, Depends(get_auditor)]
