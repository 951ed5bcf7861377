"""Paging and projections (issue 16 item 1): lists answer bounded pages, the evidence detail a page of segments.

The case is made in the test: 30 processed evidence of 2,000 segments each, written to the evidence store the
way the worker leaves them (segments, labels, the label engine's hits, a timeline), so the sizes measured here
are the sizes a big chat case gives.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from leh.container import Container
from leh.domain.documents import EvidenceDoc
from leh.domain.evidence import new_evidence_doc, transition
from tests.conftest import make_user
from tests.support.live import Api

EVIDENCE, SEGMENTS, EVENTS = 30, 2000, 50
LINES = ["생활비는 언제 보내줄 거야?", "한 번만 더 그 얘기 하면 가만 안 둔다", "오늘 저녁 뭐 먹을래", "애들 학원비 좀 보내줘"]


def _processed(case_id: str, n: int, *, segments: int = SEGMENTS) -> EvidenceDoc:
    """A processed 2,000-message chat as the worker stores it (texts, labels, hits, timeline)."""
    eid = str(uuid.UUID(int=n + 1))
    doc = new_evidence_doc(case_id=case_id, evidence_id=eid, filename=f"KakaoTalk_{n:02d}.txt", size=100_000,
                           uploaded_by="u", type_hint="kakaotalk")
    doc["uploaded_at"] = f"2024-01-01T00:{n // 60:02d}:{n % 60:02d}+00:00"
    doc.update({"sha256": f"{n:064x}", "type": "kakaotalk", "summary": "생활비 문제로 다툰 대화", "speakers": ["갑", "을"],
                "event_time": f"2023-12-{1 + n % 28:02d}T22:00:00+09:00"})
    doc["segments"] = [{"seq": i, "text": f"{LINES[i % 4]} ({i})", "ts": f"2023-12-{1 + i % 28:02d}T10:{i % 60:02d}:00+09:00",
                        "speaker": "갑" if i % 2 else "을", "ref": {"line": i + 4}, "kind": "speech"}
                       for i in range(segments)]
    doc["labels"] = [{"ground": "840-3", "tag": "폭언", "confidence": 0.8, "segments": list(range(1, segments, 4)),
                      "actor": "opponent", "favours": "client", "source": "engine"},
                     {"ground": "840-6", "tag": "경제적 갈등", "confidence": 0.7, "segments": [0, 2],
                      "actor": "client", "favours": "opponent", "source": "engine"}]
    doc["hits"] = [{"seq": i, "tag": "폭언", "ground": "840-3", "weight": 1.0, "mode": "utterance", "start": 0, "end": 5,
                    "rule": "lexicon", "admission": False, "agent": "opponent", "intent": True}
                   for i in range(1, segments, 4)]
    doc["timeline"] = [{"ts": f"2023-12-{1 + e % 28:02d}T10:{e % 60:02d}:00+09:00", "ts_precision": "minute",
                        "description": f"상대방의 폭언: 한 번만 더 그 얘기 하면 가만 안 둔다 ({e})", "grounds": ["840-3"],
                        "segments": [1 + 4 * e]} for e in range(EVENTS)]
    for status in ("queued", "processing", "done"):
        transition(doc, status)
    return doc


@pytest.fixture
def big_case(container: Container, app_admin_api: Api) -> tuple[Api, str, list[str]]:
    lawyer = make_user(app_admin_api, "lawyer@test.local")
    case_id = lawyer.data("POST", "/api/cases", 201, json={"title": "큰 사건"})["id"]
    ids = []
    for n in range(EVIDENCE):
        doc = _processed(case_id, n)
        container.evidence.put(doc)
        ids.append(doc["evidence_id"])
    return lawyer, case_id, ids


def _walk(api: Api, path: str, limit: int, key: Callable[[dict[str, Any]], Any], *,
          items: Callable[[Any], list[dict[str, Any]]] = lambda data: list(data), **params: Any) -> tuple[list[Any], int]:
    """Every item of a paged list, following `meta.page.next`, and the total the pages announce."""
    seen: list[Any] = []
    offset: int | None = 0
    totals = set()
    while offset is not None:
        body = api.call("GET", path, 200, params={**params, "offset": offset, "limit": limit}).json()
        page = body["meta"]["page"]
        assert page["offset"] == offset and page["limit"] == limit and len(items(body["data"])) <= limit
        seen.extend(key(item) for item in items(body["data"]))
        totals.add(page["total"])
        offset = page["next"]
    assert len(totals) == 1
    return seen, totals.pop()


def test_lists_stay_small_and_the_detail_answers_one_page_of_segments(big_case: tuple[Api, str, list[str]],
                                                                       container: Container) -> None:
    lawyer, case_id, ids = big_case
    whole = len(json.dumps(container.evidence.get(ids[0]), ensure_ascii=False).encode())
    assert whole > 400_000  # one evidence alone is 0.4 MB: the bounds below mean something

    listed = lawyer.call("GET", f"/api/cases/{case_id}/evidence", 200)
    assert len(listed.content) < 100_000, len(listed.content)
    body = listed.json()
    assert body["meta"]["page"] == {"offset": 0, "limit": 100, "total": EVIDENCE, "next": None}
    item = body["data"][0]
    assert item["segments"] == [] and item["segments_total"] == SEGMENTS and item["timeline"] == []
    assert item["timeline_total"] == EVENTS and "hits" not in item
    assert item["labels"][0] == {"ground": "840-3", "tag": "폭언", "confidence": 0.8, "actor": "opponent",
                                 "favours": "client", "source": "engine", "segment_count": SEGMENTS // 4}
    assert item["summary"] == "생활비 문제로 다툰 대화" and item["status"] == "done" and item["id"] == item["evidence_id"]

    detail = lawyer.call("GET", f"/api/evidence/{ids[0]}", 200)
    data = detail.json()["data"]
    assert len(detail.content) < 100_000, len(detail.content)
    assert [s["seq"] for s in data["segments"]] == list(range(200))  # LEH_SEGMENTS_PAGE_DEFAULT
    assert (data["segments_total"], data["segments_offset"], data["segments_limit"], data["segments_next"]) == (
        SEGMENTS, 0, 200, 200)
    assert {h["seq"] for h in data["hits"]} <= set(range(200)) and len(data["hits"]) == 50
    assert [e["segments"] for e in data["timeline"]] == [[1 + 4 * e] for e in range(50)]  # seqs 1 … 197
    assert data["timeline_total"] == EVENTS and data["download_url"].startswith("http")
    last = lawyer.data("GET", f"/api/evidence/{ids[0]}", params={"offset": 1900, "limit": 1000})
    assert [s["seq"] for s in last["segments"]] == list(range(1900, 2000)) and last["segments_next"] is None
    assert last["timeline"] == []  # no event cites segments 1900 …

    timeline = lawyer.call("GET", f"/api/cases/{case_id}/timeline", 200)
    assert len(timeline.content) < 100_000 and len(timeline.json()["data"]) == 100
    assert timeline.json()["meta"]["page"]["total"] == EVIDENCE * EVENTS


def test_paging_walks_every_item_exactly_once(big_case: tuple[Api, str, list[str]], container: Container,
                                              app_admin_api: Api) -> None:
    lawyer, case_id, ids = big_case
    everything = [d["id"] for d in lawyer.data("GET", f"/api/cases/{case_id}/evidence", params={"limit": 500})]
    walked, total = _walk(lawyer, f"/api/cases/{case_id}/evidence", 7, lambda d: d["id"])
    assert walked == everything and total == EVIDENCE and sorted(walked) == sorted(ids)
    filtered, total = _walk(lawyer, f"/api/cases/{case_id}/evidence", 4, lambda d: d["id"], type="kakaotalk",
                            label="840-3")
    assert filtered == everything and total == EVIDENCE

    seqs: list[int] = []
    offset: int | None = 0
    while offset is not None:
        page = lawyer.data("GET", f"/api/evidence/{ids[3]}", params={"offset": offset, "limit": 300})
        seqs.extend(s["seq"] for s in page["segments"])
        offset = page["segments_next"]
    assert seqs == list(range(SEGMENTS))

    events, total = _walk(lawyer, f"/api/cases/{case_id}/timeline", 400, lambda e: (e["evidence_id"], e["segments"][0]))
    assert len(events) == len(set(events)) == total == EVIDENCE * EVENTS
    risks, total = _walk(lawyer, f"/api/cases/{case_id}/risks", 8, lambda r: r["evidence_id"])
    assert sorted(risks) == sorted(ids) and total == EVIDENCE  # one risk (the client's own 840-6) per evidence

    for n in range(11):
        lawyer.data("POST", "/api/cases", 201, json={"title": f"사건 {n}"})
    cases, total = _walk(lawyer, "/api/cases", 5, lambda c: c["id"])
    assert len(cases) == len(set(cases)) == total == 12
    users, total = _walk(app_admin_api, "/api/admin/users", 1, lambda u: u["email"])
    assert "lawyer@test.local" in users and len(users) == len(set(users)) == total == 2
    audit, total = _walk(app_admin_api, "/api/admin/audit", 7, lambda r: r["seq"])
    assert audit == sorted(audit, reverse=True) and len(set(audit)) == len(audit) == total > 14

    for n in range(9):  # in-flight evidence for the progress list
        doc = new_evidence_doc(case_id=case_id, evidence_id=str(uuid.UUID(int=1000 + n)), filename=f"q{n}.txt", size=1,
                               uploaded_by="u")
        container.evidence.put(transition(doc, "queued"))
    progress, total = _walk(lawyer, "/api/staff/progress", 4, lambda i: i["evidence_id"], items=lambda d: d["items"])
    assert len(progress) == len(set(progress)) == total == 9
    snap = lawyer.data("GET", "/api/staff/progress", params={"limit": 4})
    assert snap["items_total"] == 9 and snap["counts"]["queued"] == 9 and len(snap["items"]) == 4


def test_search_pages_within_its_ranking(big_case: tuple[Api, str, list[str]], container: Container) -> None:
    lawyer, case_id, ids = big_case
    for eid in ids[:3]:
        doc = container.evidence.get(eid)
        assert doc is not None
        doc["segments"] = doc["segments"][:40]
        container.index.index_evidence(doc)
    best = lawyer.data("GET", f"/api/cases/{case_id}/search", params={"q": "학원비", "limit": 200})
    assert len(best) == 30  # "애들 학원비 좀 보내줘": every 4th of 40 segments in 3 evidence
    first = lawyer.call("GET", f"/api/cases/{case_id}/search", 200, params={"q": "학원비", "limit": 12}).json()
    assert first["meta"]["page"] == {"offset": 0, "limit": 12, "total": None, "next": 12}
    walked: list[tuple[str, int]] = []
    offset: int | None = 0
    while offset is not None:
        body = lawyer.call("GET", f"/api/cases/{case_id}/search", 200,
                           params={"q": "학원비", "limit": 12, "offset": offset}).json()
        walked.extend((h["evidence_id"], h["seq"]) for h in body["data"])
        offset = body["meta"]["page"]["next"]
    assert walked == [(h["evidence_id"], h["seq"]) for h in best]


def test_limits_above_the_maximum_are_refused_with_a_korean_message(big_case: tuple[Api, str, list[str]],
                                                                    app_admin_api: Api) -> None:
    lawyer, case_id, ids = big_case
    for path in (f"/api/cases/{case_id}/evidence", f"/api/cases/{case_id}/timeline", f"/api/cases/{case_id}/risks",
                 f"/api/cases/{case_id}/members", "/api/cases", "/api/staff/progress"):
        err = lawyer.call("GET", path, 400, params={"limit": 501}).json()["error"]
        assert err["code"] == "PAGE_LIMIT_TOO_LARGE" and "최대 500개" in err["message"] and "next" in err["message"], path
        assert lawyer.call("GET", path, 400, params={"offset": -1}).json()["error"]["code"] == "INVALID_PAGE"
        assert lawyer.call("GET", path, 400, params={"limit": 0}).json()["error"]["code"] == "INVALID_PAGE"
        assert lawyer.call("GET", path, 200, params={"limit": 500}).json()["meta"]["page"]["limit"] == 500
    assert app_admin_api.call("GET", "/api/admin/users", 400, params={"limit": 501}).json()["error"]["code"] == (
        "PAGE_LIMIT_TOO_LARGE")
    err = lawyer.call("GET", f"/api/evidence/{ids[0]}", 400, params={"limit": 1001}).json()["error"]
    assert err["code"] == "PAGE_LIMIT_TOO_LARGE" and "최대 1000개" in err["message"]
    assert lawyer.call("GET", f"/api/cases/{case_id}/search", 400,
                       params={"q": "생활비", "limit": 201}).json()["error"]["code"] == "VALIDATION_ERROR"
    # A non-member learns nothing from paging: the same 404 as for a case that does not exist.
    stranger = make_user(app_admin_api, "stranger@test.local")
    assert stranger.call("GET", f"/api/cases/{case_id}/evidence", 404, params={"limit": 5}).json()["error"]["code"] == (
        "CASE_NOT_FOUND")
    assert stranger.call("GET", f"/api/evidence/{ids[0]}", 404, params={"limit": 5}).json()["error"]["code"] == (
        "EVIDENCE_NOT_FOUND")


def test_include_puts_the_arrays_back_on_a_smaller_page(big_case: tuple[Api, str, list[str]]) -> None:
    lawyer, case_id, _ids = big_case
    body = lawyer.call("GET", f"/api/cases/{case_id}/evidence", 200, params={"include": "segments,labels"}).json()
    assert body["meta"]["page"] == {"offset": 0, "limit": 20, "total": EVIDENCE, "next": 20}
    item = body["data"][0]
    assert [s["seq"] for s in item["segments"]] == list(range(200)) and item["segments_total"] == SEGMENTS
    assert item["labels"][0]["segments"][:3] == [1, 5, 9] and item["timeline"] == []
    with_timeline = lawyer.data("GET", f"/api/cases/{case_id}/evidence", params={"include": "timeline", "limit": 2})
    assert [len(d["timeline"]) for d in with_timeline] == [EVENTS, EVENTS] and with_timeline[0]["segments"] == []
    too_many = lawyer.call("GET", f"/api/cases/{case_id}/evidence", 400, params={"include": "segments", "limit": 21})
    assert too_many.json()["error"]["code"] == "PAGE_LIMIT_TOO_LARGE"
    bad = lawyer.call("GET", f"/api/cases/{case_id}/evidence", 400, params={"include": "hits"}).json()["error"]
    assert bad["code"] == "INVALID_INCLUDE" and "segments, labels, timeline" in bad["message"]


def test_web_pages_show_a_page_and_load_more(big_case: tuple[Api, str, list[str]], container: Container) -> None:
    lawyer, case_id, ids = big_case
    cookie = {"Cookie": f"leh_session={lawyer.token}"}  # the web UI's session: the same token in its cookie

    class Web:
        @staticmethod
        def page(path: str) -> str:
            resp = lawyer.http.get(path, headers=cookie)
            assert resp.status_code == 200, (path, resp.status_code)
            return resp.text

    web = Web()
    page = web.page(f"/cases/{case_id}/evidence/{ids[0]}")
    assert page.count('class="seg ') == 500 and "2,000개 구간" in page and 'id="seg-499"' in page
    assert "1,500개 구간 더 보기" in page and "/segments?offset=500" in page
    more = web.page(f"/cases/{case_id}/evidence/{ids[0]}/segments?offset=500")
    assert more.count('class="seg ') == 200 and 'id="seg-500"' in more and 'id="seg-699"' in more
    assert "offset=700" in more
    end = web.page(f"/cases/{case_id}/evidence/{ids[0]}/segments?offset=1900")
    assert end.count('class="seg ') == 100 and "더 보기" not in end
    deep = web.page(f"/cases/{case_id}/evidence/{ids[0]}?seq=1234")
    assert 'id="seg-1234"' in deep and 'id="seg-1000"' in deep and 'id="seg-999"' not in deep

    panel = web.page(f"/cases/{case_id}/timeline")
    assert panel.count("<li data-date=") == 200 and "1,300건 더 보기" in panel
    rest = web.page(f"/cases/{case_id}/timeline?offset=1400")
    assert rest.count("<li data-date=") == 100 and "더 보기" not in rest
