"""KakaoTalk export parser: every layout (PC, Android, iOS, Mac CSV; Korean and English) and its traps."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from leh.domain.errors import EvidenceError
from leh.pipeline.parsers import kakaotalk
from leh.pipeline.parsers.base import ParseContext, ParseLimits
from leh.pipeline.parsers.kakaotalk import (
    KakaoStats,
    is_placeholder,
    looks_like_kakaotalk,
    parse_kakaotalk,
    split_speaker,
    system_actor,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "kakaotalk"


def run(text: str, tz: str = "Asia/Seoul") -> tuple[list[tuple[object, ...]], KakaoStats]:
    """(seq, ts, speaker, text, line, kind) rows and stats for an export given as a string."""
    st = KakaoStats()
    segs = list(parse_kakaotalk(text.split("\n"), tz, stats=st))
    assert [s.seq for s in segs] == list(range(len(segs)))
    return [(s.seq, s.ts, s.speaker, s.text, s.ref["line"], s.kind) for s in segs], st


# --- PC / Windows -------------------------------------------------------------------------------------

PC_KO = """\
홍길동 님과 카카오톡 대화
저장한 날짜 : 2024-01-02 10:00:00

--------------- 2023년 12월 25일 월요일 ---------------
[홍길동] [오후 10:20] 메리 크리스마스
[엄마 [집]] [오후 10:21] 밥 먹었니
[김:철수] [오후 10:22] 네 : 먹었어요
[A/B] [오후 10:23] 슬래시 이름
[[엄마] [집]] [오후 10:24] 괄호 두 쌍
[홍길동] [오후 10:25] 인용: [김:철수] [오후 3:10] 예전 말
--------------- 2023년 12월 26일 화요일 ---------------
[홍길동] [오전 12:05] 자정 직후
[홍길동] [오후 12:05] 정오 직후
[홍길동] [오전 11:59] 여러 줄
둘째 줄

넷째 줄 (빈 줄 다음)


