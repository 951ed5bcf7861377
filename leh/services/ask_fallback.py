"""A learned fallback for questions the rule composer refuses (issue #13 item 3).

The composer (`leh.services.ask.compose`) answers only when the evidence writes the question's own words; a
lawyer asks "도어락 비번" where the evidence writes "현관 번호", "손댄 횟수" where it writes "때렸다". Where the
composer returns nothing, this module ranks the case's passages by meaning: the question's content words (Kiwi
lemmas of the topic, without question words, time words and the names that only say who), each widened with its
synonym and concept family and its near words (`leh.analysis.related`'s CoNg table), weighted by how rare they
are in the case; the question's date or period filters (a relative "작년 여름" against the newest evidence date);
the slot asked (a date, an amount, a person) must be in the passage, or it cannot answer. A small logistic model
(`leh.analysis.ask_rank.shipped_model`, trained by `bench/train_ask_fallback.py` over the dev question sets)
decides from a handful of features whether the best passages answer; the answer cites them in the composer's
own format (`leh.analysis.answer`), so nothing is stated that a cited passage does not hold. A yes/no
whether-question is answered only by a passage that writes the act as done (`ask_rank.act_asserted`: not denied,
asked, conditional or promised; a threat or insult its labels name is the act whatever its tense) or whose labels
name the act without writing its words, and, when the question's subject is a third person, that names them.
Bounded work: a cheap surface filter keeps at most MAX_CANDIDATES passages for Kiwi (whose results are cached).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final

from leh.analysis.answer import DAY_UNKNOWN, Claim, Passage, began_or_stopped, how_often, when_did, whether
from leh.analysis.ask_rank import (
    ASSERTED,
    NOT_WRITTEN,
    TIME_WORDS,
    Model,
    Term,
    act_asserted,
    coverage,
    idf_weight,
    in_period,
    relative_period,
    shipped_model,
    term_hit,
)
from leh.analysis.asked import asks_intent, only_promised
from leh.analysis.concepts import FAMILY_ROLES, PERSON_NAME, name_forms, synonyms
from leh.analysis.lexicon import ABUSE_TAGS
from leh.analysis.morph import Morph, morphs_many
from leh.analysis.question import STOPWORDS, Kind, Wants, states_value
from leh.analysis.related import similar_words

if TYPE_CHECKING:
    from leh.services.ask import CaseContext, Plan

MAX_CANDIDATES: Final = 300  # passages analysed with Kiwi per question, best surface matches first
MAX_CHECKED: Final = 2000  # passages checked for the date and slot asked, best surface matches first
MAX_TERMS: Final = 8  # content words of a question that count
MAX_CITED: Final = 5
NEAR_BEST: Final = 0.85  # passages cited with the best: a score at least this share of the best's
_PERIOD: Final = re.compile(r"기간\s*:|\d\s*[.일]?\s*[~∼]\s*\d")
_LEMMA_TAGS: Final = ("NNG", "NNP", "VV", "VA", "XR", "SL")
_DATE_KINDS: Final = frozenset({Kind.WHEN, Kind.BEGAN, Kind.STOPPED, Kind.HOW_OFTEN})
_VALUE_WANTS: Final = frozenset({Wants.AMOUNT, Wants.AGE, Wants.DURATION, Wants.RATE, Wants.COUNT_OF})
_SPOKEN_ACTS: Final = ABUSE_TAGS - {"폭행"}  # acts done by saying something: the utterance is the act
# a question that asks for a piece of information (what, where, who, which, how much), not yes or no
_ASKS_WHAT: Final = re.compile(r"무엇|뭐|뭔|어디|누구|누가|어느|무슨|어떤|얼마|몇")


@dataclass(frozen=True)
class Assessment:
    """The fallback's reading of one question: its features, the passages it would cite, best first."""

    features: dict[str, float]
    cited: tuple[Passage, ...]


def _party_forms(question: str, parties: Sequence[dict[str, Any]] | None) -> list[str]:
    """How the evidence may write the parties the question names (by name or alias)."""
    out: list[str] = []
    for party in parties or []:
        names = [str(n) for n in [party.get("name"), *(party.get("aliases") or [])] if n]
        if any(len(n) >= 2 and n in question for n in names):
            for n in names:
                out += name_forms(n) if PERSON_NAME.fullmatch(n) else [n]
    return list(dict.fromkeys(out))


