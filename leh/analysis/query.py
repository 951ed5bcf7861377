"""Search queries in Korean: dates become a date filter, words become morphemes widened with related words.

`parse_query("3월 9일 때렸다")` → a filter for 9 March (in any year: see below) and one term, 때렸다, that
matches the token 때리 literally and is widened with the ground vocabulary and near words (폭행, 두들기, 후려치 …).
Index adapters compile the parsed query (`leh.ports.SearchQuery`): segments holding every literal word rank
first, then those where some word matched only through a related word.

Dates
-----
- a day: "2024년 3월 9일", "2024-03-09", "2024.3.9", "2024. 3. 9.", "3월 9일";
- a month: "2024년 3월", "2024-03", "3월"; a year: "2024년";
- a week of a month: "3월 첫째 주" = days 1–7, 둘째 8–14, 셋째 15–21, 넷째 22–28, 다섯째 29 to the month's end,
  마지막 주 = its last seven days;
- a range: two of these joined by ~, -, 부터 … (까지), e.g. "3월 1일~3월 9일", "2024년 3월 1일부터 9일까지"
  (the second date takes the year and month it leaves out from the first).
A date without a year means that day in every year the case's evidence covers (the filter compares month and
day only): a family case rarely spans the same date twice, and guessing one year would hide evidence.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Final

from leh.analysis.morph import Morph, morphs
from leh.analysis.related import ground_vocabulary, similar_words, vocabulary_tags
from leh.analysis.tokens import compounds, find_phrases, token_form
from leh.ports import QueryTerm, SearchQuery

Phrase = tuple[str, ...]

# Words the lexicon cannot hold as rules (they need context to label a message), but that a search for the
# act should still find, ranked after the literal word.
SEARCH_EXTRA: Final[dict[str, tuple[str, ...]]] = {
    "폭행": ("구타", "때리", "밀치", "폭력", "내리치", "걷어차", "할퀴", "머리채", "멱살", "목 조르"),
    "협박": ("죽이", "죽 싶", "가만 안 두", "위협", "겁주"),
    "폭언": ("욕", "욕하", "소리 지르", "고함", "막말"),
    "도박": ("슬롯", "홀덤", "포커", "파워볼", "사다리 게임", "도박 사이트"),
    "모욕": ("무시", "비하", "조롱"),
    "외도": ("바람", "불륜", "상간녀", "상간남", "모텔", "호텔", "교제"),  # 숙박업소 출입 is evidence of 부정행위 too
    "생활비": ("양육비", "돈"),
}
MAX_WIDENED: Final = 40

_WEEKS: Final = {"첫째": 1, "첫": 1, "둘째": 2, "셋째": 3, "넷째": 4, "다섯째": 5, "마지막": -1}
_Y: Final = r"(?:(?P<{p}y>\d{{4}})\s*년\s*)?"
_DAY_PATTERNS: Final = (
    # (kind, regex); named groups y, m, d, w with a prefix so two dates of a range can be told apart
    ("ymd", r"(?P<{p}y>\d{{4}})\s*[-./]\s*(?P<{p}m>\d{{1,2}})\s*[-./]\s*(?P<{p}d>\d{{1,2}})\.?"),
    ("ymd", _Y + r"(?P<{p}m>\d{{1,2}})\s*월\s*(?P<{p}d>\d{{1,2}})\s*일"),
    ("week", _Y + r"(?P<{p}m>\d{{1,2}})\s*월\s*(?P<{p}w>첫째|첫|둘째|셋째|넷째|다섯째|마지막)\s*주"),
    ("ym", r"(?P<{p}y>\d{{4}})\s*[-./]\s*(?P<{p}m>\d{{1,2}})(?![\d.])"),
    ("ym", _Y + r"(?P<{p}m>\d{{1,2}})\s*월(?!\s*\d)"),
    ("y", r"(?P<{p}y>\d{{4}})\s*년"),
)
_SECOND_ONLY: Final = (("d", r"(?P<{p}d>\d{{1,2}})\s*일"),)
_RANGE_SEP: Final = r"\s*(?:~|∼|-|–|부터|에서)\s*"
_RANGE_END: Final = r"(?:\s*까지)?"


@dataclass
class _Date:
    """One date expression: what it names and the span it covers (year None: every year)."""

    year: int | None
    start: tuple[int, int]  # (month, day)
    end: tuple[int, int]
    year_end: int | None = None


def _alternation(prefix: str, patterns: Sequence[tuple[str, str]]) -> str:
    return "|".join(f"(?P<{prefix}{i}>{rx.format(p=f'{prefix}{i}_')})" for i, (_, rx) in enumerate(patterns))


_ONE: Final = re.compile(_alternation("a", _DAY_PATTERNS))
_RANGE: Final = re.compile(f"(?:{_alternation('a', _DAY_PATTERNS)}){_RANGE_SEP}"
                           f"(?:{_alternation('b', (*_DAY_PATTERNS, *_SECOND_ONLY))}){_RANGE_END}")


def _month_len(year: int | None, month: int) -> int:
    return calendar.monthrange(year or 2024, month)[1]  # without a year, 29 February exists


def _date_of(m: re.Match[str], prefix: str, patterns: Sequence[tuple[str, str]],
             inherit: _Date | None = None) -> _Date | None:
    i, kind = next((i, k) for i, (k, _) in enumerate(patterns) if m.group(f"{prefix}{i}"))
    g = {k.rpartition("_")[2]: v for k, v in m.groupdict().items() if k.startswith(f"{prefix}{i}_")}
    year = int(g["y"]) if g.get("y") else (inherit.year if inherit else None)
    month = int(g["m"]) if g.get("m") else (inherit.start[0] if inherit and kind == "d" else None)
    try:
        if kind == "y":
            assert year is not None
            return _Date(year, (1, 1), (12, 31))
        if month is None or not 1 <= month <= 12:
            return None
        last = _month_len(year, month)
        if kind == "ym":
            return _Date(year, (month, 1), (month, last))
        if kind == "week":
            week = _WEEKS[g["w"]]
            first = last - 6 if week == -1 else 7 * (week - 1) + 1
            if first > last:
                return None
            return _Date(year, (month, first), (month, min(last, first + 6)))
        day = int(g["d"])
        date(year or 2024, month, day)  # validates
        return _Date(year, (month, day), (month, day))
    except (ValueError, AssertionError):
        return None


def _apply_dates(q: SearchQuery, first: _Date, last: _Date) -> None:
    if first.year is not None:
        end_year = last.year if last.year is not None else first.year
        q.date_from = date(first.year, *first.start).isoformat()
        q.date_to = date(end_year, *last.end).isoformat()
    else:
        q.month_day_from = f"{first.start[0]:02d}-{first.start[1]:02d}"
        q.month_day_to = f"{last.end[0]:02d}-{last.end[1]:02d}"


def extract_dates(text: str, q: SearchQuery) -> str:
    """Sets the query's date filter from the first date or date range in the text; returns the rest of it."""
    rng = _RANGE.search(text)
    if rng:
        first = _date_of(rng, "a", _DAY_PATTERNS)
        second = _date_of(rng, "b", (*_DAY_PATTERNS, *_SECOND_ONLY), inherit=first) if first else None
        if first and second:
            _apply_dates(q, first, second)
            return text[: rng.start()] + " " + text[rng.end():]
    one = _ONE.search(text)
    if one:
        d = _date_of(one, "a", _DAY_PATTERNS)
        if d:
            _apply_dates(q, d, d)
            return text[: one.start()] + " " + text[one.end():]
    return text


