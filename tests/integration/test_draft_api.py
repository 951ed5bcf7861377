"""Draft preview over real HTTP: a KakaoTalk export, a photo and a call recording are uploaded, processed and
labelled by a real worker, then drafted, versioned and exported; the draft is parsed here and its citations,
exhibit list and grounding are checked against the evidence the API serves."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from PIL import Image, ImageDraw, ImageFont

from tests.conftest import make_user
from tests.support.live import Api, LehProcesses, running_leh
from tests.support.whisper_stub import verbose_json, whisper_server

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

EMPTY_MESSAGE = "분석할 증거가 없습니다. 증거를 먼저 업로드해주세요."
KAKAO = """홍길동 님과 카카오톡 대화
저장한 날짜 : 2024-01-05 09:12:44

--------------- 2023년 12월 25일 월요일 ---------------
[김영희] [오후 10:18] 생활비는 언제 보내줄 거야?
[홍길동] [오후 10:20] 이번 달부터 생활비 안 줄 거야
[홍길동] [오후 10:21] 한 번만 더 그 얘기 하면 죽여버린다
[김영희] [오후 10:40] 오늘 저녁은 먹었어
--------------- 2023년 12월 27일 수요일 ---------------
[김영희] [오후 11:00] 어제 나 때렸잖아 너무 무서워
[홍길동] [오후 11:05] 집에 들어오면 죽여버린다
"""
PHOTO_LINES = ("남편이 어젯밤 나를 때렸다", "생활비도 안 준다고 했다")
CITATION = re.compile(r"갑\s*제\s*(\d+)\s*호증(?:\s*의\s*(\d+))?")
QUOTE = re.compile(r"“([^”]*)”")
EXHIBIT_LINE = re.compile(r"^갑 제(\d+)호증(?:의 (\d+)(?: 내지 (\d+)|((?:, \d+)+))?)?\s+(.*)$")


def photo_jpeg() -> bytes:
    """A photo of handwritten-style notes as a phone would save it: Korean text, EXIF capture time."""
    font = ImageFont.truetype("/usr/share/fonts/truetype/nanum/NanumGothic.ttf", 44)
    img = Image.new("RGB", (900, 60 + 80 * len(PHOTO_LINES)), "white")
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(PHOTO_LINES):
        draw.text((40, 30 + 80 * i), line, fill="black", font=font)
    exif = Image.Exif()
    exif[0x8769] = {0x9003: "2023:12:26 08:00:00"}  # DateTimeOriginal
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif, quality=95)
    return out.getvalue()


CALL_WORDS = [("집에", 0.3, 0.6), ("들어오면", 0.6, 1.1), ("죽여버린다", 1.1, 1.8),
              ("생활비", 3.0, 3.5), ("안", 3.5, 3.7), ("줄", 3.7, 3.9), ("거야", 3.9, 4.3)]


@pytest.fixture
def leh(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Server and worker whose speech-to-text is the OpenAI transcription protocol, served locally.

    espeak-ng's Korean voice is not recognisable offline, so the recording's Korean words come from a local
    server speaking OpenAI's protocol; labels, answers and draft prose stay on the offline engines.
    """
    with whisper_server(verbose_json(CALL_WORDS)) as (base_url, paths), running_leh(
            tmp_path / "var", OPENAI_API_KEY="sk-test", LEH_OPENAI_BASE_URL=base_url, LEH_STT_ENGINE="openai",
            LEH_OPENAI_ANALYSIS="0", LEH_OPENAI_EMBEDDINGS="0", LEH_OPENAI_ANSWERS="0", LEH_OPENAI_DRAFTS="0") as procs:
        procs.stt_paths = paths  # type: ignore[attr-defined]
        yield procs


def recording_m4a(tmp: Path) -> bytes:
    """A phone call recording: real audio (its words come from the transcription server) with a capture time."""
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(tmp / "call.wav"), "집에 들어오면 죽여버린다. 생활비 안 줄 거야."],
                   check=True, capture_output=True)
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(tmp / "call.wav"), "-c:a", "aac",
                    "-metadata", "creation_time=2023-12-25T14:00:00Z", str(tmp / "call.m4a")], check=True, capture_output=True)
    return (tmp / "call.m4a").read_bytes()


