"""Upload-log analysis (floods of one file, bursts against the account's own history) and the upload rate limit."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from leh.container import Container
from leh.domain.errors import RateLimited
from leh.models import UploadLog, User
from leh.services import accounts
from leh.services.ops.findings import Level, Status
from leh.services.ops.uploads import anomaly_findings, check_upload_rate, upload_anomalies

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _user(c: Container, email: str) -> User:
    with c.sessions() as db:
        u = accounts.create_user(db, email=email, password="password-123", role="lawyer")
        db.commit()
        return u


def _log(c: Container, user: User, case_id: str, at: datetime, payload: bytes, n: int = 1) -> None:
    sha = hashlib.sha256(payload).hexdigest()
    with c.sessions() as db:
        for i in range(n):
            db.add(UploadLog(user_id=user.id, case_id=case_id, evidence_id=f"e-{at.timestamp()}-{i}", size=len(payload),
                             sha256=sha, at=(at - timedelta(seconds=i)).replace(tzinfo=None)))
        db.commit()


def test_floods_and_bursts_are_flagged_against_each_accounts_history(container: Container) -> None:
    attacker, busy, quiet = _user(container, "att@test.local"), _user(container, "busy@test.local"), _user(container, "q@test.local")
    # The busy lawyer uploads ~40 files an hour every day: 45 this hour is normal for them.
    for day in range(1, 7):
        for hour in range(0, 24, 6):
            _log(container, busy, "case-b", NOW - timedelta(days=day, hours=hour), f"b{day}{hour}".encode(), n=40)
    for i in range(45):
        _log(container, busy, "case-b", NOW - timedelta(minutes=i), f"distinct {i}".encode())
    # The attacker: no history, 60 uploads in the hour, 30 of them the very same file.
    _log(container, attacker, "case-a", NOW - timedelta(minutes=5), b"same bytes", n=30)
    for i in range(30):
        _log(container, attacker, "case-a", NOW - timedelta(minutes=10 + i), f"junk {i}".encode())
    _log(container, quiet, "case-q", NOW - timedelta(minutes=3), b"one file")
    # Old activity outside the window does not count towards the window.
    _log(container, quiet, "case-q", NOW - timedelta(hours=3), b"old flood", n=20)

    with container.sessions() as db:
        result = upload_anomalies(db, window_seconds=3600, min_burst=50, duplicate_threshold=5, now=NOW)
    rows = {r["email"]: r for r in result["stats"]}
    assert rows["att@test.local"]["uploads"] == 60 and rows["att@test.local"]["bytes"] == 30 * 10 + sum(
        len(f"junk {i}") for i in range(30))
    assert rows["att@test.local"]["reasons"] == ["duplicate_flood", "burst"]
    assert rows["att@test.local"]["duplicate_floods"][0]["count"] == 30
    assert rows["busy@test.local"]["uploads"] == 45 and rows["busy@test.local"]["reasons"] == []
    assert rows["busy@test.local"]["baseline_per_window"] > 5
    assert rows["q@test.local"]["uploads"] == 1 and not rows["q@test.local"]["suspicious"]
    assert [r["email"] for r in result["suspicious"]] == ["att@test.local"]

    [finding] = anomaly_findings(result)
    assert finding.status == Status.FAIL and finding.level == Level.LV1
    assert "leh admin block att@test.local" in (finding.action or "")
    assert finding.detail["reasons"] == ["burst", "duplicate_flood"]


def test_no_anomaly_is_one_ok_finding(container: Container) -> None:
    with container.sessions() as db:
        [finding] = anomaly_findings(upload_anomalies(db, now=NOW))
    assert finding.status == Status.OK and "1시간" in finding.summary


def test_rate_limit_counts_accepted_uploads_and_attempts(container: Container) -> None:
    container.settings.upload_rate_per_minute = 3
    user, other = _user(container, "r@test.local"), _user(container, "o@test.local")
    now = datetime.now(UTC)
    # Accepted uploads written by another server process show up in the shared log.
    _log(container, user, "c", now - timedelta(seconds=5), b"x", n=3)
    with container.sessions() as db, pytest.raises(RateLimited) as err:
        check_upload_rate(db, container.settings, user)
    assert err.value.http_status == 429 and "1분에 최대 3건" in err.value.message_ko
    # Another user is not affected; this process's own attempts count too.
    with container.sessions() as db:
        for _ in range(3):
            check_upload_rate(db, container.settings, other)
        with pytest.raises(RateLimited):
            check_upload_rate(db, container.settings, other)
    container.settings.upload_rate_per_minute = 0
    with container.sessions() as db:
        check_upload_rate(db, container.settings, other)  # 0 disables the limit
