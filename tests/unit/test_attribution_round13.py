"""Round 13: acts filed on the wrong side on the retired dev sets attrib…attrib4 (read with `--errors`), by mechanism.

Words reported with the one they were said to; proof of an affair the teller saw or secured; an admission at a line's
head beside the other's affair; an insult closing a line; an injury the teller came away with; a relative telling of
marks; a 녹취록 voice keyed as a party's relative; a paper naming a party's parent as subject; "나 찾지 마"; an excuse
thrown back with the words; a lover speaking of "us"; a reason clause ending "-ㄴ 겁니다". Hits are written out
(`tests/support/hits.py`) so these tests read attribution, not the labeller; every line is written for these tests.
"""

from __future__ import annotations

from leh.analysis.actor import _order_obtained, _proof_of_affair
from leh.analysis.attribution import attribute
from leh.analysis.labels import Hit
from leh.analysis.speakers import transcript_kin_voices
from leh.domain.parties import AUTHOR_KEY, Parties, Person
from tests.support.hits import actors_of, written_hit

# The client is the wife in WIFE_CLIENT, the husband in HUSBAND_CLIENT.
WIFE_CLIENT = Parties(Person("남궁서진", ("아내", "서진")), Person("피도윤", ("남편", "도윤")), client_side="plaintiff")
HUSBAND_CLIENT = Parties(Person("석규현", ("남편", "규현")), Person("육보미", ("아내", "보미")), client_side="defendant")
PAPER = {AUTHOR_KEY: "client"}
SPOUSES_W = {"서진": "client", "도윤": "opponent"}
SPOUSES_H = {"규현": "client", "보미": "opponent"}


def _sides(segs: list[dict[str, str]], hit: Hit, roles: dict[str, str], parties: Parties) -> set[tuple[str, str]]:
    """(actor, favours) of the labels `attribute` derives from one written hit."""
    rows = [{"seq": i, "kind": "speech" if s.get("speaker") else "text", **s} for i, s in enumerate(segs)]
    out = attribute(rows, [hit], parties=parties, speakers_map=roles, event_time=None,  # type: ignore[arg-type]
                    speakers=sorted({s["speaker"] for s in segs if s.get("speaker")}))
    return {(str(lb["actor"]), str(lb["favours"])) for lb in out["labels"]}


def _wife_says(text: str, tag: str = "폭언", ground: str = "840-3", *, to_friend: bool = False,
               word: str | None = None) -> set[str]:
    """`text` said by the wife (the client) to her husband (or to a friend): the model's whole-line read, or a rule's
    hit on `word`."""
    other = "친구" if to_friend else "도윤"
    roles = {"서진": "client", other: "third_party" if to_friend else "opponent"}
    segs = [{"speaker": other, "text": "무슨 일 있었어"}, {"speaker": "서진", "text": text}]
    hit = written_hit(1, text, word or text, tag, ground, model=word is None)
    return actors_of(segs, hit, roles, WIFE_CLIENT)


def _husband_says(text: str, tag: str = "폭언", ground: str = "840-3", *, word: str | None = None,
                  mode: str = "report") -> set[str]:
    """`text` said by the husband (the client in HUSBAND_CLIENT) to his wife."""
    segs = [{"speaker": "보미", "text": "말 좀 해봐"}, {"speaker": "규현", "text": text}]
    hit = written_hit(1, text, word or text, tag, ground, model=word is None, mode=mode)
    return actors_of(segs, hit, SPOUSES_H, HUSBAND_CLIENT)


# ------------------------------------------------------------------ words and to whom they were said
def test_words_said_to_the_speaker_are_not_the_speakers() -> None:
    # An in-law named as the one who said them: the opponent's family.
    assert _wife_says("나 어이가 없어서. 시누가 나한테 집안 망신 다 시키는 년이라고 했어", to_friend=True) == {"third_party"}
    assert _husband_says("아 진짜. 장모님이 나보고 밥값도 못하는 놈이라 하더라") == {"third_party"}
    assert _wife_says("시어머님이 어제 나한테 또 '근본 없는 년'이라고 했어") == {"third_party"}
    # Nobody named, between the spouses: the one spoken to said them.
    assert _wife_says("나 다 기억해. 어젯밤에 나한테 거지 같은 년이라고 했어") == {"opponent"}
    # Nobody named, told to a friend: who said them is not known (never the teller).
    assert _wife_says("나 그거 알아. 어제는 나한테 직접 쓸모없는 년이라고 했어", to_friend=True) == {"unknown"}
    # Someone no party word names ("엄마가"): unknown.
    assert _wife_says("나 속상해. 엄마가 나보고 게으른 년이라고 하더라") == {"unknown"}


