"""A transcript (녹취록) in a text document: each speaker's turn is a segment of its own, so each voice's act is filed
under the party the transcript's key names — never under the client who recorded and uploaded it. Found looking at
a retired ask case as a lawyer would: a husband's eviction and his bag-throwing, four voices in one paragraph, came
out as the client's own 폭행 (an unfavourable-evidence risk)."""

from __future__ import annotations

from typing import Any

from leh.analysis.analyzer import analyze_document
from leh.container import Container
from leh.domain.parties import Parties, Person
from leh.pipeline.parsers.dating import split_dated_lines
from leh.pipeline.parsers.text import parse_paragraphs
from leh.services.rederive import attribute_analysis

# The client is the wife, the defendant; the husband (the opponent) is 원고.
WIFE_CLIENT = Parties(Person("우나경", ("나경", "아내")), Person("길도한", ("도한", "남편")), client_side="defendant")

TRANSCRIPT = """녹 취 록

녹음 일시: 2025. 9. 6. 22:40경
녹음 장소: 부천시 자택 주방 (우나경의 휴대폰)
화자1: 길도한(남편)
화자2: 우나경(아내)

화자1: 너 오늘부로 이 집에서 나가. 짐은 내가 싸서 내놓을 테니까
화자2: 애들 자고 있어. 목소리 좀 낮춰
화자1: 내 집에서 내 맘대로 하는데 무슨 상관이야
(캐리어가 현관 밖으로 던져지는 소리)
화자2: 제발 그만해
"""


def _segments(text: str) -> list[dict[str, Any]]:
    result = parse_paragraphs(text.split("\n"))
    return [{"seq": s.seq, "ts": s.ts, "speaker": s.speaker, "text": s.text, "kind": s.kind} for s in result.segments]


def test_each_turn_of_a_transcript_and_each_transcribers_note_is_its_own_segment() -> None:
    texts = [s["text"] for s in _segments(TRANSCRIPT)]
    assert "화자1: 길도한(남편)" in texts and "화자2: 우나경(아내)" in texts
    assert "화자2: 애들 자고 있어. 목소리 좀 낮춰" in texts
    assert "화자1: 내 집에서 내 맘대로 하는데 무슨 상관이야" in texts
    assert "(캐리어가 현관 밖으로 던져지는 소리)" in texts
    assert not any(t.count("화자") > 1 for t in texts)
    # Turns named by the speakers' names, one of whom speaks twice, split too; with timestamps as well.
    named = ["길도한: 나가", "우나경: 싫어", "길도한: 그럼 내가 끌어낸다"]
    assert [t for _, t in split_dated_lines(named)] == named
    stamped = ["[00:01:10] 화자 1: 나가", "[00:01:12] 화자 2: 싫어"]
    assert [t for _, t in split_dated_lines(stamped)] == stamped


def test_a_papers_heading_of_fields_is_no_transcript() -> None:
    heading = ["사실확인서", "작성일: 2025. 7. 1.", "작성자: 길미소", "관계: 의뢰인의 동생"]
    assert split_dated_lines(heading) == [(0, "\n".join(heading))]
    two = ["남편: 너 죽어", "아내: 그만해"]  # two turns, nobody speaks twice, no numbered voices: one piece
    assert split_dated_lines(two) == [(0, "\n".join(two))]


def test_the_husbands_eviction_in_a_transcript_the_wife_recorded_is_his_act_not_hers() -> None:
    segments = _segments(TRANSCRIPT)
    derived = attribute_analysis(segments, analyze_document(segments, event_time=None), WIFE_CLIENT)  # type: ignore[arg-type]
    by_seq = {s["seq"]: s["text"] for s in segments}
    acts = {(by_seq[seq].split(":")[0], lb["ground"], lb["actor"]) for lb in derived["labels"] for seq in lb["segments"]}
    assert ("화자1", "840-2", "opponent") in acts, acts  # "이 집에서 나가": his eviction
    assert ("(캐리어가 현관 밖으로 던져지는 소리)", "840-3", "opponent") in acts, acts  # the sound the wife recorded
    assert not any(actor == "client" for _, _, actor in acts), acts  # no risk for the wife who recorded it


def test_a_transcripts_turns_are_dated_by_its_recording_time() -> None:
    result = parse_paragraphs(TRANSCRIPT.split("\n"))
    assert (result.event_time, result.event_time_precision) == ("2025-09-06T22:40:00+09:00", "minute")
    turn = next(s for s in result.segments if s.text.startswith("화자1: 너 오늘부로"))
    assert turn.ts == "2025-09-06T22:40:00+09:00"
    # A call's own time labels a call record the same way; the paper's 작성일 ranks after it.
    call = parse_paragraphs(["통화 녹취록", "작성일: 2025. 10. 2.", "통화 일시: 2025. 9. 30. 19:05", "",
                             "화자1: 왜 전화했어", "화자2: 애 얘기 좀 하자"])
    assert call.event_time == "2025-09-30T19:05:00+09:00"


