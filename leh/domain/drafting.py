"""Complaint drafts (소장 초안), the pure part: facts from labelled evidence, exhibit numbering and citation labels
(갑 제N호증, 갑 제N호증의 M), sentence splitting, the per-sentence citation filter and the consistency check. No I/O.

Writers (offline templates or an AI) put fact markers (⟦F3⟧) into their sentences; `assign_citations` turns the
markers into exhibit labels numbered in order of first citation, so numbering can never drift from the text.
"""

from __future__ import annotations

# The public API. Each part lives in a module of `leh.domain.draft` with one reason to change: dates, facts, sentences,
# the citation filter, exhibits and the consistency check.
from leh.domain.draft.consistency import check_consistency
from leh.domain.draft.dates import format_date, parse_ts, short_date
from leh.domain.draft.exhibits import (
    CITATION_RE,
    DEFENDANT_SIDE,
    EXHIBIT_SIDE,
    TYPE_LABELS,
    Numbered,
    assign_citations,
    cited_labels,
    evidence_dates,
    exhibit_label,
    exhibit_range,
    exhibit_side,
    parse_exhibit_line,
    parse_label,
    where_in,
)
from leh.domain.draft.facts import (
    MAX_FACT_GAP_SECONDS,
    MAX_FACTS_PER_GROUND,
    MAX_QUOTE_CHARS,
    MAX_SEGMENTS_PER_FACT,
    MIN_CONFIDENCE,
    Fact,
    FactSet,
    Quote,
    clean_quote,
    collect_facts,
)
from leh.domain.draft.grounding import FORBIDDEN_PHRASES, filter_cited_sentences
from leh.domain.draft.sentences import (
    MARKER_RE,
    is_note,
    normalize_ai_markers,
    outside_quotes,
    paragraph_sentences,
    quotes_in,
    split_sentences,
)
from leh.domain.grounds import GROUND_IDS

__all__ = [
    "CITATION_RE", "DEFENDANT_SIDE", "EXHIBIT_SIDE", "FORBIDDEN_PHRASES", "GROUND_IDS", "MARKER_RE", "MAX_FACTS_PER_GROUND",
    "MAX_FACT_GAP_SECONDS", "MAX_QUOTE_CHARS", "MAX_SEGMENTS_PER_FACT", "MIN_CONFIDENCE", "TYPE_LABELS",
    "Fact", "FactSet", "Numbered", "Quote", "assign_citations", "check_consistency", "cited_labels",
    "clean_quote", "collect_facts", "evidence_dates", "exhibit_label", "exhibit_range", "exhibit_side", "filter_cited_sentences",
    "format_date", "is_note", "normalize_ai_markers", "outside_quotes", "paragraph_sentences", "parse_exhibit_line",
    "parse_label", "parse_ts", "quotes_in", "short_date", "split_sentences", "where_in",
]