# ------------------------------------------------------------------ words
def _word_groups(text: str, ms: Sequence[Morph]) -> list[tuple[str, list[Morph]]]:
    """The morphemes of each space-separated word of the text."""
    out: list[tuple[str, list[Morph]]] = []
    for w in re.finditer(r"\S+", text):
        inside = [m for m in ms if w.start() <= m.start < w.end()]
        out.append((w.group(), inside))
    return out


def word_phrases(ms: Sequence[Morph]) -> list[Phrase]:
    """The literal phrases of one word: its tokens in order, and for nouns written together their concatenation."""
    forms = tuple(f for m in ms if (f := token_form(m)) is not None)
    if not forms:
        return []
    out = [forms]
    for concat, _, _ in compounds(ms):
        if (concat,) not in out:
            out.append((concat,))
    return out


@lru_cache(maxsize=4096)
def text_phrases(text: str) -> tuple[Phrase, ...]:
    """The phrases of a short text given as one unit (a related word, a party's alias): all its tokens."""
    ms = morphs(text)
    forms = tuple(f for m in ms if (f := token_form(m)) is not None)
    extra = [(c,) for c, _, _ in compounds(ms) if len(forms) > 1 and (c,) != forms]
    return tuple(p for p in (forms, *extra) if p)


def _split(words: str) -> Phrase:
    return tuple(words.split())