def _forms(lemma: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((lemma, *synonyms(lemma), *similar_words().get(lemma, ()))))


def _surface_keys(forms: Sequence[str]) -> tuple[str, ...]:
    """What a cheap substring check looks for (Kiwi decides after it): a word as written, a verb by its stem
    without its last syllable (던지 → 던: 던져),
    a compound by its first two syllables and its last two (카드값 → 카드), a shortening of a compound by its
    first syllable and the first of its second part (비밀번호 → 비번)."""
    keys = list(forms)
    keys += [f[:-1] for f in forms if len(f) >= 2]
    keys += [k for f in forms if len(f) >= 3 for k in (f[:2], f[-2:])]
    keys += [f[0] + f[2] for f in forms if len(f) >= 4]
    return tuple(k for k in dict.fromkeys(keys) if k)


def question_terms(plan: Plan, passages: Sequence[Passage], persons: Sequence[str]
                   ) -> tuple[list[Term], list[tuple[int, ...]]]:
    """The question's content words, without time words and the names of the persons it asks about, each
    weighted by its rarity among the case's passages; and for each passage, the words a cheap substring check
    finds in it (one pass over the case)."""
    pieces = {p for f in persons for p in (f, f[1:]) if len(p) >= 2}
    nouns = [w for w in plan.topic.nouns if w not in TIME_WORDS and w not in pieces and w not in STOPWORDS]
    verbs = [w for w in plan.topic.verbs if w not in TIME_WORDS and w not in STOPWORDS and w not in nouns]
    words = [(w, True) for w in nouns] + [(w, False) for w in verbs]
    found = [(lemma, noun, _forms(lemma)) for lemma, noun in words[:MAX_TERMS]]
    finders = [re.compile("|".join(map(re.escape, sorted(_surface_keys(forms), key=len, reverse=True))))
               for _, _, forms in found]
    hits = [tuple(j for j, rx in enumerate(finders) if rx.search(p.text)) for p in passages]
    df = [0] * len(found)
    for h in hits:
        for j in h:
            df[j] += 1
    terms = [Term(lemma, idf_weight(df[j], len(passages)), forms, noun) for j, (lemma, noun, forms) in enumerate(found)]
    return terms, hits


def _third_persons(plan: Plan, ctx: CaseContext) -> list[tuple[str, ...]]:
    """The persons other than the couple the question names, each as the ways a passage may write them: a
    family role (장모 → 장모 and the name the evidence gives her) or a name the case writes (석경자 → 경자 …)."""
    out: list[tuple[str, ...]] = []
    for role in plan.topic.nouns:
        if role in FAMILY_ROLES:
            names = [f for n in ctx.roles.get(role, ()) for f in name_forms(n) if len(f) >= 2]
            out.append(tuple(dict.fromkeys((*FAMILY_ROLES[role], *names))))
    for name in ctx.people:
        forms = [f for f in name_forms(name) if len(f) >= 2]
        if any(f in plan.question for f in forms):
            out.append(tuple(forms))
    return out


def _shows_act(plan: Plan, verbs: Sequence[str], p: Passage, ms: Sequence[Morph]) -> bool:
    """Whether a passage shows the act a whether-question asks about: it writes one of the act's words as done,
    or, writing none of them, its labels name the act ("멱살을 잡고 밀쳤다" for "때린 적"); a passage that writes
    the act only denied, asked or still to come does not — unless the act is words (a threat, an insult) and the
    passage's labels say it is one: its conditional or future is then the act itself."""
    asserted = act_asserted(verbs, ms, p.text)
    shared = plan.topic.tags & p.tags
    if shared & _SPOKEN_ACTS:  # "그러면 죽여버린다" is itself the threat, whatever its tense
        return True
    return asserted == ASSERTED or (asserted == NOT_WRITTEN and bool(shared))


def _subject(forms: Sequence[str], question: str) -> bool:
    """Whether the question writes one of a person's forms as its subject ("시누이가", "석경자 씨가", "장모님께서")."""
    return any(re.search(rf"(?<![가-힣]){re.escape(f)}\s?(?:씨|님)?\s?(?:이|가|께서|은|는|도)(?![가-힣])", question)
               for f in forms)


