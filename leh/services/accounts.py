"""Accounts: argon2 password hashes, JWT access tokens, blocking. Blocked users and revoked tokens are refused."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from leh.config import Settings
from leh.domain import passwords
from leh.domain.accounts import UserStatus
from leh.domain.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed
from leh.models import RevokedToken, User
from leh.services import login_throttle

ROLES = ("admin", "lawyer", "staff")
_AUDIENCE = "leh-api"
_hasher = PasswordHasher()
# Verified when the e-mail is unknown, so that an unknown account takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def _validate_new(email: str, password: str, role: str) -> None:
    if "@" not in email or len(email) > 320:
        raise ValidationFailed("INVALID_EMAIL", "이메일 형식이 올바르지 않습니다. 이메일을 확인해주세요.")
    weak = passwords.weakness(password, email=email)
    if weak:
        raise ValidationFailed("WEAK_PASSWORD", weak)
    if role not in ROLES:
        raise ValidationFailed("INVALID_ROLE", "역할은 admin, lawyer, staff 중 하나여야 합니다.")


def create_user(db: Session, *, email: str, password: str, role: str, name: str = "") -> User:
    """A new account; an address a case owner invited (status `invited`) becomes this account, keeping its id and
    so the case memberships it was invited to."""
    email = email.strip().lower()
    _validate_new(email, password, role)
    user = db.scalar(select(User).where(User.email == email))
    if user is not None and user.status != UserStatus.INVITED:
        raise Conflict("USER_EXISTS")
    if user is None:
        user = User(email=email)
        db.add(user)
    user.name, user.password_hash, user.role = name or email.split("@")[0], hash_password(password), role
    user.status = UserStatus.ACTIVE
    db.flush()
    return user


def check_member_email(email: str) -> str:
    """The address typed to add a member, normalised; a malformed one is refused before any account is looked up
    (so the refusal says nothing about which accounts exist)."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 320 or any(ch.isspace() for ch in email):
        raise ValidationFailed("INVALID_EMAIL", "구성원의 이메일 주소를 입력해주세요 (예: name@firm.kr).")
    return email


def invite(db: Session, email: str) -> User:
    """An account for an address that has none yet, added to a case by its owner: no usable password (a hash of
    a secret nobody knows, so a login try costs the same argon2 work and fails like an unknown address), status
    `invited`, the name an account gets by default. The admin's "create account" turns it into the real one.
    No password is hashed here: adding a known and an unknown address cost the same."""
    user = User(email=email, name=email.split("@")[0], password_hash=_DUMMY_HASH, role="staff",
                status=UserStatus.INVITED)
    db.add(user)
    db.flush()
    return user


def get_user_by_email(db: Session, email: str) -> User:
    user = db.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound("USER_NOT_FOUND")
    return user


def has_users(db: Session) -> bool:
    """Whether any account exists yet (first start creates the admin when none does)."""
    return db.scalar(select(User.id).limit(1)) is not None


def email_taken(db: Session, email: str) -> bool:
    return db.scalar(select(User.id).where(User.email == email.strip().lower())) is not None


def authenticate(db: Session, email: str, password: str) -> User:
    """The user for these credentials. Unknown email, wrong password and a blocked account get the same error
    after the same work (an argon2 verification each), so an anonymous caller cannot probe accounts."""
    user = db.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        verify_password(_DUMMY_HASH, password)
        raise Unauthorized("INVALID_CREDENTIALS")
    if not verify_password(user.password_hash, password) or user.status != UserStatus.ACTIVE:
        raise Unauthorized("INVALID_CREDENTIALS")
    return user


class LoginFailed(Unauthorized):
    """INVALID_CREDENTIALS; `locked` says whether this failure locked the account or the address."""

    def __init__(self, locked: bool):
        super().__init__("INVALID_CREDENTIALS")
        self.locked = locked


def login(db: Session, settings: Settings, email: str, password: str, ip_hash: str | None) -> User:
    """authenticate() behind the login throttle: raises LoginThrottled (429) while the account or address is
    locked — before the password is looked at — and LoginFailed otherwise. Failures are committed at once
    (the request's own transaction is rolled back by the error)."""
    attempt = login_throttle.attempt(settings, email, ip_hash)
    login_throttle.check(db, attempt)
    try:
        user = authenticate(db, email, password)
    except Unauthorized as exc:
        lock = login_throttle.record_failure(db, settings, attempt)
        db.commit()
        raise LoginFailed(lock is not None) from exc
    login_throttle.record_success(db, attempt)
    return user


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    jti: str


