"""What a lawyer's question is about: its content words (Kiwi lemmas) and the lexicon tags it names.

"남편이 해외 도박을 했어?" → terms ["해외", "도박"], tags {"도박"}. Words every question about a marriage
contains (남편, 했어, 언제, 증거 …) are dropped, so they cannot make unrelated messages look relevant.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final

from leh.analysis.concepts import (
    ACT_PARAPHRASES,
    DISCOURSE_VERBS,
    FEE_SUFFIXES,
    GENERIC_NOUNS,
    NEGATED_TEXT,
    PERSON_NAME,
    STOP_VERBS,
    any_in,
    name_forms,
    synonyms,
    tag_family,
)
from leh.analysis.labels import candidate_rules
from leh.analysis.morph import Morph, morphs
from leh.analysis.query import SEARCH_EXTRA, extract_dates
from leh.analysis.related import ground_vocabulary, similar_words
from leh.ports import SearchQuery

CONTENT_TAGS: Final = ("NNG", "NNP", "VV", "VA", "XR", "SL", "SH")
STOPWORDS: Final = frozenset({
    # the people every question is about
    "남편", "아내", "와이프", "신랑", "마누라", "배우자", "상대방", "상대", "사람", "나", "너", "당신", "우리", "저희", "그",
    "의뢰인", "원고", "피고", "며느리", "사위", "진술인", "신고인", "본인",
    # question and filler words
    "언제", "어디", "누구", "무엇", "뭐", "왜", "어떻게", "얼마", "몇", "혹시", "정말", "진짜", "어떤", "무슨",
    "것", "거", "걸", "수", "적", "일", "때", "중", "번", "정도", "증거", "사실", "내용", "얘기", "이야기", "말", "관련", "대하",
    "확인", "있", "없", "하", "되", "보", "알", "않", "이", "그렇", "어떻", "같", "자료", "기록", "대화", "메시지", "카톡",
    # verbs of talking and happening: "위자료 얘기가 나온 적 있어?" is about 위자료 only
    "나오", "가", "오", "말하", "얘기하", "이야기하", "듣", "묻", "물어보", "생기", "언급", "적히", "쓰",
    # requests ("정리해 주세요", "알려 줘") and words of time ("밤", "한 달 동안"): what is asked, not what about
    "알리", "주", "정리하", "요약하", "요약", "설명하", "설명", "부탁", "드리", "궁금", "알려주", "그날", "당일", "동안",
    "밤", "낮", "새벽", "아침", "저녁", "오전", "오후", "무렵", "쯤", "경", "전후", "달", "모두", "전부", "총", "의심",
    "먼저", "지금", "현재", "당시", "최근", "처음", "최초", "마지막", "가장", "시점", "사이", "정리",
    # a lawyer's note asks in its own words ("…인지 확인 바랍니다", "특정 요망", "경위", "여부"): none is the topic
    "바라", "요망", "특정", "여부", "경위", "기재", "내역", "파악", "검토", "증거상", "일자별", "포함", "상",
    "가운데", "중에서", "따르", "주장", "동선", "행적", "행방",
})


@dataclass(frozen=True)
class QuestionIntent:
    terms: tuple[str, ...]
    tags: frozenset[str]

    @property
    def required(self) -> int:
        """How many terms a message must contain to count as about the question (all of one or two)."""
        n = len(self.terms)
        return n if n <= 2 else math.ceil(2 * n / 3)


def content_terms(ms: Sequence[Morph]) -> list[str]:
    out: list[str] = []
    for m in ms:
        if m.tag.startswith(CONTENT_TAGS) and m.form not in STOPWORDS and m.form not in out:
            out.append(m.form)
    return out


def question_tags(text: str, ms: Sequence[Morph]) -> set[str]:
    """Lexicon tags the question names, whatever its polarity ("폭언한 적 없어?" still asks about 폭언)."""
    forms = {m.form for m in ms}
    tags: set[str] = set()
    for comp in candidate_rules(forms):
        if comp.rule.needs and not forms & set(comp.rule.needs):
            continue
        if next(iter(comp.matches(ms, text)), None) is not None:
            tags.add(comp.rule.tag)
    return tags


def analyze_question(text: str) -> QuestionIntent:
    ms = morphs(text)
    return QuestionIntent(terms=tuple(content_terms(ms)), tags=frozenset(question_tags(text, ms)))


def coverage(intent: QuestionIntent, text: str, ms: Sequence[Morph]) -> int:
    """How many of the question's terms the message contains (as a lemma, or as text for nouns)."""
    lemmas = {m.form for m in ms}
    return sum(1 for t in intent.terms if t in lemmas or (len(t) >= 2 and t in text))


# ------------------------------------------------------------------ what kind of answer the question wants
class Kind:
    """The question types ask composes answers for."""

    ON_DATE = "on_date"  # 2023년 12월 25일에 무슨 일이 있었나요?
    WHO = "who"  # 박수진은 누구인가요?
    BEGAN = "began"  # 언제부터 생활비를 주지 않았나요?
    STOPPED = "stopped"  # 언제까지 / 언제 그만뒀나요?
    WHEN = "when"  # 남편이 집을 나간 것은 언제인가요?
    HOW_OFTEN = "how_often"  # 몇 번 때렸나요?
    WHETHER = "whether"  # 때린 적이 있나요? 금액은 얼마인가요?


@dataclass(frozen=True)
class DateRange:
    """Inclusive calendar range; year None matches any year (a question saying "3월 23일" only)."""

    year: int | None
    start: tuple[int, int]  # (month, day)
    end: tuple[int, int]
    label: str  # the range as the question wrote it, normalised: "2023년 12월 25일", "3월 23일", "2024년 3월"
    year_end: int | None = None  # a range across a new year ("2023년 12월 20일부터 2024년 1월 5일까지")

    def contains(self, year: int, month: int, day: int) -> bool:
        if self.year is None:
            if self.start <= self.end:
                return self.start <= (month, day) <= self.end
            return (month, day) >= self.start or (month, day) <= self.end  # "12월 20일~1월 5일"
        return (self.year, *self.start) <= (year, month, day) <= (self.year_end or self.year, *self.end)

    def covers_month(self, year: int, month: int) -> bool:
        """Whether the range is one or more whole months and holds this one (a document's "2024년 9월")."""
        whole = self.start[1] == 1 and self.end[1] >= 28
        return whole and self.contains(year, month, 1)


_Q_FULL = re.compile(r"(?<!\d)(\d{4})\s*(?:년\s*|[.\-/]\s*)(\d{1,2})\s*(?:월\s*|[.\-/]\s*)(\d{1,2})\s*일?(?!\d)")
_Q_MONTH_DAY = re.compile(r"(?<![\d.])(\d{1,2})\s*월\s*(\d{1,2})\s*일")
_Q_YEAR_MONTH = re.compile(r"(?<!\d)(\d{4})\s*년\s*(\d{1,2})\s*월(?!\s*\d{1,2}\s*일)")
_Q_MONTH = re.compile(r"(?<![\d년])(?<!\d년\s)(\d{1,2})\s*월(?!\s*\d{1,2}\s*일)")
_DAYS_IN_MONTH: Final = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]


_Q_SLASH = re.compile(r"(?<![\d./])(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])")
_Q_SHORT_YEAR = re.compile(r"(?<!\d)(\d{2})\s*년\s*(\d{1,2})\s*월(?:\s*(\d{1,2})\s*일)?")
_Q_PART = re.compile(r"(?:(?<!\d)(\d{4})\s*년\s*)?(?<!\d)(\d{1,2})\s*월\s*(초순|상순|중순|하순|말경|초|말)(?=$|[\s에의까부,?~])")
_PARTS: Final = {"초": (1, 10), "초순": (1, 10), "상순": (1, 10), "중순": (11, 20), "하순": (21, 31),
                 "말": (21, 31), "말경": (21, 31)}


