"""Ranking a case's passages against a question by meaning, and the small learned model that decides whether the
best of them answers it (the fallback of `leh.services.ask_fallback`, used only where the rule composer refuses).

Pure parts: the question's content words with their weights and widened forms (`Term`), how much of them a
passage covers (exact lemma, or a word of the same family), a relative period ("작년 여름") read against the newest
evidence date, and the logistic model over a handful of features (`FEATURES`), shipped as coefficients in
`leh/analysis/model/ask_fallback.json` by `bench/train_ask_fallback.py`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from leh.analysis.morph import Morph

MODEL_PATH: Final = Path(__file__).with_name("model") / "ask_fallback.json"
WIDENED_HIT: Final = 0.7  # a word of the same family counts for this much of the word itself
# The features the model weighs. The fallback also computes round 11's `asserted`, `verbs` and `info` (in
# ALL_FEATURES, for training runs that try them): weighed with the others they gained nothing held out
# (leave-one-set-out over the pooled dev sets), so the shipped model is still the round-9b one.
FEATURES: Final = ("coverage", "exact", "terms", "date", "person", "tag", "margin", "support", "second", "rarest", "head",
                   "value", "who_missing", "whether", "promised", "began", "often", "when", "name")
ALL_FEATURES: Final = ("coverage", "exact", "terms", "date", "person", "tag", "margin", "support", "second", "rarest",
                       "head", "value", "who_missing", "whether", "promised", "began", "often", "when", "name",
                       "asserted", "verbs", "info")

Day = tuple[int, int, int]


@dataclass(frozen=True)
class Term:
    """One content word of the question: its lemma, its weight (rarer in the case weighs more), the forms that
    count for it (its synonyms, concept family and near words; the lemma first), and whether it is a noun (a
    noun may be found as written inside a longer word, a verb only as a lemma)."""

    lemma: str
    weight: float
    forms: tuple[str, ...]
    noun: bool


def abbreviates(short: str, long: str) -> bool:
    """Whether a two-syllable word is the usual shortening of a longer compound: its first syllable begins the
    compound and its second begins a later part (비번 ~ 비밀번호, 카톡 ~ 카카오톡)."""
    return len(short) == 2 and len(long) >= 4 and short[0] == long[0] and short[1] in long[2:]


def part_of(word: str, other: str) -> bool:
    """Whether one noun is a head part of the other compound (카드 ~ 카드값, 번호 ~ 도어락번호): two syllables
    at least, at its start or end."""
    if len(word) < 2 or len(other) <= len(word):
        return False
    return other.startswith(word) or other.endswith(word)


def _noun_near(lemma: str, lemmas: frozenset[str] | set[str]) -> bool:
    return any(abbreviates(lemma, w) or abbreviates(w, lemma) or part_of(lemma, w) or part_of(w, lemma)
               for w in lemmas if len(w) >= 2)


def term_hit(term: Term, lemmas: frozenset[str] | set[str], text: str, implied: frozenset[str] = frozenset()) -> float:
    """1.0 when the passage holds the word itself, WIDENED_HIT for a word of its family, a shortening or a part
    of a compound noun, or the word its document's kind implies (a card row is a 결제), else 0."""
    if term.lemma in lemmas or (term.noun and len(term.lemma) >= 2 and term.lemma in text):
        return 1.0
    for f in term.forms[1:]:
        if f in lemmas or (len(f) >= 2 and f in text):
            return WIDENED_HIT
    if term.noun and (term.lemma in implied or _noun_near(term.lemma, lemmas)):
        return WIDENED_HIT
    return 0.0


def coverage(terms: Sequence[Term], lemmas: frozenset[str] | set[str], text: str,
             implied: frozenset[str] = frozenset()) -> tuple[float, float]:
    """(weighted share of the question's words the passage holds, share of that held exactly)."""
    total = sum(t.weight for t in terms)
    if total <= 0:
        return 0.0, 0.0
    got = exact = 0.0
    for t in terms:
        h = term_hit(t, lemmas, text, implied)
        got += t.weight * h
        if h == 1.0:
            exact += t.weight
    return got / total, (exact / got if got else 0.0)


def idf_weight(df: int, n: int) -> float:
    """A word's weight from how many of the case's n passages write it (df): rare words decide, common ones less."""
    return 1.0 + math.log((n + 1) / (df + 1))


