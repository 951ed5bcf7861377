"""Shared page machinery: Jinja environment and Korean display filters, the cookie session, CSRF, rendering."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import jinja2
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from leh.api.deps import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, ContainerDep, DbDep, csrf_ok, session_csrf
from leh.domain.dates import COARSE, format_ts, precision_of
from leh.domain.errors import Forbidden, Unauthorized, retry_can_help
from leh.domain.labels import (
    AUDIT_ACTION_KO,
    CASE_STATUS_KO,
    GROUND_KO,
    MEMBER_ROLE_KO,
    ROLE_KO,
    STAGE_KO,
    STATUS_KO,
    TYPE_KO,
    status_label,
)
from leh.models import User
from leh.services import accounts

WEB_DIR = Path(__file__).resolve().parents[1]
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
CSRF_FIELD = "csrf_token"


def _tz() -> ZoneInfo:
    return ZoneInfo("Asia/Seoul")


def _parse(value: Any, naive_is_utc: bool = False) -> datetime | None:
    """A Korean-time datetime from ISO text, a datetime or epoch seconds.

    Zone-less evidence times are local as written (chat exports); zone-less database times are UTC.
    """
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        dt = datetime.fromtimestamp(float(value), UTC)
    elif isinstance(value, datetime):
        dt = value
    else:
        try:
            dt = datetime.fromisoformat(str(value))
        except ValueError:
            return None
    if dt.tzinfo is None:
        if not naive_is_utc:
            return dt
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(_tz())


def fmt_datetime(value: Any, precision: str | None = None, part_of_day: str | None = None) -> str:
    """ISO time → '2023-12-25 22:20' in Korean time; a day-only time → '2023-12-25' or '2023-12-25 (밤)'; a
    month-only one → '2024-06'.

    `value` may be a segment or event dict (its ts, ts_precision and ts_part_of_day are used). Without a
    precision, an evidence time at exactly midnight is read as a day (leh.domain.dates.precision_of).
    """
    if isinstance(value, Mapping):
        value, precision, part_of_day = value.get("ts"), value.get("ts_precision"), value.get("ts_part_of_day")
    dt = _parse(value)
    if dt is None:
        return "—"
    # Evidence times are written to the second; a fraction marks a system clock (uploaded_at), never a day.
    if isinstance(value, str) and "." not in value[19:] and precision_of(value, precision) in COARSE:
        return format_ts(value, precision_of(value, precision), part_of_day, style="iso") or "—"
    return dt.strftime("%Y-%m-%d %H:%M")


def fmt_refers(segment: Any) -> str:
    """The day a segment's text names relatively or without its year ("어제", "5월 3일"), worked out from its own
    date: '2024. 5. 3. (추정)'; '' when it names none."""
    refers = segment.get("refers_to") if isinstance(segment, Mapping) else None
    if not isinstance(refers, Mapping) or not refers.get("ts"):
        return ""
    return format_ts(str(refers["ts"]), "day", refers.get("part_of_day"), inferred=True) or ""


def fmt_datetime_seconds(value: Any) -> str:
    """ISO time → '2023-12-25 22:20:05' in Korean time (the audit log)."""
    dt = _parse(value, naive_is_utc=True)
    return dt.strftime("%Y-%m-%d %H:%M:%S") if dt else "—"


def fmt_db_datetime(value: Any) -> str:
    """A database timestamp (stored without zone, in UTC) → '2023-12-25 22:20' in Korean time."""
    dt = _parse(value, naive_is_utc=True)
    return dt.strftime("%Y-%m-%d %H:%M") if dt else "—"


def fmt_date(value: Any) -> str:
    """ISO time → '2023-12-25' in Korean time."""
    dt = _parse(value)
    return dt.strftime("%Y-%m-%d") if dt else "—"


def fmt_age(seconds: Any) -> str:
    """Seconds → '3분 12초' (how long an item has waited)."""
    s = int(float(seconds or 0))
    if s < 60:
        return f"{s}초"
    if s < 3600:
        return f"{s // 60}분 {s % 60}초"
    if s < 86400:
        return f"{s // 3600}시간 {s % 3600 // 60}분"
    return f"{s // 86400}일 {s % 86400 // 3600}시간"


def fmt_size(n: Any) -> str:
    """Bytes → '1.2 MB'."""
    size = float(n or 0)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def fmt_number(n: Any) -> str:
    """1234 → '1,234'."""
    return f"{int(n or 0):,}"


def fmt_clock(seconds: Any) -> str:
    """Seconds → '01:21' (a position in a recording)."""
    s = int(float(seconds or 0))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:02d}:{s % 60:02d}"


@lru_cache(maxsize=1)
def asset_version() -> str:
    """A short hash of the static files, appended to their URLs so browsers never run stale JS or CSS."""
    h = hashlib.sha256()
    for p in sorted(STATIC_DIR.rglob("*")):
        if p.is_file() and p.suffix in (".js", ".css"):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:10]


@lru_cache(maxsize=1)
def env() -> jinja2.Environment:
    """The Jinja environment (autoescaping on) with the Korean display filters."""
    e = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True, trim_blocks=True,
                           lstrip_blocks=True)
    e.filters.update(dt=fmt_datetime, refers=fmt_refers, dbdt=fmt_db_datetime, dts=fmt_datetime_seconds, date=fmt_date, age=fmt_age, size=fmt_size, num=fmt_number, clock=fmt_clock,
                     status_ko=lambda s: STATUS_KO.get(str(s), str(s)), stage_ko=lambda s: STAGE_KO.get(str(s), ""),
                     type_ko=lambda s: TYPE_KO.get(str(s), str(s)), ground_ko=lambda g: GROUND_KO.get(str(g), str(g)),
                     role_ko=lambda r: ROLE_KO.get(str(r), str(r)), member_role_ko=lambda r: MEMBER_ROLE_KO.get(str(r), str(r)),
                     case_status_ko=lambda s: CASE_STATUS_KO.get(str(s), str(s)),
                     status_label=lambda s, stage=None: status_label(str(s), stage), retry_can_help=retry_can_help,
                     audit_action_ko=lambda a: AUDIT_ACTION_KO.get(str(a), str(a)))
    e.globals.update(GROUNDS=GROUND_KO, STATUSES=STATUS_KO, TYPES=TYPE_KO, asset_v=asset_version())
    return e


def json_for_script(data: Any) -> Markup:
    """JSON for a `<script type="application/json">` data block: nothing in it can close the element."""
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def render_string(name: str, **context: Any) -> str:
    """Render a template to a string (pages, and HTML pushed over server-sent events)."""
    return env().get_template(name).render(**context)


def csrf_token(request: Request) -> str:
    """The double-submit token: the readable CSRF cookie's value, or a new one (set by `render`)."""
    token = getattr(request.state, "csrf_new", None) or request.cookies.get(CSRF_COOKIE)
    bound = session_csrf(request)  # signed in: the token is the session's own
    if bound is not None and token != bound:
        token = request.state.csrf_new = bound
    if not token:
        token = request.state.csrf_new = secrets.token_urlsafe(32)
    return str(token)


