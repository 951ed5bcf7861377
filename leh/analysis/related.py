"""Related words for search: the ground vocabulary of the art. 840 lexicon and Kiwi CoNg word similarity.

Two sources widen a query word (`leh.analysis.query`):

- the lexicon (`leh.analysis.lexicon.RULES`): a fine tag's name ("폭행") widens to every word and phrase its
  rules look for (때리, 구타, 밀치, 멱살 잡 …), and each of those words widens back to the tag's name;
- Kiwi's CoNg model (`Kiwi(model_type='cong')`, `most_similar_morphemes`): near words of the same kind
  (때리 → 두들기, 후려치). CoNg costs ~2.5 s to load and answer its first question, so its answers for the
  vocabulary below are computed once, offline, by `python -m leh.analysis.related`, and shipped in
  `leh/analysis/model/related_words.json`: the search never loads CoNg, and the table is the same on every
  machine. CoNg's neighbours are noisy (폭언 → 가스총), so only mutual neighbours (each among the other's
  nearest) or neighbours that are lexicon words are kept, nouns and verbs only, with a similarity floor.
"""

from __future__ import annotations

import itertools
import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from leh.analysis.lexicon import RULES, Rule

TABLE_PATH: Final = Path(__file__).with_name("model") / "related_words.json"
MAX_PHRASES_PER_RULE: Final = 12
# Tags of the index tokens a lexicon pattern part keeps (the rest, particles and endings, is not indexed).
_DROPPED_PARTS: Final = ("J", "E", "VCP", "XSV", "XSA")

# Domain words a lawyer searches for, beyond the lexicon's own (CoNg neighbours are precomputed for these too).
DOMAIN_WORDS: Final = (
    "이혼", "위자료", "양육비", "양육권", "친권", "면접교섭", "재산분할", "생활비", "별거", "외도", "폭행", "폭언", "협박",
    "모욕", "욕", "소리", "술", "도박", "빚", "대출", "가출", "학대", "구타", "때리", "밀치", "죽이", "괴롭히", "무시",
    "월급", "돈", "카드", "통장", "집", "병원", "진단서", "경찰", "신고", "상처", "멍", "다치", "거짓말", "연락",
)
COND_MIN_SCORE: Final = 0.66
CONG_TOP: Final = 12
CONG_MUTUAL_TOP: Final = 40
CONG_KEEP: Final = 6
_CONG_TAGS: Final = ("NNG", "VV", "VA")
# Neighbours CoNg proposes that mean something else for a family-law search (reviewed by hand when the table
# was built): antonyms, other crimes, other relationships, other places.
BLOCKED: Final[dict[str, frozenset[str]]] = {
    "가출": frozenset({"손찌검"}), "무능": frozenset({"유능"}), "폭행": frozenset({"강간", "살해", "모욕", "폭언"}),
    "학대": frozenset({"강간"}), "이혼": frozenset({"혼인", "재혼", "결혼", "불륜", "간통", "약혼"}),
    "호텔": frozenset({"레스토랑", "식당", "카페"}), "소리치": frozenset({"속삭이", "중얼거리", "애원"}),
    "폭언": frozenset({"손찌검"}), "협박": frozenset({"회유"}), "사이비": frozenset({"종교인"}),
    "경찰": frozenset({"검찰"}), "괴롭히": frozenset({"미워하"}), "싸우": frozenset({"맞서"}),
    "집어던지": frozenset({"낚아채"}), "쫓아내": frozenset({"불러내"}), "내쫓": frozenset({"불러내"}),
    "떠밀": frozenset({"다독이"}), "생활비": frozenset({"학비"}), "다치": frozenset({"아프"}),
}


