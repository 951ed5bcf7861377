"""`/api/openapi.json` documents every answer, and the documented shapes are the ones LEH really sends.

DESIGN.md section 7 "Response shapes that clients rely on": evidence list and detail (+ download_url), search
hits, timeline items, ask and draft. The second test runs a case end to end in-process (upload, the worker's
pipeline, every contract read) and validates each real body against the route's own response model.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from leh.api import admin, ask, auth, cases, drafts, evidence, parties, search, staff, timeline
from leh.api.app import create_app
from leh.container import Container
from leh.domain.events import parse_events
from leh.pipeline.processor import EvidenceProcessor
from leh.services import accounts

KAKAO = """홍길동 님과 카카오톡 대화
저장한 날짜 : 2024-01-05 09:12:44

--------------- 2023년 12월 25일 월요일 ---------------
[김영희] [오후 10:18] 생활비는 언제 보내줄 거야?
[홍길동] [오후 10:20] 한 번만 더 그 얘기 하면 가만 안 둔다
[홍길동] [오후 10:20] 집에 들어가면 다 부숴버릴 거야
"""


@pytest.fixture
def app(container: Container) -> FastAPI:
    return create_app(container)


@pytest.fixture
def spec(app: FastAPI) -> dict[str, Any]:
    with TestClient(app) as client:
        body: dict[str, Any] = client.get("/api/openapi.json").json()
    return body


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _data_schema(spec: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    """The schema of `data` in the operation's success answer (list items for a list)."""
    op = spec["paths"][path][method]
    code = next(c for c in op["responses"] if c.startswith("2"))
    envelope = _resolve(spec, op["responses"][code]["content"]["application/json"]["schema"])
    assert set(envelope["required"]) == {"data", "meta"}
    data = _resolve(spec, envelope["properties"]["data"])
    return _resolve(spec, data["items"]) if data.get("type") == "array" else data


def _keys(spec: dict[str, Any], method: str, path: str) -> set[str]:
    return set(_data_schema(spec, method, path)["properties"])


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if path.startswith("/api/"):
                yield method, path, op


def test_every_api_operation_documents_a_success_body(spec: dict[str, Any]) -> None:
    undocumented = []
    for method, path, op in _operations(spec):
        bodies = [media.get("schema") or {} for code, answer in op["responses"].items() if code.startswith("2")
                  for media in (answer.get("content") or {}).values()]
        if not bodies or any(not _resolve(spec, b) for b in bodies):
            undocumented.append(f"{method.upper()} {path}")
    assert undocumented == []
    assert len(list(_operations(spec))) >= 40  # the section 7 table and the operator routes


def test_errors_are_documented_as_the_error_envelope_not_fastapis_422(spec: dict[str, Any]) -> None:
    error = spec["components"]["schemas"]["ErrorEnvelope"]
    assert _resolve(spec, error["properties"]["error"])["required"] == ["code", "message"]
    for method, path, op in _operations(spec):
        assert "422" not in op["responses"], f"{method} {path}"  # LEH answers validation errors with 400
        if path.startswith("/api/cases/{case_id}"):
            not_found = op["responses"]["404"]["content"]["application/json"]["schema"]
            assert not_found["$ref"].endswith("/ErrorEnvelope")


def test_the_shapes_clients_rely_on_are_in_the_schema(spec: dict[str, Any]) -> None:
    document = {"id", "case_id", "evidence_id", "filename", "sha256", "size", "type", "status", "stage",
                "progress", "attempts", "error", "status_history", "uploaded_by", "uploaded_at", "processed_at",
                "object_key", "segments", "labels", "summary", "insights", "speakers", "event_time", "timeline",
                "warnings"}
    assert document <= _keys(spec, "get", "/api/cases/{case_id}/evidence")
    assert document | {"download_url"} <= _keys(spec, "get", "/api/evidence/{evidence_id}")
    detail = _data_schema(spec, "get", "/api/evidence/{evidence_id}")
    segment = _resolve(spec, detail["properties"]["segments"]["items"])
    label = _resolve(spec, detail["properties"]["labels"]["items"])
    assert {"seq", "ts", "speaker", "text", "ref"} <= set(segment["properties"])
    assert {"ground", "tag", "confidence", "segments"} <= set(label["properties"])
    status = _resolve(spec, detail["properties"]["status_history"]["items"])
    assert set(status["properties"]) == {"status", "at"}

    assert {"evidence_id", "seq", "snippet", "score", "grounds", "ts", "speaker"} <= _keys(
        spec, "get", "/api/cases/{case_id}/search")
    assert {"ts", "description", "grounds", "evidence_id", "segments"} <= _keys(
        spec, "get", "/api/cases/{case_id}/timeline")
    ask = _data_schema(spec, "post", "/api/cases/{case_id}/ask")
    assert set(ask["properties"]) == {"answer", "citations"}
    assert set(_resolve(spec, ask["properties"]["citations"]["items"])["properties"]) == {
        "evidence_id", "seq", "snippet"}
    draft = _data_schema(spec, "post", "/api/cases/{case_id}/draft-preview")
    assert {"draft_id", "case_id", "draft_text", "sections", "exhibits", "citations", "generated_at"} <= set(
        draft["required"])
    exhibit = _resolve(spec, draft["properties"]["exhibits"]["items"])
    assert {"number", "label", "evidence_id", "filename", "type", "date"} <= set(exhibit["required"])
    citation = _resolve(spec, draft["properties"]["citations"]["items"])
    assert {"label", "evidence_id", "segments"} <= set(citation["required"])
    assert {"title", "paragraphs"} <= set(_resolve(spec, draft["properties"]["sections"]["items"])["required"])


