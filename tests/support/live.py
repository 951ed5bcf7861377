"""Real processes for integration tests: `leh serve` and `leh worker` started as subprocesses on a free port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.support.wait import wait_until

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def leh_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEH_")}
    env.update({
        "LEH_DATA_DIR": str(data_dir), "LEH_DEMO": "0", "LEH_SECRET_KEY": "test-secret-" + "x" * 32,
        "LEH_ADMIN_EMAIL": "admin@test.local", "LEH_ADMIN_PASSWORD": "admin-password-1",
        "LEH_LOG_CONSOLE": "0", "OMP_THREAD_LIMIT": "1", "PYTHONUNBUFFERED": "1",
        "LEH_QUEUE_VISIBILITY_SECONDS": "30", "LEH_QUEUE_BACKOFF_SECONDS": "0.2",
        "LEH_WORKER_HEARTBEAT_SECONDS": "1", "LEH_WORKER_POLL_SECONDS": "0.2",
    })
    env.update(extra)
    return env


@dataclass
class LehProcesses:
    """A server and any number of workers sharing one data directory, like `leh run` but controllable."""

    data_dir: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    server: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, *args: str, name: str) -> subprocess.Popen[bytes]:
        with open(self.data_dir / f"{name}.out", "ab") as log:  # the child keeps its own copy of the descriptor
            return subprocess.Popen([sys.executable, "-m", "leh", *args], env=self.env, stdout=log, stderr=log,
                                    cwd=REPO)

    def start_server(self) -> None:
        self.env["LEH_PORT"] = str(self.port)
        self.server = self._spawn("serve", name="server")
        server = self.server

        def healthy() -> bool:
            if server.poll() is not None:
                raise RuntimeError("server exited: " + (self.data_dir / "server.out").read_text()[-3000:])
            try:
                return httpx.get(self.base_url + "/api/health", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(healthy, timeout=60, interval=0.2, message="server did not start")

    def start_worker(self) -> subprocess.Popen[bytes]:
        proc = self._spawn("worker", name=f"worker{len(self.workers)}")
        self.workers.append(proc)
        return proc

    def stop(self) -> None:
        for p in [*self.workers, *([self.server] if self.server else [])]:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in [*self.workers, *([self.server] if self.server else [])]:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


@contextmanager
def running_leh(data_dir: Path, *, workers: int = 0, **env: str) -> Iterator[LehProcesses]:
    """A started `leh serve` (and `workers` workers) on data_dir, with extra LEH_* env; all stopped at the end."""
    data_dir.mkdir(parents=True, exist_ok=True)
    procs = LehProcesses(data_dir=data_dir, env=leh_env(data_dir, **env))
    try:
        procs.start_server()
        for _ in range(workers):
            procs.start_worker()
        yield procs
    finally:
        procs.stop()


class Api:
    """A tiny client for the JSON API that unwraps the envelope and fails loudly on unexpected statuses.

    Talks to a live server at `base_url`, or, given `http=TestClient(app)`, to an app in this process.
    """

    def __init__(self, base_url: str, token: str | None = None, *, http: httpx.Client | None = None):
        # No kept-alive connections: tests make many clients and never close them, so none may hold a socket.
        self.http = http if http is not None else httpx.Client(
            base_url=base_url, timeout=30, limits=httpx.Limits(max_keepalive_connections=0))
        self.token = token

    def fresh(self, token: str | None = None) -> Api:
        """A new client of the same server or app, without this one's token or cookies."""
        if isinstance(self.http, TestClient):
            return Api("", token, http=TestClient(self.http.app))
        return Api(str(self.http.base_url), token)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def call(self, method: str, path: str, expect: int | None = None, **kw: Any) -> httpx.Response:
        resp = self.http.request(method, path, headers={**self.headers(), **kw.pop("headers", {})}, **kw)
        if expect is not None:
            assert resp.status_code == expect, f"{method} {path}: {resp.status_code} {resp.text[:500]}"
        return resp

    def data(self, method: str, path: str, expect: int = 200, **kw: Any) -> Any:
        return self.call(method, path, expect, **kw).json()["data"]

    def login(self, email: str, password: str) -> Api:
        self.token = self.data("POST", "/api/auth/login", json={"email": email, "password": password})["access_token"]
        return self

    def page(self, path: str, expect: int = 200) -> str:
        """A server-rendered page as this user (pages read the session cookie, not the Bearer header)."""
        resp = self.http.get(path, headers={"Cookie": f"leh_session={self.token}"})  # per-request cookies= is deprecated
        assert resp.status_code == expect, f"GET {path}: {resp.status_code}"
        return resp.text

    def as_user(self, email: str, password: str) -> Api:
        return self.fresh().login(email, password)

    def wait_status(self, evidence_id: str, statuses: set[str], timeout: float = 60) -> dict[str, Any]:
        doc: dict[str, Any] = {}

        def reached() -> dict[str, Any] | None:
            nonlocal doc
            doc = self.data("GET", f"/api/evidence/{evidence_id}")
            return doc if doc["status"] in statuses else None

        return wait_until(reached, timeout=timeout, interval=0.2, message=lambda: (
            f"evidence {evidence_id} stayed {doc.get('status')} (wanted {statuses}): {doc.get('error')}"))
