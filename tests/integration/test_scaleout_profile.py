"""The foundation's end-to-end flow on the whole scale-out profile, and the runbook commands on it.

PostgreSQL (a throwaway Debian cluster) + S3, SQS with its DLQ, DynamoDB and CloudWatch Logs (moto_server over
HTTP) + OpenSearch (the recording server, relaying to `LEH_OPENSEARCH_URL` when set) behind one `leh serve`
and two `leh worker` processes. A browser-style presigned POST puts the file in S3, the bucket's notification
reaches SQS, one of the workers processes it into DynamoDB and OpenSearch, and status, timeline and search
are read through the API. Then `leh ops …` runs as subprocesses with `--json` on the same settings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from leh.adapters.dynamodb_evidence import ensure_table
from leh.config import Settings
from leh.container import Container
from leh.domain.events import object_created
from leh.services.ops.aws_setup import setup_aws
from tests.conftest import ADMIN, make_user
from tests.integration.test_aws_event_path import KAKAO, drained, sqs_depth
from tests.support import moto
from tests.support.http_stub import json_http_server
from tests.support.live import REPO, Api, LehProcesses, running_leh
from tests.support.moto import aws_settings, post_to_s3, presign
from tests.support.opensearch_stub import RecordingOpenSearch
from tests.support.postgres import PgCluster
from tests.support.wait import wait_until


@dataclass
class Profile:
    procs: LehProcesses
    env: dict[str, str]
    admin: Api
    lawyer: Api
    search: RecordingOpenSearch

    def ops(self, *args: str) -> tuple[int, Any]:
        [result] = self.ops_together(args)
        return result

    def ops_together(self, *commands: tuple[str, ...]) -> list[tuple[int, Any]]:
        """`leh ops … --json` commands that read independent things, run at once (each is a cold Python start)."""
        procs = [subprocess.Popen([sys.executable, "-m", "leh", "ops", *args, "--json"], env=self.procs.env, cwd=REPO,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for args in commands]
        results = []
        for proc in procs:
            stdout, stderr = proc.communicate(timeout=120)
            assert stdout.strip(), stderr[-3000:]
            results.append((proc.returncode, json.loads(stdout)))
        return results

    def handled(self, evidence_id: str, outcome: str) -> list[str]:
        """The worker log files that record this evidence's event as handled with this outcome."""
        found = []
        for path in sorted((self.procs.data_dir / "logs").glob("worker*.log")):
            for text in path.read_text(encoding="utf-8").splitlines():
                rec = json.loads(text)
                if rec.get("msg") == "event handled" and rec.get("evidence_id") == evidence_id and rec.get("outcome") == outcome:
                    found.append(path.name)
        return found


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory, pg_cluster: PgCluster) -> Iterator[Profile]:
    tmp = tmp_path_factory.mktemp("scaleout")
    database = pg_cluster.create_database()
    table, group = moto.unique_name("evidence"), "/leh/" + moto.unique_name("logs")
    ensure_table(moto.client("dynamodb"), table)
    logs: Any = moto.client("logs")
    logs.create_log_group(logGroupName=group)
    recorder = RecordingOpenSearch(forward_to=os.environ.get("LEH_OPENSEARCH_URL"))
    with json_http_server(recorder) as search_url:
        env = aws_settings(LEH_DATABASE_URL=database, LEH_DYNAMODB_TABLE=table, LEH_DYNAMODB_ENDPOINT_URL=moto.endpoint_url(),
                           LEH_OPENSEARCH_URL=search_url, LEH_CLOUDWATCH_LOG_GROUP=group,
                           LEH_CLOUDWATCH_ENDPOINT_URL=moto.endpoint_url(), LEH_QUEUE_MAX_ATTEMPTS="2",
                           LEH_QUEUE_VISIBILITY_SECONDS="30",
                           LEH_WORKER_HEARTBEAT_SECONDS="3", **moto.aws_env())
        settings = Settings(**{k[4:].lower(): v for k, v in env.items() if k.startswith("LEH_")},  # type: ignore[arg-type]
                            data_dir=tmp / "setup")
        c = Container(settings)
        report = setup_aws(settings, bucket=c.bucket_setup, queues=c.queue_setup, lifecycle=c.tmp_lifecycle,
                           check_only=False)
        assert [f["check"] for f in report["findings"] if f["status"] == "fail"] == [], report
        try:
            with running_leh(tmp / "var", workers=2, **env) as procs:
                admin = Api(procs.base_url).login(*ADMIN)
                yield Profile(procs, env, admin, make_user(admin, "lawyer@test.local"), recorder)
        finally:
            pg_cluster.drop_database(database)


