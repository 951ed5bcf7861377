"""Issue 16 item 3: the audit write never fails a request under concurrency. 50 clients at once, through the HTTP
API of two `leh serve` processes on one database (SQLite: one writer at a time across processes; PostgreSQL:
several), every request audited: no request fails, every one has its row, and the chain verifies."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from leh.config import Settings
from leh.container import Container
from leh.domain.audit_actions import AuditAction
from leh.models import AuditLog
from tests.conftest import ADMIN
from tests.support.live import REPO, Api, LehProcesses, leh_env
from tests.support.postgres import PgCluster

CLIENTS = 50
ROUNDS = 1  # each client: create a case on one server, read it on the other


@contextmanager
def _two_servers(tmp_path: Path, database_url: str | None) -> Iterator[list[LehProcesses]]:
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    extra = {"LEH_DATABASE_URL": database_url} if database_url else {}
    servers = [LehProcesses(data_dir=data_dir, env=leh_env(data_dir, **extra)) for _ in range(2)]
    try:
        for p in servers:  # one after the other: the first migrates and creates the admin
            p.start_server()
        yield servers
    finally:
        for p in servers:
            p.stop()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_fifty_clients_on_two_servers_never_fail_an_audited_request(tmp_path: Path, backend: str,
                                                                     request: pytest.FixtureRequest) -> None:
    cluster: PgCluster | None = request.getfixturevalue("pg_cluster") if backend == "postgres" else None
    url = cluster.create_database() if cluster else None
    try:
        with _two_servers(tmp_path, url) as servers:
            token = Api(servers[0].base_url).login(*ADMIN).token
            barrier = threading.Barrier(CLIENTS)

            def client(i: int) -> list[int]:
                statuses: list[int] = []
                with httpx.Client(timeout=120, headers={"Authorization": f"Bearer {token}"}) as http:
                    barrier.wait()
                    for n in range(ROUNDS):
                        a, b = servers[(i + n) % 2].base_url, servers[(i + n + 1) % 2].base_url
                        made = http.post(a + "/api/cases", json={"title": f"사건 {i}-{n}"})
                        statuses.append(made.status_code)
                        if made.status_code == 201:
                            statuses.append(http.get(f"{b}/api/cases/{made.json()['data']['id']}").status_code)
                return statuses

            with ThreadPoolExecutor(CLIENTS) as pool:
                results = list(pool.map(client, range(CLIENTS)))
            assert all(r == [201, 200] * ROUNDS for r in results), [r for r in results if r != [201, 200] * ROUNDS]

            out = subprocess.run([sys.executable, "-m", "leh", "ops", "verify-audit", "--json"], env=servers[0].env,
                                 cwd=REPO, capture_output=True, text=True, timeout=120)
            assert out.returncode == 0, out.stdout + out.stderr
            report = json.loads(out.stdout)
        reader = Container(Settings(data_dir=tmp_path / "var", database_url=url))
        try:
            with reader.sessions() as db:
                rows = db.scalar(select(func.count()).select_from(AuditLog))
                by_action = dict(db.execute(select(AuditLog.action, func.count()).where(
                    AuditLog.action.in_([AuditAction.CASE_CREATE, AuditAction.CASE_VIEW])).group_by(AuditLog.action)).all())
        finally:
            reader.engine.dispose()
        # Every audited request got exactly its row, and the whole chain, racers included, verifies.
        assert by_action == {AuditAction.CASE_CREATE: CLIENTS * ROUNDS, AuditAction.CASE_VIEW: CLIENTS * ROUNDS}
        assert report["ok"] is True and report["checked"] == rows
    finally:
        if cluster and url:
            cluster.drop_database(url)
