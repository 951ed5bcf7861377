"""Chat replies that lean on the message before them (`leh.analysis.chat_context`, issue #12 items 3 and 5).

Most tests write the prompt's hit out (`_act`), so that they read the context rules alone, with Kiwi's morphemes of
the real messages; the last ones go through the labeller (`find_hits`, `analyze_bounded`) and the attribution.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from leh.analysis.analyzer import analyze_bounded, analyze_offline
from leh.analysis.attribution import attribute
from leh.analysis.chat_context import CONTEXT_WEIGHT, context_hits, reply_kind
from leh.analysis.labels import MIN_CONFIDENCE, STRONG_RULE, Hit, find_hits
from leh.analysis.morph import morphs, morphs_many
from leh.domain.parties import Parties, Person
from leh.services.rederive import attribute_analysis, derive

WIFE_CLIENT = Parties(client=Person("김지은", ("아내", "지은")), opponent=Person("이민수", ("남편", "민수")))
HUSBAND_CLIENT = Parties(client=Person("이민수", ("남편", "민수")), opponent=Person("김지은", ("아내", "지은")))


def _act(text: str, word: str, tag: str, ground: str, *, weight: float = 0.85, agent: str = "unknown",
         **kw: Any) -> Hit:
    """The labeller's hit on `word` of the prompt (seq is set by `_run`)."""
    start = text.index(word)
    return Hit(seq=-1, tag=tag, ground=ground, weight=weight, mode=kw.pop("mode", "report"), start=start,
               end=start + len(word), rule=kw.pop("rule", f"{word}/rule"), agent=agent, **kw)


def _chat(*lines: tuple[str, str], ts: list[str | None] | None = None) -> list[dict[str, Any]]:
    return [{"seq": i, "speaker": sp, "text": text, "kind": "speech", "ts": (ts or [None] * len(lines))[i]}
            for i, (sp, text) in enumerate(lines)]


def _run(segments: list[dict[str, Any]], own: dict[int, list[Hit]]) -> list[Hit]:
    hits = [[replace(h, seq=int(s["seq"])) for h in own.get(int(s["seq"]), [])] for s in segments]
    return context_hits(segments, morphs_many([s["text"] for s in segments]), hits)


def _context(hits: list[Hit]) -> list[Hit]:
    return [h for h in hits if "context:" in h.rule]


AFFAIR_Q = "그 여자 또 만났어?"


@pytest.mark.parametrize("reply", ["그래", "응 어제도 만났어", "ㅇㅇ", "어 만났어", "맞아", "그랬다 왜", "어제도",
                                   "만났어. 근데 밥만 먹었어"])
def test_an_affirming_reply_carries_the_act_the_question_named_as_the_repliers(reply: str) -> None:
    chat = _chat(("아내", AFFAIR_Q), ("남편", reply))
    hits = _run(chat, {0: [_act(AFFAIR_Q, "여자 또 만났", "부적절한 만남", "840-1")]})
    [ctx] = _context(hits)
    assert (ctx.seq, ctx.ground, ctx.tag) == (1, "840-1", "부적절한 만남")
    assert ctx.rule == "context:840-1" and ctx.admission and ctx.agent == "speaker:남편"
    assert MIN_CONFIDENCE <= ctx.weight == CONTEXT_WEIGHT < STRONG_RULE  # a label, below direct wording
    assert [h for h in hits if h.seq == 0] == [replace(_act(AFFAIR_Q, "여자 또 만났", "부적절한 만남", "840-1"), seq=0)]


