"""Who may use LEH: account roles and statuses (DESIGN.md section 4, `users`)."""

from __future__ import annotations

from enum import StrEnum

# pydantic reads TypedDicts from typing_extensions only on Python < 3.12.
from typing_extensions import TypedDict


class UserRole(StrEnum):
    ADMIN = "admin"
    LAWYER = "lawyer"
    STAFF = "staff"


class UserStatus(StrEnum):
    ACTIVE = "active"
    BLOCKED = "blocked"  # cannot log in; their queued evidence is paused (runbook C)
    INVITED = "invited"  # added to a case by e-mail before the account existed; cannot log in until an admin creates it


class UserPublic(TypedDict):
    """A user as the API shows it (never the password hash or token version)."""

    id: str
    email: str
    name: str
    role: UserRole
    status: UserStatus
    created_at: str | None