_SEASONS: Final = {"봄": (3, 5), "여름": (6, 8), "가을": (9, 11), "겨울": (12, 14)}  # 14: February of the next year
_RELATIVE: Final = re.compile(r"(재작년|작년|지난해|지난\s*해|올해|올|금년|전년)\s*(?:(봄|여름|가을|겨울)|(\d{1,2})\s*월)?")
_YEAR_BACK: Final = {"재작년": 2, "작년": 1, "지난해": 1, "전년": 1, "올해": 0, "올": 0, "금년": 0}
TIME_WORDS: Final = frozenset({"재작년", "작년", "지난해", "올해", "금년", "전년", "봄", "여름", "가을", "겨울", "해", "지난",
                               "연초", "연말", "초", "말", "중순", "경", "무렵", "당시", "전", "후", "때", "날", "그날", "당일"})


def relative_period(question: str, newest: Day | None) -> tuple[Day, Day] | None:
    """The period a relative year phrase names ("작년 여름", "올해 3월", "재작년"), read against the newest date
    of the case's evidence (the lawyer asks from the time of the evidence); None when there is none."""
    m = _RELATIVE.search(question)
    if m is None or newest is None:
        return None
    word = re.sub(r"\s+", "", m.group(1))
    if word == "올" and not (m.group(2) or m.group(3)):  # "올" alone is also a verb stem ("올 때")
        return None
    year = newest[0] - _YEAR_BACK.get(word, 1)
    if m.group(2):
        first, last = _SEASONS[m.group(2)]
        end_year, end_month = (year + 1, last - 12) if last > 12 else (year, last)
        return (year, first, 1), (end_year, end_month, 31)
    if m.group(3) and 1 <= int(m.group(3)) <= 12:
        mo = int(m.group(3))
        return (year, mo, 1), (year, mo, 31)
    return (year, 1, 1), (year, 12, 31)


def in_period(days: Sequence[Day], period: tuple[Day, Day]) -> bool:
    return any(period[0] <= d <= period[1] for d in days if d[2] or d[1])


@dataclass(frozen=True)
class Model:
    """Logistic regression over `FEATURES`: answer when the probability reaches `threshold`."""

    coef: Mapping[str, float]
    intercept: float
    threshold: float
    mean: Mapping[str, float]
    scale: Mapping[str, float]

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.intercept
        for name, w in self.coef.items():
            x = (features.get(name, 0.0) - self.mean.get(name, 0.0)) / (self.scale.get(name, 1.0) or 1.0)
            z += w * x
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def answers(self, features: Mapping[str, float]) -> bool:
        return self.probability(features) >= self.threshold


def model_from(data: Mapping[str, object]) -> Model:
    def floats(key: str) -> dict[str, float]:
        raw = data.get(key) or {}
        return {str(k): float(v) for k, v in raw.items()} if isinstance(raw, dict) else {}

    return Model(coef=floats("coef"), intercept=float(str(data.get("intercept", -30.0))),
                 threshold=float(str(data.get("threshold", 1.0))), mean=floats("mean"), scale=floats("scale"))