@pytest.mark.parametrize(("prompt", "word", "tag", "ground", "reply"), [
    ("어제 나 밀친 거 기억 안 나?", "밀친", "폭행", "840-3", "어쩌라고 니가 먼저 시비 걸었잖아"),
    ("생활비 이번 달도 안 줄 거야?", "안 줄", "생활비 미지급", "840-2", "ㅇㅇ 알아서 해"),
    ("친구네? 새벽에 또 모텔 결제 찍혔던데", "모텔", "숙박", "840-1", "그래서 뭐. 니가 뭘 할 수 있는데"),
    ("당신 어제 나 때렸잖아", "때렸", "폭행", "840-3", "그래서? 어쩔래"),
    ("당신도 나 발로 찼잖아 작년에", "발로 찼", "폭행", "840-3", "그건 인정하고 사과했잖아"),
    ("밥을 모텔에서 먹냐? 그 남자 만난 거 다 알아", "모텔", "숙박", "840-1", "그래 미안해, 다시는 안 만날게"),
    ("어제 컵 던진 거 기억은 나?", "컵 던진", "폭행", "840-3", "잘못했어. 다시는 안 그럴게"),
    ("생활비 안 줄 거야?", "안 줄", "생활비 미지급", "840-2", "안 줘"),
    ("나 어제 당신한테 뺨 맞고 한숨도 못 잤어", "뺨 맞", "폭행", "840-3", "맞을 만하니까 맞았지"),
])
def test_defiance_admission_and_a_repeated_verb_carry_the_act(prompt: str, word: str, tag: str, ground: str,
                                                              reply: str) -> None:
    rule = "뺨|얼굴|머리|주먹|몽둥이|손바닥|발/NNG 맞/VV" if word == "뺨 맞" else f"{word}/rule"  # the passive rule
    hits = _run(_chat(("A", prompt), ("B", reply)), {0: [_act(prompt, word, tag, ground, rule=rule)]})
    assert [(h.seq, h.ground, h.tag, h.agent) for h in _context(hits)] == [(1, ground, tag, "speaker:B")]


@pytest.mark.parametrize("reply", ["아니 안 만났어", "내가 언제", "안 만났다고", "그런 적 없어", "무슨 소리야", "만난 적 없어",
                                   "응? 무슨 말이야", "만났냐고?", "회사 사람이야", "만난 거 아니고 우연히 본 거야", "또?",
                                   "미안한데 안 만났어"])
def test_a_denial_or_a_question_back_states_nothing(reply: str) -> None:
    hits = _run(_chat(("아내", AFFAIR_Q), ("남편", reply)), {0: [_act(AFFAIR_Q, "여자 또 만났", "부적절한 만남", "840-1")]})
    assert _context(hits) == []


def test_a_repeated_verb_counts_only_with_the_questions_polarity() -> None:
    prompt = "생활비 안 줄 거야?"
    act = {0: [_act(prompt, "안 줄", "생활비 미지급", "840-2")]}
    assert _context(_run(_chat(("아내", prompt), ("남편", "안 줘")), act))
    assert _context(_run(_chat(("아내", prompt), ("남편", "줄게 내일")), act)) == []


def test_one_context_hit_per_ground_with_the_strongest_act() -> None:
    q = "그 여자랑 모텔 갔지?"
    acts = {0: [_act(q, "여자랑", "외도", "840-1", weight=0.7), _act(q, "모텔", "숙박", "840-1", weight=0.8)]}
    assert [(h.ground, h.tag) for h in _context(_run(_chat(("아내", q), ("남편", "응")), acts))] == [("840-1", "숙박")]


def test_a_question_without_a_reply_asserts_nothing_of_the_asker() -> None:
    act = {0: [_act(AFFAIR_Q, "여자 또 만났", "부적절한 만남", "840-1")]}
    assert _context(_run(_chat(("아내", AFFAIR_Q)), act)) == []
    # the asker's own next line is no reply
    assert _context(_run(_chat(("아내", AFFAIR_Q), ("아내", "응 대답해")), act)) == []


def test_only_the_other_speaker_answers_and_the_prompt_must_name_the_listeners_act() -> None:
    own = "내가 어제 그 여자 만났어"
    assert _context(_run(_chat(("남편", own), ("아내", "응")), {0: [_act(own, "여자 만났", "부적절한 만남", "840-1",
                                                                       agent="self")]})) == []
    told = "너네 시어머니가 너 욕하고 다닌다며?"
    assert _context(_run(_chat(("친구", told), ("아내", "응 맞아")), {0: [_act(told, "욕하", "폭언", "840-3",
                                                                            agent="inlaw_h")]})) == []
    threat = "한 번만 더 그러면 죽여버린다"
    assert _context(_run(_chat(("남편", threat), ("아내", "그래 해봐")), {0: [_act(threat, "죽여", "협박", "840-3",
                                                                                mode="utterance")]})) == []
    asked = "남편 또 때렸어?"  # a friend asks about the husband: "응" is no act of the wife's
    assert _context(_run(_chat(("친구", asked), ("아내", "응")), {0: [_act(asked, "때렸", "폭행", "840-3")]})) == []
    hurt = "너 또 맞았어?"  # the listener is the one hurt: the act is someone else's
    assert _context(_run(_chat(("언니", hurt), ("아내", "응")), {0: [_act(
        hurt, "맞았", "폭행", "840-3", rule="한테|에게|테/JKB 맞/VV")]})) == []


