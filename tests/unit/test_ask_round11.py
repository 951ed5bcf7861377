"""Round 11: a period written as months ("3~5월") or from a day on ("8월 27일 이후"); a document's dated field asked
by another word the document's kind makes true (a 녹취록's 녹취 일시 for "녹음한 날짜"), several fields at once, and
nouns the case never writes; who said quoted words in a transcript (its roster names the speaker label); how many
messages one sender sent (counted one by one, a message record's rows by its heading or by the row)."""

from __future__ import annotations

import uuid

from leh.analysis.question import question_date, question_topic
from leh.container import Container
from leh.services.ask import NO_ANSWER
from tests.support.ask_cases import ask_case, cited, put_evidence


def test_a_range_of_months_and_a_day_on_are_periods() -> None:
    rng = question_date("3~5월 사이 피고 야간근무 몇 회?")
    assert rng is not None and rng.start == (3, 1) and rng.end == (5, 31)
    assert rng.contains(2025, 4, 18) and not rng.contains(2025, 6, 1)
    rng = question_date("2024년 11-2월에 보낸 돈")
    assert rng is not None and rng.contains(2025, 1, 10) and not rng.contains(2024, 10, 30)
    after = question_date("8월 27일 이후 남편이 보낸 문자는 몇 통인가요")
    assert after is not None and after.contains(2025, 9, 9) and after.contains(2025, 8, 27)
    assert not after.contains(2025, 8, 26)
    month_on = question_date("4월 이후로 연락한 적")
    assert month_on is not None and month_on.contains(2025, 7, 1) and not month_on.contains(2025, 3, 31)
    day = question_date("3월 5일 후에 있었던 일")  # no period word the rule knows: that day
    assert day is not None and day.start == day.end == (3, 5)


def _transcript(c: Container, cid: str) -> None:
    put_evidence(c, cid, "녹취록_20250411.txt", [
        (None, None, "녹 취 록"),
        (None, None, "녹취 일시: 2025년 4월 11일 22:10경"),
        (None, None, "화자1: 명도현 (남편)\n화자2: 한가을 (아내)\n화자3: 명보리 (아들, 6세)"),
        (None, None, "작성일: 2025년 6월 2일"),
        (None, None, "[00:00:31] 화자1: 내 말 안 들으면 애는 못 볼 줄 알아"),
        (None, None, "[00:01:02] 화자3: 아빠 소리 지르지 마"),
    ])


def test_a_transcripts_recording_field_answers_when_it_was_recorded(container: Container) -> None:
    cid = str(uuid.uuid4())
    _transcript(container, cid)
    put_evidence(container, cid, "사실확인서_이웃.txt", [
        (None, None, "사실확인서"), (None, None, "작성일: 2025년 5월 1일"),
        (None, None, "본인은 2025년 4월 11일 밤 옆집에서 고함 소리를 들었습니다."),
    ])
    out = ask_case(container, cid, "녹취록상 녹음이 이뤄진 날짜와 시각")
    assert "녹취 일시: 2025년 4월 11일" in cited(out) and "작성일" not in cited(out)
    # a noun the case writes nowhere ("부부") tells no document apart; the field is still the transcript's
    assert "녹취 일시" in cited(ask_case(container, cid, "부부 대화 녹취 일시 확인"))
    # a kind of document the case does not hold must be met: no other document's 작성일 answers it
    assert ask_case(container, cid, "진단서 작성일은?")["answer"] == NO_ANSWER


def test_two_fields_asked_at_once_are_both_answered(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "진단서_한가을.txt", [
        (None, None, "진 단 서"), (None, None, "환자 성명: 한가을"),
        (None, None, "진료 일자: 2025년 4월 12일"), (None, None, "발행일: 2025년 4월 14일"),
        (None, None, "소견: 좌측 팔 타박상, 2주간 치료 요함"),
    ])
    out = ask_case(container, cid, "진단서상 진료일, 발행일 각각 언제로 되어 있음?")
    assert "진료 일자: 2025년 4월 12일" in cited(out) and "발행일: 2025년 4월 14일" in cited(out)
    only = ask_case(container, cid, "진단서 발행일은 언제인가요?")
    assert "발행일" in cited(only) and "진료 일자" not in cited(only)


