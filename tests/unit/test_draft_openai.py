"""The OpenAI draft path against a Chat Completions server started here (http.server on 127.0.0.1:0).

The fake model writes from the facts it is sent, like a real one, plus sentences a draft must never show:
uncited, predicting, quoting words that are not in the evidence. They must be dropped and counted, the request
must carry no PII, and the tokens must land in ai_usage.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from leh.adapters.openai_draft import cost_usd
from leh.analysis.draft_writer import Claims
from leh.config import Settings
from leh.container import Container
from leh.domain import drafting as d
from leh.models import AiUsage, Case, User
from leh.services import accounts, breakers, cases
from leh.services import drafts as svc
from tests.support.http_stub import StubRequest, json_http_server
from tests.unit.test_drafting import case_docs

PHONE, ACCOUNT = "010-1234-5678", "110-123-456789"
USAGE = {"prompt_tokens": 1834, "completion_tokens": 412, "total_tokens": 2246}
MODEL_ANSWERED = "gpt-4o-mini-2024-07-18"
NOISE = ("피고는 원래 폭력적인 사람입니다.", "원고가 승소할 가능성이 높습니다[{fid}].",
         "피고는 “다 끝장내 버리겠다”라고 말했습니다[{fid}].")


def grounded_answer(payload: dict[str, Any]) -> dict[str, Any]:
    """What a well-behaved model writes from the facts it was given, plus one of each kind of bad sentence."""
    grounds = []
    for g in payload["grounds"]:
        sentences = [f"{f.get('date', '일시 미상')}경 {f['quotes'][0]['speaker'] or '사진'}에 “{f['quotes'][0]['text']}”라는 "
                     f"내용이 있습니다[{f['id']}]." for f in g["facts"]]
        first = g["facts"][0]["id"]
        grounds.append({"ground": g["ground"], "paragraphs": [" ".join(sentences), " ".join(n.format(fid=first) for n in NOISE)]})
    grounds.append({"ground": "840-5", "paragraphs": ["피고는 3년간 연락이 없었습니다[F1]."]})
    return {"grounds": grounds}


@dataclass
class Stub:
    status: int = 200
    answer: Callable[[dict[str, Any]], Any] = grounded_answer
    requests: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def server() -> Iterator[tuple[str, Stub]]:
    stub = Stub()

    def respond(req: StubRequest) -> tuple[int, Any]:
        body = req.json()
        stub.requests.append({"path": req.path, "auth": req.headers.get("authorization"), "raw": req.raw.decode(),
                              "body": body})
        if stub.status != 200:
            return stub.status, {"error": {"message": "overloaded", "type": "server_error"}}
        answer = stub.answer(json.loads(body["messages"][-1]["content"]))
        content = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
        return 200, {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": MODEL_ANSWERED,
                     "choices": [{"index": 0, "finish_reason": "stop",
                                  "message": {"role": "assistant", "content": content}}], "usage": USAGE}

    with json_http_server(respond) as base:
        yield base + "/v1", stub


@pytest.fixture
def ai(settings: Settings, server: tuple[str, Stub], tmp_path: Path) -> tuple[Container, Stub]:
    base_url, stub = server
    c = Container(settings.model_copy(update={"openai_api_key": "sk-test", "openai_base_url": base_url,
                                              "openai_timeout_seconds": 10.0}))
    c.migrate()
    return c, stub


@pytest.fixture
def world(ai: tuple[Container, Stub]) -> Iterator[tuple[Container, Stub, Session, User, Case, list[dict[str, Any]]]]:
    c, stub = ai
    with c.sessions() as db:
        user = accounts.create_user(db, email="lawyer@test.local", password="password-123", role="lawyer")
        case = cases.create_case(db, user, title="AI 초안 사건")
        db.commit()
        docs = case_docs()
        # PII the provider must never see: a phone number (photo) and an account number (recording).
        docs[2]["segments"][1]["text"] = f"계좌 {ACCOUNT}로 돈 보내 안 그러면 죽여버린다"
        for x in docs:
            x["case_id"] = case.id
            c.evidence.put(x)
        yield c, stub, db, user, case, docs


def _ground_sentences(draft: dict[str, Any]) -> list[str]:
    return [s for sec in draft["sections"] if sec["kind"] == "ground" for p in sec["paragraphs"]
            for s in d.split_sentences(p)]


def test_prose_is_masked_checked_and_its_tokens_recorded(world: Any) -> None:
    c, stub, db, user, case, docs = world
    draft = svc.generate(db, c.evidence, c.usage, c.draft_writer, user, case.id, Claims())
    db.commit()

    assert len(stub.requests) == 1
    req = stub.requests[0]
    assert req["path"] == "/v1/chat/completions" and req["auth"] == "Bearer sk-test"
    assert req["body"]["model"] == c.settings.openai_model
    assert req["body"]["response_format"] == {"type": "json_object"}
    sent = json.loads(req["body"]["messages"][-1]["content"])
    sent_text = json.dumps(sent, ensure_ascii=False)
    for secret in (PHONE, ACCOUNT, *(x["filename"] for x in docs), *(x["evidence_id"] for x in docs), case.id):
        assert secret not in req["raw"] and secret not in sent_text
    assert "[전화번호]" in sent_text and "[계좌번호]" in sent_text
    facts = d.collect_facts(docs).facts
    names = {q.speaker for f in facts for q in f.quotes if q.speaker and not q.speaker.startswith("화자")}
    assert names and not any(name in req["raw"] or name in sent_text for name in names)  # speakers go pseudonymised
    assert "인물1" in sent_text  # the case's other people are 인물N
    assert sorted(f["id"] for g in sent["grounds"] for f in g["facts"]) == sorted(f.fact_id for f in facts)

    grounds = len(sent["grounds"])
    engine = draft["engine"]
    assert engine["name"] == "openai" and engine["model"] == MODEL_ANSWERED and engine["offline_grounds"] == []
    assert engine["dropped"] == {"no_citation": grounds, "prediction_or_conclusion": grounds,
                                 "unsupported_quote": grounds, "unknown_ground": 1}
    assert engine["dropped_sentences"] == 3 * grounds + 1
    text = draft["draft_text"]
    for noise in ("원래 폭력적인", "승소", "끝장내", "연락이 없었습니다"):
        assert noise not in text
    sentences = _ground_sentences(draft)
    assert len(sentences) == len(facts) and all(d.cited_labels(s) for s in sentences)
    assert all("내용이 있습니다(갑 제" in s for s in sentences)  # the model's prose, not the templates
    assert PHONE not in " ".join(sentences) and "[전화번호]" in " ".join(sentences)
    assert "인물1" not in text and any(name in text for name in names)  # the real names come back in the draft
    assert d.check_consistency(draft, {x["evidence_id"]: x for x in docs}) == []

    usage = db.scalars(select(AiUsage)).all()
    assert [(u.provider, u.model, u.case_id, u.user_id, u.evidence_id, u.input_tokens, u.output_tokens)
            for u in usage] == [("openai", MODEL_ANSWERED, case.id, user.id, None, 1834, 412)]
    assert usage[0].cost_usd == cost_usd(MODEL_ANSWERED, 1834, 412) > 0


def test_a_ground_with_no_checkable_prose_keeps_the_templates(world: Any) -> None:
    c, stub, db, user, case, docs = world

    def half_bad(payload: dict[str, Any]) -> dict[str, Any]:
        answer = grounded_answer(payload)
        answer["grounds"][0]["paragraphs"] = ["근거 없는 문장입니다. 또 다른 문장입니다."]
        return answer

    stub.answer = half_bad
    draft = svc.generate(db, c.evidence, c.usage, c.draft_writer, user, case.id, Claims())
    first_ground = d.collect_facts(docs).facts[0].ground
    assert draft["engine"]["offline_grounds"] == [first_ground]
    section = next(s for s in draft["sections"] if s.get("ground") == first_ground)
    assert all("메시지를 보냈습니다(갑 제" in p or "문구가 나타나 있습니다(갑 제" in p for p in section["paragraphs"])
    assert d.check_consistency(draft, {x["evidence_id"]: x for x in docs}) == []


@pytest.mark.parametrize("trouble", ["breaker_open", "server_error", "not_json"])
def test_trouble_falls_back_to_the_offline_writer(world: Any, trouble: str) -> None:
    c, stub, db, user, case, docs = world
    if trouble == "breaker_open":
        breakers.set_state(db, case.id, state="open", reason="예산 초과", actor="ops")
        db.commit()
    elif trouble == "server_error":
        stub.status = 500
    else:
        stub.answer = lambda payload: "초안을 쓸 수 없습니다"
    draft = svc.generate(db, c.evidence, c.usage, c.draft_writer, user, case.id, Claims())
    db.commit()
    expected = {"breaker_open": {"name": "offline", "fallback": "breaker_open"},
                "server_error": {"name": "offline", "fallback": "ai_unavailable"}}
    if trouble in expected:
        assert draft["engine"] == expected[trouble]
    else:
        assert draft["engine"]["dropped"] == {"invalid_output": 1}
        assert set(draft["engine"]["offline_grounds"]) == {f.ground for f in d.collect_facts(docs).facts}
    assert len(stub.requests) == {"breaker_open": 0, "server_error": 2, "not_json": 1}[trouble]  # 1 retry on 5xx
    # Tokens are recorded whenever the provider answered, even with an unusable answer.
    assert len(db.scalars(select(AiUsage)).all()) == (1 if trouble == "not_json" else 0)
    sentences = _ground_sentences(draft)
    assert sentences and all(d.cited_labels(s) for s in sentences)
    assert d.check_consistency(draft, {x["evidence_id"]: x for x in docs}) == []


def test_draft_tokens_count_against_the_case_budget(world: Any) -> None:
    c, stub, db, user, case, docs = world
    c.settings.case_token_budget = USAGE["total_tokens"] - 1  # this one draft goes over budget
    assert svc.generate(db, c.evidence, c.usage, c.draft_writer, user, case.id, Claims())["engine"]["name"] == "openai"
    db.commit()
    assert breakers.is_open(db, case.id)  # opened by the usage check, as for any AI call
    again = svc.generate(db, c.evidence, c.usage, c.draft_writer, user, case.id, Claims())
    assert again["engine"] == {"name": "offline", "fallback": "breaker_open"} and len(stub.requests) == 1