_Q_PART_RANGE = re.compile(r"(?:(?<!\d)(\d{4})\s*년\s*)?(?<!\d)(\d{1,2})\s*월\s*(초순|상순|중순|하순|말경|초|말)\s*(?:부터|에서|~|∼)\s*"
                            r"(?:(\d{1,2})\s*월\s*)?(초순|상순|중순|하순|말경|초|말)\s*(?:까지|사이)?")


def _part_range(text: str) -> DateRange | None:
    """"3월 중순부터 말까지", "2월 초에서 3월 중순 사이": from the first part's first day to the second's last."""
    m = _Q_PART_RANGE.search(text)
    if not m:
        return None
    y = int(m.group(1)) if m.group(1) else None
    mo_a = int(m.group(2))
    mo_b = int(m.group(4)) if m.group(4) else mo_a
    if not (1 <= mo_a <= 12 and 1 <= mo_b <= 12):
        return None
    a, b = _PARTS[m.group(3)][0], min(_PARTS[m.group(5)][1], _DAYS_IN_MONTH[mo_b - 1])
    second = f"{mo_b}월 {m.group(5)}" if m.group(4) else m.group(5)
    label = f"{y}년 {mo_a}월 {m.group(3)}부터 {second}까지" if y else f"{mo_a}월 {m.group(3)}부터 {second}까지"
    if (mo_b, b) < (mo_a, a):
        return None
    return DateRange(y, (mo_a, a), (mo_b, b), label)


def _range_date(text: str) -> DateRange | None:
    """A period the question names: "3월 1일부터 9일까지", "2024년 3월 첫째 주", "3월 초", "3월 중순부터 말까지"
    (search's date reader)."""
    rng = _part_range(text)
    if rng is not None:
        return rng
    m = _Q_PART.search(text)
    if m:
        y = int(m.group(1)) if m.group(1) else None
        mo = int(m.group(2))
        a, b = _PARTS[m.group(3)]
        b = min(b, _DAYS_IN_MONTH[mo - 1]) if 1 <= mo <= 12 else b
        label = f"{y}년 {mo}월 {m.group(3)}" if y else f"{mo}월 {m.group(3)}"
        return DateRange(y, (mo, a), (mo, b), label) if 1 <= mo <= 12 else None
    q = SearchQuery(text=text, terms=[])
    extract_dates(text, q)
    if q.date_from and q.date_to:
        frm, to = q.date_from, q.date_to
        ya, yb = int(frm[:4]), int(to[:4])
        start, end = (int(frm[5:7]), int(frm[8:10])), (int(to[5:7]), int(to[8:10]))
        if (ya, *start) == (yb, *end):
            return DateRange(ya, start, end, f"{ya}년 {start[0]}월 {start[1]}일")
        second = f"{yb}년 {end[0]}월 {end[1]}일" if yb != ya else f"{end[0]}월 {end[1]}일"
        return DateRange(ya, start, end, f"{ya}년 {start[0]}월 {start[1]}일부터 {second}까지",
                         year_end=yb if yb != ya else None)
    if q.month_day_from and q.month_day_to:
        start = (int(q.month_day_from[:2]), int(q.month_day_from[3:5]))
        end = (int(q.month_day_to[:2]), int(q.month_day_to[3:5]))
        return DateRange(None, start, end, f"{start[0]}월 {start[1]}일부터 {end[0]}월 {end[1]}일까지")
    return None


_Q_PERIOD = re.compile(r"부터|까지|~|∼|첫째\s*주|둘째\s*주|셋째\s*주|넷째\s*주|마지막\s*주|첫\s*주|월\s*(?:초|말|중순|하순|상순)")


_HOLIDAYS: Final = ((r"크리스마스\s*이브", 12, 24), ("크리스마스|성탄절", 12, 25), ("어린이날", 5, 5), ("어버이날", 5, 8),
                     (r"밸런타인\s*데이|발렌타인\s*데이", 2, 14), (r"화이트\s*데이", 3, 14), (r"신정|새해\s*첫날", 1, 1))


# 설날 and 추석 by year (the lunar holidays: the day before, the day, the day after).
_LUNAR: Final[dict[str, dict[int, tuple[int, int]]]] = {
    "설": {2018: (2, 16), 2019: (2, 5), 2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10),
          2025: (1, 29), 2026: (2, 17), 2027: (2, 7), 2028: (1, 27)},
    "추석": {2018: (9, 24), 2019: (9, 13), 2020: (10, 1), 2021: (9, 21), 2022: (9, 10), 2023: (9, 29),
            2024: (9, 17), 2025: (10, 6), 2026: (9, 25), 2027: (9, 15), 2028: (10, 3)},
}
_LUNAR_Q = re.compile(r"(?<!\d)(\d{4})\s*년\s*(?:의\s*)?(설날|설(?=\s*연휴|\s*당일|\s*전날|(?:에|의|은|는|때|이)?(?:\s|$|\?))|추석)"
                      r"(?:\s*(연휴|당일|전날|다음\s*날))?")


def _lunar(text: str) -> DateRange | None:
    """"2025년 설 연휴" → 2025-01-28..30, "2024년 추석" → that day (a year is needed: the date moves every year)."""
    m = _LUNAR_Q.search(text)
    if not m:
        return None
    name = "설" if m.group(2).startswith("설") else "추석"
    y = int(m.group(1))
    day = _LUNAR[name].get(y)
    if day is None:
        return None
    base = datetime.date(y, *day)
    which = (m.group(3) or "").replace(" ", "")
    before, after = {"연휴": (-1, 1), "전날": (-1, -1), "다음날": (1, 1)}.get(which, (0, 0))
    a, b = base + datetime.timedelta(days=before), base + datetime.timedelta(days=after)
    label = f"{y}년 {m.group(2)}{' ' + m.group(3) if m.group(3) else ''}"
    return DateRange(y, (a.month, a.day), (b.month, b.day), label, year_end=b.year if b.year != y else None)


def _holiday(text: str) -> DateRange | None:
    """A holiday the question names ("2023년 크리스마스", "어린이날", "2025년 설 연휴")."""
    lunar = _lunar(text)
    if lunar is not None:
        return lunar
    for rx, mo, d in _HOLIDAYS:
        m = re.search(rf"(?:(\d{{4}})\s*년\s*)?(?:{rx})", text)
        if m:
            y = int(m.group(1)) if m.group(1) else None
            return DateRange(y, (mo, d), (mo, d), f"{y}년 {mo}월 {d}일" if y else f"{mo}월 {d}일")
    return None


# "3~5월", "3-5월 사이", "2025년 3~5월": months from the first to the second (the first written without 월)
_Q_MONTHS = re.compile(r"(?:(?<!\d)(\d{4})\s*년\s*)?(?<![\d.])(\d{1,2})\s*[~∼\-]\s*(\d{1,2})\s*월(?!\s*\d{1,2}\s*일)")
# "8월 27일 이후", "4월 이래", "3월 2일 뒤로": from that day (or month) on, not that day only
_Q_AFTER = re.compile(r"(?:일|월)\s*(?:이후|이래|뒤로|후로)(?:로|에|부터)?(?![가-힣])")


