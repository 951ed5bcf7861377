"""Lawyer corrections through the API: labels added and rejected, a transcript line corrected; both flow into
timeline, search filters and the draft, are audited without text, and survive reprocess and reindex."""

from __future__ import annotations

import io
import json
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from leh.container import Container
from leh.domain.errors import ERROR_MESSAGES_KO
from leh.domain.events import parse_events
from leh.pipeline.processor import EvidenceProcessor
from tests.conftest import make_user
from tests.support.live import Api

KAKAO = """홍길동 님과 카카오톡 대화
저장한 날짜 : 2024-01-05 09:12:44

--------------- 2023년 12월 25일 월요일 ---------------
[김영희] [오후 10:18] 생활비는 언제 보내줄 거야?
[홍길동] [오후 10:20] 한 번만 더 그 얘기 하면 가만 안 둔다
[홍길동] [오후 10:20] 집에 들어가면 다 부숴버릴 거야
--------------- 2023년 12월 26일 화요일 ---------------
[홍길동] [오전 9:00] 오늘부터 회사 근처 원룸에서 지낼 테니 찾지 마
[김영희] [오전 9:05] 알았어 애들은 내가 볼게
"""
# The client is 김영희, the opponent 홍길동: the draft cites only the opponent's acts.
PARTIES = {"client": {"name": "김영희", "aliases": []}, "opponent": {"name": "홍길동", "aliases": []}}
FONT_PATH = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"


def drain(container: Container) -> list[str]:
    """Process every queued upload inline, like a worker would; returns what happened to each."""
    out = []
    while messages := container.queue.receive(max_messages=10):
        for message in messages:
            for event in parse_events(message.body):
                out.append(EvidenceProcessor(container).process(event))
            container.queue.delete(message.receipt)
    return out


def seq_of(doc: dict[str, Any], words: str) -> int:
    return next(int(s["seq"]) for s in doc["segments"] if words in s["text"])


def labels_by_ground(doc: dict[str, Any]) -> dict[str, list[tuple[str, list[int], str | None, float]]]:
    out: dict[str, list[tuple[str, list[int], str | None, float]]] = {}
    for lb in doc["labels"]:
        out.setdefault(lb["ground"], []).append((lb["tag"], lb["segments"], lb.get("source"), lb["confidence"]))
    return out


def _case_with_chat(app_admin_api: Api, container: Container) -> tuple[Api, str, dict[str, Any]]:
    owner = make_user(app_admin_api, "owner@test.local")
    cid = owner.data("POST", "/api/cases", 201, json={"title": "정정 사건"})["id"]
    owner.data("PUT", f"/api/cases/{cid}/parties", json=PARTIES)
    eid = owner.data("POST", f"/api/cases/{cid}/evidence", 201,
                     files={"file": ("kakao.txt", KAKAO.encode(), "text/plain")})["id"]
    assert drain(container) == ["done"]
    return owner, cid, owner.data("GET", f"/api/evidence/{eid}")