김영희님이 들어왔습니다.
[김영희] [오후 1:00] 사진
[김영희] [오후 1:01] 사진 3장
[김영희] [오후 1:02] 동영상
[김영희] [오후 1:03] 이모티콘
[김영희] [오후 1:04] 삭제된 메시지입니다.
[김영희] [오후 1:05] 파일: 협의서_초안.pdf
[김영희] [오후 1:06] 음성메시지
[김영희] [오후 1:07] 사진 찍어서 보내줘
홍길동님이 김영희님을 초대했습니다.
김영희님이 나갔습니다."""


def test_pc_korean_every_message_speaker_time_line_and_kind() -> None:
    rows, st = run(PC_KO)
    assert rows == [
        (0, "2023-12-25T22:20:00+09:00", "홍길동", "메리 크리스마스", 5, "speech"),
        (1, "2023-12-25T22:21:00+09:00", "엄마 [집]", "밥 먹었니", 6, "speech"),
        (2, "2023-12-25T22:22:00+09:00", "김:철수", "네 : 먹었어요", 7, "speech"),
        (3, "2023-12-25T22:23:00+09:00", "A/B", "슬래시 이름", 8, "speech"),
        (4, "2023-12-25T22:24:00+09:00", "[엄마] [집]", "괄호 두 쌍", 9, "speech"),
        (5, "2023-12-25T22:25:00+09:00", "홍길동", "인용: [김:철수] [오후 3:10] 예전 말", 10, "speech"),
        (6, "2023-12-26T00:05:00+09:00", "홍길동", "자정 직후", 12, "speech"),
        (7, "2023-12-26T12:05:00+09:00", "홍길동", "정오 직후", 13, "speech"),
        (8, "2023-12-26T11:59:00+09:00", "홍길동", "여러 줄\n둘째 줄\n\n넷째 줄 (빈 줄 다음)", 14, "speech"),
        (9, None, "김영희", "김영희님이 들어왔습니다.", 20, "system"),
        (10, "2023-12-26T13:00:00+09:00", "김영희", "사진", 21, "system"),
        (11, "2023-12-26T13:01:00+09:00", "김영희", "사진 3장", 22, "system"),
        (12, "2023-12-26T13:02:00+09:00", "김영희", "동영상", 23, "system"),
        (13, "2023-12-26T13:03:00+09:00", "김영희", "이모티콘", 24, "system"),
        (14, "2023-12-26T13:04:00+09:00", "김영희", "삭제된 메시지입니다.", 25, "system"),
        (15, "2023-12-26T13:05:00+09:00", "김영희", "파일: 협의서_초안.pdf", 26, "system"),
        (16, "2023-12-26T13:06:00+09:00", "김영희", "음성메시지", 27, "system"),
        (17, "2023-12-26T13:07:00+09:00", "김영희", "사진 찍어서 보내줘", 28, "speech"),
        (18, None, "홍길동", "홍길동님이 김영희님을 초대했습니다.", 29, "system"),
        (19, None, "김영희", "김영희님이 나갔습니다.", 30, "system"),
    ]
    assert (st.format, st.locale, st.speech, st.system, st.messages) == ("pc", "ko", 10, 10, 20)
    assert st.saved_at == "2024-01-02T10:00:00+09:00"
    assert (st.first_time, st.last_time) == ("2023-12-25T22:20:00+09:00", "2023-12-26T13:07:00+09:00")
    assert st.speakers == {"홍길동", "엄마 [집]", "김:철수", "A/B", "[엄마] [집]", "김영희"}


def test_pc_untimed_system_line_keeps_its_day_in_ref() -> None:
    segs = list(parse_kakaotalk(PC_KO.split("\n")))
    assert segs[9].ref == {"line": 20, "date": "2023-12-26"}
    assert segs[10].ref == {"line": 21}


def test_pc_english_layout() -> None:
    rows, st = run(
        "KakaoTalk Chats with Jane Kim\n"
        "Date Saved : 2024-01-02 10:00:00\n"
        "\n"
        "--------------- Monday, December 25, 2023 ---------------\n"
        "[Jane Kim] [10:20 PM] where are you\n"
        "[Tom] [12:05 AM] at the office\n"
        "[Tom] [12:05 PM] Photo\n"
        "[Jane Kim] [1:00 PM] This message was deleted.\n"
        "[Jane Kim] [1:01 PM] Emoticons\n"
        "[Tom] [1:02 PM] Video\n"
        "Tom left this chatroom."
    )
    assert rows == [
        (0, "2023-12-25T22:20:00+09:00", "Jane Kim", "where are you", 5, "speech"),
        (1, "2023-12-25T00:05:00+09:00", "Tom", "at the office", 6, "speech"),
        (2, "2023-12-25T12:05:00+09:00", "Tom", "Photo", 7, "system"),
        (3, "2023-12-25T13:00:00+09:00", "Jane Kim", "This message was deleted.", 8, "system"),
        (4, "2023-12-25T13:01:00+09:00", "Jane Kim", "Emoticons", 9, "system"),
        (5, "2023-12-25T13:02:00+09:00", "Tom", "Video", 10, "system"),
        (6, None, "Tom", "Tom left this chatroom.", 11, "system"),
    ]
    assert (st.format, st.locale, st.saved_at) == ("pc", "en", "2024-01-02T10:00:00+09:00")


def test_pc_24_hour_clock_and_empty_sender_is_system() -> None:
    rows, _ = run(
        "--------------- 2026년 10월 1일 목요일 ---------------\n"
        "[UserA] [20:35] 24시간제\n"
        "[] [20:36] 방 알림\n"
        "[UserA] [00:05] 자정 후"
    )
    assert rows == [
        (0, "2026-10-01T20:35:00+09:00", "UserA", "24시간제", 2, "speech"),
        (1, "2026-10-01T20:36:00+09:00", None, "방 알림", 3, "system"),
        (2, "2026-10-01T00:05:00+09:00", "UserA", "자정 후", 4, "speech"),
    ]


def test_pc_impossible_time_is_message_text_and_counted() -> None:
    rows, st = run(
        "--------------- 2026년 10월 1일 목요일 ---------------\n"
        "[UserA] [오후 3:15] 앞\n"
        "[UserA] [오후 13:05] 잘못된 시각\n"
        "[UserA] [오후 0:30] 이것도"
    )
    assert rows == [(0, "2026-10-01T15:15:00+09:00", "UserA", "앞\n[UserA] [오후 13:05] 잘못된 시각\n[UserA] [오후 0:30] 이것도", 2, "speech")]
    assert st.invalid_timestamps == 2


def test_pc_message_before_any_date_separator_has_no_time() -> None:
    rows, _ = run("[UserA] [오후 3:15] 날짜 모름\n[UserB] [오후 3:16] 답")
    assert rows == [(0, None, "UserA", "날짜 모름", 1, "speech"), (1, None, "UserB", "답", 2, "speech")]


def test_pc_layout_is_fixed_by_first_message_so_pasted_mobile_lines_stay_text() -> None:
    rows, _ = run(
        "--------------- 2026년 10월 1일 목요일 ---------------\n"
        "[UserA] [오후 3:15] 카톡 캡처 붙여넣기:\n"
        "2026년 10월 1일 오후 3:15, UserB : 인용\n"
        "2026. 10. 1. 오후 3:15, UserB : 인용2\n"
        "2026년 10월 1일 목요일\n"
        "[UserB] [오후 3:16] 답장"
    )
    assert [(r[2], r[3]) for r in rows] == [
        ("UserA", "카톡 캡처 붙여넣기:\n2026년 10월 1일 오후 3:15, UserB : 인용\n2026. 10. 1. 오후 3:15, UserB : 인용2\n2026년 10월 1일 목요일"),
        ("UserB", "답장"),
    ]


def test_crlf_lines_and_bom_are_stripped() -> None:
    lines = ["\ufeff홍길동 님과 카카오톡 대화\r\n", "--------------- 2023년 12월 25일 월요일 ---------------\r\n",
             "[홍길동] [오후 10:20] 안녕\r\n", "둘째\r\n"]
    segs = list(parse_kakaotalk(lines))
    assert [(s.speaker, s.text, s.ref) for s in segs] == [("홍길동", "안녕\n둘째", {"line": 3})]


# --- Android ------------------------------------------------------------------------------------------

ANDROID_KO = """\
홍길동 님과 카카오톡 대화
저장한 날짜 : 2024년 1월 2일 오후 3:00