def question_date(text: str) -> DateRange | None:
    """The day, month or period a question names ("2023년 12월 25일", "2024. 3. 2.", "3/2", "23년 3월 2일",
    "3월 23일", "2024년 3월", "3월", "3월 초", "3월 1일부터 9일까지", "3월 첫째 주", "3~5월", "8월 27일 이후"),
    else None."""
    m = _Q_MONTHS.search(text)
    if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 12:
        y, a, b = (int(m.group(1)) if m.group(1) else None), int(m.group(2)), int(m.group(3))
        first = f"{y}년 {a}월" if y else f"{a}월"
        return DateRange(y, (a, 1), (b, _DAYS_IN_MONTH[b - 1]), f"{first}부터 {b}월까지",
                         year_end=y + 1 if y and b < a else None)
    rng = _single_date(text)
    if rng is not None and _Q_AFTER.search(text) and (rng.start == rng.end or (
            rng.start[0] == rng.end[0] and rng.start[1] == 1 and rng.end[1] >= 28)):
        # the day (or month) the question names, then 이후: every day from it to the year's end
        return DateRange(rng.year, rng.start, (12, 31), f"{rng.label} 이후")
    return rng


def _single_date(text: str) -> DateRange | None:
    if _Q_PERIOD.search(text):
        rng = _range_date(text)
        if rng is not None:
            return rng
    m = _Q_FULL.search(text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return DateRange(y, (mo, d), (mo, d), f"{y}년 {mo}월 {d}일") if _valid(mo, d) else None
    m = _Q_SHORT_YEAR.search(text)
    if m:
        y, mo = 2000 + int(m.group(1)), int(m.group(2))
        if m.group(3):
            d = int(m.group(3))
            return DateRange(y, (mo, d), (mo, d), f"{y}년 {mo}월 {d}일") if _valid(mo, d) else None
        return DateRange(y, (mo, 1), (mo, _DAYS_IN_MONTH[mo - 1]), f"{y}년 {mo}월") if 1 <= mo <= 12 else None
    m = _Q_MONTH_DAY.search(text) or _Q_SLASH.search(text)
    if m:
        mo, d = int(m.group(1)), int(m.group(2))
        return DateRange(None, (mo, d), (mo, d), f"{mo}월 {d}일") if _valid(mo, d) else None
    m = _Q_YEAR_MONTH.search(text)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        return DateRange(y, (mo, 1), (mo, 31), f"{y}년 {mo}월") if 1 <= mo <= 12 else None
    m = _Q_MONTH.search(text)
    if m and 1 <= int(m.group(1)) <= 12:
        mo = int(m.group(1))
        return DateRange(None, (mo, 1), (mo, 31), f"{mo}월")
    return _holiday(text)


# A date written in evidence text: "2024년 3월 2일", "2024. 3. 2.", "2024-03-02", or "3월 2일" (year from context).
_T_FULL = re.compile(r"(?<!\d)(\d{4})\s*(?:년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일|\.\s?(\d{1,2})\s?\.\s?(\d{1,2})(?!\d)"
                     r"|-(\d{1,2})-(\d{1,2})(?!\d))")
_T_MONTH_DAY = re.compile(r"(?<![\d.년])(?<!년\s)(\d{1,2})\s*월\s*(\d{1,2})\s*일")
# A memo's line opening with a year-less month/day: "3/22 토 …", "- 4/5 …" (a slash elsewhere may be a fraction).
_T_SLASH_DAY = re.compile(r"(?:^|\n)\s*(?:[-•·*]\s*)?(1[0-2]|0?[1-9])\s*/\s*(3[01]|[12]\d|0?[1-9])(?![\d/])")


# "2024년 3월", and "2024. 3.경부터" / "2024. 3. ~ 6." (a dotted year and month with no day after it)
_T_MONTH = re.compile(r"(?<!\d)(\d{4})\s*년\s*(\d{1,2})\s*월(?!\s*\d{1,2}\s*일)|(?<![\d.])(\d{4})\s*\.\s*(\d{1,2})\s*\.(?!\s*\d)")


def text_months(text: str, default_year: int | None = None) -> list[tuple[int, int]]:
    """(year, month) of every month the text names without a day ("2024년 9월 마이너스 통장에서")."""
    found = ((int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4))) for m in _T_MONTH.finditer(text))
    return [(y, mo) for y, mo in found if 1 <= mo <= 12]


def text_dates(text: str, default_year: int | None) -> list[tuple[int, int, int]]:
    """(year, month, day) of every date the text writes; a date without a year takes `default_year`."""
    out: list[tuple[int, int, int]] = []
    for m in _T_FULL.finditer(text):
        y = int(m.group(1))
        mo, d = next((int(a), int(b)) for a, b in ((m.group(2), m.group(3)), (m.group(4), m.group(5)),
                                                   (m.group(6), m.group(7))) if a)
        if _valid(mo, d):
            out.append((y, mo, d))
    if default_year is not None:
        for m in [*_T_MONTH_DAY.finditer(text), *_T_SLASH_DAY.finditer(text)]:
            mo, d = int(m.group(1)), int(m.group(2))
            if _valid(mo, d):
                out.append((default_year, mo, d))
    return out


_WHO = re.compile(r"^\s*(?:그런데\s*|그럼\s*)?([가-힣A-Za-z]{2,10}?)(?:\s*씨|\s*님)?\s*(?:은|는|이|가|이란|란|라는 사람은|이라는 사람은)?\s*"
                  r"(?:도대체\s*)?(?:누구|누군|어떤\s*사람|어떤\s*관계|무슨\s*관계|(?:의뢰인|남편|아내|[가-힣]{2,4})(?:과|와|하고)\s*"
                  r"(?:어떤|무슨)\s*(?:관계|사이))")
_WHO_RELATION = re.compile(r"^\s*([가-힣]{2,10}?)(?:\s*씨|\s*님)?(?:과|와|하고)\s*(?:의뢰인|남편|아내|[가-힣]{2,4})(?:의|은|는)?\s*"
                           r"(?:(?:어떤|무슨)\s*)?(?:관계|사이)"
                           r"|^\s*([가-힣]{2,10}?)(?:\s*씨|\s*님)?(?:이라는 사람|라는 사람)?(?:에\s*대해|에\s*관해|에\s*대한)")
# "진술서에 나오는 이옥자는 누구인가요?": the name right before 은/는 … 누구, anywhere in the question
_WHO_INSIDE = re.compile(r"(?<![가-힣])([가-힣]{2,5}?)(?:\s*씨|\s*님)?\s*(?:은|는|이란|란)\s*(?:도대체\s*)?(?:누구|누군|어떤\s*사람)")
# "김도훈 씨가 이 사건에서 어떤 역할이야?": a person's name, then (a few words later) what they are
_WHO_ROLE_OF = re.compile(r"^\s*([가-힣]{2,5}?)(?:\s*씨|\s*님)?\s*(?:은|는|이|가)\s+[^?]{0,20}?(?:어떤|무슨)\s*"
                          r"(?:역할|관계|사이|사람|인물|존재)")
_BEGAN = re.compile(r"언제부터|(?:며칠|몇\s*월|몇\s*일|몇\s*년|어느\s*(?:때|달|해|날)|언제쯤)\s*부터(?!\s*\S*까지)|부터\s*(?:였|이었|인가|인지)|시작(?:한|된|했|됐|되었|하였|\s*(?:시기|시점|일|날))|처음|최초|맨\s*먼저|첫\s*(?:번째|증거)|(?:가장|제일)\s*(?:이른|빠른|먼저)")
_STOPPED = re.compile(r"언제까지|그만(?:뒀|두었|둔)|멈췄|멈춘|끊(?:었|은|긴|겼)|중단(?:했|된|한)|마지막|최근|가장\s*늦")
_OFTEN = re.compile(r"몇\s*(?:번|차례|회|건|번이나|통(?!장))|얼마나\s*(?:자주|잦|빈번)|횟수|건수|개수|갯수|빈도|(?:모두|총|전부)\s*며칠|며칠이나|몇\s*일이나")
_WHEN = re.compile(r"언제|며칠|몇\s*월\s*몇\s*일|날짜|일자|일시|시점|시기|시각|요일|몇\s*시(?!간)|"
                   r"([가-힣])\s*(?:날|달|해|때)(?:은|이|을|짜|는)?\s*(?:언제\S*|며칠\S*)?\s*[?]?$|"
                   r"([가-힣])\s*(?:날|때)(?:은|는|이|짜)?요\s*[?]?$|"  # "비번 바꿔버린 날은요?"
                   r"([가-힣])\s*(?:날|때)(?:을|를)?\s*(?:좀\s*)?(?:특정|확인|알려|찾아|짚어)")  # "쫓겨난 날 특정 바랍니다"


