"""The whole path over real HTTP: login → case → signed upload of a KakaoTalk export → worker → done."""

from __future__ import annotations

import httpx

from tests.conftest import make_user
from tests.support.live import Api, LehProcesses

KAKAO_PC = """홍길동 님과 카카오톡 대화
저장한 날짜 : 2024-01-05 09:12:44

--------------- 2023년 12월 25일 월요일 ---------------
[김영희] [오후 10:18] 생활비는 언제 보내줄 거야?
[홍길동] [오후 10:20] 한 번만 더 그 얘기 하면 가만 안 둔다
[홍길동] [오후 10:20] 집에 들어가면 다 부숴버릴 거야
[김영희] [오후 10:25] 무서워서 친정에 와 있어
내일 얘기해
--------------- 2023년 12월 26일 화요일 ---------------
[홍길동] [오전 12:05] 알아서 해
"""


def test_signed_upload_of_kakaotalk_export_is_processed(leh: LehProcesses, admin_api: Api) -> None:
    lawyer = make_user(admin_api, "lawyer1@test.local")
    leh.start_worker()
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "김영희 이혼 사건"})
    body = KAKAO_PC.encode("utf-8")
    up = lawyer.data("POST", "/api/evidence/presigned-url", 201, json={
        "case_id": case["id"], "filename": "KakaoTalk_20240105.txt", "content_type": "text/plain", "size": len(body)})
    assert up["expires_in"] <= 300 and up["method"] == "PUT"
    put = httpx.put(up["upload_url"], content=body, headers=up["headers"])
    assert put.status_code == 200, put.text
    queued = lawyer.data("POST", "/api/evidence/upload-complete", json={"evidence_id": up["evidence_id"]})
    assert queued["status"] == "queued"

    doc = lawyer.wait_status(up["evidence_id"], {"done", "failed"})
    assert doc["status"] == "done", doc["error"]
    assert doc["type"] == "kakaotalk"
    assert [h["status"] for h in doc["status_history"]] == ["uploading", "queued", "processing", "done"]
    assert len(doc["segments"]) == 5
    assert doc["speakers"] == ["김영희", "홍길동"]
    first, last = doc["segments"][0], doc["segments"][-1]
    assert first["ts"] == "2023-12-25T22:18:00+09:00" and first["speaker"] == "김영희"
    assert doc["segments"][3]["text"] == "무서워서 친정에 와 있어\n내일 얘기해"
    assert last["ts"] == "2023-12-26T00:05:00+09:00"
    import hashlib

    assert doc["sha256"] == hashlib.sha256(body).hexdigest() and doc["size"] == len(body)
    assert doc["download_url"].startswith("http")
    assert httpx.get(doc["download_url"]).content == body

    listed = lawyer.data("GET", f"/api/cases/{case['id']}/evidence")
    assert [e["id"] for e in listed] == [up["evidence_id"]]
    detail = lawyer.data("GET", f"/api/cases/{case['id']}")
    assert detail["evidence_count"] == 1 and detail["status_counts"] == {"done": 1}

    hits = lawyer.data("GET", f"/api/cases/{case['id']}/search", params={"q": "생활비"})
    assert [(h["evidence_id"], h["seq"]) for h in hits] == [(up["evidence_id"], 0)]


def test_direct_multipart_upload_one_and_many(leh: LehProcesses, admin_api: Api) -> None:
    lawyer = make_user(admin_api, "lawyer2@test.local")
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "다중 업로드"})
    one = lawyer.data("POST", f"/api/cases/{case['id']}/evidence", 201,
                      files={"file": ("메모.txt", "2023년 12월 25일 메모".encode(), "text/plain")})
    assert isinstance(one, dict) and one["status"] == "queued" and one["filename"] == "메모.txt"
    many = lawyer.data("POST", f"/api/cases/{case['id']}/evidence", 201,
                       files=[("file", ("a.txt", b"first", "text/plain")), ("file", ("b.txt", b"second", "text/plain"))])
    assert [d["filename"] for d in many] == ["a.txt", "b.txt"]
    assert all(d["object_key"].startswith(f"cases/{case['id']}/raw/{d['id']}_") for d in many)


def test_upload_over_the_size_limit_is_413(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import ADMIN
    from tests.support.live import running_leh

    with running_leh(tmp_path / "var", LEH_MAX_UPLOAD_MB="1") as procs:
        admin = Api(procs.base_url).login(*ADMIN)
        lawyer = make_user(admin, "big@test.local")
        case = lawyer.data("POST", "/api/cases", 201, json={"title": "큰 파일"})
        big = b"x" * (1024 * 1024 + 10)
        resp = lawyer.call("POST", f"/api/cases/{case['id']}/evidence", files={"file": ("big.txt", big, "text/plain")})
        assert resp.status_code == 413 and resp.json()["error"]["code"] == "FILE_TOO_LARGE"
        resp = lawyer.call("POST", "/api/evidence/presigned-url", json={
            "case_id": case["id"], "filename": "big.txt", "content_type": "text/plain", "size": len(big)})
        assert resp.status_code == 413
        # A signed URL asked for a small file cannot be used to push a big one.
        up = lawyer.data("POST", "/api/evidence/presigned-url", 201, json={
            "case_id": case["id"], "filename": "small.txt", "content_type": "text/plain", "size": 10})
        assert httpx.put(up["upload_url"], content=b"y" * 100).status_code == 413
        done = lawyer.call("POST", "/api/evidence/upload-complete", json={"evidence_id": up["evidence_id"]})
        assert done.status_code == 409 and done.json()["error"]["code"] == "UPLOAD_INCOMPLETE"
        assert [e["status"] for e in lawyer.data("GET", f"/api/cases/{case['id']}/evidence")] == ["uploading"]
