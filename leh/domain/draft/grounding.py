"""The per-sentence citation filter: a written sentence survives only if it rests on, and quotes, the facts given."""

from __future__ import annotations

import re
from collections import Counter
from typing import Final

from leh.domain.draft.exhibits import CITATION_RE
from leh.domain.draft.facts import Fact
from leh.domain.draft.sentences import (
    MARKER_RE,
    is_note,
    normalize_ai_markers,
    outside_quotes,
    paragraph_sentences,
    quotes_in,
)

# Words that predict an outcome or state a legal conclusion. The AI path drops a sentence using one outside quotes.
FORBIDDEN_PHRASES: Final = (
    "승소", "패소", "가능성", "예상됩니다", "예상된다", "인용될", "기각될", "확실", "틀림없",
    "해당합니다", "해당한다", "해당함", "인정됩니다", "인정된다", "성립합니다", "성립한다", "명백",
)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def filter_cited_sentences(paragraphs: list[str], allowed: dict[str, Fact], quote_texts: dict[str, str]
                           ) -> tuple[list[str], Counter[str]]:
    """Keep only sentences grounded in `allowed` facts; count what was dropped and why.

    A sentence survives when it carries a marker of an allowed fact, names no outcome or legal conclusion
    outside its quotes, writes no exhibit label of its own, and every quote in it is words of the cited facts
    (`quote_texts`: fact id → the text the writer was given).
    """
    kept: list[str] = []
    dropped: Counter[str] = Counter()
    for para in paragraphs:
        para = normalize_ai_markers(para)
        if is_note(para):
            continue  # notes are the system's to write, not the writer's
        sentences: list[str] = []
        for sent in paragraph_sentences(para):
            ids = [i for i in MARKER_RE.findall(sent) if i in allowed]
            if not ids:
                dropped["no_citation"] += 1
                continue
            outside = outside_quotes(MARKER_RE.sub(" ", sent))
            if CITATION_RE.search(outside):
                dropped["own_citation"] += 1
                continue
            if any(w in outside for w in FORBIDDEN_PHRASES):
                dropped["prediction_or_conclusion"] += 1
                continue
            haystack = _squash(" ".join(quote_texts.get(i, "") for i in ids))
            pieces = [p for q in quotes_in(sent) for p in re.split(r"…|\.\.\.", q) if _squash(p)]
            if any(_squash(p) not in haystack for p in pieces):
                dropped["unsupported_quote"] += 1
                continue
            # Markers of facts the writer was not given are removed; the sentence stands on the others.
            sentences.append(MARKER_RE.sub(lambda m: m.group(0) if m.group(1) in allowed else "", sent))
        if sentences:
            kept.append(" ".join(sentences))
    return kept, dropped
