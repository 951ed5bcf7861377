"""The draft service on a real container (SQLite, evidence store): the empty-case guard, stored versions,
grounding of every sentence in its cited segments, and who may do what."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leh.analysis.draft_writer import Claims
from leh.container import Container
from leh.domain import drafting as d
from leh.domain.errors import ERROR_MESSAGES_KO, Conflict, Forbidden, NotFound, ValidationFailed
from leh.models import AiUsage, Case, Draft, User
from leh.services import accounts, cases
from leh.services import drafts as svc
from tests.unit.test_drafting import case_docs, doc, label, seg


@pytest.fixture
def db(container: Container) -> Iterator[Session]:
    with container.sessions() as session:
        yield session


def _user(db: Session, email: str) -> User:
    user = accounts.create_user(db, email=email, password="password-123", role="lawyer")
    db.commit()
    return user


@pytest.fixture
def lawyer(db: Session) -> User:
    return _user(db, "lawyer@test.local")


@pytest.fixture
def case(db: Session, lawyer: User) -> Case:
    case = cases.create_case(db, lawyer, title="김영희 이혼 사건")
    db.commit()
    return case


def put_docs(c: Container, case_id: str, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for x in docs:
        x["case_id"] = case_id
        c.evidence.put(x)
    return docs


def _not_done(case_id: str) -> list[dict[str, Any]]:
    labelled = [seg(0, "죽여버린다", speaker="홍길동")]
    return [doc(f"ev-{status}{i}", "kakaotalk", f"{status}.txt", labelled, [label("840-3", "협박", [0])],
                status=status, case_id=case_id) for i, status in enumerate(("queued", "failed", "deleted", "processing"))]


def test_a_case_without_processed_evidence_is_refused(container: Container, db: Session, lawyer: User,
                                                      case: Case) -> None:
    for attempt in range(2):  # first empty, then with evidence that never finished processing
        with pytest.raises(ValidationFailed) as exc:
            svc.generate(db, container.evidence, container.usage, container.draft_writer, lawyer, case.id, Claims())
        assert exc.value.code == "NO_PROCESSED_EVIDENCE" and exc.value.http_status == 400
        assert exc.value.message_ko == "분석할 증거가 없습니다. 증거를 먼저 업로드해주세요." == ERROR_MESSAGES_KO[exc.value.code]
        with pytest.raises(ValidationFailed):
            svc.get(db, container.evidence, lawyer, case.id)
        if attempt == 0:
            put_docs(container, case.id, _not_done(case.id))
    assert db.scalar(select(func.count()).select_from(Draft)) == 0


def test_generated_draft_is_consistent_grounded_and_stored(container: Container, db: Session, lawyer: User,
                                                         case: Case) -> None:
    done = put_docs(container, case.id, case_docs())
    put_docs(container, case.id, _not_done(case.id))
    draft = svc.generate(db, container.evidence, container.usage, container.draft_writer, lawyer, case.id, Claims(alimony=True))
    db.commit()
    by_id = {x["evidence_id"]: x for x in done}
    assert d.check_consistency(draft, by_id) == []
    assert draft["evidence_ids"] == [x["evidence_id"] for x in sorted(done, key=lambda x: x["uploaded_at"])]
    assert {e["evidence_id"] for e in draft["exhibits"]} <= set(by_id)
    for ex in draft["exhibits"]:
        source = by_id[ex["evidence_id"]]
        assert (ex["filename"], ex["type"]) == (source["filename"], source["type"])
        assert ex["date"] == d.evidence_dates(source)[0]

    # Grounding, checked independently of the writer: every quote in a sentence is words of the segments its
    # citations point to.
    cited = {c["label"]: c for c in draft["citations"]}
    sentences = [s for sec in draft["sections"] if sec["kind"] == "ground" for p in sec["paragraphs"]
                 for s in d.split_sentences(p)]
    assert sentences
    for sentence in sentences:
        labels = d.cited_labels(sentence)
        assert labels, sentence
        words = " ".join(seg_["text"] for lbl in labels for seg_ in by_id[cited[lbl]["evidence_id"]]["segments"]
                         if seg_["seq"] in cited[lbl]["segments"])
        for quote in d.quotes_in(sentence):
            assert quote in words

    row = db.get(Draft, draft["draft_id"])
    assert row is not None and row.created_by == lawyer.id and row.case_id == case.id
    assert json.loads(row.options) == {"claims": Claims(alimony=True).to_dict(), "kind": "complaint"}
    assert draft["engine"] == {"name": "offline"}
    assert db.scalar(select(func.count()).select_from(AiUsage)) == 0  # the offline path spends no tokens


def test_history_keeps_every_version_and_notices_new_evidence(container: Container, db: Session, lawyer: User,
                                                             case: Case) -> None:
    put_docs(container, case.id, case_docs()[:2])
    with pytest.raises(NotFound) as exc:
        svc.get(db, container.evidence, lawyer, case.id)  # processed evidence, but nothing generated yet
    assert exc.value.code == "DRAFT_NOT_FOUND" and exc.value.message_ko.endswith("눌러주세요.")
    first = svc.generate(db, container.evidence, container.usage, container.draft_writer, lawyer, case.id, Claims())
    db.commit()
    second = svc.generate(db, container.evidence, container.usage, container.draft_writer, lawyer, case.id, Claims(custody=True, child_support=True))
    db.commit()
    listed = svc.history(db, lawyer, case.id)
    assert [h["draft_id"] for h in listed] == [second["draft_id"], first["draft_id"]]
    assert all(h["created_by"] == lawyer.id and h["created_by_email"] == lawyer.email for h in listed)
    assert listed[0]["options"]["claims"]["custody"] and not listed[1]["options"]["claims"]["custody"]
    assert listed[0]["generated_at"] >= listed[1]["generated_at"]

    latest = svc.get(db, container.evidence, lawyer, case.id)
    assert latest["draft_id"] == second["draft_id"] and latest["stale"] is False
    older = svc.get(db, container.evidence, lawyer, case.id, first["draft_id"])
    assert older["draft_text"] == first["draft_text"] and "양육자" not in older["draft_text"]

    put_docs(container, case.id, [case_docs()[2]])
    assert svc.get(db, container.evidence, lawyer, case.id)["stale"] is True
    third = svc.generate(db, container.evidence, container.usage, container.draft_writer, lawyer, case.id, Claims())
    assert len(third["evidence_ids"]) == 3 and len(third["exhibits"]) > len(first["exhibits"])
    with pytest.raises(NotFound) as exc:
        svc.get(db, container.evidence, lawyer, case.id, "no-such-draft")
    assert exc.value.code == "DRAFT_NOT_FOUND"


def test_members_only_viewers_read_and_closed_cases_do_not_generate(container: Container, db: Session, lawyer: User,
                                                                   case: Case) -> None:
    put_docs(container, case.id, case_docs())
    made = svc.generate(db, container.evidence, container.usage, container.draft_writer, lawyer, case.id, Claims())
    db.commit()
    stranger, viewer = _user(db, "other@test.local"), _user(db, "viewer@test.local")
    cases.add_member(db, lawyer, case.id, email=viewer.email, role="viewer")
    db.commit()
    for call in (lambda: svc.generate(db, container.evidence, container.usage, container.draft_writer, stranger, case.id, Claims()),
                 lambda: svc.get(db, container.evidence, stranger, case.id), lambda: svc.history(db, stranger, case.id),
                 lambda: svc.export_docx(db, container.evidence, container.docx_renderer, stranger, case.id)):
        with pytest.raises(NotFound) as exc:
            call()
        assert exc.value.code == "CASE_NOT_FOUND"  # no hint that the case or its drafts exist
    with pytest.raises(Forbidden):
        svc.generate(db, container.evidence, container.usage, container.draft_writer, viewer, case.id, Claims())
    assert svc.get(db, container.evidence, viewer, case.id)["draft_id"] == made["draft_id"]

    cases.close_case(db, container.index, lawyer, case.id)
    db.commit()
    with pytest.raises(Conflict):
        svc.generate(db, container.evidence, container.usage, container.draft_writer, lawyer, case.id, Claims())
    assert svc.history(db, lawyer, case.id)[0]["draft_id"] == made["draft_id"]
