"""The OpenAI adapter against a local server speaking the Chat Completions and Embeddings protocol.

Asserts what actually goes over the wire (masked text, aliases instead of names, a strict JSON schema), the
token usage written to ai_usage with its cost, and the fallback to offline analysis when the call fails.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from leh.adapters.sqlite_search import SqliteSearchIndex
from leh.analysis.analyzer import analyze_offline
from leh.config import Settings
from leh.container import Container
from leh.models import AiUsage
from leh.ports import AnalysisContext
from leh.services.ask import NO_ANSWER, ask
from tests.support.http_stub import StubRequest, json_http_server
from tests.unit.test_search_service import done_doc

Reply = tuple[int, dict[str, Any], float]  # status, JSON body, seconds to wait first


class FakeOpenAI:
    """`reply(path, body)` decides each answer of the local server; every request is recorded."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, Any], str]] = []
        self.reply: Callable[[str, dict[str, Any]], Reply] = lambda path, body: (500, {"error": {}}, 0)
        self.url = ""

    def respond(self, req: StubRequest) -> tuple[int, Any]:
        raw = req.raw.decode("utf-8")
        body = json.loads(raw)
        self.requests.append((req.path, body, raw))
        status, payload, delay = self.reply(req.path, body)
        time.sleep(delay)
        return status, payload

    def chat(self, path: str, content: str, *, prompt: int = 321, completion: int = 54) -> Reply:
        assert path == "/v1/chat/completions"
        return 200, {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "gpt-4o-mini",
                     "choices": [{"index": 0, "finish_reason": "stop",
                                  "message": {"role": "assistant", "content": content}}],
                     "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                               "total_tokens": prompt + completion}}, 0


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    f = FakeOpenAI()
    with json_http_server(f.respond) as base:
        f.url = base + "/v1"
        yield f


@pytest.fixture
def ai(settings: Settings, fake: FakeOpenAI) -> Container:
    s = settings.model_copy(update={"openai_api_key": "sk-test-key", "openai_base_url": fake.url,
                                    "openai_max_retries": 0, "openai_timeout_seconds": 5.0})
    c = Container(s)
    c.migrate()
    return c


SEGMENTS = [
    {"seq": 0, "ts": "2023-12-25T22:18:00+09:00", "speaker": "김영희", "kind": "speech",
     "text": "내 번호 010-1234-5678 이고 계좌는 110-123-456789 야"},
    {"seq": 1, "ts": "2023-12-25T22:20:00+09:00", "speaker": "홍길동", "kind": "speech",
     "text": "김영희 너 한 번만 더 그러면 가만 안 둔다"},
    {"seq": 2, "ts": None, "speaker": None, "kind": "system", "text": "사진"},
]
CTX = AnalysisContext(case_id=str(uuid.uuid4()), evidence_id=str(uuid.uuid4()), user_id=str(uuid.uuid4()))


def usage_rows(c: Container) -> list[AiUsage]:
    with c.sessions() as db:
        return list(db.scalars(select(AiUsage).where(AiUsage.provider == "openai").order_by(AiUsage.at)))


def test_analysis_sends_masked_aliased_text_and_records_usage(ai: Container, fake: FakeOpenAI) -> None:
    findings = {"findings": [{"segments": [1], "ground": "840-3", "tag": "협박", "confidence": 0.9, "admission": False,
                              "description": "인물2가 인물1에게 가만두지 않겠다고 협박함"}]}
    fake.reply = lambda path, body: fake.chat(path, json.dumps(findings, ensure_ascii=False))
    engine = ai.analysis_engine
    assert engine is not None
    out = engine.analyze(SEGMENTS, event_time=None, context=CTX)

    [(path, body, raw)] = fake.requests
    sent = body["messages"][-1]["content"]
    assert "010-1234-5678" not in raw and "110-123-456789" not in raw
    assert "[전화번호]" in sent and "[계좌번호]" in sent
    assert "홍길동" not in raw and "김영희" not in raw and "인물1:" in sent and "인물2:" in sent
    assert "사진" not in sent  # system lines are nobody's words and are not sent
    assert body["model"] == "gpt-4o-mini" and body["temperature"] == 0
    assert body["response_format"]["type"] == "json_schema" and body["response_format"]["json_schema"]["strict"] is True

    assert out["labels"] == [{"ground": "840-3", "tag": "협박", "confidence": 0.9, "segments": [1]}]
    assert out["analysis"] == {"engine": "openai:gpt-4o-mini"}
    assert out["timeline"][0]["description"].startswith("홍길동이 김영희에게 가만두지 않겠다고 협박함: “")
    assert out["summary"].startswith("2023-12-25 22:20, 홍길동이 김영희에게 가만두지 않겠다고 협박함(")
    [row] = usage_rows(ai)
    assert (row.case_id, row.evidence_id, row.user_id) == (CTX.case_id, CTX.evidence_id, CTX.user_id)
    assert (row.model, row.input_tokens, row.output_tokens) == ("gpt-4o-mini", 321, 54)
    assert row.cost_usd == pytest.approx(321 / 1e6 * 0.15 + 54 / 1e6 * 0.60)


def test_reply_outside_the_segments_or_schema_is_not_trusted(ai: Container, fake: FakeOpenAI) -> None:
    findings = {"findings": [{"segments": [1, 99], "ground": "840-1", "tag": "폭행", "confidence": 3.0,
                              "admission": False, "description": ""}]}
    fake.reply = lambda path, body: fake.chat(path, json.dumps(findings))
    out = ai.analysis_engine.analyze(SEGMENTS, event_time=None, context=CTX)  # type: ignore[union-attr]
    # the tag decides the ground, unknown segment 99 is dropped, confidence is capped
    assert out["labels"] == [{"ground": "840-3", "tag": "폭행", "confidence": 0.99, "segments": [1]}]


def test_server_errors_are_retried_then_fall_back_to_offline(ai: Container, fake: FakeOpenAI) -> None:
    c = Container(ai.settings.model_copy(update={"openai_max_retries": 1}))
    fake.reply = lambda path, body: (500, {"error": {"message": "boom", "type": "server_error"}}, 0)
    out = c.analysis_engine.analyze(SEGMENTS, event_time=None, context=CTX)  # type: ignore[union-attr]
    assert len(fake.requests) == 2  # one retry
    offline = analyze_offline(SEGMENTS, event_time=None)
    assert out["labels"] == offline["labels"] and out["labels"][0]["tag"] == "협박"
    assert out["analysis"] == {"engine": offline["analysis"]["engine"], "fallback_from": "openai:gpt-4o-mini",
                               "fallback_reason": "http_500"}
    assert usage_rows(ai) == []


def test_a_timeout_falls_back_and_says_why(ai: Container, fake: FakeOpenAI) -> None:
    c = Container(ai.settings.model_copy(update={"openai_timeout_seconds": 0.3}))
    fake.reply = lambda path, body: (*fake.chat(path, "{}")[:2], 1.5)
    started = time.monotonic()
    out = c.analysis_engine.analyze(SEGMENTS, event_time=None, context=CTX)  # type: ignore[union-attr]
    assert time.monotonic() - started < 1.4
    assert out["analysis"]["fallback_reason"] == "timeout" and out["labels"][0]["tag"] == "협박"


def test_a_reply_that_is_not_the_schema_falls_back_but_its_tokens_are_counted(ai: Container, fake: FakeOpenAI) -> None:
    fake.reply = lambda path, body: fake.chat(path, "죄송합니다, 분석할 수 없습니다.", prompt=100, completion=7)
    out = ai.analysis_engine.analyze(SEGMENTS, event_time=None, context=CTX)  # type: ignore[union-attr]
    assert out["analysis"]["fallback_reason"] == "invalid_response"
    assert [(r.input_tokens, r.output_tokens) for r in usage_rows(ai)] == [(100, 7)]


def test_embeddings_are_masked_recorded_and_power_hybrid_search(ai: Container, fake: FakeOpenAI, tmp_path) -> None:  # type: ignore[no-untyped-def]
    def reply(path: str, body: dict[str, Any]) -> Reply:
        assert path == "/v1/embeddings"
        vecs = [[1.0, 0.0] if ("맞았" in t or "폭력" in t) else [0.0, 1.0] for t in body["input"]]
        return 200, {"object": "list", "model": body["model"], "usage": {"prompt_tokens": 40, "total_tokens": 40},
                     "data": [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vecs)]}, 0

    fake.reply = reply
    index = SqliteSearchIndex(tmp_path / "search.db", embedder=ai.embedder)
    case = str(uuid.uuid4())
    index.index_evidence({"case_id": case, "evidence_id": "e1", "type": "text", "uploaded_by": "u1", "labels": [],
                          "segments": [{"seq": 0, "text": "주먹으로 맞았어 010-9876-5432"},
                                       {"seq": 1, "text": "저녁 먹자"}]})
    path, body, raw = fake.requests[0]
    assert "010-9876-5432" not in raw and body["input"][0] == "주먹으로 맞았어 [전화번호]"
    assert body["model"] == "text-embedding-3-small" and body["dimensions"] == 256
    hits = index.search(case, "폭력")  # no word in common: found by its vector only
    assert [(h.evidence_id, h.seq) for h in hits][:1] == [("e1", 0)]
    rows = usage_rows(ai)
    assert [(r.model, r.input_tokens, r.evidence_id) for r in rows] == [
        ("text-embedding-3-small", 40, "e1"), ("text-embedding-3-small", 40, None)]
    assert rows[0].cost_usd == pytest.approx(40 / 1e6 * 0.02) and rows[0].case_id == case


