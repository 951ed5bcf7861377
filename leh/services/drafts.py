"""Draft preview (소장, 반소장 or 답변서 초안): generate from processed evidence, keep every version, export to .docx.

The AI proposes; the lawyer decides. A draft is built only from labelled segments, each sentence cites its
exhibit, and the whole draft must pass `check_consistency` before it is stored or shown.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any, cast
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from leh.analysis import draft_answer, draft_writer
from leh.analysis.draft_writer import Claims
from leh.analysis.masking import mask_text
from leh.domain.documents import DraftDoc, EvidenceDoc
from leh.domain.draft.facts import OCR_CHECK_NOTE
from leh.domain.draft.kinds import DOWNLOAD_NAMES, KIND_NAMES, DraftKind, default_kind, kind_of, resolve_kind
from leh.domain.draft.relation import relation_fact
from leh.domain.drafting import (
    Fact,
    assign_citations,
    check_consistency,
    collect_facts,
    exhibit_side,
    filter_cited_sentences,
)
from leh.domain.errors import LehError, NotFound, ValidationFailed
from leh.domain.evidence import EvidenceStatus, counted_ids
from leh.domain.parties import Parties
from leh.models import Draft, User
from leh.ports import AiDraftError, DocxRenderer, DraftWriter, EvidenceStore, UsageRecorder
from leh.services.breakers import is_open
from leh.services.cases import require_case
from leh.services.parties import load as load_parties
from leh.services.rederive import with_attribution
from leh.services.risks import risks_of

log = logging.getLogger("leh.drafts")



def processed_evidence(evidence: EvidenceStore, case_id: str) -> list[EvidenceDoc]:
    """The case's evidence that finished processing, in upload order (the tie-break for same-time facts).

    Identical files count once: a duplicate is never cited as a second exhibit of the same content.
    """
    docs = [d for d in evidence.list_case(case_id) if d.get("status") == EvidenceStatus.DONE]
    counted = counted_ids(docs)
    return sorted((d for d in docs if d["evidence_id"] in counted), key=lambda d: (d.get("uploaded_at") or "", d["evidence_id"]))


def _require_processed(evidence: EvidenceStore, case_id: str) -> list[EvidenceDoc]:
    docs = processed_evidence(evidence, case_id)
    if not docs:
        raise ValidationFailed("NO_PROCESSED_EVIDENCE")
    return docs


def _ai_paragraphs(db: Session, usage: UsageRecorder, user: User, case_id: str, writer: DraftWriter,
                   by_ground: dict[str, list[Fact]], paragraphs: dict[str, list[str]],
                   kind: DraftKind = DraftKind.COMPLAINT) -> dict[str, Any]:
    """Replace the template paragraphs with checked AI prose where the AI produced some; returns the engine report."""
    if is_open(db, case_id):
        return {"name": "offline", "fallback": "breaker_open"}
    # End the request's read transaction: no transaction is held across a slow network call, and on SQLite a
    # snapshot older than the usage row written below could not be upgraded to write the draft.
    db.commit()
    try:
        result = writer.write(by_ground, case_id=case_id, kind=kind)
    except AiDraftError as exc:
        log.warning("draft AI unavailable, using templates", extra={"case_id": case_id, "reason": exc.reason})
        return {"name": "offline", "fallback": exc.reason}
    try:
        # Like every AI call: tokens in ai_usage, then the case's budget check, which may open its breaker.
        usage.record(case_id=case_id, user_id=user.id, evidence_id=None, provider=writer.provider, model=result.model,
                     input_tokens=result.input_tokens, output_tokens=result.output_tokens, cost_usd=result.cost_usd)
    except Exception:
        log.exception("usage accounting failed", extra={"case_id": case_id, "code": "USAGE_RECORD_FAILED"})
    offline_grounds = []
    for gid in by_ground:
        if result.paragraphs.get(gid):
            paragraphs[gid] = result.paragraphs[gid]
        else:
            offline_grounds.append(gid)  # nothing checkable came back for it: the templates stand
    return {"name": "openai", "model": result.model, "dropped_sentences": sum(result.dropped.values()),
            "dropped": dict(result.dropped), "offline_grounds": offline_grounds,
            "input_tokens": result.input_tokens, "output_tokens": result.output_tokens}


def _mark_uncertain(paragraphs: list[str], facts: list[Fact]) -> list[str]:
    """Quotes of OCR text read with low confidence get OCR_CHECK_NOTE after them, whoever wrote the sentence: also
    the AI writer's quotes, which hold the masked words it was sent ("[전화번호]" for a phone number)."""
    shaky = [re.sub(r"\s+", "", t) for f in facts for q in f.quotes if q.uncertain for t in (q.text, mask_text(q.text))]
    if not shaky:
        return paragraphs

    def mark(m: re.Match[str]) -> str:
        inner = re.sub(r"\s+", "", m.group(1))
        hit = inner and any(inner in t for t in shaky)
        return m.group(0) + OCR_CHECK_NOTE if hit and not m.string.startswith(OCR_CHECK_NOTE, m.end()) else m.group(0)

    return [re.sub(r"“([^”]*)”", mark, p) for p in paragraphs]