def _widen(literal: Sequence[Phrase], alias_groups: Sequence[tuple[set[Phrase], list[Phrase]]]) -> list[Phrase]:
    """Related phrases, closest first: party aliases, the act's own search words, its one-word vocabulary and
    the acts a word belongs to, near words, then the act's longer phrases (capped at MAX_WIDENED)."""
    vocabulary, tags, near = ground_vocabulary(), vocabulary_tags(), similar_words()
    out: list[Phrase] = []

    def add(p: Phrase) -> None:
        if p and p not in literal and p not in out:
            out.append(p)

    for phrase in literal:
        for names, phrases in alias_groups:
            if phrase in names:
                for p in phrases:
                    add(p)
    for phrase in literal:
        key = " ".join(phrase)
        for extra in SEARCH_EXTRA.get(key, ()):
            add(_split(extra))
        for p in vocabulary.get(key, ()):  # the act's name widens to its vocabulary …
            if len(p) == 1:
                add(p)
        for tag in tags.get(phrase, ()):  # … and each of its words to the act's name ("부적절한 만남" analysed)
            add(text_phrases(tag)[0] if " " in tag and text_phrases(tag) else (tag,))
        for w in near.get(key, ()):
            add((w,))
    for phrase in literal:
        for p in vocabulary.get(" ".join(phrase), ()):
            add(p)
    return out[:MAX_WIDENED]


def _alias_groups(aliases: Mapping[str, Sequence[str]] | None) -> list[tuple[set[Phrase], list[Phrase]]]:
    groups: list[tuple[set[Phrase], list[Phrase]]] = []
    for name, others in (aliases or {}).items():
        phrases: list[Phrase] = []
        for text in (name, *others):
            for p in text_phrases(text):
                if p not in phrases:
                    phrases.append(p)
        if phrases:
            groups.append((set(phrases), phrases))
    return groups


def parse_query(text: str, aliases: Mapping[str, Sequence[str]] | None = None) -> SearchQuery:
    """The query's date filter and terms; `aliases` maps each party's name to the other names the evidence
    uses for them ({"홍길동": ["남편", "길동씨"]}): any of them in the query also finds the others."""
    q = SearchQuery(text=text, terms=[])
    rest = extract_dates(text, q)
    if not rest.strip():
        return q
    groups = _alias_groups(aliases)
    for word, literal in _analysed_words(rest):
        q.terms.append(QueryTerm(word=word, literal=list(literal), widened=_widen(literal, groups)))
    return q


@lru_cache(maxsize=2048)
def _analysed_words(text: str) -> tuple[tuple[str, tuple[Phrase, ...]], ...]:
    """(word, literal phrases) of each word of the text that has any (Kiwi once per distinct query text)."""
    return tuple((word, tuple(literal)) for word, ms in _word_groups(text, morphs(text))
                 if (literal := word_phrases(ms)))


def all_phrases(q: SearchQuery) -> list[Phrase]:
    return [p for t in q.terms for p in (*t.literal, *t.widened)]


# ------------------------------------------------------------------ snippets
def highlight(text: str, tokens: str, spans: str, phrases: Sequence[Phrase], width: int = 60) -> str:
    """HTML-escaped excerpt around the first match, every matched word (literal or widened) in <mark>."""
    import html

    found = find_phrases(tokens.split(), spans.split(), phrases) if tokens else []
    merged: list[list[int]] = []
    for a, b in sorted(found):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    first = merged[0][0] if merged else 0
    start = max(0, first - width // 2)
    end = min(len(text), start + width + (merged[0][1] - merged[0][0] if merged else 0))
    out, pos = [], start
    for a, b in merged:
        a, b = max(a, start), min(b, end)
        if a >= b:
            continue
        out.append(html.escape(text[pos:a]) + "<mark>" + html.escape(text[a:b]) + "</mark>")
        pos = b
    out.append(html.escape(text[pos:end]))
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")
