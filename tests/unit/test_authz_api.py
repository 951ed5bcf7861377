"""Authorisation through the API routes (in-process app): other lawyers get 404 for everything of a case; blocked
users and bad signed URLs are refused."""

from __future__ import annotations

import time

import jwt

from leh.config import Settings
from tests.conftest import make_user
from tests.support.live import Api

ON_POSTGRES = True  # tests/conftest.py: every test here also runs on PostgreSQL


def _case_with_evidence(lawyer: Api) -> tuple[dict, dict]:
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "비밀 사건"})
    ev = lawyer.data("POST", f"/api/cases/{case['id']}/evidence", 201,
                     files={"file": ("memo.txt", "남편의 폭언 기록".encode(), "text/plain")})
    return case, ev


def test_other_lawyer_gets_404_for_everything(app_admin_api: Api) -> None:
    admin_api = app_admin_api
    owner = make_user(admin_api, "owner@test.local")
    other = make_user(admin_api, "other@test.local")
    case, ev = _case_with_evidence(owner)
    cid, eid = case["id"], ev["id"]
    attempts = [
        ("GET", f"/api/cases/{cid}", {}), ("PATCH", f"/api/cases/{cid}", {"json": {"title": "x"}}),
        ("DELETE", f"/api/cases/{cid}", {}), ("GET", f"/api/cases/{cid}/members", {}),
        ("POST", f"/api/cases/{cid}/members", {"json": {"email": "other@test.local"}}),
        ("GET", f"/api/cases/{cid}/evidence", {}), ("GET", f"/api/evidence/{eid}", {}),
        ("DELETE", f"/api/evidence/{eid}", {}), ("GET", f"/api/cases/{cid}/search", {"params": {"q": "폭언"}}),
        ("POST", f"/api/cases/{cid}/evidence", {"files": {"file": ("x.txt", b"x", "text/plain")}}),
        ("POST", "/api/evidence/presigned-url", {"json": {"case_id": cid, "filename": "a.txt", "size": 1}}),
        ("POST", "/api/evidence/upload-complete", {"json": {"evidence_id": eid}}),
    ]
    for method, path, kw in attempts:
        resp = other.call(method, path, **kw)
        assert resp.status_code == 404, (method, path, resp.status_code, resp.text)
        assert resp.json()["error"]["code"] in ("CASE_NOT_FOUND", "EVIDENCE_NOT_FOUND")
    # A case id that does not exist answers exactly like a case that is not yours.
    missing = other.call("GET", "/api/cases/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.json() == other.call("GET", f"/api/cases/{cid}").json()
    assert other.data("GET", "/api/cases") == []
    # Nothing was changed by the attempts.
    assert owner.data("GET", f"/api/cases/{cid}")["title"] == "비밀 사건"
    assert owner.data("GET", f"/api/evidence/{eid}")["status"] != "deleted"
    # Adding the other lawyer as a member opens the case to them.
    owner.data("POST", f"/api/cases/{cid}/members", 201, json={"email": "other@test.local", "role": "viewer"})
    assert other.data("GET", f"/api/cases/{cid}")["id"] == cid
    assert other.call("DELETE", f"/api/evidence/{eid}").status_code == 403  # viewers read, never write


def test_blocked_user_token_is_refused_at_once(app_admin_api: Api) -> None:
    admin_api = app_admin_api
    lawyer = make_user(admin_api, "blockme@test.local")
    me = lawyer.data("GET", "/api/auth/me")
    assert me["email"] == "blockme@test.local" and me["role"] == "lawyer"
    admin_api.data("POST", f"/api/admin/users/{me['id']}/block")
    resp = lawyer.call("GET", "/api/auth/me")
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "USER_BLOCKED"
    relogin = admin_api.fresh().call("POST", "/api/auth/login", json={"email": "blockme@test.local", "password": "password-123"})
    # To an anonymous caller a blocked account looks like a wrong password (no account probing, issue #15).
    assert relogin.status_code == 401 and relogin.json()["error"]["code"] == "INVALID_CREDENTIALS"
    admin_api.data("POST", f"/api/admin/users/{me['id']}/unblock")
    # The old token stays dead after unblocking (blocking bumped the token version); a new login works.
    assert lawyer.call("GET", "/api/auth/me").status_code == 401
    assert admin_api.fresh().login("blockme@test.local", "password-123").data("GET", "/api/auth/me")["id"] == me["id"]


def test_logout_revokes_the_token_and_bad_tokens_are_401(app_admin_api: Api) -> None:
    admin_api = app_admin_api
    lawyer = make_user(admin_api, "logout@test.local")
    lawyer.data("POST", "/api/auth/logout")
    assert lawyer.call("GET", "/api/auth/me").status_code == 401
    assert admin_api.fresh("not-a-jwt").call("GET", "/api/cases").status_code == 401
    assert admin_api.fresh().call("GET", "/api/cases").json()["error"]["code"] == "UNAUTHORIZED"
    wrong = admin_api.fresh().call("POST", "/api/auth/login", json={"email": "logout@test.local", "password": "nope-nope"})
    assert wrong.status_code == 401 and wrong.json()["error"]["message"] == "이메일 또는 비밀번호가 올바르지 않습니다."
    nobody = admin_api.fresh().call("POST", "/api/auth/login", json={"email": "nobody@test.local", "password": "nope-nope"})
    assert nobody.json() == wrong.json()


def test_staff_and_lawyers_cannot_use_admin_api(app_admin_api: Api) -> None:
    admin_api = app_admin_api
    staff = make_user(admin_api, "staff@test.local", role="staff")
    for path in ("/api/admin/users", "/api/admin/dlq", "/api/admin/audit"):
        assert staff.call("GET", path).status_code == 403


def test_tampered_and_expired_signed_urls_are_refused(app_admin_api: Api, settings: Settings) -> None:
    admin_api = app_admin_api
    secret = settings.resolved_secret_key()
    lawyer = make_user(admin_api, "signed@test.local")
    case, ev = _case_with_evidence(lawyer)
    url = lawyer.data("GET", f"/api/evidence/{ev['id']}")["download_url"]
    assert lawyer.http.get(url).status_code == 200
    token = url.rsplit("/", 1)[1]
    head, payload, sig = token.split(".")
    tampered = url.rsplit("/", 1)[0] + "/" + ".".join([head, payload, sig[:-2] + ("AA" if sig[-2:] != "AA" else "BB")])
    resp = lawyer.http.get(tampered)
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "UPLOAD_URL_INVALID"
    # Re-signing other claims with a wrong key is refused too.
    claims = jwt.decode(token, options={"verify_signature": False})
    forged = jwt.encode({**claims, "key": claims["key"].replace("memo", "other")}, "a-wrong-key-that-is-long-enough-for-hs256!", algorithm="HS256")
    assert lawyer.http.get(url.rsplit("/", 1)[0] + "/" + forged).status_code == 403
    expired = jwt.encode({**claims, "exp": int(time.time()) - 5}, secret, algorithm="HS256")
    assert lawyer.http.get(url.rsplit("/", 1)[0] + "/" + expired).status_code == 403
    # An upload URL cannot be used to download, nor a download URL to upload.
    up = lawyer.data("POST", "/api/evidence/presigned-url", 201,
                     json={"case_id": case["id"], "filename": "b.txt", "size": 3})
    assert lawyer.http.get(up["upload_url"]).status_code == 403
    assert lawyer.http.put(url, content=b"abc").status_code == 403
    expired_put = jwt.encode({**jwt.decode(up["upload_url"].rsplit("/", 1)[1], options={"verify_signature": False}),
                              "exp": int(time.time()) - 1}, secret, algorithm="HS256")
    assert lawyer.http.put(up["upload_url"].rsplit("/", 1)[0] + "/" + expired_put, content=b"abc").status_code == 403