# A lawyer's date noun: "발생일", "개시일", "송금일", "작성일" (a verbal noun and 일); not 생일, 매일, 평일 …
_DATE_NOUN: Final = re.compile(r"(?<![가-힣])([가-힣]{2,4})일(?=$|[\s?.,()·은는이을를도과와자까부])")
# stems before 일 that make no date noun: weekdays (토요일), work (집안일, 회사일), "무슨 일" written together
_NOT_DATE_NOUNS: Final = frozenset({"하루종", "공휴", "집안", "회사", "바깥", "부엌", "농사", "가게", "궂은", "무슨", "이런",
                                   "그런", "저런", "어떤", "별", "큰", "한", "어제", "그날"})


def _not_date_noun(stem: str) -> bool:
    return stem in _NOT_DATE_NOUNS or stem.endswith("요")


def _date_noun(text: str) -> bool:
    return any(not _not_date_noun(m.group(1)) for m in _DATE_NOUN.finditer(text))


def _when(text: str) -> bool:
    """"언제", "날짜" …, a date noun ("발생일", "개시일"), or a question ending in a clause and 날/달/때 ("때린
    날은?", "나간 때는?")."""
    if _date_noun(text):
        return True
    for m in _WHEN.finditer(text):
        last = m.group(1) or m.group(2) or m.group(3)
        if last is None or (ord(last) - 0xAC00) % 28 in (4, 8):  # 때린 (ㄴ), 할 (ㄹ)
            return True
    return False


_WEEK_OF: Final = re.compile(r"마지막\s*주")  # "10월 마지막 주" is a period, not the last time


def question_kind(text: str) -> str:
    if _OFTEN.search(text):
        return Kind.HOW_OFTEN
    if "언제부터" in text:
        return Kind.BEGAN
    if _STOPPED.search(_WEEK_OF.sub(" ", text)) and (_when(text) or "마지막" in text or "최근" in text):
        return Kind.STOPPED
    if _BEGAN.search(text) and (_when(text) or "부터" in text or "시작" in text):
        return Kind.BEGAN
    if question_date(text) is not None:
        # "3월 9일에 무슨 일이 …", and any other question about one day: that day's evidence, on the topic if any
        return Kind.ON_DATE
    if who_name(text):
        return Kind.WHO
    if _when(text):
        return Kind.WHEN
    return Kind.WHETHER


# A lawyer's note on a person: "차도윤 신원", "우현아 — 의뢰인과의 관계 확인 바랍니다", "도정미 씨는 사건과 어떤
# 관련이 있는 인물인가요?", "…에 나오는 염지선이라는 이름은 누구를 가리킵니까?": a name, and a word asking who they are.
_IDENTITY_Q: Final = re.compile(r"누구|누군|신원|인적\s*사항|정체|어떤\s*(?:사람|인물|관계|사이)|무슨\s*관계|관계|인물|역할")
_NAME_TOKEN: Final = re.compile(rf"(?<![가-힣])({PERSON_NAME.pattern})(?=\s*(?:씨|님)?(?:이라는|라는|이란|란|은|는|이|가|과|와|의|에\s*대|\s|[—–\-:,(]|$))")


def _named_person_q(text: str) -> str | None:
    """The name a terse identity question is about, when the question names exactly one person-shaped word."""
    if not _IDENTITY_Q.search(text):
        return None
    names = list(dict.fromkeys(m.group(1) for m in _NAME_TOKEN.finditer(text)))
    names = [n for n in names if n not in STOPWORDS and _name_word(n)]
    nouns = [n for n in names if _name_word(n, strict=True)]  # "인물인", "나오는" are no names
    # "지목하는 남자가 누구인지": a noun made a verb (지목 + 하) is no name Kiwi read in pieces
    names = [n for n in names if not any(m.tag in ("XSV", "XSA") for m in morphs(n)) and not _verb_joined(n)]
    return nouns[0] if len(nouns) == 1 else names[0] if len(names) == 1 else None


def _verb_joined(word: str) -> bool:
    """"나가서", "나와서" (a verb and a connective ending: "집을 나가서 누구 집으로 갔나요?") are no names."""
    ms = morphs(word)
    return bool(ms) and ms[-1].tag == "EC" and any(m.tag.startswith("VV") for m in ms)


def _name_word(word: str, *, strict: bool = False) -> bool:
    """Whether the word may be a name: not a common noun with a particle ("여자가"); `strict`: nouns only (Kiwi
    reads an unknown name as one common noun, 차도윤, or in pieces, 남 하 윤, 우현 아, 맹 순 자)."""
    ms = morphs(word)
    if strict:
        return bool(ms) and all(m.tag.startswith("NN") or m.tag in ("JKV", "MM", "XR") for m in ms)
    # a real particle after a common noun ("여자가"); Kiwi's "ᆫ" in 용하진 (용하 + 지 + ᆫ) is none
    return bool(ms) and not any(m.tag.startswith("J") and m.tag != "JKV" and "가" <= m.form[:1] <= "힣"
                                and i > 0 and ms[i - 1].tag.startswith("NN") for i, m in enumerate(ms))


_QUOTED_WORDS: Final = re.compile(r"['\"‘“][^'\"‘’“”]{1,60}['\"’”](?:이?라고|이?라는|이?란|하고|고)?")


def who_name(text: str) -> str | None:
    """The person a "누구" question asks about ("박수진은 누구인가요?" → 박수진), unless it is a role word. Quoted
    words are what someone said, never the name asked about ("'천한 것'이라고 한 사람은 누구" names nobody)."""
    text = _QUOTED_WORDS.sub(" ", text)
    inside = _WHO_INSIDE.search(text)
    if inside and not PERSON_NAME.fullmatch(inside.group(1)):
        inside = None  # "여자는 누구야?" names a role, not a person
    role_of = _WHO_ROLE_OF.search(text)
    if role_of and not PERSON_NAME.fullmatch(role_of.group(1)):
        role_of = None
    m = _WHO.search(text) or _WHO_RELATION.search(text) or inside or role_of
    if m and m.re is _WHO_RELATION and m.group(2) and _ASKS_ELSE.search(text[m.end():]):
        return None  # "길성민에 대한 형사재판 선고일이 언제죠?" asks a date, not who 길성민 is
    if not m:
        name = _named_person_q(text)
        return None if name is None or _someone_of(name, text) else name
    name = next(g for g in m.groups() if g)
    if _someone_of(name, text):
        return None
    if re.search(r"(?:에서|에게|한테|와|과|랑|하고|로|을|를|의)$", name):
        return None  # "호텔에서 누구와 숙박했나요?" asks for a companion, not who 호텔 is
    return None if name in STOPWORDS or name in ("그사람", "이사람", "저사람") else name