def _missing(mentions: Sequence[tuple[str, ...]], p: Passage, ctx: CaseContext) -> list[tuple[str, ...]]:
    """The persons of `mentions` a passage (with the lines around it, or as its writer) does not name."""
    around = ctx.around.get((p.evidence_id, p.seq), "")
    return [m for m in mentions if not any(f in p.text or f in around or f == p.speaker for f in m)]


def _has_slot(plan: Plan, p: Passage, people: Sequence[str]) -> bool:
    """Whether the passage holds what the question asks for: a date, a value, a person."""
    if plan.kind in _DATE_KINDS or plan.wants == Wants.DATE:  # "예약일 미정" dates nothing
        return p.day() is not None and not DAY_UNKNOWN.search(p.text)
    if plan.wants in _VALUE_WANTS or plan.wants == Wants.PERSON:
        return states_value(plan.wants, p.text, people)
    if plan.wants == Wants.NAME or plan.kind == Kind.WHO:
        return PERSON_NAME.search(p.text) is not None or any(n in p.text for n in people)
    return True


def _in_date(plan: Plan, p: Passage, period: tuple[tuple[int, int, int], tuple[int, int, int]] | None) -> bool:
    days = p.days()
    if plan.date is not None:
        return any(plan.date.contains(*d) for d in days)
    return period is None or in_period(days, period)


def _newest(passages: Sequence[Passage]) -> tuple[int, int, int] | None:
    """The newest day a passage was written on (ISO timestamps order as text)."""
    stamps = [p.ts for p in passages if p.ts and len(p.ts) >= 10 and p.precision != "month"]
    if not stamps:
        return None
    ts = max(s[:10] for s in stamps)
    try:
        return int(ts[:4]), int(ts[5:7]), int(ts[8:10])
    except ValueError:
        return None


def assess(plan: Plan, passages: Sequence[Passage], ctx: CaseContext,
           parties: Sequence[dict[str, Any]] | None) -> Assessment | None:
    """Rank the passages against the question; None when nothing could answer (no content word, no passage
    in the asked period holding the slot asked and a word of the question)."""
    persons = _party_forms(plan.question, parties)
    terms, hits = question_terms(plan, passages, persons)
    if not terms:
        return None
    period = relative_period(plan.question, _newest(passages)) if plan.date is None else None
    people = [n for names in ctx.roles.values() for name in names for n in name_forms(name)] + list(ctx.people)
    order = sorted((-sum(terms[j].weight for j in h), i) for i, h in enumerate(hits) if h)
    pre: list[tuple[float, int, Passage]] = []
    for quick, i in order[:MAX_CHECKED]:  # best surface matches first, a bounded number checked
        p = passages[i]
        # a document's heading or a statement's period ("조회기간: 2024.10.01 ~ …") states no event
        if (p.evidence_id, p.seq) not in ctx.titles and not _PERIOD.search(p.text) \
                and _in_date(plan, p, period) and _has_slot(plan, p, people):
            pre.append((-quick, -i, p))
    if not pre:
        return None
    cands = [p for _, _, p in pre[:MAX_CANDIDATES]]
    analysed = morphs_many([p.text for p in cands])
    scored: list[tuple[float, float, float, float, Passage, set[str], Sequence[Morph]]] = []
    for p, ms in zip(cands, analysed, strict=True):
        lemmas = {m.form for m in ms if m.tag.startswith(_LEMMA_TAGS)}
        cov, exact = coverage(terms, lemmas, p.text, ctx.implied.get(p.evidence_id, frozenset()))
        person = 1.0 if not persons or p.speaker in persons or any(f in p.text for f in persons) else 0.0
        tag = 1.0 if plan.topic.tags & p.tags else 0.0
        scored.append((cov + 0.1 * person + 0.1 * tag, cov, exact, person + 2 * tag, p, lemmas, ms))
    scored.sort(key=lambda x: -x[0])  # stable: ties keep the surface order (then the case's order)
    verbs = tuple(dict.fromkeys(f for v in plan.topic.verbs for f in _forms(v)))
    if _yes_or_no(plan) and verbs:  # "yes" only where a passage writes the act as done (or its labels name it)
        scored = [s for s in scored if _shows_act(plan, verbs, s[4], s[6])]
    mentions = _third_persons(plan, ctx)
    doers = [m for m in mentions if _subject(m, plan.question)]
    if doers and _yes_or_no(plan):  # "시누이가 때린 적": a passage that does not name her does not show her act
        scored = [s for s in scored if not _missing(doers, s[4], ctx)]
    if not scored:
        return None
    best = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0.0
    near = [s for s in scored if s[0] >= NEAR_BEST * best[0] and s[1] > 0]
    top, top_lemmas = best[4], best[5]
    top_ms = best[6]
    missing = _missing(mentions, top, ctx)
    rarest = max(terms, key=lambda t: t.weight)
    head = plan.topic.head
    features = {"coverage": best[1], "exact": best[2], "terms": float(len(terms)),
                "date": 1.0 if plan.date is not None or period is not None else 0.0,
                "person": float(best[3] % 2), "tag": float(best[3] >= 2), "margin": best[0] - second,
                "support": float(min(len(near), 10)), "second": second,
                "rarest": term_hit(rarest, top_lemmas, top.text),
                "head": 0.5 if not head else float(any(f in top.text for f in _forms(head)) or head in top_lemmas),
                "value": 1.0 if plan.wants != Wants.NONE or plan.kind in _DATE_KINDS else 0.0,
                "who_missing": len(missing) / len(mentions) if mentions else 0.0,
                "whether": 1.0 if plan.kind == Kind.WHETHER else 0.0,
                "began": 1.0 if plan.kind in (Kind.BEGAN, Kind.STOPPED) else 0.0,
                "often": 1.0 if plan.kind == Kind.HOW_OFTEN else 0.0,
                "when": 1.0 if plan.kind in (Kind.WHEN, Kind.ON_DATE) else 0.0,
                "name": 1.0 if plan.wants in (Wants.NAME, Wants.PERSON) or plan.kind == Kind.WHO else 0.0,
                "promised": float(bool(plan.topic.verbs) and only_promised(plan.topic.verbs, top_ms, top.text)),
                "asserted": act_asserted(verbs, top_ms, top.text) if verbs else NOT_WRITTEN,
                "verbs": _verbs_found(plan.topic.verbs, top_lemmas, top.text),
                "info": 1.0 if _asks_info(plan) else 0.0}
    return Assessment(features, tuple(replace(s[4], rank=len(near) - i) for i, s in enumerate(near[:MAX_CITED])))


