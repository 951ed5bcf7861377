"""Issue #15: the route × identity matrix, generated from the app's route table.

Every route the app serves (JSON API, pages, page partials and server-sent-event streams) must have a rule in
`RULES`; a route without one fails `test_every_served_route_has_a_rule`, so a new route cannot ship unchecked.
Each rule names the route's access level and how to call it; `test_route_answers_each_identity_as_its_rule_says`
then sends that request as each of ten identities and checks what each gets:

* anonymous → 401 UNAUTHORIZED on the API, a redirect to /login on pages (streams: 204, nothing streamed);
* a blocked user (token issued before the block, still blocked) → 403 USER_BLOCKED / redirect to /login?notice=blocked;
* a token issued before a block that has since been lifted → 401 TOKEN_EXPIRED / redirect to /login;
* anyone who is not a member of the case (a staff member of another case, an admin, a removed member) → 404 on
  anything of the case, never 403 (DESIGN.md section 7: no existence leaks);
* a viewer → 403 on writes; members (lawyer or staff) → 403 on what only the owner may do;
* admins only → 403 for everyone else on /api/admin and /admin.

In-process (FastAPI TestClient): the world (tests/support/case_world.py) — users, a case with a processed evidence and a draft — is made
through the services, and a route that changes or ends what it touches (close, delete, remove, block …) gets a
fresh case for every request.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Route

from leh.api import staff as api_staff
from leh.api.deps import CSRF_COOKIE, SESSION_COOKIE, csrf_for_session
from leh.services import accounts
from leh.web.pages import cases as page_cases
from leh.web.pages import staff as page_staff
from tests.support.case_world import PASSWORD, CaseWorlds, World, case_worlds

IDENTITIES = ("anonymous", "owner", "member", "viewer", "staff_member", "staff_outsider", "admin", "blocked",
              "stale_token", "removed_member")
ACTIVE = ("owner", "member", "viewer", "staff_member", "staff_outsider", "admin", "removed_member")
NOT_MEMBERS = ("staff_outsider", "admin", "removed_member")
STREAM_SECONDS = 0.05


# ---------------------------------------------------------------------------------------------- rules
@dataclass(frozen=True)
class Rule:
    """How to call one route, and who may.

    access: public (everyone gets `ok`), authed (any signed-in active user), case_read (members incl. viewers),
    case_write (owner and members, not viewers), case_owner (the case's owner), admin, capability (the signed
    URL's token decides, not the caller: everyone gets `ok`).
    ok: the status an allowed identity gets (a domain answer such as 400 still means access was granted), or a
    map identity → status where public routes answer signed-in visitors differently.
    fresh: the request changes or ends what it touches, so each identity gets a new case.
    own_token: the request ends the caller's session, so an active caller sends a token of its own.
    """

    access: str
    ok: int | dict[str, int]
    path: str
    body: Callable[[World], dict[str, Any]] | None = None
    fresh: bool = False
    own_token: bool = False
    stream: bool = False


def J(**values: Any) -> Callable[[World], dict[str, Any]]:  # noqa: N802 - reads as a literal in the table
    """A JSON body whose string values are formatted with the world's ids."""
    return lambda w: {"json": w.fill(values)}


def Q(**values: Any) -> Callable[[World], dict[str, Any]]:  # noqa: N802
    return lambda w: {"params": w.fill(values)}


def F(**values: Any) -> Callable[[World], dict[str, Any]]:  # noqa: N802
    """A form post (the CSRF field is added for the caller)."""
    return lambda w: {"data": w.fill(values)}


def _upload(_: World) -> dict[str, Any]:
    return {"files": {"file": ("메모.txt", "내용".encode(), "text/plain")}}


_counter = itertools.count()


def _new_user(w: World) -> dict[str, Any]:
    n = next(_counter)
    return {"json": {"email": f"new{n}@test.local", "password": PASSWORD, "role": "lawyer", "name": f"새 사용자 {n}"}}


def _new_user_form(w: World) -> dict[str, Any]:
    return {"data": {**_new_user(w)["json"]}}


SIGNED_IN = dict.fromkeys(ACTIVE, 303)
PUBLIC_LOGIN_PAGE = {"anonymous": 200, "blocked": 200, "stale_token": 200, **SIGNED_IN}

RULES: dict[tuple[str, str], Rule] = {
    # ---- the API's own documents and health
    ("GET", "/api/openapi.json"): Rule("public", 200, "/api/openapi.json"),
    ("GET", "/api/docs"): Rule("public", 200, "/api/docs"),
    ("GET", "/docs/oauth2-redirect"): Rule("public", 200, "/docs/oauth2-redirect"),
    ("GET", "/api/health"): Rule("public", 200, "/api/health"),
    ("GET", "/api/health/ready"): Rule("public", 200, "/api/health/ready"),
    # ---- auth
    ("POST", "/api/auth/login"): Rule("public", 200, "/api/auth/login", J(email="{spare_email}", password=PASSWORD)),
    ("GET", "/api/auth/me"): Rule("authed", 200, "/api/auth/me"),
    ("POST", "/api/auth/logout"): Rule("authed", 200, "/api/auth/logout", own_token=True),
    # ---- cases and members
    ("GET", "/api/cases"): Rule("authed", 200, "/api/cases"),
    ("POST", "/api/cases"): Rule("authed", 201, "/api/cases", J(title="새 사건")),
    ("GET", "/api/cases/{case_id}"): Rule("case_read", 200, "/api/cases/{case_id}"),
    ("PATCH", "/api/cases/{case_id}"): Rule("case_write", 200, "/api/cases/{case_id}", J(title="바뀐 사건명")),
    ("DELETE", "/api/cases/{case_id}"): Rule("case_owner", 200, "/api/cases/{case_id}", fresh=True),
    ("GET", "/api/cases/{case_id}/members"): Rule("case_read", 200, "/api/cases/{case_id}/members"),
    ("POST", "/api/cases/{case_id}/members"): Rule("case_owner", 201, "/api/cases/{case_id}/members",
                                                   J(email="{spare_email}", role="viewer"), fresh=True),
    ("DELETE", "/api/cases/{case_id}/members"): Rule("case_owner", 200, "/api/cases/{case_id}/members",
                                                     Q(user_id="{spare_id}"), fresh=True),
    # ---- evidence
    ("POST", "/api/evidence/presigned-url"): Rule("case_write", 201, "/api/evidence/presigned-url",
                                                  J(case_id="{case_id}", filename="a.txt", size=3)),
    ("POST", "/api/evidence/upload-complete"): Rule("case_write", 200, "/api/evidence/upload-complete",
                                                    J(evidence_id="{pending_id}"), fresh=True),
    ("POST", "/api/cases/{case_id}/evidence"): Rule("case_write", 201, "/api/cases/{case_id}/evidence", _upload),
    ("GET", "/api/cases/{case_id}/evidence"): Rule("case_read", 200, "/api/cases/{case_id}/evidence"),
    ("GET", "/api/evidence/{evidence_id}"): Rule("case_read", 200, "/api/evidence/{evidence_id}"),
    ("DELETE", "/api/evidence/{evidence_id}"): Rule("case_write", 200, "/api/evidence/{evidence_id}", fresh=True),
    ("PATCH", "/api/evidence/{evidence_id}/labels"): Rule(
        "case_write", 200, "/api/evidence/{evidence_id}/labels", J(add=[{"ground": "840-3", "segments": [1]}])),
    ("PATCH", "/api/evidence/{evidence_id}/segments/{seq}"): Rule(
        "case_write", 200, "/api/evidence/{evidence_id}/segments/1", J(text="집에 들어오지 마라")),
    ("PUT", "/api/evidence/{evidence_id}/speakers"): Rule("case_write", 200, "/api/evidence/{evidence_id}/speakers",
                                                          J(남편="opponent")),
    # ---- signed URLs: the token is the authority (a bearer capability, as S3's), whoever holds it
    ("GET", "/api/objects/{token}"): Rule("capability", 200, "{download_path}"),
    ("PUT", "/api/objects/{token}"): Rule("capability", 403, "{confirmed_upload_path}",
                                          lambda w: {"content": b"forged"}),
    # ---- case views
    ("GET", "/api/cases/{case_id}/search"): Rule("case_read", 200, "/api/cases/{case_id}/search", Q(q="집")),
    ("GET", "/api/cases/{case_id}/timeline"): Rule("case_read", 200, "/api/cases/{case_id}/timeline"),
    ("POST", "/api/cases/{case_id}/ask"): Rule("case_read", 200, "/api/cases/{case_id}/ask", J(question="폭언이 있었나?")),
    ("GET", "/api/cases/{case_id}/parties"): Rule("case_read", 200, "/api/cases/{case_id}/parties"),
    ("PUT", "/api/cases/{case_id}/parties"): Rule(
        "case_write", 200, "/api/cases/{case_id}/parties",
        J(client={"name": "이지은", "aliases": []}, opponent={"name": "김준호", "aliases": ["남편"]})),
    ("GET", "/api/cases/{case_id}/risks"): Rule("case_read", 200, "/api/cases/{case_id}/risks"),
    ("POST", "/api/cases/{case_id}/draft-preview"): Rule("case_write", 201, "/api/cases/{case_id}/draft-preview",
                                                         J(claims={"alimony": True})),
    ("GET", "/api/cases/{case_id}/draft-preview"): Rule("case_read", 200, "/api/cases/{case_id}/draft-preview"),
    ("GET", "/api/cases/{case_id}/drafts"): Rule("case_read", 200, "/api/cases/{case_id}/drafts"),
    ("GET", "/api/cases/{case_id}/drafts/{draft_id}"): Rule("case_read", 200, "/api/cases/{case_id}/drafts/{draft_id}"),
    ("GET", "/api/cases/{case_id}/draft-export"): Rule("case_read", 200, "/api/cases/{case_id}/draft-export"),
    # ---- staff
    ("GET", "/api/staff/progress"): Rule("authed", 200, "/api/staff/progress"),
    ("GET", "/api/staff/progress/stream"): Rule("authed", 200, "/api/staff/progress/stream", stream=True),
    # ---- admin API
    ("GET", "/api/admin/users"): Rule("admin", 200, "/api/admin/users"),
    ("POST", "/api/admin/users"): Rule("admin", 201, "/api/admin/users", _new_user),
    ("POST", "/api/admin/users/{user_id}/block"): Rule("admin", 200, "/api/admin/users/{spare_id}/block", fresh=True),
    ("POST", "/api/admin/users/{user_id}/unblock"): Rule("admin", 200, "/api/admin/users/{spare_id}/unblock"),
    ("POST", "/api/admin/users/{user_id}/unlock"): Rule("admin", 200, "/api/admin/users/{spare_id}/unlock"),
    ("GET", "/api/admin/dlq"): Rule("admin", 200, "/api/admin/dlq"),
    ("POST", "/api/admin/dlq/redrive"): Rule("admin", 200, "/api/admin/dlq/redrive", J()),
    ("POST", "/api/admin/reprocess-evidence"): Rule("admin", 200, "/api/admin/reprocess-evidence",
                                                    J(evidence_id="{evidence_id}"), fresh=True),
    ("GET", "/api/admin/audit"): Rule("admin", 200, "/api/admin/audit"),
    ("GET", "/api/admin/breakers"): Rule("admin", 200, "/api/admin/breakers"),
    ("GET", "/api/admin/cases/{case_id}/breaker"): Rule("admin", 200, "/api/admin/cases/{case_id}/breaker"),
    ("POST", "/api/admin/cases/{case_id}/breaker"): Rule("admin", 200, "/api/admin/cases/{case_id}/breaker",
                                                         J(state="open", reason="점검"), fresh=True),
    ("POST", "/api/admin/restore-case"): Rule("admin", 200, "/api/admin/restore-case", J(case_id="{case_id}"), fresh=True),
    ("POST", "/api/admin/reindex-case"): Rule("admin", 200, "/api/admin/reindex-case", J(case_id="{case_id}")),
    ("GET", "/api/admin/check-index"): Rule("admin", 200, "/api/admin/check-index"),
    ("GET", "/api/admin/usage"): Rule("admin", 200, "/api/admin/usage"),
    ("GET", "/api/admin/uploads/anomalies"): Rule("admin", 200, "/api/admin/uploads/anomalies"),
    ("GET", "/api/admin/diagnose"): Rule("admin", 200, "/api/admin/diagnose"),
    ("GET", "/api/admin/weekly"): Rule("admin", 200, "/api/admin/weekly", Q(sample=5)),
    ("GET", "/api/admin/logs"): Rule("admin", 200, "/api/admin/logs"),
    # ---- pages: sign-in
    ("GET", "/"): Rule("public", 303, "/"),
    ("GET", "/login"): Rule("public", PUBLIC_LOGIN_PAGE, "/login"),
    ("POST", "/login"): Rule("public", 303, "/login", F(email="{spare_email}", password=PASSWORD)),
    ("POST", "/logout"): Rule("public", 303, "/logout", own_token=True),
    ("GET", "/account"): Rule("authed", 200, "/account"),
    ("POST", "/account/password"): Rule("authed", 400, "/account/password", F(
        current_password="not-my-password", new_password="another-river-77", confirm_password="another-river-77")),
    # ---- pages: cases
    ("GET", "/cases"): Rule("authed", 200, "/cases"),
    ("POST", "/cases"): Rule("authed", 303, "/cases", F(title="새 사건")),
    ("GET", "/cases/{case_id}"): Rule("case_read", 200, "/cases/{case_id}"),
    ("GET", "/cases/{case_id}/evidence-rows"): Rule("case_read", 200, "/cases/{case_id}/evidence-rows"),
    ("POST", "/cases/{case_id}/close"): Rule("case_owner", 303, "/cases/{case_id}/close", F(), fresh=True),
    ("GET", "/cases/{case_id}/stream"): Rule("case_read", 200, "/cases/{case_id}/stream", stream=True),
    ("POST", "/cases/{case_id}/evidence/{evidence_id}/retry"): Rule(
        "case_write", 409, "/cases/{case_id}/evidence/{evidence_id}/retry", F()),
    ("GET", "/cases/{case_id}/evidence/{evidence_id}"): Rule("case_read", 200, "/cases/{case_id}/evidence/{evidence_id}"),
    ("GET", "/cases/{case_id}/evidence/{evidence_id}/segments"): Rule(
        "case_read", 200, "/cases/{case_id}/evidence/{evidence_id}/segments"),
    ("POST", "/cases/{case_id}/evidence/{evidence_id}/delete"): Rule(
        "case_write", 303, "/cases/{case_id}/evidence/{evidence_id}/delete", F(), fresh=True),
    ("GET", "/cases/{case_id}/timeline"): Rule("case_read", 200, "/cases/{case_id}/timeline"),
    ("GET", "/cases/{case_id}/search"): Rule("case_read", 200, "/cases/{case_id}/search", Q(q="집")),
    ("GET", "/cases/{case_id}/segment"): Rule("case_read", 200, "/cases/{case_id}/segment", Q(open="{evidence_id}:1")),
    ("POST", "/cases/{case_id}/ask"): Rule("case_read", 200, "/cases/{case_id}/ask", F(question="폭언이 있었나?")),
    ("GET", "/cases/{case_id}/draft"): Rule("case_read", 200, "/cases/{case_id}/draft"),
    ("POST", "/cases/{case_id}/draft"): Rule("case_write", 201, "/cases/{case_id}/draft", F(alimony="on")),
    ("GET", "/cases/{case_id}/draft.docx"): Rule("case_read", 200, "/cases/{case_id}/draft.docx"),
    ("GET", "/cases/{case_id}/parties"): Rule("case_read", 200, "/cases/{case_id}/parties"),
    ("POST", "/cases/{case_id}/parties"): Rule("case_write", 200, "/cases/{case_id}/parties",
                                               F(client_name="이지은", opponent_name="김준호", opponent_aliases="남편")),
    ("GET", "/cases/{case_id}/risks"): Rule("case_read", 200, "/cases/{case_id}/risks"),
    ("GET", "/cases/{case_id}/members"): Rule("case_read", 200, "/cases/{case_id}/members"),
    ("POST", "/cases/{case_id}/members"): Rule("case_owner", 200, "/cases/{case_id}/members",
                                               F(email="{spare_email}", role="viewer"), fresh=True),
    ("POST", "/cases/{case_id}/members/{user_id}/role"): Rule(
        "case_owner", 200, "/cases/{case_id}/members/{spare_id}/role", F(role="viewer"), fresh=True),
    ("POST", "/cases/{case_id}/members/{user_id}/remove"): Rule(
        "case_owner", 200, "/cases/{case_id}/members/{spare_id}/remove", F(), fresh=True),
    ("POST", "/cases/{case_id}/evidence/{evidence_id}/speakers"): Rule(
        "case_write", 303, "/cases/{case_id}/evidence/{evidence_id}/speakers", F(speaker="남편", party="opponent")),
    ("POST", "/cases/{case_id}/evidence/{evidence_id}/labels"): Rule(
        "case_write", 303, "/cases/{case_id}/evidence/{evidence_id}/labels", F(op="add", ground="840-3", segments="1")),
    ("GET", "/cases/{case_id}/evidence/{evidence_id}/segments/{seq}/edit"): Rule(
        "case_write", 200, "/cases/{case_id}/evidence/{evidence_id}/segments/1/edit"),
    ("POST", "/cases/{case_id}/evidence/{evidence_id}/segments/{seq}"): Rule(
        "case_write", 303, "/cases/{case_id}/evidence/{evidence_id}/segments/1", F(text="집에 들어오지 마라")),
    # ---- pages: staff and admin
    ("GET", "/staff/progress"): Rule("authed", 200, "/staff/progress"),
    ("GET", "/staff/progress/stream"): Rule("authed", 200, "/staff/progress/stream", stream=True),
    ("GET", "/admin"): Rule("admin", 200, "/admin"),
    ("GET", "/admin/usage"): Rule("admin", 200, "/admin/usage"),
    ("GET", "/admin/audit"): Rule("admin", 200, "/admin/audit"),
    ("GET", "/admin/{tab}"): Rule("admin", 200, "/admin/dlq"),
    ("POST", "/admin/users"): Rule("admin", 303, "/admin/users", _new_user_form),
    ("POST", "/admin/users/{user_id}/password"): Rule("admin", 200, "/admin/users/{spare_id}/password", F(), fresh=True),
    ("POST", "/admin/users/{user_id}/{action}"): Rule("admin", 303, "/admin/users/{spare_id}/block", F(), fresh=True),
    ("POST", "/admin/dlq/redrive"): Rule("admin", 303, "/admin/dlq/redrive", F()),
    ("POST", "/admin/breakers"): Rule("admin", 303, "/admin/breakers",
                                      F(case_id="{case_id}", state="open", reason="점검"), fresh=True),
}


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseWorlds]:
    with case_worlds(Path(tmp_path_factory.mktemp("matrix")) / "var") as worlds:
        yield worlds


