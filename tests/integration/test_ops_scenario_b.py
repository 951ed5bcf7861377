"""Runbook scenario B (실수로 사건 '종료') end to end on a running LEH: a lawyer closes a case by mistake, the
operator restores it; later its search index is lost and rebuilt from the evidence store."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from leh.config import Settings
from leh.container import Container
from tests.conftest import make_user
from tests.support.live import Api, LehProcesses

CHAT = """--------------- 2023년 12월 25일 월요일 ---------------
[홍길동] [오후 10:20] 생활비를 왜 또 달라고 해
[김영희] [오후 10:21] 이번 달 생활비를 아직 못 받았어
[홍길동] [오후 10:22] 한 번만 더 그러면 가만 안 둔다
"""
NOTE = "2024년 1월 3일 남편이 생활비를 주지 않고 집을 나갔다. 연락이 되지 않는다."


def ops(env: dict[str, str], *args: str) -> tuple[int, Any]:
    r = subprocess.run([sys.executable, "-m", "leh", "ops", *args, "--json"], env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.stdout.strip(), r.stderr[-2000:]
    return r.returncode, json.loads(r.stdout)


def search(api: Api, case_id: str, q: str) -> list[tuple[Any, ...]]:
    hits = api.data("GET", f"/api/cases/{case_id}/search", params={"q": q, "limit": 50})
    return [(h["evidence_id"], h["seq"], h["snippet"], h["grounds"], h["ts"], h["speaker"]) for h in hits]


def test_closed_case_is_restored_and_a_dropped_index_rebuilt(leh: LehProcesses, admin_api: Api) -> None:
    lawyer = make_user(admin_api, "b@test.local")
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "김영희 v. 홍길동"})
    cid = case["id"]
    evs = lawyer.data("POST", f"/api/cases/{cid}/evidence", 201, files=[
        ("file", ("KakaoTalk_chat.txt", CHAT.encode(), "text/plain")), ("file", ("memo.txt", NOTE.encode(), "text/plain"))])
    leh.start_worker()
    docs = [lawyer.wait_status(e["id"], {"done"}, timeout=60) for e in evs]
    segments = sum(len(d["segments"]) for d in docs)
    before = search(lawyer, cid, "생활비")
    assert len(before) == 3 and {h[0] for h in before} == {e["id"] for e in evs}

    # The mistake: the case is closed, and with it leaves the search index.
    lawyer.data("DELETE", f"/api/cases/{cid}")
    assert search(lawyer, cid, "생활비") == []
    assert cid not in [c["id"] for c in lawyer.data("GET", "/api/cases")]

    rc, out = ops(leh.env, "restore-case", cid)
    assert rc == 0, out
    assert (out["status"], out["indexed_evidence"], out["indexed_segments"], out["consistent"]) == ("active", 2, segments, True)
    assert search(lawyer, cid, "생활비") == before
    assert cid in [c["id"] for c in lawyer.data("GET", "/api/cases")]
    more = lawyer.data("POST", f"/api/cases/{cid}/evidence", 201, files={"file": ("more.txt", "추가 메모".encode(), "text/plain")})
    evs.append(lawyer.wait_status(more["id"], {"done"}, timeout=60))  # the restored case takes evidence again
    segments += len(evs[-1]["segments"])

    # Later the index is lost (OpenSearch index deleted): the check sees it, the reindex API rebuilds it.
    Container(Settings(data_dir=leh.data_dir, secret_key=leh.env["LEH_SECRET_KEY"])).index.drop_case(cid)
    assert search(lawyer, cid, "생활비") == []
    rc, rep = ops(leh.env, "check-index", cid)
    assert rc == 1 and rep["level"] == "Lv2"
    [finding] = rep["findings"]
    assert sorted(finding["detail"]["missing"]) == sorted(e["id"] for e in evs)
    assert rep["steps"] == [f"증거 저장소 기준으로 인덱스를 다시 만드세요: leh ops reindex {cid}"]
    api_rep = admin_api.data("GET", "/api/admin/check-index", params={"case_id": cid})
    assert (api_rep["ok"], api_rep["level"]) == (False, "Lv2")
    assert api_rep["findings"][0]["detail"]["missing"] == finding["detail"]["missing"]

    out = admin_api.data("POST", "/api/admin/reindex-case", json={"case_id": cid})
    assert (out["indexed_evidence"], out["indexed_segments"], out["consistent"]) == (3, segments, True)
    assert search(lawyer, cid, "생활비") == before
    rc, again = ops(leh.env, "reindex", cid)  # rebuilding twice changes nothing
    assert rc == 0 and (again["indexed_segments"], again["consistent"]) == (segments, True)
    assert search(lawyer, cid, "생활비") == before
    rc, rep = ops(leh.env, "check-index")
    assert rc == 0 and rep["ok"]

    assert admin_api.call("POST", "/api/admin/restore-case", 404, json={"case_id": "0" * 36}).json()["error"]["code"] == "CASE_NOT_FOUND"
    assert lawyer.call("POST", "/api/admin/reindex-case", 403, json={"case_id": cid}).status_code == 403
    audited = {r["action"]: r["object_id"] for r in admin_api.data("GET", "/api/admin/audit", params={"limit": 1000})}
    assert audited["admin.case_restore"] == cid and audited["admin.case_reindex"] == cid