# after "X에 대해": the question asks something of X (a date, a count, a place, whether), not who X is
_ASKS_ELSE: Final = re.compile(r"언제|며칠|몇|얼마|어디|날짜|일자|일시|여부|있(?:나|었|는지|습)|했(?:나|는지|습)|[가-힣]일(?:은|이|는|자)?\s*\??\s*$")
# "봉재혁이 만나던 여성이 누구인지": the name is who acts; the question asks for the person of that act
_SOMEONE_OF: Final = re.compile(r"(?:\s*씨|\s*님)?(?:이|가|은|는)\s+(?:[가-힣]+\s+){0,2}([가-힣]+)\s+([가-힣]{1,5}?)(?:이|가|은|는)?\s*(?:누구|누군)")


def _someone_of(name: str, text: str) -> bool:
    """Whether the question names the person as the doer of a clause that describes someone else, and asks who
    that is ("봉재혁이 만나던 여성이 누구인지", "남편이 때린 사람은 누구")."""
    for m in re.finditer(re.escape(name) + _SOMEONE_OF.pattern, text):
        verb = m.group(1)
        last = verb[-1]
        if verb.endswith(("던", "는")) or (ord(last) - 0xAC00) % 28 in (4, 8):  # 만나던, 만나는, 만난, 만날
            return True
    return False


# What a question asks for when it wants a value: the evidence must state one, not just share the topic.
class Wants:
    AMOUNT = "amount"  # 얼마, 금액, 몇 원
    AGE = "age"  # 몇 살, 나이
    COUNT_OF = "count_of"  # 몇 명, 몇 개
    NAME = "name"  # 이름은 무엇
    DURATION = "duration"  # 얼마나 (기간)
    DATE = "date"  # 언제, 생일, 날짜
    RATE = "rate"  # 이자율, 금리, 몇 퍼센트
    PERSON = "person"  # 누구와, 누가: a person other than the spouses
    NUMBER = "number"  # 새 번호가 뭔지, 사건번호?: a number the evidence writes
    NONE = "none"


_AMOUNT_Q = re.compile(r"얼마(?!나\s*(?:자주|잦|빈번))|금액|액수|몇\s*원|비용은|값은|규모")
_DURATION_Q = re.compile(r"기간|얼마\s*동안|며칠\s*동안|몇\s*(?:주|개월|달|년)\s*(?:동안|간)|얼마나\s*(?:걸|오래|지속|계속)")
# "바꾼 도어락 새 번호가 뭔지", "보호명령 사건번호?": the number itself, not when it changed ("비밀번호를 바꾼 것은 언제")
_NUMBER_Q = re.compile(r"번호(?:가|는|은|를)?\s*(?:뭔|뭐|무엇|어떻게\s*되|알\s*수|확인|특정|\?|$)")
_NUMBER: Final = re.compile(r"번호\D{0,12}\d[\d\-]{2,}|\d{2,4}-\d{3,4}-\d{4}|\d{4}[가-힣]{1,3}\d{2,}")
_RATE_Q = re.compile(r"이자율|금리|이율|몇\s*(?:퍼센트|%|프로)|비율")
# Nouns that are amounts of money: "남편의 연봉은?" asks for one though it does not say 얼마.
MONEY_NOUNS: Final = frozenset({"월급", "연봉", "수입", "소득", "급여", "봉급", "월세", "전세금", "보증금", "시세", "가격", "값",
                                "잔액", "대출금", "빚", "채무", "비용", "금액", "생활비", "양육비", "위자료", "학원비", "치료비",
                                "병원비", "카드값", "카드론", "월수입", "연소득", "재산", "예금", "적금"})
_OTHER_QUESTION = re.compile(r"언제|누구|누가|어디|왜|어떻게|몇|무엇|뭐|어떤|무슨|있|했|했나|한\s*적")
_AGE_Q = re.compile(r"나이|몇\s*살|몇\s*세")
_NAME_Q = re.compile(r"이름|성함|성명|상호|명칭")
# Attribute words that name what is asked rather than the topic: they are not required as words in the evidence.
# (이름 stays a topic word: "언니의 이름은?" needs evidence that writes a name as such.)
ATTRIBUTE_WORDS: Final = frozenset({"금액", "액수", "얼마", "나이", "날", "날짜", "일자", "일시", "기간", "비용",
                                    "값", "무엇", "몇", "부터", "까지", "시작", "그만", "자주", "횟수", "차례", "회",
                                    "건", "번", "시점", "시기", "빈도", "처음", "마지막", "최근", "최초",
                                    # what is asked about a time or a size, and the parts of a month a question names
                                    "며칠", "시각", "요일", "규모", "초순", "상순", "중순", "하순", "연휴",
                                    # what someone said about it, asked for: the reply is the answer
                                    "해명", "변명", "답변", "입장",
                                    # what a date noun dates ("최초 발생일", "별거 개시일"): the act is the topic
                                    "발생", "개시", "건수",
                                    # which part of the body, what was found: the injury is the topic
                                    "부위", "내용"})


_PERSON_Q = re.compile(r"누구(?:와|랑|하고|를|에게|한테|의|인지)|누가|"
                       r"(?:같이|함께)\s*(?:있던|있었던|있은|간|갔던|온|왔던|만난|만났던)\s*(?:사람|인물|상대)")
# "허리띠로 몇 대 맞았는지": the number of blows, which only a line that writes one states ("두 대", "3대")
_BLOWS_Q = re.compile(r"몇\s*대(?:를|나|씩)?\s*(?:맞|때리|때렸|때린|쳤|친)")
_BLOWS = re.compile(r"(?:\d+|[한두세네]|다섯|여섯|일곱|여덟|아홉|열)\s*대(?:를|나|씩|\s)")
_PERSON_ROLES: Final = re.compile(r"아들|딸|자녀|아이|애들|어머니|엄마|아버지|아빠|장모|장인|시어머니|시아버지|시누이|"
                                  r"언니|오빠|누나|형|동생|친구|동료|후배|선배|상사|직원|애인|여자|남자|부모|처제|처남|"
                                  r"트레이너|코치|선생|회원|지인|과장|부장|팀장|대리|사장")


def question_wants(text: str) -> str:
    if _PERSON_Q.search(text):
        return Wants.PERSON
    if _AGE_Q.search(text):
        return Wants.AGE
    if _BLOWS_Q.search(text):
        return Wants.COUNT_OF
    if _NAME_Q.search(text):
        return Wants.NAME
    if _RATE_Q.search(text):
        return Wants.RATE
    if _DURATION_Q.search(text):
        return Wants.DURATION
    if _AMOUNT_Q.search(text):
        return Wants.AMOUNT
    if _NUMBER_Q.search(text.strip()):
        return Wants.NUMBER
    head = _bare_head(_REQUEST_TAIL.sub("", text) or text)  # "남편 연봉 확인 바랍니다" asks the 연봉
    if head is not None and any(head.endswith(n) for n in MONEY_NOUNS):
        return Wants.AMOUNT  # "남편의 월급은?"
    return Wants.NONE


def _bare_head(text: str) -> str | None:
    """The noun a bare "X의 Y은?" question asks about (Y), when it asks nothing else."""
    m = re.search(r"([가-힣]+?)(?:은|는|이|가)?\s*\??\s*$", text.strip())
    if not m or _OTHER_QUESTION.search(text):
        return None
    return m.group(1)


# an amount: "38만원", "1,500만원", "이천만 원", and a ledger row's bare figure with thousands separators ("700,000")
_MONEY = re.compile(r"\d[\d,]*\s*(?:만|천|억)?\s*(?:만\s*)?원|\d+\s*(?:만|천|억)\s*원?|[일이삼사오육칠팔구십백천]+\s*(?:만|천|억)\s*원"
                    r"|(?<![\d,.\-])\d{1,3}(?:,\d{3})+(?![\d,.\-])")
