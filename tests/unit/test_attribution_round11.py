"""Round 11: acts filed on the wrong side on the dev sets attrib, attrib2 and attrib3 (issue #12 items 2, 3, 7).

A statement's header names whose card or account it is; the client named with 역시/또한 is the subject; a relative
clause's subject ("의뢰인이 제시한 카드내역") is not the line's. Hits are written out (`tests/support/hits.py`) so these
tests read attribution, not the labeller; the lines are written for these tests.
"""

from __future__ import annotations

import dataclasses

from leh.analysis.actor import NamedSubjects
from leh.analysis.labels import Hit
from leh.domain.parties import AUTHOR_KEY, Parties, Person
from tests.support.hits import actors_of, written_hit

HUSBAND_CLIENT = Parties(Person("손태경", ("남편", "태경")), Person("최윤아", ("아내", "윤아")))
WIFE_CLIENT = Parties(Person("김은서", ("아내", "은서")), Person("박준혁", ("남편", "준혁")))
PAPER = {AUTHOR_KEY: "client"}


def _row_actor(header: str, parties: Parties = HUSBAND_CLIENT) -> set[str]:
    rows = [header, "2026.03.02 21:15 커피 5,500원", "2026.03.02 23:40 ○○호텔 서초 210,000원"]
    segs = [{"text": t} for t in rows]
    return actors_of(segs, written_hit(2, rows[2], "호텔", "숙박", "840-1"), PAPER, parties)


def test_a_statements_rows_are_the_acts_of_the_holder_its_header_names() -> None:
    for header in ["체크카드 사용내역 (의뢰인 본인 명의)", "손태경(의뢰인) 국민카드 이용 명세", "카드 승인내역 — 원고 손태경"]:
        assert _row_actor(header) == {"client"}, header
    for header in ["카드 사용 내역 (상대방 명의)", "계좌 거래내역 (피고 최윤아 명의, ○○은행)", "최윤아 카드 이용내역"]:
        assert _row_actor(header) == {"opponent"}, header
    # Without a holder (or with both named) the row keeps the old reading: the other spouse's act in the client's paper.
    assert _row_actor("카드 이용내역") == {"opponent"}
    assert _row_actor("카드 이용내역 (원고 제출, 피고 명의)") == {"opponent"}


def test_only_a_statements_rows_are_the_holders() -> None:
    # A firm's note whose title mentions the client's card: its lines are not rows of the client's statement.
    segs = [{"text": "상담일지 — 의뢰인 카드 사용내역 검토"}, {"text": "상대방 명의 카드로 모텔 결제가 반복됨"}]
    hit = written_hit(1, segs[1]["text"], "모텔", "숙박", "840-1")
    assert actors_of(segs, hit, {AUTHOR_KEY: "client"}, HUSBAND_CLIENT) != {"client"}


def test_the_holder_is_read_only_from_a_statements_header() -> None:
    # A paper that merely mentions the client first is no statement: its hotel line is read as before.
    segs = [{"text": "진술서 — 원고 손태경"}, {"text": "피고는 그 무렵 매주 금요일 늦게 들어왔습니다."},
            {"text": "카드에 ○○호텔 결제가 찍혀 있었습니다."}]
    hit = written_hit(2, segs[2]["text"], "호텔", "숙박", "840-1")
    assert actors_of(segs, hit, PAPER, HUSBAND_CLIENT) == {"opponent"}


def test_the_client_named_with_yeoksi_or_ttohan_is_the_subject() -> None:
    note = {AUTHOR_KEY: "third_party"}
    segs = [{"text": "상담일지 / 담당: 이 사무장"}, {"text": "상대방은 술만 마시면 의뢰인에게 물건을 던졌다고 함"},
            {"text": "의뢰인 역시 상대방의 노트북을 바닥에 내던진 적이 있다고 함"}]
    hit = written_hit(2, segs[2]["text"], "내던진", "폭행")
    assert actors_of(segs, hit, note, WIFE_CLIENT) == {"client"}
    segs[2] = {"text": "의뢰인 또한 상대방의 노트북을 바닥에 내던진 적이 있다고 함"}
    hit = written_hit(2, segs[2]["text"], "내던진", "폭행")
    assert actors_of(segs, hit, note, WIFE_CLIENT) == {"client"}


