"""Who may use LEH: account roles and statuses (DESIGN.md section 4, `users`)."""

from __future__ import annotations

from enum import StrEnum


class UserRole(StrEnum):
    ADMIN = "admin"
    LAWYER = "lawyer"
    STAFF = "staff"


class UserStatus(StrEnum):
    ACTIVE = "active"
    BLOCKED = "blocked"  # cannot log in; their queued evidence is paused (runbook C)