def test_ask_with_openai_answers_from_retrieved_evidence_only(ai: Container, fake: FakeOpenAI) -> None:
    ai = Container(ai.settings.model_copy(update={"openai_embeddings": False}))  # answers only: BM25 retrieval
    case = str(uuid.uuid4())
    doc = done_doc(ai, case, [("2023-12-25T22:30:00+09:00", "김영희", "어제 또 때렸잖아 010-2222-3333 으로 신고했어"),
                              ("2023-12-26T09:00:00+09:00", "홍길동", "미안해 다시는 안 때릴게")])
    fake.reply = lambda path, body: fake.chat(path, json.dumps(
        {"found": True, "answer": "인물1은 폭행을 당했다고 말했습니다 [1]. 인물2는 “다시는 안 때릴게”라며 사과했습니다. [2]",
         "citations": [2, 1]}, ensure_ascii=False))
    out = ask(ai.evidence, ai.index, ai.answerer, case, "남편이 때린 적 있어?", user_id="u9")
    [(path, body, raw)] = fake.requests
    assert "010-2222-3333" not in raw and "김영희" not in raw and "홍길동" not in raw
    prompt = body["messages"][0]["content"]
    assert "[1] 2023-12-25 22:30 인물1: 어제 또 때렸잖아" in prompt and "[2] 2023-12-26 09:00 인물2:" in prompt
    # particles fit the names; markers renumbered in order of use
    assert out["answer"] == "김영희는 폭행을 당했다고 말했습니다 [1]. 홍길동은 “다시는 안 때릴게”라며 사과했습니다. [2]"
    assert [(c["evidence_id"], c["seq"]) for c in out["citations"]] == [(doc["evidence_id"], 0), (doc["evidence_id"], 1)]
    assert [r.user_id for r in usage_rows(ai)] == ["u9"]

    fake.reply = lambda path, body: fake.chat(path, json.dumps({"found": False, "answer": "없음", "citations": []}))
    assert ask(ai.evidence, ai.index, ai.answerer, case, "남편이 때린 적 있어?") == {"answer": NO_ANSWER, "citations": []}
    sent = len(fake.requests)
    assert ask(ai.evidence, ai.index, ai.answerer, case, "남편이 해외 도박을 했어?") == {"answer": NO_ANSWER, "citations": []}
    assert len(fake.requests) == sent  # nothing relevant: the model is not even asked