def test_a_relative_clauses_subject_is_not_the_lines_but_a_topic_is() -> None:
    named = NamedSubjects(WIFE_CLIENT)
    assert named.find("의뢰인이 제출한 문자에 모욕적인 말이 여러 번 나옴") is None
    assert named.find("원고가 주장하는 폭행은 없었습니다") is None
    # A topic is the line's subject even when a relative clause follows it.
    assert named.find("피고는 말리는 저를 현관 밖으로 밀어냈습니다") == "opponent"
    assert named.find("상대방은 의뢰인과 다투던 중 컵을 던졌다고 함") == "opponent"


def _wife_says(text: str, tag: str = "협박", ground: str = "840-3") -> set[str]:
    """`text` said by the wife (the client) to the husband, read whole by the model."""
    segs = [{"speaker": "준혁", "text": "니가 먼저 시비 걸었잖아"}, {"speaker": "은서", "text": text}]
    roles = {"은서": "client", "준혁": "opponent"}
    return actors_of(segs, written_hit(1, text, text, tag, ground, model=True, mode="utterance"), roles, WIFE_CLIENT)


def test_words_put_back_to_the_one_who_said_them_are_theirs() -> None:
    for text in ["그래도 애 보는 데서 나한테 칼 맞고 싶냐고 해?", "엊그제 나보고 집에서 꺼지라고 했잖아",
                 "사람들 앞에서 나더러 미친년이라고 그랬어?"]:
        assert _wife_says(text, "폭언" if "년" in text or "꺼지" in text else "협박") == {"opponent"}, text
    # The speaker's own threat stays hers.
    assert _wife_says("한 번만 더 그러면 너 칼 맞고 싶냐") == {"client"}


def _in_law_says(text: str, word: str, tag: str, ground: str = "840-3", *, model: bool = False) -> set[str]:
    """`text` said by the wife's mother in a chat with both spouses (the husband the client)."""
    segs = [{"speaker": "장모", "text": text}, {"speaker": "태경", "text": "장모님 그게 아니고요"},
            {"speaker": "윤아", "text": "엄마 그만해"}]
    roles = {"태경": "client", "윤아": "opponent", "장모": "third_party"}
    hit = written_hit(0, text, text if model else word, tag, ground, model=model)
    return actors_of(segs, hit, roles, HUSBAND_CLIENT)


def test_an_in_law_calling_a_spouse_by_name_tells_of_that_spouses_act() -> None:
    assert _in_law_says("태경 자네 우리 애 두고 딴 여자 만난 거 내가 다 알아", "딴 여자 만난", "외도", "840-1") == {"client"}
    assert _in_law_says("손태경 씨 우리 딸 팔에 시퍼런 멍 그거 누구 짓이야", "멍", "폭행") == {"client"}
    assert _in_law_says("윤아야 너 그날 애 아빠 얼굴 할퀸 거 사실이니", "할퀸", "폭행") == {"opponent"}
    # A line naming someone else (a 서방, 사위, "그 인간") is not about the one called: not theirs.
    assert _in_law_says("태경 자네 사위 노릇 하려면 우리 딸 두고 바람 피우는 그 인간 편 들지 말게", "바람 피우", "외도",
                        "840-1") != {"client"}


def test_a_name_called_does_not_make_the_one_called_the_doer_of_what_was_done_to_them() -> None:
    # Someone else named as subject, a passive, or the in-law's own insult: not the act of the one called.
    assert _in_law_says("윤아야 그 사람이 너 또 밀쳤어?", "밀쳤", "폭행") != {"opponent"}
    assert _in_law_says("태경 이 짐승만도 못한 놈아", "짐승만도", "폭언", model=True) == {"third_party"}
    # An alias at the head is who is talked about, not who is spoken to.
    assert _in_law_says("남편 바람 핀 거 맞지? 다 알아", "바람 핀", "외도", "840-1") != {"client"}