# ---------------------------------------------------------------------------------------------- expectations
CASE_CODES = {"CASE_NOT_FOUND", "EVIDENCE_NOT_FOUND"}


def expected(rule: Rule, identity: str) -> str | int:
    """What `identity` gets: a status for allowed calls, else the kind of refusal."""
    if rule.access in ("public", "capability"):
        return rule.ok[identity] if isinstance(rule.ok, dict) else rule.ok
    if identity == "anonymous":
        return "unauthenticated"
    if identity == "blocked":
        return "blocked"
    if identity == "stale_token":
        return "expired"
    assert isinstance(rule.ok, int)
    if rule.access == "authed":
        return rule.ok
    if rule.access == "admin":
        return rule.ok if identity == "admin" else "forbidden"
    if identity in NOT_MEMBERS:
        return "not_found"
    allowed = {"case_read": ("owner", "member", "viewer", "staff_member"),
               "case_write": ("owner", "member", "staff_member"), "case_owner": ("owner",)}[rule.access]
    return rule.ok if identity in allowed else "forbidden"


def is_page(path: str) -> bool:
    return not path.startswith(("/api/", "/docs/"))


def check(rule: Rule, identity: str, resp: httpx.Response, first: bytes) -> None:
    want = expected(rule, identity)
    got = resp.status_code
    where = f"{identity}: {resp.request.method} {resp.request.url.path} → {got} {resp.text[:300] if not rule.stream else first[:200]!r}"
    page = is_page(rule.path)
    if isinstance(want, int):
        assert got == want, f"wanted {want}; " + where
        if rule.stream and want == 200:
            assert resp.headers["content-type"].startswith("text/event-stream") and b"\nevent: " in b"\n" + first, where
        if page and want == 303 and rule.access not in ("public",):
            assert not resp.headers["location"].startswith("/login"), where
        return
    if page and rule.stream:  # an EventSource refused: 204 stops it reconnecting, nothing is streamed
        assert got == 204 and first == b"", f"wanted 204 ({want}); " + where
        return
    if page:
        location = resp.headers.get("location", "")
        if want in ("unauthenticated", "expired"):
            assert got == 303 and location.startswith("/login?next="), f"wanted login ({want}); " + where
        elif want == "blocked":
            assert got == 303 and location == "/login?notice=blocked", "wanted blocked notice; " + where
        else:
            assert got == {"not_found": 404, "forbidden": 403}[want], f"wanted {want}; " + where
            assert "text/html" in resp.headers["content-type"], where
        return
    code = resp.json()["error"]["code"]
    wanted = {"unauthenticated": (401, {"UNAUTHORIZED"}), "blocked": (403, {"USER_BLOCKED"}),
              "expired": (401, {"TOKEN_EXPIRED"}), "not_found": (404, CASE_CODES),
              "forbidden": (403, {"FORBIDDEN", "OWNER_REQUIRED"})}[str(want)]
    assert got == wanted[0] and code in wanted[1], f"wanted {want}; " + where