def test_analysis_names_the_actor_checked_against_the_speakers_sent(ai: Container, fake: FakeOpenAI) -> None:
    from leh.domain.parties import Parties, Person
    from leh.services.rederive import attribute_analysis

    segments = [
        {"seq": 0, "ts": "2023-12-25T22:18:00+09:00", "speaker": "김영희", "kind": "speech", "text": "방금 그 말 협박이야"},
        {"seq": 1, "ts": "2023-12-25T22:20:00+09:00", "speaker": "홍길동", "kind": "speech", "text": "가만 안 둔다"},
    ]
    # 인물1 = 김영희, 인물2 = 홍길동 (order of first appearance); 인물9 was never sent and is not believed.
    findings = {"findings": [
        {"segments": [0, 1], "ground": "840-3", "tag": "협박", "confidence": 0.9, "admission": False,
         "description": "인물2가 협박함", "actor": "인물2"},
        {"segments": [1], "ground": "840-3", "tag": "모욕", "confidence": 0.8, "admission": False,
         "description": "", "actor": "인물9"}]}
    fake.reply = lambda path, body: fake.chat(path, json.dumps(findings, ensure_ascii=False))
    out = ai.analysis_engine.analyze(segments, event_time=None, context=CTX)  # type: ignore[union-attr]
    [(_path, body, _raw)] = fake.requests
    schema = body["response_format"]["json_schema"]["schema"]["properties"]["findings"]["items"]
    assert "actor" in schema["required"] and "지적당한 사람의 행위" in body["messages"][0]["content"]
    assert {(h["seq"], h["tag"], h["agent"]) for h in out["hits"]} == {
        (0, "협박", "speaker:홍길동"), (1, "협박", "speaker:홍길동"), (1, "모욕", "unknown")}
    parties = Parties(Person("김영희"), Person("홍길동"))
    labels = attribute_analysis(segments, out, parties)["labels"]
    threat = next(lb for lb in labels if lb["tag"] == "협박")
    assert (threat["segments"], threat["actor"], threat["favours"]) == ([0, 1], "opponent", "client")


