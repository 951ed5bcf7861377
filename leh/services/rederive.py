"""Re-derive an evidence's labels, summary, insights and timeline from what is stored: no parsing, no labeller.

Called when the lawyer confirms or changes the speaker → party map (`PUT /api/evidence/{id}/speakers`), when the
case's parties change (every evidence whose map the lawyer has not confirmed gets a fresh suggestion), and by the
worker right after analysis. Another service that changes labels (lawyer corrections) can call
`rederive_evidence` to bring actor, favours and timeline up to date, and to re-index the evidence.

What the lawyer decided is kept: labels are re-derived only for the (segment, tag) pairs still among the
document's labels (a rejected label stays rejected), and labels with `source: "lawyer"` stay, with their actor
and favours recomputed like the engine's.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, cast

from leh.analysis.actor import LAWYER
from leh.analysis.analyzer import speakers_of
from leh.analysis.attribution import attribute, hit_of
from leh.analysis.labels import Hit, find_hits
from leh.analysis.speakers import ai_speakers, merged_map, suggested_map
from leh.domain.documents import DerivedDoc, EvidenceDoc, SegmentDoc
from leh.domain.errors import ERROR_MESSAGES_KO, NotFound, ValidationFailed
from leh.domain.evidence import EvidenceStatus, now_iso
from leh.domain.grounds import ground_of_tag
from leh.domain.parties import AUTHOR_KEY, SPEAKER_ROLES, Parties
from leh.ports import EvidenceStore, SearchIndex

log = logging.getLogger("leh.rederive")


def _lawyer_hits(doc: Mapping[str, Any], engine_hits: list[Hit]) -> tuple[list[Hit], frozenset[tuple[int, str]]]:
    """Hits standing for the lawyer's labels; the engine's readings of the same message (its spans, so each act's
    actor is read as the engine's was) are kept where there are any."""
    by_key: dict[tuple[int, str], list[Hit]] = {}
    stored = [hit_of(x) for x in doc.get("hits") or [] if x.get("rule") != LAWYER]
    for h in dict.fromkeys([*engine_hits, *stored]):  # every engine reading of the message, each read for its actor:
        by_key.setdefault((h.seq, h.tag), []).append(h)  # a line with both spouses' acts keeps both
    out: list[Hit] = []
    keys: set[tuple[int, str]] = set()
    for label in doc.get("labels") or []:
        if label.get("source") != LAWYER:
            continue
        tag = str(label.get("tag") or "")
        if not tag:
            continue
        weight = min(0.99, max(0.9, float(label.get("confidence") or 0.0)))
        for seq in label.get("segments") or []:
            key = (int(seq), tag)
            keys.add(key)
            bases = by_key.get(key)
            if bases:
                out += [replace(base, weight=weight) for base in bases]
            else:
                ground = str(label.get("ground") or ground_of_tag(tag))
                out.append(Hit(seq=int(seq), tag=tag, ground=ground, weight=weight, mode="utterance", start=0, end=0,
                               rule=LAWYER))
    return out, frozenset(keys)


def _engine_hits(doc: Mapping[str, Any]) -> list[Hit]:
    """The stored engine hits, narrowed to the (segment, tag) pairs still among the labels."""
    stored = doc.get("hits")
    if stored is None:  # analysed before hits were stored: label the stored segments again (no parsing)
        hits = find_hits(doc.get("segments") or [])
    else:
        hits = [hit_of(x) for x in stored if x.get("rule") != LAWYER]
    allowed = {(int(seq), str(lb.get("tag"))) for lb in doc.get("labels") or [] if lb.get("source") != LAWYER
               for seq in lb.get("segments") or []}
    return [h for h in hits if (h.seq, h.tag) in allowed]


def derive(doc: Mapping[str, Any], parties: Parties, *, engine_hits: list[Hit] | None = None,
           speakers_map: Mapping[str, str] | None = None, descriptions: Mapping[int, str] | None = None) -> DerivedDoc:
    """The re-derived fields of `doc` (labels, summary, insights, timeline, speakers_map, hits)."""
    segments = list(doc.get("segments") or [])
    hits = _engine_hits(doc) if engine_hits is None else engine_hits
    if descriptions is None:
        descriptions = {int(x["seq"]): str(x["description"]) for x in doc.get("hits") or [] if x.get("description")}
    lawyer_hits, lawyer_keys = _lawyer_hits(doc, hits)
    if speakers_map is None:
        speakers_map = merged_map(suggested_map(segments, parties, doc.get("speakers_ai")), doc.get("speakers_map"),
                                  confirmed=bool(doc.get("speakers_confirmed")))
    speakers = doc.get("speakers") or speakers_of(segments)
    return attribute(segments, [*hits, *lawyer_hits], parties=parties, speakers_map=speakers_map,
                     event_time=doc.get("event_time"), speakers=speakers, descriptions=descriptions, lawyer=lawyer_keys)


def attribute_analysis(segments: list[SegmentDoc], derived: DerivedDoc, parties: Parties, *,
                       current_map: Mapping[str, str] | None = None, confirmed: bool = False) -> DerivedDoc:
    """The worker's step after analysis: the engine's hits attributed to the parties (the lawyer's map kept).

    An AI engine's speaker roles (`analysis.speaker_roles`) become its checked suggestion (`speakers_ai`, kept on the
    evidence for later re-derivation) over the offline one; a map the lawyer confirmed always wins. An engine that
    returns no hits keeps its own labels (only the speaker map is added)."""
    ai = ai_speakers((derived.get("analysis") or {}).get("speaker_roles"), segments, parties)
    smap = merged_map(suggested_map(segments, parties, ai), current_map, confirmed=confirmed)
    if "hits" not in derived:
        return {**derived, "speakers_map": smap, "speakers_ai": ai}
    stored = derived.get("hits") or []
    hits = [hit_of(x) for x in stored]
    descriptions = {int(x["seq"]): str(x["description"]) for x in stored if x.get("description")}
    doc = {"segments": segments, "labels": [], "event_time": derived.get("event_time"),
           "speakers": derived.get("speakers")}
    return {**derived, **derive(doc, parties, engine_hits=hits, speakers_map=smap, descriptions=descriptions),
            "speakers_ai": ai}


def check_speakers_map(doc: Mapping[str, Any], raw: Any) -> dict[str, str]:
    """A lawyer's map, checked: known speakers only, known parties only (400 with a Korean message otherwise)."""
    if not isinstance(raw, dict) or not raw:
        raise ValidationFailed("INVALID_SPEAKERS_MAP",
                               ERROR_MESSAGES_KO["INVALID_SPEAKERS_MAP"])
    known = set(doc.get("speakers") or []) | set(doc.get("speakers_map") or {}) | {AUTHOR_KEY}
    out: dict[str, str] = {}
    for speaker, party in raw.items():
        if speaker not in known:
            raise ValidationFailed("UNKNOWN_SPEAKER", "이 증거에 없는 화자입니다. 증거의 화자 목록에서 선택해주세요.")
        if party not in SPEAKER_ROLES:
            raise ValidationFailed("INVALID_PARTY_ROLE", ERROR_MESSAGES_KO["INVALID_PARTY_ROLE"])
        out[str(speaker)] = str(party)
    return out


def rederive_evidence(evidence: EvidenceStore, index: SearchIndex, parties: Parties, evidence_id: str, *,
                      speakers_map: Mapping[str, str] | None = None) -> EvidenceDoc:
    """Re-derive one processed evidence from its stored segments and hits, store it and re-index it.

    `speakers_map` (the lawyer's, checked) is merged over the current map and marks it confirmed; without it the
    current map is kept where the lawyer confirmed it and suggested again elsewhere. Evidence that is not
    processed yet only records the lawyer's map (the worker uses it when it gets there).
    """
    def apply(d: EvidenceDoc) -> EvidenceDoc:
        if d["status"] == EvidenceStatus.DELETED:
            raise NotFound("EVIDENCE_NOT_FOUND")
        if speakers_map is not None:
            d["speakers_map"] = {**(d.get("speakers_map") or {}), **speakers_map}
            d["speakers_confirmed"] = True
        if d["status"] != EvidenceStatus.DONE:
            return d
        current = d.get("speakers_map") if speakers_map is not None else None
        d.update(cast(EvidenceDoc, derive(d, parties, speakers_map=current)))  # cast: a DerivedDoc is part of an EvidenceDoc, but TypedDict.update takes only the same TypedDict's parts
        d["derived_at"] = now_iso()
        return d

    doc = evidence.mutate(evidence_id, apply)
    if doc["status"] == EvidenceStatus.DONE:
        index.index_evidence(doc)
        log.info("evidence re-derived", extra={"evidence_id": evidence_id, "case_id": doc["case_id"],
                                               "labels": len(doc.get("labels") or [])})
    return doc


def rederive_case(evidence: EvidenceStore, index: SearchIndex, parties: Parties, case_id: str) -> int:
    """After the parties changed: every processed evidence of the case re-derived; returns how many."""
    n = 0
    for doc in evidence.list_case(case_id):
        if doc["status"] == EvidenceStatus.DONE:
            rederive_evidence(evidence, index, parties, doc["evidence_id"])
            n += 1
    return n



def with_attribution(doc: EvidenceDoc, parties: Parties) -> EvidenceDoc:
    """`doc` with every label attributed: a processed evidence whose labels were changed without re-derivation
    (a label without `favours`, e.g. a lawyer's correction) is re-derived in memory (nothing is stored).
    Evidence analysed before attribution existed (no `hits`, no `speakers_map`) is returned as it is."""
    labels = doc.get("labels") or []
    if doc.get("status") != EvidenceStatus.DONE or "hits" not in doc or all("favours" in lb for lb in labels):
        return doc
    return {**doc, **derive(doc, parties)}