def test_words_said_to_someone_else_with_no_subject_are_the_speakers() -> None:
    assert _husband_says("그래 니 엄마한테 늙은 여우라고 했어 어쩔래", "부모에 대한 폭언", "840-4") == {"client"}
    segs = [{"speaker": "규현", "text": "장인어른한테 전화 왔었어"},
            {"speaker": "보미", "text": "어제 니 아빠 전화했더라 그 영감한테 다신 전화 말라고 했어"}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "부모에 대한 폭언", "840-4", model=True)
    assert actors_of(segs, hit, SPOUSES_H, HUSBAND_CLIENT) == {"opponent"}
    # Words said to the speaker's own parent, told as a thing done, are the other's ("…라고 한 거").
    assert _wife_says("우리 엄마한테 사기꾼 할망구라고 한 거 엄마가 다 적어놨대", "부모에 대한 폭언", "840-4") == {"opponent"}
    # Someone named as the subject: not the speaker's.
    assert _wife_says("당신 동생이 우리 아빠한테 꺼지라고 했어", "부모에 대한 폭언", "840-4") != {"client"}


# ------------------------------------------------------------------ the affair and its proof
def test_proof_of_the_affair_seen_or_secured_is_the_others_affair() -> None:
    for text in ["회사 동료랑 여보 자기 하더라? 내가 메시지 다 봤어", "내가 블랙박스 영상 다 확보했어 더 할 말 있어",
                 "그래 봤어 니 폰에 그 남자랑 호텔 앞에서 찍은 사진까지"]:
        assert _husband_says(text, "외도", "840-1") == {"opponent"}, text
    # A paper: the topic secured it ("의뢰인은 … 영상을 확보함"), the other did it.
    segs = [{"text": "상담 메모"}, {"text": "의뢰인은 남편 차 블랙박스에서 모텔 출입 영상을 확보함."}]
    hit = written_hit(1, segs[1]["text"], "모텔", "숙박", "840-1")
    assert actors_of(segs, hit, PAPER, WIFE_CLIENT) == {"opponent"}
    # The one in the photo named, the writer found it.
    segs[1] = {"text": "남편이 그 여성과 부산으로 여행 다녀온 사진을 입수했다고 함."}
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "외도", "840-1", model=True)
    assert actors_of(segs, hit, PAPER, WIFE_CLIENT) == {"opponent"}


def test_proof_seen_by_the_one_spoken_to_or_asked_is_no_proof() -> None:
    # "니가 … 봤잖아" reproaches the other for looking; "사진 봤어?" asks: neither says who had the affair.
    for text in ["니가 내 카톡 몰래 봤잖아 그래 나 그 사람 만나", "그 사람이랑 찍은 사진 봤어?", "당신이 내 문자 다 봤다며"]:
        hit = written_hit(1, text, text, "외도", "840-1", model=True)
        assert _proof_of_affair(hit, text, "client", {"client", "opponent"}, "규현", None) is None, text
    text = "내가 문자 다 봤어 더 할 말 있어"
    hit = written_hit(1, text, text, "외도", "840-1", model=True)
    assert _proof_of_affair(hit, text, "client", {"client", "opponent"}, "규현", None) is not None
    # In a chat without the other spouse (the lover's), the proof rule does not read it.
    assert _proof_of_affair(hit, text, "client", {"client", "third_party"}, "규현", None) is None


def test_an_admission_at_the_head_does_not_make_the_others_affair_the_speakers() -> None:
    # "그래 긁었어 당신이 그 여자한테 …": the head owns the spending, the affair told is the other's.
    assert _wife_says("그래 결제했어 당신이 그 여자한테 사준 목걸이 값만큼", "외도", "840-1") == {"opponent"}
    # "근데 당신도 … 바람 폈잖아": the head owns an affair too; both spouses' affairs.
    assert _wife_says("응 다녀왔어 근데 너도 회사 여직원이랑 바람 폈잖아", "외도", "840-1", word="바람") == {"client", "opponent"}
    # Without "you too" the head's admission is not read as an affair.
    assert _wife_says("응 다녀왔어 근데 너 회사 여직원이랑 바람 폈잖아", "외도", "840-1", word="바람") == {"opponent"}


