"""Korean/English date and time parsing: formats, 오전/오후 12시, time zones, unambiguous dates in prose."""

from __future__ import annotations

from datetime import date

import pytest

from leh.pipeline.parsers.dates import (
    find_unambiguous_datetime,
    full_year,
    hour_24,
    iso,
    make_datetime,
    parse_date,
    parse_datetime,
    parse_time,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023년 12월 25일", date(2023, 12, 25)),
        ("2023년12월25일", date(2023, 12, 25)),
        ("23년 12월 25일", date(2023, 12, 25)),
        ("2023년 12월 25일 월요일", date(2023, 12, 25)),
        ("2023-12-25", date(2023, 12, 25)),
        ("2023.12.25", date(2023, 12, 25)),
        ("2023. 12. 25.", date(2023, 12, 25)),
        ("2023. 1. 5", date(2023, 1, 5)),
        ("23/12/25", date(2023, 12, 25)),
        ("2023/12/25", date(2023, 12, 25)),
        ("98/05/03", date(1998, 5, 3)),
        ("Monday, December 25, 2023", date(2023, 12, 25)),
        ("December 25, 2023", date(2023, 12, 25)),
        ("Dec 25, 2023", date(2023, 12, 25)),
        ("Sept 1, 2023", date(2023, 9, 1)),
        ("  2023-12-25  ", date(2023, 12, 25)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["2023년 2월 30일", "2023-13-01", "12월 25일", "2023년 12월", "2023-12-25 10:20", "1899-12-31", "Dec 32, 2023", "어제", ""],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("오전 12:05", (0, 5, 0)),
        ("오후 12:05", (12, 5, 0)),
        ("오전 1:00", (1, 0, 0)),
        ("오후 1:00", (13, 0, 0)),
        ("오후 11:59", (23, 59, 0)),
        ("오후10:20", (22, 20, 0)),
        ("10:20 PM", (22, 20, 0)),
        ("10:20PM", (22, 20, 0)),
        ("12:00 AM", (0, 0, 0)),
        ("12:00 PM", (12, 0, 0)),
        ("10:20 p.m.", (22, 20, 0)),
        ("22:20", (22, 20, 0)),
        ("00:05", (0, 5, 0)),
        ("22:20:05", (22, 20, 5)),
        ("오후 3시", (15, 0, 0)),
        ("오전 9시 30분", (9, 30, 0)),
        ("오후 3시 반", (15, 30, 0)),
        ("15시 20분 10초", (15, 20, 10)),
    ],
)
def test_parse_time(text: str, expected: tuple[int, int, int]) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["오후 13:05", "오후 0:30", "오전 0:00", "24:00", "13:00 PM", "10:60", "10시간", "abc"])
def test_parse_time_rejects(text: str) -> None:
    assert parse_time(text) is None


@pytest.mark.parametrize(
    ("hour", "marker", "expected"),
    [(12, "오전", 0), (12, "오후", 12), (1, "오전", 1), (11, "오후", 23), (12, "AM", 0), (12, "pm", 12),
     (12, "P.M.", 12), (0, None, 0), (23, None, 23)],
)
def test_hour_24(hour: int, marker: str | None, expected: int) -> None:
    assert hour_24(hour, marker) == expected


@pytest.mark.parametrize(("hour", "marker"), [(0, "오전"), (13, "오후"), (24, None), (5, "저녁")])
def test_hour_24_rejects(hour: int, marker: str | None) -> None:
    with pytest.raises(ValueError):
        hour_24(hour, marker)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("23/12/25 오후 10:20", "2023-12-25T22:20:00+09:00"),
        ("2023년 12월 25일 오후 10:20", "2023-12-25T22:20:00+09:00"),
        ("2023년 12월 25일 월요일 오전 12:05", "2023-12-25T00:05:00+09:00"),
        ("2023. 12. 25. 오후 12:05", "2023-12-25T12:05:00+09:00"),
        ("2023.12.25 22:20", "2023-12-25T22:20:00+09:00"),
        ("2024-01-02 10:00:00", "2024-01-02T10:00:00+09:00"),
        ("2023-12-25T22:20:00+09:00", "2023-12-25T22:20:00+09:00"),
        ("2023-12-25T13:20:00Z", "2023-12-25T13:20:00+00:00"),
        ("December 25, 2023 at 10:20 PM", "2023-12-25T22:20:00+09:00"),
        ("Dec 25, 2023, 10:20 PM", "2023-12-25T22:20:00+09:00"),
        ("Feb 13, 2026 at 18:42", "2026-02-13T18:42:00+09:00"),
        ("Apr 23, 2021 14:55", "2021-04-23T14:55:00+09:00"),
        ("2023-12-25", "2023-12-25T00:00:00+09:00"),
    ],
)
def test_parse_datetime_iso(text: str, expected: str) -> None:
    dt = parse_datetime(text)
    assert dt is not None and dt.tzinfo is not None
    assert iso(dt) == expected


