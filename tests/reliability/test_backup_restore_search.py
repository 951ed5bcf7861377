"""Backup → restore, and delete → restore → reindex, give identical search results (same hits, same order) for a set
of queries, on the embedded defaults (issue #16)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.reliability.corpus import Item, kakao_export, mixed_batch, note_text
from tests.reliability.helpers import TIMEOUT, local, open_case, scaled, search_all, upload, wait_final
from tests.support.live import Api, LehProcesses, running_leh

pytestmark = TIMEOUT

QUERIES = ["생활비", "학원비", "아이들 학원비", "폭언", "진술서", "사진", "면접교섭", "홍길동", "2024년 3월",
           "2023년 12월", "변호사 이혼", "카드값"]


def ops(env: dict[str, str], *args: str) -> Any:
    r = subprocess.run([sys.executable, "-m", "leh", "ops", *args, "--json"], env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-2000:])
    return json.loads(r.stdout)


def results(api: Api, case_id: str) -> dict[str, list[dict[str, Any]]]:
    return search_all(api, case_id, QUERIES)


def _start_again(leh: LehProcesses) -> None:
    leh.start_server()
    leh.start_worker()


def test_backup_restore_and_delete_restore_reindex_keep_search_results_identical(tmp_path: Path) -> None:
    items = [*mixed_batch(scaled(6, 60), seed=41), Item("KakaoTalk_long.txt", kakao_export(scaled(200, 5000), seed=42)),
             Item("memo_long.txt", note_text(scaled(40, 2000), seed=43))]
    with running_leh(tmp_path / "var", workers=2) as leh:
        _, lawyer, case_id = open_case(leh.base_url, "backup@test.local", "백업 복원")
        c = local(leh)
        ids = upload(lawyer, case_id, items)
        docs = wait_final(c, case_id, ids, timeout=scaled(180, 900))
        assert all(d["status"] == "done" for d in docs.values())
        before = results(lawyer, case_id)
        assert sum(1 for hits in before.values() if hits) >= len(QUERIES) - 2, {q: len(h) for q, h in before.items()}
        assert len({h["evidence_id"] for hits in before.values() for h in hits}) >= len(items) // 2

        made = ops(leh.env, "backup")
        # After the backup: more evidence in the case, one evidence deleted, another case.
        later = upload(lawyer, case_id, [Item("after_backup.txt", "2024년 3월 20일 생활비 학원비 폭언 메모".encode())])
        wait_final(c, case_id, later, timeout=120)
        lawyer.data("DELETE", f"/api/evidence/{next(iter(ids))}")
        other = lawyer.data("POST", "/api/cases", 201, json={"title": "백업 이후"})["id"]
        upload(lawyer, other, [Item("x.txt", "생활비".encode())])
        assert results(lawyer, case_id) != before

        leh.stop()
        out = ops(leh.env, "restore-backup", made["name"], "--yes")
        assert (out["cases"], out["evidence"]) == (1, len(items))
        _start_again(leh)
        assert results(lawyer, case_id) == before

        # Delete → restore → reindex: the case closed by mistake (its index goes with it), restored, rebuilt.
        lawyer.data("DELETE", f"/api/cases/{case_id}")
        restored = ops(leh.env, "restore-case", case_id)
        assert restored["consistent"] is True
        assert results(lawyer, case_id) == before
        rebuilt = ops(leh.env, "reindex", case_id)
        assert rebuilt["consistent"] is True and rebuilt["indexed_evidence"] == len(items)
        assert results(lawyer, case_id) == before
