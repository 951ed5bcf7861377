"""The web UI's list projections: the SQLite fast path returns exactly what the generic port path returns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from leh.config import Settings
from leh.container import Container
from leh.domain.evidence import new_evidence_doc, transition
from leh.web import views as web_views

pytestmark = pytest.mark.e2e


class PortOnly:
    """The evidence store seen only through its port (as DynamoDB would be): no SQLite shortcut applies."""

    def __init__(self, store: Any):
        self._store = store

    def __getattr__(self, name: str) -> Any:
        if name == "db":
            raise AttributeError(name)
        return getattr(self._store, name)


def test_summaries_fast_path_matches_the_port(workdir: Path) -> None:
    c = Container(Settings(data_dir=workdir / "var", demo=False, secret_key="s" * 40))
    c.migrate()
    for i, status in enumerate(["queued", "processing", "done", "failed", "deleted", "done"]):
        case_id = "11111111-1111-1111-1111-11111111111" + str(i % 2)
        doc = new_evidence_doc(case_id=case_id, evidence_id=f"00000000-0000-0000-0000-00000000000{i}",
                               filename=f"파일_{i}.txt", size=100 + i, uploaded_by="u", type_hint="text")
        transition(doc, "queued")
        if status != "queued":
            transition(doc, "processing", stage="analyze", progress=0.6)
        if status in ("done", "failed", "deleted"):
            transition(doc, status if status != "deleted" else "done",
                       error={"code": "PDF_CORRUPT", "message": "손상"} if status == "failed" else None)
        if status == "deleted":
            transition(doc, "deleted")
        doc.update(labels=[{"ground": "840-3", "tag": "폭언", "segments": [0]}], speakers=["홍길동"],
                   segments=[{"seq": 0, "text": "본문은 목록에 나오지 않는다"}], event_time="2023-12-25T22:20:00+09:00")
        c.evidence.put(doc)
    port = Container(c.settings)
    port.__dict__["evidence"] = PortOnly(c.evidence)
    cases = ["11111111-1111-1111-1111-111111111110", "11111111-1111-1111-1111-111111111111"]
    for kwargs in ({"case_ids": cases[:1]}, {"case_ids": cases, "statuses": [str(s) for s in web_views.LIVE_STATUSES]},
                   {"case_ids": cases[1:], "statuses": ["done"], "fields": ("filename", "since")}):
        fast = web_views.summaries(c, **kwargs)  # type: ignore[arg-type]
        slow = web_views.summaries(port, **kwargs)  # type: ignore[arg-type]
        assert fast == slow and fast, kwargs
        assert all("segments" not in row and "text" not in str(row.get("labels")) for row in fast)
    assert {r["status"] for r in web_views.summaries(c, case_ids=cases)} == {"queued", "processing", "done", "failed"}
