"""Unfavourable evidence (DOMAIN.md, "Fault decides the case"): labels that favour the opponent, i.e. the client's
own acts, with the segments that show them. The lawyer sees them next to the draft; the draft never cites them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from leh.domain.documents import EvidenceDoc, LabelDoc, RiskDoc, RiskSegmentDoc, SegmentDoc
from leh.domain.draft.facts import WHOLE_LINE, Span, cited_part, label_spans
from leh.domain.evidence import EvidenceStatus
from leh.domain.parties import Favours, Parties
from leh.ports import EvidenceStore
from leh.services.rederive import with_attribution

SNIPPET_CHARS: Final = 120


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1] + "…"


def _part(seg: SegmentDoc, label: LabelDoc, cited: Mapping[tuple[int, str], list[Span]]) -> str:
    """The client's part of a segment: a line that also tells of the opponent's acts ("아내가 … 제 이마를 내리쳤습니다.
    그 직전에 제가 … 소리를 지른 것은 사실입니다") shows the sentences of the client's own act, not the whole line."""
    seq, text = int(seg["seq"]), str(seg.get("text") or "")
    mine = [(int(sp["start"]), int(sp["end"])) for sp in label.get("spans") or [] if int(sp["seq"]) == seq]
    theirs = [sp for (q, _), spans in cited.items() if q == seq for sp in spans]
    return cited_part(text, [sp if sp[1] > sp[0] else WHOLE_LINE for sp in mine], theirs)


def risks_of(docs: Iterable[EvidenceDoc]) -> list[RiskDoc]:
    """Every label favouring the opponent in processed evidence, in upload order, with its segments."""
    out: list[RiskDoc] = []
    for doc in docs:
        if doc.get("status") != EvidenceStatus.DONE:
            continue
        by_seq = {int(s["seq"]): s for s in doc.get("segments") or []}
        cited, _ = label_spans(doc.get("labels") or [])
        for label in doc.get("labels") or []:
            if label.get("favours") != Favours.OPPONENT:
                continue
            segments: list[RiskSegmentDoc] = [{"seq": int(q), "text": _snippet(_part(by_seq[int(q)], label, cited)),
                         "ts": by_seq[int(q)].get("ts"), "speaker": by_seq[int(q)].get("speaker")}
                        for q in label.get("segments") or [] if int(q) in by_seq]
            out.append({"evidence_id": doc["evidence_id"], "filename": doc.get("filename"), "type": doc.get("type"),
                        "ground": label.get("ground"), "tag": label.get("tag"),
                        "confidence": float(label.get("confidence") or 0.0), "actor": label.get("actor", "unknown"),
                        "favours": label["favours"], "source": label.get("source", "engine"), "segments": segments})
    return out


def case_risks(evidence: EvidenceStore, case_id: str, parties: Parties) -> list[RiskDoc]:
    """The case's risks. Only evidence whose labels may favour the opponent (so marked, or not attributed yet) is
    read whole; the rest of the case is read as label summaries."""
    rows = evidence.list_summaries(case_ids=[case_id], statuses=[EvidenceStatus.DONE], fields=["labels", "uploaded_at"])
    rows.sort(key=lambda d: (d.get("uploaded_at") or "", d["evidence_id"]))
    maybe = [r["evidence_id"] for r in rows
             if any(lb.get("favours") in (None, Favours.OPPONENT) for lb in r.get("labels") or [])]
    docs = (d for d in map(evidence.get, maybe) if d is not None)
    return risks_of(with_attribution(d, parties) for d in docs)
