"""Round 13a: an admission asked ("…시인했는지", "…인정하는 취지의 카톡", "자기가 한 거라고") is shown by the asked
doer's own line even when it does not write the act's word: a yes to the other's question, a pro-verb ("그랬다"), an
apology, the act told as their own, a plain answer to the other's question about it (a transcript's "이름:" line);
never the other party's line, a question, or a denial."""

from __future__ import annotations

import uuid
from typing import Any

from leh.analysis import admission
from leh.analysis.answer import Passage
from leh.container import Container
from leh.services.ask import NO_ANSWER
from tests.support.ask_cases import ask_case, cited, put_evidence

_PARTIES: list[dict[str, Any]] = [
    {"name": "변도하", "aliases": ["도하", "남편"], "party": "client", "role": "원고"},
    {"name": "반세린", "aliases": ["세린", "아내"], "party": "opponent", "role": "피고"},
]


def _ask(c: Container, cid: str, question: str) -> dict[str, Any]:
    return ask_case(c, cid, question, _PARTIES)


def _chat(c: Container, cid: str) -> None:
    put_evidence(c, cid, "카카오톡_대화_반세린.txt", [
        ("2025-02-03T20:10:00+09:00", "변도하", "은행 문자 왔는데 예금 담보 대출 700만원 나갔다고 하네"),
        ("2025-02-03T20:31:00+09:00", "반세린", "어 그거 내가 신청한 거 맞아"),
        ("2025-02-11T22:05:00+09:00", "변도하", "내 차 블랙박스 메모리 카드 당신이 뺐지?"),
        ("2025-02-11T22:40:00+09:00", "반세린", "궁금해서 그랬다. 별거 없더라"),
        ("2025-03-02T08:02:00+09:00", "반세린", "어젯밤엔 나도 좀 심했어. 미안해. 팔은 괜찮아?"),
        ("2025-03-02T08:15:00+09:00", "변도하", "팔에 멍 들었어. 병원 가볼게"),
        ("2025-03-09T21:00:00+09:00", "변도하", "아버지 생신에 왜 안 왔어"),
        ("2025-03-09T21:20:00+09:00", "반세린", "아니 나 그런 적 없어. 연락 못 받았어"),
    ])


def test_an_admission_without_the_acts_word_is_the_asked_doers_yes(container: Container) -> None:
    cid = str(uuid.uuid4())
    _chat(container, cid)
    loan = _ask(container, cid, "아내가 대출을 자기가 받았다고 시인한 적 있습니까")
    assert loan["answer"].startswith("예") and "그거 내가 신청한 거 맞아" in cited(loan)
    card = _ask(container, cid, "피고가 블랙박스 메모리 카드 빼낸 걸 인정했는지 확인 바랍니다")  # a pro-verb, the act in the question
    assert "궁금해서 그랬다" in cited(card)
    hurt = _ask(container, cid, "상대방이 남편을 밀친 걸 스스로 인정하는 취지의 메시지가 있나")  # an apology, the harm around it
    assert "나도 좀 심했어" in cited(hurt)


def test_the_other_partys_line_a_question_or_a_denial_is_no_admission(container: Container) -> None:
    cid = str(uuid.uuid4())
    _chat(container, cid)
    # the client is asked: his lines only, and none of them admits anything
    out = _ask(container, cid, "남편이 블랙박스 메모리 카드를 뺀 걸 시인했나요?")
    assert "궁금해서 그랬다" not in cited(out)
    denied = _ask(container, cid, "세린 씨가 아버지 생신에 안 온 걸 인정한 적 있어?")
    assert "그런 적 없어" not in cited(denied)


def test_a_transcripts_named_line_answers_the_others_question_about_the_act(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "녹취록_통화.txt", [
        (None, None, "녹 취 록"),
        (None, None, "통화 당사자: 변도하(원고), 반세린(피고)"),
        (None, None, "변도하: 장사하던 꽃집은 지금 누구 명의로 돼 있어"),
        (None, None, "반세린: 언니한테 넘겼으니까 신경 꺼"),
        (None, None, "변도하: 애 학원비는 언제 보낼 거야"),
    ])
    out = _ask(container, cid, "꽃집을 언니 명의로 돌린 걸 아내 본인이 입으로 인정했는지")
    assert out["answer"] != NO_ANSWER and "언니한테 넘겼으니까" in cited(out)
    assert "학원비" not in cited(out)


def _p(seq: int, speaker: str | None, text: str) -> Passage:
    return Passage(evidence_id="e1", seq=seq, text=text, ts=None, speaker=speaker, filename="chat.txt")