def test_added_and_rejected_labels_flow_everywhere_and_survive_reprocess_and_reindex(
        app_admin_api: Api, container: Container) -> None:
    owner, cid, doc = _case_with_chat(app_admin_api, container)
    eid = doc["id"]
    threat1, threat2, leave = seq_of(doc, "가만 안 둔다"), seq_of(doc, "부숴버릴"), seq_of(doc, "원룸")
    # The engine found the two threats, not the leaving; every engine label says so.
    assert labels_by_ground(doc) == {"840-3": [("협박", [threat1, threat2], "engine", doc["labels"][0]["confidence"])]}
    assert [h["seq"] for h in owner.data("GET", f"/api/cases/{cid}/search", params={"q": "가만", "ground": "840-3"})] \
        == [threat1]
    assert owner.data("GET", f"/api/cases/{cid}/search", params={"q": "원룸", "ground": "840-2"}) == []

    fixed = owner.data("PATCH", f"/api/evidence/{eid}/labels", json={
        "add": [{"ground": "840-2", "segments": [leave], "tag": "가출"}],
        "remove": [{"ground": "840-3", "segments": [threat1]}]})
    # The engine label keeps the segment the lawyer did not reject; its confidence is what that one message supports.
    fixed_engine = [lb for lb in fixed["labels"] if lb["source"] == "engine"]
    assert len(fixed_engine) == 1 and 0 < fixed_engine[0]["confidence"] <= doc["labels"][0]["confidence"]
    expected = {"840-2": [("가출", [leave], "lawyer", 1.0)],
                "840-3": [("협박", [threat2], "engine", fixed_engine[0]["confidence"])]}
    assert labels_by_ground(fixed) == expected
    assert {(lb["ground"], lb["actor"], lb["favours"]) for lb in fixed["labels"]} == {
        ("840-2", "opponent", "client"), ("840-3", "opponent", "client")}
    assert [(c["op"], c["ground"], c["segments"]) for c in fixed["label_corrections"]] == [
        ("add", "840-2", [leave]), ("remove", "840-3", [threat1])]

    def check_everywhere() -> None:
        timeline = owner.data("GET", f"/api/cases/{cid}/timeline")
        by_ground = {g: [s for ev in timeline if g in ev["grounds"] for s in ev["segments"]] for g in ("840-2", "840-3")}
        assert by_ground == {"840-2": [leave], "840-3": [threat2]}
        assert "가출" in next(ev["description"] for ev in timeline if ev["grounds"] == ["840-2"])
        assert owner.data("GET", f"/api/cases/{cid}/search", params={"q": "가만", "ground": "840-3"}) == []
        assert [h["seq"] for h in owner.data("GET", f"/api/cases/{cid}/search",
                                             params={"q": "원룸", "ground": "840-2"})] == [leave]
        draft = owner.data("POST", f"/api/cases/{cid}/draft-preview", 201, json={})
        facts = {(f["ground"], tuple(f["segments"])) for f in draft["facts"]}
        assert ("840-2", (leave,)) in facts and ("840-3", (threat2,)) in facts
        assert not any(threat1 in f["segments"] for f in draft["facts"] if f["ground"] == "840-3")
        assert "원룸" in draft["draft_text"]

    check_everywhere()
    # Audited: who changed which ground on which segments, never the words.
    rows = app_admin_api.data("GET", "/api/admin/audit", params={"action": "evidence.labels_correct"})
    assert len(rows) == 1 and rows[0]["object_id"] == eid
    assert rows[0]["detail"]["add"] == [{"ground": "840-2", "segments": [leave]}]
    assert rows[0]["detail"]["remove"] == [{"ground": "840-3", "segments": [threat1]}]
    dumped = json.dumps(rows[0], ensure_ascii=False)
    assert "원룸" not in dumped and "가만" not in dumped

    # `leh ops reprocess` (the same service as the admin route) re-parses and re-analyses; the corrections stay.
    assert app_admin_api.data("POST", "/api/admin/reprocess-evidence", json={"evidence_id": eid})["status"] == "queued"
    assert drain(container) == ["done"]
    again = owner.data("GET", f"/api/evidence/{eid}")
    assert labels_by_ground(again) == expected and len(again["label_corrections"]) == 2
    check_everywhere()
    # Reindex rebuilds the index from the stored documents: the ground filter still sees the lawyer's label.
    result = app_admin_api.data("POST", "/api/admin/reindex-case", json={"case_id": cid})
    assert result["consistent"] is True
    check_everywhere()


def test_corrections_are_for_members_and_validated_in_korean(app_admin_api: Api, container: Container) -> None:
    owner, cid, doc = _case_with_chat(app_admin_api, container)
    eid, path = doc["id"], f"/api/evidence/{doc['id']}/labels"
    make_user(app_admin_api, "viewer@test.local")
    make_user(app_admin_api, "stranger@test.local")
    owner.data("POST", f"/api/cases/{cid}/members", 201, json={"email": "viewer@test.local", "role": "viewer"})
    viewer = app_admin_api.as_user("viewer@test.local", "password-123")
    stranger = app_admin_api.as_user("stranger@test.local", "password-123")
    body = {"add": [{"ground": "840-2", "segments": [0]}]}
    assert viewer.call("PATCH", path, 403, json=body).json()["error"]["code"] == "FORBIDDEN"
    assert stranger.call("PATCH", path, 404, json=body).json()["error"]["code"] == "EVIDENCE_NOT_FOUND"
    last = max(int(s["seq"]) for s in doc["segments"])
    for bad, code in [({"add": [{"ground": "840-9", "segments": [0]}]}, "LABEL_GROUND_UNKNOWN"),
                      ({"remove": [{"ground": "폭언", "segments": [0]}]}, "LABEL_GROUND_UNKNOWN"),
                      ({"add": [{"ground": "840-3", "segments": [last + 1]}]}, "SEGMENT_OUT_OF_RANGE"),
                      ({"add": [{"ground": "840-3", "segments": []}]}, "LABEL_SEGMENTS_REQUIRED"),
                      ({"add": [{"ground": "840-3", "segments": [0], "tag": "외도"}]}, "LABEL_TAG_UNKNOWN"),
                      ({}, "LABEL_CORRECTION_EMPTY")]:
        err = owner.call("PATCH", path, 400, json=bad).json()["error"]
        assert err == {"code": code, "message": ERROR_MESSAGES_KO[code]}, bad
    assert "840-1" in ERROR_MESSAGES_KO["LABEL_GROUND_UNKNOWN"]
    assert owner.data("GET", f"/api/evidence/{eid}").get("label_corrections") is None  # nothing half-applied
    # A chat export's line is the exporter's own record: it is not rewritten.
    err = owner.call("PATCH", f"/api/evidence/{eid}/segments/0", 400, json={"text": "다른 말"}).json()["error"]
    assert err["code"] == "SEGMENT_NOT_CORRECTABLE"
    assert viewer.call("PATCH", f"/api/evidence/{eid}/segments/0", 403, json={"text": "다른 말"}).status_code == 403


