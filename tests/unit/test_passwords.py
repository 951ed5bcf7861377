"""Changing one's own password and an admin's reset: policy, old tokens revoked, audited, never shown twice."""

from __future__ import annotations

import re

import httpx

from leh.domain.errors import ValidationFailed
from leh.services import accounts
from tests.conftest import make_user
from tests.support.live import Api


def _csrf(api: Api, path: str) -> tuple[str, dict[str, str]]:
    html = api.page(path)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token
    return token.group(1), {"Cookie": f"leh_session={api.token}; leh_csrf={token.group(1)}"}


def _post(api: Api, path: str, form: dict[str, str]) -> httpx.Response:
    token, headers = _csrf(api, "/account" if path.startswith("/account") else "/admin")
    return api.http.post(path, data={"csrf_token": token, **form}, headers=headers, follow_redirects=False)


def test_policy_is_ten_characters_and_not_the_email() -> None:
    for bad in ("short-pw1", "kim@test.local", "KIM@test.local", "kim"):
        try:
            accounts.check_password_policy("kim@test.local", bad)
        except ValidationFailed as exc:
            assert exc.code == "WEAK_PASSWORD" and "10자" in exc.message_ko
        else:
            raise AssertionError(bad)
    accounts.check_password_policy("kim@test.local", "a-longer-passphrase")


def test_changing_my_password_ends_old_sessions_and_keeps_this_one(app_admin_api: Api) -> None:
    kim = make_user(app_admin_api, "kim@test.local", password="password-123")
    other_session = kim.fresh().login("kim@test.local", "password-123")
    wrong = _post(kim, "/account/password", {"current_password": "nope-nope-1", "new_password": "새-비밀번호-2026",
                                             "confirm_password": "새-비밀번호-2026"})
    assert wrong.status_code == 400 and "현재 비밀번호가 올바르지 않습니다" in wrong.text
    mismatch = _post(kim, "/account/password", {"current_password": "password-123", "new_password": "새-비밀번호-2026",
                                                "confirm_password": "새-비밀번호-2027"})
    assert mismatch.status_code == 400 and "서로 다릅니다" in mismatch.text
    done = _post(kim, "/account/password", {"current_password": "password-123", "new_password": "새-비밀번호-2026",
                                            "confirm_password": "새-비밀번호-2026"})
    assert done.status_code == 303 and done.headers["location"] == "/account?notice=password_changed"
    new_cookie = done.cookies.get("leh_session")
    assert new_cookie
    assert other_session.call("GET", "/api/cases").status_code == 401  # every earlier token is revoked
    assert kim.fresh().call("POST", "/api/auth/login", json={"email": "kim@test.local", "password": "password-123"}).status_code == 401
    assert kim.fresh().login("kim@test.local", "새-비밀번호-2026").data("GET", "/api/cases") == []
    audit = app_admin_api.page("/admin/audit?action=account.password_change")
    assert "비밀번호 변경(본인)" in audit and "새-비밀번호" not in audit


def test_admin_reset_shows_a_temporary_password_once(app_admin_api: Api) -> None:
    lee = make_user(app_admin_api, "lee@test.local", password="password-123")
    user_id = next(u["id"] for u in app_admin_api.data("GET", "/api/admin/users") if u["email"] == "lee@test.local")
    resp = _post(app_admin_api, f"/admin/users/{user_id}/password", {})
    assert resp.status_code == 200
    temp = re.search(r'data-testid="temp-password">([^<]+)<', resp.text)
    assert temp and len(temp.group(1)) >= 10
    assert lee.call("GET", "/api/cases").status_code == 401
    lee.fresh().login("lee@test.local", temp.group(1))
    assert temp.group(1) not in app_admin_api.page("/admin")  # shown once only
    assert "비밀번호 재설정(관리자)" in app_admin_api.page("/admin/audit")
