"""Runbook A on AWS: `leh ops logs` reads a CloudWatch Logs group (moto_server over HTTP) instead of local files.

The log group holds the same JSON lines the processes write to their files (the CloudWatch agent ships them);
`leh ops logs --json` runs as a subprocess with LEH_CLOUDWATCH_LOG_GROUP set and filters them by level, time
and evidence id.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from leh.adapters.cloudwatch_logs import CloudWatchLogSource
from leh.config import Settings
from leh.container import Container
from leh.services.ops.logs import read_logs
from tests.support import moto
from tests.support.live import REPO, leh_env

E1, E2 = "e1e1e1e1-0000-4000-8000-000000000001", "e2e2e2e2-0000-4000-8000-000000000002"


def line(minutes_ago: float, level: str, msg: str, **extra: Any) -> tuple[int, str]:
    at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    rec = {"at": at.isoformat(timespec="milliseconds"), "level": level, "logger": "leh.worker", "msg": msg, **extra}
    return int(at.timestamp() * 1000), json.dumps(rec, ensure_ascii=False)


def put_group(lines_by_stream: dict[str, list[tuple[int, str]]]) -> str:
    logs: Any = moto.client("logs")
    group = "/leh/" + moto.unique_name("logs")
    logs.create_log_group(logGroupName=group)
    for stream, lines in lines_by_stream.items():
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
        logs.put_log_events(logGroupName=group, logStreamName=stream,
                            logEvents=[{"timestamp": ts, "message": msg} for ts, msg in sorted(lines)])
    return group


@pytest.fixture(scope="module")
def group() -> str:
    return put_group({
        "worker-ip-10-0-1-5": [
            line(120, "ERROR", "pipeline failed", evidence_id=E1, code="OBJECT_MISSING", process="worker-1"),  # too old
            line(10, "ERROR", "pipeline failed", evidence_id=E1, code="PARSE_FAILED", process="worker-1"),
            line(5, "INFO", "event handled", evidence_id=E1, process="worker-1"),
            (int(time.time() * 1000) - 4 * 60_000, "Traceback (most recent call last):"),
        ],
        "server-ip-10-0-1-4": [
            line(3, "ERROR", "upload check failed", evidence_id=E2, code="OBJECT_MISSING", process="server"),
            line(1, "CRITICAL", "database unreachable", process="server"),
        ],
    })


def ops_logs(tmp_path: Path, group: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = leh_env(tmp_path / "var", LEH_CLOUDWATCH_LOG_GROUP=group, LEH_CLOUDWATCH_ENDPOINT_URL=moto.endpoint_url(),
                  LEH_AWS_REGION=moto.REGION, **moto.aws_env())
    return subprocess.run([sys.executable, "-m", "leh", "ops", "logs", "--json", *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=60)


def test_ops_logs_reads_the_log_group_filtered_by_level_time_and_evidence(tmp_path: Path, group: str) -> None:
    out = ops_logs(tmp_path, group, "--level", "ERROR", "--since", "1h")
    assert out.returncode == 0, out.stderr[-2000:]
    rows = json.loads(out.stdout)
    assert [(r["msg"], r.get("code"), r["log_stream"]) for r in rows] == [
        ("pipeline failed", "PARSE_FAILED", "worker-ip-10-0-1-5"),
        ("upload check failed", "OBJECT_MISSING", "server-ip-10-0-1-4"),
        ("database unreachable", None, "server-ip-10-0-1-4"),
    ]
    assert all("file" not in r for r in rows)  # nothing came from local files

    out = ops_logs(tmp_path, group, "--level", "ERROR", "--since", "1h", "--evidence", E1)
    assert [(r["msg"], r["code"]) for r in json.loads(out.stdout)] == [("pipeline failed", "PARSE_FAILED")]
    out = ops_logs(tmp_path, group, "--level", "INFO", "--since", "3h", "--evidence", E1)
    assert [(r["level"], r.get("code")) for r in json.loads(out.stdout)] == [
        ("ERROR", "OBJECT_MISSING"), ("ERROR", "PARSE_FAILED"), ("INFO", None)]


def test_a_missing_log_group_is_a_coded_korean_error(tmp_path: Path) -> None:
    out = ops_logs(tmp_path, "/leh/" + moto.unique_name("absent"), "--since", "1h")
    assert out.returncode == 2
    error = json.loads(out.stdout)["error"]
    assert error["code"] == "LOG_GROUP_NOT_FOUND" and "LEH_CLOUDWATCH_LOG_GROUP" in error["message"]


def test_every_page_of_filter_log_events_is_read_from_the_start_time(tmp_path: Path) -> None:
    lines = [line(30 - n, "ERROR", f"failure {n}", evidence_id=E1 if n % 2 else E2) for n in range(7)]
    group = put_group({"worker-a": lines, "worker-b": [line(90, "ERROR", "old failure", evidence_id=E1)]})
    source = CloudWatchLogSource(group, endpoint_url=moto.endpoint_url(), region=moto.REGION, page_size=2)
    since = int((datetime.now(UTC) - timedelta(hours=1)).timestamp() * 1000)
    assert source.request(since_ms=since, evidence_id=E1) == {
        "logGroupName": group, "startTime": since, "filterPattern": f'"{E1}"', "limit": 2}
    assert [r["msg"] for r in source.records(since_ms=since)] == [f"failure {n}" for n in range(7)]
    settings = Settings(data_dir=tmp_path, cloudwatch_log_group=group, cloudwatch_endpoint_url=moto.endpoint_url(),
                        aws_region=moto.REGION)
    c = Container(settings)
    assert isinstance(c.log_source, CloudWatchLogSource)
    rows = read_logs(settings, level="ERROR", since_seconds=3600, evidence_id=E1, source=c.log_source)
    assert [r["msg"] for r in rows] == ["failure 1", "failure 3", "failure 5"]
