"""Identical content uploaded twice in one case: the later one says `duplicate_of`, both are kept, and timeline,
search, answers and the draft count the content once, also after the original is reprocessed or deleted."""

from __future__ import annotations

from typing import Any

from leh.container import Container
from leh.domain.errors import ERROR_MESSAGES_KO
from leh.services.ops.index_check import compare_case
from tests.conftest import make_user
from tests.support.live import Api
from tests.unit.test_corrections_api import KAKAO, PARTIES, drain


def _upload(api: Api, cid: str, body: bytes, name: str = "kakao.txt") -> dict[str, Any]:
    doc: dict[str, Any] = api.data("POST", f"/api/cases/{cid}/evidence", 201, files={"file": (name, body, "text/plain")})
    return doc


def _presigned(api: Api, cid: str, body: bytes) -> dict[str, Any]:
    up = api.data("POST", "/api/evidence/presigned-url", 201, json={"case_id": cid, "filename": "again.txt",
                                                                   "content_type": "text/plain", "size": len(body)})
    assert api.http.put(up["upload_url"], content=body, headers=up["headers"]).status_code == 200
    doc: dict[str, Any] = api.data("POST", "/api/evidence/upload-complete", json={"evidence_id": up["evidence_id"]})
    return doc


def _counted(api: Api, cid: str) -> dict[str, Any]:
    """Which evidence each view draws from, and how much."""
    timeline = api.data("GET", f"/api/cases/{cid}/timeline")
    hits = api.data("GET", f"/api/cases/{cid}/search", params={"q": "부숴버릴"})
    answer = api.data("POST", f"/api/cases/{cid}/ask", json={"question": "협박한 적이 있나요?"})
    draft = api.data("POST", f"/api/cases/{cid}/draft-preview", 201, json={})
    return {"timeline": sorted({ev["evidence_id"] for ev in timeline}), "events": len(timeline),
            "hits": [h["evidence_id"] for h in hits], "cited": sorted({c["evidence_id"] for c in answer["citations"]}),
            "citations": len(answer["citations"]), "exhibits": [x["evidence_id"] for x in draft["exhibits"]]}


def test_the_same_file_twice_is_flagged_and_counted_once(app_admin_api: Api, container: Container) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    cid = owner.data("POST", "/api/cases", 201, json={"title": "중복 사건"})["id"]
    owner.data("PUT", f"/api/cases/{cid}/parties", json=PARTIES)
    first = _upload(owner, cid, KAKAO.encode())
    assert "duplicate_of" not in first and first["warnings"] == []
    assert drain(container) == ["done"]
    alone = _counted(owner, cid)
    assert alone["timeline"] == [first["id"]] and alone["hits"] == [first["id"]] and alone["exhibits"] == [first["id"]]

    second = _upload(owner, cid, KAKAO.encode(), "kakao (1).txt")
    assert second["duplicate_of"] == first["id"]
    assert second["warnings"] == [{"code": "DUPLICATE_EVIDENCE", "message": ERROR_MESSAGES_KO["DUPLICATE_EVIDENCE"]}]
    assert "삭제" in second["warnings"][0]["message"]
    other = _upload(owner, cid, KAKAO.encode() + "[김영희] [오후 11:00] 잘 자\n".encode(), "longer.txt")
    assert "duplicate_of" not in other
    assert drain(container) == ["done", "done"]
    # Still stored and processed (chain of custody), and it keeps its mark after processing.
    processed = owner.data("GET", f"/api/evidence/{second['id']}")
    assert processed["status"] == "done" and processed["duplicate_of"] == first["id"]
    assert [w["code"] for w in processed["warnings"]] == ["DUPLICATE_EVIDENCE"]
    owner.data("DELETE", f"/api/evidence/{other['id']}")
    assert _counted(owner, cid) == alone
    assert compare_case(container.evidence, container.index, cid, closed=False)["ok"]

    # The signed-upload path detects it too.
    third = _presigned(owner, cid, KAKAO.encode())
    assert third["duplicate_of"] == first["id"]
    assert drain(container) == ["done"]
    assert _counted(owner, cid) == alone

    # Reprocessing the original: a processed copy stands in while it is queued, then the original counts again.
    app_admin_api.data("POST", "/api/admin/reprocess-evidence", json={"evidence_id": first["id"]})
    assert [h["evidence_id"] for h in owner.data("GET", f"/api/cases/{cid}/search", params={"q": "부숴버릴"})] \
        == [second["id"]]
    assert drain(container) == ["done"]
    assert _counted(owner, cid) == alone
    assert compare_case(container.evidence, container.index, cid, closed=False)["ok"]

    # Deleting the original: the earliest copy left becomes the counted one, the others point at it.
    owner.data("DELETE", f"/api/evidence/{first['id']}")
    promoted = owner.data("GET", f"/api/evidence/{second['id']}")
    assert "duplicate_of" not in promoted and promoted["warnings"] == []
    assert owner.data("GET", f"/api/evidence/{third['id']}")["duplicate_of"] == second["id"]
    now = _counted(owner, cid)
    assert now == {**alone, "timeline": [second["id"]], "hits": [second["id"]], "cited": [second["id"]],
                   "exhibits": [second["id"]]}
    assert compare_case(container.evidence, container.index, cid, closed=False)["ok"]
    assert app_admin_api.data("POST", "/api/admin/reindex-case", json={"case_id": cid})["indexed_evidence"] == 1


def test_the_same_file_in_another_case_is_not_a_duplicate(app_admin_api: Api, container: Container) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    one = owner.data("POST", "/api/cases", 201, json={"title": "사건 1"})["id"]
    two = owner.data("POST", "/api/cases", 201, json={"title": "사건 2"})["id"]
    first = _upload(owner, one, KAKAO.encode())
    again = _upload(owner, two, KAKAO.encode())
    assert first["sha256"] == again["sha256"] and "duplicate_of" not in again
    assert drain(container) == ["done", "done"]
    assert [h["evidence_id"] for h in owner.data("GET", f"/api/cases/{two}/search", params={"q": "부숴버릴"})] \
        == [again["id"]]
