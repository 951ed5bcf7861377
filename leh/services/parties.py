"""A case's parties (client, opponent, children, the client's side): read, replace, and what a change re-derives.

Stored relationally (`case_parties`, `case_persons`). Members read them; owners and members write them; viewers
get 403 and non-members 404 (via `require_case`). Names are never logged.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from leh.domain.documents import EvidenceDoc, RiskDoc
from leh.domain.parties import Child, ClientSide, Parties, Person, changed_fields, parse_parties
from leh.models import CaseParties, CasePerson, User
from leh.ports import EvidenceStore, SearchIndex
from leh.services.cases import require_case
from leh.services.evidence import get_evidence_for
from leh.services.rederive import check_speakers_map, rederive_case, rederive_evidence
from leh.services.risks import case_risks


def load(db: Session, case_id: str) -> Parties:
    """The case's parties as stored (no membership check: callers have done it, or are the worker)."""
    row = db.get(CaseParties, case_id)
    people = list(db.scalars(select(CasePerson).where(CasePerson.case_id == case_id)
                             .order_by(CasePerson.role, CasePerson.position)))
    by_role: dict[str, list[CasePerson]] = {}
    for p in people:
        by_role.setdefault(p.role, []).append(p)

    def person(role: str) -> Person | None:
        rows = by_role.get(role)
        if not rows:
            return None
        return Person(rows[0].name, tuple(json.loads(rows[0].aliases or "[]")))

    return Parties(client=person("client"), opponent=person("opponent"),
                   children=tuple(Child(c.name, c.birth_year) for c in by_role.get("child", [])),
                   client_side=ClientSide(row.client_side) if row else ClientSide.PLAINTIFF)


def store(db: Session, case_id: str, parties: Parties) -> None:
    """Replace the case's parties with `parties`."""
    db.execute(delete(CasePerson).where(CasePerson.case_id == case_id))
    row = db.get(CaseParties, case_id) or CaseParties(case_id=case_id)
    row.client_side = str(parties.client_side)
    row.updated_at = datetime.now(UTC)
    db.add(row)
    for role, person in (("client", parties.client), ("opponent", parties.opponent)):
        if person is not None:
            db.add(CasePerson(case_id=case_id, role=role, position=0, name=person.name,
                              aliases=json.dumps(list(person.aliases), ensure_ascii=False)))
    for n, child in enumerate(parties.children):
        db.add(CasePerson(case_id=case_id, role="child", position=n, name=child.name, birth_year=child.birth_year))
    db.flush()


def get_parties(db: Session, user: User, case_id: str) -> Parties:
    require_case(db, user, case_id)
    return load(db, case_id)


def put_parties(db: Session, user: User, case_id: str, raw: Any) -> tuple[Parties, list[str]]:
    """Validate and store the parties; returns them and the fields that changed (for the audit, never names)."""
    require_case(db, user, case_id, write=True, allow_closed=False)
    parties = parse_parties(raw)
    before = load(db, case_id)
    store(db, case_id, parties)
    return parties, changed_fields(before, parties)


def set_speakers(db: Session, evidence: EvidenceStore, index: SearchIndex, user: User, evidence_id: str,
                 raw: Any) -> tuple[EvidenceDoc, dict[str, int]]:
    """The lawyer's speaker → party map for one evidence; labels, timeline and index re-derived from stored data.

    Returns the evidence and, for the audit, how many speakers were set per party (never their names).
    """
    doc = get_evidence_for(db, evidence, user, evidence_id, write=True)
    speakers_map = check_speakers_map(doc, raw)
    parties = load(db, doc["case_id"])
    doc = rederive_evidence(evidence, index, parties, evidence_id, speakers_map=speakers_map)
    counts: dict[str, int] = {}
    for party in speakers_map.values():
        counts[party] = counts.get(party, 0) + 1
    return doc, counts


def rederive_after_parties(evidence: EvidenceStore, index: SearchIndex, parties: Parties, case_id: str) -> int:
    """New parties: every processed evidence re-derived (maps the lawyer confirmed are kept)."""
    return rederive_case(evidence, index, parties, case_id)


def get_risks(db: Session, evidence: EvidenceStore, user: User, case_id: str) -> list[RiskDoc]:
    require_case(db, user, case_id)
    return case_risks(evidence, case_id, load(db, case_id))


def alias_map(parties: Parties) -> dict[str, list[str]]:
    """{name: aliases} of the client and the opponent, for search: any of a person's names finds the others."""
    return {p.name: list(p.aliases) for p in (parties.client, parties.opponent) if p is not None}
