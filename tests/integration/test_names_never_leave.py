"""Names never leave for OpenAI (issue #18): one case through every AI path against a recording OpenAI-protocol server.

A KakaoTalk export and a phone recording go through the worker (OpenAI transcription in the sandboxed parser child,
analysis, embeddings), then a question (search with a query vector, a written answer) and a complaint draft. No
request body holds the client's, the opponent's, the child's or a third party's name (nor their given names), a
resident registration number (with or without hyphen), a phone, card or account number, or the uploaded filenames;
what LEH stores and shows has the real names back.
"""

from __future__ import annotations

import email.parser
import email.policy
import io
import json
import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from leh.analysis.draft_writer import Claims
from leh.config import Settings
from leh.container import Container
from leh.domain.events import parse_events
from leh.models import User
from leh.pipeline.processor import EvidenceProcessor
from leh.services import accounts, cases
from leh.services import drafts as drafts_svc
from leh.services import evidence as evidence_svc
from leh.services import parties as parties_svc
from leh.services.ask import ask, party_names
from tests.support.http_stub import StubRequest, json_http_server

pytestmark = pytest.mark.integration

CLIENT, OPPONENT, CHILD, THIRD = "이지은", "김준호", "김하늘", "박지훈"
NAMES = (CLIENT, "지은", OPPONENT, "준호", CHILD, "하늘", THIRD, "지훈")
RRN, RRN_BARE = "900101-1234567", "9001011234567"
PHONE, CARD, ACCOUNT = "010-1234-5678", "4111-1111-1111-1111", "110-123-456789"
NUMBERS = (RRN, RRN_BARE, "1234567", PHONE, "01012345678", CARD, "4111111111111111", ACCOUNT)
THREAT = "한 번만 더 그 얘기 하면 죽여버린다"
CHAT_NAME, AUDIO_NAME = f"카카오톡_{OPPONENT}.txt", f"통화_{OPPONENT}.wav"
CHAT = f"""{OPPONENT} 님과 카카오톡 대화
저장한 날짜 : 2024-03-05 09:12:44

--------------- 2024년 3월 2일 토요일 ---------------
[{OPPONENT}] [오후 10:18] {THREAT}
[{CLIENT}] [오후 10:19] 준호씨 하늘이 앞에서 그런 말 하지 마
[{OPPONENT}] [오후 10:25] {THIRD}이랑 바람피운 거 다 알아
[{CLIENT}] [오후 10:30] 내 주민번호 {RRN} 이랑 {RRN_BARE} 로 뭐 했어?
[{OPPONENT}] [오후 10:40] {PHONE} 로 전화해 카드 {CARD} 계좌 {ACCOUNT} 로 돈 보내
"""
WORDS = [{"word": "준호씨", "start": 0.0, "end": 0.5}, {"word": "하늘이", "start": 0.6, "end": 1.0},
         {"word": "데려간다고", "start": 1.1, "end": 1.6}, {"word": "했잖아", "start": 1.7, "end": 2.2}]


