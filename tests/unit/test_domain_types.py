"""The domain types are the shapes the code really writes, and the enums name the values the code accepts."""

from __future__ import annotations

import json

from pydantic import TypeAdapter

from leh.domain.accounts import UserRole
from leh.domain.cases import MemberRole
from leh.domain.documents import EvidenceDoc
from leh.domain.evidence import EvidenceStatus, new_evidence_doc, reset_derived, transition
from leh.services import accounts, cases

CASE, EVIDENCE = "0" * 8 + "-0000-0000-0000-" + "0" * 12, "1" * 8 + "-1111-1111-1111-" + "1" * 12


def test_a_new_document_has_the_typed_shape_and_survives_json() -> None:
    doc = new_evidence_doc(case_id=CASE, evidence_id=EVIDENCE, filename="카톡.txt", size=3, uploaded_by="u1")
    keys = set(doc)
    assert EvidenceDoc.__required_keys__ <= keys <= EvidenceDoc.__required_keys__ | EvidenceDoc.__optional_keys__
    stored = json.loads(json.dumps(doc, ensure_ascii=False))  # what the evidence store gives back
    assert TypeAdapter(EvidenceDoc).validate_python(stored) == stored


def test_transition_and_reset_keep_a_typed_document_typed() -> None:
    doc = TypeAdapter(EvidenceDoc).validate_python(
        new_evidence_doc(case_id=CASE, evidence_id=EVIDENCE, filename="a.txt", size=1, uploaded_by="u1"))
    queued: EvidenceDoc = transition(doc, EvidenceStatus.QUEUED, at="2024-01-01T00:00:00+00:00")
    queued["labels"] = [{"ground": "840-3", "tag": "폭언", "confidence": 0.9, "segments": [0]}]
    cleared: EvidenceDoc = reset_derived(queued)
    assert cleared is doc and cleared["labels"] == [] and cleared["status"] == "queued"
    assert cleared["status_history"][-1] == {"status": "queued", "at": "2024-01-01T00:00:00+00:00"}


def test_role_enums_name_exactly_the_roles_the_services_accept() -> None:
    assert set(accounts.ROLES) == set(UserRole)
    assert set(cases.MEMBER_ROLES) == set(MemberRole)
