"""Round 12: acts filed on the wrong side on the dev set attrib4 (read with `--errors`).

A 녹취록 key line naming several voices at once; a spouse word in a document line that reports someone else's words
("신고자: … / 내용: 남편이 …"); a statement label before a colon is no voice's own insult when the line names the doer.
Hits are written out (`tests/support/hits.py`) so these tests read attribution, not the labeller; the lines are
written for these tests.
"""

from __future__ import annotations

import dataclasses

from leh.analysis.actor import _announced
from leh.analysis.labels import Hit
from leh.analysis.speakers import transcript_voices
from leh.domain.parties import AUTHOR_KEY, Parties, Person
from tests.support.hits import actors_of, written_hit

HUSBAND_CLIENT = Parties(Person("배진우", ("남편", "진우")), Person("홍세아", ("아내", "세아")), client_side="plaintiff")
WIFE_CLIENT = Parties(Person("임다솔", ("아내", "다솔")), Person("곽태민", ("남편", "태민")), client_side="defendant")
PAPER = {AUTHOR_KEY: "client"}


def test_a_key_line_naming_several_voices_names_each() -> None:
    segs = [{"text": "녹음 녹취 (2025. 3. 거실)"}, {"text": "화자 1 이름: 홍세아 (피고) / 화자 2 이름: 배진우 (원고)"}]
    assert transcript_voices(segs, HUSBAND_CLIENT) == {"화자1": "opponent", "화자2": "client"}
    segs[1] = {"text": "화자1: 배진우, 화자2: 홍세아, 화자3: 홍세아의 언니"}
    assert transcript_voices(segs, HUSBAND_CLIENT) == {"화자1": "client", "화자2": "opponent"}
    # A slash inside a key that names no further voice splits nothing.
    segs[1] = {"text": "화자 1 이름: 홍세아 / 원고 측 제출"}
    assert transcript_voices(segs, HUSBAND_CLIENT) == {}


def test_a_voices_insult_in_a_two_voice_key_line_recording_is_that_voices() -> None:
    segs = [{"text": "화자 1 이름: 배진우 (원고) / 화자 2 이름: 홍세아 (피고)"},
            {"text": "화자 2: 그냥 나가 죽어버려 이 쓰레기 같은 인간아"}]
    hit = written_hit(1, segs[1]["text"], "나가 죽어", "폭언", model=True)
    assert actors_of(segs, hit, PAPER, HUSBAND_CLIENT) == {"opponent"}


def test_a_spouse_word_in_a_reported_line_names_that_party() -> None:
    # A police record in the client's file: the reporter is the opponent, the one the content names did it.
    segs = [{"text": "112 신고 처리 내역"}, {"text": "신고자: 곽태민(남편) / 내용: 아내가 휴대폰을 집어던졌다"}]
    hit = written_hit(1, segs[1]["text"], "집어던졌", "폭행", agent="spouse")
    assert actors_of(segs, hit, PAPER, WIFE_CLIENT) == {"client"}
    segs[1] = {"text": "신고자: 임다솔 / 내용: 남편이 휴대폰을 집어던졌다"}
    hit = written_hit(1, segs[1]["text"], "집어던졌", "폭행", agent="spouse")
    assert actors_of(segs, hit, PAPER, WIFE_CLIENT) == {"opponent"}
    # The client's own paper, her spouse word naming her husband: as before.
    segs = [{"text": "원고 진술서"}, {"text": "남편이 제 휴대폰을 집어던졌습니다."}]
    hit = written_hit(1, segs[1]["text"], "집어던졌", "폭행", agent="spouse")
    assert actors_of(segs, hit, PAPER, WIFE_CLIENT) == {"opponent"}


def test_a_statement_label_is_no_voice_when_the_line_names_the_doer() -> None:
    # The learned model's whole-line read (its tag an insult's) of a line telling what the one named did.
    segs = [{"text": "지구대 출동 기록"}, {"text": "곽태민 진술: 아내가 내 어머니를 찾아가 멱살을 잡았다"}]
    hit = written_hit(1, segs[1]["text"], "멱살", "부모에 대한 폭언", "840-4", model=True, agent="spouse")
    assert actors_of(segs, hit, PAPER, WIFE_CLIENT) == {"client"}
    # With no doer named, the voice's own insult stays the voice's.
    segs[1] = {"text": "곽태민: 너희 엄마 같은 미친 노인네는 처음 본다"}
    hit = written_hit(1, segs[1]["text"], "미친 노인네", "부모에 대한 폭언", "840-4", model=True)
    assert actors_of(segs, hit, PAPER, WIFE_CLIENT) == {"opponent"}


