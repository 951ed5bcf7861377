"""Sentences of a draft paragraph: splitting (quotes, parentheses and dotted dates end nothing), fact markers
(⟦F3⟧, and the AI's [F3]), double-quoted passages and editorial notes."""

from __future__ import annotations

import re
from typing import Final

MARKER_RE: Final = re.compile(r"⟦(F\d+)⟧")
# What AI output uses for markers: "[F3]" or "[F3, F4]".
_AI_MARKER_RE: Final = re.compile(r"\[\s*(F\d+(?:\s*,\s*F\d+)*)\s*\]")

# Single quotes are not tracked: ’ doubles as an apostrophe, and quotes inside quotes are single already.
_CLOSERS: Final = {"“": "”", "「": "」", "『": "』"}


_DOTTED_DATE_END: Final = re.compile(r"\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.$")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph. A full stop inside a quote or parentheses, or inside "2023. 12. 25.", ends nothing."""
    out: list[str] = []
    buf: list[str] = []
    quote: str | None = None  # the closer we wait for while inside a quote
    parens = 0
    n = len(text)
    for i, ch in enumerate(text):
        buf.append(ch)
        if quote:
            if ch == quote:
                quote = None
            continue
        if ch in _CLOSERS:
            quote = _CLOSERS[ch]
        elif ch == '"':
            quote = '"'
        elif ch == "(":
            parens += 1
        elif ch == ")" and parens:
            parens -= 1
        elif ch in ".!?" and not parens and (i + 1 == n or text[i + 1].isspace()):
            after = text[i + 1:].lstrip()[:1]
            if i and text[i - 1].isdigit() and (after.isdigit() or _DOTTED_DATE_END.search(text, 0, i + 1)):
                continue  # a date written with dots: "2023. 12. 25."
            out.append("".join(buf).strip())
            buf = []
    rest = "".join(buf).strip()
    if rest:
        out.append(rest)
    return [s for s in out if s]


_QUOTE_RE: Final = re.compile(r"“([^”]*)”|\"([^\"]*)\"")


def quotes_in(sentence: str) -> list[str]:
    """The double-quoted passages of a sentence (curly or straight quotes)."""
    return [a or b for a, b in _QUOTE_RE.findall(sentence)]


def outside_quotes(sentence: str) -> str:
    """The sentence with its double-quoted passages blanked out."""
    return _QUOTE_RE.sub(" ", sentence)


def normalize_ai_markers(text: str) -> str:
    """AI output writes "[F3]" or "[F3, F4]"; the internal marker is ⟦F3⟧."""
    return _AI_MARKER_RE.sub(lambda m: "".join(f"⟦{x.strip()}⟧" for x in m.group(1).split(",")), text)


_LEADING_MARKERS: Final = re.compile(r"^(?:⟦F\d+⟧[\s,.()]*)+")


def _merge_marker_only(sentences: list[str]) -> list[str]:
    """A marker written after the full stop ("…했습니다. [F1] 다음 문장") belongs to the sentence before it."""
    out: list[str] = []
    for s in sentences:
        lead = _LEADING_MARKERS.match(s)
        if out and lead:
            out[-1] = out[-1] + " " + lead.group(0).strip(" ,.()")
            s = s[lead.end():].strip()
        if s:
            out.append(s)
    return out


def paragraph_sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph, with markers written after a full stop kept on the sentence before."""
    return _merge_marker_only(split_sentences(paragraph))


def is_note(paragraph: str) -> bool:
    """An editorial note for the lawyer ("[변호사 작성: …]"), not a sentence of the complaint."""
    p = paragraph.strip()
    return p.startswith("[") and p.endswith("]") and not MARKER_RE.search(p)
