"""LEH_SERVER_PROCESSES=2: two server processes share the port, each with its own container, one API."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.support.live import Api, running_leh


def _children(pid: int) -> list[int]:
    out = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                out.append(int(proc.name))
    return out


def test_two_server_processes_answer_the_same_api(tmp_path: Path) -> None:
    data = tmp_path / "var"
    with running_leh(data, LEH_SERVER_PROCESSES="2") as leh:
        assert leh.server is not None
        admin = Api(leh.base_url).login("admin@test.local", "admin-password-1")
        case = admin.data("POST", "/api/cases", 201, json={"title": "두 서버 프로세스"})
        # New connections land on either process: every one knows the token and sees the case.
        for _ in range(30):
            with httpx.Client(base_url=leh.base_url, timeout=30) as http:
                resp = http.get(f"/api/cases/{case['id']}", headers=admin.headers())
                assert resp.status_code == 200 and resp.json()["data"]["title"] == "두 서버 프로세스"
        servers = [p for p in _children(leh.server.pid)  # uvicorn's children, not multiprocessing's resource tracker
                   if "spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")]
        assert len(servers) == 2
        # Each child built its own container (and log) from the same settings.
        logs = sorted(p.name for p in (data / "logs").glob("server-*.log"))
        assert {f"server-{p}.log" for p in servers} <= set(logs)
