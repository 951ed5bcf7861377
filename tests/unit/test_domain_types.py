"""The domain types are the shapes the code really writes, and the enums name the values the code accepts."""

from __future__ import annotations

import io
import json

from pydantic import TypeAdapter

from leh.container import Container
from leh.domain.accounts import UserRole
from leh.domain.cases import MemberRole
from leh.domain.documents import EvidenceDoc
from leh.domain.events import parse_events
from leh.domain.evidence import EvidenceStatus, new_evidence_doc, reset_derived, transition
from leh.pipeline.processor import EvidenceProcessor
from leh.services import accounts, cases, corrections
from leh.services import evidence as evidence_svc
from leh.services import parties as parties_svc

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


KAKAO = """김준호 님과 카카오톡 대화
저장한 날짜 : 2024-03-05 09:12:44

--------------- 2024년 3월 2일 토요일 ---------------
[김준호] [오후 10:18] 한 번만 더 그 얘기 하면 죽여버린다
[이지은] [오후 10:19] 어제 밤에 당신이 한 말도 다 캡처해 뒀어
[김준호] [오후 10:45] 오늘은 일찍 자
"""


def test_a_processed_corrected_and_rederived_document_is_fully_described_by_evidence_doc(container: Container) -> None:
    """Every field the pipeline, the corrections and re-derivation store is declared, with its type: validating the
    stored document drops undeclared keys at every level (segments, labels, timeline, hits), so it must come back
    unchanged."""
    with container.sessions() as db:
        user = accounts.create_user(db, email="lawyer@test.local", password="password-123", role="lawyer")
        case = cases.create_case(db, user, title="이혼 사건")
        parties_svc.put_parties(db, user, case.id, {"client": {"name": "이지은", "aliases": []},
                                                   "opponent": {"name": "김준호", "aliases": []}})
        up = evidence_svc.upload_direct(db, container.settings, container.objects, container.evidence, container.queue,
                                        user, case_id=case.id, filename="kakao.txt", stream=io.BytesIO(KAKAO.encode()))
        db.commit()
        for message in container.queue.receive(max_messages=10):
            for event in parse_events(message.body):
                assert EvidenceProcessor(container).process(event) == "done"
            container.queue.delete(message.receipt)
        eid = up["evidence_id"]
        corrections.correct_labels(db, container.evidence, container.index, user, eid,
                                   add=[{"ground": "840-6", "segments": [2]}], remove=[])
        parties_svc.set_speakers(db, container.evidence, container.index, user, eid, {"김준호": "opponent"})
        db.commit()
    doc = container.evidence.get(eid)
    assert doc is not None and doc["status"] == "done"
    stored = json.loads(json.dumps(doc, ensure_ascii=False))
    for key in ("hits", "speakers_map", "speakers_confirmed", "label_corrections", "derived_at", "parse_meta", "analysis"):
        assert key in stored, key  # the optional fields this test means to cover are really there
    assert any("refers_to" in s for s in stored["segments"]) and stored["timeline"] and stored["labels"]
    assert TypeAdapter(EvidenceDoc).validate_python(stored) == stored