_AGE = re.compile(r"\d+\s*(?:세|살)|\d{4}\s*년생|\d{2}\s*년생")
_DURATION = re.compile(r"\d+\s*(?:일|주|개월|달|년|시간)(?:\s*(?:간|동안))?|[한두세네]\s*(?:달|주)")
_RATE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|퍼센트|프로)")


def value_in(wants: str, text: str) -> str | None:
    """The value of the asked kind that a passage states ("38만원", "7세", "약 2주"), or None."""
    rx = {Wants.AMOUNT: _MONEY, Wants.AGE: _AGE, Wants.DURATION: _DURATION, Wants.RATE: _RATE}.get(wants)
    if rx is None:
        return None
    m = rx.search(text)
    return m.group(0).strip() if m else None


def states_value(wants: str, text: str, names: Sequence[str] = ()) -> bool:
    """Whether a passage states the kind of value the question asks for (an amount, an age, a duration, a
    person other than the spouses: a role word or one of `names`)."""
    if wants == Wants.PERSON:
        return bool(_PERSON_ROLES.search(text)) or any(n in text for n in names)
    if wants in (Wants.AMOUNT, Wants.AGE, Wants.DURATION, Wants.RATE):
        return value_in(wants, text) is not None
    if wants == Wants.COUNT_OF:
        return bool(_BLOWS.search(text + " "))
    if wants == Wants.NUMBER:  # "도어락 번호 바꿨다" writes no number
        return bool(_NUMBER.search(text))
    return True


@dataclass(frozen=True)
class Topic:
    """What the evidence must be about: nouns (enough of them, through synonyms, the names of people the question
    calls by their role, or the passage's context), the act asked about (one of `verbs`, in the passage itself),
    the noun a bare question asks for (`head`, in the passage itself), lexicon tags."""

    nouns: tuple[str, ...]
    verbs: tuple[str, ...]  # predicates and act nouns (사과했 → 사과): one must be in the passage itself
    tags: frozenset[str]
    tag_words: frozenset[str]  # terms that name one of `tags` themselves (폭언, 때리): a label stands in for them
    negated: bool  # "주지 않았나요?": evidence that something did not happen answers it best
    head: str | None = None  # "진단서의 병명은?" → 병명
    names: tuple[str, ...] = ()  # proper nouns: a person is also written by the given name (정하린 → 하린이)
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # role noun → the names the evidence gives it (아이 → 하준)

    @property
    def empty(self) -> bool:
        return not (self.nouns or self.verbs or self.tags)

    def with_aliases(self, aliases: dict[str, tuple[str, ...]]) -> Topic:
        return replace(self, aliases=tuple(sorted(aliases.items())))

    def forms(self, noun: str) -> tuple[str, ...]:
        """How the evidence may write one of the question's nouns."""
        out = list(synonyms(noun))
        if noun in self.names:
            out += name_forms(noun)[1:]
        for role, names in self.aliases:
            if role == noun:
                for n in names:
                    out += name_forms(n)
        return tuple(dict.fromkeys(out))


_NOUN_TAGS: Final = ("NNG", "NNP", "XR", "SL", "SH")
_NEGATIONS: Final = frozenset({"않", "안", "못", "없", "끊", "중단", "그만"})
_HEAD_TAIL_TAGS: Final = ("J", "E", "S", "VCP", "XSN", "NP", "NNB", "MM", "MAG")


def _needed(n: int) -> int:
    return n if n <= 2 else math.ceil(2 * n / 3)


def _head(ms: Sequence[Morph]) -> str | None:
    """The noun a question ends by asking about: "진단서의 병명은 무엇인가요?" → 병명; none when a predicate follows."""
    for i in range(len(ms) - 1, -1, -1):
        m = ms[i]
        if m.tag in ("NNG", "NNP"):
            rest = ms[i + 1:]
            if m.form in STOPWORDS or (rest and rest[0].tag.startswith(("XSV", "XSA"))):
                return None  # "…한 사실이 있나요?", "숙박했나요?": no noun asked for
            if rest and rest[0].tag == "XSN":
                rest = rest[1:]
            if all(r.tag.startswith(_HEAD_TAIL_TAGS) for r in rest):
                return m.form if m.form not in ATTRIBUTE_WORDS and m.form not in GENERIC_NOUNS else None
            return None
        if m.tag.startswith(("VV", "VA")):
            return None
    return None


def _fee_compounds(ms: list[Morph]) -> list[Morph]:
    """"유치원비" is 유치원 + 비 to Kiwi: one noun again, a fee (matched by its stem and an amount); so is a compound
    the synonym table knows ("가상화폐" is 가상 + 화폐)."""
    out: list[Morph] = []
    for m in ms:
        prev = out[-1] if out else None
        joined = prev is not None and prev.end == m.start and prev.tag.startswith("NN") and m.tag == "NNG"
        if joined and prev is not None and (m.form in FEE_SUFFIXES or len(synonyms(prev.form + m.form)) > 1):
            out[-1] = Morph(prev.form + m.form, prev.tag, prev.start, m.end)
        else:
            out.append(m)
    return out


_NAMED_DAYS: Final = frozenset({"어린이날", "어버이날", "설날", "스승의날", "한글날", "제삿날", "추석날"})
_AFTER_CLAUSE: Final = re.compile(r"([가-힣]+)\s+(?:뒤|후|이후|다음)(?:에는|에도|에|부터|로는|로)?\s+")
_OBJECT_WORD: Final = re.compile(r"[가-힣]+(?:을|를|이|가|에|에서|와|과)\s+$")
_INTENTION: Final = re.compile(r"의사(?:를|가|는)?\s*(?:[가-힣]{1,3}\s+)?(?:밝|표시|표현|전하|전달|보이|보였|있)")
_MEDIUM: Final = re.compile(r"메시지|문자|카톡|톡|편지|메일")
_SENDING: Final = frozenset({"보내", "남기", "쓰", "오", "받"})
_IDIOMS: Final = ((r"얼굴\s*(?:을|이라도|만)?\s*(?:좀\s*)?보", "얼굴", "만나"),
                  (r"손\s*(?:을)?\s*(?:대|댄|댔)", "손", ""),  # "토토에 손을 대기 시작한": 토토 is the topic
                  (r"명의\s*(?:로|를)\s*(?:돌리|돌려|돌린|바꾸|바꿔|바꾼|옮기|옮긴)", "명의", "넘기"))
# "유치원 원비를 요청했을 때 남편은 어떻게 답했습니까?": the answer is the reply to the messages about the topic
REPLY_Q: Final = re.compile(r"(?:뭐라고|어떻게|무엇이라고|무슨\s*말(?:을|로)?)\s*(?:답|대답|반응|설명|대꾸|해명|변명|응답|말|했|하던가|그랬)|반응(?:은|이)"
                            r"|(?:해명|변명|답변|입장|설명)(?:은|는|이|을)?\s*(?:무엇|뭐|어떻)?\S*\s*\??\s*$")


_THEN_CLAUSE: Final = re.compile(r"(?:[가-힣]+(?:을|를|에|에서|로|으로)\s+)?[가-힣]+다가\s+(?=\S)")


def time_frame_removed(text: str) -> str:
    """The question without a clause that only frames the time ("집을 나간 뒤 병원 진료를 받은 기록이 있습니까?"
    asks about 진료, after 나가; "집을 나갔다가 다시 들어온 날" about 들어오); the text as it is when nothing else
    would be left."""
    then = _THEN_CLAUSE.search(text)
    if then and len((text[:then.start()] + text[then.end():]).strip()) >= 6:
        text = text[:then.start()] + text[then.end():]
    for m in _AFTER_CLAUSE.finditer(text):
        last = m.group(1)[-1]
        if (ord(last) - 0xAC00) % 28 != 4:  # 나간, 받은, 한: a clause (ㄴ); "3일 뒤" is a time, kept
            continue
        start = m.start()
        obj = _OBJECT_WORD.search(text[:start])
        if obj:
            start = obj.start()
        rest = (text[:start] + text[m.end():]).strip()
        if len(rest) >= 6:
            return rest
    return text


