"""Login throttling per account and per address (issue #15, ASVS V6.3): too many failures lock them out.

Failures are stored relationally as keyed hashes (the identifier typed may be a password typed into the wrong
field; it is never stored). `login_max_failures` failures for one account, or `login_max_failures_per_address`
from one address, within `login_window_minutes` lock it for `login_lock_seconds`, doubling with every further
lock. A locked account or address is refused before the password is checked (429 LOGIN_THROTTLED, with when to
retry), even with the right password. A success clears the account's failures; an admin can unlock.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from leh.config import Settings
from leh.domain.errors import ERROR_MESSAGES_KO, RateLimited
from leh.models import LoginFailure, LoginLock

MAX_LOCK_SECONDS = 24 * 3600


class LoginThrottled(RateLimited):
    code = "LOGIN_THROTTLED"

    def __init__(self, retry_after: int):
        self.retry_after = max(1, retry_after)
        super().__init__("LOGIN_THROTTLED", ERROR_MESSAGES_KO["LOGIN_THROTTLED"].format(retry=_wait_ko(self.retry_after)))


def _wait_ko(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds}초"
    minutes = math.ceil(seconds / 60)
    return f"{minutes}분" if minutes < 60 else f"{minutes // 60}시간 {minutes % 60}분".replace(" 0분", "")


def account_key(settings: Settings, identifier: str) -> str:
    return hmac.new(settings.resolved_secret_key().encode(), b"login|" + identifier.strip().lower().encode(),
                    hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Attempt:
    account: str
    address: str  # the keyed hash of the client address

    @property
    def keys(self) -> tuple[str, str]:
        return f"acct:{self.account}", f"ip:{self.address}"


def attempt(settings: Settings, identifier: str, ip_hash: str | None) -> Attempt:
    return Attempt(account_key(settings, identifier), ip_hash or "-")


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite hands back naive datetimes


def check(db: Session, at: Attempt, *, now: datetime | None = None) -> None:
    """Raise LoginThrottled while the account or the address is locked."""
    now = now or datetime.now(UTC)
    waits = [(_aware(lock.locked_until) - now).total_seconds()
             for key in at.keys if (lock := db.get(LoginLock, key)) is not None]
    wait = max(waits, default=0.0)
    if wait > 0:
        raise LoginThrottled(math.ceil(wait))


def record_failure(db: Session, settings: Settings, at: Attempt, *, now: datetime | None = None) -> LoginLock | None:
    """Store the failure; lock the account or address when it passes its limit. Returns the new lock, if any."""
    now = now or datetime.now(UTC)
    db.add(LoginFailure(at=now, account_key=at.account, ip_hash=at.address))
    db.flush()
    window_start = now - timedelta(minutes=settings.login_window_minutes)
    account_key_, address_key = at.keys
    locked = None
    for key, column, value, limit in ((account_key_, LoginFailure.account_key, at.account, settings.login_max_failures),
                                      (address_key, LoginFailure.ip_hash, at.address,
                                       settings.login_max_failures_per_address)):
        if limit <= 0:
            continue
        lock = db.get(LoginLock, key)
        since = max(window_start, _aware(lock.since)) if lock else window_start
        failures = db.scalar(select(func.count()).select_from(LoginFailure).where(column == value, LoginFailure.at > since))
        if int(failures or 0) >= limit:
            lock = lock or LoginLock(key=key, strikes=0)
            lock.strikes += 1
            lock.locked_until = now + timedelta(seconds=min(MAX_LOCK_SECONDS,
                                                            settings.login_lock_seconds * 2 ** (lock.strikes - 1)))
            lock.since = now  # failures before the lock do not count again after it
            db.add(lock)
            locked = lock
    db.execute(delete(LoginFailure).where(LoginFailure.at < now - timedelta(days=1)))
    return locked


def record_success(db: Session, at: Attempt) -> None:
    db.execute(delete(LoginFailure).where(LoginFailure.account_key == at.account))
    db.execute(delete(LoginLock).where(LoginLock.key == at.keys[0]))


def unlock(db: Session, settings: Settings, email: str) -> bool:
    """An admin lifts the account's lock and forgets its failures; True when it was locked."""
    key = account_key(settings, email)
    was = db.get(LoginLock, f"acct:{key}") is not None
    db.execute(delete(LoginLock).where(LoginLock.key == f"acct:{key}"))
    db.execute(delete(LoginFailure).where(LoginFailure.account_key == key))
    return was
