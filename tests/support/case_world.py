"""A populated in-process LEH for the security suites: one account per identity, cases with a processed evidence,
a draft, a pending and a confirmed signed upload — made through the services, in milliseconds.

Used by tests/security/test_route_matrix.py (who gets what on every route) and tests/security/test_api_fuzz.py
(schemathesis over the documented API with real ids).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from leh.analysis.draft_writer import Claims
from leh.api.app import create_app
from leh.config import Settings
from leh.container import Container
from leh.models import CaseMember, User
from leh.services import accounts
from leh.services import cases as case_svc
from leh.services import drafts as draft_svc
from leh.services import evidence as evidence_svc

PASSWORD = "maple-river-42"
# Verifying costs what the hash's own parameters say: logins here take milliseconds (accounts.create_user and
# its password policy are tested elsewhere).
CHEAP_HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
IDENTITY_ROLES = {"owner": "lawyer", "member": "lawyer", "viewer": "lawyer", "staff_member": "staff",
                  "staff_outsider": "staff", "admin": "admin", "blocked": "lawyer", "stale_token": "lawyer",
                  "removed_member": "lawyer"}
# Case roles of every world's case; `owner` creates it, `removed_member` is removed again, `spare` is the one to
# add, remove or block.
CASE_ROLES = {"member": "member", "viewer": "viewer", "staff_member": "member", "blocked": "member",
              "stale_token": "member", "removed_member": "member", "spare": "member"}
TRANSCRIPT = "2024-05-01 10:00 남편: 집에 들어오지 마\n".encode()


@dataclass
class World:
    """One case as every identity sees it: its ids, and the values request bodies are formatted with."""

    ids: dict[str, str] = field(default_factory=dict)

    def fill(self, value: Any) -> Any:
        if isinstance(value, str):
            return value.format(**self.ids)
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        return value


@dataclass
class CaseWorlds:
    c: Container
    client: TestClient
    users: dict[str, str]  # identity → user id
    tokens: dict[str, str]  # identity → its token (blocked: issued before the block; stale_token: before a lifted one)
    base: World = field(default_factory=World)
    worlds: Iterator[int] = field(default_factory=itertools.count)

    def user(self, db: Any, name: str) -> User:
        user = db.get(User, self.users[name])
        assert user is not None
        return user

    def new_token(self, identity: str) -> str:
        with self.c.sessions() as db:
            return accounts.issue_token(self.user(db, identity), self.c.settings).access_token

    def new_world(self, *, draft: bool = False) -> World:
        """A case owned by `owner` with every identity in its role, a processed evidence, a pending signed
        upload (its object already put), a confirmed one and a spare member; with `draft`, a draft too."""
        c, n = self.c, next(self.worlds)
        with c.sessions() as db:
            spare = _user(db, f"spare{n}@test.local", "lawyer")
            owner = self.user(db, "owner")
            case = case_svc.create_case(db, owner, title=f"사건 {n}")
            members = {**{k: self.users[k] for k in CASE_ROLES if k != "spare"}, "spare": spare.id}
            for name, user_id in members.items():
                db.add(CaseMember(case_id=case.id, user_id=user_id, role=CASE_ROLES[name]))
            db.commit()
            doc = evidence_svc.upload_direct(db, c.settings, c.objects, c.evidence, c.queue, owner, case_id=case.id,
                                             filename="대화.txt", stream=io.BytesIO(TRANSCRIPT))
            pending = evidence_svc.create_presigned_upload(db, c.settings, c.objects, c.evidence, owner,
                                                           case_id=case.id, filename="b.txt",
                                                           content_type="text/plain", size=3)
            c.objects.put(pending.object_key, io.BytesIO(b"abc"))
            db.delete(db.get(CaseMember, (case.id, self.users["removed_member"])))
            db.commit()
            ids = {"case_id": case.id, "evidence_id": doc["evidence_id"], "pending_id": pending.evidence_id,
                   "spare_id": spare.id, "spare_email": spare.email}
        c.evidence.update(doc["evidence_id"], processed())
        done = c.evidence.get(doc["evidence_id"])
        assert done is not None
        ids["download_path"] = evidence_svc.download_url(c.objects, done)
        with c.sessions() as db:  # a signed upload URL whose upload was confirmed: it must be dead
            owner = self.user(db, "owner")
            up = evidence_svc.create_presigned_upload(db, c.settings, c.objects, c.evidence, owner, case_id=case.id,
                                                      filename="c.txt", content_type="text/plain", size=3)
            c.objects.put(up.object_key, io.BytesIO(b"xyz"))
            evidence_svc.complete_upload(db, c.settings, c.objects, c.evidence, c.queue, owner, up.evidence_id)
            db.commit()
            ids["confirmed_upload_path"] = up.upload_url
            if draft:
                made = draft_svc.generate(db, c.evidence, c.usage, None, owner, case.id, Claims())
                db.commit()
                ids["draft_id"] = made["draft_id"]
        return World(ids)


def _user(db: Any, email: str, role: str) -> User:
    user = User(email=email, name=email.split("@")[0], password_hash=CHEAP_HASH, role=role)
    db.add(user)
    db.flush()
    return user


def processed() -> dict[str, Any]:
    """What the worker leaves on a transcript: one speech line with a label on it."""
    return {"status": "done", "stage": None, "progress": 1.0, "type": "text", "speakers": ["남편"],
            "segments": [{"seq": 1, "text": "집에 들어오지 마", "ts": "2024-05-01T10:00:00", "speaker": "남편",
                          "ref": {"start_s": 0.0, "end_s": 2.0}, "kind": "speech"}],
            "labels": [{"ground": "840-3", "tag": "폭언", "confidence": 0.9, "segments": [1]}]}


@contextmanager
def case_worlds(data_dir: Path) -> Iterator[CaseWorlds]:
    """An app on `data_dir` with the identities' accounts and tokens and a base world with a draft."""
    settings = Settings(data_dir=data_dir, demo=False, secret_key="test-secret-" + "x" * 32,
                        upload_rate_per_minute=100_000)
    c = Container(settings)
    c.migrate()
    users: dict[str, str] = {}
    tokens: dict[str, str] = {}
    with c.sessions() as db:
        for name, role in IDENTITY_ROLES.items():
            user = _user(db, f"{name}@test.local", role)
            users[name] = user.id
            tokens[name] = accounts.issue_token(user, settings).access_token
        db.commit()
    w = CaseWorlds(c, TestClient(create_app(c)), users, tokens)
    w.base = w.new_world(draft=True)
    with c.sessions() as db:
        accounts.set_blocked(db, w.user(db, "blocked"), True)
        accounts.set_blocked(db, w.user(db, "stale_token"), True)
        db.commit()
        accounts.set_blocked(db, w.user(db, "stale_token"), False)  # lifted, but its old token stays dead
        db.commit()
    try:
        yield w
    finally:
        w.client.close()
        c.engine.dispose()
