"""Round 14: acts filed on the wrong side on the retired dev set attrib5 (read with `--errors`), by mechanism.

A spouse leaving the children or the money to the other ("니가 알아서 …", "… 벌어 쓰든지"): the speaker's own
desertion. A spouse reminding the other of their act with "-잖아" ("당신 … 했잖아", "… 나가잖아 당신"): the one spoken
to's, even after the speaker's own subordinate clause. A third person's paper telling of a spouse's injury ("의뢰인이
… 멍이 든"): the spouse named is the one hurt; the doer is the one named with 에게/한테, else unknown. A
threat whose condition has the one spoken to as subject at the line's head ("너 또 … 하면 멱살 잡고 …"): the speaker's. "응 안 줬어. 당신이 …": the speaker owns the
unpaid support at the line's head, whatever the excuse after it. Hits are written out (`tests/support/hits.py`) so these tests read attribution, not the labeller; every
line is written for these tests.
"""

from __future__ import annotations

from leh.analysis.actor import _reminds_addressee
from leh.domain.parties import AUTHOR_KEY, Parties, Person
from tests.support.hits import actors_of, written_hit

# The client is the wife in WIFE_CLIENT, the husband in HUSBAND_CLIENT.
WIFE_CLIENT = Parties(Person("탁서윤", ("아내", "서윤")), Person("변태오", ("남편", "태오")), client_side="plaintiff")
HUSBAND_CLIENT = Parties(Person("채민혁", ("남편", "민혁")), Person("편다인", ("아내", "다인")), client_side="defendant")
SPOUSES_W = {"서윤": "client", "태오": "opponent"}
SPOUSES_H = {"민혁": "client", "다인": "opponent"}


def _husband_to_wife(text: str, word: str, tag: str, ground: str, *, model: bool = False) -> set[str]:
    """`text` said by the husband (the opponent in WIFE_CLIENT) to his wife, after her message."""
    segs = [{"speaker": "서윤", "text": "이번 달은 어떻게 하라는 거야"}, {"speaker": "태오", "text": text}]
    return actors_of(segs, written_hit(1, text, word, tag, ground, model=model), SPOUSES_W, WIFE_CLIENT)


def _wife_to_husband(text: str, word: str, tag: str, ground: str, *, model: bool = False) -> set[str]:
    """`text` said by the wife (the opponent in HUSBAND_CLIENT) to her husband, after his message."""
    segs = [{"speaker": "민혁", "text": "애들 학교는 누가 데려다줘"}, {"speaker": "다인", "text": text}]
    return actors_of(segs, written_hit(1, text, word, tag, ground, model=model), SPOUSES_H, HUSBAND_CLIENT)


# ------------------------------------------------------------------ leaving it to the one spoken to
def test_leaving_the_money_to_the_other_is_the_speakers_desertion() -> None:
    assert _husband_to_wife("용돈은 니가 나가서 벌어 쓰던가", "용돈", "생활비 미지급", "840-2", model=True) == {"opponent"}
    assert _husband_to_wife("니가 알아서 해결해. 난 이제 한 푼도 안 줘", "한 푼도 안 줘", "생활비 미지급", "840-2") \
        == {"opponent"}
    assert _wife_to_husband("애들은 당신이 키우든지 시설에 보내든지", "애들은", "가출", "840-2", model=True) == {"opponent"}
    assert _wife_to_husband("당신 알아서 챙겨. 나는 이 집에 다시 안 와", "다시 안 와", "가출", "840-2") == {"opponent"}


def test_a_question_or_another_ground_is_not_read_as_leaving_it_to_the_other() -> None:
    # Asked, not told: no desertion the speaker owns by these words.
    assert _husband_to_wife("니가 알아서 한다며? 생활비 안 보냈어?", "생활비 안 보냈어", "생활비 미지급", "840-2") \
        != {"opponent"}
    # A blow is not a desertion: the dismissive words do not make the speaker the one who struck.
    assert _husband_to_wife("니가 알아서 맞든가. 어제 나를 밀쳤잖아", "밀쳤", "폭행", "840-3") != {"opponent"}


# ------------------------------------------------------------------ reminding the one spoken to with "-잖아"
def test_reminding_the_other_of_their_act_is_the_other_s_act() -> None:
    # The husband (opponent) reminds the wife (client): her act.
    assert _husband_to_wife("당신 지난주에 손님들 앞에서 나한테 병신이라 그랬잖아", "병신", "폭언", "840-3") == {"client"}
    # A first-person subordinate clause before it does not make it the speaker's (the model's whole-line read).
    assert _husband_to_wife("내가 퇴근하고 들어오면 현관에서 소리부터 지르잖아 당신", "소리부터", "폭언", "840-3", model=True) \
        == {"client"}
    assert _wife_to_husband("나 입원했을 때 당신 그 여자랑 여행 갔잖아", "여행", "외도", "840-1", model=True) == {"client"}


