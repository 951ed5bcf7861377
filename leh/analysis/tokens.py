"""Search tokens for Korean: character bigrams inside Hangul words, lower-cased words elsewhere.

SQLite's default FTS5 tokenizer keeps whole 어절, so "위자료" would not match "위자료를"; bigrams make
any query word a phrase of its own bigrams, which matches inside inflected and particle-bearing forms
("폭언" in "폭언하였다") without loading a morphological model in the hot path.
"""

from __future__ import annotations

import re
from typing import Final

_WORD: Final = re.compile(r"[가-힣]+|[A-Za-z0-9]+")
_HANGUL: Final = re.compile(r"[가-힣]")


def _word_tokens(word: str) -> list[str]:
    if _HANGUL.match(word):
        if len(word) == 1:
            return [word]
        return [word[i : i + 2] for i in range(len(word) - 1)]
    return [word.lower()]


def index_tokens(text: str) -> str:
    """Space-joined tokens for the index; single Hangul syllables are kept too, so one-syllable queries match."""
    out: list[str] = []
    for m in _WORD.finditer(text):
        word = m.group()
        out.extend(_word_tokens(word))
        if _HANGUL.match(word) and len(word) > 1:
            out.extend(word)  # unigrams after the bigrams: one-syllable queries like "돈" still match
    return " ".join(out)


def query_words(query: str) -> list[str]:
    return [m.group() for m in _WORD.finditer(query)]


def fts_query(query: str) -> str | None:
    """An FTS5 MATCH expression: every query word must appear (as the phrase of its bigrams)."""
    phrases = []
    for word in query_words(query):
        toks = _word_tokens(word)
        phrases.append('"' + " ".join(t.replace('"', "") for t in toks) + '"')
    return " AND ".join(phrases) if phrases else None


def fts_query_any(query: str) -> str | None:
    """Like fts_query, but any word may match (used to rank partial matches after exact ones)."""
    phrases = ['"' + " ".join(_word_tokens(w)) + '"' for w in query_words(query)]
    return " OR ".join(phrases) if phrases else None
