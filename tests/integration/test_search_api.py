"""Search over real HTTP: Korean matching, filters, snippets, case isolation, delete, close, reindex, restore."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import ADMIN, make_user
from tests.support.live import Api, LehProcesses, running_leh

CHAT_A = """홍길동 님과 카카오톡 대화
저장한 날짜 : 2024-01-05 09:12:44

--------------- 2023년 12월 25일 월요일 ---------------
[김영희] [오후 10:18] 위자료를 청구하겠다고 변호사님께 말씀드렸어
[홍길동] [오후 10:20] 이혼하자고? 한 번만 더 그 얘기 하면 가만 안 둔다
[김영희] [오후 10:25] <b>무서워서</b> 친정에 와 있어
--------------- 2024년 1월 3일 수요일 ---------------
[홍길동] [오전 9:05] 이혼 서류 보냈다
"""

CHAT_B = """박민수 님과 카카오톡 대화
저장한 날짜 : 2024-02-01 10:00:00

--------------- 2024년 1월 20일 토요일 ---------------
[박민수] [오후 3:00] 이혼 조정 날짜 잡혔어
[이수진] [오후 3:01] 위자료 얘기는 거기서 해
"""


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LehProcesses, Api, Api, Api]]:
    with running_leh(tmp_path_factory.mktemp("search") / "var", workers=1) as procs:
        admin = Api(procs.base_url).login(*ADMIN)
        yield procs, admin, make_user(admin, "search-a@test.local"), make_user(admin, "search-b@test.local")


def upload(api: Api, case_id: str, name: str, text: str) -> str:
    doc = api.data("POST", f"/api/cases/{case_id}/evidence", 201, files={"file": (name, text.encode(), "text/plain")})
    done = api.wait_status(doc["id"], {"done", "failed"})
    assert done["status"] == "done", done["error"]
    return str(doc["id"])


def search(api: Api, case_id: str, **params: str) -> list[dict]:  # type: ignore[type-arg]
    return api.data("GET", f"/api/cases/{case_id}/search", params=params)  # type: ignore[no-any-return]


def test_search_end_to_end(env) -> None:  # type: ignore[no-untyped-def]
    _, admin, a, b = env
    case_a = a.data("POST", "/api/cases", 201, json={"title": "김영희 사건"})["id"]
    case_b = b.data("POST", "/api/cases", 201, json={"title": "박민수 사건"})["id"]
    ea = upload(a, case_a, "KakaoTalk_A.txt", CHAT_A)
    eb = upload(b, case_b, "KakaoTalk_B.txt", CHAT_B)

    # 위자료 finds 위자료를; two-syllable 이혼 matches; each case only sees its own evidence
    assert [(h["evidence_id"], h["seq"]) for h in search(a, case_a, q="위자료")] == [(ea, 0)]
    assert [(h["evidence_id"], h["seq"]) for h in search(b, case_b, q="위자료")] == [(eb, 1)]
    hits_a = search(a, case_a, q="이혼")
    assert {h["evidence_id"] for h in hits_a} == {ea} and sorted(h["seq"] for h in hits_a) == [1, 3]
    assert {h["evidence_id"] for h in search(b, case_b, q="이혼")} == {eb}

    hit = search(a, case_a, q="위자료")[0]
    assert set(hit) >= {"evidence_id", "seq", "snippet", "score", "grounds", "ts", "speaker"}
    assert hit["snippet"].startswith("<mark>위자료</mark>를") and hit["speaker"] == "김영희"
    assert hit["ts"] == "2023-12-25T22:18:00+09:00"
    escaped = search(a, case_a, q="무서워서")[0]["snippet"]
    assert "<b>" not in escaped and "&lt;b&gt;" in escaped

    # filters: ground (the threat was labelled by the worker), speaker, dates
    threat = search(a, case_a, q="이혼", ground="840-3")
    assert [(h["seq"], h["grounds"]) for h in threat] == [(1, ["840-3"])]
    assert [h["seq"] for h in search(a, case_a, q="이혼", speaker="홍길동", **{"from": "2024-01-01"})] == [3]
    assert search(a, case_a, q="이혼", to="2023-12-01") == []
    bad = a.call("GET", f"/api/cases/{case_a}/search", params={"q": "이혼", "ground": "840-9"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "VALIDATION_ERROR"

    # Korean search (issue 13): an act finds the words for it, a date finds that day's messages, not digits
    threat_words = search(a, case_a, q="협박")
    assert [h["seq"] for h in threat_words] == [1] and "<mark>가만 안 둔다</mark>" in threat_words[0]["snippet"]
    assert [h["seq"] for h in search(a, case_a, q="12월 25일")] == [0, 1, 2]
    assert [h["seq"] for h in search(a, case_a, q="2024년 1월")] == [3]

    # a non-member gets 404, never another case's hits
    assert b.call("GET", f"/api/cases/{case_a}/search", params={"q": "이혼"}).status_code == 404

    # reindex rebuilds identical results from the evidence store
    before = [search(a, case_a, q=q) for q in ("이혼", "위자료", "가만")]
    out = admin.data("POST", "/api/admin/reindex-case", json={"case_id": case_a})
    assert out["consistent"] is True and out["indexed_segments"] == 4
    assert [search(a, case_a, q=q) for q in ("이혼", "위자료", "가만")] == before

    # closing drops the case's index, restoring rebuilds it the same
    a.data("DELETE", f"/api/cases/{case_a}")
    assert search(a, case_a, q="이혼") == []
    admin.data("POST", "/api/admin/restore-case", json={"case_id": case_a})
    assert search(a, case_a, q="이혼") == before[0]

    # deleting evidence removes it from the index
    a.data("DELETE", f"/api/evidence/{ea}")
    assert search(a, case_a, q="이혼") == [] and search(a, case_a, q="위자료") == []
    assert [h["evidence_id"] for h in search(b, case_b, q="위자료")] == [eb]
