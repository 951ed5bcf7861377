"""Issue #15, Medium 3: membership changes need the case's owner (or an admin), and a case always keeps an owner."""

from __future__ import annotations

from tests.conftest import make_user
from tests.support.live import Api


def _ids(api: Api) -> str:
    return str(api.data("GET", "/api/auth/me")["id"])


def _roles(api: Api, case_id: str) -> dict[str, str]:
    return {m["email"]: m["role"] for m in api.data("GET", f"/api/cases/{case_id}/members")}


def test_members_cannot_promote_themselves_demote_the_owner_or_close(app_admin_api: Api) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    member = make_user(app_admin_api, "member@test.local", role="staff")
    viewer = make_user(app_admin_api, "viewer@test.local")
    case = owner.data("POST", "/api/cases", 201, json={"title": "구성원 사건"})
    cid = case["id"]
    owner.data("POST", f"/api/cases/{cid}/members", 201, json={"email": "member@test.local", "role": "member"})
    owner.data("POST", f"/api/cases/{cid}/members", 201, json={"email": "viewer@test.local", "role": "viewer"})
    before = _roles(owner, cid)
    attempts = [
        (member, "POST", {"json": {"email": "member@test.local", "role": "owner"}}),
        (member, "POST", {"json": {"email": "owner@test.local", "role": "viewer"}}),
        (member, "POST", {"json": {"email": "viewer@test.local", "role": "owner"}}),
        (member, "DELETE", {"params": {"user_id": _ids(owner)}}),
        (member, "DELETE", {"params": {"user_id": _ids(viewer)}}),
        (viewer, "POST", {"json": {"email": "viewer@test.local", "role": "owner"}}),
    ]
    for who, method, kw in attempts:
        resp = who.call(method, f"/api/cases/{cid}/members", **kw)
        assert resp.status_code == 403, (method, kw, resp.text)
        assert resp.json()["error"]["code"] in ("OWNER_REQUIRED", "FORBIDDEN") and resp.json()["error"]["message"]
    assert member.call("DELETE", f"/api/cases/{cid}").status_code == 403
    assert _roles(owner, cid) == before
    assert owner.data("GET", f"/api/cases/{cid}")["status"] == "active"
    # The owner can change roles; a member may leave on their own.
    owner.data("POST", f"/api/cases/{cid}/members", 201, json={"email": "viewer@test.local", "role": "member"})
    member.data("DELETE", f"/api/cases/{cid}/members", params={"user_id": _ids(member)})
    assert _roles(owner, cid) == {"owner@test.local": "owner", "viewer@test.local": "member"}


def test_the_last_owner_cannot_demote_or_remove_themselves(app_admin_api: Api) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    make_user(app_admin_api, "second@test.local")
    cid = owner.data("POST", "/api/cases", 201, json={"title": "담당자 사건"})["id"]
    demote = owner.call("POST", f"/api/cases/{cid}/members", json={"email": "owner@test.local", "role": "member"})
    assert demote.status_code == 409 and demote.json()["error"]["code"] == "LAST_OWNER"
    leave = owner.call("DELETE", f"/api/cases/{cid}/members", params={"user_id": _ids(owner)})
    assert leave.status_code == 409 and leave.json()["error"]["code"] == "LAST_OWNER"
    assert _roles(owner, cid) == {"owner@test.local": "owner"}
    # With a second owner, the first may step down.
    owner.data("POST", f"/api/cases/{cid}/members", 201, json={"email": "second@test.local", "role": "owner"})
    owner.data("POST", f"/api/cases/{cid}/members", 201, json={"email": "owner@test.local", "role": "member"})
    assert _roles(owner, cid) == {"owner@test.local": "member", "second@test.local": "owner"}
