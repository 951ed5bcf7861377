"""Who did it, when the client is the husband and the papers name people: the case's names and aliases as
subjects, a document written by someone other than the client, an insult of the listener's parent."""

from __future__ import annotations

from typing import Any

from leh.analysis.actor import NamedSubjects
from leh.analysis.analyzer import analyze_offline
from leh.analysis.speakers import suggest_speakers_map
from leh.domain.parties import AUTHOR_KEY, ClientSide, Parties, Person
from leh.services import rederive
from tests.unit.test_drafting import seg

HUSBAND, WIFE = "정민호", "한소영"
PARTIES = Parties(Person(HUSBAND, ("남편",)), Person(WIFE, ("아내", "처")), client_side=ClientSide.PLAINTIFF)


def derive(segments: list[dict[str, Any]], parties: Parties = PARTIES) -> dict[str, Any]:
    return dict(rederive.attribute_analysis(segments, analyze_offline(segments, event_time=None), parties))  # type: ignore[arg-type]


def labels_on(derived: dict[str, Any], seq: int) -> set[tuple[str, str, str]]:
    return {(lb["ground"], lb["actor"], lb["favours"]) for lb in derived["labels"] if seq in lb["segments"]}


def test_a_subject_named_by_the_cases_names_aliases_roles_or_the_firms_words_is_that_party() -> None:
    named = NamedSubjects(PARTIES)
    assert named.find("며느리 한소영이 현관에서 저를 밀쳤습니다") == "opponent"
    assert named.find("처는 딸을 데리고 나갔습니다") == "opponent"  # an alias
    assert named.find("소영이가 또 늦게 들어왔다") == "opponent"  # a three-syllable name's given name
    assert named.find("원고는 그날 집에 있었다") == "client" and named.find("상대방은 연락이 없다") == "opponent"
    assert named.find("의뢰인은 울면서 말했다") == "client"
    # A quotation is someone's words; a name inside another word or without a subject particle is no subject.
    assert named.find('그는 "한소영이 그랬어"라고 했다') is None
    assert named.find("한소영에게 연락했다") is None and named.find("처음에는 몰랐다") is None
    # Both sides named: the one nearest before the act for a rule's match, else nobody.
    text = "원고는 피고가 자신을 때렸다고 진술하였다"
    assert named.find(text, before=text.index("때렸")) == "opponent"
    assert named.find(text) is None
    # Pronoun-like aliases point at whoever is spoken to: never read as a party.
    assert NamedSubjects(Parties(Person(HUSBAND, ("자기",)), Person(WIFE, ("당신",)))).find("당신이 먼저 그랬잖아") is None


def test_a_document_written_by_the_clients_mother_reports_the_opponents_act() -> None:
    statement = [seg(0, "사실확인서", kind="text"),
                 seg(1, "작성자: 윤정숙 (정민호의 어머니)", kind="text"),
                 seg(2, "2024년 5월 2일 저는 손녀 지우를 보러 아들 집에 갔습니다. 며느리 한소영이 현관에서 저를 밀치며 "
                        "\"다시는 오지 마세요, 노인네가 왜 자꾸 와요\"라고 소리쳤습니다.", kind="text")]
    assert suggest_speakers_map(statement, PARTIES) == {AUTHOR_KEY: "third_party"}
    derived = derive(statement)
    assert labels_on(derived, 2) and all(actor == "opponent" and favours == "client"
                                         for _, actor, favours in labels_on(derived, 2)), labels_on(derived, 2)
    [event] = derived["timeline"]
    assert event["description"].startswith(f"피고({WIFE})의 원고 부모에 대한 "), event["description"]
    # Its author line naming the opponent or the client makes the document theirs.
    assert suggest_speakers_map([seg(0, "진술인: 한소영", kind="text")], PARTIES) == {AUTHOR_KEY: "opponent"}
    assert suggest_speakers_map([seg(0, "작성자 정민호", kind="text")], PARTIES) == {AUTHOR_KEY: "client"}
    assert suggest_speakers_map([seg(0, "진술서 내용", kind="text")], PARTIES) == {AUTHOR_KEY: "client"}


def test_the_husbands_statement_about_his_wife_is_her_act_and_its_timeline_reads_right() -> None:
    statement = [seg(0, "2024년 5월 20일 처는 딸 지우를 데리고 집을 나가 지금까지 돌아오지 않고 있습니다.", kind="text",
                     ts="2024-05-20T00:00:00+09:00")]
    derived = derive(statement)
    assert ("840-2", "opponent", "client") in labels_on(derived, 0)
    # Without the alias, 처 is still the writer's wife.
    assert ("840-2", "opponent", "client") in labels_on(derive(statement, Parties(Person(HUSBAND), Person(WIFE))), 0)
    [event] = derived["timeline"]
    assert event["description"].startswith(f"피고({WIFE})의 "), event["description"]


def test_the_opponent_insulting_the_clients_mother_to_him_is_her_act() -> None:
    chat = [seg(0, "당신 엄마한테 전해. 한 번만 더 우리 집 오면 경찰 부른다고. 늙은 게 주제도 모르고", speaker=WIFE,
                ts="2024-05-03T19:44:00+09:00"),
            seg(1, "우리 엄마한테 그게 할 소리야?", speaker=HUSBAND, ts="2024-05-03T19:50:00+09:00")]
    derived = derive(chat)
    assert labels_on(derived, 0) == {("840-4", "opponent", "client")}
    assert labels_on(derived, 1) == {("840-4", "opponent", "client")}  # his protest points at her act
    first, second = (e["description"] for e in derived["timeline"])
    # The particle fits 피고, not the name in parentheses; whose parent it was is said.
    assert first.startswith(f"피고({WIFE})가 원고 부모에게 폭언을 함"), first
    assert second.startswith(f"원고({HUSBAND})가 피고({WIFE})의 원고 부모에 대한 폭언에 관해 언급함"), second


def test_between_the_spouses_a_past_act_told_without_a_subject_is_the_speakers_own() -> None:
    chat = [seg(0, "카드에 양양 펜션 2박 결제 뭐야? 나랑 간 적 없잖아", speaker=HUSBAND, ts="2024-04-21T01:05:00+09:00"),
            seg(1, "그래 재혁 씨랑 갔다 왔어. 이제 숨길 생각도 없어", speaker=WIFE, ts="2024-04-21T01:20:00+09:00")]
    derived = derive(chat)
    assert ("840-1", "opponent", "client") in labels_on(derived, 1), derived["labels"]  # her admission, not his
    assert all(favours == "client" for _, _, favours in labels_on(derived, 0) | labels_on(derived, 1))


def test_the_clients_own_insult_right_after_his_protest_is_its_own_timeline_event() -> None:
    chat = [seg(0, "당신 엄마한테 전해. 늙은 게 주제도 모르고", speaker=WIFE, ts="2024-05-03T19:44:00+09:00"),
            seg(1, "우리 엄마한테 그게 할 소리야?", speaker=HUSBAND, ts="2024-05-03T19:50:00+09:00"),
            seg(2, "너 진짜 미쳤구나 이 미친년아", speaker=HUSBAND, ts="2024-05-03T19:52:00+09:00")]
    derived = derive(chat)
    assert labels_on(derived, 2) == {("840-3", "client", "opponent")}  # his insult: a risk
    events = {tuple(e["segments"]): e["description"] for e in derived["timeline"]}
    assert (1,) in events and (2,) in events, events  # one speaker, two minutes apart, but not one event
    assert "외 1건" not in events[(1,)]
