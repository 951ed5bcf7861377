"""Cases: their status, their members' roles and the per-case AI breaker (DESIGN.md section 4)."""

from __future__ import annotations

from enum import StrEnum

# pydantic reads TypedDicts from typing_extensions only on Python < 3.12.
from typing_extensions import TypedDict


class CaseStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"  # soft-closed: hidden from lists, out of the search index until restored


class MemberRole(StrEnum):
    OWNER = "owner"
    MEMBER = "member"
    VIEWER = "viewer"  # reads, never writes


class BreakerState(StrEnum):
    CLOSED = "closed"  # AI processing runs
    OPEN = "open"  # AI processing paused for the case (runbook C)


class CaseDoc(TypedDict):
    """A case as the API shows it."""

    id: str
    title: str
    description: str
    status: CaseStatus
    created_by: str | None
    created_at: str | None
    updated_at: str | None
    closed_at: str | None


class CaseSummary(CaseDoc):
    """A case in lists and after a change: with its evidence count and counts per status (deleted left out)."""

    evidence_count: int
    status_counts: dict[str, int]


class CaseMemberDoc(TypedDict):
    user_id: str
    email: str
    name: str
    role: MemberRole


class CaseDetail(CaseSummary):
    members: list[CaseMemberDoc]


class BreakerDoc(TypedDict):
    """A case's AI breaker with the number of evidence items it holds paused."""

    case_id: str
    title: str | None
    state: BreakerState
    reason: str
    opened_by: str | None
    opened_at: str | None
    paused: int
