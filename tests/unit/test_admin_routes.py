"""Each admin runbook route answers with its own handler's shape (a merge once stacked three routes on one)."""

from __future__ import annotations

from tests.conftest import make_user
from tests.support.live import Api

ON_POSTGRES = True  # tests/conftest.py: every test here also runs on PostgreSQL


def test_dlq_redrive_and_reprocess_are_three_routes(app_admin_api: Api) -> None:
    dlq = app_admin_api.data("GET", "/api/admin/dlq")
    assert set(dlq) == {"depth", "messages"} and dlq["messages"] == []
    assert app_admin_api.data("POST", "/api/admin/dlq/redrive", json={}) == {"redriven": 0}
    missing = app_admin_api.call("POST", "/api/admin/reprocess-evidence",
                                 json={"evidence_id": "00000000-0000-0000-0000-000000000000"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "EVIDENCE_NOT_FOUND"


def test_a_viewer_reads_evidence_but_cannot_delete_it(app_admin_api: Api) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    make_user(app_admin_api, "viewer@test.local")
    viewer = app_admin_api.as_user("viewer@test.local", "password-123")
    cid = owner.data("POST", "/api/cases", 201, json={"title": "열람 전용"})["id"]
    eid = owner.data("POST", f"/api/cases/{cid}/evidence", 201, files={"file": ("a.txt", "메모".encode(), "text/plain")})["id"]
    owner.data("POST", f"/api/cases/{cid}/members", 201, json={"email": "viewer@test.local", "role": "viewer"})
    assert viewer.data("GET", f"/api/evidence/{eid}")["status"] != "deleted"
    assert viewer.call("DELETE", f"/api/evidence/{eid}").status_code == 403
    assert owner.data("DELETE", f"/api/evidence/{eid}")["status"] == "deleted"