@lru_cache(maxsize=1)
def shipped_model() -> Model:
    """The coefficients `bench/train_ask_fallback.py` wrote; without the file, a model that never answers."""
    if not MODEL_PATH.exists():
        return Model(coef={}, intercept=-30.0, threshold=1.0, mean={}, scale={})
    return model_from(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


# ------------------------------------------------------------------ is the act asserted where a passage writes it
ASSERTED: Final = 1.0  # the act written as done (or being done): "돈 보냈어", "집을 나갔습니다"
NOT_ASSERTED: Final = 0.0  # written only denied, asked or as still to come: "안 때렸어", "돈 보냈어?", "던진다" after "…하면"
NOT_WRITTEN: Final = 0.5  # none of the asked verbs is written: nothing to read
_VERB_TAGS: Final = ("VV", "VA", "VX", "XSV", "XSA")
_DENIALS: Final = frozenset({"않", "못", "없", "아니", "못하"})
_ASKING_ENDINGS: Final = frozenset({"냐", "니", "나", "나요", "까", "ᆯ까", "을까", "는지", "ᆫ가", "는가", "ᆫ지", "니까"})
_ASKING_ADVERBS: Final = frozenset({"왜", "어떻게", "언제", "설마", "혹시"})
_STILL_TO_COME: Final = frozenset({"겠", "ᆯ게", "을게", "ᆯ래", "을래", "ᆯ걸", "려고", "으려고", "려", "ᆯ려고"})
_LATER_WORDS: Final = frozenset({"내일", "나중", "곧", "앞으로", "조만간", "이따", "언젠가", "모레"})
_IF: Final = frozenset({"면", "으면", "거든", "으면서"})


def _clause_end(ms: Sequence[Morph], i: int) -> int:
    """The index just past the ending that closes the clause of the predicate at `i` (its final ending, a
    connective other than 지/고 that chains an auxiliary, or a sentence mark), bounded to 8 morphemes."""
    for j in range(i + 1, min(len(ms), i + 9)):
        m = ms[j]
        chained = m.form in ("지", "고", "어", "아", "게") and j + 1 < len(ms) and ms[j + 1].tag.startswith("VX")
        if m.tag in ("EF", "SF") or (m.tag == "EC" and not chained):
            return j + 1
    return min(len(ms), i + 9)


def _sentence_start(ms: Sequence[Morph], i: int) -> int:
    for j in range(i - 1, max(-1, i - 12), -1):
        if ms[j].tag in ("SF", "EF"):
            return j + 1
    return max(0, i - 11)


def _mood(ms: Sequence[Morph], i: int) -> bool:
    """Whether the predicate at `i` is asserted: not denied ("안 때렸어", "보내지 않았다", "맞은 일은 없다"), not asked
    ("돈 보냈어?", "왜 회사를 와"), not said as a condition or of what is still to come ("…하면 던진다", "보낼게",
    "찾아가겠다")."""
    end = _clause_end(ms, i)
    start = _sentence_start(ms, i)
    before = ms[start:i]
    after = ms[i + 1:end]
    if i > 0 and ms[i - 1].tag == "MAG" and ms[i - 1].form in ("안", "못"):
        return False
    if any(m.form in _DENIALS and m.tag.startswith(("VX", "VA", "VCN")) for m in after):
        return False
    if _experience_denied(ms, i):
        return False
    question_mark = end < len(ms) and ms[end].form == "?"
    if question_mark or any(m.tag == "EF" and m.form in _ASKING_ENDINGS for m in after) \
            or any(m.tag == "MAG" and m.form in _ASKING_ADVERBS for m in before):
        return False
    if any(m.form in _STILL_TO_COME for m in after) or _later(ms, i, end):
        return False
    past = any(m.tag == "EP" and m.form in ("었", "았", "였", "었었") for m in after) or \
        (bool(after) and after[0].tag == "ETM" and after[0].form in ("ᆫ", "은"))
    # "…하면 던진다": a condition, said of what is still to come ("화가 나면 부순 일이 있었다" is past, a habit)
    return past or not any(m.tag == "EC" and m.form in _IF for m in (*before, *after))


def _experience_denied(ms: Sequence[Morph], i: int) -> bool:
    """"맞거나 위협받은 일은 없다", "때린 적 없어": the act named as an experience the sentence then denies."""
    for j in range(i + 1, min(len(ms) - 1, i + 10)):
        m = ms[j]
        if m.tag in ("SF", "EF"):
            return False
        if m.tag == "ETM" and ms[j + 1].form in ("일", "적"):
            return any(n.form in ("없", "아니") and n.tag.startswith(("VA", "VCN")) for n in ms[j + 2:j + 5])
    return False


def _later(ms: Sequence[Morph], i: int, end: int) -> bool:
    """"…할 거야", "…할 것": a predicate followed by a future ending and 거/것 (a promise or a plan)."""
    for j in range(i + 1, min(end + 2, len(ms) - 1)):
        if ms[j].tag == "ETM" and ms[j].form in ("ᆯ", "을") and ms[j + 1].form in ("거", "것"):
            return True
    return any(m.form in _LATER_WORDS for m in ms[_sentence_start(ms, i):i])


def act_asserted(verbs: Sequence[str], ms: Sequence[Morph], text: str) -> float:
    """ASSERTED when the passage writes one of the asked verbs (or act nouns, read at their 하다) as done, at
    least once; NOT_ASSERTED when it writes them only denied, asked or as still to come; NOT_WRITTEN when it
    does not write them."""
    seen = False
    for i, m in enumerate(ms):
        if not any(m.form == v or (len(v) >= 2 and text.startswith(v, m.start)) for v in verbs):
            continue
        at = i
        if not m.tag.startswith(_VERB_TAGS):  # "위협했다", "사과를 했다": the act noun's own 하다
            nxt = [k for k in range(i + 1, min(len(ms), i + 4)) if ms[k].tag.startswith(_VERB_TAGS)]
            if not nxt:
                continue
            at = nxt[0]
        seen = True
        if _mood(ms, at):
            return ASSERTED
    return NOT_ASSERTED if seen else NOT_WRITTEN

