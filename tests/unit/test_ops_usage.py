"""Token accounting and the per-case budget: the breaker opens by itself, once, and a close resets the count."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from leh.config import Settings
from leh.container import Container
from leh.domain.audit_actions import AuditAction
from leh.models import AiUsage, AuditLog
from leh.services import accounts, breakers, cases
from leh.services.ops.usage import (
    case_budget,
    local_work_units,
    record_analysis,
    usage_summary,
)

ON_POSTGRES = True  # tests/conftest.py: every test here also runs on PostgreSQL


@pytest.fixture
def budget_container(tmp_path, database_url) -> Iterator[Container]:  # type: ignore[no-untyped-def]
    c = Container(Settings(data_dir=tmp_path / "var", demo=False, secret_key="k" * 40, case_token_budget=1000,
                           case_budget_window="1h", database_url=database_url))
    c.migrate()
    yield c
    c.engine.dispose()


def _case(c: Container, email: str = "u@test.local") -> tuple[str, str]:
    with c.sessions() as db:
        user = accounts.create_user(db, email=email, password="password-123", role="lawyer")
        case = cases.create_case(db, user, title="사건")
        db.commit()
        return user.id, case.id


def test_local_work_units_count_characters() -> None:
    assert local_work_units([{"text": "남편이 소리를 질렀다"}, {"text": "abc"}, {"text": None}]) == 11 + 3


def test_budget_opens_the_breaker_once_and_only_for_that_case(budget_container: Container) -> None:
    c = budget_container
    uid, over = _case(c)
    _uid2, other = _case(c, "v@test.local")
    assert c.usage.record(case_id=over, user_id=uid, evidence_id=None, provider="local", model="m", input_tokens=600) is False
    assert c.usage.record(case_id=other, user_id=uid, evidence_id=None, provider="local", model="m", input_tokens=900) is False
    # 600 + 500 > 1000: this call trips the breaker, the next one finds it open already.
    assert c.usage.record(case_id=over, user_id=uid, evidence_id=None, provider="openai", model="gpt", input_tokens=300,
                        output_tokens=200, cost_usd=0.01) is True
    assert c.usage.record(case_id=over, user_id=uid, evidence_id=None, provider="local", model="m", input_tokens=1) is False
    with c.sessions() as db:
        assert breakers.is_open(db, over) and not breakers.is_open(db, other)
        b = breakers.status(db, c.evidence, over)
        assert b["opened_by"] == breakers.BUDGET_ACTOR and "1,100 / 1,000" in b["reason"]
        autos = list(db.scalars(select(AuditLog).where(AuditLog.action == AuditAction.OPS_BREAKER_AUTO_OPEN)))
        assert [a.object_id for a in autos] == [over]


def test_closing_by_hand_restarts_the_budget_from_the_opening(budget_container: Container) -> None:
    c = budget_container
    uid, case_id = _case(c)
    assert c.usage.record(case_id=case_id, user_id=uid, evidence_id=None, provider="local", model="m", input_tokens=1500)
    with c.sessions() as db:
        breakers.set_breaker(db, c.evidence, c.index, c.queue, case_id, state="closed", reason="정상 사용 확인", actor="admin")
        assert case_budget(c.settings, db, case_id)["used"] == 0
    # Spending after the close counts from zero: 900 stays under, another 200 trips it again.
    assert c.usage.record(case_id=case_id, user_id=uid, evidence_id=None, provider="local", model="m", input_tokens=900) is False
    assert c.usage.record(case_id=case_id, user_id=uid, evidence_id=None, provider="local", model="m", input_tokens=200) is True


def test_usage_outside_the_window_does_not_count(budget_container: Container) -> None:
    c = budget_container
    uid, case_id = _case(c)
    c.usage.record(case_id=case_id, user_id=uid, evidence_id=None, provider="local", model="m", input_tokens=999)
    with c.sessions() as db:
        db.execute(update(AiUsage).values(at=datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=2)))
        db.commit()
    assert c.usage.record(case_id=case_id, user_id=uid, evidence_id=None, provider="local", model="m", input_tokens=999) is False
    with c.sessions() as db:
        assert case_budget(c.settings, db, case_id)["used"] == 999
        summary = usage_summary(c.settings, db, window_seconds=3 * 3600)
    [row] = summary["by_case"]
    assert row["tokens"] == 1998 and row["budget_used"] == 999 and row["breaker"] == "closed"
    assert summary["by_user"][0]["email"] == "u@test.local" and summary["by_user"][0]["calls"] == 2


def test_record_analysis_never_fails_the_item(budget_container: Container) -> None:
    c = budget_container
    uid, case_id = _case(c)
    doc = {"case_id": case_id, "evidence_id": "e" * 36, "uploaded_by": uid}
    record_analysis(c.usage, doc, [{"text": "가" * 40}])
    with c.sessions() as db:
        row = db.scalar(select(AiUsage))
        assert (row.provider, row.input_tokens, row.evidence_id) == ("local", 40, "e" * 36)
    # A case that does not exist violates the breaker's foreign key once over budget: logged, not raised.
    record_analysis(c.usage, {"case_id": "missing", "evidence_id": "x", "uploaded_by": uid}, [{"text": "가" * 5000}])