2023년 12월 25일 오후 10:20
2023년 12월 25일 오후 10:20, 홍길동 : 시간 : 3시 : 장소 : 법원
2023년 12월 25일 오후 10:21, 김:철수 : 네
이어지는 줄
2023년 12월 25일 오후 10:22, A/B : 슬래시
2023년 12월 25일 오후 10:23, [엄마] : 괄호
2023년 12월 25일 오후 10:24, 김, 영희 : 쉼표 이름
2023년 12월 25일 오후 10:25, 홍길동 : 
2023년 12월 25일 오후 10:26,  : 이름 없는 알림

2023년 12월 26일 오전 12:00
2023년 12월 26일 오전 12:00, 홍길동 : 자정
2023년 12월 26일 오후 12:00, 홍길동 : 정오
2023년 12월 26일 오후 12:01, 김영희님이 들어왔습니다.
2023년 12월 26일 오후 12:02, 홍길동님이 김영희님을 초대하였습니다.
2023년 12월 26일 오후 12:03, 김영희 : 사진
2023년 12월 26일 오후 13:04, 김영희 : 잘못된 시각
2023년 12월 26일 오후 3:17 이후 일정
2023년 12월 26일 오후 3:18, 김영희 : 마지막
"""


def test_android_korean_every_message() -> None:
    rows, st = run(ANDROID_KO)
    assert rows == [
        (0, "2023-12-25T22:20:00+09:00", "홍길동", "시간 : 3시 : 장소 : 법원", 6, "speech"),
        (1, "2023-12-25T22:21:00+09:00", "김:철수", "네\n이어지는 줄", 7, "speech"),
        (2, "2023-12-25T22:22:00+09:00", "A/B", "슬래시", 9, "speech"),
        (3, "2023-12-25T22:23:00+09:00", "[엄마]", "괄호", 10, "speech"),
        (4, "2023-12-25T22:24:00+09:00", "김, 영희", "쉼표 이름", 11, "speech"),
        (5, "2023-12-25T22:25:00+09:00", "홍길동", "", 12, "speech"),
        (6, "2023-12-25T22:26:00+09:00", None, "이름 없는 알림", 13, "system"),
        (7, "2023-12-26T00:00:00+09:00", "홍길동", "자정", 16, "speech"),
        (8, "2023-12-26T12:00:00+09:00", "홍길동", "정오", 17, "speech"),
        (9, "2023-12-26T12:01:00+09:00", "김영희", "김영희님이 들어왔습니다.", 18, "system"),
        (10, "2023-12-26T12:02:00+09:00", "홍길동", "홍길동님이 김영희님을 초대하였습니다.", 19, "system"),
        (11, "2023-12-26T12:03:00+09:00", "김영희", "사진\n2023년 12월 26일 오후 13:04, 김영희 : 잘못된 시각\n2023년 12월 26일 오후 3:17 이후 일정", 20, "speech"),
        (12, "2023-12-26T15:18:00+09:00", "김영희", "마지막", 23, "speech"),
    ]
    assert (st.format, st.locale, st.invalid_timestamps) == ("android", "ko", 1)
    assert st.saved_at == "2024-01-02T15:00:00+09:00"


def test_android_photo_alone_is_system_but_keeps_speaker() -> None:
    rows, _ = run("2023년 12월 26일 오후 12:03, 김영희 : 사진\n2023년 12월 26일 오후 12:04, 김영희 : 사진 보냈어")
    assert rows == [
        (0, "2023-12-26T12:03:00+09:00", "김영희", "사진", 1, "system"),
        (1, "2023-12-26T12:04:00+09:00", "김영희", "사진 보냈어", 2, "speech"),
    ]


def test_android_english_layouts() -> None:
    rows, st = run(
        "Date Saved : Jan 2, 2024 at 3:00 PM\n"
        "\n"
        "October 12, 2020, 6:49 AM\n"
        "October 12, 2020, 6:49 AM, Jane : really? why : no idea\n"
        "October 12, 2020, 12:05 AM, Tom : midnight\n"
        "Dec 25, 2023, 10:20 PM, Tom : Photo\n"
        "Dec 25, 2023, 10:21 PM, Tom invited Jane.\n"
        "Dec 25, 2023, 12:00 PM, Jane : noon"
    )
    assert rows == [
        (0, "2020-10-12T06:49:00+09:00", "Jane", "really? why : no idea", 4, "speech"),
        (1, "2020-10-12T00:05:00+09:00", "Tom", "midnight", 5, "speech"),
        (2, "2023-12-25T22:20:00+09:00", "Tom", "Photo", 6, "system"),
        (3, "2023-12-25T22:21:00+09:00", "Tom", "Tom invited Jane.", 7, "system"),
        (4, "2023-12-25T12:00:00+09:00", "Jane", "noon", 8, "speech"),
    ]
    assert (st.format, st.locale, st.saved_at) == ("android", "en", "2024-01-02T15:00:00+09:00")


# --- iOS ----------------------------------------------------------------------------------------------

def test_ios_korean_dotted_with_day_headers_and_colon_system_lines() -> None:
    rows, st = run(
        "Talk_2026.2.10 08:50-1.txt\n"
        "저장한 날짜 : 2026. 2. 10. 오후 12:16\n"
        "\n"
        "2026년 2월 1일 일요일\n"
        "2026. 2. 1. 오후 8:26: 홍길동님이 김철수님을 초대했습니다.\n"
        "2026. 2. 1. 오후 8:29, 홍길동 : 공지사항\n"
        "여러 줄 안내문\n"
        "\n"
        "2026년 2월 2일 월요일\n"
        "2026. 2. 2. 오전 12:33, 김철수 : 2/2🐷\n"
        "2026. 2. 2. 오후 12:00, 이영희 : 이모티콘\n"
        "2026. 2. 2. 21:05, 이영희 : 24시간제"
    )
    assert rows == [
        (0, "2026-02-01T20:26:00+09:00", "홍길동", "홍길동님이 김철수님을 초대했습니다.", 5, "system"),
        (1, "2026-02-01T20:29:00+09:00", "홍길동", "공지사항\n여러 줄 안내문", 6, "speech"),
        (2, "2026-02-02T00:33:00+09:00", "김철수", "2/2🐷", 10, "speech"),
        (3, "2026-02-02T12:00:00+09:00", "이영희", "이모티콘", 11, "system"),
        (4, "2026-02-02T21:05:00+09:00", "이영희", "24시간제", 12, "speech"),
    ]
    assert (st.format, st.locale, st.saved_at) == ("ios", "ko", "2026-02-10T12:16:00+09:00")
    assert st.text == 0  # the Talk_… filename and the saved-date header are not evidence text


def test_ios_english_layouts() -> None:
    rows, st = run(
        "Talk_2026.2.13 18:42-1.txt\n"
        "Date Saved : Feb 13, 2026 at 18:42\n"
        "\n"
        "Sunday, February 1, 2026\n"
        "Feb 1, 2026 at 20:29: 홍길동 invited 김철수.\n"
        "Feb 1, 2026 at 20:35, 김예슬 : 2/1🐷\n"
        "December 25, 2023 at 10:20 PM, Jane : message\n"
        "second line\n"
        "December 25, 2023 at 12:05 AM, Jane : This message was deleted.\n"
        "December 25, 2023 at 12:06 AM, Jane left this chatroom."
    )
    assert rows == [
        (0, "2026-02-01T20:29:00+09:00", "홍길동", "홍길동 invited 김철수.", 5, "system"),
        (1, "2026-02-01T20:35:00+09:00", "김예슬", "2/1🐷", 6, "speech"),
        (2, "2023-12-25T22:20:00+09:00", "Jane", "message\nsecond line", 7, "speech"),
        (3, "2023-12-25T00:05:00+09:00", "Jane", "This message was deleted.", 9, "system"),
        (4, "2023-12-25T00:06:00+09:00", "Jane", "Jane left this chatroom.", 10, "system"),
    ]
    assert (st.format, st.locale, st.saved_at) == ("ios", "en", "2026-02-13T18:42:00+09:00")


def test_ios_dotted_date_with_english_clock() -> None:
    rows, st = run("2023. 12. 25. 10:20 PM, Name : message\n2023. 12. 25. 12:01 AM, Name : Video")
    assert rows == [
        (0, "2023-12-25T22:20:00+09:00", "Name", "message", 1, "speech"),
        (1, "2023-12-25T00:01:00+09:00", "Name", "Video", 2, "system"),
    ]
    assert (st.format, st.locale) == ("ios", "en")


def test_ios_time_only_lines_take_the_day_header_date() -> None:
    rows, _ = run(
        "UserA 님과 카카오톡 대화\n"
        "저장한 날짜 : 2026년 10월 2일 오후 2:23\n"
        "\n"
        "2026년 10월 1일 목요일\n"
        "오후 3:15, UserA : 첫 메시지\n"
        "오후 3:00에 만나요\n"
        "2026년 10월 2일 금요일\n"
        "오전 12:00, UserB : 자정\n"
        "오후 12:01, UserB님이 나갔습니다."
    )
    assert rows == [
        (0, "2026-10-01T15:15:00+09:00", "UserA", "첫 메시지\n오후 3:00에 만나요", 5, "speech"),
        (1, "2026-10-02T00:00:00+09:00", "UserB", "자정", 8, "speech"),
        (2, "2026-10-02T12:01:00+09:00", "UserB", "UserB님이 나갔습니다.", 9, "system"),
    ]


def test_mobile_dash_dates() -> None:
    rows, st = run("2019-03-30 오전 4:39, 홍길동 : 새벽\n2019-03-30 오후 12:40, 홍길동 : 점심")
    assert rows == [
        (0, "2019-03-30T04:39:00+09:00", "홍길동", "새벽", 1, "speech"),
        (1, "2019-03-30T12:40:00+09:00", "홍길동", "점심", 2, "speech"),
    ]
    assert st.format == "mobile"


# --- Mac CSV ------------------------------------------------------------------------------------------

def test_mac_csv_quoted_multiline_commas_and_quotes() -> None:
    rows, st = run(
        "Date,User,Message\n"
        '2023-12-25 22:20:00,"홍길동","첫 줄\n'
        "둘째 줄, 쉼표\n"
        '셋째 줄 ""따옴표"""\n'
        '2023-12-25 22:21:00,"김:철수","사진"\n'
        '2023-12-26 00:05:00,"","김영희님이 들어왔습니다."\n'
        '2023-12-26 12:05:00,"[엄마]","a,b,c"\n'
        '2023-12-26 12:06:00,"A/B","The message has been deleted."'
    )
    assert rows == [
        (0, "2023-12-25T22:20:00+09:00", "홍길동", '첫 줄\n둘째 줄, 쉼표\n셋째 줄 "따옴표"', 2, "speech"),
        (1, "2023-12-25T22:21:00+09:00", "김:철수", "사진", 5, "system"),
        (2, "2023-12-26T00:05:00+09:00", "김영희", "김영희님이 들어왔습니다.", 6, "system"),
        (3, "2023-12-26T12:05:00+09:00", "[엄마]", "a,b,c", 7, "speech"),
        (4, "2023-12-26T12:06:00+09:00", "A/B", "The message has been deleted.", 8, "system"),
    ]
    assert st.format == "mac_csv"


