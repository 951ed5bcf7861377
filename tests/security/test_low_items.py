"""Issue #15, Low items: weak passwords, the demo lawyer's own password, deleted evidence stays gone, an admin
cannot block itself, and the CLI refuses an unknown role with a message instead of a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from leh.bootstrap import DEMO_LAWYER_EMAIL, ensure_demo
from leh.cli import app
from leh.container import Container
from tests.conftest import make_user
from tests.support.live import Api


@pytest.mark.parametrize("password", ["aaaaaaaa", "12345678", "Password1", "weak@test.local", "qwer1234", "abababab"])
def test_weak_passwords_are_refused(app_admin_api: Api, password: str) -> None:
    resp = app_admin_api.call("POST", "/api/admin/users", json={
        "email": "weak@test.local", "password": password, "role": "lawyer", "name": "약한"})
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "WEAK_PASSWORD", password
    assert "비밀번호" in resp.json()["error"]["message"]


def test_a_strong_password_is_accepted(app_admin_api: Api) -> None:
    make_user(app_admin_api, "strong@test.local", password="maple-river-42")


def test_admin_cannot_block_itself(app_admin_api: Api) -> None:
    me = app_admin_api.data("GET", "/api/auth/me")
    resp = app_admin_api.call("POST", f"/api/admin/users/{me['id']}/block")
    assert resp.status_code == 409 and resp.json()["error"]["code"] == "SELF_BLOCK"
    assert app_admin_api.data("GET", "/api/auth/me")["id"] == me["id"]


def test_deleted_evidence_is_not_listed_back(app_admin_api: Api) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    viewer = make_user(app_admin_api, "viewer@test.local")
    case = owner.data("POST", "/api/cases", 201, json={"title": "삭제 사건"})
    owner.data("POST", f"/api/cases/{case['id']}/members", 201, json={"email": "viewer@test.local", "role": "viewer"})
    ev = owner.data("POST", f"/api/cases/{case['id']}/evidence", 201,
                    files={"file": ("메모.txt", "지운 내용".encode(), "text/plain")})
    owner.data("DELETE", f"/api/evidence/{ev['id']}")
    for who in (owner, viewer):
        assert who.data("GET", f"/api/cases/{case['id']}/evidence", params={"status": "deleted"}) == []
        assert who.data("GET", f"/api/cases/{case['id']}/evidence") == []


def test_demo_lawyer_has_a_password_of_its_own(app_admin_api: Api, container: Container) -> None:
    demo = ensure_demo(container)
    assert demo is not None
    case_id, password = demo
    lawyer = app_admin_api.fresh().login(DEMO_LAWYER_EMAIL, password)
    assert lawyer.data("GET", f"/api/cases/{case_id}")["id"] == case_id
    parties = lawyer.data("GET", f"/api/cases/{case_id}/parties")  # the demo shows who is who from the start
    assert parties["client"]["name"] == "김영희" and parties["opponent"]["name"] == "홍길동"
    admin_password = "admin-password-1"  # tests.conftest.ADMIN: what the demo lawyer used to get
    resp = app_admin_api.fresh().call("POST", "/api/auth/login", json={"email": DEMO_LAWYER_EMAIL,
                                                                      "password": admin_password})
    assert resp.status_code == 401 and password != admin_password


def test_cli_refuses_an_unknown_role_without_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEH_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("LEH_DEMO", "0")
    result = CliRunner().invoke(app, ["admin", "create-user", "--email", "c@test.local", "--password",
                                      "maple-river-42", "--role", "client"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert "INVALID_ROLE" in result.output and "Traceback" not in result.output


def test_numbers_in_a_file_name_stay_out_of_the_storage_key_and_the_queue(app_admin_api: Api,
                                                                          container: Container) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    case = owner.data("POST", "/api/cases", 201, json={"title": "파일명 사건"})
    name = "김영희_900101-1234567_010-1234-5678.txt"
    ev = owner.data("POST", f"/api/cases/{case['id']}/evidence", 201, files={"file": (name, "내용".encode(), "text/plain")})
    assert ev["filename"] == name  # what the lawyer sees is the file's own name
    assert "1234567" not in ev["object_key"] and "5678" not in ev["object_key"] and ev["object_key"].endswith(".txt")
    [msg] = container.queue.receive(max_messages=1)
    assert "1234567" not in str(msg.body) and "5678" not in str(msg.body)