@pytest.mark.parametrize("text", ["2023년 12월 25일 오후 13:00", "2023-02-30 10:00", "2023-12-25 오후", "내일 오후 3시"])
def test_parse_datetime_rejects(text: str) -> None:
    assert parse_datetime(text) is None


def test_time_zones() -> None:
    assert iso(make_datetime(2023, 12, 25, 22, 20)) == "2023-12-25T22:20:00+09:00"
    assert iso(make_datetime(2023, 7, 1, 9, 0, tz="America/New_York")) == "2023-07-01T09:00:00-04:00"
    assert iso(make_datetime(2023, 1, 1, 9, 0, tz="America/New_York")) == "2023-01-01T09:00:00-05:00"
    assert iso(make_datetime(1987, 7, 1, 12, 0)) == "1987-07-01T12:00:00+10:00"  # Seoul summer time, 1987
    dt = parse_datetime("2023-12-25 22:20", tz="Europe/London")
    assert dt is not None and iso(dt) == "2023-12-25T22:20:00+00:00"
    with pytest.raises(ValueError):
        make_datetime(1800, 1, 1)


def test_full_year() -> None:
    assert [full_year(y) for y in ("23", "69", "70", "99", "2023")] == [2023, 2069, 1970, 1999, 2023]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023년 12월 25일 오후 10시경 남편이 집을 나갔습니다.", "2023-12-25T22:00:00+09:00"),
        ("남편은 2023.12.25 22:40에 돌아왔다.", "2023-12-25T22:40:00+09:00"),
        ("23/12/25 오후 10:20 통화. 같은 날인 2023-12-25에 문자도 왔다.", "2023-12-25T22:20:00+09:00"),
        ("On December 25, 2023 at 10:20 PM he left.", "2023-12-25T22:20:00+09:00"),
        ("2023년 12월 25일(월) 오전 12:05 폭언", "2023-12-25T00:05:00+09:00"),
        # A date with a bare 3시 (a.m. or p.m.?) or several times: the day, at midnight.
        ("2023년 12월 25일 3시에 만나기로 했다.", "2023-12-25T00:00:00+09:00"),
        ("2023-12-25 오전 9:00 출근, 2023-12-25 오후 11:00 귀가", "2023-12-25T00:00:00+09:00"),
        ("2023-12-25 10시간 동안 연락 두절", "2023-12-25T00:00:00+09:00"),
    ],
)
def test_find_unambiguous_datetime(text: str, expected: str) -> None:
    dt = find_unambiguous_datetime(text)
    assert dt is not None
    assert iso(dt) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2023.12.25 ~ 2024.1.3 별거",
        "2023년 12월 25일과 2023년 12월 26일에 다퉜다.",
        "12월 25일 오후 10시에 다퉜다.",  # no year
        "오후 10:20에 전화가 왔다.",
        "버전 1.2.3, 전화 010-1234-5678",
        "2023년 2월 30일",
        "",
    ],
)
def test_find_unambiguous_datetime_none(text: str) -> None:
    assert find_unambiguous_datetime(text) is None


def test_find_unambiguous_datetime_uses_tz() -> None:
    dt = find_unambiguous_datetime("2023-07-01 09:00 통화", tz="America/New_York")
    assert dt is not None and iso(dt) == "2023-07-01T09:00:00-04:00"
