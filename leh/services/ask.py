"""Questions answered only from the case's evidence, with citations (POST /api/cases/{id}/ask).

Retrieval: full-text search for the question's content words plus the messages already labelled with the
tags the question names. A message counts as relevant only if it carries such a label or contains the
question's words (all of one or two, two thirds of more); if none does, the answer is exactly NO_ANSWER and
nothing is cited. Offline, the answer is the relevant messages quoted as they are; with OpenAI configured,
a model writes the answer from those messages only, and must cite them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from leh.analysis.morph import morphs_many
from leh.analysis.question import QuestionIntent, analyze_question, coverage
from leh.analysis.summary import when
from leh.domain.errors import ValidationFailed
from leh.domain.evidence import EvidenceStatus, counted_ids
from leh.ports import AnalysisContext, Answerer, EvidenceStore, SearchIndex

NO_ANSWER: Final = "제공된 증거 내에서 해당 사실을 확인할 수 없습니다."
ANSWER_HEADER: Final = "증거에서 확인된 관련 내용:"
MAX_QUESTION_CHARS: Final = 500
SEARCH_CANDIDATES: Final = 50
MAX_CITATIONS: Final = 5
SNIPPET_CHARS: Final = 120


@dataclass
class _Candidate:
    evidence_id: str
    seq: int
    text: str
    ts: str | None
    speaker: str | None
    filename: str | None
    search_rank: int
    tagged: bool = False
    covered: int = 0


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1] + "…"


def _candidates(evidence: EvidenceStore, index: SearchIndex, case_id: str, intent: QuestionIntent) -> list[_Candidate]:
    docs: dict[str, dict[str, Any] | None] = {}

    def doc_of(evidence_id: str) -> dict[str, Any] | None:
        if evidence_id not in docs:
            d = evidence.get(evidence_id)
            docs[evidence_id] = d if d and d["case_id"] == case_id and d["status"] == EvidenceStatus.DONE else None
        return docs[evidence_id]

    found: dict[tuple[str, int], _Candidate] = {}

    def add(doc: dict[str, Any], seq: int, rank: int) -> _Candidate | None:
        key = (doc["evidence_id"], seq)
        if key not in found:
            seg = next((s for s in doc.get("segments") or [] if int(s["seq"]) == seq), None)
            if seg is None or seg.get("kind") == "system":
                return None
            found[key] = _Candidate(doc["evidence_id"], seq, seg["text"], seg.get("ts") or doc.get("event_time"),
                                    seg.get("speaker"), doc.get("filename"), rank)
        return found[key]

    if intent.terms:
        for rank, hit in enumerate(index.search(case_id, " ".join(intent.terms), limit=SEARCH_CANDIDATES)):
            d = doc_of(hit.evidence_id)
            if d is not None:
                add(d, hit.seq, rank)
    if intent.tags:
        done = [d for d in evidence.list_case(case_id) if d["status"] == EvidenceStatus.DONE]
        counted = counted_ids(done)  # identical files count once (search already holds one copy)
        for doc in done:
            if doc["evidence_id"] not in counted:
                continue
            docs.setdefault(doc["evidence_id"], doc)
            for label in doc.get("labels") or []:
                if label.get("tag") in intent.tags:
                    for seq in label.get("segments") or []:
                        cand = add(doc, int(seq), SEARCH_CANDIDATES)
                        if cand is not None:
                            cand.tagged = True
    return list(found.values())


def relevant(evidence: EvidenceStore, index: SearchIndex, case_id: str, question: str) -> list[_Candidate]:
    """The messages that pass the relevance threshold, most relevant first."""
    intent = analyze_question(question)
    if not intent.terms and not intent.tags:
        return []
    cands = _candidates(evidence, index, case_id, intent)
    for cand, ms in zip(cands, morphs_many([x.text for x in cands]), strict=True):
        cand.covered = coverage(intent, cand.text, ms)
    passing = [x for x in cands if x.tagged or (intent.terms and x.covered >= intent.required)]
    passing.sort(key=lambda x: (not x.tagged, -x.covered, x.search_rank, x.ts or "", x.evidence_id, x.seq))
    return passing


def _quote_line(n: int, x: _Candidate) -> str:
    parts = [p for p in (when(x.ts), f"{x.speaker}:" if x.speaker else None) if p]
    source = f" ({x.filename})" if x.filename else ""
    return f"{n}. {' '.join(parts) + ' ' if parts else ''}“{_snippet(x.text)}”{source}"


def ask(evidence: EvidenceStore, index: SearchIndex, answerer: Answerer | None, case_id: str, question: str, *,
        user_id: str | None = None) -> dict[str, Any]:
    """`{"answer", "citations": [{"evidence_id", "seq", "snippet"}]}` from the case's evidence only.

    The caller has already checked that the user may see the case.
    """
    question = (question or "").strip()
    if not question or len(question) > MAX_QUESTION_CHARS:
        raise ValidationFailed(message_ko=f"질문을 1~{MAX_QUESTION_CHARS}자로 입력해주세요.")
    passing = relevant(evidence, index, case_id, question)
    if not passing:
        return {"answer": NO_ANSWER, "citations": []}
    writer = answerer  # None: no AI writer configured, the answer is extractive
    if writer is not None:
        passages = [{"text": x.text, "ts": x.ts, "speaker": x.speaker} for x in passing[: MAX_CITATIONS * 2]]
        written = writer.answer(question, passages, AnalysisContext(case_id=case_id, user_id=user_id))
        if written is not None:
            found, text, cited = written
            if not found or not cited or not text.strip():
                return {"answer": NO_ANSWER, "citations": []}
            chosen = [passing[i] for i in dict.fromkeys(cited)]
            return {"answer": text.strip(), "citations": [_citation(x) for x in chosen]}
    top = passing[:MAX_CITATIONS]
    answer = "\n".join([ANSWER_HEADER, *(_quote_line(n, x) for n, x in enumerate(top, start=1))])
    return {"answer": answer, "citations": [_citation(x) for x in top]}


def _citation(x: _Candidate) -> dict[str, Any]:
    return {"evidence_id": x.evidence_id, "seq": x.seq, "snippet": _snippet(x.text)}
