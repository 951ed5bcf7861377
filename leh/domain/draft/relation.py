"""당사자의 관계 offered from the evidence: a line that states the marriage date and the children ("2018. 10. 13. …
혼인하였고, 딸 한서아(2019년생)"), quoted with its exhibit inside the placeholder for the lawyer to confirm against the
혼인관계증명서. Never written as a fact of the complaint: the registered date is the certificate's to say."""

from __future__ import annotations

import re
from typing import Final

from leh.domain.documents import EvidenceDoc
from leh.domain.draft.facts import Fact, Quote, clean_quote
from leh.domain.draft.names import exhibit_name

RELATION_GROUND: Final = "relation"  # not an art. 840 ground: the fact behind the 당사자의 관계 placeholder
_DATE: Final = r"(?:\d{4}\s*\.\s*\d{1,2}\s*\.(?:\s*\d{1,2}\s*\.)?|\d{4}\s*년\s*\d{1,2}\s*월(?:\s*\d{1,2}\s*일)?)"
_MARRIED_RE: Final = re.compile(_DATE + r"[^.!?]{0,40}?혼인(?!\s*(?:생활|기간|관계\s*파탄))")
_DAY_RE: Final = re.compile(r"\d{4}\s*\.\s*\d{1,2}\s*\.\s*\d{1,2}\s*\.|\d{4}\s*년\s*\d{1,2}\s*월\s*\d{1,2}\s*일")
_CHILD_RE: Final = re.compile(r"\(\s*\d{4}\s*년생\s*\)|\d{4}\s*년생|자녀|딸|아들")


def relation_fact(docs: list[EvidenceDoc], fact_id: str) -> Fact | None:
    """The evidence line that best states the marriage (a full date first, then one naming a child), or None."""
    best: tuple[tuple[bool, bool, int], Fact] | None = None
    for doc_index, doc in enumerate(docs):
        for s in doc.get("segments") or []:
            text = str(s.get("text") or "")
            if s.get("kind", "speech") == "system" or not _MARRIED_RE.search(text):
                continue
            score = (bool(_DAY_RE.search(text)), bool(_CHILD_RE.search(text)), -doc_index)
            if best is None or score > best[0]:
                best = (score, Fact(fact_id=fact_id, ground=RELATION_GROUND, tags=(), evidence_id=doc["evidence_id"],
                                    evidence_type=doc.get("type") or "unknown", segments=(int(s["seq"]),), ts=None,
                                    confidence=1.0, quotes=(Quote(None, clean_quote(text)),),
                                    document=exhibit_name(doc)))
    return best[1] if best else None