def test_mac_csv_bad_date_keeps_message_without_time() -> None:
    rows, st = run('Date,User,Message\nnot a date,"홍길동","안녕"\n2023-12-25 22:20:00,"홍길동","잘 자"')
    assert rows == [(0, None, "홍길동", "안녕", 2, "speech"), (1, "2023-12-25T22:20:00+09:00", "홍길동", "잘 자", 3, "speech")]
    assert st.invalid_timestamps == 1


def test_mac_csv_header_only_fails() -> None:
    with pytest.raises(EvidenceError) as e:
        run("Date,User,Message\n")
    assert e.value.code == "KAKAO_PARSE_FAILED"


# --- Name splitting -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("rest", "known", "expected"),
    [
        ("홍길동 : 안녕", set(), ("홍길동", "안녕")),
        ("김:철수 : 안녕", set(), ("김:철수", "안녕")),
        ("A/B : 안녕", set(), ("A/B", "안녕")),
        ("[엄마 [집]] : 밥 먹었니", set(), ("[엄마 [집]]", "밥 먹었니")),
        ("홍길동 : 시간 : 3시", set(), ("홍길동", "시간 : 3시")),  # unknown: the first separator
        ("홍길동 : 시간 : 3시", {"홍길동", "홍길동 : 시간"}, ("홍길동", "시간 : 3시")),  # first is known: kept
        ("A : B : 안녕", {"A : B"}, ("A : B", "안녕")),  # only the longer name is known
        ("A : B : C : 안녕", {"A : B : C"}, ("A : B : C", "안녕")),
        ("홍길동 :", set(), ("홍길동", "")),
        ("홍길동님이 들어왔습니다.", set(), None),
    ],
)
def test_split_speaker(rest: str, known: set[str], expected: tuple[str, str] | None) -> None:
    assert split_speaker(rest, known) == expected