def test_a_lover_speaking_of_us_is_the_affair_of_the_spouse_in_the_chat() -> None:
    roles = {"규현": "client", "상간녀": "third_party"}
    segs = [{"speaker": "규현", "text": "오늘 늦게 나갈 수 있어"}, {"speaker": "상간녀", "text": "자기 우리 그 호텔 또 가자 ㅎㅎ"}]
    hit = written_hit(1, segs[1]["text"], "호텔", "숙박", "840-1", model=True)
    assert actors_of(segs, hit, roles, HUSBAND_CLIENT) == {"client"}
    # The lover telling the client of the spouse ("오빠가 …"): the opponent's affair, as before.
    roles = {"서진": "client", "상간녀": "third_party"}
    segs = [{"speaker": "서진", "text": "누구세요?"}, {"speaker": "상간녀", "text": "오빠가 언니랑 끝났다고 하던데 우리 사이 몰라요?"}]
    hit = written_hit(1, segs[1]["text"], "오빠", "외도", "840-1", model=True)
    assert actors_of(segs, hit, roles, WIFE_CLIENT) == {"opponent"}


# ------------------------------------------------------------------ insults, injuries and marks
def test_an_insult_closing_the_line_is_the_speakers() -> None:
    for text in ["그래 너 잘났다 이 돼지 같은 년아", "알았으니까 꺼져 이 한심한 인간아"]:
        assert _husband_says(text) == {"client"}, text
    # An insult put back as the other's words is not the speaker's.
    assert _husband_says("그래서 나보고 이 멍청한 놈아 라고 한 거야?") == {"opponent"}


def test_an_excuse_thrown_back_with_the_words_makes_them_the_others() -> None:
    for text, word in [("개같은 년 꺼져 이게 장난이야?", "개같은"), ("병신 같은 게 이게 홧김이야?", "병신")]:
        assert _husband_says(text, word=word, mode="utterance") == {"opponent"}, text
    # Without the excuse the words are the speaker's.
    assert _husband_says("개같은 년 꺼져", word="개같은", mode="utterance") == {"client"}


def test_an_injury_the_teller_came_away_with_is_the_others_act() -> None:
    assert _wife_says("지난주 안방에서. 팔에 멍까지 들었고", "폭행") == {"opponent"}
    assert _wife_says("밀쳐서 내가 벽에 머리 부딪혔잖아", "폭행") == {"opponent"}
    # Someone else hurt, or hearsay: not the teller's injury.
    assert _wife_says("애가 팔에 화상 입었어 당신 때문에", "폭행") != {"client"}


def test_a_relative_telling_of_marks_tells_of_the_act_on_their_kin() -> None:
    roles = {"규현": "client", "장모": "third_party"}
    segs = [{"speaker": "규현", "text": "장모님 그건 오해십니다"}, {"speaker": "장모", "text": "오해는 무슨 얼굴에 피멍이 그대로던데"}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "폭언", model=True)
    assert _sides(segs, hit, roles, HUSBAND_CLIENT) == {("client", "opponent")}
    # The client's own mother telling of marks on her daughter: the opponent did it.
    roles = {"서진": "client", "엄마": "third_party", "도윤": "opponent"}
    segs = [{"speaker": "서진", "text": "엄마 나 괜찮아"}, {"speaker": "엄마", "text": "괜찮긴 뭐가 괜찮아 팔에 멍이 시퍼렇던데"}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "폭언", model=True)
    assert _sides(segs, hit, roles, WIFE_CLIENT) == {("opponent", "client")}


