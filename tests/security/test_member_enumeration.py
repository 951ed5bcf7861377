"""Issue #15, Low (enumeration): adding a member by e-mail does not tell a case owner whether the address has an
account. An unknown address is invited (an account without a usable password, status `invited`, that the admin's
"create account" later turns into the real one, already in the case); both answers have the same status, message,
shape and work (no argon2 either way). Login: see test_login_throttle (unknown, blocked, wrong password alike)."""

from __future__ import annotations

import pytest

from leh.services import accounts
from tests.conftest import make_user
from tests.support.live import Api

PASSWORD = "maple-river-42"


def _shape(member: dict) -> dict:
    """What tells members apart besides who they are."""
    return {k: type(v).__name__ for k, v in member.items()} | {"role": member["role"],
                                                                "name_is_local_part": member["name"] == member["email"].split("@")[0]}


def test_adding_a_known_or_unknown_address_answers_alike(app_admin_api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    app_admin_api.data("POST", "/api/admin/users", 201, json={"email": "known@test.local", "password": PASSWORD,
                                                              "role": "staff"})
    case = owner.data("POST", "/api/cases", 201, json={"title": "열거 사건"})
    argon2: list[str] = []
    real_hash, real_verify = accounts.hash_password, accounts.verify_password
    monkeypatch.setattr(accounts, "hash_password", lambda p: argon2.append("hash") or real_hash(p))
    monkeypatch.setattr(accounts, "verify_password", lambda h, p: argon2.append("verify") or real_verify(h, p))
    answers = [owner.call("POST", f"/api/cases/{case['id']}/members", json={"email": email, "role": "member"})
               for email in ("known@test.local", "ghost@test.local")]
    assert [a.status_code for a in answers] == [201, 201]
    assert argon2 == []  # neither answer costs (or saves) a password hash
    members = {m["email"]: m for m in answers[1].json()["data"]}
    assert _shape(members["known@test.local"]) == _shape(members["ghost@test.local"])
    assert answers[0].json()["meta"].keys() == answers[1].json()["meta"].keys()
    rows = app_admin_api.data("GET", "/api/admin/audit", params={"action": "case.member_add"})
    assert len(rows) == 2 and rows[0]["detail"].keys() == rows[1]["detail"].keys()
    # A badly formed address is refused the same way whether or not it could exist.
    bad = owner.call("POST", f"/api/cases/{case['id']}/members", json={"email": "not-an-address"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "INVALID_EMAIL" and bad.json()["error"]["message"]


def test_an_invited_address_cannot_log_in_until_the_admin_creates_the_account(app_admin_api: Api,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    case = owner.data("POST", "/api/cases", 201, json={"title": "초대 사건"})
    owner.data("POST", f"/api/cases/{case['id']}/members", 201, json={"email": "Ghost@Test.local", "role": "viewer"})
    verified: list[str] = []
    real = accounts.verify_password
    monkeypatch.setattr(accounts, "verify_password", lambda h, p: verified.append(p) or real(h, p))
    anon = app_admin_api.fresh()
    invited = anon.call("POST", "/api/auth/login", json={"email": "ghost@test.local", "password": ""})
    unknown = anon.call("POST", "/api/auth/login", json={"email": "nobody@test.local", "password": ""})
    assert invited.status_code == unknown.status_code == 401 and invited.json() == unknown.json()
    assert verified == ["", ""]  # one argon2 verification each
    [row] = [u for u in app_admin_api.data("GET", "/api/admin/users") if u["email"] == "ghost@test.local"]
    assert row["status"] == "invited"
    admin_page = app_admin_api.page("/admin")
    assert 'data-testid="user-invited">초대됨' in admin_page and f"/admin/users/{row['id']}/unblock" not in admin_page
    # The admin creates the account: the same e-mail, now with a password, a role and a name — already a member.
    made = app_admin_api.data("POST", "/api/admin/users", 201, json={
        "email": "ghost@test.local", "password": PASSWORD, "role": "staff", "name": "박사무장"})
    assert (made["id"], made["status"], made["name"]) == (row["id"], "active", "박사무장")
    ghost = app_admin_api.as_user("ghost@test.local", PASSWORD)
    assert ghost.data("GET", f"/api/cases/{case['id']}")["id"] == case["id"]
    assert ghost.call("POST", f"/api/cases/{case['id']}/evidence",
                      files={"file": ("a.txt", b"x", "text/plain")}).status_code == 403  # invited as a viewer
    again = app_admin_api.call("POST", "/api/admin/users", json={
        "email": "ghost@test.local", "password": PASSWORD, "role": "staff"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "USER_EXISTS"


def test_the_web_form_answers_alike(app_admin_api: Api) -> None:
    from leh.api.deps import csrf_for_session

    owner = make_user(app_admin_api, "owner@test.local")
    make_user(app_admin_api, "known@test.local", role="staff")
    case = owner.data("POST", "/api/cases", 201, json={"title": "웹 열거 사건"})
    settings = app_admin_api.http.app.state.container.settings  # type: ignore[attr-defined]
    csrf = csrf_for_session(settings, str(accounts.decode_token(str(owner.token), settings)["jti"]))
    headers = {"Cookie": f"leh_session={owner.token}; leh_csrf={csrf}", "x-csrf-token": csrf, "hx-request": "true"}
    answers = [owner.http.post(f"/cases/{case['id']}/members", data={"email": email, "role": "member"},
                               headers=headers, follow_redirects=False)
               for email in ("known@test.local", "ghost@test.local")]
    assert [a.status_code for a in answers] == [200, 200]
    for a in answers:
        assert "구성원을 추가했습니다." in a.text and "추가할 수 없습니다" not in a.text


def test_an_unknown_address_locks_like_a_known_one(app_admin_api: Api) -> None:
    """The login lock is keyed by what was typed, not by the account: a lock does not reveal an account either."""
    make_user(app_admin_api, "known@test.local", password=PASSWORD)
    answers = {}
    for email in ("known@test.local", "unknown@test.local"):
        codes = [app_admin_api.fresh().call("POST", "/api/auth/login", json={"email": email, "password": "wrong-guess"})
                 for _ in range(6)]
        answers[email] = [(r.status_code, r.json()["error"]["code"]) for r in codes]
    assert answers["known@test.local"] == answers["unknown@test.local"]
    assert answers["unknown@test.local"][-1] == (429, "LOGIN_THROTTLED")
