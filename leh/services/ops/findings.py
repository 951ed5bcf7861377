"""Findings and escalation levels (runbook section 1): what every `leh ops` check reports.

Lv1 — service unreachable or a main function failing (on-call, 30 min); Lv2 — data integrity (tech lead,
1 h); Lv3 — leak, security incident, large data loss (CTO/PM, at once).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class Level(StrEnum):
    """Escalation levels of runbook section 1."""
    LV1 = "Lv1"
    LV2 = "Lv2"
    LV3 = "Lv3"


class Status(StrEnum):
    """A check's outcome: OK, warning (does not fail the run) or failure."""
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


ESCALATION: dict[Level, str] = {
    Level.LV1: "당직 개발자 (On-call) — 30분 내",
    Level.LV2: "Tech Lead — 1시간 내",
    Level.LV3: "CTO / PM — 즉시",
}
MARKS: dict[Status, str] = {Status.OK: "✅", Status.WARN: "⚠️", Status.FAIL: "❌"}
_RANK = {Level.LV1: 1, Level.LV2: 2, Level.LV3: 3}


@dataclass
class Finding:
    """One check's result. `level` is the escalation the check belongs to, reported even when it passes."""

    check: str
    title: str
    status: Status
    level: Level
    summary: str
    action: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.status == Status.FAIL

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "title": self.title, "status": str(self.status), "mark": MARKS[self.status],
                "level": str(self.level), "escalation": ESCALATION[self.level], "summary": self.summary,
                "action": self.action, "detail": self.detail}


def worst_level(findings: Iterable[Finding]) -> Level | None:
    """The highest level among failing findings (None when nothing failed)."""
    failing = [f.level for f in findings if f.failed]
    return max(failing, key=_RANK.__getitem__) if failing else None


def make_report(kind: str, findings: list[Finding], **extra: Any) -> dict[str, Any]:
    """The JSON shape every ops check prints: ok flag, worst level, ordered next steps, findings."""
    level = worst_level(findings)
    # Most severe first: the on-call reads the top line and escalates accordingly.
    ordered = sorted((f for f in findings if f.status != Status.OK), key=lambda f: (-_RANK[f.level], f.failed is False))
    steps: list[str] = []
    for f in ordered:
        if f.action and f.action not in steps:
            steps.append(f.action)
    return {"kind": kind, "ok": level is None, "level": str(level) if level else None,
            "escalation": ESCALATION[level] if level else None, "steps": steps,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "findings": [f.to_dict() for f in findings], **extra}


def human_duration(seconds: float) -> str:
    """Korean duration for summaries: 45초, 15분, 2시간 5분, 3일."""
    s = int(seconds)
    if s < 60:
        return f"{s}초"
    if s < 3600:
        return f"{s // 60}분"
    if s < 86400:
        h, m = divmod(s // 60, 60)
        return f"{h}시간" + (f" {m}분" if m else "")
    return f"{s // 86400}일"
