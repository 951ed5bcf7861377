"""What a lawyer's question is about: its content words (Kiwi lemmas) and the lexicon tags it names.

"남편이 해외 도박을 했어?" → terms ["해외", "도박"], tags {"도박"}. Words every question about a marriage
contains (남편, 했어, 언제, 증거 …) are dropped, so they cannot make unrelated messages look relevant.
"""

from __future__ import annotations

import math
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
