"""Issue #15, Low: the CSRF token is bound to the session — a token planted in the victim's browser (cookie
injection from a sibling host, or the attacker's own token) does not authorise a write in the victim's session."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import make_user
from tests.support.live import Api


def _signed_in(app_admin_api: Api, email: str) -> TestClient:
    make_user(app_admin_api, email, password="maple-river-42")
    browser = TestClient(app_admin_api.http.app)  # type: ignore[attr-defined]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/login").text)
    assert csrf
    resp = browser.post("/login", data={"email": email, "password": "maple-river-42", "csrf_token": csrf.group(1)},
                        follow_redirects=False)
    assert resp.status_code == 303
    return browser


def test_a_planted_csrf_token_does_not_work_in_another_session(app_admin_api: Api) -> None:
    victim = _signed_in(app_admin_api, "victim@test.local")
    attacker = _signed_in(app_admin_api, "attacker@test.local")
    attackers_token = attacker.cookies["leh_csrf"]
    session = victim.cookies["leh_session"]
    for planted in (attackers_token, "x" * 43):
        forged = TestClient(app_admin_api.http.app)  # type: ignore[attr-defined]
        resp = forged.post("/cases", data={"title": "심어진 토큰", "csrf_token": planted}, follow_redirects=False,
                           headers={"Cookie": f"leh_session={session}; leh_csrf={planted}"})
        assert resp.status_code == 403, planted
        api = forged.post("/api/cases", json={"title": "심어진 토큰"},
                          headers={"Cookie": f"leh_session={session}; leh_csrf={planted}", "X-CSRF-Token": planted})
        assert api.status_code == 403 and api.json()["error"]["code"] == "CSRF_FAILED"
    # The victim's own page token works.
    page = victim.get("/cases")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token and token.group(1) != attackers_token
    ok = victim.post("/cases", data={"title": "정상 사건", "csrf_token": token.group(1)}, follow_redirects=False)
    assert ok.status_code == 303
    titles = [c["title"] for c in app_admin_api.as_user("victim@test.local", "maple-river-42").data("GET", "/api/cases")]
    assert titles == ["정상 사건"]