def test_who_said_quoted_words_in_a_transcript_is_named_by_its_roster(container: Container) -> None:
    cid = str(uuid.uuid4())
    _transcript(container, cid)
    out = ask_case(container, cid, "녹음 파일에서 \"아빠 소리 지르지 마\"라고 말한 사람은?")
    assert "화자3: 아빠 소리 지르지 마" in cited(out)
    assert "화자3: 명보리 (아들, 6세)" in out["answer"] and "화자3: 명보리" in cited(out)
    assert "명도현" not in out["answer"]  # the roster's other speakers are not the one asked
    # a transcript without a roster names no one: the line alone
    cid2 = str(uuid.uuid4())
    put_evidence(container, cid2, "녹취록.txt", [
        (None, None, "녹 취 록"), (None, None, "[00:00:31] 화자1: 내가 운전대 잡을 거야"),
        (None, None, "[00:00:40] 화자2: 술 마셨잖아"),
    ])
    out2 = ask_case(container, cid2, "'운전대 잡을 거야'라고 한 사람은 누구")
    assert "화자1: 내가 운전대" in cited(out2) and "명단" not in out2["answer"]


def test_how_many_messages_one_sender_sent_counts_each_message(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "문자내역_추서영.txt", [
        (None, None, "문자 메시지 내역 (발신: 010-1234-5678 추서영 / 수신: 한가을 휴대폰)\n※ 발신 번호는 남편 휴대폰에 "
                     "\"꽃집 사장님\"으로 저장되어 있던 번호와 같음"),
        (None, None, "2025. 6. 8. 오후 10:47 이제 그만 놓아주세요"),
        (None, None, "2025. 6. 8. 오후 10:52 저한테 연락하지 마시고요"),
        (None, None, "2025. 6. 20. 오전 8:15 도서관 앞에 간 건 제 뜻이 아니었어요"),
    ])
    put_evidence(container, cid, "문자내역_명도현.txt", [
        (None, None, "문자 메시지 내역 (수신: 한가을, 발신: 명도현)"),
        (None, None, "2025. 8. 16. 오후 11:48 명도현: 오늘은 건드리지 마라"),
        (None, None, "2025. 8. 27. 오전 1:32 명도현: 너 하나 없어지는 거 일도 아니야"),
        (None, None, "2025. 9. 5. 오후 7:55 명도현: 보리는 내가 데려간다"),
    ])
    put_evidence(container, cid, "상담일지.txt", [
        (None, None, "상담일지"), (None, None, "의뢰인: 한가을 / 상대방: 명도현 (남편)"),
        (None, None, "2025. 6. 10. 의뢰인은 추서영에게서 문자를 받았다고 함."),
    ])
    out = ask_case(container, cid, "추서영이 의뢰인에게 보낸 문자 몇 통인지")
    assert "모두 3건" in out["answer"]
    assert all(w in cited(out) for w in ("그만 놓아주세요", "연락하지 마시고요", "도서관 앞에"))
    assert "상담일지" not in out["answer"] and "명도현" not in cited(out)
    husband = ask_case(container, cid, "8월 27일 이후 남편이 보낸 문자는 몇 통인가요")
    assert "모두 2건" in husband["answer"]
    assert "없어지는 거" in cited(husband) and "데려간다" in cited(husband) and "건드리지" not in cited(husband)
    # a sender the evidence holds no message of: no count is made up
    assert "건입니다" not in ask_case(container, cid, "한가을이 보낸 문자는 몇 통?")["answer"]


def test_a_time_of_day_asked_of_an_act_needs_a_line_that_writes_one(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "카카오톡_대화_남편.txt", [
        ("2025-04-13T09:40:00+09:00", "한가을", "어젯밤에 리모컨 던져서 팔에 멍들었어"),
        ("2025-04-13T09:45:00+09:00", "명도현", "그러게 왜 말대꾸를 해"),
    ])
    put_evidence(container, cid, "문자내역_명도현.txt", [
        (None, None, "문자 메시지 내역 (수신: 한가을, 발신: 명도현)"),
        (None, None, "2025.04.20 18:37 | 오늘 회사 앞에서 봤지? 다음엔 그냥 안 간다"),
    ])
    # the message was sent at 09:40, the throw was "어젯밤": no time of the act is written
    assert ask_case(container, cid, "리모컨을 던진 게 몇 시쯤이었는지?")["answer"] == NO_ANSWER
    # a record row's own time is when it was sent, not when he came to the office
    assert ask_case(container, cid, "남편이 회사 앞에 온 시각은?")["answer"] == NO_ANSWER
    # the message itself asked: its own time answers
    sent = ask_case(container, cid, "'다음엔 그냥 안 간다' 문자는 몇 시에 왔나요?")
    assert "다음엔 그냥 안 간다" in cited(sent)
    put_evidence(container, cid, "진술서_한가을.txt", [
        (None, None, "진술서"), (None, None, "2025년 4월 12일 밤 11시경 남편이 리모컨을 제 팔에 던졌습니다."),
    ])
    written = ask_case(container, cid, "리모컨을 던진 게 몇 시쯤이었는지?")
    assert "밤 11시경" in cited(written) and "멍들었어" not in cited(written)