def _husband_says(text: str, hit_word: str | None = None) -> set[str]:
    """`text` said by the husband (the opponent) to the wife (the client): the model's whole-line read, or a rule's
    hit on `hit_word`."""
    segs = [{"speaker": "다솔", "text": "왜 전화를 안 받아"}, {"speaker": "태민", "text": text}]
    roles = {"다솔": "client", "태민": "opponent"}
    hit = written_hit(1, text, hit_word or text, "폭언" if hit_word is None else "폭행", model=hit_word is None)
    return actors_of(segs, hit, roles, WIFE_CLIENT)


def test_a_warning_once_more_and_harm_is_the_speakers_threat() -> None:
    for text in ["한 번만 더 애들 데리고 처가 가면 진짜 손모가지 부러뜨린다", "다시 한 번 그래 봐라 집구석 다 깨부순다",
                 "또다시 내 허락 없이 나가면 그땐 가만 안 둔다"]:
        assert _husband_says(text) == {"opponent"}, text
    # A rule's hit on the harm after the condition is the speaker's; one inside the condition is the other's act.
    assert _husband_says("한 번만 더 나 무시하면 뺨 때려버린다", "때려") == {"opponent"}
    assert _husband_says("한 번만 더 때리면 경찰 부를 거야", "때리") == {"client"}
    # Asked, or the speaker's words reported back: not a threat made now.
    assert _husband_says("한 번만 더 그러면 죽인다고 했잖아 누가?") != {"opponent"}


def test_a_warning_in_a_recording_is_the_voices_threat() -> None:
    segs = [{"text": "화자 1 이름: 곽태민 (원고) / 화자 2 이름: 임다솔 (피고)"},
            {"text": "화자 1: 한 번만 더 우리 엄마 무시하면 그때는 칼로 찔러버릴 거야"}]
    hit = written_hit(1, segs[1]["text"], "찔러버릴", "협박")
    assert actors_of(segs, hit, PAPER, WIFE_CLIENT) == {"opponent"}


def test_a_quoted_guess_is_no_announcement_of_the_writers() -> None:
    # The opponent's mother's blow, told by the client with her words quoted: not the writer's own act.
    segs = [{"text": "원고 진술서"}, {"text": "피고의 누나는 그 말을 듣고 저에게 '남자가 오죽하면 그랬겠지'라며 제 머리를 때렸습니다."}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "폭행", model=True)
    assert actors_of(segs, hit, PAPER, WIFE_CLIENT) != {"client"}
    assert not _announced("시어머니가 '니가 뭘 잘못했겠지'라고 했다")
    assert not _announced("그 사람은 그날 그 여자 집에 갔겠지")
    assert _announced("이제 이 집에 안 들어가겠다") and _announced("짐 싸서 친정 갈 거야")


def test_a_statement_header_naming_its_writer_names_no_holder() -> None:
    rows = ["토스 송금 내역 설명 (원고 작성)", "2025.06.14 상간남 최도현이 피고에게 '오늘 고마웠어'라며 50,000원을 보낸 내역"]
    segs = [{"text": t} for t in rows]
    hit = written_hit(1, rows[1], "상간남", "외도", "840-1")
    assert actors_of(segs, hit, PAPER, HUSBAND_CLIENT) == {"opponent"}
    # A holder named beside the writer is still the holder.
    rows[0] = "카드 이용내역 (피고 명의, 원고 제출)"
    segs = [{"text": t} for t in rows]
    assert actors_of(segs, hit, PAPER, HUSBAND_CLIENT) == {"opponent"}
    rows = ["카드 이용내역 (원고 명의, 피고 제출)", "2025.06.14 23:10 ○○모텔 55,000원"]
    segs = [{"text": t} for t in rows]
    hit = written_hit(1, rows[1], "모텔", "숙박", "840-1")
    assert actors_of(segs, hit, PAPER, HUSBAND_CLIENT) == {"client"}


def test_the_writer_as_subject_of_a_subordinate_clause_only_is_not_the_doer() -> None:
    # The wife's paper: she called, he did not answer and told her off; the model's read is his act, not hers.
    segs = [{"text": "원고 진술서"}, {"text": "제가 연락하면 전화를 끊고 '너 혼자 살아라'라는 문자만 보냈습니다."}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "가출", "840-2", model=True)
    assert actors_of(segs, hit, PAPER, WIFE_CLIENT) == {"opponent"}
    # The writer the main clause's subject too, or with no subordinate clause: the writer's own.
    for text in ["제가 너무 화가 나서 그날 집을 나왔습니다.", "제가 연락하면 저는 늘 혼자 집을 지켰습니다."]:
        segs[1] = {"text": text}
        hit = written_hit(1, text, text, "가출", "840-2", model=True)
        assert actors_of(segs, hit, PAPER, WIFE_CLIENT) == {"client"}, text


