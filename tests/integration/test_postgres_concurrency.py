"""Several writers on one relational database: the audit chain, breaker opens and the first admin claim their
work correctly on SQLite and on PostgreSQL (threads here; two `leh serve` processes and a worker on
PostgreSQL and DynamoDB below).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select

from leh.adapters.dynamodb_evidence import ensure_table
from leh.bootstrap import ensure_admin
from leh.config import Settings
from leh.container import Container
from leh.domain.audit_actions import AuditAction
from leh.models import AuditLog, CaseBreaker, User
from leh.services import accounts, audit, breakers, cases
from tests.conftest import ADMIN
from tests.support import moto
from tests.support.live import REPO, Api, LehProcesses, leh_env
from tests.support.postgres import PgCluster

ON_POSTGRES = True  # tests/conftest.py: each test that takes `container` runs on SQLite and on PostgreSQL

T = TypeVar("T")
MEMO = "2024년 1월 3일 남편이 생활비를 주지 않았다.\n2024년 2월 1일 남편이 폭언을 하였다.\n"


def _all_at_once(n: int, fn: Callable[[int], T]) -> list[T]:
    """Run fn(0..n-1) on n threads released together; every result (an exception fails the test)."""
    barrier = threading.Barrier(n)

    def run(i: int) -> T:
        barrier.wait()
        return fn(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def test_threads_appending_audit_rows_never_fail_and_keep_the_chain(container: Container,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "_RETRIES", 1)  # the lock, not the retry loop, must keep appends apart

    def append(i: int) -> list[int]:
        return [audit.record(container.sessions, action=AuditAction.CASE_VIEW, object_type="case",
                             object_id=f"case-{i}", detail={"n": n}).seq for n in range(25)]

    seqs = sorted(s for batch in _all_at_once(8, append) for s in batch)
    assert seqs == list(range(1, 201))
    with container.sessions() as db:
        report = audit.verify(db)
        assert (report.ok, report.checked) == (True, 200)
        assert db.scalar(select(func.count()).select_from(AuditLog)) == 200


def test_workers_crossing_the_budget_together_open_the_breaker_once(container: Container,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    set_state = breakers.set_state

    def slow_set_state(*args: Any, **kw: Any) -> CaseBreaker:
        time.sleep(0.05)  # a slow writer: every racer has read "no breaker yet" before the first one writes
        return set_state(*args, **kw)

    monkeypatch.setattr(breakers, "set_state", slow_set_state)
    with container.sessions() as db:
        owner = accounts.create_user(db, email="l@test.local", password="password-123", role="lawyer", name="l")
        case_id = cases.create_case(db, owner, title="예산 사건").id
        db.commit()

    def open_it(_i: int) -> bool:
        with container.sessions() as db:
            return breakers.open_for_budget(db, case_id, "토큰 예산 초과")

    assert sorted(_all_at_once(6, open_it)) == [False] * 5 + [True]
    with container.sessions() as db:
        breaker = db.get(CaseBreaker, case_id)
        assert breaker is not None and (breaker.state, breaker.opened_by) == ("open", breakers.BUDGET_ACTOR)


def test_servers_starting_together_create_one_first_admin(container: Container) -> None:
    created = _all_at_once(4, lambda _i: ensure_admin(container))
    assert len([c for c in created if c is not None]) == 1
    with container.sessions() as db:
        assert db.scalar(select(func.count()).select_from(User)) == 1
        bootstraps = db.scalars(select(AuditLog).where(AuditLog.action == AuditAction.ADMIN_BOOTSTRAP)).all()
        assert len(bootstraps) == 1


# ---------------------------------------------------------------- two `leh serve` processes on one PostgreSQL DB
def _start_together(servers: list[LehProcesses]) -> None:
    errors: list[BaseException] = []

    def start(p: LehProcesses) -> None:
        try:
            p.start_server()
        except BaseException as e:  # noqa: BLE001 - reported below with the server's log
            errors.append(e)

    threads = [threading.Thread(target=start, args=(p,)) for p in servers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_two_servers_writing_at_once_keep_the_audit_chain_valid(tmp_path: Path, pg_cluster: PgCluster) -> None:
    """The relational and evidence halves of the scale-out profile under real processes: two `leh serve` and a
    `leh worker` on one PostgreSQL database and one DynamoDB table (moto_server)."""
    url = pg_cluster.create_database()
    table = moto.unique_name("evidence")
    dynamodb = moto.client("dynamodb")
    ensure_table(dynamodb, table)
    profile = {"LEH_DATABASE_URL": url, "LEH_DYNAMODB_TABLE": table, "LEH_DYNAMODB_ENDPOINT_URL": moto.endpoint_url(),
               "LEH_AWS_REGION": moto.REGION, **moto.aws_env()}
    servers = [LehProcesses(data_dir=tmp_path / f"var{i}", env=leh_env(tmp_path / f"var{i}", **profile))
               for i in range(2)]
    for p in servers:
        p.data_dir.mkdir(parents=True)
    try:
        # Both migrate and bootstrap a brand-new database at the same moment.
        _start_together(servers)
        servers[0].start_worker()
        apis = [Api(p.base_url).login(*ADMIN) for p in servers]

        # Evidence uploaded through one server, processed by the worker, read through the other from DynamoDB.
        case = apis[0].data("POST", "/api/cases", 201, json={"title": "확장 구성 사건"})
        ev = apis[0].data("POST", f"/api/cases/{case['id']}/evidence", 201,
                          files={"file": ("memo.txt", MEMO.encode(), "text/plain")})
        doc = apis[1].wait_status(ev["id"], {"done", "failed"})
        assert doc["status"] == "done", doc["error"]
        item = dynamodb.get_item(TableName=table, Key={"case_id": {"S": case["id"]}, "evidence_id": {"S": ev["id"]}})
        assert item["Item"]["status"] == {"S": "done"}
        # The API adds display labels (ts_label …) to segments; what is stored is the rest.
        shown = [{k: v for k, v in seg.items() if not k.endswith("_label")} for seg in doc["segments"]]
        assert json.loads(item["Item"]["doc"]["S"])["segments"] == shown
        assert apis[1].data("GET", f"/api/cases/{case['id']}")["status_counts"] == {"done": 1}
        hits = apis[0].data("GET", f"/api/cases/{case['id']}/search", params={"q": "생활비"})
        assert [h["evidence_id"] for h in hits] == [ev["id"]]

        def audited(i: int) -> Any:
            for n in range(5):
                made = apis[i % 2].data("POST", "/api/cases", 201, json={"title": f"사건 {i}-{n}"})
                apis[(i + 1) % 2].data("GET", f"/api/cases/{made['id']}")  # the other server, at once
            return i

        _all_at_once(8, audited)
        out = subprocess.run([sys.executable, "-m", "leh", "ops", "verify-audit", "--json"], env=servers[0].env,
                             cwd=REPO, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stdout + out.stderr
        report = json.loads(out.stdout)
        reader = Container(Settings(data_dir=tmp_path / "var0", database_url=url))
        with reader.sessions() as db:
            rows = db.scalar(select(func.count()).select_from(AuditLog))
            creates = db.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == AuditAction.CASE_CREATE))
        reader.engine.dispose()
        assert creates == 1 + 8 * 5  # every audited request got its row
        assert report["ok"] is True and report["checked"] == rows
    finally:
        for p in servers:
            p.stop()
        pg_cluster.drop_database(url)
