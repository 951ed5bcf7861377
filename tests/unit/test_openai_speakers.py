"""Speaker roles from the OpenAI model (issue #12 item 2, "with OPENAI_API_KEY set"), against a local server that
speaks the Chat Completions protocol: the model is sent the pseudonymised conversation and suggests each speaker's
side; the suggestion is checked (only speakers that were sent, only the allowed values), stored as the suggestion in
`speakers_map` like the offline one, kept for later re-derivation, and never overrules the lawyer's map."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session

from leh.config import Settings
from leh.container import Container
from leh.domain.events import parse_events
from leh.domain.parties import Parties, Person
from leh.models import Case, User
from leh.pipeline.processor import EvidenceProcessor
from leh.ports import AnalysisContext
from leh.services import accounts, cases
from leh.services import evidence as evidence_svc
from leh.services import parties as parties_svc
from leh.services.rederive import attribute_analysis
from tests.support.http_stub import StubRequest, json_http_server

CLIENT, OPPONENT = "이지은", "김준호"
# The opponent's display name is a nickname nobody entered as an alias, and his lover writes too: the offline
# suggestion knows only the client (her own name).
SEGMENTS: list[dict[str, Any]] = [
    {"seq": 0, "ts": "2024-03-02T20:00:00+09:00", "speaker": CLIENT, "kind": "speech", "text": "오늘 몇 시에 들어와?"},
    {"seq": 1, "ts": "2024-03-02T20:05:00+09:00", "speaker": "JH", "kind": "speech", "text": "늦어. 먼저 자"},
    {"seq": 2, "ts": "2024-03-02T23:10:00+09:00", "speaker": "수진", "kind": "speech", "text": "오빠 오늘 너무 좋았어"},
    {"seq": 3, "ts": "2024-03-02T23:11:00+09:00", "speaker": "JH", "kind": "speech", "text": "나도 수진아 또 보자"},
]
KAKAO = f"""{OPPONENT} 님과 카카오톡 대화
저장한 날짜 : 2024-03-05 09:12:44

