"""Round 7 (issue #13, from the lawyer QA read of 2026-12-07): how often counts acts, not mentions; a month is the
earliest when it is; who by the first message and by whom they are loved; a blow is no insult, and a document line
whose doer is the other party is not the asked party's act."""

from __future__ import annotations

from leh.analysis import whether as act_whether
from leh.analysis.answer import Passage, began_or_stopped, how_often, render, who
from leh.analysis.morph import morphs
from leh.analysis.question import text_months
from leh.container import Container
from leh.services.ask import NO_ANSWER
from leh.services.ask_doer import party_words
from tests.support.api_case import lawyer


def _doc(filename: str, seq: int, text: str, ts: str | None = None, precision: str | None = None) -> Passage:
    return Passage(evidence_id=filename, seq=seq, text=text, ts=ts, speaker=None, filename=filename, kind="text",
                   precision=precision)


def _msg(seq: int, ts: str, speaker: str, text: str) -> Passage:
    return Passage(evidence_id="chat", seq=seq, text=text, ts=ts, speaker=speaker, filename="chat.txt")


# ------------------------------------------------------------------ how often: acts, not mentions
def test_how_often_counts_stays_not_the_day_a_statement_was_found() -> None:
    card = "카드.csv"
    found = [
        _doc(card, 1, "2024-02-03 01:10 역삼 ○○모텔 60,000원 이용자 가족(배우자)", "2024-02-03T01:10:00+09:00", "minute"),
        _doc(card, 2, "2024-03-09 23:40 ○○호텔 서면 190,000원 이용자 가족(배우자)", "2024-03-09T23:40:00+09:00", "minute"),
        _msg(3, "2024-04-02T20:00:00+09:00", "나", "2월 3일 새벽 모텔 결제는 뭐야?"),
        _doc("진술서.txt", 4, "2024. 4. 2. 카드 명세서에서 모텔과 호텔 결제 내역을 발견하였습니다.",
             "2024-04-02T00:00:00+09:00", "day"),
        _doc("상담일지.txt", 5, "- 카드 명세서에 숙박 결제가 있다고 함 (2024. 2. ~ 3.).", "2024-02-01T00:00:00+09:00",
             "month"),
    ]
    text, _ = render(how_often(found), [])
    assert "모두 2차례" in text
    assert "2024년 2월 3일" in text and "2024년 3월 9일" in text
    assert "4월 2일" not in text.split("\n")[0]  # the finding is no stay
    assert "날짜가 없는" not in text


def test_a_line_about_finding_a_record_still_counts_when_nothing_else_is_dated() -> None:
    only = [_doc("진술서.txt", 1, "2024. 4. 2. 카드 명세서에서 모텔 결제 내역을 발견하였습니다.", "2024-04-02T00:00:00+09:00")]
    text, cited = render(how_often(only), [])
    assert cited and "1차례" in text


# ------------------------------------------------------------------ since when: a month is a date
def test_a_dotted_month_is_a_month() -> None:
    assert text_months("2024. 3.경부터 아내가 늦게 들어왔다") == [(2024, 3)]
    assert text_months("결제 내역 (2024. 3. ~ 6.)") == [(2024, 3)]
    assert text_months("2024. 6. 1. 상대방이 인정함") == []
    assert text_months("2024.3.15 결제") == []


def test_the_month_a_statement_dates_it_from_is_the_earliest_evidence() -> None:
    found = [
        _doc("상담일지.txt", 3, "- 의뢰인은 아내가 2024. 3.경부터 정민호라는 남성과 교제한다고 주장함.",
             "2024-03-01T00:00:00+09:00", "month"),
        _doc("진술서.txt", 8, "2024. 6. 1. 밤 아내는 정민호라는 남자를 좋아한다고 인정하였습니다.",
             "2024-06-01T00:00:00+09:00", "day"),
    ]
    text, _ = render(began_or_stopped(found, stopped=False), [])
    assert "가장 이른 증거는 2024년 3월 상담일지.txt" in text
    assert "가장 이른 증거는 2024년 6월 1일" not in text