def labels_of(n: str, m: str | None) -> str:
    return f"갑 제{n}호증" + (f"의 {m}" if m else "")


def sentences(paragraph: str) -> list[str]:
    """Sentences end at a full stop outside quotes and parentheses."""
    out, buf, in_quote, depth = [], "", False, 0
    for i, ch in enumerate(paragraph):
        buf += ch
        in_quote = (in_quote or ch == "“") and ch != "”"
        depth += (ch == "(") - (ch == ")") if not in_quote else 0
        if ch == "." and not in_quote and depth == 0 and (i + 1 == len(paragraph) or paragraph[i + 1] == " "):
            out.append(buf.strip())
            buf = ""
    return out + ([buf.strip()] if buf.strip() else [])


def check_draft(draft: dict[str, Any], evidence: dict[str, dict[str, Any]]) -> None:
    """The issue's consistency rules, checked from the produced draft alone."""
    sections = draft["sections"]
    body = [s for s in sections if s["kind"] != "evidence_list"]
    order = [labels_of(*m.groups()) for s in body for p in s["paragraphs"] for m in CITATION.finditer(p)]
    cited = list(dict.fromkeys(order))
    citations = {c["label"]: c for c in draft["citations"]}
    assert cited and set(cited) == set(citations)
    exhibits = draft["exhibits"]
    assert [e["number"] for e in exhibits] == list(range(1, len(exhibits) + 1))
    assert [e["label"] for e in exhibits] == [f"갑 제{e['number']}호증" for e in exhibits]
    first_cited = list(dict.fromkeys(int(CITATION.match(lbl).group(1)) for lbl in order))
    assert first_cited == [e["number"] for e in exhibits]  # numbered exactly in order of citation
    by_number = {e["number"]: e for e in exhibits}
    for lbl, c in citations.items():
        n = int(CITATION.match(lbl).group(1))
        assert by_number[n]["evidence_id"] == c["evidence_id"]
        seqs = {s["seq"] for s in evidence[c["evidence_id"]]["segments"]}
        assert c["segments"] and set(c["segments"]) <= seqs

    for s in sections:
        if s["kind"] != "ground":
            continue
        for p in s["paragraphs"]:
            if p.startswith("[") and p.endswith("]"):
                continue
            for sentence in sentences(p):
                found = [labels_of(*m.groups()) for m in CITATION.finditer(sentence)]
                assert found, f"uncited sentence: {sentence}"
                words = " ".join(seg["text"] for lbl in found for seg in evidence[citations[lbl]["evidence_id"]]["segments"]
                                 if seg["seq"] in citations[lbl]["segments"])
                words = " ".join(words.split())
                for quote in QUOTE.findall(sentence):
                    assert quote in words, (quote, words)

    listed: list[str] = []
    lines = next(s for s in sections if s["kind"] == "evidence_list")["paragraphs"]
    for line, ex in zip(lines, exhibits, strict=True):
        m = EXHIBIT_LINE.match(line)
        assert m, line
        n, first, last, more, rest = m.groups()
        parts = [None] if first is None else (list(range(int(first), int(last) + 1)) if last else
                                             [int(first), *map(int, re.findall(r"\d+", more or ""))])
        listed += [labels_of(n, str(p) if p else None) for p in parts]
        assert int(n) == ex["number"] and ex["filename"] in rest
    assert sorted(listed) == sorted(citations)
    for s in sections:
        assert s["title"] in draft["draft_text"]
        assert all(p in draft["draft_text"] for p in s["paragraphs"])


