"""Issue #15, Medium 5 and Low (enumeration): logins are throttled per account and per address, an admin can
unlock, and an anonymous caller cannot tell unknown, blocked and wrong-password accounts apart."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from leh.api.app import create_app
from leh.config import Settings
from leh.container import Container
from leh.services import accounts, login_throttle
from tests.conftest import make_user
from tests.support.live import Api

PASSWORD = "password-123"


def _login(api: Api, email: str, password: str) -> tuple[int, dict]:
    resp = api.fresh().call("POST", "/api/auth/login", json={"email": email, "password": password})
    return resp.status_code, resp.json()


def test_account_locks_after_five_failures_even_for_the_right_password(app_admin_api: Api) -> None:
    user = make_user(app_admin_api, "victim@test.local", password=PASSWORD)
    uid = user.data("GET", "/api/auth/me")["id"]
    for _ in range(5):
        assert _login(app_admin_api, "victim@test.local", "wrong-guess")[0] == 401
    resp = app_admin_api.fresh().call("POST", "/api/auth/login", json={"email": "victim@test.local", "password": PASSWORD})
    assert resp.status_code == 429 and resp.json()["error"]["code"] == "LOGIN_THROTTLED"
    assert re.search(r"\d+(초|분)", resp.json()["error"]["message"]) and int(resp.headers["Retry-After"]) > 0
    rows = app_admin_api.data("GET", "/api/admin/audit", params={"action": "auth.login_throttled"})
    assert len(rows) == 1 and rows[0]["detail"]["reason"] == "too_many_failures"
    # The web login form says the same.
    page = TestClient(app_admin_api.http.app)  # type: ignore[attr-defined]
    form = page.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf
    web = page.post("/login", data={"email": "victim@test.local", "password": PASSWORD, "csrf_token": csrf.group(1)},
                    follow_redirects=False)
    assert web.status_code == 429 and "로그인 시도가 너무 많습니다" in web.text
    # An admin unlocks; the right password works again.
    assert app_admin_api.data("POST", f"/api/admin/users/{uid}/unlock")["was_locked"] is True
    assert _login(app_admin_api, "victim@test.local", PASSWORD)[0] == 200
    assert app_admin_api.data("GET", "/api/admin/audit", params={"action": "admin.user_unlock"})[0]["object_id"] == uid


def test_lock_grows_and_old_failures_do_not_count_twice(container: Container) -> None:
    s = container.settings
    at = login_throttle.attempt(s, "who@test.local", "ip1")
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    waits = []
    with container.sessions() as db:
        now = t0
        for _round in range(3):
            # Five failures lock; failures from before the last lock never count again.
            locks = [login_throttle.record_failure(db, s, at, now=now + timedelta(seconds=i)) for i in range(5)]
            assert locks[:4] == [None] * 4 and locks[4] is not None
            with pytest.raises(login_throttle.LoginThrottled) as err:
                login_throttle.check(db, at, now=now + timedelta(seconds=5))
            waits.append(err.value.retry_after)
            now = locks[4].locked_until.replace(tzinfo=UTC) + timedelta(seconds=1)
            login_throttle.check(db, at, now=now)  # expired: allowed again
    assert waits[0] < waits[1] < waits[2] and waits[1] >= 2 * waits[0] - 5


def test_one_address_spraying_many_accounts_is_stopped(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var", demo=False, secret_key="s" * 40, login_max_failures_per_address=8)
    c = Container(settings)
    c.migrate()
    from leh.bootstrap import ensure_admin

    admin_email, admin_password = ensure_admin(c) or ("", "")
    admin_api = Api("", http=TestClient(create_app(c))).login(admin_email, admin_password)
    make_user(admin_api, "real@test.local", password=PASSWORD)
    for i in range(8):
        assert _login(admin_api, f"guess{i}@test.local", "Spring2024!")[0] == 401
    status, body = _login(admin_api, "real@test.local", PASSWORD)
    assert status == 429 and body["error"]["code"] == "LOGIN_THROTTLED"


def test_unknown_blocked_and_wrong_password_look_the_same(app_admin_api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = make_user(app_admin_api, "blocked@test.local", password=PASSWORD)
    make_user(app_admin_api, "active@test.local", password=PASSWORD)
    app_admin_api.data("POST", f"/api/admin/users/{blocked.data('GET', '/api/auth/me')['id']}/block")
    verified: list[str] = []
    real = accounts.verify_password
    monkeypatch.setattr(accounts, "verify_password", lambda h, p: verified.append(p) or real(h, p))
    answers = [_login(app_admin_api, email, pw) for email, pw in (
        ("nobody@test.local", "password-x"), ("blocked@test.local", PASSWORD), ("active@test.local", "password-x"))]
    assert [a[0] for a in answers] == [401, 401, 401]
    assert answers[0][1] == answers[1][1] == answers[2][1]
    # Every answer cost one argon2 verification: an unknown e-mail is not answered faster.
    assert verified == ["password-x", PASSWORD, "password-x"]