def test_a_voices_order_to_get_out_is_the_voices_own_act_not_the_one_told_to_leave() -> None:
    paper = ["녹취록", "화자1: 우나경(아내)", "화자2: 길도한(남편)", "", "화자2: 나가라고 했지. 애는 두고 가",
             "화자1: 어디로 가라는 거야", "화자2: 당장 나가!"]
    segments = _segments("\n".join(paper))
    derived = attribute_analysis(segments, analyze_document(segments, event_time=None), WIFE_CLIENT)  # type: ignore[arg-type]
    by_seq = {s["seq"]: s["text"] for s in segments}
    leaving = {(by_seq[seq], lb["actor"]) for lb in derived["labels"] if lb["ground"] == "840-2" for seq in lb["segments"]}
    assert ("화자2: 나가라고 했지. 애는 두고 가", "opponent") in leaving, leaving
    assert not any(actor == "client" for _, actor in leaving), leaving


def test_reminding_the_other_that_they_said_get_out_is_not_the_speakers_own_order() -> None:
    from tests.support.hits import actors_of, written_hit

    roles = {"나경": "client", "도한": "opponent"}
    for text in ["당신이 나가라고 했잖아", "니가 나가라고 했잖아 그래서 나온 거야"]:
        segs = [{"speaker": "도한", "text": "왜 집에 안 와"}, {"speaker": "나경", "text": text}]
        hit = written_hit(1, text, "나가라고", "가출", "840-2", model=True)
        assert actors_of(segs, hit, roles, WIFE_CLIENT) == {"opponent"}, text
    # Living apart told as a fact is no order to get out: "나가 살면서".
    segs = [{"speaker": "나경", "text": "애들은?"}, {"speaker": "도한", "text": "한 달째 연락도 없이 나가 살면서 그게 할 말이야"}]
    hit = written_hit(1, segs[1]["text"], "나가 살면서", "가출", "840-2", model=True)
    assert actors_of(segs, hit, roles, WIFE_CLIENT) == {"client"}


def test_what_happened_on_the_day_of_a_recording_is_what_the_voices_said_not_its_key(container: Container) -> None:
    from tests.support.ask_cases import ask_case, cited, put_evidence

    cid = "case-tape"
    at = "2025-09-06T22:40:00+09:00"
    put_evidence(container, cid, "녹취록_2025-09-06.txt", [
        (at, None, "녹 취 록"), (at, None, "녹음 일시: 2025. 9. 6. 22:40경\n녹음 장소: 부천시 자택 주방"),
        (at, None, "화자1: 길도한(남편)"), (at, None, "화자2: 우나경(아내)"),
        (at, None, "화자1: 너 오늘부로 이 집에서 나가. 짐은 내가 싸서 내놓을 테니까"),
        (at, None, "화자2: 애들 자고 있어. 목소리 좀 낮춰")])
    parties = [{"name": "우나경", "aliases": ["나경", "아내"], "party": "client", "role": "피고"},
               {"name": "길도한", "aliases": ["도한", "남편"], "party": "opponent", "role": "원고"}]
    out = ask_case(container, cid, "9월 6일에 무슨 일이 있었나요?", parties)
    quotes = cited(out)
    assert "이 집에서 나가" in quotes and "목소리 좀 낮춰" in quotes, out["answer"]
    assert "길도한(남편)" not in quotes and "녹음 장소" not in quotes and "녹 취 록" not in quotes, out["answer"]
    # A paper with nothing of that day but its own heading still answers with it.
    put_evidence(container, "case-memo", "녹취록_2025-10-01.txt", [
        ("2025-10-01T09:00:00+09:00", None, "녹음 일시: 2025. 10. 1. 09:00경")])
    assert "녹음 일시" in cited(ask_case(container, "case-memo", "10월 1일에 무슨 일이 있었나요?", parties))


def test_a_transcribers_note_closing_a_turn_is_a_piece_of_its_own_and_a_keys_brackets_are_not() -> None:
    # Seen in a retired ask case: the husband's turn "네가 뭔데 내 돈을 따져. (유리컵이 … 깨지는 소리)" was read as one
    # line addressed to the wife, and the thrown glass became the recording wife's own 폭행 (a risk on her case).
    paper = ["녹 취 록", "화자1: 길도한 (남편)", "화자2: 우나경 (아내)", "화자3: 길하람 (아들, 9세)", "",
             "화자1: 네가 뭔데 내 돈을 따져. (유리컵이 바닥에 던져져 깨지는 소리)", "화자2: 제발 그만해 (울음)",
             "화자3: 아빠 하지 마"]
    pieces = split_dated_lines(paper[5:])
    assert [t for _, t in pieces] == ["화자1: 네가 뭔데 내 돈을 따져.", "(유리컵이 바닥에 던져져 깨지는 소리)",
                                      "화자2: 제발 그만해", "(울음)", "화자3: 아빠 하지 마"]
    assert [i for i, _ in pieces] == [0, 0, 1, 1, 2]  # each piece keeps the line it was written on
    assert "화자3: 길하람 (아들, 9세)" in [t for _, t in split_dated_lines(paper[1:4])]  # a key's brackets stay
    segments = _segments("\n".join(paper))
    derived = attribute_analysis(segments, analyze_document(segments, event_time=None), WIFE_CLIENT)  # type: ignore[arg-type]
    by_seq = {s["seq"]: s["text"] for s in segments}
    acts = {(by_seq[seq], lb["ground"], lb["actor"]) for lb in derived["labels"] for seq in lb["segments"]}
    assert ("(유리컵이 바닥에 던져져 깨지는 소리)", "840-3", "opponent") in acts, acts
    assert not any(actor == "client" for *_, actor in acts), acts
