"""Round 16: acts filed on the wrong side in chats on the retired dev sets attrib…attrib6 (read with `--errors`), by
mechanism.

Between the spouses, a 840-4 act on the speaker's own parent ("우리 엄마 …", a bare "엄마 …" opening the line) is the
other spouse's; a done act the speaker says they saw ("… 보낸 거 내가 다 봤어") is the other's. Anyone speaking of
the two of them to a spouse whose own spouse the line names as away or kept in the dark is the lover; a spouse telling
a friend their spouse "thinks it's overtime" owns the affair. A third person's hearsay about the one spoken to named
bare at the line's head ("자네 … 했다며") is that spouse's act. "또 …하면 … 뺨 날아간다" is a warning. A relative's
scorn or announced exposure read as 840-6 is their own hostility, and a relative's own sibling as the subject after
an in-law word ("형부 언니가 …") is the sibling's act. Hits are written out (`tests/support/hits.py`) so these tests
read attribution, not the labeller; every line is written for these tests.
"""

from __future__ import annotations

from leh.analysis.attribution import attribute
from leh.analysis.speakers import transcript_party
from leh.domain.parties import AUTHOR_KEY, Parties, Person
from tests.support.hits import actors_of, written_hit

# The client is the wife in WIFE_CLIENT, the husband in HUSBAND_CLIENT.
WIFE_CLIENT = Parties(Person("석미란", ("아내", "미란")), Person("변도윤", ("남편", "도윤")), client_side="plaintiff")
HUSBAND_CLIENT = Parties(Person("국태오", ("남편", "태오")), Person("염다솜", ("아내", "다솜")), client_side="defendant")
SPOUSES_W = {"미란": "client", "도윤": "opponent"}
SPOUSES_H = {"태오": "client", "다솜": "opponent"}


def _wife_to_husband(text: str, word: str, tag: str, ground: str, *, model: bool = False) -> set[str]:
    """`text` said by the wife (the client in WIFE_CLIENT) to her husband, after his message."""
    segs = [{"speaker": "도윤", "text": "또 무슨 얘기를 하려고"}, {"speaker": "미란", "text": text}]
    return actors_of(segs, written_hit(1, text, word, tag, ground, model=model), SPOUSES_W, WIFE_CLIENT)


def _third_to_client(speaker: str, text: str, word: str, tag: str, ground: str, parties: Parties, client: str,
                     *, model: bool = False, before: str = "네 말씀하세요") -> set[str]:
    """`text` said by a third person keyed `speaker` to the client (`client`: the client's key), after the client's
    message `before` (which may address them: "처형 왜 그러세요")."""
    roles = {client: "client", speaker: "third_party"}
    segs = [{"speaker": client, "text": before}, {"speaker": speaker, "text": text}]
    return actors_of(segs, written_hit(1, text, word, tag, ground, model=model), roles, parties)


# ------------------------------------------------------------------ the speaker's own parent
def test_an_act_on_the_speakers_own_parent_between_the_spouses_is_the_other_spouses() -> None:
    text = "우리 아빠 가게 앞에서 욕하고 간판 발로 찬 거 블랙박스에 다 남았어"
    assert _wife_to_husband(text, text, "부모에 대한 폭행", "840-4", model=True) == {"opponent"}
    text = "아빠 갈비뼈 금 가서 입원하셨어"
    assert _wife_to_husband(text, text, "부모에 대한 폭행", "840-4", model=True) == {"opponent"}
    # The speaker the subject ("내가 …"): read as before, the speaker's own.
    text = "내가 우리 아빠 앞에서 당신 엄마한테 소리 지른 건 잘못했어"
    assert _wife_to_husband(text, text, "부모에 대한 폭언", "840-4", model=True) == {"client"}
    # Another subject ("니네 엄마가 …"): not read as the other spouse's.
    text = "니네 엄마가 우리 아빠 멱살 잡은 거 다 알아"
    assert _wife_to_husband(text, text, "부모에 대한 폭행", "840-4", model=True) != {"opponent"}


# ------------------------------------------------------------------ the speaker saw it
def test_a_done_act_the_speaker_says_they_saw_is_the_other_spouses() -> None:
    for text in ["지난주에 그 남자한테 보고 싶다고 보낸 거 내가 다 봤어", "그 여자랑 주고받은 카톡 내가 전부 봤어"]:
        assert _wife_to_husband(text, text, "외도", "840-1", model=True) == {"opponent"}, text
    # The speaker's own act asked about: still the speaker's.
    text = "내가 그 남자한테 보낸 거 다 봤어?"
    assert "client" in _wife_to_husband(text, text, "외도", "840-1", model=True)


