"""Evidence-only answers (DESIGN.md section 7): POST /api/cases/{id}/ask {question}."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from leh.api.deps import AnswererDep, AuditDep, CurrentUser, DbDep, EvidenceDep, IndexDep
from leh.api.responses import ERROR_RESPONSES, Envelope, ok
from leh.domain.audit_actions import AuditAction
from leh.domain.documents import AskAnswer
from leh.services import parties as case_parties
from leh.services.ask import MAX_QUESTION_CHARS, NO_ANSWER, ask, party_names
from leh.services.cases import require_case

router = APIRouter(tags=["ask"], responses=ERROR_RESPONSES)


class AskIn(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)


@router.post("/api/cases/{case_id}/ask", response_model=Envelope[AskAnswer])
def ask_case(case_id: str, body: AskIn, request: Request, evidence: EvidenceDep, index: IndexDep, answerer: AnswererDep,
             db: DbDep, user: CurrentUser, audit: AuditDep) -> JSONResponse:
    require_case(db, user, case_id)
    result = ask(evidence, index, answerer, case_id, body.question, user_id=user.id,
                 parties=party_names(case_parties.load(db, case_id)))
    # The question itself is not audited: it may name people and facts; what was answered is enough.
    audit(AuditAction.CASE_ASK, object_type="case", object_id=case_id,
          detail={"answered": result["answer"] != NO_ANSWER, "citations": len(result["citations"])})
    return ok(request, result)
