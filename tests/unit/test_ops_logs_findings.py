"""Reading the JSON-lines logs back (level, time, evidence, rotated files) and the shape of findings reports."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leh.config import Settings
from leh.domain.errors import ValidationFailed
from leh.services.ops.findings import Finding, Level, Status, human_duration, make_report
from leh.services.ops.logs import group_by_code, log_files, read_logs

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _write(path: Path, *records: dict) -> None:  # type: ignore[type-arg]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        for r in records:
            fh.write((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n")


def _rec(minutes_ago: float, level: str, msg: str, **extra: object) -> dict:  # type: ignore[type-arg]
    return {"at": (NOW - timedelta(minutes=minutes_ago)).isoformat(timespec="milliseconds"), "level": level,
            "logger": "leh.worker", "process": "worker-1", "msg": msg, **extra}


def test_logs_are_filtered_by_level_time_evidence_and_process(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path)
    logs = tmp_path / "logs"
    _write(logs / "worker-1.log.1", _rec(50, "ERROR", "old rotated error", evidence_id="e1", code="PDF_CORRUPT"))
    _write(logs / "worker-1.log", _rec(30, "ERROR", "dead-lettered", evidence_id="e2", code="OBJECT_MISSING"),
           "Traceback (most recent call last):", "{not json", _rec(20, "WARNING", "will retry", evidence_id="e2"),
           _rec(10, "INFO", "processing done", evidence_id="e2"), _rec(5, "CRITICAL", "disk full"))
    _write(logs / "server.log", {**_rec(40, "ERROR", "unhandled error"), "process": "server"},
           {**_rec(90, "ERROR", "too old"), "process": "server"})
    _write(logs / "notes.txt", _rec(1, "ERROR", "not a log file"))

    assert [p.name for p in log_files(s)] == ["server.log", "worker-1.log.1", "worker-1.log"]
    errors = read_logs(s, level="ERROR", since_seconds=3600, now=NOW)
    assert [r["msg"] for r in errors] == ["old rotated error", "unhandled error", "dead-lettered", "disk full"]
    assert errors[0]["file"] == "worker-1.log.1"
    assert [r["msg"] for r in read_logs(s, level="warning", evidence_id="e2", now=NOW)] == ["dead-lettered", "will retry"]
    assert [r["msg"] for r in read_logs(s, level="ERROR", process="server", now=NOW)] == ["too old", "unhandled error"]
    assert [r["msg"] for r in read_logs(s, level="DEBUG", since_seconds=3600, limit=2, now=NOW)] == ["processing done", "disk full"]
    assert group_by_code(errors) == {"PDF_CORRUPT": 1, "OBJECT_MISSING": 1, "unhandled error": 1, "disk full": 1}
    with pytest.raises(ValidationFailed):
        read_logs(s, level="LOUD")


def test_no_log_directory_is_no_lines(tmp_path: Path) -> None:
    assert read_logs(Settings(data_dir=tmp_path / "none")) == []


def _f(check: str, status: Status, level: Level, action: str | None = None) -> Finding:
    return Finding(check, check, status, level, f"{check} summary", action=action)


def test_report_escalates_to_the_worst_failing_level_and_orders_steps() -> None:
    report = make_report("weekly", [
        _f("tmp", Status.FAIL, Level.LV1, "sweep"),
        _f("tls", Status.WARN, Level.LV1, "renew"),
        _f("pii", Status.FAIL, Level.LV3, "call the CTO"),
        _f("backup", Status.OK, Level.LV2, "never shown"),
        _f("chain", Status.FAIL, Level.LV2, "sweep"),
    ])
    assert not report["ok"] and report["level"] == "Lv3" and report["escalation"].startswith("CTO")
    assert report["steps"] == ["call the CTO", "sweep", "renew"]
    marks = {f["check"]: (f["mark"], f["level"]) for f in report["findings"]}
    assert marks == {"tmp": ("❌", "Lv1"), "tls": ("⚠️", "Lv1"), "pii": ("❌", "Lv3"), "backup": ("✅", "Lv2"),
                     "chain": ("❌", "Lv2")}


def test_warnings_alone_do_not_fail_a_report() -> None:
    report = make_report("diagnose", [_f("errors", Status.WARN, Level.LV1, "look"), _f("dlq", Status.OK, Level.LV1)])
    assert report["ok"] and report["level"] is None and report["steps"] == ["look"]


def test_human_duration() -> None:
    assert [human_duration(s) for s in (5, 900, 3600, 7500, 3 * 86400)] == ["5초", "15분", "1시간", "2시간 5분", "3일"]