def test_name_with_spaced_colon_resolved_from_the_1to1_room_title() -> None:
    text = (
        "A : B 님과 카카오톡 대화\n"
        "2023년 12월 25일 오후 10:20, A : B : 안녕\n"
        "2023년 12월 25일 오후 10:21, 나 : 응 : 그래"
    )
    rows, _ = run(text)
    assert [(r[2], r[3]) for r in rows] == [("A : B", "안녕"), ("나", "응 : 그래")]
    # Without the title nothing tells the name apart: the first separator wins (documented limit).
    rows, _ = run(text.split("\n", 1)[1])
    assert [(r[2], r[3]) for r in rows] == [("A", "B : 안녕"), ("나", "응 : 그래")]


# --- Placeholders and system actors ------------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    ["사진", "사진 3장", "동영상", "이모티콘", "삭제된 메시지입니다.", "파일: 가족관계증명서.pdf", "음성메시지",
     "Photo", "Video", "Emoticons", "This message was deleted.", "File: a.pdf", "보이스톡 12:03"],
)
def test_placeholders(text: str) -> None:
    assert is_placeholder(text)


@pytest.mark.parametrize("text", ["사진 보내줘", "사진관", "동영상 봤어?", "Photo of you", "파일", "3장", ""])
def test_not_placeholders(text: str) -> None:
    assert not is_placeholder(text)


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("홍길동님이 들어왔습니다.", "홍길동"),
        ("홍길동님이 나갔습니다.", "홍길동"),
        ("홍길동님이 김영희님과 박철수님을 초대했습니다.", "홍길동"),
        ("Tom joined this chatroom.", "Tom"),
        ("홍길동 invited 김철수.", "홍길동"),
        ("채팅방 관리자가 메시지를 가렸습니다.", None),
    ],
)
def test_system_actor(text: str, actor: str | None) -> None:
    assert system_actor(text) == actor