def test_a_stranger_seen_for_the_first_time_is_no_start() -> None:
    seen = _doc("확인서.txt", 2, "1. 저는 2024. 4. 13. 밤 올케가 처음 보는 남자와 걸어가는 것을 보았습니다.",
                "2024-04-13T22:00:00+09:00", "minute")
    text, _ = render(began_or_stopped([seen], stopped=False), [])
    assert "라고 적혀 있습니다" not in text


# ------------------------------------------------------------------ who: the first message, and who they are
def test_who_is_first_mentioned_in_the_message_of_that_day_and_whom_they_are_loved_by() -> None:
    passages = [
        _doc("상담일지.txt", 5, "- 2024. 6. 1. 상대방이 카톡으로 정민호를 좋아한다고 인정함.", "2024-06-01T00:00:00+09:00"),
        _msg(34, "2024-06-01T23:15:00+09:00", "한도윤", "정민호가 누구야"),
        _doc("진술서.txt", 8, "2024. 6. 1. 밤 아내는 카톡으로 정민호라는 남자를 좋아한다고 인정하였습니다.",
             "2024-06-01T00:00:00+09:00"),
    ]
    text, _ = render(who("정민호", passages), [])
    assert "처음 언급된 것은 2024년 6월 1일 오후 11:15 한도윤이 보낸 메시지" in text
    assert "좋아한다고" in text.split("처음 언급된")[0]  # the relation: the man she admits she loves


# ------------------------------------------------------------------ whether: what the line means, who did it
def _shown(question: str, passages: list[Passage]) -> list[str]:
    act = act_whether.read_act(question, morphs(question))
    assert act is not None
    return [p.text for p in act_whether.shows(act, act_whether.candidates(act, passages), {})]


def test_a_blow_labelled_as_an_insult_is_no_insult() -> None:
    blow = Passage(evidence_id="chat", seq=1, text="어젯밤에 리모컨으로 내 이마 내리친 거 사과도 안 하냐",
                   ts="2024-06-09T08:20:00+09:00", speaker="나", filename="chat.txt", tags=frozenset({"폭언"}))
    slur = Passage(evidence_id="chat", seq=2, text="병신 같은 놈", ts="2024-06-09T08:30:00+09:00", speaker="너",
                   filename="chat.txt", tags=frozenset({"폭언"}))
    assert _shown("피고가 원고에게 폭언을 한 적이 있나요?", [blow, slur]) == ["병신 같은 놈"]
    # the same blow answers a question about hitting: 내리치다 is a blow
    hit = _doc("진술서.txt", 9, "2024. 6. 8. 밤 아내가 TV 리모컨으로 제 이마를 내리쳐 이마가 찢어졌습니다.")
    assert _shown("피고가 원고를 때린 적이 있나요?", [hit]) == [hit.text]


def test_the_party_words_name_one_party_each() -> None:
    words = party_words([{"name": "한도윤", "aliases": ["남편"], "party": "client", "role": "원고"},
                         {"name": "오수진", "aliases": ["아내", "남편"], "party": "opponent", "role": "피고"}])
    assert words["한도윤"] == "client" and words["아내"] == "opponent" and words["상대방"] == "opponent"
    assert "남편" not in words  # both parties' alias: it names neither


STATEMENT = """진술서
진술인: 한도윤

2024. 6. 8. 밤 11시경 말다툼 중 아내가 TV 리모컨으로 제 이마를 내리쳐 이마가 찢어졌습니다. 그 직전에 제가 목소리를 높인 것은 사실입니다.
"""


def test_a_statement_line_where_the_other_party_struck_answers_only_for_that_party(container: Container) -> None:
    with lawyer(container, "round7@test.local") as me:
        parties = {"client": {"name": "한도윤", "aliases": ["남편"]}, "opponent": {"name": "오수진", "aliases": ["아내"]}}
        cid = me.new_case(parties)
        me.upload(container, cid, {"진술서.txt": STATEMENT})
        hers = me.data("POST", f"/api/cases/{cid}/ask", json={"question": "피고가 원고를 때린 적이 있나요?"})
        assert str(hers["answer"]).startswith("예") and "내리쳐" in str(hers["answer"])
        his = me.data("POST", f"/api/cases/{cid}/ask", json={"question": "원고가 피고를 때린 적이 있나요?"})
        assert his["answer"] == NO_ANSWER


