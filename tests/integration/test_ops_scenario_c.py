"""Runbook scenario C (비용 급증, Bill Shock) end to end on a running LEH: a case blows its token budget and its
breaker opens by itself; an operator opens and closes one by hand; an account floods uploads, is rate
limited, shows up in the upload-log analysis and is blocked."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ADMIN, make_user
from tests.support.live import Api, LehProcesses, running_leh
from tests.support.wait import wait_until

NOTE = "2023년 12월 {n}일 남편이 생활비를 주지 않았다고 상담 메모에 적었다. 내용 확인 필요함."
UNITS = len(NOTE.format(n=1))  # the offline engines' work for one note: 52 characters


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "leh", *args], env=env, capture_output=True, text=True, timeout=120)


def ops(env: dict[str, str], *args: str) -> tuple[int, Any]:
    r = run_cli(env, "ops", *args, "--json")
    assert r.stdout.strip(), r.stderr[-2000:]
    return r.returncode, json.loads(r.stdout)


def status_of(data_dir: Path, evidence_id: str) -> str:
    with sqlite3.connect(data_dir / "evidence.db") as conn:
        row = conn.execute("SELECT status FROM evidence WHERE evidence_id=?", (evidence_id,)).fetchone()
    return row[0] if row else ""


def wait_for(data_dir: Path, evidence_id: str, status: str, timeout: float = 30) -> None:
    wait_until(lambda: status_of(data_dir, evidence_id) == status, timeout=timeout,
               message=lambda: f"{evidence_id} stayed {status_of(data_dir, evidence_id)}, wanted {status}")


def upload(api: Api, case_id: str, n: int) -> str:
    text = NOTE.format(n=n).encode()
    return str(api.data("POST", f"/api/cases/{case_id}/evidence", 201, files={"file": (f"memo{n}.txt", text, "text/plain")})["id"])


@pytest.fixture
def budget_leh(tmp_path: Path) -> Iterator[LehProcesses]:
    """A server whose cases may spend 80 tokens a day: one note fits, two do not."""
    with running_leh(tmp_path / "var", LEH_CASE_TOKEN_BUDGET="80", LEH_CASE_BUDGET_WINDOW="24h") as procs:
        yield procs


def test_token_budget_trips_the_case_breaker_and_closing_resumes(budget_leh: LehProcesses) -> None:
    leh = budget_leh
    admin = Api(leh.base_url).login(*ADMIN)
    lawyer = make_user(admin, "c1@test.local")
    x = lawyer.data("POST", "/api/cases", 201, json={"title": "비용 급증 사건"})["id"]
    y = lawyer.data("POST", "/api/cases", 201, json={"title": "다른 사건"})["id"]
    x1, x2, x3 = (upload(lawyer, x, n) for n in (1, 2, 3))
    y1 = upload(lawyer, y, 4)
    leh.start_worker()
    wait_for(leh.data_dir, y1, "done")
    wait_for(leh.data_dir, x3, "paused")
    assert [status_of(leh.data_dir, e) for e in (x1, x2)] == ["done", "done"]
    paused = lawyer.data("GET", f"/api/evidence/{x3}")
    assert paused["error"] is None and paused["segments"] == []  # waiting, not failed, and no AI work was done

    [brk] = admin.data("GET", "/api/admin/breakers")
    assert (brk["case_id"], brk["state"], brk["opened_by"], brk["paused"]) == (x, "open", "budget", 1)
    assert brk["reason"] == f"토큰 예산 초과: {2 * UNITS} / 80 토큰 (기간 24h)"
    usage = admin.data("GET", "/api/admin/usage")
    by_case = {r["case_id"]: r for r in usage["by_case"]}
    assert (by_case[x]["tokens"], by_case[x]["calls"], by_case[x]["breaker"]) == (2 * UNITS, 2, "open")
    assert (by_case[y]["tokens"], by_case[y]["breaker"]) == (UNITS, "closed")
    assert usage["by_user"][0]["email"] == "c1@test.local" and usage["by_user"][0]["tokens"] == 3 * UNITS
    autos = admin.data("GET", "/api/admin/audit", params={"action": "ops.breaker_auto_open"})
    assert [a["object_id"] for a in autos] == [x]

    # The operator checks the account, closes the breaker: the paused item runs, the budget counts afresh.
    out = admin.data("POST", f"/api/admin/cases/{x}/breaker", json={"state": "closed", "reason": "정상 사용 확인"})
    assert (out["state"], out["resumed"]) == ("closed", 1)
    wait_for(leh.data_dir, x3, "done")
    assert admin.data("GET", f"/api/admin/cases/{x}/breaker")["state"] == "closed"

    # By hand (runbook C-1): Y is stopped, X keeps working.
    rc, out = ops(leh.env, "breaker", "open", y, "--reason", "수동 점검")
    assert rc == 0 and out["state"] == "open" and out["opened_by"] == "cli"
    y2, x4 = upload(lawyer, y, 5), upload(lawyer, x, 6)
    wait_for(leh.data_dir, y2, "paused")
    wait_for(leh.data_dir, x4, "done")
    status = admin.data("GET", f"/api/admin/cases/{y}/breaker")
    assert (status["state"], status["reason"], status["paused"]) == ("open", "수동 점검", 1)
    rc, out = ops(leh.env, "breaker", "close", y, "--reason", "점검 완료")
    assert rc == 0 and out["resumed"] == 1
    wait_for(leh.data_dir, y2, "done")
    rc, err = ops(leh.env, "breaker", "open", y)
    assert rc == 2 and err["error"]["code"] == "REASON_REQUIRED"
    actions = [a["action"] for a in admin.data("GET", "/api/admin/audit", params={"object_id": y})]
    assert {"admin.breaker_open", "admin.breaker_close"} <= set(actions)


@pytest.fixture
def flood_leh(tmp_path: Path) -> Iterator[LehProcesses]:
    """A server that accepts at most 12 uploads per user per minute (no workers: uploads stay queued)."""
    with running_leh(tmp_path / "var", LEH_UPLOAD_RATE_PER_MINUTE="12") as procs:
        yield procs


def test_upload_flood_is_limited_found_in_the_upload_log_and_blocked(flood_leh: LehProcesses) -> None:
    leh = flood_leh
    admin = Api(leh.base_url).login(*ADMIN)
    attacker, lawyer = make_user(admin, "flood@test.local"), make_user(admin, "normal@test.local")
    case = attacker.data("POST", "/api/cases", 201, json={"title": "공격"})["id"]
    mine = lawyer.data("POST", "/api/cases", 201, json={"title": "정상"})["id"]
    same = b"the same junk file" * 100
    ids = [attacker.data("POST", f"/api/cases/{case}/evidence", 201, files={"file": (f"f{i}.txt", same, "text/plain")})["id"]
           for i in range(12)]
    limited = attacker.call("POST", f"/api/cases/{case}/evidence", 429, files={"file": ("f.txt", same, "text/plain")}).json()
    assert limited["error"] == {"code": "RATE_LIMITED", "message": "업로드 요청이 너무 많습니다(1분에 최대 12건). 1분 후 다시 시도해주세요."}
    attacker.call("POST", "/api/evidence/presigned-url", 429, json={"case_id": case, "filename": "x.txt", "size": 10})
    normal = upload(lawyer, mine, 1)  # the limit is per account

    rc, rep = ops(leh.env, "uploads", "--suspicious", "--min-burst", "10")
    assert rc == 1 and rep["level"] == "Lv1"
    [finding] = rep["findings"]
    assert finding["detail"]["reasons"] == ["burst", "duplicate_flood"] and finding["detail"]["cases"] == [case]
    assert "leh admin block flood@test.local" in rep["steps"][0]
    api_view = admin.data("GET", "/api/admin/uploads/anomalies", params={"min_burst": 10})
    [row] = api_view["suspicious"]
    assert (row["email"], row["uploads"], row["bytes"], row["distinct_files"]) == ("flood@test.local", 12, 12 * len(same), 1)
    assert {r["email"] for r in api_view["stats"]} == {"flood@test.local", "normal@test.local"}

    # Runbook C-3: block the account. Its token stops at once, its queued items stop waiting for the AI.
    blocked = run_cli(leh.env, "admin", "block", "flood@test.local")
    assert blocked.returncode == 0, blocked.stderr
    assert attacker.call("GET", "/api/cases", 403).json()["error"]["code"] == "USER_BLOCKED"
    # Logging in again fails like a wrong password (a blocked account is not revealed to anonymous callers).
    assert Api(leh.base_url).call("POST", "/api/auth/login", 401, json={
        "email": "flood@test.local", "password": "password-123"}).json()["error"]["code"] == "INVALID_CREDENTIALS"
    assert {status_of(leh.data_dir, e) for e in ids} == {"paused"}
    assert status_of(leh.data_dir, normal) == "queued"
    [audit_row] = admin.data("GET", "/api/admin/audit", params={"action": "admin.user_block"})
    assert audit_row["detail"]["evidence"] == 12