def test_ask_with_openai_drops_sentences_their_citations_do_not_support(ai: Container, fake: FakeOpenAI) -> None:
    ai = Container(ai.settings.model_copy(update={"openai_embeddings": False}))
    case = str(uuid.uuid4())
    done_doc(ai, case, [("2024-03-16T19:00:00+09:00", "김영희", "이번 달 생활비가 안 들어왔어"),
                        ("2024-04-06T20:00:00+09:00", "김영희", "생활비 3주째 안 보냈어")])
    answer = ("2024년 3월 16일부터 생활비가 끊겼습니다 [1]. 남편은 매달 200만 원을 보냈습니다 [1]. "
              "인물1은 “생활비 석 달째”라고 했습니다 [2]. 홍길동이 안 보냈습니다 [2]. 근거 없는 문장입니다.")
    fake.reply = lambda path, body: fake.chat(path, json.dumps(
        {"found": True, "answer": answer, "citations": [1, 2]}, ensure_ascii=False))
    parties = [{"name": "홍길동", "aliases": ["남편", "길동"]}, {"name": "김영희", "aliases": []}]
    out = ask(ai.evidence, ai.index, ai.answerer, case, "언제부터 생활비를 주지 않았나요?", parties=parties)
    # an invented amount, a quote not in the passage, a party's name no cited passage holds and an uncited
    # sentence are dropped
    assert out["answer"] == "2024년 3월 16일부터 생활비가 끊겼습니다 [1]."
    assert [c["seq"] for c in out["citations"]] == [0]

    fake.reply = lambda path, body: fake.chat(path, json.dumps(
        {"found": True, "answer": "2024년 2월 1일부터입니다 [1].", "citations": [1]}, ensure_ascii=False))
    offline = ask(ai.evidence, ai.index, None, case, "언제부터 생활비를 주지 않았나요?")
    # nothing the model wrote stands: the offline answer is given instead
    assert ask(ai.evidence, ai.index, ai.answerer, case, "언제부터 생활비를 주지 않았나요?") == offline
    assert offline["answer"].startswith("가장 이른 증거는 2024년 3월 16일 오후 7:00 김영희의 메시지")