# --- Orphans, failure, streaming ----------------------------------------------------------------------

def test_text_before_the_first_message_is_kept_as_text_segment() -> None:
    rows, st = run(
        "사건번호 2024드단1234 증거 3\n"
        "\n"
        "아래는 카톡 대화 원문입니다.\n"
        "--------------- 2023년 12월 25일 월요일 ---------------\n"
        "[홍길동] [오후 10:20] 안녕"
    )
    assert rows == [
        (0, None, None, "사건번호 2024드단1234 증거 3\n\n아래는 카톡 대화 원문입니다.", 1, "text"),
        (1, "2023-12-25T22:20:00+09:00", "홍길동", "안녕", 5, "speech"),
    ]
    assert (st.text, st.messages) == (1, 1)


def test_header_words_below_the_header_are_kept_as_text() -> None:
    rows, _ = run(
        "사건 메모\n"
        "1. 남편의 폭언\n"
        "2. 생활비 미지급\n"
        "\n"
        "아래는 남편과의 카카오톡 대화\n"
        "--------------- 2023년 12월 25일 월요일 ---------------\n"
        "[정민호] [오후 10:20] 알아서 해"
    )
    assert rows[0] == (0, None, None, "사건 메모\n1. 남편의 폭언\n2. 생활비 미지급\n\n아래는 남편과의 카카오톡 대화", 1, "text")
    assert rows[1][2:] == ("정민호", "알아서 해", 7, "speech")


@pytest.mark.parametrize(
    "text",
    [
        "홍길동 님과 카카오톡 대화\n저장한 날짜 : 2024-01-02 10:00:00\n\n",
        "홍길동 님과 카카오톡 대화\n저장한 날짜 : 2024-01-02 10:00:00\n--------------- 2023년 12월 25일 월요일 ---------------\n이상한 줄",
        "그냥 메모입니다.\n카톡은 아닙니다.",
    ],
)
def test_no_messages_raises_kakao_parse_failed(text: str) -> None:
    with pytest.raises(EvidenceError) as e:
        run(text)
    assert e.value.code == "KAKAO_PARSE_FAILED"
    assert e.value.message_ko.startswith("카카오톡 대화 내용을 읽을 수 없습니다")


def test_parse_kakaotalk_is_lazy() -> None:
    pulled = 0

    def endless() -> Iterator[str]:
        nonlocal pulled
        yield "--------------- 2023년 12월 25일 월요일 ---------------"
        i = 0
        while True:
            pulled += 1
            i += 1
            yield f"[홍길동] [오후 10:{i % 60:02d}] 메시지 {i}"

    gen = parse_kakaotalk(endless())
    first = [next(gen) for _ in range(3)]
    assert [s.text for s in first] == ["메시지 1", "메시지 2", "메시지 3"]
    assert pulled == 4  # one line of look-ahead: a message ends when the next one starts


def test_timezone_parameter_and_dst_days() -> None:
    text = (
        "--------------- 2023년 3월 12일 일요일 ---------------\n"
        "[A] [오전 1:30] before\n"
        "[A] [오전 3:30] after\n"
    )
    rows, _ = run(text, tz="America/New_York")
    assert [r[1] for r in rows] == ["2023-03-12T01:30:00-05:00", "2023-03-12T03:30:00-04:00"]
    # Seoul had daylight saving in 1987 (10 May 02:00 → 03:00).
    rows, _ = run(text.replace("2023년 3월 12일 일요일", "1987년 5월 10일 일요일"))
    assert [r[1] for r in rows] == ["1987-05-10T01:30:00+09:00", "1987-05-10T03:30:00+10:00"]
    rows, _ = run("1987년 5월 10일 오전 1:30, A : x\n1987년 5월 10일 오후 3:00, A : y")
    assert [r[1] for r in rows] == ["1987-05-10T01:30:00+09:00", "1987-05-10T15:00:00+10:00"]


# --- Detection ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "head",
    [
        PC_KO,
        ANDROID_KO,
        "Date,User,Message\n2023-12-25 22:20:00,\"A\",\"x\"",
        "Talk_2026.2.10 08:50-1.txt\n저장한 날짜 : 2026. 2. 10. 오후 12:16\n\n2026년 2월 1일 일요일\n2026. 2. 1. 오후 8:29, 홍길동 : 공지",
        "Date Saved : Feb 13, 2026 at 18:42\n\nFeb 1, 2026 at 20:35, 김예슬 : 2/1",
        "[홍길동] [오후 10:20] 안녕\n[김영희] [오후 10:21] 응\n[홍길동] [오후 10:22] 뭐해",
        "2023년 12월 25일 오후 10:20, 홍길동 : 헤더 없는 한 줄",
    ],
)
def test_looks_like_kakaotalk_positive(head: str) -> None:
    assert looks_like_kakaotalk(head.split("\n")[:60])


