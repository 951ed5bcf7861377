"""First start: create the first admin (printed once) and, unless LEH_DEMO=0, a demo case (an entry point: it
hands the container's ports to the account, case and evidence services)."""

from __future__ import annotations

import io
from importlib import resources

from leh.container import Container
from leh.domain.audit_actions import AuditAction
from leh.domain.parties import Parties, Person
from leh.services import accounts, audit, cases, evidence
from leh.services import parties as case_parties
from leh.services.locks import claim

DEMO_LAWYER_EMAIL = "demo.lawyer@leh.local"
DEMO_FILES = ("카카오톡_대화_홍길동.txt", "상담메모.txt")


def ensure_admin(c: Container) -> tuple[str, str] | None:
    """Create the first admin if there is no user yet; returns (email, password) when one was created."""
    with c.sessions() as db:
        claim(db, "bootstrap_admin")  # several servers starting on one new database: only one creates the admin
        if accounts.has_users(db):
            return None
        email = c.settings.admin_email or "admin@leh.local"
        password = c.settings.admin_password or accounts.generate_password()
        user = accounts.create_user(db, email=email, password=password, role="admin", name="관리자")
        db.commit()
        audit.record(c.sessions, action=AuditAction.ADMIN_BOOTSTRAP, object_type="user", object_id=user.id)
        return email, password


def ensure_demo(c: Container) -> tuple[str, str] | None:
    """A demo lawyer with one case and sample evidence, so a newcomer sees processed evidence in seconds.
    Returns (case id, the demo lawyer's own generated password — never the admin's) when it was created."""
    with c.sessions() as db:
        if accounts.email_taken(db, DEMO_LAWYER_EMAIL):
            return None
        password = accounts.generate_password()
        lawyer = accounts.create_user(db, email=DEMO_LAWYER_EMAIL, password=password, role="lawyer",
                                      name="데모 변호사")
        case = cases.create_case(db, lawyer, title="[데모] 김영희 v. 홍길동 이혼 사건",
                                 description="샘플 증거로 LEH의 처리 과정을 보여주는 데모 사건입니다.")
        # Who is who, as a lawyer enters it: labels, timeline, risks and the draft then name the right person.
        case_parties.store(db, case.id, Parties(client=Person("김영희", ("아내",)), opponent=Person("홍길동", ("남편",))))
        db.commit()
        demo_dir = resources.files("leh") / "demo"
        for name in DEMO_FILES:
            data = (demo_dir / name).read_bytes()
            evidence.upload_direct(db, c.settings, c.objects, c.evidence, c.queue, lawyer, case_id=case.id, filename=name,
                                   stream=io.BytesIO(data))
        db.commit()
        audit.record(c.sessions, action=AuditAction.CASE_CREATE, actor_id=lawyer.id, object_type="case", object_id=case.id,
                     detail={"demo": True})
        return case.id, password
