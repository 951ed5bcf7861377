"""Round 15: acts filed on the wrong side on the retired dev sets attrib…attrib5 (read with `--errors`), by mechanism.

A bare "나" opening a sentence or a 녹취록 line after its voice label is the speaker's own act, unless the line tells
of the teller's hurt ("나 이마 꿰맸어"). A 녹취록 voice keyed by an in-law word ("화자 1 이름: 장인 …") is the
opponent's family. A blow inside a warning's condition with harm threatened after it is the speaker's threat. A kin
speaker's 840-4 line about the family's own parent is the other spouse's act. "뭐 샀어?" asks what. The lover asking
the one spoken to out tells of that spouse's affair. A reply whose subject is a third person's pronoun owns nothing.
A loss told in the past with nobody named is the teller's. "근데 당신은 그 여자한테 …" is no reciprocal act of
another ground. A third person's own threat ("… 두고 봐") is theirs. An insult ending in an order to get out ("… 나가뿌라") is the
speaker's. Hits are written out (`tests/support/hits.py`) so these tests read attribution, not the labeller;
every line is written for these tests.
"""

from __future__ import annotations

from leh.analysis.actor import asked_doer
from leh.analysis.attribution import attribute
from leh.analysis.chat_context import context_hits
from leh.analysis.labels import Hit
from leh.analysis.morph import morphs_many
from leh.analysis.speakers import kin_key_side, transcript_kin_voices
from leh.domain.parties import AUTHOR_KEY, Parties, Person
from tests.support.hits import actors_of, written_hit

# The client is the wife in WIFE_CLIENT, the husband in HUSBAND_CLIENT.
WIFE_CLIENT = Parties(Person("하윤슬", ("아내", "윤슬")), Person("봉태민", ("남편", "태민")), client_side="plaintiff")
HUSBAND_CLIENT = Parties(Person("육성훈", ("남편", "성훈")), Person("피은채", ("아내", "은채")), client_side="defendant")
SPOUSES_W = {"윤슬": "client", "태민": "opponent"}
SPOUSES_H = {"성훈": "client", "은채": "opponent"}
PAPER = {AUTHOR_KEY: "client"}


def _husband_to_wife(text: str, word: str, tag: str, ground: str, *, model: bool = False, agent: str = "unknown") -> set[str]:
    """`text` said by the husband (the opponent in WIFE_CLIENT) to his wife, after her message."""
    segs = [{"speaker": "윤슬", "text": "그래서 어쩌자는 건데"}, {"speaker": "태민", "text": text}]
    return actors_of(segs, written_hit(1, text, word, tag, ground, model=model, agent=agent), SPOUSES_W, WIFE_CLIENT)


def _wife_to_husband(text: str, word: str, tag: str, ground: str, *, model: bool = False, agent: str = "unknown") -> set[str]:
    """`text` said by the wife (the client in WIFE_CLIENT) to her husband, after his message."""
    segs = [{"speaker": "태민", "text": "할 말 있으면 해"}, {"speaker": "윤슬", "text": text}]
    return actors_of(segs, written_hit(1, text, word, tag, ground, model=model, agent=agent), SPOUSES_W, WIFE_CLIENT)


def _sides(segs: list[dict[str, str]], hit: Hit, roles: dict[str, str], parties: Parties) -> set[tuple[str, str]]:
    rows = [{"seq": i, "kind": "speech" if s.get("speaker") else "text", **s} for i, s in enumerate(segs)]
    out = attribute(rows, [hit], parties=parties, speakers_map=roles, event_time=None,  # type: ignore[arg-type]
                    speakers=sorted({s["speaker"] for s in segs if s.get("speaker")}))
    return {(str(lb["actor"]), str(lb["favours"])) for lb in out["labels"]}


# ------------------------------------------------------------------ a bare "나"
def test_a_bare_i_opening_a_later_sentence_is_the_speakers_affair() -> None:
    assert _husband_to_wife("응 회사 동료야. 나 그 여자 좋아해", "그 여자", "외도", "840-1", model=True) == {"opponent"}
    # Without the bare "나" the line is read as before (not as the husband's own).
    assert _husband_to_wife("응 회사 동료야. 그 여자 좋아해?", "그 여자", "외도", "840-1", model=True) != {"opponent"}


def test_a_bare_i_after_a_transcripts_voice_label_is_the_voices_act() -> None:
    segs = [{"text": "녹취록 (안방, 휴대폰 녹음)"}, {"text": "화자 1 이름: 봉태민 (남편)"}, {"text": "화자 2 이름: 하윤슬 (아내)"},
            {"text": "화자 1: 그래 나 그 여자랑 여행 갔어. 어쩔 건데"}]
    hit = written_hit(3, segs[3]["text"], "그 여자랑 여행 갔", "외도", "840-1")
    assert _sides(segs, hit, PAPER, WIFE_CLIENT) == {("opponent", "client")}
    # Someone else a subject after the bare "나": not read as the voice's own.
    segs[3] = {"text": "화자 1: 그래 나 말고 그 여자가 먼저 연락했어"}
    hit = written_hit(3, segs[3]["text"], "연락했", "외도", "840-1")
    assert ("opponent", "client") not in _sides(segs, hit, PAPER, WIFE_CLIENT)


