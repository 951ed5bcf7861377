"""A 500 MB text file is streamed, never held in memory, and fails alone with a clear code."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.conftest import make_user
from tests.support.live import Api, LehProcesses

MB = 1024 * 1024


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def test_500_mb_text_file_is_streamed_and_refused_without_reading_it(leh: LehProcesses, admin_api: Api, tmp_path: Path) -> None:
    lawyer = make_user(admin_api, "large@test.local")
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "대용량"})
    big = tmp_path / "huge.txt"
    line = ("[홍길동] [오후 10:20] 아주 긴 대화 기록입니다 " * 20 + "\n").encode()
    block = line * (MB // len(line) + 1)
    with open(big, "wb") as fh:
        for _ in range(500):
            fh.write(block[:MB])
    size = big.stat().st_size
    assert size == 500 * MB

    # The server loads the Korean analyser while it starts (a search waits for it): its memory before the upload.
    assert lawyer.data("GET", f"/api/cases/{case['id']}/search", params={"q": "폭언"}) == []
    assert leh.server is not None
    server_before = _peak_rss_mb(leh.server.pid)
    up = lawyer.data("POST", "/api/evidence/presigned-url", 201,
                     json={"case_id": case["id"], "filename": "huge.txt", "size": size})
    with open(big, "rb") as fh:
        assert httpx.put(up["upload_url"], content=fh, timeout=300).status_code == 200
    done = lawyer.data("POST", "/api/evidence/upload-complete", json={"evidence_id": up["evidence_id"]})
    assert done["size"] == size and done["status"] == "queued"
    worker = leh.start_worker()
    doc = lawyer.wait_status(up["evidence_id"], {"done", "failed"}, timeout=180)
    assert doc["status"] == "failed" and doc["error"]["code"] == "FILE_TOO_LARGE"
    assert "나누어" in doc["error"]["message"]
    # Neither process ever held the file: their peak memory stays far below its size. (The worker's is measured
    # before the next file, whose analysis loads the Korean morphology model.)
    assert _peak_rss_mb(leh.server.pid) - server_before < 200
    assert _peak_rss_mb(worker.pid) < 300
    small = lawyer.data("POST", f"/api/cases/{case['id']}/evidence", 201, files={"file": ("small.txt", "작은 파일".encode())})
    assert lawyer.wait_status(small["id"], {"done"}, timeout=60)["segments"][0]["text"] == "작은 파일"