@pytest.mark.parametrize(
    "head",
    [
        "",
        "진술서\n\n2023년 12월 25일 오후 10시경 남편이 집을 나갔습니다.",
        "카카오톡 대화 정리\n\n남편과의 대화를 아래에 정리합니다.\n생활비 문제로 다툼이 잦았습니다.",
        # A memo quoting one chat line among many lines of its own stays a memo.
        "의뢰인 면담 기록\n1. 별거 시작: 2023년 11월\n2. 생활비 미지급\n3. 폭언\n"
        "4. 아래 카톡 참고\n2023년 12월 25일 오후 10:20, 정민호 : 알아서 해\n5. 자녀 양육 문제\n6. 재산 목록\n7. 기타",
        "Date,Amount,Memo\n2023-12-25,100000,생활비",
    ],
)
def test_looks_like_kakaotalk_negative(head: str) -> None:
    assert not looks_like_kakaotalk(head.split("\n")[:60])


# --- parse(path, ctx) on the sample exports --------------------------------------------------------

def _fixture(name: str) -> tuple[list[tuple[object, ...]], dict[str, object], str | None]:
    r = kakaotalk.parse(FIXTURES / name, ParseContext(filename=name))
    assert r.detected_type == "kakaotalk"
    assert [s.seq for s in r.segments] == list(range(len(r.segments)))
    meta_json = json.dumps(r.meta, ensure_ascii=False)
    for s in r.segments:  # meta holds counts and times, never what anybody wrote
        assert s.text not in meta_json
        assert s.speaker is None or s.speaker not in meta_json
    return [(s.ts, s.speaker, s.text, s.ref["line"], s.kind) for s in r.segments], r.meta, r.event_time


def test_fixture_pc_ko() -> None:
    rows, meta, event_time = _fixture("pc_ko.txt")
    assert len(rows) == 15
    assert rows[0] == ("2023-11-03T23:42:00+09:00", "정민호", "오늘도 늦어. 먼저 자", 5, "speech")
    assert rows[4] == ("2023-11-04T00:10:00+09:00", "한지은", "카드 내역에 호텔 결제가 있던데 설명해줘", 10, "speech")
    assert rows[5] == ("2023-11-04T00:10:00+09:00", "한지은", "사진", 11, "system")
    assert rows[6] == ("2023-11-04T00:31:00+09:00", "정민호", "출장 때 쓴 거야\n법인카드랑 헷갈렸나 보지", 12, "speech")
    assert rows[8] == ("2023-11-20T12:05:00+09:00", "정민호", "생활비는 이번 달부터 100만원만 보낼게", 16, "speech")
    assert rows[11] == (
        "2023-11-20T13:15:00+09:00", "한지은",
        "변호사 상담 받았어.\n앞으로 중요한 얘기는 카톡으로만 해\n\n서류 정리해서 보낼게", 19, "speech",
    )
    assert rows[14] == (None, "정민호", "정민호님이 나갔습니다.", 25, "system")
    assert [r[4] for r in rows].count("system") == 5
    assert event_time == "2023-11-03T23:42:00+09:00"
    assert meta == {
        "format": "pc", "locale": "ko", "messages": 15, "speech": 10, "system": 5, "other_text": 0, "speakers": 2,
        "invalid_timestamps": 0, "saved_at": "2024-03-02T21:14:05+09:00", "first_time": "2023-11-03T23:42:00+09:00",
        "last_time": "2023-11-20T13:20:00+09:00", "encoding": "utf-8", "replaced_chars": 0,
    }


def test_fixture_android_ko() -> None:
    rows, meta, event_time = _fixture("android_ko.txt")
    assert len(rows) == 15
    assert rows[2] == ("2023-12-24T20:41:00+09:00", "한지은", "무슨 일인데 : 말을 해봐", 9, "speech")
    assert rows[4] == ("2023-12-25T00:00:00+09:00", "정민호", "미안", 13, "speech")
    assert rows[6] == ("2023-12-25T01:30:00+09:00", "한지은", "어제 그 여자랑 같이 있던 거 봤어\n사진은 다 저장해 놨어", 15, "speech")
    assert rows[9] == ("2023-12-25T12:10:00+09:00", "정민호", "오해야. 만나서 얘기하자", 19, "speech")
    assert rows[14] == ("2023-12-26T15:41:00+09:00", "정민호", "정민호님이 나갔습니다.", 26, "system")
    assert [r[2] for r in rows if r[4] == "system"] == ["이모티콘", "사진", "삭제된 메시지입니다.", "음성메시지", "정민호님이 나갔습니다."]
    assert event_time == "2023-12-24T20:02:00+09:00"
    assert (meta["format"], meta["messages"], meta["speakers"], meta["saved_at"]) == (
        "android", 15, 2, "2024-03-02T21:14:00+09:00"
    )


