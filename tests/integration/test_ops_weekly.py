"""The weekly checklist (runbook section 3) on a running LEH: tmp/ left behind and swept by the workers'
janitor, no backup then a fresh one then an aged one, the TLS certificate of LEH_PUBLIC_URL on a local TLS
server, and a PII leak seeded into the audit log and the app logs; plus a backup/restore round trip."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from leh.config import Settings
from leh.container import Container
from leh.domain.audit_chain import row_hash
from leh.domain.evidence import now_iso
from leh.models import AuditLog
from leh.services import audit
from leh.services.audit import _as_mapping
from leh.services.ops.findings import Status
from leh.services.ops.index_check import check_index
from tests.conftest import make_user
from tests.integration.test_ops_scenario_a import Webhook
from tests.support.live import Api, LehProcesses
from tests.support.wait import wait_until
from tests.unit.test_ops_tls import make_cert, tls_server


def run_ops(env: dict[str, str], *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "leh", "ops", *args], env={**env, "COLUMNS": "200", **extra},
                          capture_output=True, text=True, timeout=120)


def ops(env: dict[str, str], *args: str, **extra: str) -> tuple[int, Any]:
    r = run_ops(env, *args, "--json", **extra)
    assert r.stdout.strip(), r.stderr[-2000:]
    return r.returncode, json.loads(r.stdout)


def local(leh: LehProcesses) -> Container:
    return Container(Settings(data_dir=leh.data_dir, secret_key=leh.env["LEH_SECRET_KEY"]))


def put_tmp(c: Container, key: str, size: int, age_hours: float) -> Path:
    c.objects.put(key, io.BytesIO(b"\0" * size))
    path = c.settings.data_dir / "objects" / key
    t = time.time() - age_hours * 3600
    os.utime(path, (t, t))
    return path


def leaky_audit_row(c: Container, detail: dict[str, Any]) -> None:
    """What a buggy writer would append: correctly chained, but never masked."""
    with c.sessions() as db:
        last = db.scalar(select(AuditLog).order_by(AuditLog.seq.desc()).limit(1))
        row = AuditLog(seq=last.seq + 1, at=now_iso(), action="case.update", object_type="case", object_id=None,
                       detail_masked=json.dumps(detail, ensure_ascii=False), prev_hash=last.hash, hash="")
        row.hash = row_hash(_as_mapping(row), row.prev_hash)
        db.add(row)
        db.commit()


def by_check(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["check"]: f for f in report["findings"]}


def test_weekly_checklist_catches_and_clears_each_item(tmp_path: Path, leh: LehProcesses, admin_api: Api) -> None:
    lawyer = make_user(admin_api, "w@test.local")
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "정기 점검"})
    lawyer.data("POST", f"/api/cases/{case['id']}/evidence", 201,
                files={"file": ("memo.txt", "2024년 1월 3일 남편이 집을 나갔다.".encode(), "text/plain")})
    c = local(leh)
    stale = put_tmp(c, "tmp/upload-abandoned.part", 4096, age_hours=48)
    fresh = put_tmp(c, "tmp/upload-in-progress.part", 100, age_hours=1)
    cert, key = make_cert(tmp_path / "tls", 90)
    hook = Webhook()
    with tls_server(cert, key) as url:
        env = {**leh.env, "LEH_PUBLIC_URL": url, "SSL_CERT_FILE": str(cert), "LEH_ALERT_WEBHOOK_URL": hook.url,
               "LEH_BACKUP_DIR": str(tmp_path / "nas" / "leh-backups")}
        try:
            rc, rep = ops(env, "weekly")
        finally:
            hook.close()
        assert rc == 1 and rep["level"] == "Lv2"
        f = by_check(rep)
        assert (f["tmp.lifecycle"]["status"], f["tmp.lifecycle"]["level"]) == ("fail", "Lv1")
        assert (f["tmp.lifecycle"]["detail"]["expired"], f["tmp.lifecycle"]["detail"]["expired_bytes"]) == (1, 4096)
        assert (f["backup.age"]["status"], f["backup.age"]["level"]) == ("fail", "Lv2")
        assert (f["tls.certificate"]["status"], f["tls.certificate"]["detail"]["trusted"]) == ("ok", True)
        assert 89 <= f["tls.certificate"]["detail"]["days_left"] <= 90
        assert f["audit.pii"]["status"] == "ok" and f["audit.pii"]["detail"]["audit_rows_sampled"] > 5
        assert f["audit.chain"]["status"] == "ok"
        assert sorted((a["check"], a["level"]) for a in hook.alerts) == [("backup.age", "Lv2"), ("tmp.lifecycle", "Lv1")]

        # The workers' janitor sweeps tmp/ on start; a backup is made: the checklist is clean.
        leh.start_worker()
        wait_until(lambda: not stale.exists(), interval=0.1, message="the janitor never swept tmp/")
        assert fresh.exists()
        rc, made = ops(env, "backup")
        assert rc == 0 and made["counts"] == {"cases": 1, "evidence": 1}
        rc, rep = ops(env, "weekly")
        assert rc == 0 and rep["ok"], rep["steps"]
        assert by_check(rep)["tmp.lifecycle"]["detail"]["objects"] == 1
        # The server runs the same checklist with its own settings: no LEH_BACKUP_DIR, so it looks beside the data.
        served = admin_api.data("GET", "/api/admin/weekly")
        assert served["kind"] == "weekly" and len(served["findings"]) == 6
        assert by_check(served)["backup.age"]["status"] == "fail"

        # A week without backups, and a leak: the audit log and a log line carry plain PII.
        manifest = Path(made["path"]) / "manifest.json"
        m = json.loads(manifest.read_text())
        m["created_at"] = (datetime.now(UTC) - timedelta(hours=25)).isoformat(timespec="seconds")
        manifest.write_text(json.dumps(m))
        leaky_audit_row(c, {"title": "의뢰인 주민번호 900101-1234567"})
        with open(leh.data_dir / "logs" / "server.log", "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"at": now_iso(), "level": "INFO", "msg": "연락처 010-9876-5432 로 전화"}, ensure_ascii=False) + "\n")
        out = run_ops(env, "weekly", "--sample", "1000")
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    row = {name: next(line for line in lines if name in line) for name in ("백업", "TLS 인증서", "민감정보", "해시 체인")}
    assert re.search(r"❌ .*백업 .*Lv2 .*25시간 전", row["백업"])
    assert re.search(r"✅ .*TLS 인증서 .*Lv1", row["TLS 인증서"])
    assert re.search(r"❌ .*민감정보.*Lv3 .*평문 민감정보 2건 발견 \(phone, rrn\)", row["민감정보"])
    assert re.search(r"✅ .*해시 체인 .*Lv2", row["해시 체인"])  # correctly chained: only the masking failed
    assert "❌ Lv3 — 호출: CTO / PM — 즉시" in out.stdout
    assert "900101" not in out.stdout and "9876" not in out.stdout


def test_backup_restores_database_and_evidence_store(leh: LehProcesses, admin_api: Api) -> None:
    lawyer = make_user(admin_api, "r@test.local")
    keep = lawyer.data("POST", "/api/cases", 201, json={"title": "보존할 사건"})["id"]
    ev = lawyer.data("POST", f"/api/cases/{keep}/evidence", 201,
                     files={"file": ("memo.txt", "2024년 1월 3일 남편이 생활비를 주지 않았다.".encode(), "text/plain")})
    leh.start_worker()
    original = lawyer.wait_status(ev["id"], {"done"})
    hits = lawyer.data("GET", f"/api/cases/{keep}/search", params={"q": "생활비"})
    rc, made = ops(leh.env, "backup")
    assert rc == 0 and made["counts"] == {"cases": 1, "evidence": 1}

    # After the backup: a new case with evidence, the kept evidence deleted, a new account.
    later = lawyer.data("POST", "/api/cases", 201, json={"title": "백업 이후 사건"})["id"]
    ev2 = lawyer.data("POST", f"/api/cases/{later}/evidence", 201, files={"file": ("b.txt", "나중 메모".encode(), "text/plain")})
    lawyer.wait_status(ev2["id"], {"done"})
    lawyer.data("DELETE", f"/api/evidence/{ev['id']}")
    make_user(admin_api, "late@test.local")

    leh.stop()
    rc, out = ops(leh.env, "restore-backup", made["name"], "--yes")
    assert rc == 0, out
    assert (out["cases"], out["evidence"], out["removed_cases"], out["requeued"]) == (1, 1, 1, 0)
    leh.start_server()

    assert [c["id"] for c in lawyer.data("GET", "/api/cases", params={"status": "all"})] == [keep]
    back = lawyer.data("GET", f"/api/evidence/{ev['id']}")
    assert back["status"] == "done" and back["segments"] == original["segments"]
    assert lawyer.data("GET", f"/api/cases/{keep}/search", params={"q": "생활비"}) == hits
    lawyer.call("GET", f"/api/evidence/{ev2['id']}", 404)
    Api(leh.base_url).call("POST", "/api/auth/login", 401, json={"email": "late@test.local", "password": "password-123"})
    c = local(leh)
    with c.sessions() as db:
        assert [f.status for f in check_index(db, c.evidence, c.index)] == [Status.OK]  # the later case left the index too
        assert audit.verify(db).ok  # the audit log is the backup's, plus the restore's own row, still chained
        [restored] = audit.list_rows(db, action="admin.backup_restore")
        assert restored["object_id"] == made["name"] and restored["detail"]["evidence"] == 1
