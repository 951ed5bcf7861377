"""Round 16a: whether something was said, read as what the question quotes and how (`leh.analysis.said`).

A lawyer asks what was said in the words of a complaint ("금주를 약속한 적", "직장에 알리겠다고 한 사실", "오지
말라고 한 적", "잠금 해제를 요구한", "끝냈다고 말한 적"); the evidence says it in the writer's own words ("술
끊을게", "회사에 다 말할 거예요", "오지 마라", "폰 비번 풀어", "이미 정리했어"). A yes needs the asked doer, the
quoted words (or their everyday words) and the mood: an intent is no deed told done, an order no question, a
prohibition no permission; the other spouse's line, a question back ("끊을 거야?") or the thing done in the past when an
intent is asked are none."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from leh.analysis.answer import Passage
from leh.analysis.morph import morphs
from leh.analysis.said import FORBID, INTENT, ORDER, QUOTE, TOLD, read_said, says
from leh.container import Container
from leh.services.ask import NO_ANSWER
from tests.support.ask_cases import ask_case, cited, put_evidence

_PARTIES: list[dict[str, Any]] = [
    {"name": "하윤채", "aliases": ["윤채", "아내"], "party": "client", "role": "원고"},
    {"name": "노태현", "aliases": ["태현", "남편"], "party": "opponent", "role": "피고"},
]


def _ask(c: Container, cid: str, question: str) -> dict[str, Any]:
    return ask_case(c, cid, question, _PARTIES)


def _case(c: Container) -> str:
    cid = str(uuid.uuid4())
    put_evidence(c, cid, "카카오톡_대화_노태현.txt", [
        ("2025-06-01T22:10:00+09:00", "하윤채", "또 취해서 들어왔네. 이번이 몇 번째야"),
        ("2025-06-01T22:15:00+09:00", "노태현", "미안해 이번엔 진짜 술 끊을게"),
        ("2025-06-03T09:00:00+09:00", "하윤채", "그 여자랑은 정리했어?"),
        ("2025-06-03T09:05:00+09:00", "노태현", "그 사람이랑은 벌써 정리했어. 그만 물어봐"),
        ("2025-06-10T20:00:00+09:00", "하윤채", "이번 달 아이 학원비는 어떻게 해"),
        ("2025-06-10T20:30:00+09:00", "노태현", "학원비는 다음 주에 내가 부쳐줄게"),
        ("2025-06-12T23:00:00+09:00", "노태현", "오늘 안으로 폰 비밀번호 알려줘"),
        ("2025-06-20T21:00:00+09:00", "하윤채", "나 당신 회사에 다 말할 거야"),
        ("2025-06-22T10:00:00+09:00", "노태현", "주말에 애 보러 와도 돼"),
    ])
    put_evidence(c, cid, "문자내역_시어머니.txt", [
        (None, None, "문자 메시지 내역 (하윤채 휴대폰, 상대: 시어머니 010-2231-4410)"),
        (None, None, "2025.07.02 오후 8:15 [수신] 이제 우리 집에는 오지 마라. 손주는 내가 키운다"),
        (None, None, "2025.07.05 오전 9:40 [수신] 한 번만 더 대문 앞에서 소리 지르면 경찰 부를 거다"),
    ])
    put_evidence(c, cid, "녹취록_20250715.txt", [
        (None, None, "녹취록"),
        (None, None, "화자1(노태현): 휴대폰 이리 줘. 잠금 풀어."),
        (None, None, "화자2(하윤채): 싫어. 왜 내 폰을 봐."),
    ])
    return cid


def test_a_said_question_is_read_by_its_words_and_mood() -> None:
    promise = read_said("남편이 금주를 약속한 사실이 있나요?")
    assert promise is not None and promise.mood == INTENT and promise.words == ("금주",) and promise.subject == "남편"
    told = read_said("노태현이 그 여자와 끝냈다고 말한 적 있어요")
    assert told is not None and told.mood == TOLD and told.head == "끝내"
    forbid = read_said("시모가 손주 보러 오지 말라고 한 적?")
    assert forbid is not None and forbid.mood == FORBID and forbid.head == "오"
    order = read_said("남편이 휴대폰 잠금 해제를 요구했는지 확인 바랍니다")
    assert order is not None and order.mood == ORDER and "잠금" in order.words
    threat = read_said("시어머니가 경찰에 신고하겠다는 문자를 보낸 적 있음?")
    assert threat is not None and threat.mood == INTENT and "경찰" in threat.words
    assert read_said("남편이 이혼하자고 한 적 있나요").mood == QUOTE  # type: ignore[union-attr]
    # no quote: the act itself is asked, or a verb of saying with nothing quoted
    assert read_said("남편이 의뢰인을 때린 적이 있나요?") is None
    assert read_said("아내가 시아버지에게 모욕적인 말을 한 증거가 있습니까?") is None
    assert read_said("남편이 다른 여자와 살기로 했다는 증거가 있나요?") is None


def test_a_promise_threat_or_prohibition_in_the_writers_own_words(container: Container) -> None:
    cid = _case(container)
    for question in ("남편이 금주를 약속한 적 있나?", "노태현이 술을 끊겠다고 한 사실이 있는지 확인 바랍니다"):
        assert "술 끊을게" in cited(_ask(container, cid, question)), question
    fee = _ask(container, cid, "남편이 학원비를 보내주겠다고 약속한 메시지가 있나요")
    assert "부쳐줄게" in cited(fee)
    police = _ask(container, cid, "시어머니가 경찰 부르겠다고 으름장 놓은 적 있나요")
    assert "경찰 부를 거다" in cited(police)
    for question in ("시모가 손주 보러 오지 말라고 한 적 있는지?", "시어머니가 집에 오지 말라는 문자를 보냈나요"):
        assert "우리 집에는 오지 마라" in cited(_ask(container, cid, question)), question
    done = _ask(container, cid, "남편이 그 여자와 끝냈다고 말한 적 있음?")
    assert "벌써 정리했어" in cited(done)
    unlock = _ask(container, cid, "남편이 휴대폰 잠금 해제를 요구한 사실 있음?")
    assert "잠금 풀어" in cited(unlock)


def test_another_doer_a_question_back_or_another_mood_is_no_yes(container: Container) -> None:
    cid = _case(container)
    # the wife said she would tell his company; the husband did not
    assert "회사에 다 말할" not in cited(_ask(container, cid, "남편이 의뢰인 직장에 알리겠다고 한 사실이 있는지"))
    told = _ask(container, cid, "아내가 남편 직장에 알리겠다고 한 적 있나요")
    assert "회사에 다 말할 거야" in cited(told)
    # "그 여자랑은 정리했어?" is the wife's question, not her saying so
    wife = read_said("아내가 그 여자와 정리했다고 말한 적 있음?")
    assert wife is not None
    asked = Passage("e1", 3, "그 여자랑은 정리했어?", "2025-06-03T09:00:00+09:00", "하윤채", "카톡.txt")
    assert not says(wife, asked, morphs(asked.text), {})
    assert says(wife, replace(asked, text="그 여자랑은 정리했어."), morphs("그 여자랑은 정리했어."), {})
    # a past deed is no promise: "벌써 정리했어" does not promise to end it
    assert "벌써 정리했어" not in cited(_ask(container, cid, "남편이 그 여자와 정리하겠다고 약속한 적 있나요"))
    # the mother-in-law's threat is not the husband's
    assert "경찰 부를 거다" not in cited(_ask(container, cid, "남편이 경찰 부르겠다고 한 적 있나요"))
    # a permission is no prohibition: "와도 돼" does not forbid coming
    forbid = read_said("남편이 아이 보러 오지 말라고 한 적 있나요")
    assert forbid is not None
    allowed = Passage("e1", 9, "주말에 애 보러 와도 돼", "2025-06-22T10:00:00+09:00", "노태현", "카톡.txt")
    assert not says(forbid, allowed, morphs(allowed.text), {})
    assert says(forbid, replace(allowed, text="주말에 애 보러 오지 마"), morphs("주말에 애 보러 오지 마"), {})
    refused = _ask(container, cid, "남편이 양육비를 끊겠다고 한 적 있나요")
    assert refused["answer"] == NO_ANSWER


def test_a_transcript_voice_the_case_does_not_key_is_nobody_else(container: Container) -> None:
    cid = str(uuid.uuid4())
    put_evidence(container, cid, "녹취록_20250801.txt", [
        (None, None, "녹취록"),
        (None, None, "화자1: 당장 이 집에서 나가. 짐은 내가 싸 줄게"),
        (None, None, "화자2: 애는 어떻게 하고"),
    ])
    # "화자1" is not known to be another than the husband: the quoted order is not refused as another's
    out = _ask(container, cid, "녹취에서 남편이 집에서 나가라고 말했는지 확인 바랍니다")
    assert "집에서 나가" in cited(out)
