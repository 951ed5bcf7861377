"""Round 10: found acts filed on the wrong side (attribution dev set attrib3, issue of the wrong-side rate).

A third person's hostile line in a chat with one spouse is their own words, not the spouse's act; a first-person
subject of a time clause ("제가 … 다녀올 때마다") is not the act's subject. Hits are written out
(`tests/support/hits.py`) so these tests read attribution, not the labeller.
"""

from __future__ import annotations

from leh.analysis.admission import voices
from leh.analysis.answer import Passage
from leh.analysis.speakers import transcript_party, transcript_voices, voice_keys
from leh.domain.parties import AUTHOR_KEY, Parties, Person
from tests.support.hits import actors_of, written_hit

HUSBAND_CLIENT = Parties(Person("손태경", ("남편", "태경")), Person("최윤아", ("아내", "윤아")))
WIFE_CLIENT = Parties(Person("김은서", ("아내", "은서")), Person("박준혁", ("남편", "준혁")))


def _third_person_says(text: str, tag: str, ground: str, reply: str = "무슨 말이 그래") -> set[str]:
    segs = [{"speaker": "처제", "text": text}, {"speaker": "태경", "text": reply}]
    roles = {"태경": "client", "처제": "third_party"}
    return actors_of(segs, written_hit(0, text, text, tag, ground, model=True), roles, HUSBAND_CLIENT)


def test_a_third_persons_hostile_line_the_model_reads_as_discord_is_their_own() -> None:
    for text in ["형부 같은 쓰레기는 우리 집안에 필요 없어요", "매형 누나 또 울리면 다리 몽둥이 부러뜨린다",
                 "새언니 우리 오빠 월급 어디다 빼돌렸어요 도둑년처럼"]:
        assert _third_person_says(text, "계속적 불화", "840-6") == {"third_party"}, text
    # Hearsay or a question about the spouse spoken to stays the spouse's act.
    assert _third_person_says("형부 요즘 언니랑 매일 싸운다면서요", "계속적 불화", "840-6") == {"client"}
    assert _third_person_says("형부 언니랑 또 각방 써요?", "계속적 불화", "840-6") == {"client"}
    # Not the model's whole-line read: a rule's word keeps the old reading.
    text = "형부네 불화 때문에 언니가 힘들어해요"
    segs = [{"speaker": "처제", "text": text}, {"speaker": "태경", "text": "응"}]
    hit = written_hit(0, text, "불화", "계속적 불화", "840-6")
    assert actors_of(segs, hit, {"태경": "client", "처제": "third_party"}, HUSBAND_CLIENT) == {"client"}


def test_a_third_persons_insult_closing_the_line_is_theirs_even_after_you_as_subject() -> None:
    assert _third_person_says("니가 우리 아들 앞길 다 막았다 이 복 없는 년아", "폭언", "840-3") == {"third_party"}
    # Without the insult, "니가 …" tells of the act of the spouse spoken to.
    assert _third_person_says("니가 우리 아들한테 욕했다고 하더라", "폭언", "840-3") == {"client"}


def test_the_writer_as_subject_of_a_time_clause_is_not_the_acts_subject() -> None:
    paper = {AUTHOR_KEY: "client"}
    text = '결혼 후 시어머니 박말순은 제가 친정에 다녀올 때마다 "거지 집안"이라고 모욕했습니다.'
    hit = written_hit(0, text, "모욕", "모욕", agent="self", admission=True)
    assert actors_of([{"text": text}], hit, paper, WIFE_CLIENT) == {"third_party"}
    # The writer as the act's own subject stays the writer's.
    text = '저는 시댁에 갈 때마다 시어머니를 "늙은이"라고 모욕했습니다.'
    hit = written_hit(0, text, "모욕", "모욕", agent="self", admission=True)
    assert actors_of([{"text": text}], hit, paper, WIFE_CLIENT) == {"client"}


