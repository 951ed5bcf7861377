"""A phone memo of year-less days ("3/22 토 …", a line each): each line is an incident of its own, dated when its
weekday says which year the writer meant. Seen in a retired ask case: a father's six-line memo of his wife's visits
to their son was one segment with no date, so "몇 번 보러 왔나" and "짐 가지러 온 날" had nothing dated to count."""

from __future__ import annotations

from datetime import date

from leh.analysis.question import text_dates
from leh.domain.evidence import Segment
from leh.pipeline.parsers.dating import date_segments, split_dated_lines
from leh.pipeline.parsers.text import parse_paragraphs

MEMO = ["메모 (마태윤 작성, 휴대폰 메모장)", "작성일: 2025. 4. 1.", "",
        "2/8 토 세린이 은호 데리고 친정 감. 연락 안 됨.",
        "2/16 일 세린이 은호만 집 앞에 내려 주고 감",
        "3/4 화 은호 담임 상담. 요즘 말수가 줄었다고 함",
        "3/21 금 세린 카톡: 짐은 주말에 가지러 가겠다고 함."]


def test_each_line_of_a_memo_of_days_is_its_own_piece_dated_by_the_year_its_weekday_fits() -> None:
    result = parse_paragraphs(MEMO)
    dated = [(s.ts, s.ts_precision, s.text[:5]) for s in result.segments if s.text[0].isdigit()]
    # 2025-02-08 is a Saturday, 2025-02-16 a Sunday, 2025-03-04 a Tuesday, 2025-03-21 a Friday.
    assert dated == [("2025-02-08T00:00:00+09:00", "day", "2/8 토"), ("2025-02-16T00:00:00+09:00", "day", "2/16 "),
                     ("2025-03-04T00:00:00+09:00", "day", "3/4 화"), ("2025-03-21T00:00:00+09:00", "day", "3/21 ")]


def test_the_weekday_picks_the_latest_fitting_year_on_or_before_the_reference_and_a_wrong_one_dates_nothing() -> None:
    def dated(line: str, today: date) -> str | None:
        seg = Segment(seq=0, text=line, ts=None, speaker=None, ref={"line": 0}, kind="text")
        date_segments([seg], today=today)
        return seg.ts

    assert dated("3/22 토 남편이 짐 빼러 옴", date(2025, 12, 1)) == "2025-03-22T00:00:00+09:00"
    assert dated("3/22 토 남편이 짐 빼러 옴", date(2025, 3, 21)) == "2014-03-22T00:00:00+09:00"  # not yet 2025's
    assert dated("4. 16.(수) 담임 전화", date(2026, 1, 5)) == "2025-04-16T00:00:00+09:00"
    assert dated("5월 3일 토요일 병원 감", date(2025, 12, 1)) == "2025-05-03T00:00:00+09:00"
    assert dated("2/30 토 …", date(2025, 12, 1)) is None  # no such day
    assert dated("3/22 짐 빼러 옴", date(2025, 12, 1)) is None  # no weekday: the year stays unknown, never guessed


def test_fractions_or_one_dated_line_are_no_memo_of_days() -> None:
    assert len(split_dated_lines(["남편이 1/2 정도 냈다", "3/4 이상은 카드로", "나머지는 내가"])) == 1
    assert len(split_dated_lines(["3/22 토 짐 빼러 옴", "애가 울었다"])) == 1  # one day line: one note


def test_an_answer_reads_the_day_a_memo_line_opens_with() -> None:
    assert text_dates("3/22 토 남편이 짐 빼러 옴", 2025) == [(2025, 3, 22)]
    assert text_dates("- 4/5 안 옴", 2025) == [(2025, 4, 5)]
    assert text_dates("비율은 1/2 정도", 2025) == []  # not at the start of a line
    assert text_dates("13/40 문항", 2025) == []
