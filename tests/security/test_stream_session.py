"""Issue #15, Medium 4: an open /api/staff/progress/stream stops when its user is blocked or logs out."""

from __future__ import annotations

import queue
import threading

import pytest

from leh.api import staff
from tests.conftest import make_user
from tests.support.live import Api


def _reader(api: Api, lines: queue.Queue[str | None]) -> threading.Thread:
    def run() -> None:
        with api.http.stream("GET", "/api/staff/progress/stream", headers=api.headers()) as resp:
            assert resp.status_code == 200
            for line in resp.iter_lines():
                lines.put(line)
        lines.put(None)  # the server ended the stream

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _until(lines: queue.Queue[str | None], wanted: str, timeout: float = 10) -> list[str]:
    seen: list[str] = []
    while True:
        line = lines.get(timeout=timeout)
        if line is None:
            raise AssertionError(f"stream closed before {wanted!r}: {seen}")
        seen.append(line)
        if line.strip() == wanted:
            return seen


@pytest.mark.parametrize("how", ["blocked", "logged_out"])
def test_progress_stream_ends_with_the_session(app_admin_api: Api, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    monkeypatch.setattr(staff, "STREAM_INTERVAL_SECONDS", 0.1)
    owner = make_user(app_admin_api, "owner@test.local")
    watcher = make_user(app_admin_api, "staff@test.local", role="staff")
    case = owner.data("POST", "/api/cases", 201, json={"title": "진행 사건"})
    owner.data("POST", f"/api/cases/{case['id']}/members", 201, json={"email": "staff@test.local", "role": "member"})
    lines: queue.Queue[str | None] = queue.Queue()
    thread = _reader(watcher, lines)
    _until(lines, "event: progress")
    if how == "blocked":
        app_admin_api.data("POST", f"/api/admin/users/{watcher.data('GET', '/api/auth/me')['id']}/block")
    else:
        watcher.data("POST", "/api/auth/logout")
    owner.data("POST", f"/api/cases/{case['id']}/evidence", 201,
               files={"file": ("차단후_새파일.txt", "내용".encode(), "text/plain")})
    rest = _until(lines, "event: ended")
    thread.join(timeout=10)
    assert not thread.is_alive(), "the stream kept running after the session ended"
    assert not any("차단후_새파일" in line for line in rest)
