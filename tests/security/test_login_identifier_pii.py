"""Issue #15, Medium 6: a password typed into the e-mail field never reaches the audit log in clear, and the
weekly PII sampling finds such a row (written by older code or a call site that skipped the masking)."""

from __future__ import annotations

import json

from leh.analysis.masking import mask_payload
from leh.container import Container
from leh.domain.audit_chain import GENESIS_HASH
from leh.models import AuditLog
from leh.services.ops.pii_scan import check_pii
from tests.support.live import Api

TYPED = "Sup3r-Secret!pw"


def test_failed_login_identifier_is_masked_unless_it_is_an_email(app_admin_api: Api, container: Container) -> None:
    anon = app_admin_api.fresh()
    assert anon.call("POST", "/api/auth/login", json={"email": TYPED, "password": "x"}).status_code == 401
    assert anon.call("POST", "/api/auth/login", json={"email": "kim@test.local", "password": "x"}).status_code == 401
    rows = app_admin_api.data("GET", "/api/admin/audit", params={"action": "auth.login_failed"})
    assert len(rows) == 2
    assert all(TYPED not in json.dumps(r, ensure_ascii=False) for r in rows)
    assert rows[1]["detail"]["email"] == "[REDACTED]"
    assert rows[0]["detail"]["email"] != "[REDACTED]"  # an address stays an (already masked) address
    with container.sessions() as db:
        assert all(TYPED not in r.detail_masked for r in db.query(AuditLog))
        assert check_pii(container.settings, db, seed=1).status == "ok"
    assert mask_payload({"email": "a.b@example.co.kr"})["email"] == "[이메일]"
    assert mask_payload({"username": "hunter2"})["username"] == "[REDACTED]"


def test_weekly_pii_sampling_finds_a_plain_password_in_the_email_field(container: Container) -> None:
    with container.sessions() as db:
        db.add(AuditLog(seq=1, at="2026-01-01T00:00:00+00:00", action="auth.login_failed", object_type="user",
                        detail_masked=json.dumps({"email": TYPED, "code": "INVALID_CREDENTIALS"}),
                        prev_hash=GENESIS_HASH, hash="x"))
        db.commit()
        finding = check_pii(container.settings, db, seed=1)
    assert finding.status == "fail" and finding.level == "Lv3"
    assert finding.detail["hits"][0]["kinds"] == ["password"] and TYPED not in json.dumps(finding.detail)