def test_someone_having_seen_the_listener_names_the_listeners_act() -> None:
    seen = "누나가 4월에 강남역에서 너 봤대. 남자랑 팔짱 끼고"
    act = {0: [_act(seen, "팔짱", "외도", "840-1", rule="model:840-1")]}
    [ctx] = _context(_run(_chat(("도윤", seen), ("수진", "그래 나 태성씨 좋아해")), act))
    assert (ctx.seq, ctx.ground, ctx.agent) == (1, "840-1", "speaker:수진")
    told = "누나가 4월에 강남역에서 그 남자 봤대. 팔짱 끼고 다니더래"  # nobody saw the listener
    assert _context(_run(_chat(("도윤", told), ("수진", "그래")), {0: [_act(told, "팔짱", "외도", "840-1",
                                                                          rule="model:840-1")]})) == []


def test_documents_are_untouched() -> None:
    lines = [{"seq": 0, "text": AFFAIR_Q, "kind": "text", "speaker": None},
             {"seq": 1, "text": "그래", "kind": "text", "speaker": None}]
    hits = _run(lines, {0: [_act(AFFAIR_Q, "여자 또 만났", "부적절한 만남", "840-1")]})
    assert _context(hits) == [] and len(hits) == 1
    # a document line between the question and the answer breaks the chat
    mixed = [*_chat(("아내", AFFAIR_Q)), {"seq": 1, "text": "진술서", "kind": "text"}, {**_chat(("남편", "그래"))[0], "seq": 2}]
    assert _context(_run(mixed, {0: [_act(AFFAIR_Q, "여자 또 만났", "부적절한 만남", "840-1")]})) == []


@pytest.mark.parametrize(("reply_ts", "expected"), [("2024-06-01T23:40:00+09:00", 1), ("2024-06-02T09:40:00+09:00", 0)])
def test_the_reply_must_come_soon_after_the_question(reply_ts: str, expected: int) -> None:
    chat = _chat(("아내", AFFAIR_Q), ("남편", "그래"), ts=["2024-06-01T23:31:00+09:00", reply_ts])
    assert len(_context(_run(chat, {0: [_act(AFFAIR_Q, "여자 또 만났", "부적절한 만남", "840-1")]}))) == expected


def test_the_window_is_a_few_messages_and_a_denial_closes_it() -> None:
    act = {0: [_act(AFFAIR_Q, "여자 또 만났", "부적절한 만남", "840-1")]}
    # the question, an excuse, a push, the admission: it still answers the question
    assert _context(_run(_chat(("아내", AFFAIR_Q), ("남편", "그냥 밥 먹은 거야"), ("아내", "밥을 밤 열두 시에 먹어?"),
                               ("남편", "그래 미안해")), act))
    assert _context(_run(_chat(("아내", AFFAIR_Q), ("남편", "아니 안 만났어"), ("아내", "거짓말"),
                               ("남편", "그래 어쩔래")), act)) == []
    # the replier's own accusation just before: "그래" answers nothing of the wife's
    assert _context(_run(_chat(("아내", AFFAIR_Q), ("남편", "너는 어제 나 때렸잖아"), ("남편", "그래")),
                         {**act, 1: [_act("너는 어제 나 때렸잖아", "때렸", "폭행", "840-3")]})) == []
    far = _chat(("아내", AFFAIR_Q), ("아내", "대답해"), ("아내", "왜 말이 없어"), ("아내", "빨리"), ("남편", "그래"))
    assert _context(_run(far, act)) == []  # more than MAX_BACK messages back


def test_after_a_request_to_own_up_the_replys_own_act_is_the_repliers() -> None:
    reply = "그 여자랑 두 번 잤어"
    own = _act(reply, "여자랑 두 번 잤", "부적절한 만남", "840-1")
    hits = _run(_chat(("아내", "솔직히 말해"), ("남편", reply)), {1: [own]})
    [h] = hits
    assert h.agent == "speaker:남편" and h.admission and h.rule.endswith("|context:own-up") and h.weight == own.weight
    # without the request the reply's hit is left to the attribution
    assert _run(_chat(("아내", "밥 먹었어?"), ("남편", reply)), {1: [own]})[0].agent == "unknown"