def _route(method: str, path: str) -> APIRoute:
    routers = (admin, ask, auth, cases, drafts, evidence, parties, search, staff, timeline)
    return next(r for m in routers for r in m.router.routes
                if isinstance(r, APIRoute) and r.path == path and method.upper() in r.methods)


def _check(method: str, path: str, answer: Any, status: int = 200) -> dict[str, Any]:
    """Validate a real answer against the route's documented model; return the body."""
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    TypeAdapter(_route(method, path).response_model).validate_python(body, strict=False)
    return body


def test_real_answers_match_their_documented_models(app: FastAPI, container: Container) -> None:
    with container.sessions() as db:
        user = accounts.create_user(db, email="lawyer@test.local", password="password-123", role="lawyer")
        db.commit()
        token = accounts.issue_token(user, container.settings).access_token
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(app) as client:
        # The parties tell LEH who the client is: the draft cites only the opponent's acts.
        parties = {"client": {"name": "김영희", "aliases": []}, "opponent": {"name": "홍길동", "aliases": []}}
        case = _check("post", "/api/cases", client.post("/api/cases", json={"title": "김영희 사건", "parties": parties},
                                                         headers=auth), 201)["data"]
        cid = case["id"]
        up = client.post(f"/api/cases/{cid}/evidence", files={"file": ("kakao.txt", KAKAO.encode())}, headers=auth)
        evidence_id = _check("post", "/api/cases/{case_id}/evidence", up, 201)["data"]["evidence_id"]
        for message in container.queue.receive(max_messages=10):
            for event in parse_events(message.body):
                assert EvidenceProcessor(container).process(event) == "done"

        detail = _check("get", "/api/evidence/{evidence_id}",
                        client.get(f"/api/evidence/{evidence_id}", headers=auth))["data"]
        assert detail["status"] == "done" and detail["labels"] and detail["download_url"].startswith("http")
        listed = _check("get", "/api/cases/{case_id}/evidence",
                        client.get(f"/api/cases/{cid}/evidence", headers=auth))["data"]
        # A list item is the document without what grows with the evidence: segments and timeline counted, no hits.
        paging = {"segments_offset", "segments_limit", "segments_next"}
        assert listed[0].keys() == detail.keys() - {"download_url", "hits", "worker_id", *paging}
        assert listed[0]["segments"] == [] and listed[0]["segments_total"] == detail["segments_total"] == 3
        assert {lb["segment_count"] for lb in listed[0]["labels"]} <= {1, 2, 3}
        hits = _check("get", "/api/cases/{case_id}/search",
                      client.get(f"/api/cases/{cid}/search", params={"q": "생활비"}, headers=auth))["data"]
        assert [(h["evidence_id"], h["seq"]) for h in hits] == [(evidence_id, 0)]
        events = _check("get", "/api/cases/{case_id}/timeline",
                        client.get(f"/api/cases/{cid}/timeline", headers=auth))["data"]
        assert events and events[0]["evidence_id"] == evidence_id
        _check("post", "/api/cases/{case_id}/ask",
               client.post(f"/api/cases/{cid}/ask", json={"question": "협박한 적이 있나요?"}, headers=auth))
        draft = _check("post", "/api/cases/{case_id}/draft-preview",
                       client.post(f"/api/cases/{cid}/draft-preview", json={}, headers=auth), 201)["data"]
        assert draft["exhibits"][0]["label"] == "갑 제1호증" and draft["risks"] == []
        got = _check("get", "/api/cases/{case_id}/parties", client.get(f"/api/cases/{cid}/parties", headers=auth))
        assert got["data"]["opponent"] == {"name": "홍길동", "aliases": []} and got["data"]["client_side"] == "plaintiff"
        _check("put", "/api/cases/{case_id}/parties",
               client.put(f"/api/cases/{cid}/parties", json={**parties, "children": [{"name": "홍하늘", "birth_year": 2016}]},
                          headers=auth))
        flipped = _check("put", "/api/evidence/{evidence_id}/speakers",
                         client.put(f"/api/evidence/{evidence_id}/speakers", json={"홍길동": "client", "김영희": "opponent"},
                                    headers=auth))["data"]
        assert flipped["speakers_map"] == {"홍길동": "client", "김영희": "opponent"} and flipped["speakers_confirmed"]
        risks = _check("get", "/api/cases/{case_id}/risks", client.get(f"/api/cases/{cid}/risks", headers=auth))["data"]
        assert risks and {r["actor"] for r in risks} == {"client"}
        _check("get", "/api/cases/{case_id}", client.get(f"/api/cases/{cid}", headers=auth))
        _check("get", "/api/staff/progress", client.get("/api/staff/progress", headers=auth))
        _check("get", "/api/auth/me", client.get("/api/auth/me", headers=auth))
        missing = client.get("/api/evidence/00000000-0000-0000-0000-000000000000", headers=auth)
        assert missing.status_code == 404
        TypeAdapter(_route("get", "/api/evidence/{evidence_id}").responses[404]["model"]).validate_python(
            missing.json())
