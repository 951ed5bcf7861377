"""Cases: their status, their members' roles and the per-case AI breaker (DESIGN.md section 4)."""

from __future__ import annotations

from enum import StrEnum


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