# ------------------------------------------------------------------ what a question asks, and words that only look alike
def test_a_number_of_blows_is_asked_and_only_a_line_that_writes_one_states_it() -> None:
    from leh.analysis.question import Wants, question_wants, states_value
    assert question_wants("허리띠로 몇 대 맞았는지 확인 바랍니다") == Wants.COUNT_OF
    assert states_value(Wants.COUNT_OF, "남편이 뺨을 두 대 때렸습니다")
    assert not states_value(Wants.COUNT_OF, "남편이 허리띠로 등과 팔을 여러 차례 때렸다고 함")
    assert question_wants("차를 몇 대 가지고 있나요?") != Wants.COUNT_OF


def test_who_was_with_someone_asks_a_person() -> None:
    from leh.analysis.question import Wants, question_wants
    assert question_wants("6/7 이자카야에서 아내와 같이 있던 사람?") == Wants.PERSON


def test_words_that_share_letters_with_an_act_but_not_its_meaning_name_no_act() -> None:
    for q in ("노스필드에서 산 바람막이 색상과 사이즈?",  # a windbreaker, not an affair
              "준서가 폭행 장면을 직접 봤는지?",  # who saw it is asked
              "시아버지가 폭행을 두둔하는 말을 했나요"):  # what was said of it is asked
        assert act_whether.read_act(q, morphs(q)) is None, q
    assert act_whether.read_act("남편이 바람을 피운 적이 있나요?", morphs("남편이 바람을 피운 적이 있나요?")) is not None


def test_a_shops_kind_and_the_part_asked_are_not_words_to_find() -> None:
    from leh.analysis.question import question_topic
    assert "매장" not in question_topic("피고가 주얼리 매장에서 얼마를 썼나요?").nouns
    topic = question_topic("원고가 다친 부위와 진단 내용은 무엇인가요?")
    assert "부위" not in topic.nouns and "내용" not in topic.nouns and "진단" in topic.nouns


def test_a_line_dated_by_a_month_shows_the_month() -> None:
    from leh.analysis.answer import when_ko
    p = _doc("상담일지.txt", 4, "상대방은 2025. 2.경 동호회에 가입한 뒤 외박이 잦아졌다고 한다.", "2025-07-08T00:00:00+09:00")
    assert when_ko(p, line=p.text) == "2025년 2월"


def test_a_photos_dated_field_kept_as_a_date_header_answers_a_date_question(container: Container) -> None:
    import uuid

    from tests.support.ask_cases import ask_case, cited, put_evidence
    case_id = str(uuid.uuid4())
    doc = put_evidence(container, case_id, "상해진단서.png", [
        (None, None, "상해진단서"), (None, None, "상병명: 이마 열상 (전치 2주)"),
        ("2024-06-08T00:00:00+09:00", None, "수상일: 2024년 6월 8일"),
        ("2024-06-09T00:00:00+09:00", None, "진단일: 2024년 6월 9일")])
    for s in doc["segments"][2:]:
        s["kind"] = "system"  # as the photo parser keeps a line that is only a date
    container.evidence.put(doc)
    out = ask_case(container, case_id, "2024년 6월 8일에 무슨 일이 있었나요?")
    assert "수상일: 2024년 6월 8일" in cited(out)
    assert "진단일" not in cited(out)


