"""Cases for ask tests, written in the tests: evidence documents put straight into a container's stores (analysed as
the worker would), and the question asked through the service."""

from __future__ import annotations

import uuid
from typing import Any

from leh.analysis.analyzer import analyze_document
from leh.container import Container
from leh.domain.evidence import new_evidence_doc
from leh.services.ask import ask

Line = tuple[str | None, str | None, str]  # (ts, speaker, text): a chat line, or a document line when speaker is None


def put_evidence(c: Container, case_id: str, name: str, lines: list[Line], *, refers: dict[int, str] | None = None,
                 **extra: Any) -> dict[str, Any]:
    """An evidence document of the case from chat lines or document lines, analysed, stored and indexed. `refers`:
    a resolved "어제" (its day) on some segments; `extra`: fields to set on the document after analysis."""
    eid = str(uuid.uuid4())
    doc = new_evidence_doc(case_id=case_id, evidence_id=eid, filename=name, size=1, uploaded_by="u1")
    segments: list[dict[str, Any]] = [
        {"seq": i, "ts": ts, "speaker": who, "text": t, "kind": "speech" if who else "text", "ref": {"line": i}}
        for i, (ts, who, t) in enumerate(lines)]
    for seq, day in (refers or {}).items():
        segments[seq]["refers_to"] = {"ts": day, "precision": "day", "phrase": "어제", "inferred": True}
    doc.update(type="kakaotalk" if any(w for _, w, _ in lines) else "text", status="done", segments=segments,
               **analyze_document(segments, event_time=None))
    doc.update(extra)
    c.evidence.put(doc)
    c.index.index_evidence(doc)
    return doc


def ask_case(c: Container, case_id: str, question: str, parties: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The question asked through the service, offline, with the case's parties when given."""
    out: dict[str, Any] = ask(c.evidence, c.index, None, case_id, question, parties=parties)
    return out


def cited(out: dict[str, Any]) -> str:
    return " | ".join(x["snippet"] for x in out["citations"])