class Recorder:
    """The OpenAI protocols LEH speaks, each answered from what was sent; every body is kept as text."""

    def __init__(self) -> None:
        self.bodies: list[tuple[str, str]] = []  # (path, body without the audio bytes)
        self.lock = threading.Lock()

    def respond(self, req: StubRequest) -> tuple[int, Any]:
        ctype = req.headers.get("content-type", "")
        if ctype.startswith("multipart/form-data"):
            return self._transcribe(req, ctype)
        body = req.json()
        with self.lock:
            self.bodies.append((req.path, req.raw.decode("utf-8")))
        if req.path.endswith("/embeddings"):
            data = [{"object": "embedding", "index": i, "embedding": [1.0, float(len(t) % 3)]}
                    for i, t in enumerate(body["input"])]
            return 200, {"object": "list", "model": body["model"], "data": data,
                         "usage": {"prompt_tokens": 10, "total_tokens": 10}}
        schema = (body.get("response_format") or {}).get("json_schema", {}).get("name")
        content = body["messages"][-1]["content"]
        answer = (self._analysis(content) if schema == "leh_analysis" else self._answer(content)
                  if schema == "leh_answer" else self._draft(json.loads(content)))
        return 200, {"id": "c1", "object": "chat.completion", "created": 0, "model": "gpt-4o-mini",
                     "choices": [{"index": 0, "finish_reason": "stop",
                                  "message": {"role": "assistant", "content": json.dumps(answer, ensure_ascii=False)}}],
                     "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}}

    def _transcribe(self, req: StubRequest, ctype: str) -> tuple[int, Any]:
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {ctype}\r\n\r\n".encode() + req.raw)
        raw = req.raw
        for part in msg.iter_parts():
            if part.get_filename():
                raw = raw.replace(bytes(part.get_payload(decode=True)), b"")  # the audio itself, not text
        with self.lock:
            self.bodies.append((req.path, raw.decode("utf-8", "replace")))
        return 200, {"task": "transcribe", "language": "korean", "duration": 3.0,
                     "text": " ".join(w["word"] for w in WORDS), "words": WORDS, "segments": []}

    @staticmethod
    def _analysis(content: str) -> dict[str, Any]:
        findings = []
        for line in content.splitlines():
            m = re.match(r"\[(\d+)\] .*? (\S+): (.*)$", line)
            if m and "죽여버린다" in m.group(3):
                findings.append({"segments": [int(m.group(1))], "ground": "840-3", "tag": "협박", "confidence": 0.9,
                                 "admission": False, "actor": m.group(2),
                                 "description": f"{m.group(2)}가 “{m.group(3)}”라고 원고를 협박함"})
        return {"findings": findings}

    @staticmethod
    def _answer(content: str) -> dict[str, Any]:
        for line in content.splitlines():
            m = re.match(r"\[(\d+)\] .*? (\S+): (.*)$", line)
            if m and "죽여버린다" in m.group(3):
                return {"found": True, "answer": f"{m.group(2)}는 “{m.group(3)}”라고 말했습니다 [{m.group(1)}].",
                        "citations": [int(m.group(1))]}
        return {"found": False, "answer": "", "citations": []}

    @staticmethod
    def _draft(payload: dict[str, Any]) -> dict[str, Any]:
        grounds = []
        for g in payload["grounds"]:
            sentences = [f"{f['quotes'][0]['speaker'] or '작성자'}는 “{f['quotes'][0]['text']}”라고 말했습니다[{f['id']}]."
                         for f in g["facts"]]
            grounds.append({"ground": g["ground"], "paragraphs": [" ".join(sentences)]})
        return {"grounds": grounds}


@pytest.fixture
def recorder() -> Iterator[tuple[Recorder, str]]:
    rec = Recorder()
    with json_http_server(rec.respond) as base:
        yield rec, base + "/v1"


@pytest.fixture
def ai(settings: Settings, recorder: tuple[Recorder, str]) -> Container:
    c = Container(settings.model_copy(update={
        "openai_api_key": "sk-test", "openai_base_url": recorder[1], "openai_max_retries": 0,
        "openai_timeout_seconds": 20.0, "stt_engine": "openai"}))
    c.migrate()
    return c


def _upload(c: Container, db: Session, user: User, case_id: str, name: str, data: bytes) -> str:
    up = evidence_svc.upload_direct(db, c.settings, c.objects, c.evidence, c.queue, user, case_id=case_id,
                                    filename=name, stream=io.BytesIO(data))
    db.commit()
    return str(up["evidence_id"])


def _process(c: Container) -> None:
    for message in c.queue.receive(max_messages=10):
        for event in parse_events(message.body):
            assert EvidenceProcessor(c).process(event) == "done"
        c.queue.delete(message.receipt)


def test_no_name_or_number_reaches_openai_and_everything_stored_has_the_names(
        ai: Container, recorder: tuple[Recorder, str], tmp_path: Path) -> None:
    rec = recorder[0]
    wav = tmp_path / "call.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(wav), "synth", "3", "sine", "440",
                    "vol", "0.3"], check=True, capture_output=True)
    with ai.sessions() as db:
        user = accounts.create_user(db, email="lawyer@test.local", password="password-123", role="lawyer")
        case = cases.create_case(db, user, title="이혼 사건")
        parties_svc.put_parties(db, user, case.id, {
            "client": {"name": CLIENT, "aliases": ["아내"]}, "opponent": {"name": OPPONENT, "aliases": ["남편"]},
            "children": [{"name": CHILD, "birth_year": 2015}], "client_side": "plaintiff"})
        db.commit()
        chat_id = _upload(ai, db, user, case.id, CHAT_NAME, CHAT.encode())
        audio_id = _upload(ai, db, user, case.id, AUDIO_NAME, wav.read_bytes())
        _process(ai)

        parties = parties_svc.load(db, case.id)
        answer = ask(ai.evidence, ai.index, ai.answerer, case.id, "남편이 죽여버린다고 협박했어?", user_id=user.id,
                     parties=party_names(parties))
        hits = ai.index.search(case.id, f"{THIRD}이 누구야")
        draft = drafts_svc.generate(db, ai.evidence, ai.usage, ai.draft_writer, user, case.id, Claims())
        db.commit()

    paths = [p for p, _ in rec.bodies]
    # every AI path was taken: transcription, analysis, embeddings (evidence and the query), the answer, the draft
    assert "/v1/audio/transcriptions" in paths and "/v1/embeddings" in paths
    chats = [json.loads(b) for p, b in rec.bodies if p == "/v1/chat/completions"]
    kinds = {(c.get("response_format") or {}).get("json_schema", {}).get("name") or c["response_format"]["type"]
             for c in chats}
    assert kinds == {"leh_analysis", "leh_answer", "json_object"}, answer
    for path, body in rec.bodies:
        for secret in (*NAMES, *NUMBERS, CHAT_NAME, AUDIO_NAME, case.id):
            assert secret not in body, (path, secret)
    sent = "\n".join(b for _, b in rec.bodies)
    for pseudonym in ("원고", "피고", "자녀1", "인물1"):  # the people are still there, under their pseudonyms
        assert pseudonym in sent
    analysed = [json.loads(b)["messages"][-1]["content"] for p, b in rec.bodies if "leh_analysis" in b]
    assert any("피고: 한 번만 더" in a for a in analysed) and any("피고씨 자녀1이" in a for a in analysed)

    # stored and shown: the real names
    chat = ai.evidence.get(chat_id)
    audio = ai.evidence.get(audio_id)
    assert chat is not None and audio is not None and chat["status"] == audio["status"] == "done"
    assert chat["analysis"]["engine"] == "openai:gpt-4o-mini"
    assert [s["text"] for s in chat["segments"]][1] == "준호씨 하늘이 앞에서 그런 말 하지 마"
    assert "준호씨 하늘이 데려간다고 했잖아" in " ".join(s["text"] for s in audio["segments"])
    stored = json.dumps([chat.get("hits"), chat.get("timeline"), chat.get("summary"), chat.get("insights")],
                        ensure_ascii=False)
    # the model's description, its particles chosen again for the names ("원고를" → "이지은을")
    assert f"{OPPONENT}가 “{THREAT}”라고 {CLIENT}을 협박함" in stored
    assert not re.search(r"인물\d|자녀\d|피고가|원고를", stored)
    assert THIRD in chat["person_names"] and chat["person_names_at"]
    # the actor the model named by pseudonym is the opponent's own speaker label again
    assert {h["agent"] for h in chat["hits"] if str(h.get("rule", "")).startswith("openai:")} == {f"speaker:{OPPONENT}"}
    assert answer["answer"] == f"{OPPONENT}는 “{THREAT}”라고 말했습니다 [1]."
    # the query went out under the same pseudonym as the evidence it should find, and still finds it
    queries = [json.loads(b)["input"] for p, b in rec.bodies if p == "/v1/embeddings" and len(json.loads(b)["input"]) == 1]
    assert ["인물1이 누구야"] in queries
    evidence_inputs = " ".join(t for p, b in rec.bodies if p == "/v1/embeddings" for t in json.loads(b)["input"])
    assert "인물1이랑 바람피운 거 다 알아" in evidence_inputs
    assert [(h.evidence_id, h.seq) for h in hits][:1] == [(chat_id, 2)]
    assert draft["engine"]["name"] == "openai"
    written = [p for sec in draft["sections"] if sec["kind"] == "ground" for p in sec["paragraphs"]]
    assert any(f"{OPPONENT}는 “{THREAT}”라고 말했습니다" in p for p in written)
    assert not re.search(r"인물\d|자녀\d", draft["draft_text"])
