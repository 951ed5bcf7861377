"""Audit log: PII in request bodies never reaches the table; tampering breaks `leh ops verify-audit`."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from tests.support.live import Api, LehProcesses

RRN = "900101-1234567"
PHONE = "010-9876-5432"
CARD = "4111-1111-1111-1111"
ACCOUNT = "110-123-456789"
SECRET_PASSWORD = "s3cret-Passw0rd!"


def _dump_audit(leh: LehProcesses) -> str:
    with sqlite3.connect(leh.data_dir / "leh.db") as conn:
        rows = conn.execute("SELECT action, actor_id, object_id, detail_masked FROM audit_log ORDER BY seq").fetchall()
    return "\n".join(" ".join(str(x) for x in r) for r in rows)


def _verify(leh: LehProcesses) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "leh", "ops", "verify-audit", "--json"], env=leh.env,
                          capture_output=True, text=True, timeout=60)


def test_pii_never_reaches_the_audit_table_and_tampering_is_detected(leh: LehProcesses, admin_api: Api) -> None:
    admin_api.data("POST", "/api/admin/users", 201, json={
        "email": "pii@test.local", "password": SECRET_PASSWORD, "role": "lawyer", "name": "피아이"})
    lawyer = admin_api.as_user("pii@test.local", SECRET_PASSWORD)
    case = lawyer.data("POST", "/api/cases", 201, json={
        "title": f"의뢰인 {RRN} 연락처 {PHONE}", "description": f"카드 {CARD} 계좌 {ACCOUNT}"})
    lawyer.data("PATCH", f"/api/cases/{case['id']}", json={"title": f"주민번호 {RRN}"})
    Api(leh.base_url).call("POST", "/api/auth/login", json={"email": "pii@test.local", "password": SECRET_PASSWORD + "x"})
    ev = lawyer.data("POST", f"/api/cases/{case['id']}/evidence", 201, files={"file": ("a.txt", b"hello", "text/plain")})
    lawyer.data("GET", f"/api/evidence/{ev['id']}")
    lawyer.data("DELETE", f"/api/evidence/{ev['id']}")

    dump = _dump_audit(leh)
    for secret in (RRN, "1234567", PHONE, "9876", CARD, "4111", ACCOUNT, "456789", SECRET_PASSWORD):
        assert secret not in dump, secret
    actions = [line.split()[0] for line in dump.splitlines()]
    for action in ("admin.user_create", "auth.login", "auth.login_failed", "case.create", "case.update",
                   "evidence.create", "evidence.view", "evidence.delete"):
        assert action in actions, action

    ok = _verify(leh)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert '"ok": true' in ok.stdout

    with sqlite3.connect(leh.data_dir / "leh.db") as conn:
        seq = conn.execute("SELECT seq FROM audit_log WHERE action='case.update'").fetchone()[0]
        conn.execute("UPDATE audit_log SET actor_id='someone-else' WHERE seq=?", (seq,))
    bad = _verify(leh)
    assert bad.returncode == 1
    assert '"ok": false' in bad.stdout and '"level": "Lv2"' in bad.stdout