# ------------------------------------------------------------------ the couple and the spouse kept in the dark
def test_a_third_person_speaking_of_the_two_of_them_to_a_spouse_is_the_lover() -> None:
    text = "자기 남편 야근 몇 시까지야? 끝나기 전에 우리 둘이 드라이브 가자"
    assert _third_to_client("정우진", text, text, "외도", "840-1", WIFE_CLIENT, "미란", model=True) == {"client"}
    for text in ["우리 애기 가진 거 남편은 아직 몰라?", "남편 언제 들어와? 우리 둘이 조금만 더 있자"]:
        assert _third_to_client("정우진", text, text, "외도", "840-1", WIFE_CLIENT, "미란", model=True) == {"client"}, text
    # Without the two of them: a friend telling of the husband, the opponent's as before.
    text = "자기 남편 요즘 늦게 들어오지? 그 여자 또 만나는 거야"
    assert _third_to_client("정우진", text, text, "외도", "840-1", WIFE_CLIENT, "미란", model=True) == {"opponent"}


def test_a_spouse_telling_a_friend_their_spouse_is_kept_in_the_dark_owns_the_affair() -> None:
    roles = {"태오": "client", "동창 석규": "third_party"}
    segs = [{"speaker": "동창 석규", "text": "너 아직도 그 사람 만나?"},
            {"speaker": "태오", "text": "응 토요일마다 만나. 와이프는 동창 모임인 줄 알아"}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "외도", "840-1", model=True, agent="spouse")
    assert actors_of(segs, hit, roles, HUSBAND_CLIENT) == {"client"}
    # "와이프는 내가 모르는 줄 알아": the speaker is who does not know, the affair stays the wife's.
    segs[1] = {"speaker": "태오", "text": "와이프는 내가 모르는 줄 알아"}
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "외도", "840-1", model=True, agent="spouse")
    assert actors_of(segs, hit, roles, HUSBAND_CLIENT) == {"opponent"}


# ------------------------------------------------------------------ hearsay about the one spoken to
def test_a_third_persons_hearsay_about_the_one_spoken_to_named_bare_is_that_spouses_act() -> None:
    text = "자네 지난주에 우리 집 와서 나한테 늙은이는 빠지라고 했다며"
    assert _third_to_client("장모", text, text, "부모에 대한 폭언", "840-4", HUSBAND_CLIENT, "태오",
                            model=True) == {"client"}


# ------------------------------------------------------------------ a warning
def test_once_more_and_a_slap_flies_is_the_speakers_warning() -> None:
    text = "또 대들면 그 입에 뺨 날아갈 줄 알아"
    assert _third_to_client("시어머니", text, text, "폭행", "840-3", WIFE_CLIENT, "미란", model=True) == {"third_party"}
    # A blow inside the condition with no harm threatened after it: not the speaker's.
    assert _wife_to_husband("또 때리면 경찰 부를 거야", "때리", "폭행", "840-3") != {"client"}


# ------------------------------------------------------------------ a relative's own hostility, a relative's sibling
def test_a_relatives_scorn_read_as_discord_is_their_own_not_the_one_called() -> None:
    for text in ["제부 같은 벌레랑 사는 거 지긋지긋해", "제부 니 카드빚 얘기 처가 식구들한테 다 까발려 줄게"]:
        assert _third_to_client("처형", text, text, "경제적 갈등", "840-6", HUSBAND_CLIENT, "태오", model=True,
                                before="처형 왜 그러세요") == {"third_party"}, text
    # The act of the one called, told without scorn: theirs, as before.
    text = "제부 니 카드빚 때문에 우리 동생 적금 다 깼어"
    assert _third_to_client("처형", text, text, "경제적 갈등", "840-6", HUSBAND_CLIENT, "태오", model=True,
                            before="처형 왜 그러세요") == {"client"}


def test_a_relatives_own_sibling_as_the_subject_after_an_in_law_word_is_the_siblings_act() -> None:
    text = "형부 언니가 적금 몰래 깨서 코인 한 거 알아요?"
    assert _third_to_client("처제", text, text, "경제적 갈등", "840-6", HUSBAND_CLIENT, "태오",
                            model=True) == {"opponent"}
    # No sibling named: the one called, as before.
    text = "형부 적금 몰래 깨서 코인 한 거 알아요?"
    assert _third_to_client("처제", text, text, "경제적 갈등", "840-6", HUSBAND_CLIENT, "태오", model=True) == {"client"}