def _png(lines: list[str]) -> bytes:
    font = ImageFont.truetype(FONT_PATH, 44)
    img = Image.new("RGB", (1400, 100 + 90 * len(lines)), "white")
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((40, 40 + 90 * i), line, font=font, fill="black")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def test_an_ocr_line_corrected_keeps_the_original_and_survives_reprocess(app_admin_api: Api, container: Container) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    cid = owner.data("POST", "/api/cases", 201, json={"title": "사진 사건"})["id"]
    eid = owner.data("POST", f"/api/cases/{cid}/evidence", 201,
                     files={"file": ("memo.png", _png(["오늘 남편이 늦게 들어왔다"]), "image/png")})["id"]
    assert drain(container) == ["done"]
    doc = owner.data("GET", f"/api/evidence/{eid}")
    assert doc["type"] == "image" and doc["segments"]
    seq, read = int(doc["segments"][0]["seq"]), doc["segments"][0]["text"]
    assert not any(seq in lb["segments"] for lb in doc["labels"])
    corrected = "오늘 남편이 술에 취해 주먹으로 얼굴을 때렸다"
    fixed = owner.data("PATCH", f"/api/evidence/{eid}/segments/{seq}", json={"text": corrected})
    seg = next(s for s in fixed["segments"] if s["seq"] == seq)
    assert (seg["text"], seg["original_text"], seg["corrected_by"]) == (corrected, read, owner.data("GET", "/api/auth/me")["id"])
    # The corrected words are labelled, indexed and on the timeline at once.
    assert any(lb["ground"] == "840-3" and seq in lb["segments"] for lb in fixed["labels"])
    assert [h["seq"] for h in owner.data("GET", f"/api/cases/{cid}/search", params={"q": "주먹", "ground": "840-3"})] == [seq]
    assert any("840-3" in ev["grounds"] for ev in owner.data("GET", f"/api/cases/{cid}/timeline"))
    rows = app_admin_api.data("GET", "/api/admin/audit", params={"action": "evidence.segment_correct"})
    assert rows[0]["detail"]["seq"] == seq and "주먹" not in json.dumps(rows[0], ensure_ascii=False)

    assert app_admin_api.data("POST", "/api/admin/reprocess-evidence", json={"evidence_id": eid})["status"] == "queued"
    assert drain(container) == ["done"]
    again = owner.data("GET", f"/api/evidence/{eid}")
    seg = next(s for s in again["segments"] if s["seq"] == seq)
    assert (seg["text"], seg["original_text"]) == (corrected, read)
    assert any(lb["ground"] == "840-3" and seq in lb["segments"] for lb in again["labels"])
    assert not [w for w in again["warnings"] if w["code"] == "SEGMENT_CORRECTION_STALE"]
    assert [h["seq"] for h in owner.data("GET", f"/api/cases/{cid}/search", params={"q": "주먹"})] == [seq]


def test_a_transcript_correction_the_engine_no_longer_matches_waits_with_a_warning(
        app_admin_api: Api, container: Container) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    cid = owner.data("POST", "/api/cases", 201, json={"title": "사진 사건"})["id"]
    eid = owner.data("POST", f"/api/cases/{cid}/evidence", 201,
                     files={"file": ("memo.png", _png(["오늘 남편이 늦게 들어왔다"]), "image/png")})["id"]
    assert drain(container) == ["done"]
    read = owner.data("GET", f"/api/evidence/{eid}")["segments"][0]["text"]
    owner.data("PATCH", f"/api/evidence/{eid}/segments/0", json={"text": "오늘 남편이 주먹으로 때렸다"})
    # As if an earlier engine had read the line differently: the stored original no longer matches.
    container.evidence.mutate(eid, lambda d: {**d, "segment_corrections": [
        {**d["segment_corrections"][0], "original_text": "예전 엔진이 읽은 문장"}]})
    app_admin_api.data("POST", "/api/admin/reprocess-evidence", json={"evidence_id": eid})
    assert drain(container) == ["done"]
    again = owner.data("GET", f"/api/evidence/{eid}")
    assert again["segments"][0]["text"] == read and "original_text" not in again["segments"][0]
    assert [w["code"] for w in again["warnings"]] == ["SEGMENT_CORRECTION_STALE"]
    assert again["segment_corrections"][0]["text"] == "오늘 남편이 주먹으로 때렸다"  # kept for the lawyer to redo
