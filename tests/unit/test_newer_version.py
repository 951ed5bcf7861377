"""A newer version of a confirmed original (S3 takes a presigned POST until it expires, also after confirmation)
is an integrity event: logged at ERROR with ids, audited as `integrity.newer_version`, a Lv3 finding — and the
recorded version stays what LEH reads. The notification's own versionId is trusted when S3 sends one."""

from __future__ import annotations

import pytest

from leh.container import Container
from leh.domain.audit_actions import AuditAction
from leh.domain.evidence import new_evidence_doc
from leh.services import integrity
from leh.services.ops.integrity import check_integrity

CASE, EVID = "0f4c2a0e-1111-4222-8333-944445555666", "9a8b7c6d-1111-4222-8333-944445555666"


def _doc(**extra: str) -> dict[str, object]:
    doc = dict(new_evidence_doc(case_id=CASE, evidence_id=EVID, filename="대화.txt", size=3, uploaded_by="u"))
    return {**doc, "sha256": "a" * 64, **extra}


def test_the_recorded_version_seen_again_is_no_event(container: Container) -> None:
    assert integrity.newer_version(container.sessions, container.objects, _doc(raw_version="v1"), where="notification",
                                   seen="v1") is None
    # Without a recorded version (local store, unversioned bucket) there is nothing to compare.
    assert integrity.newer_version(container.sessions, container.objects, _doc(), where="notification", seen="v2") is None
    with container.sessions() as db:
        assert integrity.recent_mismatches(db, action=AuditAction.INTEGRITY_NEWER_VERSION) == []


def test_a_later_version_is_logged_audited_and_a_lv3_finding(container: Container,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("ERROR", logger="leh.integrity"):
        assert integrity.newer_version(container.sessions, container.objects, _doc(raw_version="v1"),
                                       where="notification", seen="v2") == "v2"
    [line] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert (getattr(line, "evidence_id", None), getattr(line, "case_id", None)) == (EVID, CASE)
    with container.sessions() as db:
        [row] = integrity.recent_mismatches(db, action=AuditAction.INTEGRITY_NEWER_VERSION)
    assert row["evidence_id"] == EVID and (row["recorded_version"], row["newer_version"]) == ("v1", "v2")
    finding = check_integrity(container)
    assert (finding.status, finding.level) == ("fail", "Lv3") and finding.detail["evidence_ids"] == [EVID]
    assert "새 버전" in finding.summary and "보존" in finding.summary