def _husband_to_wife(text: str, word: str, tag: str, ground: str, *, model: bool = False) -> set[str]:
    """`text` said by the husband (the opponent in WIFE_CLIENT) to his wife, after her message."""
    segs = [{"speaker": "미란", "text": "할 말 있으면 해"}, {"speaker": "도윤", "text": text}]
    return actors_of(segs, written_hit(1, text, word, tag, ground, model=model), SPOUSES_W, WIFE_CLIENT)


# ------------------------------------------------------------------ second part
def test_a_transcript_line_keyed_by_a_name_with_brackets_is_that_partys() -> None:
    assert transcript_party({"text": "변도윤(남편): 너 또 친정 가면 망치로 다리 부순다"}, WIFE_CLIENT) == "opponent"
    assert transcript_party({"text": "석미란 (아내): 그만 좀 해"}, WIFE_CLIENT) == "client"
    segs = [{"text": "녹취록 2026. 3. 2. 밤"}, {"text": "변도윤(남편): 너 또 친정 가면 망치로 다리 부숴 버릴 거야"}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "협박", "840-3", model=True)
    assert actors_of(segs, hit, {AUTHOR_KEY: "client"}, WIFE_CLIENT) == {"opponent"}


def test_the_one_spoken_tos_parent_scorned_as_aemi_is_the_speakers_words() -> None:
    text = "니 애비가 그 모양이니 너도 이 모양이지"
    assert _husband_to_wife(text, text, "부모에 대한 폭언", "840-4", model=True) == {"opponent"}


def test_cutting_the_other_off_is_the_speakers_desertion() -> None:
    text = "연락하지 마. 오늘부로 카톡 차단한다"
    assert _husband_to_wife(text, text, "가출", "840-2", model=True) == {"opponent"}
    # Asked why: the other's, as before.
    text = "왜 내 번호 차단했어?"
    assert _husband_to_wife(text, text, "가출", "840-2", model=True) != {"opponent"}


def test_a_connective_daga_is_no_subject_of_a_loss_told() -> None:
    text = "그 돈 없어. 주식 물타기 하다가 다 날렸어"
    assert _husband_to_wife(text, "날렸", "경제적 갈등", "840-6") == {"opponent"}
    # A subject named ("형이 …"): not the teller's loss.
    text = "그 돈 없어. 형이 주식 물타기 하다가 다 날렸어"
    assert _husband_to_wife(text, "날렸", "경제적 갈등", "840-6") != {"opponent"}


def test_a_spouse_scorning_the_in_law_to_their_face_is_the_spouses_own() -> None:
    roles = {"태오": "client", "장모": "third_party"}
    segs = [{"speaker": "장모", "text": "자네 같은 사람한테 내 딸을 준 게 한이야"},
            {"speaker": "태오", "text": "장모님이야말로 염치가 없으시죠. 노인네가 곱게 좀 늙으세요"}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "부모에 대한 폭언", "840-4", model=True)
    assert actors_of(segs, hit, roles, HUSBAND_CLIENT) == {"client"}
    # The same words to a friend: no in-law spoken to, not read as the client's.
    roles = {"태오": "client", "친구 민석": "third_party"}
    segs[0] = {"speaker": "친구 민석", "text": "무슨 일인데"}
    assert actors_of(segs, hit, roles, HUSBAND_CLIENT) != {"client"}


# ------------------------------------------------------------------ third part
def test_a_child_calling_one_parent_and_naming_the_other_as_subject_tells_the_others_act() -> None:
    roles = {"도윤": "opponent", "아들 준서": "third_party"}
    segs = [{"speaker": "도윤", "text": "준서야 어제 무슨 일 있었어?"},
            {"speaker": "아들 준서", "text": "아빠 어제 엄마가 외할아버지한테 소리 지르고 지팡이 뺏어서 던졌어"}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "부모에 대한 폭행", "840-4", model=True)
    assert actors_of(segs, hit, roles, WIFE_CLIENT) == {"client"}
    # Calling the parent spoken to without naming the other: read as before (the one spoken to).
    segs[1] = {"speaker": "아들 준서", "text": "아빠 어제 외할아버지한테 소리 지르고 지팡이 뺏어서 던졌지"}
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "부모에 대한 폭행", "840-4", model=True)
    assert actors_of(segs, hit, roles, WIFE_CLIENT) != {"client"}