# ---------------------------------------------------------------------------------------------- requests
def send(m: CaseWorlds, method: str, rule: Rule, identity: str, world: World) -> tuple[httpx.Response, bytes]:
    token = m.tokens.get(identity)
    if rule.own_token and identity in ACTIVE:
        token = m.new_token(identity)
    kwargs = rule.body(world) if rule.body else {}
    path = world.fill(rule.path)
    headers: dict[str, str] = {}
    page = is_page(path)
    if token and not page:
        headers["Authorization"] = f"Bearer {token}"
    elif page:
        csrf = csrf_for_session(m.c.settings, str(accounts.decode_token(token, m.c.settings)["jti"])) if token \
            else secrets.token_urlsafe(32)
        cookies = {CSRF_COOKIE: csrf, **({SESSION_COOKIE: token} if token else {})}
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        headers["X-CSRF-Token"] = csrf
        if "data" in kwargs:
            kwargs["data"] = {**kwargs.get("data", {}), "csrf_token": csrf}
    m.client.cookies.clear()
    if rule.stream:
        with m.client.stream(method, path, headers=headers, **kwargs) as resp:
            if resp.status_code == 200:
                return resp, next(resp.iter_bytes(), b"")  # the first event; leaving the block closes the stream
            resp.read()
            return resp, resp.content
    return m.client.request(method, path, headers=headers, follow_redirects=False, **kwargs), b""