_WEEKDAY_NOTE: Final = re.compile(r"\(\s*[월화수목금토일](?:요일)?\s*\)")
_ASIDE: Final = re.compile(r"\([^()]{2,40}\)")


def note_words_removed(text: str) -> str:
    """A lawyer's note without its asides: "(금)" after a date, "(마지막 송금일 포함)", "(진단서상 수상일)" say what
    else to look at, not what the evidence must be about (kept when nothing else would be left); a date noun
    ("송금일") written apart from its 일 so that the noun stays whole."""
    said = re.split(r"(?:^|[\s,])(?:즉|다시\s*말해|말하자면)\s", text, maxsplit=1)
    if len(said) == 2 and len(said[1].strip()) >= 4:  # "법률상 부부가 된 날, 즉 혼인신고일은요?": what follows 즉
        text = said[1]
    text = _WEEKDAY_NOTE.sub(" ", text)
    for rx in (_Q_FULL, _Q_SHORT_YEAR, _Q_MONTH_DAY):  # the date is read apart; Kiwi takes "14일 시모" for a time
        text = rx.sub("그날", text)
    bare = _ASIDE.sub(" ", text)
    if len(re.sub(r"[\s\d.,/~\-—–:?]", "", bare)) >= 4:
        text = bare
    return _DATE_NOUN.sub(lambda m: m.group(0) if _not_date_noun(m.group(1)) else f"{m.group(1)} 일", text)


# a note's request at its end ("… 확인 바랍니다", "…을 특정해 주십시오", "… 확인 요망"): the noun before it is what is asked
_REQUEST_TAIL: Final = re.compile(r"\s*(?:을|를)?\s*(?:확인|특정|파악|조회)(?:해|하여)?\s*(?:바랍니다|바람|요망|부탁드립니다|"
                                  r"주십시오|주세요|주시기\s*바랍니다)\.?\s*$|\s*(?:을|를)\s*특정\s*$")


_SHOP_KINDS: Final = frozenset({"매장", "가게", "업소", "업체", "가맹점", "점포", "상점", "지점"})


_PARTY_GO: Final = frozenset({"피고", "원고"})
_HAND_ON: Final = re.compile(r"(?:에게|한테|께)\s*(?:한\s*번이라도\s*|한\s*번도\s*|절대\s*)?손\s*(?:을|까지)?\s*(?:대|댄|댔|댈)")


def question_topic(text: str, *, drop: Sequence[str] = ()) -> Topic:
    """The topic of a question, without its attribute words (금액, 나이 …), a clause that only frames the time,
    a note's asides, and the words in `drop`."""
    text = time_frame_removed(note_words_removed(text))
    ms = _fee_compounds(morphs(text))
    if _INTENTION.search(text):  # "거부한다는 의사를 밝힌": an intention (의사), not a doctor
        drop = [*drop, "의사"]
    terms = [t for t in content_terms(ms) if t not in ATTRIBUTE_WORDS and t not in drop]
    noun_forms = {m.form for m in ms if m.tag.startswith(_NOUN_TAGS)}
    acts = {m.form for m, nxt in zip(ms, ms[1:], strict=False) if m.tag == "NNG" and nxt.tag.startswith(("XSV", "XSA"))}
    nouns = tuple(t for t in terms if t in noun_forms and t not in acts and t not in GENERIC_NOUNS)
    # "생일날" is the 생일 (the day of it is what a date question asks); named days keep their 날
    nouns = tuple(dict.fromkeys(n[:-1] if len(n) >= 3 and n.endswith("날") and n not in _NAMED_DAYS else n for n in nouns))
    # "주얼리 매장", "모텔 업소": the kind of shop is the noun before it; a ledger row names it so ("○○주얼리 신사점")
    nouns = tuple(n for i, n in enumerate(nouns) if not (i and n in _SHOP_KINDS and re.search(
        rf"{re.escape(nouns[i - 1])}\s*{re.escape(n)}", text)))
    verbs = [t for t in terms if t not in noun_forms or t in acts]
    # "피고 야간근무": Kiwi reads a party's word without its particle as a verb and an ending (피 + 고)
    verbs = [v for v in verbs if not (v + "고" in _PARTY_GO and re.search(rf"(?<![가-힣]){v}고(?![가-힣])", text))]
    if nouns or any(v not in DISCOURSE_VERBS for v in verbs):  # "생활비 문제로 다툰" is about 생활비
        verbs = [v for v in verbs if v not in DISCOURSE_VERBS]
    if _MEDIUM.search(text):  # "위협하는 메시지를 보낸 적": the evidence is the messages; the act is 위협
        verbs = [v for v in verbs if v not in _SENDING] or ([] if nouns else verbs)
    for rx, noun, verb in _IDIOMS:  # "얼굴 좀 보게 해 달라": to meet, not a face
        if re.search(rx, text) and noun in nouns:
            nouns = tuple(n for n in nouns if n != noun)
            verbs = [v for v in verbs if v not in ("보", "돌리", "바꾸", "옮기", "대")] + ([verb] if verb else [])
    # "술에 취해": the predicate is the noun's own concept, not a second act the passage must show
    verbs = [v for v in verbs if not any(v in synonyms(n) for n in nouns)]
    tag_ms = {t: morphs(t) for t in terms}
    paraphrased = {t for t in terms if t in ACT_PARAPHRASES}
    if _HAND_ON.search(text):  # "지후에게 손 댄 적": a hand laid on a person is a blow (the idiom's words are gone)
        paraphrased.add("손대")
    tags = frozenset(question_tags(text, ms)).union(*(ACT_PARAPHRASES[t] for t in paraphrased))
    # the words of an idiom the question uses for the act ("바람 피운") stand for it; a concrete part of another
    # phrase does not ("칼을 들고 위협": a label for 협박 is not a knife)
    phrase_words = {w for t in tags & IDIOM_TAGS for phrase in tag_phrases(t) if set(phrase) <= set(terms)
                    for w in phrase}
    tag_words = frozenset(t for t in terms if question_tags(t, tag_ms[t]) & tags
                          or question_tags(t + "다", morphs(t + "다")) & tags or t in phrase_words or t in paraphrased)
    # "신체적 폭력": a noun made an adjective by 적 describes the act; it is not a second thing the evidence names
    adjectival = {m.form for m, nxt in zip(ms, ms[1:], strict=False) if nxt.tag == "XSN" and nxt.form == "적"}
    kept = tuple(n for n in nouns if n not in adjectival or n in tag_words)
    if kept or verbs or tags:
        nouns = kept
    head = _head(ms if not (asked := _REQUEST_TAIL.sub("", text)) or asked == text else _fee_compounds(morphs(asked)))
    return Topic(nouns=nouns, verbs=tuple(verbs), tags=tags, tag_words=tag_words,
                 negated=any(m.form in _NEGATIONS or m.form in STOP_VERBS for m in ms), head=head if head not in drop else None,
                 names=tuple(m.form for m in ms if m.tag == "NNP" and m.form in nouns))


def term_in(term: str, text: str, lemmas: set[str]) -> bool:
    return term in lemmas or (len(term) >= 2 and term in text)


