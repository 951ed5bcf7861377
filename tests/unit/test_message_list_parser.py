"""A typed phone-message list (문자 내역) read as messages: each row its sender's words, time and original row; the
heading names who [수신] rows are from; alerts and other documents stay text; kin-word senders get a parent role."""

from __future__ import annotations

from pathlib import Path

import docx

from leh.analysis.analyzer import analyze_offline
from leh.analysis.speakers import kin_role, suggest_speakers_map
from leh.domain.parties import CLIENT_PARENT, OPPONENT_PARENT, Parties, Party, Person
from leh.pipeline.parsers import docx as docx_parser
from leh.pipeline.parsers.base import ParseContext
from leh.pipeline.parsers.messages import heading
from leh.pipeline.parsers.text import parse_paragraphs
from leh.services import rederive

MARKED = """문자 메시지 내역 (육다인 휴대폰, 상대: 시어머니 목순례 010-3381-2207)

2025.05.20 오후 7:41 [수신] 며느리가 애 업고 집을 나가는 법이 어디 있냐. 당장 들어와라
2025.05.25 오전 10:02 [수신] 니 친정에서 딸자식을 어떻게 가르쳤길래 이 모양이냐
2025.05.26 오전 9:00 [Web발신] 한빛카드 승인 육다인 32,000원 일시불
2025.06.02 오후 9:40 [발신] 어머님, 그날 일은 남편한테 직접 물어보세요
"""


def _lines(text: str) -> list[str]:
    return text.split("\n")


def test_marked_rows_are_the_headings_other_person_and_the_phones_owner() -> None:
    result = parse_paragraphs(_lines(MARKED))
    title, first, second, alert, reply = result.segments
    assert (title.kind, title.speaker) == ("text", None)
    assert [(s.speaker, s.kind, s.ts, s.text) for s in (first, second, reply)] == [
        ("시어머니 목순례", "speech", "2025-05-20T19:41:00+09:00", "며느리가 애 업고 집을 나가는 법이 어디 있냐. 당장 들어와라"),
        ("시어머니 목순례", "speech", "2025-05-25T10:02:00+09:00", "니 친정에서 딸자식을 어떻게 가르쳤길래 이 모양이냐"),
        ("육다인", "speech", "2025-06-02T21:40:00+09:00", "어머님, 그날 일은 남편한테 직접 물어보세요"),
    ]
    # the row as written stays beside the message, with its line
    assert second.ref == {"line": 4, "as_written": "2025.05.25 오전 10:02 [수신] 니 친정에서 딸자식을 어떻게 가르쳤길래 이 모양이냐"}
    # a card alert is nobody's message: a dated line of text, as before
    assert (alert.kind, alert.speaker, alert.text) == ("text", None, "2025.05.26 오전 9:00 [Web발신] 한빛카드 승인 육다인 32,000원 일시불")
    assert "as_written" not in alert.ref
    assert result.meta["messages"] == 3


def test_rows_that_name_their_sender_or_sender_and_receiver() -> None:
    text = """문자 내역 (국하람 휴대폰)

2025. 7. 11. 오후 10:02 부채령: 너 같은 인간이랑 사는 우리 언니가 불쌍하다
2025. 7. 11. 오후 10:05 국하람: 처제, 말이 너무 심하네
2025.07.12 (토) 07:30 부채령 → 국하람: 회사에 다 말할 거예요
"""
    segs = parse_paragraphs(_lines(text)).segments
    assert [(s.speaker, s.text, s.ts) for s in segs[1:]] == [
        ("부채령", "너 같은 인간이랑 사는 우리 언니가 불쌍하다", "2025-07-11T22:02:00+09:00"),
        ("국하람", "처제, 말이 너무 심하네", "2025-07-11T22:05:00+09:00"),
        ("부채령", "회사에 다 말할 거예요", "2025-07-12T07:30:00+09:00"),
    ]


def test_unmarked_rows_of_a_list_with_one_sender_are_that_senders() -> None:
    text = """문자 메시지 내역 (발신: 장모님 010-7713-2049 / 수신: 호정민 휴대폰)

2025.04.13 오전 8:05 자네 얼굴은 다시 보고 싶지 않네
2025.04.26 오후 11:48 우리 손주 근처에 얼씬거리지 말게
"""
    segs = parse_paragraphs(_lines(text)).segments
    assert [(s.speaker, s.kind) for s in segs[1:]] == [("장모님", "speech"), ("장모님", "speech")]