def test_a_papers_act_after_the_writer_as_subject_is_the_writers_whoever_is_named_after() -> None:
    segs = [{"text": "진술서 (석미란)"}, {"text": "저도 겁이 나서 남편을 세게 밀쳐 냈고 남편은 신발장에 부딪혔습니다."}]
    hit = written_hit(1, segs[1]["text"], "밀쳐", "폭행", "840-3")
    assert actors_of(segs, hit, {AUTHOR_KEY: "client"}, WIFE_CLIENT) == {"client"}
    # The husband named as subject before the act: his, as before.
    segs[1] = {"text": "저도 겁이 났는데 남편이 저를 세게 밀쳐 냈고 저는 신발장에 부딪혔습니다."}
    hit = written_hit(1, segs[1]["text"], "밀쳐", "폭행", "840-3")
    assert actors_of(segs, hit, {AUTHOR_KEY: "client"}, WIFE_CLIENT) == {"opponent"}


def test_a_statement_rows_note_in_brackets_names_no_payer() -> None:
    segs = [{"text": "신한카드 이용내역 (명의: 변도윤)"}, {"text": "2025.09.13 21:40 ○○주얼리 청담점 890,000원 (원고는 받은 적 없음)"}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "외도", "840-1", model=True)
    assert actors_of(segs, hit, {AUTHOR_KEY: "client"}, WIFE_CLIENT) == {"opponent"}


def test_an_affair_affirmed_at_a_lines_head_naming_nobody_is_the_speakers() -> None:
    text = "응 좋아해. 당신보다 훨씬 더"
    assert _husband_to_wife(text, text, "외도", "840-1", model=True) == {"opponent"}
    # Yes, then the one spoken to as subject, or someone else: not the speaker's.
    for text in ["응 당신이 좋아하잖아 그 남자", "응 그 여자가 먼저 좋다고 했어"]:
        assert _husband_to_wife(text, text, "외도", "840-1", model=True) != {"opponent"}, text


def test_an_affair_in_a_later_sentence_of_a_line_a_bare_i_opens_is_the_speakers() -> None:
    text = "나 오늘부터 안 들어가. 딴 여자 생겼으니까 기다리지 마"
    assert _husband_to_wife(text, "딴 여자 생겼", "부적절한 만남", "840-1") == {"opponent"}
    # Heard of, or someone else the subject: not the speaker's.
    for text in ["나 다 들었어. 딴 남자 생겼다며", "나 이제 알았어. 니가 딴 남자 생겨서 그런 거"]:
        assert _husband_to_wife(text, "딴 남자 생", "부적절한 만남", "840-1") != {"opponent"}, text


def test_a_spouses_own_act_in_a_quarrel_the_in_law_started_is_840_4() -> None:
    segs = [{"speaker": "다솜", "text": "니가 우리 엄마 팔 비튼 거 이웃들이 다 봤대"},
            {"speaker": "태오", "text": "팔 잡은 건 맞아. 근데 어머님이 먼저 나한테 냄비 던지셨어"}]
    hit = written_hit(1, segs[1]["text"], "팔 잡", "폭행", "840-3")
    rows = [{"seq": i, "kind": "speech", **s} for i, s in enumerate(segs)]
    out = attribute(rows, [hit], parties=HUSBAND_CLIENT, speakers_map=SPOUSES_H, event_time=None,  # type: ignore[arg-type]
                    speakers=["다솜", "태오"])
    assert {(lb["ground"], lb["actor"]) for lb in out["labels"]} == {("840-4", "client")}
    # Nobody's parent acting on the speaker: the speaker's 840-3, as before.
    segs[1] = {"speaker": "태오", "text": "팔 잡은 건 맞아. 근데 당신이 먼저 나한테 냄비 던졌어"}
    hit = written_hit(1, segs[1]["text"], "팔 잡", "폭행", "840-3")
    rows = [{"seq": i, "kind": "speech", **s} for i, s in enumerate(segs)]
    out = attribute(rows, [hit], parties=HUSBAND_CLIENT, speakers_map=SPOUSES_H, event_time=None,  # type: ignore[arg-type]
                    speakers=["다솜", "태오"])
    assert ("840-4", "client") not in {(lb["ground"], lb["actor"]) for lb in out["labels"]}


def test_a_card_bills_header_names_the_statements_holder() -> None:
    segs = [{"text": "국민카드 이용대금 명세서 (본인회원: 변도윤)"},
            {"text": "11/03 22:10 ○○모텔 신촌점 60,000 (원고는 간 적 없음)"}]
    hit = written_hit(1, segs[1]["text"], segs[1]["text"], "외도", "840-1", model=True)
    assert actors_of(segs, hit, {AUTHOR_KEY: "client"}, WIFE_CLIENT) == {"opponent"}
