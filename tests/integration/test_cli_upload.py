"""`leh upload` from a terminal: files land in the case, are audited, and the worker processes them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import make_user
from tests.support.live import Api, LehProcesses


def test_bulk_upload_from_the_terminal(leh: LehProcesses, admin_api: Api, tmp_path: Path) -> None:
    lawyer = make_user(admin_api, "cli@test.local")
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "터미널 업로드"})
    folder = tmp_path / "증거"
    folder.mkdir()
    (folder / "메모1.txt").write_text("2023년 12월 25일 첫 메모", encoding="utf-8")
    (folder / "메모2.txt").write_text("2023년 12월 26일 둘째 메모", encoding="utf-8")
    empty = tmp_path / "빈파일.txt"
    empty.write_bytes(b"")
    out = subprocess.run([sys.executable, "-m", "leh", "upload", "--case", case["id"], "--email", "cli@test.local",
                          "--json", str(folder), str(empty)], env=leh.env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert sorted(Path(r["file"]).name for r in rows) == ["메모1.txt", "메모2.txt", "빈파일.txt"]
    assert {r["status"] for r in rows} == {"queued"}
    leh.start_worker()
    done = {r["file"]: lawyer.wait_status(r["evidence_id"], {"done", "failed"}) for r in rows}
    assert done[str(folder / "메모1.txt")]["segments"][0]["text"] == "2023년 12월 25일 첫 메모"
    assert done[str(empty)]["error"]["code"] == "EMPTY_FILE"  # a bad file is recorded, not lost
    audit = admin_api.data("GET", "/api/admin/audit", params={"action": "evidence.create"})
    assert {a["object_id"] for a in audit} >= {r["evidence_id"] for r in rows}
    # Someone who is not a member of the case cannot upload into it from the terminal either.
    make_user(admin_api, "stranger@test.local")
    refused = subprocess.run([sys.executable, "-m", "leh", "upload", "--case", case["id"], "--email",
                              "stranger@test.local", "--json", str(folder)], env=leh.env, capture_output=True,
                             text=True, timeout=120)
    assert refused.returncode == 1
    assert {r["error"] for r in json.loads(refused.stdout)} == {"CASE_NOT_FOUND"}
