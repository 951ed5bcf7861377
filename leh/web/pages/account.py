"""/account: the signed-in user's own account — today, changing the password (current + new twice)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from leh.api.deps import SESSION_COOKIE, AuditDep, ContainerDep, DbDep
from leh.domain.audit_actions import AuditAction
from leh.domain.errors import LehError
from leh.services import accounts
from leh.web.pages.common import CSRF_FIELD, PageUser, check_csrf, redirect, render, secure_cookies

router = APIRouter(include_in_schema=False)

_NOTICES = {"password_changed": "비밀번호를 바꿨습니다. 다른 기기와 브라우저의 로그인은 모두 끝났습니다."}


@router.get("/account")
def account_page(request: Request, user: PageUser, notice: str | None = None) -> Response:
    """The password form, with the policy spelled out."""
    return render(request, "account.html", notice=_NOTICES.get(notice or ""), error=None,
                  min_chars=accounts.MIN_PASSWORD_CHARS)


@router.post("/account/password")
async def change_password(request: Request, c: ContainerDep, db: DbDep, user: PageUser, audit: AuditDep) -> Response:
    """Change the password; every other session ends (token version) and this one gets a fresh token."""
    form = await request.form()
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    values = {k: str(form.get(k) or "") for k in ("current_password", "new_password", "confirm_password")}
    try:
        accounts.change_own_password(db, user, current=values["current_password"], new=values["new_password"],
                                     confirm=values["confirm_password"])
    except LehError as exc:
        db.rollback()
        return render(request, "account.html", status_code=exc.http_status, notice=None, error=exc.message_ko,
                      error_code=exc.code, min_chars=accounts.MIN_PASSWORD_CHARS)
    db.commit()
    audit(AuditAction.ACCOUNT_PASSWORD_CHANGE, object_type="user", object_id=user.id, detail={"via": "web"})
    token = accounts.issue_token(user, c.settings)
    response = redirect("/account?notice=password_changed")
    response.set_cookie(SESSION_COOKIE, token.access_token, max_age=token.expires_in, httponly=True, samesite="lax",
                        secure=secure_cookies(request), path="/")
    return response
