"""Who did what when a spouse's parent speaks or is named, and in the firm's own 상담일지 (issue #12 items 2, 3, 7;
the 2026-12-07 QA read's A11–A14): the opponent's parent's abuse is a ground for the client and reaches the draft
naming them, the client's parent is a victim of the opponent or the author of a risk, a staff note's lines without a
subject are never the client's own acts, and insights list and count one actor's acts.

The labeller's hits are written out (`_hit`), so that these tests read attribution alone; the lines are written here.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from leh.analysis.attribution import attribute
from leh.analysis.draft_writer import Claims
from leh.analysis.labels import Hit
from leh.analysis.speakers import suggest_speakers_map
from leh.container import Container
from leh.domain.errors import ValidationFailed
from leh.domain.parties import AUTHOR_KEY, Child, Parties, Person, parent_kin
from leh.models import Case, User
from leh.services import drafts as draft_svc
from leh.services.rederive import check_speakers_map
from leh.web.pages.common import env
from leh.web.pages.who import PARTY_KO
from tests.support.hits import written_hit as _hit
from tests.unit.test_drafting import doc
from tests.unit.test_parties import case, db, label_on, lawyer, seq_of, upload  # noqa: F401 (fixtures)

CLIENT, OPPONENT = "김영희", "박철수"
PARTIES = Parties(client=Person(CLIENT, ("아내", "영희")), opponent=Person(OPPONENT, ("남편", "철수")))
MIL, MOM = "최복순", "이순자"  # the opponent's mother; the client's mother


def _rows(lines: list[tuple[str | None, str]]) -> list[dict[str, Any]]:
    return [{"seq": i, "kind": "speech" if who else "text", "speaker": who, "text": text,
             "ts": f"2024-02-0{1 + i // 9}T2{i % 4}:0{i % 9}:00+09:00" if who else None}
            for i, (who, text) in enumerate(lines)]


def _derive(rows: list[dict[str, Any]], hits: list[Hit], roles: dict[str, str]) -> Any:
    return attribute(rows, hits, parties=PARTIES, speakers_map=roles, event_time=None,  # type: ignore[arg-type]
                     speakers=sorted({str(r["speaker"]) for r in rows if r["speaker"]}))


def _labels_on(derived: Any, seq: int) -> set[tuple[str, str, str, str | None, str]]:
    return {(lb["ground"], lb["tag"], lb["actor"], lb.get("actor_side"), lb["favours"])
            for lb in derived["labels"] if seq in lb["segments"]}


# ---------------------------------------------------------------- A13: a parent as a speaker
IN_LAW_CHAT = [
    (MIL, "며늘아 우리 철수 기 좀 그만 죽여라"),
    (CLIENT, "어머님 그게 무슨 말씀이세요"),
    (MIL, "이 싸가지 없는 년이 어디서 말대꾸야"),
    (MIL, "한 번만 더 우리 아들 무시하면 집에 못 들어올 줄 알아"),
    (CLIENT, "어머님이나 말 좀 가려서 하세요 노망이 나셨어요?"),
]


def test_the_chat_suggests_a_speaker_is_a_parent_of_the_opponent_or_of_the_client() -> None:
    assert suggest_speakers_map(_rows(IN_LAW_CHAT), PARTIES) == {MIL: "opponent_parent", CLIENT: "client"}
    mine = [(CLIENT, "엄마 나 오늘 거기서 자도 돼?"), (MOM, "그래 와라 밥 해놓을게")]
    assert suggest_speakers_map(_rows(mine), PARTIES) == {CLIENT: "client", MOM: "client_parent"}
    # Speaking to the opponent, the client's father calls him 박서방 and speaks of "우리 영희".
    his = [(OPPONENT, "네 무슨 일이세요"), ("이만복", "박서방 자네 우리 영희한테 그러면 못 쓰네")]
    assert suggest_speakers_map(_rows(his), PARTIES)["이만복"] == "client_parent"
    # A friend who addresses nobody as a parent stays unknown.
    friend = [(CLIENT, "지수야 나 너무 힘들다"), ("박지수", "무슨 일이야 또 싸웠어?")]
    assert suggest_speakers_map(_rows(friend), PARTIES)["박지수"] == "unknown"
    # A mother writing "엄마 …" to her child does not make the child her parent: the child calls her 엄마 too, or is
    # one of the case's children by name.
    child = [(CLIENT, "엄마 오늘 늦어 밥 먹고 있어"), ("박하늘", "엄마 언제 와?")]
    assert suggest_speakers_map(_rows(child), PARTIES)["박하늘"] == "unknown"
    named_child = Parties(PARTIES.client, PARTIES.opponent, (Child("박하늘", 2015),))
    assert suggest_speakers_map(_rows(child[:1] + [("박하늘", "응 알았어")]), named_child)["박하늘"] == "unknown"
    # Without the name the chat alone cannot tell: a suggestion the lawyer corrects on the evidence page.
    assert suggest_speakers_map(_rows(child[:1] + [("박하늘", "응 알았어")]), PARTIES)["박하늘"] == "client_parent"


def test_the_opponents_parents_insult_and_threat_are_grounds_and_the_clients_reply_a_risk() -> None:
    rows = _rows(IN_LAW_CHAT)
    hits = [_hit(2, rows[2]["text"], "싸가지 없는 년", "폭언", mode="utterance"),
            _hit(3, rows[3]["text"], "못 들어올 줄 알아", "협박", mode="utterance"),
            _hit(4, rows[4]["text"], "노망이 나셨어요", "부모에 대한 폭언", "840-4", mode="utterance")]
    derived = _derive(rows, hits, {CLIENT: "client", MIL: "opponent_parent"})
    assert _labels_on(derived, 2) == {("840-3", "폭언", "third_party", "opponent", "client")}
    assert _labels_on(derived, 3) == {("840-3", "협박", "third_party", "opponent", "client")}
    assert _labels_on(derived, 4) == {("840-4", "부모에 대한 폭언", "client", None, "opponent")}
    said = {e["segments"][0]: e["description"] for e in derived["timeline"]}
    assert said[2].startswith(f"피고의 모친 {MIL}이 폭언을 함"), said
    # Marked only a third party, with nothing in the chat telling whose family she is: neutral, as before.
    plain = _derive(rows[2:4], [h for h in hits if h.seq in (2, 3)], {MIL: "third_party"})
    assert {lb["favours"] for lb in plain["labels"]} == {"neutral"}


def test_the_opponents_parents_abuse_reaches_the_draft_naming_her() -> None:
    rows = _rows(IN_LAW_CHAT)
    hits = [_hit(2, rows[2]["text"], "싸가지 없는 년", "폭언", mode="utterance")]
    roles = {CLIENT: "client", MIL: "opponent_parent"}
    chat = doc("ev-chat1", "kakaotalk", "KakaoTalk_최복순.txt", rows, _derive(rows, hits, roles)["labels"])
    chat["speakers_map"] = roles
    text = draft_svc.build_draft([chat], Claims(), parties=PARTIES)["draft_text"]
    assert f"피고의 모친 {MIL}은 “이 싸가지 없는 년이 어디서 말대꾸야”" in text, text
    assert "누가 한 행위인지 확인되지 않은 표시" not in text


def test_the_clients_parent_abused_by_the_opponent_is_840_4_and_her_own_insult_a_risk() -> None:
    rows = _rows([(MOM, "박서방 우리 영희 좀 그만 괴롭히게"),
                  (OPPONENT, "장모님이 뭔데 참견이야 늙은이는 빠져"),
                  (MOM, "이 짐승만도 못한 놈아")])
    hits = [_hit(1, rows[1]["text"], "늙은이는 빠져", "폭언", mode="utterance"),
            _hit(2, rows[2]["text"], "짐승만도 못한 놈", "폭언", mode="utterance")]
    derived = _derive(rows, hits, {OPPONENT: "opponent", MOM: "client_parent"})
    assert _labels_on(derived, 1) == {("840-4", "부모에 대한 폭언", "opponent", None, "client")}
    assert _labels_on(derived, 2) == {("840-3", "폭언", "third_party", "client", "opponent")}


def test_the_speaker_roles_are_accepted_and_anything_else_is_refused_in_korean() -> None:
    evidence = {"speakers": [CLIENT, MIL], "speakers_map": {}}
    assert check_speakers_map(evidence, {MIL: "opponent_parent", CLIENT: "client"}) == {
        MIL: "opponent_parent", CLIENT: "client"}
    assert check_speakers_map(evidence, {MIL: "client_parent"}) == {MIL: "client_parent"}
    with pytest.raises(ValidationFailed) as refused:
        check_speakers_map(evidence, {MIL: "mother_in_law"})
    assert refused.value.code == "INVALID_PARTY_ROLE" and "opponent_parent(상대방의 부모)" in refused.value.message_ko
    assert PARTY_KO["opponent_parent"] == "상대방의 부모" and PARTY_KO["client_parent"] == "의뢰인의 부모"
    # The evidence page's speaker select offers them, the current role selected.
    html = env().get_template("_speakers.html").render(
        speaker_rows=[{"name": MIL, "party": "opponent_parent"}], doc={"status": "done", "evidence_id": "ev-1"},
        case={"id": "case-1"}, can_write=True, csrf="t", speakers_confirmed=False)
    assert '<option value="opponent_parent" selected>상대방의 부모</option>' in html
    assert '<option value="client_parent">의뢰인의 부모</option>' in html


def test_a_parents_kin_word_comes_from_how_the_others_address_them() -> None:
    assert parent_kin(["장모님 수진이 거기 있어요?", "네"]) == "모친"
    assert parent_kin(["아버님 제 말 좀 들어보세요"]) == "부친"
    assert parent_kin(["어머님 안녕하세요", "아버님도요"]) == "부모"
    assert parent_kin(["오늘 갈게요"]) == "부모"


# ---------------------------------------------------------------- A11: an in-law named by kin word and name
def test_an_in_law_named_with_her_name_in_the_clients_statement_is_the_opponents_family() -> None:
    line = "2023. 11. 4. 시어머니 최복순이 전화로 저에게 '미친년'이라고 욕하고 짐 싸서 나가라고 하였습니다."
    rows = [{"seq": 0, "kind": "text", "speaker": None, "text": line, "ts": None}]
    derived = _derive(rows, [_hit(0, line, "욕하", "폭언")], {AUTHOR_KEY: "client"})
    assert _labels_on(derived, 0) == {("840-3", "폭언", "third_party", "opponent", "client")}
    [event] = derived["timeline"]
    assert event["description"].startswith(f"피고({OPPONENT}) 측 가족(시어머니 최복순)의 폭언 관련 내용이 기재됨"), event
    # Reported by the firm's staff with 으로부터, the in-law is named the same way.
    note = "- 시모 최복순으로부터 매일 전화로 욕설을 들었다고 함."
    rows = [{"seq": 0, "kind": "text", "speaker": None, "text": note, "ts": None}]
    [event] = _derive(rows, [_hit(0, note, "욕설", "폭언")], {AUTHOR_KEY: "client"})["timeline"]
    assert event["description"].startswith(f"피고({OPPONENT}) 측 가족(시모 최복순)의 "), event


# ---------------------------------------------------------------- A12: the firm's own 상담일지
NOTE = ["상담기록", "상담일: 2024년 3월 4일", f"의뢰인: {CLIENT} (아내)", "담당: 실장 오민정",
        "- 남편이 작년부터 생활비를 보내지 않는다고 함.",
        "- 술에 취해 욕설을 한 적이 있다고 인정함.",
        "- 의뢰인은 남편에게 욕을 한 적이 있다고 함."]


def _note(lines: list[str]) -> list[dict[str, Any]]:
    return [{"seq": i, "kind": "text", "speaker": None, "text": t, "ts": None} for i, t in enumerate(lines)]


def test_a_staff_note_has_a_third_party_author_and_no_subject_is_no_act_of_the_client() -> None:
    rows = _note(NOTE)
    assert suggest_speakers_map(rows, PARTIES) == {AUTHOR_KEY: "third_party"}
    hits = [_hit(4, NOTE[4], "생활비를 보내지 않", "생활비 미지급", "840-2"),
            _hit(5, NOTE[5], "욕설을 한", "폭언", admission=True),
            _hit(6, NOTE[6], "욕을 한", "폭언")]
    derived = _derive(rows, hits, {AUTHOR_KEY: "third_party"})
    assert _labels_on(derived, 4) == {("840-2", "생활비 미지급", "opponent", None, "client")}  # named: 남편이
    assert {a for _, _, a, _, _ in _labels_on(derived, 5)} == {"unknown"}  # whose, the staff did not write
    assert {a for _, _, a, _, _ in _labels_on(derived, 6)} == {"client"}  # 의뢰인은: the client's, a risk
    # The same subjectless admission in the client's own statement is hers.
    own = _derive(rows, hits, {AUTHOR_KEY: "client"})
    assert {a for _, _, a, _, _ in _labels_on(own, 5)} == {"client"}
    # Without the note's heading the author stays the client.
    assert suggest_speakers_map(_note(NOTE[4:]), PARTIES) == {AUTHOR_KEY: "client"}


# ---------------------------------------------------------------- A14: insights keep to one actor
def test_insights_list_and_count_acts_by_their_actor_and_an_accusation_is_the_accuseds() -> None:
    lines = [(OPPONENT, "한 번만 더 대들면 죽여버린다"), (CLIENT, "지금 협박하는 거야?"),
             (CLIENT, "이 쓰레기 같은 인간아"), (OPPONENT, "닥쳐 이 미친년아"), (CLIENT, "꺼져 이 병신아"),
             (OPPONENT, "개같은 년"), (CLIENT, "너 같은 쓰레기랑 못 살아"), (OPPONENT, "멍청한 년")]
    rows = _rows(lines)
    hits = [_hit(0, lines[0][1], "죽여버린다", "협박", mode="utterance"), _hit(1, lines[1][1], "협박", "협박"),
            *(_hit(i, lines[i][1], w, "폭언", mode="utterance")
              for i, w in ((2, "쓰레기"), (3, "미친년"), (4, "병신"), (5, "개같은"), (6, "쓰레기"), (7, "멍청한")))]
    insights = _derive(rows, hits, {CLIENT: "client", OPPONENT: "opponent"})["insights"]
    threats = [x for x in insights if x.startswith("협박")]
    assert len(threats) == 2 and all(x.startswith(f"협박(피고({OPPONENT})): ") for x in threats), insights
    assert any("지금 협박하는 거야?" in x for x in threats)
    series = [x for x in insights if x.endswith("회")]
    assert len(series) == 2, series  # never "폭언 6회" over both sides
    assert any(x.endswith(f" 원고({CLIENT})의 폭언 3회") for x in series), series
    assert any(x.endswith(f" 피고({OPPONENT})의 폭언 3회") for x in series), series


# ---------------------------------------------------------------- end to end: upload, worker, suggestion, draft
IN_LAW_EXPORT = """박정숙 님과 카카오톡 대화
저장한 날짜 : 2024-04-10 20:00:00