# ------------------------------------------------------------------ papers and recordings
def test_a_voice_keyed_as_a_partys_relative_is_that_side_speaking() -> None:
    segs = [{"text": "녹취록 (처가 거실)"}, {"text": "화자 1 이름: 석규현 (피고) / 화자 2 이름: 육보미 (원고) / 화자 3 이름: 육보미의 모"},
            {"text": "화자 3: 자네 같은 게 우리 집 사위라니 창피해서 못 살겠네"}]
    assert transcript_kin_voices(segs, HUSBAND_CLIENT) == {"화자3": "opponent"}
    hit = written_hit(2, segs[2]["text"], segs[2]["text"], "폭언", model=True)
    assert _sides(segs, hit, PAPER, HUSBAND_CLIENT) == {("third_party", "client")}
    segs[1] = {"text": "화자 1: 남궁서진, 화자 2: 피도윤, 화자 3: 피도윤 어머니"}
    assert transcript_kin_voices(segs, WIFE_CLIENT) == {"화자3": "opponent"}
    # A voice keyed by a name no party has: nobody's relative.
    segs[1] = {"text": "화자 3 이름: 김정란의 모"}
    assert transcript_kin_voices(segs, WIFE_CLIENT) == {}


def test_a_partys_parent_named_as_subject_in_a_paper_is_that_sides_family() -> None:
    segs = [{"text": "상담 메모 (가사팀)"},
            {"text": "의뢰인은 상대방의 모친(시어머니)이 의뢰인에게 \"애는 두고 나가라\"고 협박한 문자를 보관 중."}]
    hit = written_hit(1, segs[1]["text"], "협박", "협박")
    assert _sides(segs, hit, PAPER, WIFE_CLIENT) == {("third_party", "client")}
    segs[1] = {"text": "원고의 부친이 의뢰인에게 욕설을 퍼부었다고 함."}
    hit = written_hit(1, segs[1]["text"], "욕설", "폭언")
    assert actors_of(segs, hit, PAPER, HUSBAND_CLIENT) == {"third_party"}


# ------------------------------------------------------------------ leaving, and a reason clause
def test_not_to_be_looked_for_is_the_speaker_leaving() -> None:
    for text in ["애들은 당신이 키워 나 찾지 마", "이제 끝이야 나 찾지 말고 잘 살아"]:
        assert _wife_says(text, "가출", "840-2") == {"client"}, text
    # "내 폰 찾지 마" is no leaving (nothing the rule reads).
    assert _wife_says("내 폰 찾지 마 당신이 가져갔잖아", "가출", "840-2") != {"client"}


def test_the_one_spoken_to_as_subject_of_a_reason_clause_ending_in_a_formal_ending() -> None:
    # The learned model reads such a line as an utterance: the reason clause still tells the other's act.
    assert _husband_says("팔은 당신이 제 목을 할퀴어서 잡은 겁니다", mode="utterance") == {"opponent"}
    assert _husband_says("그건 니가 내 얼굴 먼저 때려서 막은 겁니다", mode="utterance") == {"opponent"}


# ------------------------------------------------------------------ a short reply and the question it answers
def _reply(question: str, answer: str, *, noun: str | None = None, asker: str = "서진") -> set[str]:
    """`answer` by the other spouse right after `asker`'s `question` (WIFE_CLIENT: 서진 the client, 도윤 the opponent):
    a rule's hit on the noun `noun` (a rule naming a noun only), else the learned model's read of the whole line."""
    replier = "도윤" if asker == "서진" else "서진"
    segs = [{"speaker": asker, "text": question}, {"speaker": replier, "text": answer}]
    if noun is None:
        hit = written_hit(1, answer, answer, "폭행", model=True)
    else:
        start = answer.index(noun)
        hit = Hit(seq=1, tag="도박", ground="840-6", weight=0.85, mode="report", start=start, end=start + len(noun),
                  rule=f"{noun}/NNG", agent="unknown", admission=False)
    return actors_of(segs, hit, SPOUSES_W, WIFE_CLIENT)


def test_a_short_reply_is_the_act_of_the_one_the_question_asked_about() -> None:
    # Asked how much the husband lost: his answer names the game, his act.
    assert _reply("이번엔 얼마나 잃었는데", "삼백... 바카라로", noun="바카라") == {"opponent"}
    assert _reply("어디서 그렇게 날렸는데?", "강원랜드 바카라", noun="바카라") == {"opponent"}
    # The asker the subject ("내가 언제 …"): the answer tells the asker's act.
    assert _reply("내가 언제 밀었는데", "지난달 현관에서 신발장 쪽으로", asker="도윤") == {"opponent"}
    # No such question (a reproach with 왜, "얼마 전에"), or a reply naming its subject: read as after no question.
    for question in ["왜 또 그랬어", "얼마 전에 그 돈 어디 갔어"]:
        assert _reply(question, "삼백... 바카라로", noun="바카라") == _reply("밥은 먹었어", "삼백... 바카라로", noun="바카라")
    assert _reply("이번엔 얼마나 잃었는데", "니가 바카라 하라며", noun="바카라") == \
        _reply("밥은 먹었어", "니가 바카라 하라며", noun="바카라")