def secure_cookies(request: Request) -> bool:
    """Cookies get the Secure flag when the site is served over HTTPS (directly or behind a proxy)."""
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


def set_csrf_cookie(request: Request, response: Response, token: str) -> None:
    """The readable double-submit cookie (JavaScript copies it into the x-csrf-token header)."""
    response.set_cookie(CSRF_COOKIE, token, httponly=False, samesite="strict", secure=secure_cookies(request), path="/")


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page; every page is private (no-store) and carries the CSRF token for its forms."""
    token = csrf_token(request)
    viewer = getattr(request.state, "viewer", None)  # a plain copy: error pages render after the DB session ended
    html = render_string(name, request=request, csrf=token, user=viewer, path=request.url.path, **context)
    response = HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})
    if getattr(request.state, "csrf_new", None):
        set_csrf_cookie(request, response, token)
    return response


def check_csrf(request: Request, form_value: str | None = None) -> None:
    """Page writes: the cookie must match the form field or the x-csrf-token header."""
    if not csrf_ok(request, form_value or request.headers.get(CSRF_HEADER, "")):
        raise Forbidden("CSRF_FAILED", "보안 토큰이 맞지 않습니다. 페이지를 새로고침한 뒤 다시 시도해주세요.")


def session_user(request: Request, c: Any, db: Any) -> User:
    """The signed-in user from the HttpOnly session cookie (401 → the login redirect)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthorized()
    user, claims = accounts.user_for_token(db, token, c.settings)
    request.state.user = user
    request.state.claims = claims
    request.state.viewer = SimpleNamespace(id=user.id, email=user.email, name=user.name, role=user.role)
    return user


def page_user(request: Request, c: ContainerDep, db: DbDep) -> User:
    """Dependency: the signed-in user of a page request."""
    return session_user(request, c, db)


PageUser = Annotated[User, Depends(page_user)]


def require_admin_page(user: PageUser) -> User:
    """Dependency: the signed-in user, who must be an admin (403 page otherwise)."""
    if user.role != "admin":
        raise Forbidden("FORBIDDEN", "관리자만 볼 수 있는 페이지입니다. 관리자에게 문의해주세요.")
    return user


AdminPageUser = Annotated[User, Depends(require_admin_page)]


def safe_next(value: str | None, default: str = "/cases") -> str:
    """Only same-site paths are followed after login (no open redirect)."""
    if not value:
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//") or "\\" in value \
            or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return default
    if value.startswith("/login") or value.startswith("/api/"):
        return default
    return value


def login_redirect(request: Request) -> Response:
    """Send an anonymous visitor to /login, remembering where they wanted to go."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = urlsplit(request.headers.get("referer", "")).path or "/cases"
    url = "/login?next=" + quote(safe_next(target), safe="/")
    if request.headers.get("hx-request"):
        response: Response = Response(status_code=200, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=303)
    if request.cookies.get(SESSION_COOKIE):
        response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def redirect(url: str) -> RedirectResponse:
    """A 303 redirect (after a form post the browser follows with GET)."""
    return RedirectResponse(url, status_code=303)
