"""Shared fixtures: settings and container on a temp data dir, and live server/worker processes.

Every test gets the marker of its folder (unit, integration, e2e, security), so `pytest -m unit` picks exactly the
tests under tests/unit/. A test marked for another folder than its own is a collection error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leh.config import Settings
from leh.container import Container
from tests.support.live import Api, LehProcesses, running_leh
from tests.support.postgres import PgCluster, postgres_cluster

ADMIN = ("admin@test.local", "admin-password-1")
FOLDER_MARKERS = ("unit", "integration", "e2e", "security", "reliability")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tests_dir = Path(__file__).resolve().parent
    for item in items:
        folder = item.path.resolve().relative_to(tests_dir).parts[0]
        if folder not in FOLDER_MARKERS:
            raise pytest.UsageError(f"{item.nodeid}: tests live in tests/unit, tests/integration, tests/e2e or tests/security")
        others = [m.name for m in item.iter_markers() if m.name in FOLDER_MARKERS and m.name != folder]
        if others:
            raise pytest.UsageError(f"{item.nodeid} is in tests/{folder}/ but marked {others}")
        item.add_marker(folder)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test module with `ON_POSTGRES = True` runs each test that uses the relational DB on SQLite and on PostgreSQL."""
    if "database_url" in metafunc.fixturenames and getattr(metafunc.module, "ON_POSTGRES", False):
        metafunc.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """One throwaway PostgreSQL 15 cluster per test session (per xdist worker), started on first use."""
    with postgres_cluster() as cluster:
        yield cluster


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """LEH_DATABASE_URL for this test: None (SQLite under the data dir) or a fresh database on `pg_cluster`."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield None
        return
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    url = cluster.create_database()
    yield url
    cluster.drop_database(url)


@pytest.fixture
def settings(tmp_path: Path, database_url: str | None) -> Settings:
    return Settings(data_dir=tmp_path / "var", demo=False, secret_key="test-secret-" + "x" * 32,
                    queue_visibility_seconds=30, queue_backoff_seconds=0.2, worker_heartbeat_seconds=1,
                    database_url=database_url)


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    c = Container(settings)
    c.migrate()
    yield c
    c.engine.dispose()


@pytest.fixture
def leh(tmp_path: Path) -> Iterator[LehProcesses]:
    """A running server (no workers yet: tests start the workers they need)."""
    with running_leh(tmp_path / "var") as procs:
        yield procs


@pytest.fixture
def admin_api(leh: LehProcesses) -> Api:
    return Api(leh.base_url).login(*ADMIN)


@pytest.fixture
def app_admin_api(container: Container) -> Api:
    """The admin's client of an app in this process (FastAPI TestClient): routes only, no server, no workers."""
    from fastapi.testclient import TestClient

    from leh.api.app import create_app
    from leh.bootstrap import ensure_admin

    created = ensure_admin(container)
    assert created is not None
    return Api("", http=TestClient(create_app(container))).login(*created)


def make_user(admin_api: Api, email: str, role: str = "lawyer", password: str = "password-123") -> Api:
    admin_api.data("POST", "/api/admin/users", 201, json={"email": email, "password": password, "role": role, "name": email})
    return admin_api.as_user(email, password)
