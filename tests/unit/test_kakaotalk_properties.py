"""Properties of the KakaoTalk parser (leh.pipeline.parsers.kakaotalk):

* any text at all either parses into consecutively numbered segments or is refused with KAKAO_PARSE_FAILED —
  never another exception;
* a generated valid PC export (Korean layout: day separators, 오전/오후 times, several speakers, multi-line
  messages) round-trips: every message comes back in order with its speaker, its time, its full text (the lines
  after the first kept) and the line it starts on.

Bounded and derandomized (the same examples on every run) so CI stays fast and stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from leh.domain.errors import EvidenceError
from leh.pipeline.parsers.kakaotalk import is_placeholder, looks_like_kakaotalk, parse_kakaotalk

PROPERTY = settings(max_examples=120, derandomize=True, deadline=None, database=None)
WEEKDAYS = "월화수목금토일"
# Everyday syllables; 님 is left out so that no generated line reads as a join/leave notice ("…님이 나갔습니다").
SYLLABLES = "가나다라마바사아자차카타파하김이박최정강조윤장임한오서신권황안송류홍전고문양손배백허유심노곽성주우구민진지은요죠네고서며면데만까해했어있없같말집돈애들밤낮"
TEXT_CHARS = SYLLABLES + "0123456789 ,.!?~:()ABCxyz"


@dataclass(frozen=True)
class Message:
    speaker: str
    day: date
    minute_of_day: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def ts(self) -> str:
        return f"{self.day.isoformat()}T{self.minute_of_day // 60:02d}:{self.minute_of_day % 60:02d}:00+09:00"


def _clock(minute_of_day: int) -> str:
    hour, minute = divmod(minute_of_day, 60)
    half = "오전" if hour < 12 else "오후"
    return f"{half} {hour % 12 or 12}:{minute:02d}"


def _separator(day: date) -> str:
    return f"--------------- {day.year}년 {day.month}월 {day.day}일 {WEEKDAYS[day.weekday()]}요일 ---------------"


def _stripped(text: str) -> str:
    return " ".join(text.split())


line_text = st.text(alphabet=TEXT_CHARS, min_size=1, max_size=30).map(_stripped).filter(bool)
speakers = st.lists(st.text(alphabet=SYLLABLES + "ABCxyz", min_size=1, max_size=6), min_size=1, max_size=4,
                    unique=True)


@st.composite
def exports(draw: st.DrawFn) -> tuple[str, list[Message], list[int]]:
    """A PC export (Korean layout), its messages and the 1-based line each message starts on."""
    names = draw(speakers)
    day = date(2023, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
    out = ["홍길동 님과 카카오톡 대화", "저장한 날짜 : 2024-12-31 10:00:00", ""]
    messages: list[Message] = []
    starts: list[int] = []
    for _ in range(draw(st.integers(1, 4))):  # days
        day += timedelta(days=draw(st.integers(1, 30)))
        out.append(_separator(day))
        minutes = sorted(draw(st.lists(st.integers(0, 24 * 60 - 1), min_size=1, max_size=5)))
        for minute in minutes:
            lines = tuple(draw(st.lists(line_text, min_size=1, max_size=3)))
            msg = Message(draw(st.sampled_from(names)), day, minute, lines)
            starts.append(len(out) + 1)
            out.append(f"[{msg.speaker}] [{_clock(minute)}] {lines[0]}")
            out.extend(lines[1:])
            messages.append(msg)
    return "\n".join(out), messages, starts


@PROPERTY
@given(export=exports())
def test_a_generated_export_round_trips(export: tuple[str, list[Message], list[int]]) -> None:
    text, messages, starts = export
    assert looks_like_kakaotalk(text.split("\n")[:20])
    segs = list(parse_kakaotalk(text.split("\n")))
    assert [s.seq for s in segs] == list(range(len(messages)))
    assert [(s.speaker, s.ts, s.text, s.ref["line"]) for s in segs] == [
        (m.speaker, m.ts, m.text, line) for m, line in zip(messages, starts, strict=True)]
    assert all(s.kind == ("system" if is_placeholder(m.text) else "speech") for s, m in zip(segs, messages, strict=True))


chat_like = st.lists(st.one_of(
    st.text(max_size=60),
    st.builds(lambda n, t, m: f"[{n}] [{t}] {m}", st.text(max_size=8), st.text(max_size=12), st.text(max_size=20)),
    st.builds(lambda y, mo, d, w: f"--------------- {y}년 {mo}월 {d}일 {w} ---------------", st.integers(-5, 99999),
              st.integers(-1, 13), st.integers(-1, 40), st.text(max_size=4)),
    st.builds(lambda y, mo, d, h, mi, n, m: f"{y}. {mo}. {d}. 오후 {h}:{mi}, {n} : {m}", st.integers(0, 99999),
              st.integers(0, 13), st.integers(0, 40), st.integers(0, 30), st.integers(0, 99), st.text(max_size=6),
              st.text(max_size=10)),
    st.builds(lambda y, m, d, rest: f'{y}-{m}-{d} 10:00:00,"{rest}"', st.integers(0, 9999), st.integers(0, 13),
              st.integers(0, 40), st.text(max_size=20)),
    st.sampled_from(["Date,User,Message", "저장한 날짜 : 2024-01-02 10:00:00", "Date Saved : 2024-01-02 10:00:00",
                     "김영희님이 들어왔습니다.", "\ufeff", "\x00", "\r"]),
), max_size=25)


@PROPERTY
@given(lines=chat_like)
def test_any_text_parses_or_is_refused_with_kakao_parse_failed(lines: list[str]) -> None:
    looks_like_kakaotalk(lines[:20])  # must not raise either
    try:
        segs = list(parse_kakaotalk(lines))
    except EvidenceError as exc:
        assert exc.code == "KAKAO_PARSE_FAILED"
        return
    assert [s.seq for s in segs] == list(range(len(segs))) and segs
    assert all(isinstance(s.text, str) and s.ref["line"] >= 1 for s in segs)