# ------------------------------------------------------------------ reported acts and their remedy
def test_a_party_named_as_the_one_who_reported_an_act_did_not_do_it() -> None:
    # A friend to the husband (the client): "보미 씨가 너 밀쳤다고 고소했다며" — his wife reported, he did it.
    roles = {"규현": "client", "동창": "third_party"}
    for text, word in [("보미씨가 너 밀쳤다고 경찰에 신고했다며", "밀쳤"), ("보미가 어제 너 때렸다고 여기저기 말하고 다니더라", "때렸")]:
        segs = [{"speaker": "동창", "text": text}, {"speaker": "규현", "text": "그래서?"}]
        hit = written_hit(0, text, word, "폭행")
        assert actors_of(segs, hit, roles, HUSBAND_CLIENT) == {"client"}, text
    # "나" in between reads either way round: the one named stays the doer, as before.
    segs = [{"speaker": "동창", "text": "보미씨가 나 때렸다고 신고했대"}, {"speaker": "규현", "text": "뭐?"}]
    hit = written_hit(0, segs[0]["text"], "때렸", "폭행")
    assert actors_of(segs, hit, {"규현": "client", "동창": "third_party"}, HUSBAND_CLIENT) == {"opponent"}
    # No pronoun in between: the named one may have done it; the rule says nothing.
    segs = [{"speaker": "동창", "text": "보미씨가 때렸다고 신고했다며"}, {"speaker": "규현", "text": "응"}]
    hit = written_hit(0, segs[0]["text"], "때렸", "폭행")
    assert actors_of(segs, hit, {"규현": "client", "동창": "third_party"}, HUSBAND_CLIENT) == {"opponent"}


def test_the_speaker_paying_for_the_others_act_does_not_own_it() -> None:
    for text in ["작년에 카드론까지 쓴 거 내가 갚았잖아", "니 도박빚 내가 다 막았어 기억 안 나?"]:
        assert _wife_says(text, "경제적 갈등", "840-6") == {"opponent"}, text
    # The speaker's own debt, owned: still the speaker's.
    assert _wife_says("내가 카드론 쓴 건 맞아", "경제적 갈등", "840-6") == {"client"}


def test_a_protective_order_the_teller_obtained_is_against_the_others_abuse() -> None:
    for text in ["오늘 가정법원에서 접근금지 결정문 받았어", "임시조치 결정 나왔어 이제 집 근처 못 와"]:
        assert _wife_says(text, "폭행") == {"opponent"}, text
    # Said of the one spoken to: not the rule's.
    segs = [{"speaker": "도윤", "text": "뭐"}, {"speaker": "서진", "text": "당신 접근금지 받았잖아 오지 마"}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "폭행", model=True)
    assert _order_obtained(hit, segs[1]["text"], "client") is None


# ------------------------------------------------------------------ 어머님/아버님 as the subject (coordinator, round 13)
def test_a_spouse_speaking_of_어머님_or_아버님_as_subject_means_the_other_spouses_parent() -> None:
    # A daughter-in-law's 어머님 is her husband's mother; a son-in-law's 아버님 his wife's father: a third person on the
    # side of the one spoken to, so the client's parent's act against the opponent is the opponent's ground (a risk).
    assert _husband_says("아버님이 어제 전화로 나한테 사기꾼 집안이라고 하셨어") == {"third_party"}
    assert _wife_says("어머님께서 제사 때 친척들 앞에서 저를 식모 취급하셨어요") == {"third_party"}
    # The speaker's own parent ("우리 어머님") and the spouse named after the parent are other readings.
    assert _wife_says("우리 어머님이 보는 앞에서 당신이 나한테 미친년이라고 했잖아") != {"third_party"}
    # 어머님 as a witness or a peacemaker in another sentence is not the doer of the act told.
    assert _wife_says("어머님이 말리셨잖아. 나 이마 꿰맸어", tag="폭행") != {"third_party"}
    assert _wife_says("어제 당신이 나한테 재떨이 던진 거, 어머님도 다 보셨어", tag="폭행") != {"third_party"}
