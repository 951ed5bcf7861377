"""Issue #15, High 2: received evidence never changes.

A signed upload URL is single-use (it dies with confirmation, removal from the case and blocking), the object
store is write-once, and every download and worker read is checked against the SHA-256 recorded at confirmation:
a mismatch is refused with INTEGRITY_MISMATCH, logged, and raised as a Lv3 alarm by `leh ops diagnose`/`weekly`.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

from leh.adapters.local_objects import LocalObjectStore
from leh.container import Container
from leh.domain.errors import LehError
from leh.pipeline.worker import Worker
from leh.services.ops.diagnose import diagnose
from leh.services.ops.weekly import weekly
from tests.conftest import make_user
from tests.support.live import Api

ORIGINAL = "2024-05-01 남편: 집에 들어오지 마\n".encode()
FORGED = "2024-05-01 남편: 사랑해\n".encode()


def _presign(api: Api, case_id: str, body: bytes) -> dict:
    return api.data("POST", "/api/evidence/presigned-url", 201,
                    json={"case_id": case_id, "filename": "대화.txt", "content_type": "text/plain", "size": len(body)})


def _put(api: Api, target: dict, body: bytes) -> int:
    return api.http.put(target["upload_url"], content=body, headers=target["headers"]).status_code


def _stored_path(container: Container, key: str) -> Path:
    assert isinstance(container.objects, LocalObjectStore)
    return container.objects.root / key


def _tamper(path: Path, body: bytes) -> None:
    os.chmod(path, 0o644)  # what an intruder with disk access would do
    path.write_bytes(body)


def test_upload_url_is_single_use_and_dies_with_confirmation(app_admin_api: Api, container: Container) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    case = owner.data("POST", "/api/cases", 201, json={"title": "업로드 사건"})
    target = _presign(owner, case["id"], ORIGINAL)
    assert _put(owner, target, ORIGINAL) == 200
    assert _put(owner, target, ORIGINAL[:-1] + b"!") == 409  # write-once: a second PUT never replaces it
    done = owner.data("POST", "/api/evidence/upload-complete", json={"evidence_id": target["evidence_id"]})
    assert done["sha256"] == hashlib.sha256(ORIGINAL).hexdigest()
    replay = owner.http.put(target["upload_url"], content=FORGED, headers=target["headers"])
    assert replay.status_code in (403, 409) and replay.json()["error"]["code"] in ("UPLOAD_CLOSED", "OBJECT_EXISTS")
    url = owner.data("GET", f"/api/evidence/{target['evidence_id']}")["download_url"]
    assert owner.http.get(url).content == ORIGINAL
    assert _stored_path(container, target["object_key"]).read_bytes() == ORIGINAL
    assert _stored_path(container, target["object_key"]).stat().st_mode & 0o222 == 0  # stored read-only


@pytest.mark.parametrize("how", ["removed", "blocked"])
def test_upload_url_dies_when_its_holder_loses_access(app_admin_api: Api, how: str) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    staff = make_user(app_admin_api, "staff@test.local", role="staff")
    case = owner.data("POST", "/api/cases", 201, json={"title": "구성원 사건"})
    owner.data("POST", f"/api/cases/{case['id']}/members", 201, json={"email": "staff@test.local", "role": "member"})
    target = _presign(staff, case["id"], ORIGINAL)
    if how == "removed":
        staff_id = staff.data("GET", "/api/auth/me")["id"]
        owner.data("DELETE", f"/api/cases/{case['id']}/members", params={"user_id": staff_id})
    else:
        app_admin_api.data("POST", f"/api/admin/users/{staff.data('GET', '/api/auth/me')['id']}/block")
    resp = staff.http.put(target["upload_url"], content=FORGED, headers=target["headers"])
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "UPLOAD_CLOSED"
    assert resp.json()["error"]["message"]


def test_store_refuses_to_overwrite_a_key(container: Container) -> None:
    container.objects.put("cases/c/raw/e_x.txt", io.BytesIO(ORIGINAL))
    with pytest.raises(LehError) as err:
        container.objects.put("cases/c/raw/e_x.txt", io.BytesIO(FORGED))
    assert err.value.code == "OBJECT_EXISTS" and err.value.http_status == 409
    with container.objects.open("cases/c/raw/e_x.txt") as fh:
        assert fh.read() == ORIGINAL


def test_tampered_original_is_never_served_and_raises_a_lv3_alarm(app_admin_api: Api, container: Container,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    case = owner.data("POST", "/api/cases", 201, json={"title": "변조 사건"})
    ev = owner.data("POST", f"/api/cases/{case['id']}/evidence", 201, files={"file": ("대화.txt", ORIGINAL, "text/plain")})
    assert diagnose(container)["findings"][-1]["status"] == "ok"
    _tamper(_stored_path(container, ev["object_key"]), FORGED)
    url = owner.data("GET", f"/api/evidence/{ev['id']}")["download_url"]
    with caplog.at_level("ERROR", logger="leh.integrity"):
        resp = owner.http.get(url)
    assert resp.status_code == 409 and FORGED not in resp.content
    assert resp.json()["error"]["code"] == "INTEGRITY_MISMATCH" and "관리자" in resp.json()["error"]["message"]
    lines = [r for r in caplog.records if r.levelname == "ERROR"]
    assert lines and getattr(lines[0], "evidence_id", None) == ev["id"] and getattr(lines[0], "case_id", None) == case["id"]
    rows = app_admin_api.data("GET", "/api/admin/audit", params={"action": "integrity.mismatch"})
    assert [r["object_id"] for r in rows] == [ev["id"]]
    assert rows[0]["detail"]["expected_sha256"] == hashlib.sha256(ORIGINAL).hexdigest()
    for report in (diagnose(container), weekly(container, seed=1)):
        finding = next(f for f in report["findings"] if f["check"] == "integrity")
        assert finding["status"] == "fail" and finding["level"] == "Lv3" and ev["id"] in finding["detail"]["evidence_ids"]


def test_weekly_sample_finds_a_tampered_original_nobody_opened(app_admin_api: Api, container: Container) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    case = owner.data("POST", "/api/cases", 201, json={"title": "표본 사건"})
    ev = owner.data("POST", f"/api/cases/{case['id']}/evidence", 201, files={"file": ("a.txt", ORIGINAL, "text/plain")})
    _tamper(_stored_path(container, ev["object_key"]), FORGED)
    finding = next(f for f in weekly(container, seed=1)["findings"] if f["check"] == "integrity")
    assert finding["status"] == "fail" and finding["level"] == "Lv3" and finding["detail"]["sampled"]["mismatched"] == [ev["id"]]


def test_worker_refuses_a_tampered_original(app_admin_api: Api, container: Container) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    case = owner.data("POST", "/api/cases", 201, json={"title": "워커 사건"})
    ev = owner.data("POST", f"/api/cases/{case['id']}/evidence", 201, files={"file": ("대화.txt", ORIGINAL, "text/plain")})
    _tamper(_stored_path(container, ev["object_key"]), FORGED)
    assert Worker(container).run_once() == 1
    doc = owner.data("GET", f"/api/evidence/{ev['id']}")
    assert doc["status"] == "failed" and doc["error"]["code"] == "INTEGRITY_MISMATCH"
    assert doc["segments"] == [] and doc["labels"] == []
    assert owner.data("GET", f"/api/cases/{case['id']}/search", params={"q": "사랑해"}) == []