def test_draft_from_processed_kakaotalk_photo_and_recording(leh: LehProcesses, admin_api: Api, tmp_path: Path) -> None:
    lawyer = make_user(admin_api, "drafter@test.local")
    me = lawyer.data("GET", "/api/auth/me")
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "김영희 이혼 사건"})
    base = f"/api/cases/{case['id']}"
    # Who is who: without parties LEH cannot tell the opponent's acts from the client's, and cites neither.
    lawyer.data("PUT", base + "/parties", json={"client": {"name": "김영희", "aliases": []},
                                                "opponent": {"name": "홍길동", "aliases": []}})

    # The empty-case guard, before any evidence exists.
    for method, path in (("POST", "/draft-preview"), ("GET", "/draft-preview"), ("GET", "/draft-export")):
        resp = lawyer.call(method, base + path)
        assert resp.status_code == 400, (path, resp.text)
        assert resp.json()["error"] == {"code": "NO_PROCESSED_EVIDENCE", "message": EMPTY_MESSAGE}
    assert lawyer.data("GET", base + "/drafts") == []

    leh.start_worker()
    uploaded = lawyer.data("POST", base + "/evidence", 201, files=[
        ("file", ("KakaoTalk_20240105.txt", KAKAO.encode(), "text/plain")),
        ("file", ("멍_사진.jpg", photo_jpeg(), "image/jpeg")),
        ("file", ("통화녹음.m4a", recording_m4a(tmp_path), "audio/mp4")),
    ])
    # A second case whose only evidence fails: failed evidence is not processed evidence.
    other_case = lawyer.data("POST", "/api/cases", 201, json={"title": "실패한 증거만 있는 사건"})
    broken = lawyer.data("POST", f"/api/cases/{other_case['id']}/evidence", 201,
                         files={"file": ("깨진파일.bin", bytes(range(256)) * 4, "application/octet-stream")})
    docs = {u["id"]: lawyer.wait_status(u["id"], {"done", "failed"}, timeout=150) for u in uploaded}
    assert {d["type"]: d["status"] for d in docs.values()} == {"kakaotalk": "done", "image": "done", "audio": "done"}
    assert lawyer.wait_status(broken["id"], {"done", "failed"})["status"] == "failed"
    # The recording's speakers have no names: the lawyer says who speaks (labels and timeline are re-derived).
    audio_id = next(eid for eid, d in docs.items() if d["type"] == "audio")
    docs[audio_id] = lawyer.data("PUT", f"/api/evidence/{audio_id}/speakers",
                                 json={sp: "opponent" for sp in docs[audio_id]["speakers"]})
    resp = lawyer.call("POST", f"/api/cases/{other_case['id']}/draft-preview")
    assert resp.status_code == 400 and resp.json()["error"]["message"] == EMPTY_MESSAGE

    first = lawyer.data("POST", base + "/draft-preview", 201)
    assert {"draft_id", "case_id", "draft_text", "sections", "exhibits", "citations", "generated_at"} <= set(first)
    assert first["case_id"] == case["id"] and first["engine"]["name"] == "offline"
    check_draft(first, docs)
    assert "피고는 “" in first["draft_text"] and "홍길동은 “" not in first["draft_text"]  # 원고/피고, not display names

    # What must be cited follows from the labels the worker wrote: every evidence with a usable label is an
    # exhibit, and every ground with one has its subsection.
    def usable(d: dict[str, Any]) -> list[dict[str, Any]]:
        speech = {s["seq"] for s in d["segments"] if s["kind"] != "system" and s["text"].strip()}
        return [lb for lb in d["labels"] if lb["confidence"] >= 0.5 and speech & set(lb["segments"])
                and lb["favours"] == "client"]

    expected_exhibits = {eid for eid, d in docs.items() if usable(d)}
    by_type = {d["type"]: eid for eid, d in docs.items()}
    assert set(by_type.values()) == expected_exhibits  # the chat, the photo and the recording are all cited
    assert leh.stt_paths == ["/v1/audio/transcriptions"]  # type: ignore[attr-defined]
    import sqlite3

    with sqlite3.connect(leh.data_dir / "leh.db") as conn:  # the billed transcription is in ai_usage
        billed = conn.execute("SELECT provider, evidence_id, cost_usd FROM ai_usage WHERE model='whisper-1'").fetchall()
    assert [(p, e) for p, e, _cost in billed] == [("openai", by_type["audio"])] and billed[0][2] > 0
    assert {e["evidence_id"] for e in first["exhibits"]} == expected_exhibits
    assert sorted(s["ground"] for s in first["sections"] if s["kind"] == "ground") == sorted(
        {lb["ground"] for d in docs.values() for lb in usable(d)})
    for ex in first["exhibits"]:
        source = docs[ex["evidence_id"]]
        assert (ex["filename"], ex["type"]) == (source["filename"], source["type"])
        assert ex["date"] == (source["event_time"] or source["segments"][0]["ts"])[:10]
    photo = next(e for e in first["exhibits"] if e["evidence_id"] == by_type["image"])
    assert photo["date"] == "2023-12-26" and photo["type_label"] == "사진"  # the EXIF capture date
    # The parties block names the case's parties as the lawyer entered them; everything else there stays blank.
    assert next(s for s in first["sections"] if s["kind"] == "parties")["paragraphs"][:5] == [
        "원      고  김영희 (주민등록번호 [      ])", "      주소 [      ]", "      등록기준지 [      ]",
        "원고 소송대리인  변호사 [성명]", "피      고  홍길동 (주민등록번호 [      ])"]

    second = lawyer.data("POST", base + "/draft-preview", 201,
                         json={"claims": {"alimony": True, "custody": True}})
    check_draft(second, docs)
    claims_text = "\n".join(next(s for s in second["sections"] if s["kind"] == "claims")["paragraphs"])
    assert "위자료로 금 [" in claims_text and "친권자 및 양육자" in claims_text and "재산분할" not in claims_text
    assert "위자료" not in "\n".join(next(s for s in first["sections"] if s["kind"] == "claims")["paragraphs"])

    history = lawyer.data("GET", base + "/drafts")
    assert [h["draft_id"] for h in history] == [second["draft_id"], first["draft_id"]]
    for h in history:
        assert h["created_by"] == me["id"] and sorted(h["evidence_ids"]) == sorted(docs)
    assert lawyer.data("GET", f"{base}/drafts/{first['draft_id']}")["draft_text"] == first["draft_text"]
    latest = lawyer.data("GET", base + "/draft-preview")
    assert latest["draft_id"] == second["draft_id"] and latest["stale"] is False

    export = lawyer.call("GET", base + "/draft-export", 200)
    assert export.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument")
    assert "filename*=UTF-8''" in export.headers["content-disposition"]
    doc = Document(io.BytesIO(export.content))
    assert doc.sections[0].header.paragraphs[0].text == "AI 초안 — 변호사 검토 필요"
    texts = [p.text for p in doc.paragraphs]
    assert [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")] == [s["title"] for s in second["sections"]]
    assert any("위자료로" in t for t in texts)
    assert len(doc.tables[0].rows) == len(second["exhibits"]) + 1
    old = Document(io.BytesIO(lawyer.call("GET", base + "/draft-export", 200,
                                          params={"draft_id": first["draft_id"]}).content))
    assert not any("위자료로" in p.text for p in old.paragraphs)
    assert lawyer.call("GET", base + "/draft-export", params={"draft_id": "nope"}).status_code == 404

    # Not a member: nothing exists. A bad body: a validation error, not a draft.
    stranger = make_user(admin_api, "stranger@test.local")
    for method, path in (("POST", "/draft-preview"), ("GET", "/draft-preview"), ("GET", "/drafts"),
                         ("GET", f"/drafts/{first['draft_id']}"), ("GET", "/draft-export")):
        resp = stranger.call(method, base + path)
        assert resp.status_code == 404 and resp.json()["error"]["code"] == "CASE_NOT_FOUND"
    bad = lawyer.call("POST", base + "/draft-preview", json={"claims": {"alimony": "maybe", "pets": True}})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "VALIDATION_ERROR"

    # New processed evidence makes the latest draft stale until the next generation.
    memo = lawyer.data("POST", base + "/evidence", 201,
                       files={"file": ("상담메모.txt", "2024년 1월 2일 남편이 또 때렸다고 함".encode(), "text/plain")})
    assert lawyer.wait_status(memo["id"], {"done", "failed"})["status"] == "done"
    assert lawyer.data("GET", base + "/draft-preview")["stale"] is True
    third = lawyer.data("POST", base + "/draft-preview", 201)
    assert memo["id"] in third["evidence_ids"] and len(lawyer.data("GET", base + "/drafts")) == 3