def build_draft(docs: list[EvidenceDoc], claims: Claims, *, paragraphs: dict[str, list[str]] | None = None,
                facts: list[Fact] | None = None, omitted: dict[str, int] | None = None,
                parties: Parties | None = None, unattributed: int = 0,
                kind: DraftKind | None = None) -> dict[str, Any]:
    """The draft object (without id and time) from processed evidence; `paragraphs` overrides the templates.

    Only the opponent's acts are cited; the client's own acts come back as `risks`, beside the draft text. The
    parties name the sides (a defendant client files a 반소장 or a 답변서 citing 을호증) and fill the names the
    lawyer entered. `kind` defaults to the client's side's (소장 or 반소장); the caller has checked it fits the side.
    """
    kind = kind or default_kind(parties.client_side if parties is not None else None)
    if facts is None:
        fact_set = collect_facts(docs, parties=parties)
        facts, omitted, unattributed = fact_set.facts, fact_set.omitted, fact_set.unattributed
    by_ground: dict[str, list[Fact]] = {}
    for f in facts:
        by_ground.setdefault(f.ground, []).append(f)
    written = {g: draft_writer.ground_paragraphs(fs) for g, fs in by_ground.items()}
    written.update(paragraphs or {})
    facts_by_id = {f.fact_id: f for f in facts}
    # Whatever wrote them, ground paragraphs pass the sentence filter once more: nothing uncited reaches the lawyer.
    checked: dict[str, list[str]] = {}
    for gid, paras in written.items():
        kept, _ = filter_cited_sentences(paras, {f.fact_id: f for f in by_ground[gid]}, _given(by_ground[gid]))
        checked[gid] = _mark_uncertain(kept or draft_writer.ground_paragraphs(by_ground[gid]), by_ground[gid])
    risks = risks_of(docs)
    answer = kind == DraftKind.ANSWER
    if answer:
        sections = draft_answer.body_sections(checked, by_ground, omitted or {}, unattributed=unattributed,
                                              risks=len(risks))
    else:
        # The marriage and children as the evidence states them, offered (cited) in the 당사자의 관계 placeholder.
        relation = relation_fact(docs, f"F{len(facts) + 1}")
        if relation is not None:
            facts_by_id[relation.fact_id] = relation
        sections = draft_writer.body_sections(claims, checked, by_ground, omitted or {}, unattributed=unattributed,
                                              parties=parties, relation=relation)
    docs_by_id = {d["evidence_id"]: d for d in docs}
    side = exhibit_side(parties.client_side if parties is not None else None)
    numbered = assign_citations(sections, facts_by_id, docs_by_id, side)
    if answer:
        sections = numbered.sections + draft_answer.evidence_sections(numbered.exhibits)
        head, closing = draft_answer.heading(parties), draft_answer.closing_lines()
    else:
        sections = numbered.sections + draft_writer.evidence_sections(numbered.exhibits, claims, parties)
        head, closing = draft_writer.heading(claims, parties), draft_writer.closing_lines(parties)
    label_of = {(c["evidence_id"], tuple(c["segments"])): c["label"] for c in numbered.citations}
    return {
        "kind": str(kind), "heading": head, "sections": sections, "closing": closing, "exhibit_side": side,
        "draft_text": draft_writer.render_text(head, sections, closing),
        "exhibits": numbered.exhibits, "citations": numbered.citations,
        "facts": [{**f.to_dict(), "label": label_of.get(f.part_key)} for f in facts],
        "risks": risks,
    }


