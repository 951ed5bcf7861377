"""Who did what, from the wrong-side errors on the second attribution set once it was retired (round 8): the one
spoken to accused of a done act, announcements after a question, -이 adverbs and "당신이랑" that name nobody, the
owner of an act's object, the missing spouse, passives in a firm's note, the writer's own act and the writer's body
as the object, words reported with a final -고.

The labeller's hits are written out (`_hit`), so that these tests read attribution alone.
"""

from __future__ import annotations

import pytest

from leh.analysis.attribution import attribute
from leh.analysis.labels import Hit
from leh.domain.parties import AUTHOR_KEY, Parties, Person
from tests.support.hits import actors_of
from tests.support.hits import written_hit as _hit

PARTIES = Parties(client=Person("문가영", ("아내",)), opponent=Person("진태오", ("남편",)))
CHAT = {"가영": "client", "태오": "opponent"}
FIRM = {AUTHOR_KEY: "third_party"}  # the firm's own note


def _actor(segs: list[dict[str, str]], hit: Hit, roles: dict[str, str]) -> set[str]:
    return actors_of(segs, hit, roles, PARTIES)


def _said(speaker: str, text: str, word: str, tag: str, ground: str = "840-3", **kw: object) -> set[str]:
    chat = [{"speaker": "가영" if speaker == "태오" else "태오", "text": "왜"}, {"speaker": speaker, "text": text}]
    return _actor(chat, _hit(1, text, word, tag, ground, **kw), CHAT)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "word", "tag", "ground", "mode"), [
    ("지난주에 니가 내 팔 꼬집은 거 멍 좀 봐", "꼬집", "폭행", "840-3", "utterance"),
    ("너 그때 애들 앞에서 나한테 미친놈이라 그랬지", "미친놈", "폭언", "840-3", "utterance"),
    ("당신이 우리 엄마한테 퍼부은 말 다 녹음했어", "퍼부은", "부모에 대한 폭언", "840-4", "report"),
    ("너 그 여자랑 호텔 간 거 내가 모를 줄 알았냐", "호텔", "외도", "840-1", "report"),
    ("니가 나한테 컵 던진 거 다 신고할 거야", "던진", "폭행", "840-3", "report"),
])
def test_the_one_spoken_to_accused_of_a_done_act_did_it(text: str, word: str, tag: str, ground: str,
                                                          mode: str) -> None:
    assert _said("태오", text, word, tag, ground, mode=mode, model=True) == {"client"}
    assert _said("가영", text, word, tag, ground, mode=mode, model=True) == {"opponent"}


@pytest.mark.parametrize("text", ["너 같은 건 사람도 아니야", "당신 엄마한테 전해. 늙은 게 주제도 모르고", "너 오늘 들어오면 죽는 거야"])
def test_an_insult_or_threat_to_the_one_spoken_to_stays_the_speakers(text: str) -> None:
    tag = "협박" if "죽는" in text else "모욕"
    assert _said("태오", text, text.split()[1], tag, mode="utterance", model=True) == {"opponent"}


def test_an_announcement_after_a_question_is_the_speakers() -> None:
    text = "내 말 안 들려? 니 친구들한테 전부 돌릴 거야"
    assert _said("태오", text, "돌릴", "폭언", model=True) == {"opponent"}
    # A question alone announces nothing: "…돌릴 거야?" is asked of the other.
    assert _said("태오", "니 친구들한테 전부 돌릴 거야?", "돌릴", "폭언", model=True) == {"client"}


@pytest.mark.parametrize(("text", "word"), [("그 여자랑 같이 지낸다. 됐지", "같이 지낸다"),
                                            ("나 이제 당신이랑 못 살아 짐 챙겨서 나간다", "나간다")])
def test_adverbs_and_with_you_name_no_other_subject(text: str, word: str) -> None:
    ground, tag = ("840-1", "외도") if "여자" in text else ("840-2", "가출")
    assert _said("태오", text, word, tag, ground) == {"opponent"}


def test_the_owner_of_the_acts_object_did_not_act() -> None:
    lines = [{"text": "상담일지 담당: 최 사무장"},
             {"text": "의뢰인도 말다툼 중 상대방의 노트북을 바닥에 던져 부순 적이 있다고 인정함"}]
    thrown = _hit(1, lines[1]["text"], "노트북을 바닥에 던져", "폭행", admission=True)
    assert _actor(lines, thrown, FIRM) == {"client"}
    # The genitive before the act's own noun still names its doer.
    lines[1] = {"text": "의뢰인은 상대방의 폭언에 시달렸다고 함"}
    assert _actor(lines, _hit(1, lines[1]["text"], "폭언", "폭언"), FIRM) == {"opponent"}