@pytest.mark.parametrize(("text", "kind"), [("그래", "affirm"), ("ㅇㅇ 알아서 해", "affirm"), ("어쩌라고", "defy"),
                                            ("잘못했어", "admit"), ("아니야", None), ("내가 언제 그랬다고 그래", None),
                                            ("응?", None)])
def test_reply_kind_reads_kiwis_morphemes(text: str, kind: str | None) -> None:
    assert reply_kind(morphs(text)) == kind


def _labels(chat: list[dict[str, Any]], hits: list[Hit], parties: Parties, roles: dict[str, str]) -> set[tuple[int, str, str, str]]:
    out = attribute(chat, hits, parties=parties, speakers_map=roles, event_time=None, speakers=sorted(roles))
    return {(seq, str(lb["ground"]), str(lb["actor"]), str(lb["favours"])) for lb in out["labels"] for seq in lb["segments"]}


def test_end_to_end_the_wife_clients_husband_admits_the_affair() -> None:
    q = "박수진이랑 같이 산다는 거야?"
    chat = _chat(("지은", q), ("민수", "그래"))
    hits = _run(chat, {0: [_act(q, "같이 산다", "외도", "840-1", rule="model:840-1")]})
    labels = _labels(chat, hits, WIFE_CLIENT, {"지은": "client", "민수": "opponent"})
    assert (1, "840-1", "opponent", "client") in labels


def test_end_to_end_the_husband_clients_own_admission_is_a_risk_and_the_wifes_defiance_is_hers() -> None:
    roles = {"지은": "opponent", "민수": "client"}
    chat = _chat(("지은", AFFAIR_Q), ("민수", "응 어제도 만났어"))
    labels = _labels(chat, _run(chat, {0: [_act(AFFAIR_Q, "여자 또 만났", "부적절한 만남", "840-1")]}), HUSBAND_CLIENT, roles)
    assert (1, "840-1", "client", "opponent") in labels  # the client's own act: favours the opponent
    q = "어제 나 밀친 거 기억 안 나?"
    chat = _chat(("민수", q), ("지은", "어쩌라고 니가 먼저 시비 걸었잖아"))
    labels = _labels(chat, _run(chat, {0: [_act(q, "밀친", "폭행", "840-3")]}), HUSBAND_CLIENT, roles)
    assert (1, "840-3", "opponent", "client") in labels


def test_the_labeller_adds_context_hits_and_the_bounded_analysis_gives_the_same() -> None:
    chat = _chat(("지은", "당신 지금 그 여자랑 같이 있지?"), ("민수", "그래 같이 있다"), ("지은", "애들이 아빠 찾아"),
                 ("민수", "오늘 야근"), ("지은", "어제 나 때렸지?"), ("민수", "그랬다 왜"))
    hits = find_hits(chat)
    assert {(h.seq, h.rule) for h in hits if h.rule.startswith("context:")} >= {(1, "context:840-1"), (5, "context:840-3")}
    for batch_chars in (10, 100_000):  # context kept across the bounded analysis' batches
        derived, _ = analyze_bounded(chat, event_time=None, batch_chars=batch_chars)
        assert derived["hits"] == analyze_offline(chat, event_time=None)["hits"]
    labels = _labels(chat, hits, WIFE_CLIENT, {"지은": "client", "민수": "opponent"})
    assert {(1, "840-1", "opponent", "client"), (5, "840-3", "opponent", "client")} <= labels


def test_rederiving_from_the_stored_hits_keeps_the_context_labels() -> None:
    chat = _chat(("지은", "당신 지금 그 여자랑 같이 있지?"), ("민수", "그래 같이 있다"))
    roles = {"지은": "client", "민수": "opponent"}
    derived = attribute_analysis(chat, analyze_offline(chat, event_time=None), WIFE_CLIENT, current_map=roles,
                                 confirmed=True)
    first = {(seq, lb["ground"], lb["actor"]) for lb in derived["labels"] for seq in lb["segments"]}
    assert (1, "840-1", "opponent") in first
    again = derive({**derived, "segments": chat, "speakers_confirmed": True}, WIFE_CLIENT)
    assert {(seq, lb["ground"], lb["actor"]) for lb in again["labels"] for seq in lb["segments"]} == first