def issue_token(user: User, settings: Settings) -> IssuedToken:
    ttl = settings.access_token_minutes * 60
    now = datetime.now(UTC)
    jti = uuid.uuid4().hex
    claims = {"sub": user.id, "role": user.role, "tv": user.token_version, "jti": jti, "aud": _AUDIENCE,
              "iat": int(now.timestamp()), "exp": int((now + timedelta(seconds=ttl)).timestamp())}
    return IssuedToken(jwt.encode(claims, settings.resolved_secret_key(), algorithm="HS256"), ttl, jti)


def decode_token(token: str, settings: Settings) -> dict[str, object]:
    try:
        return jwt.decode(token, settings.resolved_secret_key(), algorithms=["HS256"], audience=_AUDIENCE)
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("TOKEN_EXPIRED") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized() from exc


def user_for_token(db: Session, token: str, settings: Settings) -> tuple[User, dict[str, object]]:
    """The active user a token belongs to; refuses revoked, outdated (blocked/reset) and blocked users' tokens."""
    claims = decode_token(token, settings)
    user = db.get(User, str(claims.get("sub")))
    if user is None:
        raise Unauthorized()
    if user.status == "blocked":
        raise Forbidden("USER_BLOCKED")
    if claims.get("tv") != user.token_version or db.get(RevokedToken, str(claims.get("jti"))) is not None:
        raise Unauthorized("TOKEN_EXPIRED")
    return user, claims


def revoke_token(db: Session, claims: dict[str, object]) -> None:
    exp = datetime.fromtimestamp(int(str(claims["exp"])), UTC)
    db.merge(RevokedToken(jti=str(claims["jti"]), expires_at=exp))
    db.execute(delete(RevokedToken).where(RevokedToken.expires_at < datetime.now(UTC)))


def set_blocked(db: Session, user: User, blocked: bool) -> User:
    user.status = "blocked" if blocked else "active"
    if blocked:
        user.token_version += 1  # every token issued so far stops working at once
    return user


def reset_password(db: Session, user: User, new_password: str) -> User:
    _validate_new(user.email, new_password, user.role)
    user.password_hash = hash_password(new_password)
    user.token_version += 1
    return user


# Password policy for passwords people choose or are given from now on (change and reset): long enough, and not
# the email. Accounts created earlier keep working with their old passwords until they change them.
MIN_PASSWORD_CHARS = 10


def check_password_policy(email: str, password: str) -> None:
    """WEAK_PASSWORD unless the password has at least MIN_PASSWORD_CHARS characters and is not the email (or its
    part before @)."""
    lowered, email = password.strip().lower(), email.strip().lower()
    if len(password) < MIN_PASSWORD_CHARS or lowered in (email, email.split("@")[0]):
        raise ValidationFailed("WEAK_PASSWORD")


def change_own_password(db: Session, user: User, *, current: str, new: str, confirm: str) -> User:
    """The signed-in user's change: the current password, the new one twice, the policy. Every token issued so far
    stops working (token version); the caller issues a fresh one for the session that made the change."""
    if not verify_password(user.password_hash, current):
        raise ValidationFailed("WRONG_PASSWORD")
    if new != confirm:
        raise ValidationFailed("PASSWORD_MISMATCH")
    if new == current:
        raise ValidationFailed("PASSWORD_UNCHANGED")
    check_password_policy(user.email, new)
    user.password_hash = hash_password(new)
    user.token_version += 1
    db.flush()
    return user


def admin_set_password(db: Session, user: User, new_password: str | None = None) -> str:
    """An admin's reset: sets `new_password`, or a generated temporary one, and returns it (shown once, never
    stored in clear or logged). The user's sessions end at once."""
    password = new_password or generate_password()
    check_password_policy(user.email, password)
    user.password_hash = hash_password(password)
    user.token_version += 1
    db.flush()
    return password


def list_users(db: Session) -> list[User]:
    return list(db.scalars(select(User).order_by(User.created_at)))


def user_public(user: User) -> dict[str, object]:
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role, "status": user.status,
            "created_at": user.created_at.isoformat() if user.created_at else None}