def test_a_subject_ending_with_its_time_clause_before_the_writer_is_not_the_lines() -> None:
    # The defendant husband's paper: she left, then he changed the lock (the model's whole-line read is his act).
    segs = [{"text": "피고 답변서 별첨 진술"}, {"text": "원고가 친정으로 간 뒤 제가 현관 도어락을 바꾼 것은 사실입니다."}]
    parties = Parties(Person("배진우", ("남편", "진우")), Person("홍세아", ("아내", "세아")), client_side="defendant")
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "축출", "840-2", model=True)
    assert actors_of(segs, hit, PAPER, parties) == {"client"}
    # Without the writer as a later subject, the one named did it.
    segs[1] = {"text": "원고가 친정으로 간 뒤 현관 도어락을 바꿔 버렸습니다."}
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "축출", "840-2", model=True)
    assert actors_of(segs, hit, PAPER, parties) == {"opponent"}


def test_a_threat_put_back_to_the_one_who_said_it_without_go_is_theirs() -> None:
    # The wife (client) reminds the husband of his threat; the rules' hits are on the threat's words.
    segs = [{"speaker": "다솔", "text": "지난주에 당신 망치 들고 나한테 다 죽여버린다 한 거 잊었어"}, {"speaker": "태민", "text": "기억 안 나"}]
    roles = {"다솔": "client", "태민": "opponent"}
    for word, intent in (("죽여", True), ("망치 들", False)):
        hit = dataclasses.replace(written_hit(0, segs[0]["text"], word, "협박", mode="utterance"), intent=intent)
        assert actors_of(segs, hit, roles, WIFE_CLIENT) == {"opponent"}, word
    # The speaker's own threat made now is still the speaker's.
    segs[0] = {"speaker": "다솔", "text": "너 그 망치 들고 오면 다 죽여버린다"}
    hit = dataclasses.replace(written_hit(0, segs[0]["text"], "죽여", "협박", mode="utterance"), intent=True)
    assert actors_of(segs, hit, roles, WIFE_CLIENT) == {"client"}


def _noun_hit(text: str) -> Hit:
    """The gambling rule's hit on the noun 카지노 (a rule of nouns only, as the lexicon's is)."""
    return dataclasses.replace(written_hit(0, text, "카지노", "도박", "840-6"), rule="도박/NNG|카지노/NNG")


def test_a_spouse_telling_a_past_gamble_on_a_noun_rule_tells_their_own() -> None:
    segs = [{"speaker": "태민", "text": "어제 또 카지노 가서 삼백 잃었다 ㅋㅋ"}, {"speaker": "다솔", "text": "미쳤어?"}]
    roles = {"다솔": "client", "태민": "opponent"}
    hit = _noun_hit(segs[0]["text"])
    assert actors_of(segs, hit, roles, WIFE_CLIENT) == {"opponent"}
    # Behind the speaker's back, or asked: the other's.
    for text in ["또 나 몰래 카지노 가서 삼백 잃었지", "어제 또 카지노 갔어?"]:
        segs[0] = {"speaker": "태민", "text": text}
        assert actors_of(segs, _noun_hit(text), roles, WIFE_CLIENT) == {"client"}, text


def test_a_spouses_relative_calling_the_other_spouse_by_kin_word_tells_of_their_act() -> None:
    # The wife's sister (the opponent's family) to the husband (the client): his act, heard of.
    segs = [{"speaker": "처형", "text": "형부 우리 동생 팔을 꺾었다며. 멍든 사진 다 봤어요"}, {"speaker": "진우", "text": "처형 그건 오해예요"},
            {"speaker": "세아", "text": "언니 그만해"}]
    roles = {"진우": "client", "세아": "opponent", "처형": "third_party"}
    parties = Parties(Person("배진우", ("남편", "진우")), Person("홍세아", ("아내", "세아")))
    hit = written_hit(0, segs[0]["text"], segs[0]["text"], "폭행", model=True)
    assert actors_of(segs, hit, roles, parties) == {"client"}
    # Not their own disappearance: the one called is the one spoken to.
    segs[0] = {"speaker": "처형", "text": "형부 미안해요 우리도 걔 어디 있는지 전혀 몰라요"}
    hit = written_hit(0, segs[0]["text"], segs[0]["text"], "실종", "840-5", model=True)
    assert actors_of(segs, hit, roles, parties) != {"client"}