--------------- 2024년 3월 2일 토요일 ---------------
[{CLIENT}] [오후 8:00] 오늘 몇 시에 들어와?
[JH] [오후 8:05] 늦어. 먼저 자
[수진] [오후 11:10] 오빠 오늘 너무 좋았어
[JH] [오후 11:11] 나도 수진아 또 보자
"""
NAMES = (CLIENT, OPPONENT, "지은", "준호", "JH", "수진")
Answer = Callable[[dict[str, str]], list[dict[str, Any]] | Any]  # sent labels by first words → the "speakers" value


class Model:
    """The stand-in model: reads which label each speaker was sent under and answers `speakers` by `answer`."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.raw: list[str] = []
        self.answer: Answer = lambda labels: []
        self.url = ""

    def respond(self, req: StubRequest) -> tuple[int, Any]:
        raw = req.raw.decode("utf-8")
        body = json.loads(raw)
        self.raw.append(raw)
        self.requests.append(body)
        if req.path != "/v1/chat/completions":
            return 404, {"error": {"message": "not here"}}
        labels = {}
        for line in body["messages"][-1]["content"].splitlines():
            m = re.match(r"\[\d+\] (?:\S+ )*?(\S+): (.*)$", line)
            if m:
                labels.setdefault(m.group(2)[:4], m.group(1))
        content = {"findings": [], "speakers": self.answer(labels)}
        return 200, {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "gpt-4o-mini",
                     "choices": [{"index": 0, "finish_reason": "stop",
                                  "message": {"role": "assistant", "content": json.dumps(content, ensure_ascii=False)}}],
                     "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}}


@pytest.fixture
def model() -> Iterator[Model]:
    m = Model()
    with json_http_server(m.respond) as base:
        m.url = base + "/v1"
        yield m


@pytest.fixture
def ai(settings: Settings, model: Model) -> Iterator[Container]:
    c = Container(settings.model_copy(update={
        "openai_api_key": "sk-test-key", "openai_base_url": model.url, "openai_max_retries": 0,
        "openai_timeout_seconds": 5.0, "openai_embeddings": False, "openai_answers": False, "openai_drafts": False}))
    c.migrate()
    yield c
    c.engine.dispose()


@pytest.fixture
def db(ai: Container) -> Iterator[Session]:
    with ai.sessions() as session:
        yield session


@pytest.fixture
def lawyer(db: Session) -> User:
    user = accounts.create_user(db, email="lawyer@test.local", password="password-123", role="lawyer")
    db.commit()
    return user


def _case(db: Session, lawyer: User, side: str) -> Case:
    case = cases.create_case(db, lawyer, title="화자 사건")
    parties_svc.put_parties(db, lawyer, case.id, {"client": {"name": CLIENT, "aliases": []},
                                                 "opponent": {"name": OPPONENT, "aliases": []}, "client_side": side})
    db.commit()
    return case


def spouse_and_lover(labels: dict[str, str]) -> list[dict[str, Any]]:
    """A model that reads the conversation right: the other spouse of the client's label, and a third party."""
    client_label = labels["오늘 몇"]
    other = "defendant" if client_label == "원고" else "plaintiff"
    return [{"speaker": labels["늦어. "], "party": other}, {"speaker": labels["오빠 오"], "party": "third_party"},
            {"speaker": client_label, "party": "unknown"}]


def _analyse(ai: Container, case: Case, parties: Parties) -> dict[str, Any]:
    assert ai.analysis_engine is not None
    out = ai.analysis_engine.analyze(SEGMENTS, event_time=None,  # type: ignore[arg-type]
                                     context=AnalysisContext(case_id=case.id, evidence_id="ev-1"))
    return dict(attribute_analysis(SEGMENTS, out, parties))  # type: ignore[arg-type]


@pytest.mark.parametrize("side", ["plaintiff", "defendant"])
def test_the_models_speaker_roles_become_the_suggestion_and_no_name_is_sent(
        ai: Container, model: Model, db: Session, lawyer: User, side: str) -> None:
    case = _case(db, lawyer, side)
    parties = parties_svc.load(db, case.id)
    offline = attribute_analysis(SEGMENTS, {"labels": [], "speakers": []}, parties)["speakers_map"]
    assert offline == {CLIENT: "client", "JH": "unknown", "수진": "unknown"}  # what LEH knows without the model
    model.answer = spouse_and_lover
    derived = _analyse(ai, case, parties)
    # 원고/피고 as the pseudonyms named them, turned into parties by the client's side.
    assert derived["speakers_map"] == {CLIENT: "client", "JH": "opponent", "수진": "third_party"}
    assert derived["speakers_ai"] == {"JH": "opponent", "수진": "third_party"}
    assert derived["analysis"]["speaker_roles"] == {
        "JH": "defendant" if side == "plaintiff" else "plaintiff", "수진": "third_party"}

    [body] = model.requests
    schema = body["response_format"]["json_schema"]["schema"]
    assert "speakers" in schema["required"]
    assert schema["properties"]["speakers"]["items"]["properties"]["party"]["enum"] == [
        "plaintiff", "defendant", "third_party", "unknown"]
    assert "원고(plaintiff)" in body["messages"][0]["content"]
    sent = body["messages"][-1]["content"]
    assert ("원고: 오늘 몇 시에" if side == "plaintiff" else "피고: 오늘 몇 시에") in sent
    for name in NAMES:  # speakers and names in the text go as pseudonyms only
        assert name not in model.raw[0], name


@pytest.mark.parametrize("speakers", [
    "JH는 피고입니다",  # not a list
    [{"speaker": "인물9", "party": "defendant"}, {"speaker": "김준호", "party": "defendant"}],  # never sent
    [{"speaker": "{JH}", "party": "husband"}, {"speaker": "{JH}"}, "피고", {"speaker": "{수진}", "party": "lover"}],
    [{"speaker": "{JH}", "party": "unknown"}],  # nothing said
])
def test_an_invalid_answer_keeps_the_offline_suggestion(ai: Container, model: Model, db: Session, lawyer: User,
                                                       speakers: Any) -> None:
    case = _case(db, lawyer, "plaintiff")

    def answer(labels: dict[str, str]) -> Any:
        if not isinstance(speakers, list):
            return speakers
        fill = {"{JH}": labels["늦어. "], "{수진}": labels["오빠 오"]}
        return [{k: fill.get(v, v) for k, v in s.items()} if isinstance(s, dict) else s for s in speakers]

    model.answer = answer
    derived = _analyse(ai, case, parties_svc.load(db, case.id))
    assert derived["analysis"]["engine"].startswith("openai:")  # the findings stood; only the roles were ignored
    assert derived["speakers_ai"] == {}
    assert derived["speakers_map"] == {CLIENT: "client", "JH": "unknown", "수진": "unknown"}


def test_disagreeing_chunks_suggest_nothing_for_that_speaker() -> None:
    from collections import Counter

    from leh.adapters.openai_ai import speaker_roles

    votes = {"인물1": Counter({"defendant": 1, "third_party": 1}), "인물2": Counter({"third_party": 2, "unknown": 1}),
             "원고": Counter({"unknown": 2})}
    assert speaker_roles(votes, {"JH": "인물1", "수진": "인물2", CLIENT: "원고", "민수": "인물3"}) == {"수진": "third_party"}
    # Two display names of one person sent under the same pseudonym both get the answer.
    assert speaker_roles({"피고": Counter({"defendant": 1})}, {OPPONENT: "피고", "김준호(회사)": "피고"}) == {
        OPPONENT: "defendant", "김준호(회사)": "defendant"}


def _process(ai: Container) -> None:
    for message in ai.queue.receive(max_messages=10):
        for event in parse_events(message.body):
            assert EvidenceProcessor(ai).process(event) == "done"
        ai.queue.delete(message.receipt)


def test_through_the_worker_the_lawyers_map_always_wins_and_the_suggestion_survives_rederivation(
        ai: Container, model: Model, db: Session, lawyer: User) -> None:
    case = _case(db, lawyer, "plaintiff")
    model.answer = spouse_and_lover
    up = evidence_svc.upload_direct(db, ai.settings, ai.objects, ai.evidence, ai.queue, lawyer, case_id=case.id,
                                    filename="KakaoTalk_20240305.txt", stream=io.BytesIO(KAKAO.encode()))
    db.commit()
    _process(ai)
    doc = ai.evidence.get(up["evidence_id"])
    assert doc is not None and doc["status"] == "done"
    assert doc["speakers_map"] == {CLIENT: "client", "JH": "opponent", "수진": "third_party"}
    assert doc["speakers_ai"] == {"JH": "opponent", "수진": "third_party"} and not doc.get("speakers_confirmed")
    assert all(name not in raw for raw in model.raw for name in NAMES)

    # New parties re-derive without the model: its stored suggestion stands where the offline one knows nothing.
    parties_svc.put_parties(db, lawyer, case.id, {"client": {"name": CLIENT, "aliases": ["지은"]},
                                                  "opponent": {"name": OPPONENT, "aliases": []}})
    db.commit()
    calls = len(model.requests)
    parties_svc.rederive_after_parties(ai.evidence, ai.index, parties_svc.load(db, case.id), case.id)
    again = ai.evidence.get(up["evidence_id"])
    assert again is not None and again["speakers_map"] == doc["speakers_map"] and len(model.requests) == calls

    # The lawyer says JH is someone else; reprocessing asks the model again, which still says "the spouse".
    parties_svc.set_speakers(db, ai.evidence, ai.index, lawyer, up["evidence_id"], {"JH": "third_party"})
    db.commit()
    evidence_svc.requeue(ai.evidence, ai.index, ai.queue, up["evidence_id"], reason="reprocess")
    _process(ai)
    assert len(model.requests) == calls + 1
    final = ai.evidence.get(up["evidence_id"])
    assert final is not None and final["speakers_confirmed"] is True
    assert final["speakers_ai"] == {"JH": "opponent", "수진": "third_party"}  # what the model said, kept apart
    assert final["speakers_map"] == {CLIENT: "client", "JH": "third_party", "수진": "third_party"}  # the lawyer's word
    # Without parties at all, the pseudonyms carry no side: the answer is still checked and mapped the same way.
    assert attribute_analysis(SEGMENTS, {"labels": [], "speakers": [],  # type: ignore[typeddict-item]
                                         "analysis": {"speaker_roles": {"JH": "defendant", "X": "plaintiff"}}},
                              Parties(Person(CLIENT)))["speakers_map"] == {CLIENT: "client", "JH": "opponent",
                                                                          "수진": "unknown"}


def test_the_model_never_overrules_a_name_the_lawyer_entered() -> None:
    from leh.analysis.speakers import suggested_map

    parties = Parties(Person(CLIENT), Person(OPPONENT, ("준호 아빠",)))
    segments = [*SEGMENTS, {"seq": 4, "ts": None, "speaker": "준호 아빠", "kind": "speech", "text": "그래"}]
    ai = {CLIENT: "opponent", "준호 아빠": "third_party", "JH": "opponent", "수진": "unknown", "없는사람": "client"}
    assert suggested_map(segments, parties, ai) == {CLIENT: "client", "JH": "opponent", "수진": "unknown",
                                                    "준호 아빠": "opponent"}
