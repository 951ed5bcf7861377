"""The server-rendered web UI: `router` (all pages), `mount_static` and `html_error` (used by leh.api.app)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from leh.api.deps import SESSION_COOKIE
from leh.web.pages import account, admin, auth, case_panels, cases, staff, who
from leh.web.pages.common import STATIC_DIR, login_redirect, redirect, render

router = APIRouter(include_in_schema=False)
for _module in (auth, account, cases, case_panels, who, staff, admin):
    router.include_router(_module.router)

_TITLES = {400: "요청을 처리할 수 없습니다", 403: "접근 권한이 없습니다", 404: "페이지를 찾을 수 없습니다",
           405: "허용되지 않는 요청입니다", 409: "지금은 처리할 수 없습니다", 413: "파일이 너무 큽니다",
           429: "요청이 너무 많습니다", 500: "일시적인 오류가 발생했습니다"}
_DEFAULT_MESSAGES = {404: "주소가 바뀌었거나 삭제되었을 수 있습니다. 사건 목록에서 다시 찾아주세요."}
# Answers that are not faults (nothing broke; something has yet to be done): a plain title, no status number, and
# a way back to the panel where the user does it. (title, back-link label, anchor on the case page)
_NOT_YET: dict[str, tuple[str, str, str]] = {
    "DRAFT_NOT_FOUND": ("다운로드할 초안이 아직 없습니다", "사건으로 돌아가 초안 만들기", "draft"),
    "NO_PROCESSED_EVIDENCE": ("아직 초안을 만들 증거가 없습니다", "사건으로 돌아가 증거 올리기", "evidence"),
}


def mount_static(app: FastAPI) -> None:
    """Serve leh/web/static (CSS, JS and the vendored htmx) under /static."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


async def html_error(request: Request, status: int, code: str, message: str) -> Response:
    """Errors on page paths: anonymous → login redirect, blocked → login with a notice, otherwise an error page."""
    if status == 401:
        return login_redirect(request)
    if code == "USER_BLOCKED":
        response = redirect("/login?notice=blocked")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
    if code in _NOT_YET and request.url.path.startswith("/cases/"):
        title, back_label, anchor = _NOT_YET[code]
        case_path = "/".join(request.url.path.split("/")[:3])  # /cases/{id}
        return render(request, "error.html", status_code=status, status=None, code=code, title=title,
                      message=message, back_href=f"{case_path}#{anchor}", back_label=back_label)
    title = _TITLES.get(status, _TITLES[500] if status >= 500 else _TITLES[400])
    return render(request, "error.html", status_code=status, status=status, code=code, title=title,
                  message=message or _DEFAULT_MESSAGES.get(status, ""))


__all__ = ["html_error", "mount_static", "router"]
