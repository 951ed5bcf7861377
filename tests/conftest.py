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

ADMIN = ("admin@test.local", "admin-password-1")
FOLDER_MARKERS = ("unit", "integration", "e2e", "security")


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


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var", demo=False, secret_key="test-secret-" + "x" * 32,
                    queue_visibility_seconds=30, queue_backoff_seconds=0.2, worker_heartbeat_seconds=1)


@pytest.fixture
def container(settings: Settings) -> Container:
    c = Container(settings)
    c.migrate()
    return c


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
