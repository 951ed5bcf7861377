"""Relational tables (DESIGN.md section 4): users, cases, members, audit log, AI usage, breakers, heartbeats.

The schema is owned by Alembic migrations in `leh/migrations/`; these classes describe it for the ORM.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import BigInteger, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # admin | lawyer | staff
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | blocked
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Bumped on block and password reset: every token issued before carries an older value and is refused.
    token_version: Mapped[int] = mapped_column(Integer, default=0)


class RevokedToken(Base):
    """Logged-out tokens (by jti) until they would have expired anyway."""

    __tablename__ = "revoked_tokens"
    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginFailure(Base):
    """One failed login: keyed hashes of the identifier typed and of the address, never the identifier itself."""

    __tablename__ = "login_failures"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    account_key: Mapped[str] = mapped_column(String(64), index=True)
    ip_hash: Mapped[str] = mapped_column(String(64), index=True)


class LoginLock(Base):
    """A locked account (`acct:<hash>`) or address (`ip:<hash>`): until when, and how many locks so far."""

    __tablename__ = "login_locks"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    locked_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    strikes: Mapped[int] = mapped_column(Integer, default=0)
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)  # active | closed
    created_by: Mapped[str] = mapped_column(String(36), ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CaseMember(Base):
    __tablename__ = "case_members"
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(36), ForeignKey("users.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(16), default="member")  # owner | member | viewer


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)  # chain order
    at: Mapped[str] = mapped_column(String(40))  # ISO 8601, hashed as written
    actor_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    object_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    ip_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    detail_masked: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AiUsage(Base):
    __tablename__ = "ai_usage"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    case_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    user_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    evidence_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    provider: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(100))
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)


class CaseBreaker(Base):
    __tablename__ = "case_breakers"
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default="closed")  # closed | open
    reason: Mapped[str] = mapped_column(Text, default="")
    opened_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class WorkerHeartbeat(Base):
    __tablename__ = "worker_heartbeats"
    worker_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    current_evidence_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    # The queue receipt of the message in hand: the watchdog uses it to make a dead worker's message visible
    # again at once instead of waiting out its visibility timeout.
    current_receipt: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    processed: Mapped[int] = mapped_column(Integer, default=0)


class UploadLog(Base):
    """One row per accepted upload: the raw material of the upload-log analysis (runbook scenario C)."""

    __tablename__ = "upload_log"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[str] = mapped_column(String(36), index=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    evidence_id: Mapped[str] = mapped_column(String(36))
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)


Index("ix_upload_log_user_at", UploadLog.user_id, UploadLog.at)


class Draft(Base):
    """One generated complaint draft (소장 초안), kept so the lawyer can compare versions.

    `options`, `evidence_ids` and `draft` are JSON text: the request, the processed evidence it was built from,
    and the draft as the API returned it.
    """

    __tablename__ = "drafts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(36), ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    options: Mapped[str] = mapped_column(Text, default="{}")
    evidence_ids: Mapped[str] = mapped_column(Text, default="[]")
    draft: Mapped[str] = mapped_column(Text, default="{}")


Index("ix_drafts_case_created", Draft.case_id, Draft.created_at)


class CaseParties(Base):
    """Which side of the complaint the client is on; one row per case whose parties were given."""

    __tablename__ = "case_parties"
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"), primary_key=True)
    client_side: Mapped[str] = mapped_column(String(16), default="plaintiff")  # plaintiff | defendant
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CasePerson(Base):
    """A person of a case: the client, the opponent (names and aliases) or a child (사건본인, with a birth year).

    `aliases` is JSON text (a list of strings). Names are personal data: never logged, never audited.
    """

    __tablename__ = "case_persons"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # client | opponent | child
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[str] = mapped_column(Text, default="[]")
    birth_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
