"""Round 16: a typed 문자 내역 read as messages is counted by each row's parsed sender — a kin word ("시어머니한테 온
문자", "시모가 보낸"), a name, the client's replies to one sender's messages — and a who-question names the parsed
sender, with the message's time."""

from __future__ import annotations

import uuid
from typing import Any

from leh.analysis.analyzer import analyze_document
from leh.analysis.senders import asked_sender, kin, replied_to, sent_by
from leh.container import Container
from leh.domain.evidence import new_evidence_doc
from leh.pipeline.parsers.text import parse_paragraphs
from tests.support.ask_cases import ask_case, cited

_PARTIES: list[dict[str, Any]] = [
    {"name": "육다인", "aliases": ["다인", "아내"], "party": "client", "role": "원고"},
    {"name": "맹준호", "aliases": ["준호", "남편"], "party": "opponent", "role": "피고"},
]

IN_LAW = """문자 메시지 내역 (육다인 휴대폰, 상대: 시어머니 목순례 010-3381-2207)

2025.03.02 오후 8:14 [수신] 며느리 주제에 어디서 말대꾸냐
2025.03.02 오후 8:20 [발신] 어머님, 그런 말씀은 너무하세요
2025.03.09 오전 9:01 [수신] 너 같은 걸 며느리라고 들인 내가 잘못이지
2025.03.15 오후 10:40 [수신] 준호 월급 통장 당장 돌려놔라
2025.03.15 오후 10:52 [발신] 그건 준호 씨랑 얘기할게요
2025.03.16 오전 9:00 [Web발신] 국민카드 승인 육다인 45,000원
"""

SISTER = """문자 내역 (육다인 휴대폰)

2025.04.01 오후 9:00 맹서하: 오빠 인생 망친 게 누군데 뻔뻔하게 굴어
2025.04.01 오후 9:05 육다인: 아가씨 이제 그만하세요
2025.04.02 오전 7:10 맹서하 → 육다인: 우리 집안에 다시는 발도 들이지 마
"""


def _put_list(c: Container, case_id: str, name: str, text: str) -> None:
    """A typed message list as the worker stores it: parsed (each row its sender's message), analysed, indexed."""
    segments = [s.to_dict() for s in parse_paragraphs(text.split("\n")).segments]
    doc = new_evidence_doc(case_id=case_id, evidence_id=str(uuid.uuid4()), filename=name, size=1, uploaded_by="u1")
    doc.update(type="text", status="done", segments=segments, **analyze_document(segments, event_time=None))
    c.evidence.put(doc)
    c.index.index_evidence(doc)


def _case(c: Container) -> str:
    cid = str(uuid.uuid4())
    _put_list(c, cid, "문자내역_시어머니.txt", IN_LAW)
    _put_list(c, cid, "문자내역_맹서하.txt", SISTER)
    return cid


def _ask(c: Container, cid: str, question: str) -> dict[str, Any]:
    return ask_case(c, cid, question, _PARTIES)


def test_the_question_names_the_sender_or_whom_the_replies_answer() -> None:
    assert asked_sender("시어머니한테 온 문자 몇 건?") == "시어머니"
    assert asked_sender("장모 쪽에서 받은 문자 총 몇 통") == "장모"
    assert asked_sender("시모가 보낸 문자 총 몇 건") == "시모"
    assert asked_sender("의뢰인에게 온 문자 몇 통") is None  # to the client, not from
    assert asked_sender("남편이 보낸 돈은 얼마") is None  # no message asked
    assert asked_sender("남편 문자 중 아이를 언급한 건 몇 번?") is None  # which of his messages, not all
    assert (asked_sender("장모 문자에 원고가 답장 보낸 건 몇 번?"), replied_to("장모 문자에 원고가 답장 보낸 건 몇 번?")) == (
        "원고", "장모")
    assert replied_to("시어머니한테 온 문자 몇 건?") is None
    assert kin("시모") == kin("시어머님") == "시어머니" and kin("장모님") == "장모" and kin("목순례") is None
    assert sent_by("시어머니 목순례", "시모", []) and sent_by("장모님", "장모", [])
    assert sent_by("시어머니 목순례", "목순례", ["목순례", "순례"])
    assert not sent_by("육다인", "시어머니", ["목순례"]) and not sent_by("시누이 맹서하", "시어머니", [])


def test_messages_from_the_in_law_are_counted_by_their_parsed_sender(container: Container) -> None:
    cid = _case(container)
    for question in ("시어머니한테 온 문자 몇 건?", "시모가 보낸 문자 총 몇 건", "시어머니 쪽에서 받은 문자는 몇 통이야"):
        out = _ask(container, cid, question)
        assert "모두 3건" in out["answer"], (question, out["answer"])
        assert "말대꾸냐" in cited(out) and "며느리라고 들인" in cited(out) and "통장 당장 돌려놔라" in cited(out)
        assert "너무하세요" not in cited(out) and "얘기할게요" not in cited(out)  # the client's replies are hers
        assert "국민카드" not in cited(out)  # a card alert is nobody's message
        assert "2025년 3월 9일 오전 9:01 시어머니 목순례" in out["answer"]  # each with its time and sender
    named = _ask(container, cid, "맹서하가 보낸 문자 몇 통인지")
    assert "모두 2건" in named["answer"] and "뻔뻔하게" in cited(named) and "발도 들이지 마" in cited(named)
    assert "그만하세요" not in cited(named)


def test_the_clients_replies_to_the_in_laws_messages_are_counted(container: Container) -> None:
    cid = _case(container)
    out = _ask(container, cid, "시어머니 문자에 원고가 답장 보낸 건 몇 번?")
    assert "모두 2건" in out["answer"], out["answer"]
    assert "너무하세요" in cited(out) and "얘기할게요" in cited(out)
    assert "그만하세요" not in cited(out)  # her reply to her sister-in-law, not to the mother-in-law


def test_who_sent_the_quoted_words_is_the_parsed_sender_with_the_time(container: Container) -> None:
    cid = _case(container)
    out = _ask(container, cid, "\"며느리라고 들인\" 문자 보낸 사람 누구?")
    assert "시어머니 목순례" in out["answer"] and "2025년 3월 9일 오전 9:01" in out["answer"], out["answer"]
    assert "며느리라고 들인" in cited(out)
    sister = _ask(container, cid, "'발도 들이지 마'라고 보낸 사람은 누구야")
    assert "맹서하" in sister["answer"] and "육다인" not in sister["answer"].split("“")[0], sister["answer"]