def test_upload_to_search_and_the_runbook_on_postgres_s3_sqs_dynamodb_opensearch(profile: Profile) -> None:
    lawyer, env = profile.lawyer, profile.env
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "김영희 이혼 사건"})
    cid, body = case["id"], KAKAO.encode()

    # Upload: the browser POSTs the signed form to S3; the notification alone starts the work.
    up = presign(lawyer, cid, body)
    eid = up["evidence_id"]
    post_to_s3(up, body)
    doc = lawyer.wait_status(eid, {"done", "failed"}, timeout=60)
    assert doc["status"] == "done", doc["error"]
    assert [h["status"] for h in doc["status_history"]] == ["uploading", "processing", "done"]
    assert [s["speaker"] for s in doc["segments"]] == ["김영희", "홍길동"]
    wait_until(lambda: drained(env), timeout=15, message=lambda: f"queue not drained: {sqs_depth(env)}")
    assert len(profile.handled(eid, "done")) == 1  # one of the two workers ran it, once
    item = moto.client("dynamodb").get_item(  # type: ignore[attr-defined]
        TableName=env["LEH_DYNAMODB_TABLE"], Key={"case_id": {"S": cid}, "evidence_id": {"S": eid}})["Item"]
    assert item["status"]["S"] == "done"

    timeline = lawyer.data("GET", f"/api/cases/{cid}/timeline")
    assert timeline and {t["evidence_id"] for t in timeline} == {eid}
    assert timeline[0]["ts"].startswith("2023-12-25")
    hits = lawyer.data("GET", f"/api/cases/{cid}/search", params={"q": "생활비"})
    assert [(h["evidence_id"], h["seq"]) for h in hits] == [(eid, 0)]
    searches = profile.search.calls(suffix="/_search")
    assert searches and all(r.path == f"/case_rag_{cid}/_search" for r in searches)
    outsider = make_user(profile.admin, "other@test.local")
    outsider.call("GET", f"/api/cases/{cid}/search", 404, params={"q": "생활비"})

    # Runbook A on this profile: a poison message reaches the DLQ; diagnose, dlq, redrive after the fix, reprocess.
    # (Other content than the first file: a copy would be confirmed as a duplicate and indexed once.)
    other = KAKAO.replace("생활비는 언제", "생활비는 이번 달에 언제").encode()
    missing = presign(lawyer, cid, other)
    key = lawyer.data("GET", f"/api/evidence/{missing['evidence_id']}")["object_key"]
    moto.client("sqs").send_message(QueueUrl=env["LEH_SQS_QUEUE_URL"],  # type: ignore[attr-defined]
                                    MessageBody=json.dumps(object_created(key, len(other))))
    failed = lawyer.wait_status(missing["evidence_id"], {"failed"}, timeout=60)
    assert failed["error"]["code"] == "OBJECT_MISSING"
    wait_until(lambda: profile.admin.data("GET", "/api/admin/dlq")["messages"], timeout=20, message="nothing reached the DLQ")
    # CloudWatch Logs: the agent ships the worker's JSON lines; `leh ops logs` and diagnose read them there.
    logs: Any = moto.client("logs")
    logs.create_log_stream(logGroupName=env["LEH_CLOUDWATCH_LOG_GROUP"], logStreamName="worker-a")
    line = json.dumps({"at": failed["status_history"][-1]["at"], "level": "ERROR", "msg": "pipeline failed",
                       "evidence_id": missing["evidence_id"], "code": "OBJECT_MISSING", "process": "worker-0"})
    logs.put_log_events(logGroupName=env["LEH_CLOUDWATCH_LOG_GROUP"], logStreamName="worker-a",
                        logEvents=[{"timestamp": _ms(failed["status_history"][-1]["at"]), "message": line}])
    (rc, dead), (rc_logs, rows), (rc_diag, diag) = profile.ops_together(
        ("dlq",), ("logs", "--level", "ERROR", "--since", "1h", "--evidence", missing["evidence_id"]), ("diagnose",))
    assert rc == 0 and [(d["evidence_id"], d["reason"]) for d in dead] == [(missing["evidence_id"], "OBJECT_MISSING")]
    assert rc_logs == 0 and [(r["code"], r["log_stream"]) for r in rows] == [("OBJECT_MISSING", "worker-a")]
    rc = rc_diag
    assert rc == 1 and diag["queue"]["dlq"] == 1 and not diag["ok"]
    statuses = {f["check"]: f["status"] for f in diag["findings"]}
    assert (statuses["dlq"], statuses["workers"], statuses["stuck"]) == ("fail", "ok", "ok"), diag["findings"]
    errors = next(f for f in diag["findings"] if f["check"] == "errors")
    assert errors["detail"]["log_errors_by_code"] == {"OBJECT_MISSING": 1}  # read from the log group
    post_to_s3(missing, other)  # the fix: the file arrives
    assert profile.ops("redrive") == (0, {"redriven": 1})
    assert lawyer.wait_status(missing["evidence_id"], {"done"}, timeout=60)["error"] is None
    rc, out = profile.ops("reprocess", eid)
    assert rc == 0 and out["evidence_id"] == eid
    again = lawyer.wait_status(eid, {"done"}, timeout=60)
    assert again["segments"] == doc["segments"] and len(profile.handled(eid, "done")) == 2

    # Runbook B: the case closed by mistake drops its OpenSearch index; restore-case and reindex rebuild it.
    lawyer.data("DELETE", f"/api/cases/{cid}")
    assert f"/case_rag_{cid}" in [r.path for r in profile.search.calls("DELETE")]
    rc, out = profile.ops("restore-case", cid)
    assert rc == 0 and (out["status"], out["indexed_evidence"], out["indexed_segments"], out["consistent"]) == ("active", 2, 4, True)
    assert [(h["evidence_id"], h["seq"]) for h in lawyer.data("GET", f"/api/cases/{cid}/search", params={"q": "가만"})] == \
        sorted([(eid, 1), (missing["evidence_id"], 1)])
    rc, out = profile.ops("reindex", cid)
    assert rc == 0 and (out["indexed_segments"], out["consistent"]) == (4, True)

    # The index check and a backup (pg_dump + the DynamoDB evidence), then the weekly checklist, on this profile.
    (rc, check), (rc_backup, backup) = profile.ops_together(("check-index", cid), ("backup",))
    assert rc == 0 and check["ok"], check["findings"]
    assert rc_backup == 0 and backup["engine"] == "postgresql" and backup["counts"]["evidence"] == 2, backup
    rc, weekly = profile.ops("weekly")
    checks = {f["check"]: f["status"] for f in weekly["findings"]}
    assert (checks["tmp.lifecycle"], checks["audit.chain"]) == ("ok", "ok"), weekly["findings"]  # S3 rule; chain on PostgreSQL
    assert checks["backup.age"] in {"ok", "warn"} and rc == 0 and weekly["ok"], weekly["findings"]
    assert (Path(backup["path"]) / "leh.pgdump").read_bytes()[:5] == b"PGDMP"


def _ms(at: str) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(at).timestamp() * 1000)
