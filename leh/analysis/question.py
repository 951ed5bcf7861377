"""What a lawyer's question is about: its content words (Kiwi lemmas) and the lexicon tags it names.

"남편이 해외 도박을 했어?" → terms ["해외", "도박"], tags {"도박"}. Words every question about a marriage
contains (남편, 했어, 언제, 증거 …) are dropped, so they cannot make unrelated messages look relevant.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from leh.analysis.labels import candidate_rules
from leh.analysis.morph import Morph, morphs

CONTENT_TAGS: Final = ("NNG", "NNP", "VV", "VA", "XR", "SL", "SH")
STOPWORDS: Final = frozenset({
    # the people every question is about
    "남편", "아내", "와이프", "신랑", "마누라", "배우자", "상대방", "상대", "사람", "나", "너", "당신", "우리", "저희", "그",
    "의뢰인", "원고", "피고",
    # question and filler words
    "언제", "어디", "누구", "무엇", "뭐", "왜", "어떻게", "얼마", "몇", "혹시", "정말", "진짜", "어떤", "무슨",
    "것", "거", "수", "적", "일", "때", "중", "번", "정도", "증거", "사실", "내용", "얘기", "이야기", "말", "관련", "대하",
    "확인", "있", "없", "하", "되", "보", "알", "않", "이", "그렇", "어떻", "같", "자료", "기록", "대화", "메시지", "카톡",
    # verbs of talking and happening: "위자료 얘기가 나온 적 있어?" is about 위자료 only
    "나오", "가", "오", "말하", "얘기하", "이야기하", "듣", "묻", "물어보", "생기", "언급", "적히", "쓰",
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

    def contains(self, year: int, month: int, day: int) -> bool:
        if self.year is not None and year != self.year:
            return False
        return self.start <= (month, day) <= self.end


_Q_FULL = re.compile(r"(?<!\d)(\d{4})\s*(?:년\s*|[.\-/]\s*)(\d{1,2})\s*(?:월\s*|[.\-/]\s*)(\d{1,2})\s*일?(?!\d)")
_Q_MONTH_DAY = re.compile(r"(?<![\d.])(\d{1,2})\s*월\s*(\d{1,2})\s*일")
_Q_YEAR_MONTH = re.compile(r"(?<!\d)(\d{4})\s*년\s*(\d{1,2})\s*월(?!\s*\d{1,2}\s*일)")
_Q_MONTH = re.compile(r"(?<![\d년])(?<!년\s)(\d{1,2})\s*월(?!\s*\d{1,2}\s*일)")
_DAYS_IN_MONTH: Final = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]


def question_date(text: str) -> DateRange | None:
    """The one day or month a question names ("2023년 12월 25일", "3월 23일", "2024년 3월", "3월"), else None."""
    m = _Q_FULL.search(text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return DateRange(y, (mo, d), (mo, d), f"{y}년 {mo}월 {d}일") if _valid(mo, d) else None
    m = _Q_MONTH_DAY.search(text)
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
    return None


# A date written in evidence text: "2024년 3월 2일", "2024. 3. 2.", "2024-03-02", or "3월 2일" (year from context).
_T_FULL = re.compile(r"(?<!\d)(\d{4})\s*(?:년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일|\.\s?(\d{1,2})\s?\.\s?(\d{1,2})(?!\d)"
                     r"|-(\d{1,2})-(\d{1,2})(?!\d))")
_T_MONTH_DAY = re.compile(r"(?<![\d.년])(?<!년\s)(\d{1,2})\s*월\s*(\d{1,2})\s*일")


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
        for m in _T_MONTH_DAY.finditer(text):
            mo, d = int(m.group(1)), int(m.group(2))
            if _valid(mo, d):
                out.append((default_year, mo, d))
    return out


_WHO = re.compile(r"^\s*(?:그런데\s*|그럼\s*)?([가-힣A-Za-z]{2,10}?)(?:씨|님)?\s*(?:은|는|이|가|이란|란|라는 사람은)?\s*"
                  r"(?:도대체\s*)?누구(?:인가요|예요|에요|야|지|인지|입니까|니|냐|인데|\s*$|\?)")
_BEGAN = re.compile(r"언제부터|부터\s*(?:였|이었|인가|인지)|시작(?:한|된|했|됐)")
_STOPPED = re.compile(r"언제까지|그만(?:뒀|두었|둔)|멈췄|멈춘|끊(?:었|은|긴)|중단(?:했|된|한)")
_OFTEN = re.compile(r"몇\s*(?:번|차례|회|건)|얼마나\s*자주|횟수|몇\s*번이나")
_WHEN = re.compile(r"언제|며칠|몇\s*월\s*몇\s*일|날짜|일자|일시|[한간된온던은]\s*날(?:은|이|을|짜)?\s*[?]?$")


def question_kind(text: str) -> str:
    if _OFTEN.search(text):
        return Kind.HOW_OFTEN
    if _BEGAN.search(text):
        return Kind.BEGAN
    if _STOPPED.search(text) and _WHEN.search(text):
        return Kind.STOPPED
    if question_date(text) is not None:
        # "3월 9일에 무슨 일이 …", and any other question about one day: that day's evidence, on the topic if any
        return Kind.ON_DATE
    if who_name(text):
        return Kind.WHO
    if _WHEN.search(text):
        return Kind.WHEN
    return Kind.WHETHER


def who_name(text: str) -> str | None:
    """The person a "누구" question asks about ("박수진은 누구인가요?" → 박수진), unless it is a role word."""
    m = _WHO.search(text)
    if not m:
        return None
    name = m.group(1)
    return None if name in STOPWORDS or name in ("그사람", "이사람", "저사람") else name


# What a question asks for when it wants a value: the evidence must state one, not just share the topic.
class Wants:
    AMOUNT = "amount"  # 얼마, 금액, 몇 원
    AGE = "age"  # 몇 살, 나이
    COUNT_OF = "count_of"  # 몇 명, 몇 개
    NAME = "name"  # 이름은 무엇
    DURATION = "duration"  # 얼마나 (기간)
    DATE = "date"  # 언제, 생일, 날짜
    NONE = "none"


_AMOUNT_Q = re.compile(r"얼마(?!나\s*자주)|금액|액수|몇\s*원|비용은|값은")
_DURATION_Q = re.compile(r"기간|얼마\s*동안|며칠\s*동안|몇\s*(?:주|개월|달|년)\s*(?:동안|간)")
_AGE_Q = re.compile(r"나이|몇\s*살|몇\s*세")
_NAME_Q = re.compile(r"이름|성함|상호|명칭")
# Attribute words that name what is asked rather than the topic: they are not required as words in the evidence.
# (이름 stays a topic word: "언니의 이름은?" needs evidence that writes a name as such.)
ATTRIBUTE_WORDS: Final = frozenset({"금액", "액수", "얼마", "나이", "날", "날짜", "일자", "일시", "기간", "비용",
                                    "값", "무엇", "몇", "부터", "까지", "시작", "그만", "자주", "횟수", "차례", "회"})


def question_wants(text: str) -> str:
    if _AGE_Q.search(text):
        return Wants.AGE
    if _NAME_Q.search(text):
        return Wants.NAME
    if _DURATION_Q.search(text):
        return Wants.DURATION
    if _AMOUNT_Q.search(text):
        return Wants.AMOUNT
    return Wants.NONE


_MONEY = re.compile(r"\d[\d,]*\s*(?:만|천|억)?\s*(?:만\s*)?원|\d+\s*(?:만|천|억)\s*원?|[일이삼사오육칠팔구십백천]+\s*(?:만|천|억)\s*원")
_AGE = re.compile(r"\d+\s*(?:세|살)|\d{4}\s*년생|\d{2}\s*년생")
_DURATION = re.compile(r"\d+\s*(?:일|주|개월|달|년|시간)(?:\s*(?:간|동안))?|[한두세네]\s*(?:달|주)")


def value_in(wants: str, text: str) -> str | None:
    """The value of the asked kind that a passage states ("38만원", "7세", "약 2주"), or None."""
    rx = {Wants.AMOUNT: _MONEY, Wants.AGE: _AGE, Wants.DURATION: _DURATION}.get(wants)
    if rx is None:
        return None
    m = rx.search(text)
    return m.group(0).strip() if m else None


def states_value(wants: str, text: str) -> bool:
    """Whether a passage states the kind of value the question asks for (an amount, an age, a duration)."""
    if wants in (Wants.AMOUNT, Wants.AGE, Wants.DURATION):
        return value_in(wants, text) is not None
    return True


@dataclass(frozen=True)
class Topic:
    """What the evidence must be about: nouns (required), predicates (required only without nouns), lexicon tags."""

    nouns: tuple[str, ...]
    verbs: tuple[str, ...]
    tags: frozenset[str]
    tag_words: frozenset[str]  # terms that name one of `tags` themselves (폭언, 때리): a label stands in for them
    negated: bool  # "주지 않았나요?": evidence that something did not happen answers it best

    @property
    def empty(self) -> bool:
        return not (self.nouns or self.verbs or self.tags)


_NOUN_TAGS: Final = ("NNG", "NNP", "XR", "SL", "SH")
_NEGATIONS: Final = frozenset({"않", "안", "못", "없", "끊", "중단", "그만"})


def _needed(n: int) -> int:
    return n if n <= 2 else math.ceil(2 * n / 3)


def question_topic(text: str, *, drop: Sequence[str] = ()) -> Topic:
    """The topic of a question, without its attribute words (금액, 나이 …) and the words in `drop`."""
    ms = morphs(text)
    terms = [t for t in content_terms(ms) if t not in ATTRIBUTE_WORDS and t not in drop]
    noun_forms = {m.form for m in ms if m.tag.startswith(_NOUN_TAGS)}
    nouns = tuple(t for t in terms if t in noun_forms)
    verbs = tuple(t for t in terms if t not in noun_forms)
    tag_ms = {t: morphs(t) for t in terms}
    tags = frozenset(question_tags(text, ms))
    tag_words = frozenset(t for t in terms if question_tags(t, tag_ms[t]) & tags
                          or question_tags(t + "다", morphs(t + "다")) & tags)
    return Topic(nouns=nouns, verbs=verbs, tags=tags, tag_words=tag_words,
                 negated=any(m.form in _NEGATIONS for m in ms))


def term_in(term: str, text: str, lemmas: set[str]) -> bool:
    return term in lemmas or (len(term) >= 2 and term in text)


def topic_match(topic: Topic, text: str, ms: Sequence[Morph], tags: set[str]) -> int:
    """How strongly a passage is about the topic: 0 when it is not (missing a required noun, or the predicate
    when the question has no noun); higher with more of the question's words and a matching label."""
    lemmas = {m.form for m in ms}
    tagged = bool(topic.tags & tags)
    nouns = [n for n in topic.nouns if not (tagged and n in topic.tag_words)]
    have_nouns = sum(1 for n in nouns if term_in(n, text, lemmas))
    have_verbs = sum(1 for v in topic.verbs if term_in(v, text, lemmas))
    if nouns:
        if have_nouns < _needed(len(nouns)):
            return 0
    elif not tagged:
        verbs = [v for v in topic.verbs if v not in topic.tag_words] or list(topic.verbs)
        if not verbs or sum(1 for v in verbs if term_in(v, text, lemmas)) < _needed(len(verbs)):
            return 0
    return 1 + 2 * have_nouns + have_verbs + (3 if tagged else 0)