_REPORTED_SPEECH: Final = re.compile(r"[\"“][^\"”]{2,}[\"”]\s*(?:이)?라고|(?:라고|냐고)\s*(?:했|하셨|하더|하시|말했|말하|소리|욕|불렀|부르|그랬)")
_VERBAL_TAGS: Final = frozenset({"폭언", "모욕", "시댁 부당대우"})
_INSULT: Final = re.compile(r"(?<!\d)(?<!\d\s)년|놈|새끼|망신|멍청|바보|병신|미친|무능|쓰레기|한심|못난|꼴|주제에|창피|무슨\s*\S+냐고|"
                            r"욕|소리\s*(?:를\s*)?(?:지르|질렀|쳤)|고함|막말")
MONEY_WORDS: Final = frozenset({"돈", "금액", "비용", "현금", "거액", "큰돈"})
IDIOM_TAGS: Final = frozenset({"외도", "부적절한 만남", "가출"})
_LODGING: Final = ("모텔", "호텔", "펜션", "숙박업소", "리조트")
_FORM_FIELD: Final = re.compile(r"^\s*[가-힣 ]{2,12}\s*:\s*\S")


def tag_in(tag: str, text: str, lemmas: set[str]) -> bool:
    """Whether the text holds one of the words the lexicon looks for to find the act (때리 for 폭행)."""
    for phrase in tag_phrases(tag):
        if all(w in lemmas for w in phrase) or (len(phrase) == 1 and len(phrase[0]) >= 2 and phrase[0] in text):
            return True
    if tag == "외도" and any(w in text for w in _LODGING):  # 숙박업소 출입 is evidence of 부정행위
        return True
    # reported words are verbal abuse when they insult ("집안 망신시키는 며느리라고", "무슨 며느리냐고"), not any
    # words someone said ("거래처 접대라고 했습니다")
    return tag in _VERBAL_TAGS and bool(_REPORTED_SPEECH.search(text)) and bool(_INSULT.search(text))


@lru_cache(maxsize=64)
def tag_phrases(tag: str) -> tuple[tuple[str, ...], ...]:
    return (*ground_vocabulary().get(tag, ()), *(tuple(w.split()) for w in SEARCH_EXTRA.get(tag, ())))


def _noun_in(topic: Topic, noun: str, text: str, lemmas: set[str]) -> bool:
    if any_in(topic.forms(noun), text, lemmas):
        return True
    if noun in MONEY_WORDS and _MONEY.search(text):
        return True
    if len(noun) >= 3 and noun.endswith(FEE_SUFFIXES) and noun[:-1] in text and _MONEY.search(text):
        return True
    return noun in topic.tag_words and any(tag_in(t, text, lemmas) for t in topic.tags)


def _fee_near(noun: str, context: str, text: str) -> bool:
    """"수리비" for "금액: 385,000원" in a receipt titled "휴대폰 수리 영수증": the fee's stem around, its amount here."""
    return len(noun) >= 3 and noun.endswith(FEE_SUFFIXES) and noun[:-1] in context and bool(_MONEY.search(text))


def amount_near(forms: Sequence[str], text: str) -> bool:
    """Whether an amount is written close after one of the forms (or right before it): "병원비도 내가 다 냈어" after
    "양육비 0원이야" states no 병원비."""
    for f in forms:
        for m in re.finditer(re.escape(f), text):
            if _MONEY.search(text[m.end():m.end() + 40]) or _MONEY.search(text[max(0, m.start() - 6):m.start()]):
                return True
    return False


def _act_in(topic: Topic, verb: str, text: str, lemmas: set[str]) -> bool:
    if any_in((*synonyms(verb), *similar_words().get(verb, ())), text, lemmas):
        return True
    if len(verb) >= 3 and verb[:-1] in text:  # 빠져나가 is 빠지+나가 to Kiwi in "빠져나갔는데"
        return True
    if verb in STOP_VERBS and NEGATED_TEXT.search(text):
        return True
    return verb in topic.tag_words and any(tag_in(t, text, lemmas) for t in topic.tags)


_NAME_WORDS: Final = frozenset({"이름", "성함", "성명"})


def _named_after(topic: Topic, text: str) -> bool:
    """"의사 이름은?" answered by "의사 박정우" (or a form's "상담 변호사: 소윤재"): a person's name right after one of
    the question's nouns."""
    words = [f for n in topic.nouns for f in topic.forms(n)]
    for noun in topic.nouns:
        if noun in _NAME_WORDS:
            continue
        for form in topic.forms(noun):
            if len(form) < 2:
                continue
            for m in re.finditer(rf"{re.escape(form)}\s*(?::\s*|인\s*)?({PERSON_NAME.pattern})"
                                 r"(?=[은는이가을를의와과도씨님]?(?:\s|$|[,.)(]))", text):
                if not any(w.startswith(m.group(1)[:2]) for w in words):  # "카지노 사이트" is no name
                    return True
    return False


# People a question may name by their relation: when it does, the passage (or what surrounds it) must be about
# that person ("시아버지로부터 욕설을 들었다" is not shown by the mother-in-law's words).
ROLE_NOUNS: Final = frozenset({"시아버지", "시어머니", "시누이", "시동생", "장인", "장모", "처제", "처남", "부친", "모친",
                               "아버지", "어머니", "동서"})


def topic_match(topic: Topic, text: str, ms: Sequence[Morph], tags: set[str], context: str = "",
                implied: frozenset[str] = frozenset()) -> int:
    """How strongly a passage is about the topic: 0 when it is not (too few of the question's nouns, not the act
    asked about, not the noun asked for, not the relative the question names); higher with more of the
    question's words and a matching label.
    `context` is what the passage's surroundings say (its document's kind, file name and title, the message it
    answers, who wrote it): it may supply nouns, never the act. `implied` are the words a document's kind makes
    true of each of its lines (every row of a card statement is a 결제): they may supply the act too."""
    lemmas = {m.form for m in ms}
    family = tag_family(topic.tags)
    tagged = bool(family & tags)
    if tags and not tagged and not (topic.tags & _VERBAL_TAGS and tags & _VERBAL_TAGS):
        # the analysis read this passage as another act ("부숴버린다" is a threat): the act's words alone do not
        # make it the one asked about; an in-law's abuse (시댁 부당대우) may still be the insult asked about, in
        # its own words ("시어머니는 … '… 년'이라고 했습니다")
        topic = replace(topic, tags=frozenset())
    own = [n for n in topic.nouns if (tagged and n in topic.tag_words) or _noun_in(topic, n, text, lemmas)
           or (n in _NAME_WORDS and _named_after(topic, text)) or any(f in implied for f in synonyms(n))]
    near = [n for n in topic.nouns if n not in own and context and (
        _noun_in(topic, n, context, set()) or _fee_near(n, context, text))]
    if topic.nouns and len(own) + len(near) < _needed(len(topic.nouns)):
        return 0
    if any(n in ROLE_NOUNS and n not in own and n not in near for n in topic.nouns):
        return 0
    acts = [v for v in topic.verbs if (tagged and v in topic.tag_words) or _act_in(topic, v, text, lemmas)
            or (implied and any(f in implied for f in synonyms(v)))]
    if topic.verbs and not acts:
        return 0
    if (topic.head and topic.head not in own and not _noun_in(topic, topic.head, text, lemmas)
            and not (topic.head in _NAME_WORDS and _named_after(topic, text))
            and not any(f in implied for f in synonyms(topic.head))):
        return 0
    if not own and not acts:
        # only what surrounds it is about the topic: enough for a form field of a document ("발병일: 2024년 11월경"
        # in a 진단서 about 우울장애), never for a line that says something of its own
        field = bool(near) and bool(_FORM_FIELD.match(text))
        if not field and (topic.nouns or topic.verbs or not (tagged or any(tag_in(t, text, lemmas) for t in topic.tags))):
            return 0
    return 1 + 2 * len(own) + len(near) + 2 * len(acts) + (3 if tagged else 0)