def _spouse_says(text: str, tag: str, ground: str = "840-2") -> set[str]:
    """`text` said by the opponent (the wife) to the client (the husband), read whole by the model."""
    segs = [{"speaker": "태경", "text": "어디야"}, {"speaker": "윤아", "text": text}]
    roles = {"태경": "client", "윤아": "opponent"}
    return actors_of(segs, written_hit(1, text, text, tag, ground, model=True), roles, HUSBAND_CLIENT)


def test_barring_the_other_from_home_or_not_going_back_is_the_speakers_act() -> None:
    for text in ["비밀번호 바꿨으니까 오지 마", "짐 필요 없잖아 이제 니 집 아니야", "안 들어가 이혼 서류 보내", "안 돌아가"]:
        assert _spouse_says(text, "축출" if "집" in text or "오지" in text else "가출") == {"opponent"}, text
    # Asking why the other does not come back, or the other's coming, is about the one spoken to.
    assert _spouse_says("왜 안 들어가 애들이 기다리잖아", "가출") == {"client"}
    assert _spouse_says("당신 언제 집에 들어와? 안 들어가?", "가출") == {"client"}
    # The same words on another ground keep their old reading ("가까이 오지 마" is no eviction).
    assert _spouse_says("술 먹고 나한테 가까이 오지 마", "폭행", "840-3") == {"client"}


def test_a_trailing_complaint_that_the_other_does_not_send_money_is_the_others_act() -> None:
    assert _spouse_says("석 달째 바쁘네 양육비도 안 보내고", "생활비 미지급") == {"client"}
    assert _spouse_says("다음 달부터 양육비 안 보내", "생활비 미지급") == {"opponent"}  # a refusal: her own


def test_a_transcripts_numbered_voice_is_the_party_its_key_line_names() -> None:
    paper = ["거실 녹음 녹취 풀이", "화자 1 이름: 최윤아 (피고)", "화자 2 이름: 손태경 (원고)",
             "화자 1: 너 진짜 죽여버릴 거야 칼 어딨어", "화자 2: 그만해 애 깬다"]
    segs = [{"seq": i, "kind": "text", "text": t} for i, t in enumerate(paper)]
    voices = transcript_voices(segs, HUSBAND_CLIENT)
    assert voices == {"화자1": "opponent", "화자2": "client"}
    assert transcript_party(segs[3], HUSBAND_CLIENT, voices) == "opponent"
    assert transcript_party(segs[3], HUSBAND_CLIENT) is None  # without the key: an unnamed voice
    # A voice's line is no key line, and a key naming a third person names no party.
    assert transcript_voices([{"kind": "text", "text": "화자 1: 그만해 애 깬다"},
                              {"kind": "text", "text": "화자 3 이름: 박말순"}], HUSBAND_CLIENT) == {}
    text = paper[3]
    hit = written_hit(3, text, "죽여", "협박", mode="utterance")
    assert actors_of([{"text": t} for t in paper], hit, {AUTHOR_KEY: "client"}, HUSBAND_CLIENT) == {"opponent"}


def test_a_transcript_voices_insult_read_by_the_model_is_the_voices_own() -> None:
    paper = ["녹취록", "최윤아: 니 엄마 같은 년이 너를 낳았으니 이 모양이지", "최윤아: 니가 나한테 미친년이라고 했잖아"]
    segs = [{"text": t} for t in paper]
    own = written_hit(1, paper[1], paper[1], "폭언", model=True)
    assert actors_of(segs, own, {AUTHOR_KEY: "client"}, HUSBAND_CLIENT) == {"opponent"}
    told = written_hit(2, paper[2], paper[2], "폭언", model=True)
    assert actors_of(segs, told, {AUTHOR_KEY: "client"}, HUSBAND_CLIENT) == {"client"}  # a reproach: the other's