def test_a_bare_i_telling_the_tellers_own_hurt_is_not_the_doer() -> None:
    # The wife (client) shows her wound: the blow is not hers.
    assert "client" not in _wife_to_husband("시누이도 다 봤잖아. 나 턱 밑 세 바늘 꿰맸어", "꿰맸", "폭행", "840-3", model=True)
    assert "client" not in _wife_to_husband("나 그저께 당신한테 밀려서 무릎 멍 든 거 봐", "멍 든", "폭행", "840-3")
    # "나도 …" still owns an act, even beside a hurt of the speaker's.
    assert "client" in _wife_to_husband("당신이 내 팔 꺾었잖아 나도 할퀸 거야", "할퀸", "폭행", "840-3", model=True)


# ------------------------------------------------------------------ a voice keyed by an in-law word
def test_a_voice_keyed_by_an_in_law_word_is_the_opponents_family() -> None:
    segs = [{"text": "녹취록 (본가 앞)"}, {"text": "화자 1 이름: 장모 엄순례"}, {"text": "화자 2 이름: 육성훈"},
            {"text": "화자 1: 이 밥버러지 같은 놈아 우리 딸 고생만 시키고"}]
    assert transcript_kin_voices(segs, HUSBAND_CLIENT) == {"화자1": "opponent"}
    hit = written_hit(3, segs[3]["text"], segs[3]["text"], "폭언", model=True)
    assert _sides(segs, hit, PAPER, HUSBAND_CLIENT) == {("third_party", "client")}
    segs[1] = {"text": "화자 1: 시어머니"}
    assert transcript_kin_voices(segs, WIFE_CLIENT) == {"화자1": "opponent"}
    # A name that only begins like a kin word is nobody's relative.
    segs[1] = {"text": "화자 1 이름: 장인수"}
    assert transcript_kin_voices(segs, HUSBAND_CLIENT) == {}


# ------------------------------------------------------------------ a blow inside a warning's condition
def test_a_blow_inside_a_warnings_condition_is_the_speakers_threat() -> None:
    assert _husband_to_wife("한 번만 더 밀어봐 그땐 다리 부러뜨린다", "밀어", "폭행", "840-3") == {"opponent"}
    # No harm threatened after the condition: not the speaker's.
    assert _husband_to_wife("한 번만 더 밀면 그땐 신고할 거야", "밀", "폭행", "840-3") != {"opponent"}


# ------------------------------------------------------------------ a kin speaker and the family's parent
def test_a_kin_speakers_line_about_their_parent_is_the_other_spouses_act() -> None:
    # The wife's (client's) sister: "제부가 … 엄마한테": the husband's act.
    roles = {"윤슬": "client", "언니": "third_party"}
    segs = [{"speaker": "언니", "text": "너 어제 무슨 일 있었어?"},
            {"speaker": "언니", "text": "태민 씨가 어제 엄마한테 전화해서 늙은이라고 소리 질렀어"}]
    hit = written_hit(1, segs[1]["text"], "소리 질렀", "부모에 대한 폭언", "840-4")
    assert actors_of(segs, hit, roles, WIFE_CLIENT) == {"opponent"}
    # The wife's (opponent's) brother to the husband (client): "우리 아버지한테": the husband's act.
    roles = {"성훈": "client", "처남": "third_party"}
    segs = [{"speaker": "처남", "text": "얘기 좀 해요"},
            {"speaker": "처남", "text": "매형 지난주에 우리 아버지한테 노인네라고 했다며 사과하시래요"}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "부모에 대한 폭언", "840-4", model=True)
    assert actors_of(segs, hit, roles, HUSBAND_CLIENT) == {"client"}


def test_kin_key_side_reads_the_kin_word_a_speakers_key_opens_with() -> None:
    assert kin_key_side("장모 엄순례") == "opponent"
    assert kin_key_side("처남님") == "opponent"
    assert kin_key_side("오빠") == "client"
    assert kin_key_side("친구") is None
    assert kin_key_side("오빠친구") is None


# ------------------------------------------------------------------ "뭐 …?" asks what
def test_a_what_question_makes_the_short_answer_the_one_askeds() -> None:
    assert asked_doer("이번 달 카드값 육백이야. 뭐 샀어?", "client", "opponent") == "opponent"
    assert asked_doer("뭐 어때?", "client", "opponent") is None
    segs = [{"speaker": "윤슬", "text": "이번 달 카드값 육백이야. 뭐 샀어?"}, {"speaker": "태민", "text": "골프채랑 그 여자 반지"}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "외도", "840-1", model=True)
    assert actors_of(segs, hit, SPOUSES_W, WIFE_CLIENT) == {"opponent"}