def _rule_phrases(rule: Rule) -> list[tuple[str, ...]]:
    """The token phrases one rule looks for ("소리/NNG 지르/VV" → ("소리", "지르")), or [] for rules that
    need their context to mean anything (regular expressions, negated acts, required neighbours)."""
    if rule.pattern.startswith("re:") or rule.polarity == "neg" or rule.next_forms or rule.no_past:
        return []
    parts: list[list[str]] = []
    dropped = False
    for part in rule.pattern.split():
        alts = [alt.partition("/") for alt in part.split("|")]  # "폭행/NNG|폭력/NNG" or "때리|패/VV"
        forms = [form for form, _, _ in alts]
        tag = next((t for _, _, t in reversed(alts) if t), "")
        if not all(forms) or any(f.endswith("*") for f in forms):
            return []
        if tag.startswith(_DROPPED_PARTS):
            dropped = True
            continue
        parts.append(forms)
    if not parts or (dropped and len(parts) == 1):
        return []  # "한테 맞다" without its particle is just 맞다 (also "that's right")
    return [tuple(p) for p in itertools.islice(itertools.product(*parts), MAX_PHRASES_PER_RULE)]


@lru_cache(maxsize=1)
def ground_vocabulary() -> dict[str, tuple[tuple[str, ...], ...]]:
    """{fine tag: token phrases its lexicon rules look for}, in rule order, without duplicates."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for rule in RULES:
        phrases = out.setdefault(rule.tag, [])
        for p in _rule_phrases(rule):
            if p not in phrases:
                phrases.append(p)
    return {tag: tuple(ps) for tag, ps in out.items() if ps}


@lru_cache(maxsize=1)
def vocabulary_tags() -> dict[tuple[str, ...], tuple[str, ...]]:
    """{phrase: the fine tags whose vocabulary holds it} (때리 → 폭행)."""
    out: dict[tuple[str, ...], list[str]] = {}
    for tag, phrases in ground_vocabulary().items():
        for p in phrases:
            if tag not in out.setdefault(p, []):
                out[p].append(tag)
    return {p: tuple(tags) for p, tags in out.items()}


@lru_cache(maxsize=1)
def similar_words() -> dict[str, tuple[str, ...]]:
    """The shipped CoNg table: {word: near words}, best first."""
    data = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    return {k: tuple(v) for k, v in data["words"].items()}


# ------------------------------------------------------------------ offline build (needs kiwipiepy's CoNg)
def heads() -> list[str]:
    """The words whose neighbours are precomputed: lexicon words of one morpheme, tag names, domain words."""
    words: list[str] = []
    for tag, phrases in ground_vocabulary().items():
        for w in (tag, *(p[0] for p in phrases if len(p) == 1)):
            if " " not in w and w not in words:
                words.append(w)
    return [*words, *(w for w in DOMAIN_WORDS if w not in words)]


def _neighbours(kiwi: Any, word: str, top: int) -> list[Any]:
    try:
        return list(kiwi.most_similar_morphemes(word, top_n=top))
    except ValueError:  # several senses of one form: take the first common-noun or verb sense
        for tag in _CONG_TAGS:
            try:
                return list(kiwi.most_similar_morphemes(f"{word}/{tag}__0", top_n=top))
            except ValueError:
                continue
    return []


def build() -> dict[str, Any]:
    from kiwipiepy import Kiwi

    kiwi = Kiwi(model_type="cong")
    lexicon_words = {p[0] for ps in ground_vocabulary().values() for p in ps if len(p) == 1}
    words: dict[str, list[str]] = {}
    for head in heads():
        kept: list[str] = []
        for n in _neighbours(kiwi, head, CONG_TOP):
            if (n.tag not in _CONG_TAGS or n.score < COND_MIN_SCORE or n.form == head or n.form in kept
                    or n.form in BLOCKED.get(head, ())):
                continue
            mutual = any(m.form == head for m in _neighbours(kiwi, n.form, CONG_MUTUAL_TOP))
            if mutual or n.form in lexicon_words:
                kept.append(n.form)
            if len(kept) >= CONG_KEEP:
                break
        if kept:
            words[head] = kept
    return {"source": "kiwipiepy CoNg most_similar_morphemes", "min_score": COND_MIN_SCORE,
            "mutual_top": CONG_MUTUAL_TOP, "words": words}


if __name__ == "__main__":  # pragma: no cover - offline table build
    table = build()
    TABLE_PATH.write_text(json.dumps(table, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(table['words'])} words written to {TABLE_PATH}\n")