def test_the_one_spoken_to_as_subject_of_a_condition_does_not_own_the_threat_after_it() -> None:
    segs = [{"speaker": "태경", "text": "그만해"}, {"speaker": "윤아", "text": ""}]
    roles = {"태경": "client", "윤아": "opponent"}

    def threat(text: str, word: str) -> set[str]:
        segs[1]["text"] = text
        return actors_of(segs, written_hit(1, text, word, "협박", mode="utterance", agent="spouse"), roles,
                         HUSBAND_CLIENT)

    assert threat("니가 나 신고하면 니네 집 찾아가서 다 죽일 거야", "죽일") == {"opponent"}
    # Without a condition, "니가 … 죽인다고 했잖아" stays the act of the one spoken to.
    assert threat("니가 어제 나 죽인다고 했잖아", "죽인") == {"client"}


def test_demanding_an_apology_for_an_act_accuses_the_one_spoken_to() -> None:
    text = "당신 우리 아빠한테 쌍욕 한 거 사과해"
    segs = [{"speaker": "윤아", "text": text}, {"speaker": "태경", "text": "싫어"}]
    roles = {"태경": "client", "윤아": "opponent"}
    hit = written_hit(0, text, "쌍욕", "부모에 대한 폭언", "840-4", admission=True)
    assert actors_of(segs, hit, roles, HUSBAND_CLIENT) == {"client"}
    # Owning it ("… 인정해") stays the speaker's admission.
    text = "나 당신한테 욕한 거 인정해"
    segs[0]["text"] = text
    hit = written_hit(0, text, "욕한", "폭언", admission=True)
    assert actors_of(segs, hit, roles, HUSBAND_CLIENT) == {"opponent"}


def test_nobody_tells_of_their_own_disappearance() -> None:
    paper = ["상담기록 3회차", "의뢰인은 상대방 가족에게도 수소문했으나 아무도 행방을 모름"]
    hit = written_hit(1, paper[1], "행방을 모름", "실종", "840-5")
    assert actors_of([{"text": t} for t in paper], hit, {AUTHOR_KEY: "client"}, WIFE_CLIENT) == {"opponent"}


def test_an_act_granted_as_true_or_an_affair_announced_to_a_friend_is_the_speakers() -> None:
    roles = {"윤아": "client", "친구": "third_party"}
    wife_client = Parties(Person("최윤아", ("아내", "윤아")), Person("손태경", ("남편", "태경")))
    text = "밀친 건 맞아 나도 화가 나서"
    segs = [{"speaker": "친구", "text": "그 사람 밀쳤다며"}, {"speaker": "윤아", "text": text}]
    assert actors_of(segs, written_hit(1, text, "밀친", "폭행"), roles, wife_client) == {"client"}
    text = "몰라 이혼하면 그 사람이랑 살 거야"
    segs = [{"speaker": "친구", "text": "남편은 알아?"}, {"speaker": "윤아", "text": text}]
    hit = written_hit(1, text, text, "외도", "840-1", model=True)
    assert actors_of(segs, hit, roles, wife_client) == {"client"}
    # The husband named as subject of the plan: his affair, told to a friend.
    text = "남편이 이혼하면 그 여자랑 살 거래"
    segs[1]["text"] = text
    hit = written_hit(1, text, text, "외도", "840-1", model=True)
    assert actors_of(segs, hit, roles, wife_client) == {"opponent"}


def test_one_parser_reads_a_transcripts_key_for_attribution_and_for_ask() -> None:
    key = "화자 1 이름: 최윤아 (피고, 아내) / 화자 2 이름: 손태경 (원고)"
    assert voice_keys(key) == [("화자1", "최윤아", ("피고", "아내")), ("화자2", "손태경", ("원고",))]
    # A voice speaking is no key, even when it says one word and another voice follows on the line.
    assert voice_keys("화자 1: 그만해 애 깬다") == []
    assert voice_keys("[00:05:40] 화자2: 내가 언제 때렸어? 화자1: 그래, 없지") == []
    paper = Passage("e1", 1, f"녹취록\n{key}\n화자 1: 너 진짜 죽여버릴 거야", None, None, "녹취록.txt", kind="text")
    assert voices([paper]) == {"화자1": ("최윤아", "피고", "아내"), "화자2": ("손태경", "원고")}
    assert transcript_voices([{"kind": "text", "text": key}], HUSBAND_CLIENT) == {"화자1": "opponent",
                                                                                 "화자2": "client"}