# ------------------------------------------------------------------ the lover asking the spouse out
def test_the_lover_asking_the_one_spoken_to_out_is_that_spouses_affair() -> None:
    roles = {"윤슬": "client", "내연남": "third_party"}
    segs = [{"speaker": "윤슬", "text": "애들 이제 자"}, {"speaker": "내연남", "text": "그럼 잠깐 나올래? 차에서 기다릴게"}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "외도", "840-1", model=True)
    assert actors_of(segs, hit, roles, WIFE_CLIENT) == {"client"}
    # The lover naming the spouse's husband: the line is about him, read as before.
    segs[1] = {"speaker": "내연남", "text": "니 남편 오늘 나올래? 내가 할 말 있다"}
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "외도", "840-1", model=True)
    assert actors_of(segs, hit, roles, WIFE_CLIENT) != {"client"}


# ------------------------------------------------------------------ a reply naming a third person
def _reply_hits(reply: str, word: str) -> list[Hit]:
    prompt = "은채 씨도 너한테 뭐 던졌다며"
    segments = [{"seq": 0, "speaker": "친구", "text": prompt, "kind": "speech", "ts": None},
                {"seq": 1, "speaker": "성훈", "text": reply, "kind": "speech", "ts": None}]
    asked = Hit(seq=0, tag="폭행", ground="840-3", weight=0.85, mode="report", start=0, end=0, rule="model:840-3",
                agent="unknown")
    start = reply.index(word)
    own = Hit(seq=1, tag="폭행", ground="840-3", weight=0.85, mode="report", start=start, end=start + len(word),
              rule=f"{word}/rule", agent="unknown")
    return context_hits(segments, morphs_many([s["text"] for s in segments]), [[asked], [own]])


def test_a_reply_whose_subject_is_a_third_persons_pronoun_owns_nothing() -> None:
    [told] = [h for h in _reply_hits("걔가 접시 던져서 손등이 찢어졌어", "접시 던져") if h.seq == 1]
    assert told.agent == "unknown" and not told.admission
    # The same reply without the third person's subject is the replier's, as before.
    [owned] = [h for h in _reply_hits("응 접시 던졌어", "접시 던졌") if h.seq == 1]
    assert owned.agent == "speaker:성훈"


# ------------------------------------------------------------------ a loss told with nobody named
def test_a_loss_told_in_the_past_with_nobody_named_is_the_tellers() -> None:
    assert _husband_to_wife("지난주에 주식으로 이천 날렸어", "주식으로 이천 날렸", "경제적 갈등", "840-6") == {"opponent"}
    # Asked, or reproached with the one spoken to: not the speaker's.
    assert _husband_to_wife("지난주에 주식으로 이천 날렸어?", "주식으로 이천 날렸", "경제적 갈등", "840-6") != {"opponent"}
    assert _husband_to_wife("당신 지난주에 주식으로 이천 날렸지", "주식으로 이천 날렸", "경제적 갈등", "840-6") != {"opponent"}


# ------------------------------------------------------------------ "you too" naming a lover
def test_you_too_naming_a_lover_is_no_reciprocal_act_of_another_ground() -> None:
    line = "그래 내가 긁었어. 근데 당신은 그 여자한테 명품 가방 사줬잖아"
    assert _wife_to_husband(line, line, "경제적 갈등", "840-6", model=True, agent="speaker:윤슬") == {"client"}
    line = "그래 내가 긁었어. 근데 당신은 골프채 산다고 오백 썼잖아"
    assert _wife_to_husband(line, line, "경제적 갈등", "840-6", model=True, agent="speaker:윤슬") == {"client", "opponent"}


# ------------------------------------------------------------------ a third person's own threat
def test_a_third_persons_threat_is_their_own_act_not_the_one_called() -> None:
    roles = {"성훈": "client", "처제": "third_party"}
    segs = [{"speaker": "성훈", "text": "처제 왜 이래"}, {"speaker": "처제", "text": "형부 당신이 우리 언니 앞길 다 막았어. 두고 봐"}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "계속적 불화", "840-6", model=True)
    assert actors_of(segs, hit, roles, HUSBAND_CLIENT) == {"third_party"}
    # Without the threat the line tells of the act of the one called, as before.
    segs[1] = {"speaker": "처제", "text": "형부 당신이 우리 언니 앞길 다 막았어"}
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "계속적 불화", "840-6", model=True)
    assert actors_of(segs, hit, roles, HUSBAND_CLIENT) == {"client"}


# ------------------------------------------------------------------ an order to get out
def test_an_insulting_line_ending_in_an_order_to_get_out_is_the_speakers() -> None:
    for text in ["말대꾸 그만하고 니 그 꼴 보기 싫다 꺼져", "니 얼굴 보기도 싫다 당장 나가뿌라"]:
        assert _husband_to_wife(text, text, "폭언", "840-3", model=True) == {"opponent"}, text
    assert _husband_to_wife("병신 같은 게 나가", "병신", "폭언", "840-3", model=True) == {"opponent"}
    # The words asked back as hearsay: the wife's, not the husband's.
    assert _husband_to_wife("니 꼴 보기 싫다며? 나가", "꼴", "폭언", "840-3", model=True) == {"client"}
