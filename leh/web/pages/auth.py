"""Login and logout pages: the HttpOnly session cookie, a fresh CSRF cookie, audit rows for both."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from leh.api.deps import (
    SESSION_COOKIE,
    AuditDep,
    ContainerDep,
    DbDep,
    address_hash,
    audit_login_failure,
    csrf_for_session,
)
from leh.domain.audit_actions import AuditAction
from leh.domain.errors import ERROR_MESSAGES_KO, LehError
from leh.services import accounts
from leh.web.pages.common import CSRF_FIELD, check_csrf, redirect, render, safe_next, secure_cookies, set_csrf_cookie

router = APIRouter(include_in_schema=False)

LOGIN_FAILED = ERROR_MESSAGES_KO["INVALID_CREDENTIALS"]
_NOTICES = {"logged_out": "로그아웃되었습니다.", "expired": "로그인이 만료되었습니다. 다시 로그인해주세요.",
            "blocked": ERROR_MESSAGES_KO["USER_BLOCKED"]}


def _signed_in(request: Request, c, db) -> bool:  # type: ignore[no-untyped-def]
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return False
    try:
        accounts.user_for_token(db, token, c.settings)
    except LehError:
        return False
    return True


@router.get("/")
def home(request: Request, c: ContainerDep, db: DbDep) -> Response:
    """/ → the case list when signed in, the login page otherwise."""
    return redirect("/cases" if _signed_in(request, c, db) else "/login")


@router.get("/login")
def login_page(request: Request, c: ContainerDep, db: DbDep, next: str | None = None, notice: str | None = None) -> Response:
    """The login form; a signed-in visitor goes straight on to `next`."""
    target = safe_next(next)
    if _signed_in(request, c, db):
        return redirect(target)
    return render(request, "login.html", next=target, email="", error=None, notice=_NOTICES.get(notice or ""))


@router.post("/login")
async def login_submit(request: Request, c: ContainerDep, db: DbDep, audit: AuditDep) -> Response:
    """Check the credentials, set the session and CSRF cookies, go back to `next`."""
    form = await request.form()
    email, password = str(form.get("email") or "").strip(), str(form.get("password") or "")
    target = safe_next(str(form.get("next") or ""))
    try:
        check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    except LehError as exc:
        return render(request, "login.html", status_code=403, next=target, email=email, error=exc.message_ko, notice=None)
    try:
        user = accounts.login(db, c.settings, email, password, address_hash(request, c))
    except LehError as exc:
        audit_login_failure(audit, email, exc, via="web")
        message = exc.message_ko if exc.code == "LOGIN_THROTTLED" else LOGIN_FAILED
        return render(request, "login.html", status_code=exc.http_status, next=target, email=email, error=message,
                      notice=None)
    token = accounts.issue_token(user, c.settings)
    request.state.user = user
    audit(AuditAction.AUTH_LOGIN, object_type="user", object_id=user.id, actor_id=user.id, detail={"via": "web"})
    response = redirect(target)
    response.set_cookie(SESSION_COOKIE, token.access_token, max_age=token.expires_in, httponly=True, samesite="lax",
                        secure=secure_cookies(request), path="/")
    set_csrf_cookie(request, response, csrf_for_session(c.settings, token.jti))  # bound to this session
    return response


@router.post("/logout")
async def logout(request: Request, c: ContainerDep, db: DbDep, audit: AuditDep) -> Response:
    """Revoke the session's token, drop the cookie, show the login page."""
    form = await request.form()
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        try:
            user, claims = accounts.user_for_token(db, token, c.settings)
        except LehError:
            pass
        else:
            request.state.user = user
            accounts.revoke_token(db, claims)
            audit(AuditAction.AUTH_LOGOUT, object_type="user", object_id=user.id, detail={"via": "web"})
    response = redirect("/login?notice=logged_out")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
