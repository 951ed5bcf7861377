"""/admin: users (create, block, unblock), DLQ and redrive, case breakers, AI usage and the audit log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from leh.api.deps import AuditDep, ContainerDep, DbDep
from leh.domain.audit_actions import AuditAction
from leh.domain.errors import LehError, NotFound
from leh.services import accounts, admin, breakers
from leh.web import views as web_views
from leh.web.pages.common import CSRF_FIELD, AdminPageUser, check_csrf, redirect, render

router = APIRouter(include_in_schema=False)

TABS = {"users": "사용자", "dlq": "처리 실패 보관함 (DLQ)", "breakers": "AI 처리 일시 정지", "usage": "AI 사용량", "audit": "감사 로그"}
_NOTICES = {"user_created": "사용자를 만들었습니다.", "blocked": "계정을 차단했습니다. 모든 로그인이 즉시 끊겼습니다.",
            "unblocked": "계정 차단을 해제했습니다.", "redriven": "대기열로 다시 보냈습니다.",
            "breaker_open": "이 사건의 AI 처리를 일시 정지했습니다 (차단기 열림). 새로 올린 증거는 정지 상태로 기다립니다.",
            "breaker_closed": "AI 처리를 재개했습니다 (차단기 닫힘). 일시 정지된 증거를 다시 처리합니다."}


def _page(request: Request, c: Any, db: Any, tab: str, *, status_code: int = 200, error: str | None = None,
          notice: str | None = None, form: dict[str, str] | None = None,
          temp_password: dict[str, str] | None = None, **filters: Any) -> Response:
    ctx: dict[str, Any] = {"tab": tab, "tabs": TABS, "error": error, "notice": _NOTICES.get(notice or ""),
                           "form": form or {}, "temp_password": temp_password}
    if tab == "users":
        ctx["users"] = [accounts.user_public(u) for u in accounts.list_users(db)]
    elif tab == "dlq":
        ctx["depth"] = c.queue.depth()
        ctx["messages"] = admin.dlq_items(c.evidence, c.queue, 200)
    elif tab == "breakers":
        ctx["breakers"] = web_views.breaker_rows(db)
        ctx["cases"] = web_views.all_cases(db)
    elif tab == "usage":
        ctx["usage"] = web_views.usage_summary(db, days=int(filters.get("days") or 30))
    else:
        ctx["audit"] = web_views.audit_view(db, action=filters.get("action") or None, actor=filters.get("actor") or None,
                                            object_id=filters.get("object_id") or None,
                                            limit=int(filters.get("limit") or 100))
        ctx["filters"] = filters
    return render(request, "admin.html", status_code=status_code, **ctx)


@router.get("/admin")
def admin_home(request: Request, c: ContainerDep, db: DbDep, _admin: AdminPageUser, notice: str | None = None) -> Response:
    """/admin: the users tab."""
    return _page(request, c, db, "users", notice=notice)


@router.get("/admin/usage")
def admin_usage(request: Request, c: ContainerDep, db: DbDep, _admin: AdminPageUser,
                days: int = Query(30, ge=1, le=365)) -> Response:
    """AI tokens and cost per case and per user, with bar charts."""
    return _page(request, c, db, "usage", days=days)


@router.get("/admin/audit")
def admin_audit(request: Request, c: ContainerDep, db: DbDep, _admin: AdminPageUser, action: str = "", actor: str = "",
                object_id: str = "", limit: int = Query(100, ge=1, le=1000)) -> Response:
    """The audit log, newest first, filtered by action, actor and object."""
    return _page(request, c, db, "audit", action=action, actor=actor, object_id=object_id, limit=limit)


@router.get("/admin/{tab}")
def admin_tab(tab: str, request: Request, c: ContainerDep, db: DbDep, _admin: AdminPageUser,
              notice: str | None = None) -> Response:
    """The other tabs: DLQ and breakers."""
    if tab not in TABS:
        raise NotFound()
    return _page(request, c, db, tab, notice=notice)


@router.post("/admin/users")
async def admin_create_user(request: Request, c: ContainerDep, db: DbDep, _admin: AdminPageUser, audit: AuditDep) -> Response:
    """Create an account (runbook: accounts are made by operators)."""
    form = await request.form()
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    values = {k: str(form.get(k) or "") for k in ("email", "name", "role", "password")}
    try:
        user = accounts.create_user(db, email=values["email"], password=values["password"], role=values["role"],
                                    name=values["name"])
    except LehError as exc:
        db.rollback()
        return _page(request, c, db, "users", status_code=exc.http_status, error=exc.message_ko,
                     form={k: v for k, v in values.items() if k != "password"})
    db.commit()
    audit(AuditAction.ADMIN_USER_CREATE, object_type="user", object_id=user.id,
          detail={"email": user.email, "role": user.role, "via": "web"})
    return redirect("/admin?notice=user_created")


@router.post("/admin/users/{user_id}/password")
async def admin_reset_password(user_id: str, request: Request, c: ContainerDep, db: DbDep, actor: AdminPageUser,
                               audit: AuditDep) -> Response:
    """Give a user a temporary password, shown once on this response (never in a URL, a log or the audit row);
    their sessions end at once. An admin changes their own password on /account instead."""
    form = await request.form()
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    user = admin.find_user(db, user_id)
    if user.id == actor.id:
        return _page(request, c, db, "users", status_code=409,
                     error="자기 자신의 비밀번호는 ‘내 계정’에서 현재 비밀번호와 함께 바꿔주세요.")
    password = accounts.admin_set_password(db, user)
    db.commit()
    audit(AuditAction.ADMIN_PASSWORD_RESET, object_type="user", object_id=user.id,
          detail={"via": "web", "generated": True})
    return _page(request, c, db, "users", temp_password={"email": user.email, "password": password})


@router.post("/admin/users/{user_id}/{action}")
async def admin_block(user_id: str, action: str, request: Request, c: ContainerDep, db: DbDep, actor: AdminPageUser,
                      audit: AuditDep) -> Response:
    """Block (tokens stop at once, queued evidence pauses) or unblock an account (scenario C)."""
    form = await request.form()
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    if action not in ("block", "unblock"):
        raise NotFound()
    user = admin.find_user(db, user_id)
    if action == "block":
        if user.id == actor.id:
            return _page(request, c, db, "users", status_code=409, error="자기 자신의 계정은 차단할 수 없습니다.")
        n = admin.block_user(db, c.evidence, user)
        db.commit()
        audit(AuditAction.ADMIN_USER_BLOCK, object_type="user", object_id=user.id, detail={"paused": n, "via": "web"})
        return redirect("/admin?notice=blocked")
    n = admin.unblock_user(db, c.evidence, c.index, c.queue, user)
    db.commit()
    audit(AuditAction.ADMIN_USER_UNBLOCK, object_type="user", object_id=user.id, detail={"resumed": n, "via": "web"})
    return redirect("/admin?notice=unblocked")


@router.post("/admin/dlq/redrive")
async def admin_redrive(request: Request, c: ContainerDep, _admin: AdminPageUser, audit: AuditDep) -> Response:
    """Send dead letters back to the queue, all or the ticked ones (scenario A)."""
    form = await request.form()
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    ids = [str(v) for v in form.getlist("message_id") if v] or None
    n = admin.redrive(c.evidence, c.queue, ids)
    audit(AuditAction.ADMIN_DLQ_REDRIVE, object_type="queue", detail={"redriven": n, "via": "web"})
    return redirect("/admin/dlq?notice=redriven")


@router.post("/admin/breakers")
async def admin_breaker(request: Request, c: ContainerDep, db: DbDep, actor: AdminPageUser, audit: AuditDep) -> Response:
    """Open or close a case's AI breaker with a reason (scenario C)."""
    form = await request.form()
    check_csrf(request, str(form.get(CSRF_FIELD) or ""))
    case_id, state, reason = (str(form.get(k) or "") for k in ("case_id", "state", "reason"))
    try:
        result = breakers.set_breaker(db, c.evidence, c.index, c.queue, case_id, state=state, reason=reason, actor=actor.email)
    except LehError as exc:
        db.rollback()
        return _page(request, c, db, "breakers", status_code=exc.http_status, error=exc.message_ko,
                     form={"case_id": case_id, "state": state, "reason": reason})
    audit(AuditAction.ADMIN_BREAKER_OPEN if result["state"] == "open" else AuditAction.ADMIN_BREAKER_CLOSE,
          object_type="case", object_id=case_id,
          detail={"state": state, "reason": reason, "resumed": result["resumed"], "via": "web"})
    return redirect(f"/admin/breakers?notice=breaker_{result['state']}")
