"""Cases and their members. Anything of a case is visible only to its members: others get 404, never 403."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from leh.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from leh.models import Case, CaseMember, User
from leh.ports import SearchIndex
from leh.services import accounts

MEMBER_ROLES = ("owner", "member", "viewer")


def _not_found() -> NotFound:
    return NotFound("CASE_NOT_FOUND")


def membership(db: Session, user: User, case_id: str) -> CaseMember | None:
    return db.get(CaseMember, (case_id, user.id))


def require_case(db: Session, user: User, case_id: str, *, write: bool = False, allow_closed: bool = True) -> Case:
    """The case if `user` is a member (404 otherwise); `write` refuses viewers, `allow_closed=False` closed cases."""
    case = db.get(Case, case_id)
    member = membership(db, user, case_id) if case else None
    if case is None or member is None:
        raise _not_found()
    if write and member.role == "viewer":
        raise Forbidden()
    if not allow_closed and case.status == "closed":
        raise Conflict("CASE_CLOSED")
    return case


def single_owner(db: Session, case_id: str) -> User:
    """The case's owner (`leh upload` without --email acts as them); 404 when the case has none."""
    owner = db.scalar(select(User).join(CaseMember, CaseMember.user_id == User.id)
                      .where(CaseMember.case_id == case_id, CaseMember.role == "owner"))
    if owner is None:
        raise _not_found()
    return owner


def member_case_ids(db: Session, user: User) -> list[str]:
    return list(db.scalars(select(CaseMember.case_id).where(CaseMember.user_id == user.id)))


def list_cases(db: Session, user: User, *, status: str | None = "active", q: str | None = None) -> list[Case]:
    query = select(Case).join(CaseMember, CaseMember.case_id == Case.id).where(CaseMember.user_id == user.id)
    if status and status != "all":
        query = query.where(Case.status == status)
    if q:
        like = f"%{q.strip()}%"
        query = query.where(or_(Case.title.ilike(like), Case.description.ilike(like)))
    return list(db.scalars(query.order_by(Case.updated_at.desc())))


def create_case(db: Session, user: User, *, title: str, description: str = "") -> Case:
    title = (title or "").strip()
    if not title or len(title) > 300:
        raise ValidationFailed("INVALID_TITLE", "사건명을 1~300자로 입력해주세요.")
    if user.role not in ("lawyer", "admin", "staff"):
        raise Forbidden()
    case = Case(title=title, description=description or "", created_by=user.id)
    db.add(case)
    db.flush()
    db.add(CaseMember(case_id=case.id, user_id=user.id, role="owner"))
    db.flush()
    return case


def update_case(db: Session, user: User, case_id: str, *, title: str | None = None, description: str | None = None) -> Case:
    case = require_case(db, user, case_id, write=True)
    if title is not None:
        if not title.strip() or len(title) > 300:
            raise ValidationFailed("INVALID_TITLE", "사건명을 1~300자로 입력해주세요.")
        case.title = title.strip()
    if description is not None:
        case.description = description
    case.updated_at = datetime.now(UTC)
    return case


def close_case(db: Session, index: SearchIndex, user: User, case_id: str) -> Case:
    """Owner only: closed → committed, then the case leaves the search index (restore-case rebuilds it)."""
    case = require_case(db, user, case_id, write=True)
    member = membership(db, user, case_id)
    if member is None or member.role != "owner":
        raise Forbidden("FORBIDDEN", "사건 담당자(owner)만 사건을 종료할 수 있습니다.")
    case.status = "closed"
    case.closed_at = case.updated_at = datetime.now(UTC)
    db.commit()
    index.drop_case(case_id)
    return case


def reopen_case(db: Session, case_id: str) -> Case:
    """Runbook scenario B, step 1: closed → active (an operator action, not a member action)."""
    case = db.get(Case, case_id)
    if case is None:
        raise _not_found()
    case.status = "active"
    case.closed_at = None
    case.updated_at = datetime.now(UTC)
    return case


def list_members(db: Session, user: User, case_id: str) -> list[dict[str, Any]]:
    require_case(db, user, case_id)
    rows = db.execute(
        select(CaseMember, User).join(User, User.id == CaseMember.user_id).where(CaseMember.case_id == case_id)
    ).all()
    return [{"user_id": u.id, "email": u.email, "name": u.name, "role": m.role} for m, u in rows]


def _require_manager(db: Session, user: User, case_id: str) -> Case:
    """Membership changes: the case's owner, or an admin who is a member (others: 403; non-members: 404)."""
    case = require_case(db, user, case_id, write=True)
    member = membership(db, user, case_id)
    if user.role != "admin" and (member is None or member.role != "owner"):
        raise Forbidden("OWNER_REQUIRED")
    return case


def _owner_count(db: Session, case_id: str) -> int:
    return int(db.scalar(select(func.count()).select_from(CaseMember).where(
        CaseMember.case_id == case_id, CaseMember.role == "owner")) or 0)


def add_member(db: Session, user: User, case_id: str, *, email: str, role: str = "member") -> CaseMember:
    """Add a member or change a member's role (owner or admin only); a case always keeps an owner."""
    _require_manager(db, user, case_id)
    if role not in MEMBER_ROLES:
        raise ValidationFailed("INVALID_ROLE", "구성원 역할은 owner, member, viewer 중 하나여야 합니다.")
    email = accounts.check_member_email(email)
    # An address without an account is invited rather than refused: the answer does not tell the owner which
    # addresses have accounts (issue #15).
    target = db.scalar(select(User).where(User.email == email)) or accounts.invite(db, email)
    member = db.get(CaseMember, (case_id, target.id))
    if member is not None and member.role == "owner" and role != "owner" and _owner_count(db, case_id) == 1:
        raise Conflict("LAST_OWNER")
    member = member or CaseMember(case_id=case_id, user_id=target.id)
    member.role = role
    db.add(member)
    db.flush()
    return member


def remove_member(db: Session, user: User, case_id: str, *, user_id: str) -> None:
    """Remove a member (owner or admin; anyone may leave a case themselves); the last owner stays."""
    if user_id == user.id:
        require_case(db, user, case_id)
    else:
        _require_manager(db, user, case_id)
    member = db.get(CaseMember, (case_id, user_id))
    if member is None:
        raise NotFound("USER_NOT_FOUND")
    if member.role == "owner" and _owner_count(db, case_id) == 1:
        raise Conflict("LAST_OWNER")
    db.delete(member)


def case_public(case: Case) -> dict[str, Any]:
    return {"id": case.id, "title": case.title, "description": case.description, "status": case.status,
            "created_by": case.created_by, "created_at": case.created_at.isoformat() if case.created_at else None,
            "updated_at": case.updated_at.isoformat() if case.updated_at else None,
            "closed_at": case.closed_at.isoformat() if case.closed_at else None}