--------------- 2024년 4월 6일 토요일 ---------------
[박정숙] [오후 7:12] 며늘아 너 우리 준호한테 대들었다며
[지은❤️] [오후 7:15] 어머님 그런 거 아니에요
[박정숙] [오후 7:18] 한 번만 더 우리 아들 건드리면 가만 안 둔다
"""
IN_LAW_THREAT = "한 번만 더 우리 아들 건드리면 가만 안 둔다"


def test_the_mother_in_law_is_suggested_and_her_threat_is_drafted_in_her_name(
        container: Container, db: Session, lawyer: User, case: Case) -> None:  # noqa: F811
    chat = upload(container, db, lawyer, case.id, "KakaoTalk_20240410.txt", IN_LAW_EXPORT)
    assert chat["speakers_map"] == {"박정숙": "opponent_parent", "지은❤️": "client"}
    threat = label_on(chat, seq_of(chat, IN_LAW_THREAT))
    assert (threat["actor"], threat.get("actor_side"), threat["favours"]) == ("third_party", "opponent", "client")
    text = draft_svc.generate(db, container.evidence, container.usage, None, lawyer, case.id, Claims())["draft_text"]
    assert f"피고의 모친 박정숙은 “{IN_LAW_THREAT}”" in text, text
    assert "누가 한 행위인지 확인되지 않은 표시" not in text
