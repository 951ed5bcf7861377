"""Backups on the scale-out profile: pg_dump / pg_restore against a real PostgreSQL 15 server, with the evidence
store on DynamoDB (moto_server), through the same services `leh ops backup` and `restore-backup` run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from leh.adapters.dynamodb_evidence import DynamoEvidenceStore, ensure_table
from leh.config import Settings
from leh.container import Container
from leh.domain.audit_actions import AuditAction
from leh.domain.evidence import new_evidence_doc, transition
from leh.models import Case, User
from leh.services import accounts, audit, cases
from leh.services.ops.backup import make_backup, restore_backup
from tests.support import moto
from tests.support.postgres import PgCluster


@pytest.fixture
def scale_out(tmp_path: Path, pg_cluster: PgCluster) -> Iterator[Container]:
    url = pg_cluster.create_database()
    table = moto.unique_name("evidence")
    ensure_table(moto.client("dynamodb"), table)
    c = Container(Settings(data_dir=tmp_path / "var", demo=False, secret_key="k" * 40, database_url=url,
                           dynamodb_table=table, dynamodb_endpoint_url=moto.endpoint_url(), aws_region=moto.REGION))
    c.migrate()
    yield c
    c.engine.dispose()
    pg_cluster.drop_database(url)


def _evidence(c: Container, case_id: str, user_id: str, text: str) -> dict:
    doc = new_evidence_doc(case_id=case_id, evidence_id=f"{case_id[:8]}-1111-2222-3333-444455556666",
                           filename="memo.txt", size=len(text), uploaded_by=user_id)
    doc["segments"] = [{"seq": 0, "text": text}]
    for status in ("queued", "processing", "done"):
        transition(doc, status)
    c.evidence.put(doc)
    return doc


def test_backup_and_restore_on_postgresql_with_dynamodb_evidence(scale_out: Container) -> None:
    c = scale_out
    assert isinstance(c.evidence, DynamoEvidenceStore)
    with c.sessions() as db:
        lawyer = accounts.create_user(db, email="r@test.local", password="password-123", role="lawyer", name="r")
        keep = cases.create_case(db, lawyer, title="보존할 사건").id
        db.commit()
    audit.record(c.sessions, action=AuditAction.CASE_CREATE, actor_id=lawyer.id, object_type="case", object_id=keep)
    original = _evidence(c, keep, lawyer.id, "2024년 1월 3일 남편이 생활비를 주지 않았다.")

    made = make_backup(c)
    assert (made["engine"], made["counts"]) == ("postgresql", {"cases": 1, "evidence": 1})
    assert (Path(made["path"]) / "leh.pgdump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    # After the backup: a new case with evidence, the kept evidence deleted, a new account.
    with c.sessions() as db:
        later = cases.create_case(db, db.get(User, lawyer.id), title="백업 이후 사건").id
        accounts.create_user(db, email="late@test.local", password="password-123", role="lawyer", name="late")
        db.commit()
    later_doc = _evidence(c, later, lawyer.id, "나중 메모")
    c.evidence.mutate(original["evidence_id"], lambda d: transition(d, "deleted"))

    out = restore_backup(c, made["name"])
    assert (out["cases"], out["evidence"], out["removed_cases"], out["requeued"]) == (1, 1, 1, 0)
    with c.sessions() as db:
        assert list(db.scalars(select(Case.id))) == [keep]
        assert list(db.scalars(select(User.email))) == ["r@test.local"]
        report = audit.verify(db)
        assert report.ok and report.checked == 1
    assert c.evidence.get(original["evidence_id"]) == original
    assert c.evidence.get(later_doc["evidence_id"]) is None
    assert c.index.count(keep) == {original["evidence_id"]: 1}
