"""The `PseudonymSource` of a case: its parties and the names its evidence holds, in a stable order.

Every processed evidence keeps the names it holds (`person_names`, found by the worker with
`leh.analysis.pseudonyms.person_names`) and when they were found (`person_names_at`). A case's other people
are numbered in that order (인물1 is the first name the case ever saw), so an evidence added later never
renumbers the people before it, and the question "영희가 때렸어?" reaches the embedding provider as
"인물1이 때렸어?" just as 영희's messages did. Names a request holds that the case has not stored yet are
numbered after them. Nothing here is logged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from leh.analysis.pseudonyms import Pseudonymizer, person_names
from leh.domain.parties import Parties
from leh.ports import EvidenceStore
from leh.services import parties as case_parties


def case_names(evidence: EvidenceStore, case_id: str) -> tuple[list[str], set[str]]:
    """The names the case's evidence holds, in the order the case saw them (deleted evidence too: numbers stay),
    and the evidence whose names are stored."""
    docs = evidence.list_summaries(case_ids=[case_id], exclude_deleted=False,
                                   fields=["evidence_id", "person_names", "person_names_at"])
    docs = [d for d in docs if d.get("person_names_at")]
    docs.sort(key=lambda d: (str(d.get("person_names_at") or ""), str(d["evidence_id"])))
    return [str(n) for d in docs for n in d.get("person_names") or []], {str(d["evidence_id"]) for d in docs}


class CasePseudonyms:
    """Built by the container and given to every OpenAI adapter."""

    def __init__(self, sessions: sessionmaker[Session], evidence: EvidenceStore):
        self.sessions, self.evidence = sessions, evidence

    def for_case(self, case_id: str | None, *, texts: Sequence[str] = (), speakers: Iterable[str | None] = (),
                 evidence_id: str | None = None) -> Pseudonymizer:
        parties, known, stored = Parties(), list[str](), set[str]()
        if case_id:
            with self.sessions() as db:
                parties = case_parties.load(db, case_id)
            known, stored = case_names(self.evidence, case_id)
        # An evidence's own texts were read for names when it was processed (Kiwi: ~2 ms a message); others are read now.
        unread = () if evidence_id is not None and evidence_id in stored else texts
        return Pseudonymizer.build(parties, [*known, *person_names(unread, speakers)])


def names_fields(segments: Sequence[Mapping[str, Any]], now: str) -> dict[str, Any]:
    """What the worker stores on an evidence: the names its segments hold and when they were found."""
    texts = [str(s.get("text") or "") for s in segments if s.get("kind") != "system"]
    return {"person_names": person_names(texts, [s.get("speaker") for s in segments]), "person_names_at": now}