def test_the_missing_spouse_is_the_one_named_in_the_genitive_or_absent_from_the_chat() -> None:
    note = [{"text": "상담일지 담당: 최 사무장"}, {"text": "의뢰인은 5년째 상대방의 생사를 알지 못한다고 함"}]
    assert _actor(note, _hit(1, note[1]["text"], "생사", "실종", "840-5"), FIRM) == {"opponent"}
    chat = [{"speaker": "가영", "text": "도련님 형 소식 있어요?"}, {"speaker": "시동생", "text": "형이 살아는 있는지 모르겠어요"}]
    hit = _hit(1, chat[1]["text"], "살아는", "연락 두절", "840-5", model=True)
    assert _actor(chat, hit, {"가영": "client", "시동생": "third_party"}) == {"opponent"}


def test_the_client_pushed_by_the_other_in_a_firms_note() -> None:
    note = [{"text": "상담일지 담당: 최 사무장"}, {"text": "의뢰인은 그날 상대방에게 떠밀려 계단에서 굴렀다고 함"}]
    assert _actor(note, _hit(1, note[1]["text"], "떠밀려", "폭행", model=True), FIRM) == {"opponent"}


def test_the_writers_own_act_and_the_writers_body_as_the_object() -> None:
    own = [{"text": "진술서 (원고 문가영 작성)"}, {"text": "저는 참다못해 남편의 어깨를 주먹으로 쳤습니다."}]
    assert _actor(own, _hit(1, own[1]["text"], "쳤", "폭행"), {}) == {"client"}
    too = [{"text": "진술서 (원고 문가영 작성)"}, {"text": "저 역시 남편에게 \"한심한 인간\"이라고 고함친 적이 있습니다."}]
    assert _actor(too, _hit(1, too[1]["text"], "고함친", "폭언"), {}) == {"client"}
    # "제가 … 따지자 … 제 팔을 비틀었습니다": the labeller's self subject is the clause's, the act was done to her.
    hurt = [{"text": "진술서 (원고 문가영 작성)"}, {"text": "제가 늦은 이유를 묻자 남편은 \"닥쳐\"라며 제 팔을 비틀었습니다."}]
    hit = _hit(1, hurt[1]["text"], "비틀었", "폭행", agent="self", admission=True)
    assert _actor(hurt, hit, {}) == {"opponent"}
    # A clause of someone else's between the writer and the act: not the writer's.
    other = [{"text": "진술서 (원고 문가영 작성)"}, {"text": "제가 전화를 받자 그 사람은 식탁을 내리쳤습니다."}]
    assert _actor(other, _hit(1, other[1]["text"], "내리쳤", "폭행"), {}) == {"opponent"}


def test_words_reported_with_a_final_quotative_are_the_one_reported() -> None:
    roles = {"가영": "client", "엄마": "third_party"}
    chat = [{"speaker": "엄마", "text": "태오가 전화로 나한테 소리를 지르더라"}, {"speaker": "가영", "text": "뭐라고 했는데"},
            {"speaker": "엄마", "text": "딸 교육 똑바로 시키라고 노망난 거 아니냐고"}]
    hit = _hit(2, chat[2]["text"], "노망난", "부모에 대한 폭언", "840-4", mode="utterance", model=True)
    assert _actor(chat, hit, roles) == {"opponent"}


def test_an_in_law_speaking_in_the_clients_transcript_is_the_opponents_family() -> None:
    parties = Parties(client=Person("문가영", ("남편",)), opponent=Person("진태오", ("아내",)))
    lines = [{"text": "녹취록 (휴대전화 녹음)"}, {"text": "장모: 이 사람이 정말 보자 보자 하니까"},
             {"text": "장모: (문 닫는 소리) 정신 차려 이 멍청아"}]
    rows = [{"seq": i, "kind": "text", **s} for i, s in enumerate(lines)]
    hit = _hit(2, lines[2]["text"], "멍청아", "폭언", mode="utterance")
    [label] = attribute(rows, [hit], parties=parties, speakers_map={}, event_time=None, speakers=[])["labels"]
    assert (label["actor"], label.get("actor_side"), label["favours"]) == ("third_party", "opponent", "client")


def test_the_speaker_after_a_time_adverb_announces_their_own_act() -> None:
    text = "오늘부터 나 작은방에서 잔다. 말 걸지 마"
    assert _said("태오", text, "작은방", "계속적 불화", "840-6", model=True) == {"opponent"}