def test_a_reminder_with_the_speaker_or_someone_else_as_subject_is_not_read_as_the_other_s() -> None:
    def reminds(text: str) -> bool:
        return _reminds_addressee(written_hit(0, text, text, "폭언", "840-3", model=True), text)

    assert reminds("당신 어제 애들 앞에서 소리 질렀잖아")
    # The speaker a subject after the addressee, or after "-잖아".
    assert not reminds("당신 그러면 내가 가만 안 둔다고 말했잖아")
    assert not reminds("당신이 먼저 밀었잖아 그래서 나도 밀친 거야")
    # Someone else named as the subject.
    assert not reminds("당신 동생이 나한테 쌍욕 했잖아")
    # A possessive "니", and a state rather than an act.
    assert not reminds("문 잠갔어 니 방 아니잖아")
    # Asked.
    assert not reminds("당신 어제 애들 앞에서 소리 질렀잖아?")
    # Two reminders in one line: not read by this rule.
    assert not reminds("당신 소리 질렀잖아. 나도 참았잖아")


# ------------------------------------------------------------------ a third person telling of a spouse's injury
def _neighbour_writes(line: str, word: str) -> set[str]:
    """`line` in a 사실확인서 a neighbour of the client (the wife in WIFE_CLIENT) wrote: a rule's hit on `word`."""
    segs = [{"text": "사실확인서"}, {"text": "작성자: 옆집 주민"}, {"text": line}]
    return actors_of(segs, written_hit(2, line, word, "폭행", "840-3"), {AUTHOR_KEY: "third_party"}, WIFE_CLIENT)


def test_a_spouse_named_with_an_injury_by_a_third_person_is_the_one_hurt() -> None:
    assert _neighbour_writes("의뢰인이 이마에 상처가 난 채로 계단에 앉아 있었고 남편한테 밀렸다고 했습니다", "상처가 난") \
        == {"opponent"}
    # Nobody named as the doer: unknown, not the one hurt.
    assert _neighbour_writes("아침에 의뢰인이 손목에 멍이 든 것을 보았습니다", "멍이 든") == {"unknown"}


# ------------------------------------------------------------------ a threat on the other's condition
def test_a_threat_after_the_other_s_condition_is_the_speakers() -> None:
    assert _husband_to_wife("당신 또 술 먹고 들어오면 멱살 잡고 끌어낸다", "멱살 잡", "폭행", "840-3") == {"opponent"}
    assert _wife_to_husband("니가 애들 데려가면 머리채 잡고 끌고 온다", "머리채 잡", "폭행", "840-3") == {"opponent"}


def test_an_act_inside_the_other_s_condition_is_not_the_speakers() -> None:
    # The hit is the condition itself: the threat's harm is not what the rule found.
    assert _husband_to_wife("당신 나 또 밀치면 경찰 부른다", "밀치", "폭행", "840-3") != {"opponent"}
    # A dare to the one spoken to ("… 싶으면 때려봐"): no harm the speaker threatens.
    assert _husband_to_wife("당신 나 그렇게 때리고 싶으면 때려봐", "때려", "폭행", "840-3") != {"opponent"}


# ------------------------------------------------------------------ not paying, owned at the line's head
def test_not_paying_owned_at_the_head_is_the_speakers_despite_the_excuse() -> None:
    line = "응 못 줬어. 당신이 월급 통장 다 가져갔는데 무슨 돈으로 줘"
    assert _husband_to_wife(line, line, "생활비 미지급", "840-2", model=True) == {"opponent"}
    line = "ㅇㅇ 이번 달 안 보냈어 나도 쓸 돈이 없는데 어떡해"
    assert _wife_to_husband(line, line, "생활비 미지급", "840-2", model=True) == {"opponent"}


def test_not_paying_asked_back_is_not_owned() -> None:
    line = "응? 안 보냈다고? 당신이 한 푼도 안 보냈잖아"
    assert _husband_to_wife(line, line, "생활비 미지급", "840-2", model=True) != {"opponent"}


# ------------------------------------------------------------------ words the other is told to pass on
def test_telling_the_other_to_pass_the_same_words_to_their_parent_is_the_speakers_insult() -> None:
    for text in ["장인어른한테도 똑같이 전해라", "니 엄마한테 내 말 그대로 전해", "장모님께도 고대로 좀 전해 드려"]:
        assert _husband_to_wife(text, text[:4], "부모에 대한 폭언", "840-4", model=True) == {"opponent"}, text
    # Asking the other to pass on a message of one's own is no act at all of the one asked.
    assert _wife_to_husband("어머님께 똑같이 전해 주세요 저 안 간다고", "어머님", "부모에 대한 폭언", "840-4",
                            model=True) == {"opponent"}