def quoted_facts(by_ground: dict[str, list[Fact]]) -> dict[str, list[Fact]]:
    """What an AI writer is given: each ground's facts without the lines quoted under another ground (it would
    quote them twice); a ground holding nothing else keeps its templates."""
    out = {g: [f for f in fs if not f.repeat_of] for g, fs in by_ground.items()}
    return {g: fs for g, fs in out.items() if fs}


def add_references(paragraphs: dict[str, list[str]], by_ground: dict[str, list[Fact]]) -> None:
    """After a ground's AI prose, the offline sentences that refer to lines quoted under another ground."""
    for gid in paragraphs:
        paragraphs[gid] = [*paragraphs[gid], *(draft_writer.fact_sentence(f) for f in by_ground.get(gid, [])
                                               if f.repeat_of)]


def _given(facts: list[Fact]) -> dict[str, str]:
    """The words each fact may be quoted with: its own, and the masked form the AI was sent."""
    return {f.fact_id: " ".join(q.text for q in f.quotes) + " " + " ".join(mask_text(q.text) for q in f.quotes)
            for f in facts}


def generate(db: Session, evidence: EvidenceStore, usage: UsageRecorder, writer: DraftWriter | None, user: User,
             case_id: str, claims: Claims, kind: str | None = None) -> dict[str, Any]:
    """Generate, check and store a new draft version for the case; 400 when nothing is processed yet, or when
    `kind` (complaint | counterclaim | answer; default by the client's side) does not fit the client's side.

    `writer` is the AI prose writer (None: offline templates only); its tokens go to `usage`.
    """
    require_case(db, user, case_id, write=True, allow_closed=False)
    parties = load_parties(db, case_id)
    chosen = resolve_kind(kind, parties.client_side)
    docs = [with_attribution(d, parties) for d in _require_processed(evidence, case_id)]
    fact_set = collect_facts(docs, parties=parties)
    by_ground = fact_set.by_ground()
    paragraphs: dict[str, list[str]] = {}
    engine: dict[str, Any] = {"name": "offline"}
    if writer is not None and by_ground:
        engine = _ai_paragraphs(db, usage, user, case_id, writer, quoted_facts(by_ground), paragraphs, chosen)
        add_references(paragraphs, by_ground)
    body = build_draft(docs, claims, paragraphs=paragraphs, facts=fact_set.facts, omitted=fact_set.omitted,
                       parties=parties, unattributed=fact_set.unattributed, kind=chosen)
    problems = check_consistency(body, {d["evidence_id"]: d for d in docs})
    if problems:
        # Never show a draft whose citations do not add up; problems may quote evidence, so only count them.
        log.error("draft failed its consistency check", extra={"case_id": case_id, "problems": len(problems)})
        raise LehError("DRAFT_INCONSISTENT")
    now = datetime.now(UTC)
    options = {"claims": claims.to_dict(), "kind": str(chosen)}
    row = Draft(case_id=case_id, created_by=user.id, created_at=now, options=json.dumps(options),
                evidence_ids=json.dumps([d["evidence_id"] for d in docs]))
    body.update(engine=engine, options=options, generated_at=now.isoformat(timespec="milliseconds"))
    row.draft = json.dumps(body, ensure_ascii=False)
    db.add(row)
    db.flush()
    return public(row, user_email=user.email, current_evidence=[d["evidence_id"] for d in docs])


def public(row: Draft, *, user_email: str | None = None, current_evidence: list[str] | None = None,
           rederived_at: str | None = None) -> dict[str, Any]:
    """The API's draft object: the stored body plus id, case, author, evidence set and, when known, staleness.

    A draft is stale when the processed evidence changed, or when an evidence was re-derived (speaker map,
    parties, corrections) after the draft was generated.
    """
    body = json.loads(row.draft)
    evidence_ids = json.loads(row.evidence_ids)
    out = {"draft_id": row.id, "case_id": row.case_id, **body, "kind": str(kind_of(json.loads(row.options), body)),
           "created_by": row.created_by, "created_by_email": user_email, "evidence_ids": evidence_ids}
    if current_evidence is not None:
        changed = bool(rederived_at and rederived_at > str(body.get("generated_at") or ""))
        out["stale"] = sorted(current_evidence) != sorted(evidence_ids) or changed
    return out


