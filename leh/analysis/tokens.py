"""Search tokens for Korean: Kiwi morphemes in their base form, so a query matches every inflection.

"때렸다", "때리고", "때린" all index the token 때리; "따로 살자" indexes 따로 살, and "살짝" indexes 살짝 (never 살),
so a query matches whole morphemes, not substrings. Particles, endings, copulas and punctuation are left out:
they carry no meaning for search and leaving them out keeps multi-word phrases adjacent ("소리를 질렀어" →
소리 지르, so the phrase "소리 지르" matches it).

Two adjacent nouns written as one word ("재산분할" → 재산 분할) also index their concatenation, appended after
the text's own tokens: Kiwi reads a word alone and in context differently ("박수진" alone is 박수+진, in
"박수진이" it is the name 박수진), and a query word of several nouns is matched as the phrase or as the whole.

Every token has a character span in the text (verb and adjective stems extend to the end of their word, so
"때렸다" is marked whole), stored beside the tokens: snippets are highlighted without analysing the text again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final, NamedTuple

from leh.analysis.morph import Morph, morphs_many

# Morpheme tags left out of the index: particles, endings, the copula 이다, verb/adjective suffixes (하다, 되다),
# punctuation and symbols. Foreign words (SL), numbers (SN), hanja (SH) and Kiwi's W_* (serials, URLs) stay.
_SKIP_PREFIXES: Final = ("J", "E", "VCP", "XSV", "XSA", "XSM", "SF", "SP", "SS", "SE", "SO", "SW", "SB", "UN", "Z")
_TOKEN: Final = re.compile(r"^[0-9A-Za-z가-힣]+$")
_WORD_END: Final = re.compile(r"\s")


class Indexed(NamedTuple):
    """A text's search tokens (space-joined) and their character spans ("start:end", space-joined, same order)."""

    tokens: str
    spans: str


def keep(tag: str) -> bool:
    return not tag.startswith(_SKIP_PREFIXES)


def token_form(m: Morph) -> str | None:
    """The index token of one morpheme, or None when it is left out."""
    if not keep(m.tag):
        return None
    form = m.form.lower()
    return form if _TOKEN.match(form) else None


def _word_end(text: str, pos: int) -> int:
    m = _WORD_END.search(text, pos)
    return m.end() - 1 if m else len(text)


def _is_noun(tag: str) -> bool:
    return tag.startswith("NN") or tag == "XSN"


def compounds(ms: Sequence[Morph]) -> list[tuple[str, int, int]]:
    """Runs of ≥ 2 nouns written without a space between them, as (concatenation, start, end)."""
    out: list[tuple[str, int, int]] = []
    run: list[Morph] = []
    for m in [*ms, Morph("", "END", -1, -1)]:
        if _is_noun(m.tag) and _TOKEN.match(m.form) and (not run or run[-1].end == m.start):
            run.append(m)
            continue
        if len(run) >= 2:
            out.append(("".join(x.form for x in run), run[0].start, run[-1].end))
        run = [m] if _is_noun(m.tag) and _TOKEN.match(m.form) else []
    return out


def indexed_from_morphs(text: str, ms: Sequence[Morph]) -> Indexed:
    toks: list[str] = []
    spans: list[str] = []
    for m in ms:
        form = token_form(m)
        if form is None:
            continue
        end = _word_end(text, m.end) if m.tag.startswith("V") else m.end
        toks.append(form)
        spans.append(f"{m.start}:{end}")
    for form, start, end in compounds(ms):
        toks.append(form)
        spans.append(f"{start}:{end}")
    return Indexed(" ".join(toks), " ".join(spans))


def index_many(texts: Sequence[str]) -> list[Indexed]:
    """Tokens and spans of many texts in one Kiwi call."""
    return [indexed_from_morphs(t, ms) for t, ms in zip(texts, morphs_many(list(texts)), strict=True)]


def known_tokens(segments: Sequence[object], tokens: Sequence[tuple[str, str]] | None) -> list[Indexed] | None:
    """`tokens` as Indexed when they are one per segment (computed by the analysis), else None (compute them)."""
    if tokens is None or len(tokens) != len(segments):
        return None
    return [Indexed(*t) for t in tokens]


def index_tokens(text: str) -> str:
    return index_many([text])[0].tokens


def find_phrases(tokens: Sequence[str], spans: Sequence[str], phrases: Iterable[Sequence[str]]) -> list[tuple[int, int]]:
    """Character spans of every occurrence of the phrases (token sequences) in a text's tokens; `spans` are the
    tokens' stored "start:end" strings (only those of matched tokens are parsed)."""
    found: list[tuple[int, int]] = []
    at: dict[str, list[int]] = {}
    for i, t in enumerate(tokens):
        at.setdefault(t, []).append(i)
    for phrase in phrases:
        if not phrase:
            continue
        for i in at.get(phrase[0], ()):
            n = len(phrase)
            if n == 1 or list(tokens[i : i + n]) == list(phrase):
                parsed = [s.partition(":") for s in spans[i : i + n]]
                found.append((int(parsed[0][0]), max(int(p[2]) for p in parsed)))
    return found