def test_a_heading_reads_who_the_list_is_between() -> None:
    mine = heading(["문자 메시지 내역 (육다인 휴대폰, 상대: 시어머니 목순례 010-3381-2207)"])
    assert mine is not None and (mine.owner, mine.other) == ("육다인", "시어머니 목순례")
    number = heading(["문자 메시지 내역 (형보람 휴대폰, 상대: 010-2671-0395)"])
    assert number is not None and (number.owner, number.other) == ("형보람", "010-2671-0395")
    named = heading(["문자 메시지 내역 (형보람 휴대폰, 상대: 010-2671-0395, 발신자 본인이 호세린이라고 밝힘)"])
    assert named is not None and named.other == "010-2671-0395 (호세린)"  # the number, and the name it gave
    assert heading(["진술서", "2025년 5월 20일 남편이 집을 나갔습니다."]) is None


def test_a_statement_with_dated_lines_and_a_lone_row_stay_text() -> None:
    statement = """진술서

2025.05.20 오후 7:41 남편이 집을 나갔습니다.
2025.05.25 오전 10:02 남편이 시어머니 집에 있다고 문자를 보냈습니다.
"""
    assert all(s.kind == "text" and s.speaker is None for s in parse_paragraphs(_lines(statement)).segments)
    lone = """문자 메시지 내역 (육다인 휴대폰, 상대: 시어머니 목순례)

2025.05.20 오후 7:41 [수신] 당장 들어와라
"""
    assert all(s.kind == "text" for s in parse_paragraphs(_lines(lone)).segments)  # one row is no list of messages


def test_a_list_typed_in_word_is_read_the_same(tmp_path: Path) -> None:
    document = docx.Document()
    for line in _lines(MARKED):
        if line:
            document.add_paragraph(line)
    path = tmp_path / "문자내역.docx"
    document.save(str(path))
    segs = docx_parser.parse(path, ParseContext(filename=path.name)).segments
    said = [(s.speaker, s.text) for s in segs if s.kind == "speech"]
    assert said[1] == ("시어머니 목순례", "니 친정에서 딸자식을 어떻게 가르쳤길래 이 모양이냐")
    assert len(said) == 3 and segs[2].ref["as_written"].startswith("2025.05.25 오전 10:02 [수신]")


def test_a_kin_word_sender_is_a_parent_or_a_third_person() -> None:
    assert kin_role("시어머니 목순례") == OPPONENT_PARENT and kin_role("장모님") == OPPONENT_PARENT
    assert kin_role("친정엄마") == CLIENT_PARENT and kin_role("시누이 목하나") == Party.THIRD_PARTY
    assert kin_role("목순례") == Party.UNKNOWN and kin_role("시어머니댁") == Party.UNKNOWN
    segs = [s.to_dict() for s in parse_paragraphs(_lines(MARKED)).segments]
    parties = Parties(client=Person("육다인", ("아내",)), opponent=Person("맹준호", ("남편",)))
    assert suggest_speakers_map(segs, parties)["시어머니 목순례"] == OPPONENT_PARENT


def test_the_in_laws_insult_read_as_her_message_is_the_opponents_familys_840_3() -> None:
    segs = [s.to_dict() for s in parse_paragraphs(_lines(MARKED)).segments]
    parties = Parties(client=Person("육다인", ("아내",)), opponent=Person("맹준호", ("남편",)))
    derived = rederive.attribute_analysis(segs, analyze_offline(segs, event_time=None), parties)  # type: ignore[arg-type]
    insult = [lb for lb in derived["labels"] if 2 in lb["segments"]]
    assert [(lb["ground"], lb.get("actor_side"), lb["favours"]) for lb in insult] == [("840-3", "opponent", "client")]
    assert not any(4 in lb["segments"] for lb in derived["labels"])  # the client's own calm reply


def test_a_marked_row_that_also_writes_its_senders_name_keeps_the_words_only() -> None:
    # Seen on a retired ask case's evidence page: "[수신] 용순남: …" under "상대: 시어머니 용순남" kept "용순남: " in the
    # message, so the page and the draft quoted the name as if it were part of what she wrote.
    listed = ["문자 메시지 내역 (육다인 휴대전화 010-2211-3040)", "상대: 시어머니 목순례 010-3381-2207", "",
              "2025-05-20 (화) 오후 7:41 [수신] 목순례: 당장 들어와라", "2025-05-20 (화) 오후 7:50 [발신] 육다인: 못 들어가요",
              "2025-05-21 (수) 오전 8:00 [수신] 오늘 저녁: 너희 집 간다"]
    got = [(s.speaker, s.text) for s in parse_paragraphs(listed).segments if s.kind == "speech"]
    assert got == [("시어머니 목순례", "당장 들어와라"), ("육다인", "못 들어가요"),
                   ("시어머니 목순례", "오늘 저녁: 너희 집 간다")]  # a colon in the words is no sender's name