def _rows(db: Session, case_id: str, *, limit: int | None = None) -> list[tuple[Draft, str | None]]:
    query = (select(Draft, User.email).outerjoin(User, User.id == Draft.created_by).where(Draft.case_id == case_id)
             .order_by(Draft.created_at.desc()).limit(limit))
    return [(d, email) for d, email in db.execute(query).all()]


def _row_kind(row: Draft) -> DraftKind:
    options = json.loads(row.options)
    return kind_of(options) if "kind" in options else kind_of(options, json.loads(row.draft))


def _find(db: Session, evidence: EvidenceStore, case_id: str, draft_id: str | None,
          kind: DraftKind | None = None) -> tuple[Draft, str | None]:
    if draft_id is None:
        rows = _rows(db, case_id, limit=None if kind else 1)
    else:
        row = db.execute(select(Draft, User.email).outerjoin(User, User.id == Draft.created_by)
                         .where(Draft.case_id == case_id, Draft.id == draft_id)).first()
        rows = [(row[0], row[1])] if row else []
    if kind is not None:
        rows = [r for r in rows if _row_kind(r[0]) == kind]
    if not rows:
        if draft_id is None:
            _require_processed(evidence, case_id)  # an empty case says so, as on POST
        if kind is not None:
            raise NotFound("DRAFT_NOT_FOUND", f"아직 생성된 {KIND_NAMES[kind]} 초안이 없습니다. 초안 종류를 "
                                              f"{KIND_NAMES[kind]}(으)로 골라 '초안 생성'을 먼저 눌러주세요.")
        raise NotFound("DRAFT_NOT_FOUND")
    return rows[0]


def get(db: Session, evidence: EvidenceStore, user: User, case_id: str, draft_id: str | None = None,
        kind: str | None = None) -> dict[str, Any]:
    """One stored version (default: the latest; with `kind`, the latest of that kind), with `stale` when the
    processed evidence has changed since. A `kind` the client's side does not allow is a 400, as on POST."""
    require_case(db, user, case_id)
    chosen = resolve_kind(kind, load_parties(db, case_id).client_side) if kind else None
    row, email = _find(db, evidence, case_id, draft_id, chosen)
    docs = processed_evidence(evidence, case_id)
    rederived = max((str(d["derived_at"]) for d in docs if d.get("derived_at")), default=None)
    return public(row, user_email=email, current_evidence=[d["evidence_id"] for d in docs], rederived_at=rederived)


def history(db: Session, user: User, case_id: str) -> list[dict[str, Any]]:
    """Every version, newest first: when, by whom, from which evidence, with which claims, how many exhibits."""
    require_case(db, user, case_id)
    out = []
    for row, email in _rows(db, case_id):
        body = json.loads(row.draft)
        out.append({"draft_id": row.id, "generated_at": body.get("generated_at"), "created_by": row.created_by,
                    "created_by_email": email, "evidence_ids": json.loads(row.evidence_ids),
                    "options": json.loads(row.options), "exhibit_count": len(body.get("exhibits") or []),
                    "engine": (body.get("engine") or {}).get("name"), "kind": str(kind_of(json.loads(row.options), body))})
    return out


def export_docx(db: Session, evidence: EvidenceStore, render: DocxRenderer, user: User, case_id: str,
                draft_id: str | None = None, kind: str | None = None) -> tuple[bytes, DraftDoc]:
    """The .docx of one version (default: the latest, of `kind` when given) and that version's draft object."""
    draft = get(db, evidence, user, case_id, draft_id, kind)
    return render(draft), cast(DraftDoc, draft)


def download_disposition(draft: DraftDoc, day: str) -> str:
    """Content-Disposition of a draft's .docx by its kind: 소장초안_…, 반소장초안_… or 답변서초안_….

    RFC 6266/5987: an ASCII fallback for old clients, the Korean name for everyone else.
    """
    name, ascii_name = DOWNLOAD_NAMES[kind_of(draft.get("options"), draft)]
    korean = f"{name}_{day}.docx"
    fallback = f"{ascii_name}_{day}.docx"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(korean)}"