def _husband_says(text: str, tag: str, ground: str, mode: str = "report") -> set[str]:
    """`text` said by the husband (the opponent) to the wife (the client), read whole by the model."""
    segs = [{"speaker": "은서", "text": "어디야 전화 좀 받아"}, {"speaker": "준혁", "text": text}]
    roles = {"은서": "client", "준혁": "opponent"}
    return actors_of(segs, written_hit(1, text, text, tag, ground, model=True, mode=mode), roles, WIFE_CLIENT)


def test_putting_the_others_belongings_out_of_the_home_is_the_speakers_act() -> None:
    for text in ["니 옷이랑 화장품 박스에 담아서 경비실에 갖다놨다", "너 오늘 안 오면 니 짐 전부 현관 밖에 내놓는다",
                 "당신 물건 다 싸놨으니까 가져가"]:
        assert _husband_says(text, "축출", "840-2") == {"opponent"}, text
    # Asking why the other took their things is about the one spoken to.
    assert _husband_says("니 짐 왜 다 빼 갔어", "가출", "840-2") == {"client"}


def test_the_models_840_4_read_of_a_line_about_the_others_parent_is_the_speakers_words() -> None:
    for text in ["그 영감 앞으로 우리 집 근처에도 오지 말라 그래", "너희 엄마 진짜 정신 나간 노인네야",
                 "니 아빠 같은 사람은 평생 안 볼 거야"]:
        assert _husband_says(text, "부모에 대한 폭언", "840-4") == {"opponent"}, text
    # The other's parent as a bare subject may have done something itself: not read as the speaker's words.
    assert _husband_says("니 엄마 오늘 우리 집 와서 난리 쳤어", "부모에 대한 폭언", "840-4") != {"opponent"}
    # The speaker's own parent, a question, or the other as subject: the other's act.
    assert _husband_says("우리 엄마한테 다시는 그런 말 하지 마", "부모에 대한 폭언", "840-4") == {"client"}
    assert _husband_says("니가 우리 엄마 늙은이라고 했잖아", "부모에 대한 폭언", "840-4") == {"client"}
    assert _husband_says("니 아빠한테 왜 그딴 소리를 들어야 돼?", "부모에 대한 폭언", "840-4") != {"opponent"}


def test_a_paper_admitting_an_act_without_naming_its_doer_is_the_writers() -> None:
    paper = {AUTHOR_KEY: "client"}
    text = "다만 그 남자와 둘이서 술을 마시고 새벽에 귀가한 것은 사실이며 이 점은 깊이 반성합니다."
    hit = written_hit(0, text, text, "외도", "840-1", model=True)
    assert actors_of([{"text": "진술서 — 원고 김은서"}, {"text": text}], replace_seq(hit, 1), paper, WIFE_CLIENT) == {"client"}
    text = "피고가 그 여자와 모텔에 들어간 것은 사실입니다."
    hit = written_hit(0, text, text, "외도", "840-1", model=True)
    assert actors_of([{"text": "진술서 — 원고 김은서"}, {"text": text}], replace_seq(hit, 1), paper, WIFE_CLIENT) == {"opponent"}


def replace_seq(hit: Hit, seq: int) -> Hit:
    return dataclasses.replace(hit, seq=seq)


def test_asking_why_the_other_did_it_accuses_them_even_without_a_question_mark() -> None:
    assert _husband_says("근데 애 보험료 자동이체는 왜 해지했어", "생활비 미지급", "840-2") == {"client"}
    # The plain past statement without 왜 stays the speaker's own (an earlier round's rule).
    assert _husband_says("애 보험료 자동이체 해지했어", "생활비 미지급", "840-2") == {"opponent"}


def test_a_blow_the_one_spoken_to_is_told_they_need_is_the_speakers_threat() -> None:
    for text in ["너 같은 건 좀 맞아야 말을 듣지", "말대꾸 한 번만 더 해봐 진짜 처맞고 싶냐"]:
        assert _husband_says(text, "폭행", "840-3") == {"opponent"}, text
    # The speaker who was hit, or asking, is no threat.
    assert _husband_says("어제 너한테 맞은 데가 아직 아파", "폭행", "840-3") == {"client"}