def test_a_document_line_says_who_did_the_act_whatever_a_label_says() -> None:
    from leh.services.ask_doer import line_doers
    words = party_words([{"name": "남궁서연", "aliases": ["아내"], "party": "client", "role": "원고"},
                         {"name": "탁재민", "aliases": ["남편"], "party": "opponent", "role": "피고"}])

    def act(q: str) -> act_whether.Act:
        a = act_whether.read_act(q, morphs(q))
        assert a is not None
        return a
    push, thrown, insult = act("피고가 원고를 밀친 적이 있나요?"), act("원고가 물건을 던진 적이 있나요?"), act("원고가 무례한 말을 한 적?")
    assert line_doers("2024. 2. 3. 밤 거실에서 남편이 제 어깨를 세게 밀쳐 저는 부딪쳤습니다.", words, push, "client") == ({"opponent"}, True)
    # the author's own act, told in the first person; a line of another kind of act tells its own doer
    mine = "2023. 12. 2. 밤 제가 화가 나서 남편의 휴대폰을 바닥에 던졌습니다."
    assert line_doers(mine, words, thrown, "client") == ({"client"}, True)
    assert line_doers(mine, words, push, "client") == ({"client"}, False)
    assert line_doers("- 의뢰인도 2023. 12. 2. 상대방의 휴대폰을 바닥에 던진 사실을 인정함.", words, thrown, None)[0] == {"client"}
    # two doers in one line: the relative's insult, then the author's rude words
    both = "2024. 6. 20. 장모 권말순이 저에게 '병신 같은 놈'이라고 욕하였습니다. 저도 화가 나서 장모님께 버릇없는 말을 하였습니다."
    assert line_doers(both, words, insult, "client")[0] == {"third_party", "client"}
    # asked about the spouse: the author's words to a relative are not the spouse's insult
    assert line_doers(both, words, act("원고가 피고에게 욕설을 한 적이 있나요?"), "client")[0] == {"third_party"}
    assert line_doers("2024. 3. 28. 상대방이 상담실에 함께 왔다.", words, push, "client")[0] == set()  # no act named


def test_a_compound_the_evidence_writes_is_one_topic_noun(container: Container) -> None:
    import uuid

    from tests.support.ask_cases import ask_case, cited, put_evidence
    case_id = str(uuid.uuid4())
    put_evidence(container, case_id, "카드내역.csv", [
        ("2023-12-16T21:30:00+09:00", None, "2023-12-16 21:30 ○○백화점 명품관 2,300,000원 이용자 본인"),
        ("2023-12-17T12:00:00+09:00", None, "2023-12-17 12:00 ○○마트 54,000원 이용자 본인")])
    out = ask_case(container, case_id, "남편이 명품관에서 쓴 금액은?")
    assert "2,300,000원" in out["answer"] and "명품관" in cited(out)


def test_a_documents_heading_is_no_undated_incident(container: Container) -> None:
    import uuid

    from tests.support.ask_cases import ask_case, cited, put_evidence
    case_id = str(uuid.uuid4())
    put_evidence(container, case_id, "카드이용내역.txt", [
        (None, None, "카드 이용내역서 (무인텔)"),
        (None, None, "회원: 남기혁 / 가족카드 사용자: 옥세나 (무인텔 결제 포함)"),
        ("2024-03-02T01:10:00+09:00", None, "2024. 3. 2. 01:10 역삼 ○○무인텔 50,000원"),
        ("2024-04-06T00:40:00+09:00", None, "2024. 4. 6. 00:40 선릉 ○○무인텔 55,000원")])
    out = ask_case(container, case_id, "무인텔 결제는 모두 몇 건입니까?")
    assert "모두 2건" in out["answer"]  # counted row by row over the ledger (round 12), the heading not among them
    assert "날짜가 없는" not in out["answer"] and "카드 이용내역서" not in cited(out)


def test_the_sentence_where_the_asked_party_acts_is_quoted() -> None:
    from leh.services.ask_doer import _sentence_of
    line = "2024. 6. 20. 장모 권말순이 저에게 욕하였습니다. 저도 화가 나서 장모님께 버릇없는 말을 하였습니다."
    assert _sentence_of(line, line.index("버릇없")) == "저도 화가 나서 장모님께 버릇없는 말을 하였습니다."
    assert _sentence_of(line, line.index("욕하")) is None  # the first sentence is quoted anyway