def _asks_info(plan: Plan) -> bool:
    """Whether the question asks for a piece of information (a name, a place, an amount, "석도윤 연락처"), not
    whether something happened."""
    return bool(_ASKS_WHAT.search(plan.question)) or plan.wants != Wants.NONE or \
        (plan.kind == Kind.WHETHER and not plan.topic.verbs)


def _yes_or_no(plan: Plan) -> bool:
    """A whether-question about an act ("남편이 때린 적 있나요?"): answered yes only by a passage that writes
    the act as done, not denied, asked or still to come (a promise asked about, "보내겠다고 한 적", and a
    question asking whether something did not happen are answered otherwise)."""
    return plan.kind == Kind.WHETHER and not _asks_info(plan) and not plan.topic.negated \
        and not asks_intent(plan.question)


def _verbs_found(verbs: Sequence[str], lemmas: set[str], text: str) -> float:
    """The share of the question's verbs (and act nouns) the passage writes, itself or a word of its family."""
    if not verbs:
        return NOT_WRITTEN
    return sum(any(f in lemmas or (len(f) >= 2 and f in text) for f in _forms(v)) for v in verbs) / len(verbs)


def claims_for(plan: Plan, cited: Sequence[Passage]) -> list[Claim]:
    """The answer in the composer's format for the question's kind, from the passages chosen."""
    chosen = list(cited)
    if plan.kind in (Kind.BEGAN, Kind.STOPPED):
        return began_or_stopped(chosen, stopped=plan.kind == Kind.STOPPED)
    if plan.kind == Kind.HOW_OFTEN:
        return how_often(chosen)
    if plan.kind == Kind.WHEN:
        return when_did(chosen, weekday="요일" in plan.question)
    return whether(chosen)


def answer_by_meaning(plan: Plan, passages: Sequence[Passage], ctx: CaseContext,
                      parties: Sequence[dict[str, Any]] | None, model: Model | None = None) -> list[Claim]:
    """The fallback's answer where the composer refused, or [] (the refusal stands) when the model says the
    best passages do not answer the question."""
    found = assess(plan, passages, ctx, parties)
    if found is None or not (model or shipped_model()).answers(found.features):
        return []
    return claims_for(plan, found.cited)