def test_the_other_as_subject_of_a_reason_clause_did_the_act_the_line_tells() -> None:
    for text in ["당신이 내 팔 꼬집어서 뿌리친 거야", "니가 먼저 내 머리채 잡아서 밀어낸 거잖아"]:
        assert _husband_says(text, "협박", "840-3", mode="utterance") == {"client"}, text
    # An order after "니가 알아서" is no reason clause: the speaker's own refusal stays his.
    assert _husband_says("다음 달부터 생활비 없어 니가 벌어서 써", "생활비 미지급", "840-2") == {"opponent"}


def test_the_speakers_own_subject_after_the_others_reason_clause_owns_the_act() -> None:
    segs = [{"speaker": "준혁", "text": "너 어제 나한테 욕했지"},
            {"speaker": "은서", "text": "니가 내 휴대폰 먼저 던져서 나도 욕한 거야"}]
    text = segs[1]["text"]
    roles = {"은서": "client", "준혁": "opponent"}
    hit = written_hit(1, text, "욕한", "폭언", agent="spouse")  # the labeller reads "나도" as the spouse
    assert actors_of(segs, hit, roles, WIFE_CLIENT) == {"client"}
    hit = written_hit(1, text, "던져", "폭행", agent="spouse")
    assert actors_of(segs, hit, roles, WIFE_CLIENT) == {"opponent"}


def _wife_tells(text: str, word: str, tag: str = "폭행", ground: str = "840-3") -> set[str]:
    """A rule's hit on `word` in the wife's (the client's) line to the husband."""
    segs = [{"speaker": "준혁", "text": "너 어제 나한테 뭐 했는지 기억 안 나?"}, {"speaker": "은서", "text": text}]
    roles = {"은서": "client", "준혁": "opponent"}
    return actors_of(segs, written_hit(1, text, word, tag, ground), roles, WIFE_CLIENT)


def test_a_chat_line_telling_both_spouses_acts_gives_both() -> None:
    # The other first ("니가 먼저 …") and the speaker back.
    assert _wife_tells("니가 먼저 내 안경 집어던졌잖아 그래서 나도 니 시계 던진 거고", "던진") == {"client", "opponent"}
    # The speaker's own act owned at the line's head, then the other's ("근데 당신도 …잖아").
    assert _wife_tells("그래 밀쳤어 당신이 애 앞에서 나한테 욕하니까", "밀쳤") == {"client"}  # the insult is its own hit
    assert _wife_tells("응 내가 그랬어 근데 당신도 우리 아빠 밀쳤잖아", "밀쳤", "부모에 대한 폭행", "840-4") \
        == {"client", "opponent"}
    # One act only: no second actor.
    assert _wife_tells("당신이 어제 내 안경 집어던졌잖아", "집어던졌") == {"opponent"}


def test_the_models_read_of_a_paper_line_with_each_spouse_subject_of_a_clause_gives_both() -> None:
    text = "피고는 그날 밤 제 머리채를 잡아 끌었고, 저는 피고의 팔을 깨물어 겨우 빠져나왔습니다."
    segs = [{"text": "진술서 — 원고 김은서"}, {"text": text}]
    hit = dataclasses.replace(written_hit(0, text, text, "폭행", model=True), seq=1)
    assert actors_of(segs, hit, PAPER, WIFE_CLIENT) == {"client", "opponent"}
    # One subject (or the writer only as the one it was done to): one actor.
    text = "피고는 그날 밤 제 머리채를 잡아 끌었고 저를 바닥에 밀쳤습니다."
    hit = dataclasses.replace(written_hit(0, text, text, "폭행", model=True), seq=1)
    assert actors_of([segs[0], {"text": text}], hit, PAPER, WIFE_CLIENT) == {"opponent"}
    # A rule's read of one clause stays that clause's.
    text = "피고는 그날 밤 제 머리채를 잡아 끌었고, 저는 너무 무서워 울기만 했습니다."
    hit = dataclasses.replace(written_hit(0, text, "머리채를 잡아 끌었", "폭행"), seq=1)
    assert actors_of([segs[0], {"text": text}], hit, PAPER, WIFE_CLIENT) == {"opponent"}