@pytest.mark.parametrize(("question", "reply", "owned"), [
    ("지금 나 협박하는 거야?", "어 협박이다 어쩔래", True),
    ("그거 협박이지?", "그래 협박이야", True),
    ("지금 나 협박하는 거야?", "아니 그게 무슨 협박이야", False),  # a denial
    ("지금 나 협박하는 거야?", "협박? 웃기고 있네", False),  # asked back
])
def test_an_affirming_reply_naming_the_act_a_question_put_to_the_replier_is_the_repliers(
        question: str, reply: str, owned: bool) -> None:
    # The question's own hit is vetoed (weight 0: a question asserts nothing); the reply names the act itself.
    chat = _chat(("아내", question), ("남편", reply))
    prompt = _act(question, "협박", "협박", "840-3", weight=0.0, mode="utterance")
    own = _act(reply, "협박", "협박", "840-3", mode="utterance")
    hits = _run(chat, {0: [prompt], 1: [own]})
    [answer] = [h for h in hits if h.seq == 1]
    assert (answer.agent == "speaker:남편") is owned, reply
    assert not _context(hits) or owned  # no act of the question's is added to the reply
    assert all(h.rule.endswith("|context:reply") or not owned for h in hits if h.seq == 1)


def test_a_question_about_someone_else_makes_no_reply_own_the_act() -> None:
    question = "시어머니가 또 협박했어?"
    chat = _chat(("아내", question), ("남편", "응 협박이지 뭐"))
    hits = _run(chat, {0: [_act(question, "협박", "협박", "840-3", weight=0.0, mode="utterance")],
                       1: [_act("응 협박이지 뭐", "협박", "협박", "840-3", mode="utterance")]})
    assert [h.agent for h in hits if h.seq == 1] == ["unknown"]


def _leaving(*lines: tuple[str, str]) -> list[tuple[int, str, str, str]]:
    """The 840-2 hits the labeller (with the chat context) finds on the last message."""
    chat = _chat(*lines)
    return [(h.seq, h.tag, h.rule, h.agent) for h in find_hits(chat) if h.ground == "840-2" and h.seq == len(lines) - 1]


@pytest.mark.parametrize("before", [("남편", "어디야?"), ("남편", "집에 언제 와"), ("남편", "너 지금 어디 있어"),
                                    ("남편", "이 미친년아 너 같은 거랑 못 살아")])
@pytest.mark.parametrize("reply", ["나 서아 데리고 나왔어", "찾지 마", "나 애들 데리고 나간다. 연락하지 마"])
def test_saying_one_left_after_a_whereabouts_question_or_a_quarrel_is_leaving_home(
        before: tuple[str, str], reply: str) -> None:
    found = _leaving(before, ("아내", reply))
    assert (1, "가출", "context:840-2", "speaker:아내") in found or any(r.startswith("model:") for _, _, r, _ in found)
    assert found, reply


@pytest.mark.parametrize(("lines", "why"), [
    ((("아내", "나 서아 데리고 나왔어"),), "alone"),
    ((("아내", "찾지 마"),), "alone"),
    ((("남편", "저녁 뭐 먹을래?"), ("아내", "나 서아 데리고 나왔어")), "nothing supports it"),
    ((("남편", "어디야?"), ("아내", "나 서아 데리고 나왔어 마트야")), "it goes on to say where"),
    ((("남편", "내 폰 어디 있어?"), ("아내", "찾지 마")), "the question is about a thing"),
    ((("남편", "어디야?"), ("아내", "내 폰 찾지 마")), "something else is not to be looked for"),
    ((("남편", "어디야?"), ("아내", "회사 나왔어")), "somewhere else"),
    ((("남편", "어디야?"), ("아내", "나왔어?")), "asked back"),
    ((("남편", "어디야?"), ("남편", "나 나왔어")), "the asker's own line"),
])
def test_saying_one_left_without_support_states_nothing(lines: tuple[tuple[str, str], ...], why: str) -> None:
    assert not [f for f in _leaving(*lines) if f[2].startswith("context:")], why
