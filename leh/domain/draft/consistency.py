"""The consistency check of a finished draft: every citation, exhibit, part and 입증방법 line agrees with the text."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from leh.domain.documents import EvidenceDoc
from leh.domain.draft.exhibits import (
    CITATION_RE,
    EXHIBIT_SIDE,
    cited_labels,
    exhibit_label,
    parse_exhibit_line,
    parse_label,
)
from leh.domain.draft.sentences import is_note, split_sentences


def check_consistency(draft: dict[str, Any], evidence: dict[str, EvidenceDoc] | None = None) -> list[str]:
    """Everything wrong with a draft's citations; an empty list means consistent.

    Every label cited in the body is in `citations` and its exhibit in `exhibits` with the same evidence;
    every exhibit and citation is cited; exhibits are numbered 1..K in order of first citation; parts are
    either one bare label or 의 1..M; every sentence of a ground section is cited; the 입증방법 section lists
    exactly the exhibits; and, with `evidence`, every cited segment exists in its evidence. Every label is of the
    draft's `exhibit_side` (갑, or 을 when the client is the defendant).
    """
    side = str(draft.get("exhibit_side") or EXHIBIT_SIDE)
    sections = draft.get("sections") or []
    body = [s for s in sections if s.get("kind") != "evidence_list"]
    cited = [label for s in body for p in s.get("paragraphs") or [] for label in cited_labels(p)]
    problems = [f"{lbl} is not an exhibit of side {side}" for lbl in dict.fromkeys(cited)
                if not lbl.startswith(side + " ")]
    order = [lbl for lbl in cited if lbl.startswith(side + " ")]
    citations = draft.get("citations") or []
    exhibits = draft.get("exhibits") or []
    by_label = {c["label"]: c for c in citations}
    problems += _citation_problems(order, citations, by_label)
    problems += _exhibit_problems(exhibits, side)
    parts_of, cited_problems = _cited_exhibits(citations, exhibits, evidence, side)
    problems += cited_problems
    problems += _order_problems(order, exhibits, parts_of, side)
    problems += _uncited_sentences(sections)
    listed = [label for s in sections if s.get("kind") == "evidence_list"
              for line in s.get("paragraphs") or [] for label in parse_exhibit_line(line) or []]
    if sorted(listed) != sorted(by_label):
        problems.append(f"입증방법 lists {listed}, citations are {sorted(by_label)}")
    if "draft_text" in draft and set(cited_labels(draft["draft_text"])) != set(by_label):
        problems.append("draft_text cites other labels than the sections")
    return problems


def _citation_problems(order: list[str], citations: list[dict[str, Any]], by_label: dict[str, Any]) -> list[str]:
    """Labels cited in the text against the citations list, both ways."""
    cited = list(dict.fromkeys(order))
    problems = ["duplicate citation labels"] if len(by_label) != len(citations) else []
    problems += [f"{lbl} cited in the text but missing from citations" for lbl in cited if lbl not in by_label]
    problems += [f"{lbl} in citations but never cited" for lbl in by_label if lbl not in cited]
    return problems


def _exhibit_problems(exhibits: list[dict[str, Any]], side: str) -> list[str]:
    """Exhibits numbered 1..K, labelled for their number, one evidence each."""
    problems: list[str] = []
    numbers = [e.get("number") for e in exhibits]
    if numbers != list(range(1, len(exhibits) + 1)):
        problems.append(f"exhibit numbers {numbers} are not 1..{len(exhibits)}")
    problems += [f"exhibit {e.get('number')} labelled {e.get('label')!r}" for e in exhibits
                 if e.get("label") != exhibit_label(int(e.get("number") or 0), side=side)]
    if len({e.get("evidence_id") for e in exhibits}) != len(exhibits):
        problems.append("one evidence listed as several exhibits")
    return problems


def _cited_exhibits(citations: list[dict[str, Any]], exhibits: list[dict[str, Any]],
                    evidence: dict[str, EvidenceDoc] | None, side: str
                    ) -> tuple[dict[int, list[int | None]], list[str]]:
    """(the parts cited of each exhibit number, problems): each citation points to its listed exhibit and to
    segments that exist."""
    problems: list[str] = []
    by_number = {e.get("number"): e for e in exhibits}
    parts_of: dict[int, list[int | None]] = defaultdict(list)
    for c in citations:
        try:
            n, m = parse_label(c["label"], side)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        ex = by_number.get(n)
        if ex is None:
            problems.append(f"{c['label']} points to no listed exhibit")
        elif ex.get("evidence_id") != c.get("evidence_id"):
            problems.append(f"{c['label']} points to evidence {c.get('evidence_id')} but exhibit {n} is {ex.get('evidence_id')}")
        parts_of[n].append(m)
        problems += _segment_problems(c, evidence)
    return parts_of, problems


def _segment_problems(c: dict[str, Any], evidence: dict[str, EvidenceDoc] | None) -> list[str]:
    if not c.get("segments"):
        return [f"{c['label']} cites no segment"]
    if evidence is None:
        return []
    doc = evidence.get(c.get("evidence_id", ""))
    if doc is None:
        return [f"{c['label']} cites unknown evidence {c.get('evidence_id')}"]
    seqs = {int(s["seq"]) for s in doc.get("segments") or []}
    if not set(c["segments"]) <= seqs:
        return [f"{c['label']} cites segments {sorted(set(c['segments']) - seqs)} missing from the evidence"]
    return []


def _order_problems(order: list[str], exhibits: list[dict[str, Any]], parts_of: dict[int, list[int | None]],
                    side: str) -> list[str]:
    """Parts are one bare label or 의 1..M; every exhibit is cited; numbers and parts follow first citation."""
    problems: list[str] = []
    for n, ms in parts_of.items():
        if ms != [None] and (None in ms or sorted(m for m in ms if m) != list(range(1, len(ms) + 1)) or len(ms) < 2):
            problems.append(f"exhibit {n} has inconsistent parts {ms}")
    problems += [f"exhibit {e.get('number')} is listed but never cited" for e in exhibits
                 if e.get("number") not in parts_of]
    numbers = [e.get("number") for e in exhibits]
    first_seen = list(dict.fromkeys(parse_label(lbl, side)[0] for lbl in order))
    if first_seen != numbers:
        problems.append(f"exhibits first cited in order {first_seen}, numbered {numbers}")
    for n in parts_of:
        seen_parts = [m for m in dict.fromkeys(parse_label(lbl, side)[1] for lbl in order
                                               if parse_label(lbl, side)[0] == n)]
        if seen_parts != sorted(seen_parts, key=lambda m: m or 0):
            problems.append(f"parts of exhibit {n} first cited in order {seen_parts}")
    return problems


def _uncited_sentences(sections: list[dict[str, Any]]) -> list[str]:
    """Every sentence of a ground section (notes aside) carries a citation."""
    return [f"uncited sentence in {s.get('title')}: {sent[:40]}"
            for s in sections if s.get("kind") == "ground"
            for p in s.get("paragraphs") or [] if not is_note(p)
            for sent in split_sentences(p) if not CITATION_RE.search(sent)]