def test_words_the_speaker_tells_the_other_to_pass_on_are_the_speakers() -> None:
    for text in ["니 엄마한테 전해라 또 오면 문 앞에서 쫓아낸다고", "또 오면 문 앞에서 쫓아낸다고 전해 그 노인네"]:
        assert _said("태오", text, "쫓아낸다고", "부모에 대한 폭언", "840-4", mode="utterance", model=True) == {"opponent"}


def test_an_accusation_whose_act_ends_in_i_before_the_nominaliser() -> None:
    text = "너 어제 나한테 가위 들이댄 거 다 말할 거다"
    assert _said("태오", text, "들이댄", "폭행", model=True) == {"client"}


def test_an_in_laws_transcript_line_no_rule_parsed_is_still_the_in_laws() -> None:
    lines = [{"text": "녹취록 (시댁 방문)"}, {"text": "시어머니: 너는 우리 아들 등골 빼먹는 벌레야"}]
    rows = [{"seq": i, "kind": "text", **s} for i, s in enumerate(lines)]
    hit = _hit(1, lines[1]["text"], "벌레", "시댁 부당대우", model=True)
    [label] = attribute(rows, [hit], parties=PARTIES, speakers_map={}, event_time=None, speakers=[])["labels"]
    assert (label["actor"], label.get("actor_side"), label["favours"]) == ("third_party", "opponent", "client")


@pytest.mark.parametrize("text", ["멍든 팔 사진 다 찍어놨어", "어제 그 소리 전부 녹음했어"])
def test_the_speaker_keeping_proof_tells_of_the_others_act(text: str) -> None:
    assert _said("가영", text, text.split()[1], "폭행", model=True) == {"opponent"}


def test_a_quoted_insult_the_speaker_apologises_for_is_theirs() -> None:
    text = "나 당신한테 \"바보 멍청이\"라고 한 건 미안해"
    assert _said("가영", text, "멍청이", "폭언", mode="utterance") == {"client"}


def test_the_client_telling_a_friend_of_her_own_affair() -> None:
    roles = {"가영": "client", "수진": "third_party"}
    chat = [{"speaker": "수진", "text": "요즘 둘이 어때"}, {"speaker": "가영", "text": "사실 말하면 나도 재작년에 딴 남자 만났었어"}]
    assert _actor(chat, _hit(1, chat[1]["text"], "딴 남자 만났", "부적절한 만남", "840-1"), roles) == {"client"}
    chat[1] = {"speaker": "가영", "text": "나도 알아. 어제 그 여자랑 딴 남자 만났던 카페에 있더라"}
    assert _actor(chat, _hit(1, chat[1]["text"], "딴 남자 만났", "부적절한 만남", "840-1"), roles) == {"opponent"}


@pytest.mark.parametrize("text", ["남편 진태오는 제가 조금만 늦게 들어와도 욕을 퍼부었습니다.",
                                  "제가 이유를 묻자 그 사람은 식탁을 내리쳤습니다."])
def test_the_writer_as_a_subordinate_clauses_subject_did_not_act(text: str) -> None:
    lines = [{"text": "진술서 (원고 문가영 작성)"}, {"text": text}]
    word = "욕" if "욕" in text else "내리쳤"
    hit = _hit(1, text, word, "폭언" if word == "욕" else "폭행", agent="self", admission=True)
    assert _actor(lines, hit, {}) == {"opponent"}
    # The writer's own act stays hers when she is the main clause's subject.
    own = "제가 먼저 남편에게 욕을 퍼부었습니다."
    lines[1] = {"text": own}
    assert _actor(lines, _hit(1, own, "욕", "폭언", agent="self", admission=True), {}) == {"client"}


def test_a_relative_clauses_subject_is_not_the_lines_and_a_role_in_brackets() -> None:
    note = [{"text": "상담일지 담당: 최 사무장"}, {"text": "의뢰인(원고)은 피고가 문제 삼는 폭행 중 3월의 밀침은 인정함"}]
    hit = _hit(1, note[1]["text"], "밀침", "폭행", admission=True)
    assert _actor(note, hit, FIRM) == {"client"}
    # The relative clause's subject still counts when the line names no other.
    note[1] = {"text": "피고가 주장하는 폭행은 없었다고 함"}
    assert _actor(note, _hit(1, note[1]["text"], "폭행", "폭행"), FIRM) == {"opponent"}
