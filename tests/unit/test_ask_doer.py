"""A whether-question that names the doer is answered only by that party's acts (issue #13, from a lawyer's QA).

"원고가 피고를 때린 적이 있나요?" was answered "예" with the opponent's blows: the whether path matched the act and
not who did it. The labels' actors (issue #12) now decide where the question's subject is a party.
"""

from __future__ import annotations

from leh.container import Container
from leh.services.ask import NO_ANSWER
from leh.services.ask_doer import asked_party
from tests.support.api_case import lawyer

PARTIES = [{"name": "김영희", "aliases": ["아내"], "party": "client", "role": "원고"},
           {"name": "박철수", "aliases": ["남편"], "party": "opponent", "role": "피고"}]

CHAT = """박철수 님과 카카오톡 대화
저장한 날짜 : 2024-03-11 09:00:00

--------------- 2024년 3월 3일 일요일 ---------------
[박철수] [오후 10:05] 어제 내가 너 때린 건 니가 먼저 대들어서야
[김영희] [오후 10:06] 때린 거 인정하네. 병원 가서 진단서 끊었어
[박철수] [오후 10:07] 또 대들면 그땐 진짜 죽여버린다
"""

STATEMENT = """진술서
작성자: 김영희

2024년 3월 2일 밤 남편이 제 뺨을 두 번 때렸습니다.
"""


def test_the_asked_party_is_the_questions_subject() -> None:
    assert asked_party("원고가 피고를 때린 적이 있나요?", PARTIES) == "client"
    assert asked_party("피고가 원고를 때린 적이 있나요?", PARTIES) == "opponent"
    assert asked_party("박철수 씨가 아내를 때렸는지 확인 바랍니다", PARTIES) == "opponent"
    assert asked_party("의뢰인이 먼저 욕을 한 적이 있는지?", PARTIES) == "client"
    assert asked_party("시어머니가 원고에게 폭언한 적이 있나요?", PARTIES) is None  # not a party: no filter
    assert asked_party("원고가 피고를 때린 적이 있나요?", None) is None


def test_a_whether_question_is_answered_by_the_asked_doers_acts_only(container: Container) -> None:
    with lawyer(container, "doer@test.local") as me:
        parties = {"client": {"name": "김영희", "aliases": ["아내"]}, "opponent": {"name": "박철수", "aliases": ["남편"]}}
        cid = me.new_case(parties)
        me.upload(container, cid, {"chat.txt": CHAT, "진술서.txt": STATEMENT})

        his = me.data("POST", f"/api/cases/{cid}/ask", json={"question": "피고가 원고를 때린 적이 있나요?"})
        assert str(his["answer"]).startswith("예") and his["citations"]
        hers = me.data("POST", f"/api/cases/{cid}/ask", json={"question": "원고가 피고를 때린 적이 있나요?"})
        assert hers["answer"] == NO_ANSWER