def test_admissions_reads_the_line_with_what_is_said_around_it() -> None:
    asked = admission.Asked(nouns=(("적금",),), verbs=("깨",))
    lines = [_p(0, "나", "적금 누가 깼어? 당신이야?"), _p(1, "너", "응 내가 했어"), _p(2, "너", "오늘 저녁 뭐 먹어?"),
             _p(3, "나", "적금 해지한 거 당신 아니지?"), _p(4, "너", "아니야 난 몰라")]
    assert [p.seq for p in admission.admissions(asked, lines, ["너"])] == [1]
    assert admission.admissions(asked, lines, ["나"]) == []  # the asker's own lines admit nothing
    unrelated = admission.Asked(nouns=(("위치추적기",),), verbs=("달",))
    assert admission.admissions(unrelated, lines, ["너"]) == []  # a yes about something else
    # a line that also asks after the harm ("괜찮아?") is still a statement; a question only is none
    blow = admission.Asked(nouns=(), verbs=("밀",), blow=True)
    said = [_p(0, "너", "어제는 술 때문에 그랬어. 어깨는 괜찮아?"), _p(1, "너", "어깨 다쳤어?")]
    assert [p.seq for p in admission.admissions(blow, said, ["너"])] == [0]


def _log(c: Container, cid: str) -> None:
    put_evidence(c, cid, "상담일지_변도하.txt", [
        (None, None, "상담일지 (상담자 변호사 감우진)"),
        (None, None, "2025. 4. 2. 의뢰인은 결혼 후 아내에게 손찌검을 하거나 밀친 일이 한 번도 없다고 함."),
        (None, None, "2025. 4. 2. 의뢰인은 아내에게 욕을 들은 적은 있다고 함."),
    ])
    put_evidence(c, cid, "진단서_변도하.txt", [
        (None, None, "진 단 서"),
        (None, None, "환자 성명: 변도하"),
        (None, None, "환자는 전날 밤 거실에서 떠밀려 넘어지며 어깨를 부딪쳤다고 진술함."),
    ])


def test_a_denial_in_other_words_answers_and_the_asked_partys_own_harm_is_no_yes(container: Container) -> None:
    cid = str(uuid.uuid4())
    _log(container, cid)
    for q in ("의뢰인이 아내에게 폭력을 쓴 사실이 있는지 확인 바랍니다",  # the act by its kind's word, 사실
              "원고가 배우자를 때린 일이 있었나요?",  # 일, 원고 for the client
              "남편이 아내한테 손을 댄 적 있음?"):
        out = _ask(container, cid, q)
        assert "한 번도 없다고" in cited(out), q
        assert not out["answer"].startswith("예"), q  # his own 진단서 tells what was done to him
        assert "떠밀려" not in cited(out), q


def test_a_denial_of_the_other_spouses_act_does_not_answer(container: Container) -> None:
    cid = str(uuid.uuid4())
    _log(container, cid)
    # the wife asked as the doer: "의뢰인은 아내에게 … 없다" is his denial, with her as the one it was done to
    out = _ask(container, cid, "처가 남편을 밀친 일이 있었는지")
    assert "한 번도 없다고" not in cited(out)


def test_a_denial_of_another_victim_does_not_answer_and_a_denial_is_never_a_yes(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "상담일지_반세린.txt", [
        (None, None, "상담일지 (상담자 변호사 감우진)"),
        (None, None, "- 원고가 의뢰인을 때린 적은 없다고 함. 다만 화가 나면 문을 세게 닫은 일이 있었다고 함."),
    ])
    # the child asked, by the given name, before a second verb: the couple's denial is not about her
    other = _ask(container, cid, "시어머니가 다온이를 꼬집거나 때린 일이 있었는지?")
    assert "때린 적은 없다고" not in cited(other)
    # the act by another word ("손찌검" ~ "때린"): the line is shown as a denial, not under "예"
    out = _ask(container, cid, "변도하가 반세린에게 손찌검한 사실 있음?")
    assert "때린 적은 없다고" in cited(out) and not out["answer"].startswith("예")


def test_a_transcripts_numbered_voice_is_who_its_key_names() -> None:
    passage = Passage(evidence_id="e2", seq=1, ts=None, speaker=None, filename="녹취록.txt", text="\n".join([
        "화자1: 변도하 (원고, 남편)", "화자2: 반세린 (피고, 아내)",
        "[00:00:10] 화자1: 아버지 손목 아직도 부어 있어. 그날 왜 그랬어",
        "[00:00:25] 화자2: 자꾸 잔소리하시길래 밀친 거야",
        "[00:00:40] 화자1: 나도 밀친 적 없어"]))
    blow = admission.Asked(nouns=(("아버지",),), verbs=("밀",), blow=True)
    for doer in (["반세린"], ["아내"]):  # by the name or by what the key calls the voice
        shown = admission.admissions(blow, [passage], doer)
        assert [p.focus for p in shown] == ["[00:00:25] 화자2: 자꾸 잔소리하시길래 밀친 거야"], doer
    assert admission.admissions(blow, [passage], ["변도하"]) == []  # his own line is a denial