def test_fixture_ios_ko() -> None:
    rows, meta, event_time = _fixture("ios_ko.txt")
    assert len(rows) == 15
    assert rows[0] == ("2024-01-13T10:03:00+09:00", "정민호", "정민호님이 박순자님과 한지은님을 초대했습니다.", 6, "system")
    assert rows[5] == (
        "2024-01-13T10:36:00+09:00", "한지은",
        "아니요 어머님도 아셔야 해요.\n작년 11월부터 생활비도 거의 안 보냈어요.\n아이 학원도 끊었어요.", 11, "speech",
    )
    assert rows[6] == ("2024-01-14T00:15:00+09:00", "박순자", "남자가 밖에서 일하다 보면 그럴 수도 있지", 16, "speech")
    assert rows[9] == ("2024-01-14T12:00:00+09:00", "정민호", "동영상", 19, "system")
    assert rows[14] == ("2024-01-14T13:03:00+09:00", "한지은", "위 파일은 상담 기록입니다", 24, "speech")
    assert {r[1] for r in rows} == {"정민호", "박순자", "한지은"}
    assert event_time == "2024-01-13T10:03:00+09:00"
    assert (meta["format"], meta["messages"], meta["speech"], meta["system"], meta["speakers"]) == ("ios", 15, 10, 5, 3)


def test_parse_file_in_cp949_and_utf16(tmp_path: Path) -> None:
    expected, _, _ = _fixture("pc_ko.txt")
    text = (FIXTURES / "pc_ko.txt").read_text(encoding="utf-8")
    for enc in ("cp949", "utf-16"):
        p = tmp_path / f"{enc}.txt"
        p.write_bytes(text.replace("\n", "\r\n").encode(enc))
        r = kakaotalk.parse(p, ParseContext(filename=p.name))
        assert [(s.ts, s.speaker, s.text, s.ref["line"], s.kind) for s in r.segments] == expected
        assert r.meta["encoding"] == {"cp949": "cp949", "utf-16": "utf-16-le"}[enc]


def test_parse_file_limits(tmp_path: Path) -> None:
    p = tmp_path / "k.txt"
    p.write_text(ANDROID_KO, encoding="utf-8")
    with pytest.raises(EvidenceError) as e:
        kakaotalk.parse(p, ParseContext(filename="k.txt", limits=ParseLimits(max_text_bytes=100)))
    assert e.value.code == "FILE_TOO_LARGE"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(EvidenceError) as e:
        kakaotalk.parse(empty, ParseContext(filename="empty.txt"))
    assert e.value.code == "EMPTY_FILE"


# --- Memory -------------------------------------------------------------------------------------------

def _write_export(path: Path, target_bytes: int) -> int:
    """A PC export of about `target_bytes`, written one day-block at a time; returns the message count."""
    from datetime import date, timedelta

    block = "".join(
        f"[{'정민호' if i % 2 else '한지은'}] [{'오전' if i < 60 else '오후'} {(i // 5) % 12 or 12}:{i % 60:02d}] "
        f"오늘 몇 시에 들어와? 애가 기다려 {i}\n" + ("둘째 줄입니다\n" if i % 10 == 0 else "")
        for i in range(120)
    )
    day, written, days = date(2010, 1, 1), 0, 0
    with path.open("w", encoding="utf-8", newline="\r\n") as f:
        f.write("한지은 님과 카카오톡 대화\n저장한 날짜 : 2024-01-02 10:00:00\n\n")
        while written < target_bytes:
            chunk = f"--------------- {day.year}년 {day.month}월 {day.day}일 월요일 ---------------\n{block}"
            f.write(chunk)
            written += len(chunk.encode("utf-8"))
            day += timedelta(days=1)
            days += 1
    return days * 120


def test_streaming_parse_memory_is_bounded_tracemalloc(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    n = _write_export(path, 3_000_000)
    from leh.pipeline.parsers.textdecode import open_text

    tracemalloc.start()
    try:
        _, lines = open_text(path)
        count = 0
        with lines:
            for seg in parse_kakaotalk(lines):
                count += 1
                last = seg
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == n
    assert last.text.startswith("오늘 몇 시에 들어와? 애가 기다려 119")
    assert peak < 4_000_000, peak  # the file is 3 MB; holding its messages would take far more


def test_streaming_parse_of_50mb_export_keeps_rss_flat(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    n = _write_export(path, 50_000_000)
    # A fresh interpreter, so ru_maxrss (a high-water mark) measures this parse alone.
    script = textwrap.dedent(
        f"""
        import resource, sys
        from leh.pipeline.parsers.kakaotalk import parse_kakaotalk
        from leh.pipeline.parsers.textdecode import open_text
        _, lines = open_text({str(path)!r})
        it = parse_kakaotalk(lines)
        next(it)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        count = 1 + sum(1 for _ in it)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(count, (after - before) * 1024)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=240)
    count, growth = map(int, out.stdout.split())
    assert count == n
    assert growth < 20_000_000, growth  # ~50 MB of text and ~0.4 M messages; kept in memory this is >300 MB
