"""Plain-text parser: paragraphs, per-paragraph dates, long-paragraph splitting, KakaoTalk routing, limits."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from leh.domain.errors import EvidenceError
from leh.pipeline.parsers import text
from leh.pipeline.parsers.base import ParseContext, ParseLimits, ParseResult
from leh.pipeline.parsers.text import MAX_SEGMENT_CHARS, iter_paragraphs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "kakaotalk"

STATEMENT = """\
진술서

2023년 12월 25일 오후 10시경 남편 정민호가 집을 나갔습니다.
그 뒤로 연락이 없었습니다.



2024.1.3 ~ 2024.1.5 사이에 남편이 짐을 가져갔습니다.
  들여쓴 줄도 그대로 둡니다.   

2023년 11월 20일 남편은 생활비를 100만원으로 줄이겠다고 통보했습니다.
"""


def write(tmp_path: Path, content: str | bytes, name: str = "t.txt", encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return p


def parse(path: Path, **limits: int) -> ParseResult:
    return text.parse(path, ParseContext(filename=path.name, limits=ParseLimits(**limits)))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp949"])
def test_paragraphs_lines_dates_and_event_time(tmp_path: Path, encoding: str) -> None:
    r = parse(write(tmp_path, STATEMENT.replace("\n", "\r\n"), encoding=encoding))
    assert r.detected_type == "text"
    assert [(s.seq, s.text, s.ts, s.ref, s.kind, s.speaker) for s in r.segments] == [
        (0, "진술서", None, {"line": 1}, "text", None),
        (1, "2023년 12월 25일 오후 10시경 남편 정민호가 집을 나갔습니다.\n그 뒤로 연락이 없었습니다.",
         "2023-12-25T22:00:00+09:00", {"line": 3}, "text", None),
        (2, "2024.1.3 ~ 2024.1.5 사이에 남편이 짐을 가져갔습니다.\n  들여쓴 줄도 그대로 둡니다.", None, {"line": 8}, "text", None),
        (3, "2023년 11월 20일 남편은 생활비를 100만원으로 줄이겠다고 통보했습니다.",
         "2023-11-20T00:00:00+09:00", {"line": 11}, "text", None),
    ]
    # The earliest date found anywhere, not the first paragraph's.
    assert r.event_time == "2023-11-20T00:00:00+09:00"
    expected_encoding = {"utf-16": "utf-16-le"}.get(encoding, encoding)
    assert r.meta == {"paragraphs": 4, "dated_paragraphs": 2, "encoding": expected_encoding, "replaced_chars": 0,
                      "messages": 0, "document_date": False}  # the earliest date, not the paper's own; no 문자 내역


def test_undated_text_has_no_event_time(tmp_path: Path) -> None:
    r = parse(write(tmp_path, "메모\n\n날짜 없는 내용"))
    assert r.event_time is None
    assert [s.ts for s in r.segments] == [None, None]


def test_replaced_characters_are_counted_in_meta(tmp_path: Path) -> None:
    body = ("가정법원 조정 기일 안내문입니다.\n" * 300).encode() + b"\n\xff\xfe \xc3 broken\n"
    r = parse(write(tmp_path, body))
    assert r.meta["replaced_chars"] == 3
    assert r.segments[-1].text == "\ufffd\ufffd \ufffd broken"
    assert r.segments[-1].ref == {"line": 302}


def test_long_paragraph_splits_between_lines(tmp_path: Path) -> None:
    lines = [f"{i:03d} " + "가" * 95 for i in range(50)]  # 50 lines of 99 chars = 4,949 chars in one paragraph
    r = parse(write(tmp_path, "머리말\n\n" + "\n".join(lines) + "\n"))
    body = r.segments[1:]
    assert all(len(s.text) <= MAX_SEGMENT_CHARS for s in body)
    assert [s.ref["line"] for s in body] == [3, 23, 43]  # 20 lines (1,999 chars) per segment
    assert "\n".join(s.text for s in body) == "\n".join(lines)


def test_single_overlong_line_splits_at_spaces_with_char_offsets() -> None:
    words = [f"단어{i}" for i in range(1500)]
    line = " ".join(words)
    pieces = list(iter_paragraphs(["앞", line, "", "뒤"]))
    assert pieces[0] == ("앞", {"line": 1})
    middle = pieces[1:-1]
    assert len(middle) > 1
    assert all(len(t) <= MAX_SEGMENT_CHARS and ref["line"] == 2 for t, ref in middle)
    for t, ref in middle:  # each piece is exactly the text at its offset, and no word is cut in two
        assert line[ref["char"] : ref["char"] + len(t)] == t
        assert t.split(" ")[0] in words and t.split(" ")[-1] in words
    assert " ".join(t for t, _ in middle) == line
    assert pieces[-1] == ("뒤", {"line": 4})


def test_overlong_line_without_spaces_is_cut_hard() -> None:
    pieces = list(iter_paragraphs(["가" * 4500]))
    assert [(len(t), ref) for t, ref in pieces] == [
        (2000, {"line": 1, "char": 0}), (2000, {"line": 1, "char": 2000}), (500, {"line": 1, "char": 4000})
    ]


@pytest.mark.parametrize(("name", "fmt", "messages"), [("pc_ko.txt", "pc", 15), ("android_ko.txt", "android", 15),
                                                       ("ios_ko.txt", "ios", 15)])
def test_kakaotalk_exports_are_routed_to_the_chat_parser(tmp_path: Path, name: str, fmt: str, messages: int) -> None:
    src = (FIXTURES / name).read_text(encoding="utf-8")
    r = parse(write(tmp_path, src, encoding="cp949"))
    assert r.detected_type == "kakaotalk"
    assert (r.meta["format"], r.meta["messages"], r.meta["encoding"]) == (fmt, messages, "cp949")
    assert all(s.kind in ("speech", "system") for s in r.segments)
    assert r.event_time == r.segments[0].ts


def test_the_registry_sends_a_chat_export_to_the_kakaotalk_parser_by_either_type(tmp_path: Path) -> None:
    from leh.domain.evidence import EvidenceType
    from leh.pipeline.detect import detect_type
    from leh.pipeline.parsers import PARSERS
    from leh.pipeline.processor import run_parser

    assert PARSERS[EvidenceType.KAKAOTALK].target == "leh.pipeline.parsers.kakaotalk:parse"
    path = write(tmp_path, (FIXTURES / "android_ko.txt").read_text(encoding="utf-8"), name="KakaoTalk_chat.txt")
    ctx = ParseContext(filename=path.name)
    detected = detect_type(path, path.name)
    assert detected.type == EvidenceType.TEXT  # bytes say text; the text parser recognises the chat
    as_text = run_parser(str(detected.type), path, ctx)
    as_chat = run_parser(EvidenceType.KAKAOTALK, path, ctx)
    assert as_text.detected_type == as_chat.detected_type == "kakaotalk"
    assert [s.to_dict() for s in as_text.segments] == [s.to_dict() for s in as_chat.segments]
    assert len(as_chat.segments) == 15


def test_kakaotalk_export_longer_than_the_detection_head(tmp_path: Path) -> None:
    body = "".join(f"2023년 12월 25일 오후 10:{i % 60:02d}, 홍길동 : 메시지 {i}\n" for i in range(500))
    r = parse(write(tmp_path, "홍길동 님과 카카오톡 대화\n저장한 날짜 : 2024-01-02 10:00:00\n\n" + body))
    assert r.detected_type == "kakaotalk"
    assert len(r.segments) == 500
    assert (r.segments[-1].text, r.segments[-1].ref) == ("메시지 499", {"line": 503})


def test_mac_csv_is_routed(tmp_path: Path) -> None:
    r = parse(write(tmp_path, 'Date,User,Message\n2023-12-25 22:20:00,"홍길동","안녕\n둘째"\n', name="t.csv"))
    assert r.detected_type == "kakaotalk"
    assert [(s.speaker, s.text, s.ref) for s in r.segments] == [("홍길동", "안녕\n둘째", {"line": 2})]


def test_memo_quoting_one_chat_line_stays_plain_text(tmp_path: Path) -> None:
    memo = (
        "의뢰인 면담 기록\n1. 별거 시작: 2023년 11월\n2. 생활비 미지급\n3. 폭언\n4. 아래 카톡 참고\n"
        "2023년 12월 25일 오후 10:20, 정민호 : 알아서 해\n5. 자녀 양육 문제\n6. 재산 목록\n7. 기타\n"
    )
    r = parse(write(tmp_path, memo))
    assert r.detected_type == "text"
    # A numbered list: each item is a segment of its own (one item's fact is not another's); the quoted chat line
    # stays with its item and dates it, a month dates its item to the month.
    assert [s.text.split("\n")[0] for s in r.segments] == [
        "의뢰인 면담 기록", "1. 별거 시작: 2023년 11월", "2. 생활비 미지급", "3. 폭언", "4. 아래 카톡 참고",
        "5. 자녀 양육 문제", "6. 재산 목록", "7. 기타"]
    quoting = r.segments[4]
    assert quoting.text == "4. 아래 카톡 참고\n2023년 12월 25일 오후 10:20, 정민호 : 알아서 해"
    assert quoting.ts == "2023-12-25T22:20:00+09:00"
    assert (r.segments[1].ts, r.segments[1].ts_precision) == ("2023-11-01T00:00:00+09:00", "month")


def test_too_large(tmp_path: Path) -> None:
    p = write(tmp_path, STATEMENT)
    with pytest.raises(EvidenceError) as e:
        parse(p, max_text_bytes=100)
    assert e.value.code == "FILE_TOO_LARGE"
    assert parse(p, max_text_bytes=p.stat().st_size).segments  # exactly at the limit is fine


@pytest.mark.parametrize("content", [b"", b"\n\n   \n\t\n", "\ufeff".encode()])
def test_empty(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(EvidenceError) as e:
        parse(write(tmp_path, content))
    assert e.value.code == "EMPTY_FILE"


def test_binary(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as e:
        parse(write(tmp_path, random.Random(5).randbytes(100_000)))
    assert e.value.code == "TEXT_DECODE_FAILED"
