"""Response shapes that only the API has (login, uploads, health, operator answers), for `response_model`.

The evidence document and the answers built from it live in `leh.domain.documents`; users and cases in
`leh.domain.accounts` and `leh.domain.cases`. Operator reports carry more fields than listed here.
"""

# No `from __future__ import annotations` here: TypedDict must see NotRequired when the class is made, or
# `__required_keys__` would list every field.
from typing import Any, NotRequired

# pydantic reads TypedDicts from typing_extensions only on Python < 3.12.
from typing_extensions import TypedDict

from leh.domain.accounts import UserPublic
from leh.domain.cases import BreakerDoc
from leh.domain.documents import ErrorInfo


class LoginResult(TypedDict):
    access_token: str
    token_type: str  # "bearer"
    expires_in: int  # seconds
    user: UserPublic


class LoggedOut(TypedDict):
    logged_out: bool


class BlockedUser(UserPublic):
    paused_evidence: int  # evidence the user uploaded that is now paused


class UnblockedUser(UserPublic):
    resumed_evidence: int


class UnlockedUser(UserPublic):
    was_locked: bool  # whether a login lock was lifted


class Health(TypedDict):
    status: str  # "ok"


class Readiness(TypedDict):
    status: str  # "ready" | "degraded" (503)
    checks: dict[str, str]  # port -> "ok" | "error: <type>"


class PresignedUploadOut(TypedDict):
    """Where to PUT (or POST) the file, valid for at most 5 minutes; then confirm with upload-complete."""

    evidence_id: str
    upload_url: str
    method: str
    headers: dict[str, str]
    fields: dict[str, str]
    expires_in: int
    object_key: str


class DraftVersion(TypedDict):
    """One entry of a case's draft history, newest first."""

    draft_id: str
    generated_at: str | None
    created_by: str | None
    created_by_email: str | None
    evidence_ids: list[str]
    options: dict[str, Any]
    exhibit_count: int
    engine: str | None
    kind: str  # complaint (소장), counterclaim (반소장) or answer (답변서)


class ProgressItem(TypedDict):
    """One in-flight or failed item; `filename` and `case_title` are null (and `member` false) on an admin's view of
    a case they are not a member of."""

    evidence_id: str
    case_id: str
    member: bool
    case_title: str | None
    filename: str | None
    type: str | None
    status: str
    stage: str | None
    progress: float
    age_seconds: float
    error: ErrorInfo | None
    worker_id: str | None


class OpenBreaker(TypedDict):
    case_id: str
    reason: str


class Progress(TypedDict):
    """The live processing state of the user's cases (admins also see the DLQ depth and open breakers)."""

    items: list[ProgressItem]  # one page (`offset`, `limit`), oldest first
    items_total: NotRequired[int]  # in-flight items in all
    recent_failures: list[ProgressItem]
    counts: dict[str, int]
    generated_at: str
    dlq_depth: NotRequired[int]
    open_breakers: NotRequired[list[OpenBreaker]]


class DeadLetter(TypedDict):
    message_id: str
    reason: str
    receive_count: int
    dead_at: str | float | None
    evidence_id: str | None
    case_id: str | None
    evidence_status: str | None
    error: ErrorInfo | None


class DeadLetters(TypedDict):
    depth: dict[str, int]  # visible, in_flight, delayed, dlq
    messages: list[DeadLetter]


class Redriven(TypedDict):
    redriven: int


class Reprocessed(TypedDict):
    evidence_id: str
    status: str


class AuditRow(TypedDict):
    id: str
    at: str
    actor_id: str | None
    action: str
    object_type: str | None
    object_id: str | None
    ip_hash: str | None
    detail_masked: str
    prev_hash: str
    hash: str
    seq: int
    detail: dict[str, Any]


class CaseBudget(TypedDict):
    case_id: str
    used: int
    budget: int
    window: str
    since: str
    over: bool
    percent: float


class BreakerStatus(BreakerDoc):
    budget: CaseBudget


class BreakerChange(BreakerDoc):
    resumed: int  # paused items queued again when the breaker closed


class CaseRecovery(TypedDict):
    """After a reindex or restore: what was indexed and whether the index now matches the evidence store."""

    case_id: str
    case_status: str
    indexed_evidence: int
    indexed_segments: int
    consistent: bool
    reindex: dict[str, Any]
    status: NotRequired[str]


class Finding(TypedDict):
    check: str
    title: str
    status: str  # ok | warn | fail
    mark: str
    level: str
    escalation: str
    summary: str
    action: str | None
    detail: dict[str, Any]


class Report(TypedDict):
    """What every ops check answers: ok, the worst level and whom to escalate to, next steps, findings."""

    kind: str
    ok: bool
    level: str | None
    escalation: str | None
    steps: list[str]
    at: str
    findings: list[Finding]


class Usage(TypedDict):
    window_seconds: int
    since: str
    budget: int
    budget_window: str
    total_tokens: int
    total_cost_usd: float
    by_case: list[dict[str, Any]]
    by_user: list[dict[str, Any]]


class UploadAnomalies(TypedDict):
    window_seconds: int
    since: str
    history_days: int
    thresholds: dict[str, Any]
    stats: list[dict[str, Any]]
    suspicious: list[dict[str, Any]]
    report: Report