# ---------------------------------------------------------------------------------------------- tests
def served_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route of the app, walking into included routers (pages included)."""
    out: set[tuple[str, str]] = set()

    def walk(routes: list[BaseRoute], prefix: str) -> None:
        for r in routes:
            inner = getattr(r, "original_router", None)
            if inner is not None:
                context = getattr(r, "include_context", None)
                walk(inner.routes, prefix + (getattr(context, "prefix", "") or ""))
            elif isinstance(r, APIRoute | Route):
                out.update((method, prefix + r.path) for method in (r.methods or set()) - {"HEAD"})

    walk(list(app.routes), "")
    return out


def test_every_served_route_has_a_rule(matrix: CaseWorlds) -> None:
    served = served_routes(matrix.client.app)
    assert len(served) > 90
    missing = sorted(served - set(RULES))
    assert not missing, f"routes without a rule in {__name__}.RULES (add one): {missing}"
    stale = sorted(set(RULES) - served)
    assert not stale, f"rules for routes the app no longer serves: {stale}"


@pytest.mark.timeout(120)  # a stream that never sends its first event fails here instead of hanging
@pytest.mark.parametrize("route", list(RULES), ids=[f"{m} {p}" for m, p in RULES])
def test_route_answers_each_identity_as_its_rule_says(matrix: CaseWorlds, route: tuple[str, str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (api_staff, page_cases, page_staff):
        monkeypatch.setattr(module, "STREAM_INTERVAL_SECONDS", STREAM_SECONDS)
    rule = RULES[route]
    for identity in IDENTITIES:
        # A refused request changes nothing, so only an allowed one needs a case of its own.
        world = matrix.new_world() if rule.fresh and isinstance(expected(rule, identity), int) else matrix.base
        resp, first = send(matrix, route[0], rule, identity, world)
        check(rule, identity, resp, first)