def test_a_relative_named_by_an_apposition_is_who_the_relation_asks(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "문자내역_처남.txt", [
        (None, None, "문자 메시지 내역 (수신: 명도현 휴대폰 / 발신: 010-7713-2049 한겨울, 아내 한가을의 남동생)"),
        (None, None, "2025. 3. 9. 오후 9:12 누나 건드리면 가만 안 있습니다"),
        (None, None, "2025. 3. 10. 오전 8:02 연락 주세요"),
    ])
    out = ask_case(container, cid, "아내 남동생의 성명은?")
    assert "한겨울" in out["answer"] and "아내 한가을의 남동생" in cited(out)
    # no sister is written anywhere: the brother is not her
    assert "한겨울" not in ask_case(container, cid, "아내 여동생의 이름은?")["answer"]


def test_a_party_word_without_its_particle_is_no_verb_of_the_topic() -> None:
    topic = question_topic("3~5월 사이 피고 야간근무 몇 회?")
    assert "피" not in topic.verbs and "근무" in topic.nouns
    assert question_topic("꽃이 피고 나서 만났나요?").verbs  # a verb that is one stays


def test_a_line_saying_the_act_never_happened_is_no_yes(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "진술서_한가을.txt", [
        (None, None, "진술서"),
        (None, None, "1. 저와 명도현은 2019년 혼인하였습니다."),
        (None, None, "2. 남편은 저에게 손찌검을 한 적은 없습니다. 그러나 아이 앞에서 저를 무시하는 말을 자주 했습니다."),
    ])
    out = ask_case(container, cid, "남편이 의뢰인을 때린 적 있나요?")
    assert not out["answer"].startswith("예")
    assert "그러지 않았다는 내용" in out["answer"] and "손찌검을 한 적은 없습니다" in out["answer"]
    put_evidence(container, cid, "카카오톡_대화.txt", [
        ("2025-03-02T23:10:00+09:00", "한가을", "오늘 또 나 때렸잖아. 팔에 멍 든 거 봐"),
        ("2025-03-02T23:12:00+09:00", "명도현", "니가 먼저 밀었잖아"),
    ])
    both = ask_case(container, cid, "남편이 의뢰인을 때린 적 있나요?")
    assert "나 때렸잖아" in cited(both) and "그러지 않았다는 내용" in both["answer"]  # shown apart from the blow


def test_a_hand_laid_on_a_person_is_a_blow() -> None:
    assert "폭행" in question_topic("남편이 지후에게 손 댄 적 있는지").tags
    assert "폭행" not in question_topic("토토에 손을 대기 시작한 게 언제").tags  # a thing: not a blow


def test_who_wrote_a_confirmation_is_its_name_field(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "사실확인서_구하람.txt", [
        (None, None, "사 실 확 인 서"),
        (None, None, "성명: 구하람 (같은 빌라 302호 거주, 이웃)"),
        (None, None, "작성일: 2025년 3월 5일"),
        (None, None, "1. 저는 2025년 2월 14일 밤 옆집에서 고함 소리를 들었습니다."),
    ])
    put_evidence(container, cid, "진단서_한가을.txt", [
        (None, None, "진 단 서"), (None, None, "성명: 한가을"), (None, None, "담당의: 전문의 오세린 (인)"),
    ])
    out = ask_case(container, cid, "302호 이웃으로 확인서 써준 분 성함")
    assert "구하람" in out["answer"] and "성명: 구하람" in cited(out)
    # a 진단서's 성명 is its patient, not who wrote it
    assert "한가을" not in ask_case(container, cid, "진단서 작성한 사람은 누구?")["answer"]
    # the writer already named: the question asks about her, not who she is (no 성명 line as its answer)
    assert "성명 란" not in ask_case(container, cid, "확인서 작성자 구하람은 원고와 무슨 관계입니까?")["answer"]
