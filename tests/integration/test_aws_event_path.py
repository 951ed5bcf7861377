"""The runbook's event path on moto_server: a file lands in S3 → ObjectCreated notification → SQS → `leh worker`.

`leh serve` and `leh worker` run as real processes on S3 + SQS (the evidence store and database stay embedded);
the bucket, queue, DLQ, redrive policy and notification are made by the `setup-aws` service, as an operator would.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from leh.domain.events import object_created
from tests.support import moto
from tests.support.live import REPO, leh_env
from tests.support.moto import Deployment, deployed, post_to_s3, presign
from tests.support.wait import wait_until

KAKAO_HEAD = "홍길동 님과 카카오톡 대화\n저장한 날짜 : 2024-01-05 09:12:44\n\n--------------- 2023년 12월 25일 월요일 ---------------\n"
KAKAO = KAKAO_HEAD + "[김영희] [오후 10:18] 생활비는 언제 보내줄 거야?\n[홍길동] [오후 10:20] 한 번만 더 그 얘기 하면 가만 안 둔다\n"


@pytest.fixture(scope="module")
def aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    with deployed(tmp_path_factory.mktemp("aws")) as deployment:
        yield deployment


def handled(d: Deployment, evidence_id: str, outcome: str) -> int:
    """How many events for this evidence the workers logged as handled with this outcome."""
    n = 0
    for path in (d.procs.data_dir / "logs").glob("worker*.log"):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            n += rec.get("msg") == "event handled" and rec.get("evidence_id") == evidence_id and rec.get("outcome") == outcome
    return n


def duplicates(d: Deployment, evidence_id: str) -> int:
    """Events dropped because another live worker was processing the evidence at that moment."""
    n = 0
    for path in (d.procs.data_dir / "logs").glob("worker*.log"):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            n += rec.get("msg", "").startswith("duplicate event") and rec.get("evidence_id") == evidence_id
    return n


def dead_letters(d: Deployment) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = d.admin.data("GET", "/api/admin/dlq")["messages"]
    return items


def sqs_depth(env: dict[str, str]) -> dict[str, int]:
    sqs: Any = moto.client("sqs")
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"]
    main = sqs.get_queue_attributes(QueueUrl=env["LEH_SQS_QUEUE_URL"], AttributeNames=names)["Attributes"]
    return {"visible": int(main[names[0]]), "in_flight": int(main[names[1]]), "delayed": int(main[names[2]])}


def drained(env: dict[str, str]) -> bool:
    return sqs_depth(env) == {"visible": 0, "in_flight": 0, "delayed": 0}


def leh_cli(env: dict[str, str], data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "leh", *args], env=leh_env(data_dir, **env), cwd=REPO,
                          capture_output=True, text=True, timeout=60)


def test_an_upload_to_the_bucket_is_processed_through_the_notification_and_duplicates_change_nothing(aws: Deployment) -> None:
    aws.worker()
    lawyer, env = aws.lawyer, aws.env
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "김영희 이혼 사건"})
    body = KAKAO.encode()
    up = presign(lawyer, case["id"], body, name="카톡 대화 (1).txt")
    post_to_s3(up, body)  # no upload-complete: S3's notification alone starts the work
    doc = lawyer.wait_status(up["evidence_id"], {"done", "failed"})
    assert doc["status"] == "done", doc["error"]
    assert [h["status"] for h in doc["status_history"]] == ["uploading", "processing", "done"]
    assert [s["speaker"] for s in doc["segments"]] == ["김영희", "홍길동"]
    assert httpx.get(doc["download_url"]).content == body  # a presigned GET on the bucket
    wait_until(lambda: drained(env), timeout=10, message=lambda: f"queue not drained: {sqs_depth(env)}")

    # The second trigger and a redelivered notification: both handled, neither changes anything.
    assert lawyer.data("POST", "/api/evidence/upload-complete", json={"evidence_id": up["evidence_id"]})["status"] == "done"
    sqs: Any = moto.client("sqs")
    key = doc["object_key"]
    for message in (object_created(key, len(body), reason="upload"),
                    {"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Post",
                                  "s3": {"bucket": {"name": env["LEH_S3_BUCKET"]}, "object": {"key": key, "size": len(body)}}}]}):
        sqs.send_message(QueueUrl=env["LEH_SQS_QUEUE_URL"], MessageBody=json.dumps(message))
    wait_until(lambda: handled(aws, up["evidence_id"], "skipped") == 2, timeout=20,
               message=lambda: f"duplicates not handled: {sqs_depth(env)}")
    wait_until(lambda: drained(env), timeout=10, message=lambda: f"duplicates not deleted: {sqs_depth(env)}")
    again = lawyer.data("GET", f"/api/evidence/{up['evidence_id']}")
    assert again["status_history"] == doc["status_history"] and again["segments"] == doc["segments"]
    assert again["processed_at"] == doc["processed_at"] and again["attempts"] == 1
    assert handled(aws, up["evidence_id"], "done") == 1
    hits = lawyer.data("GET", f"/api/cases/{case['id']}/search", params={"q": "생활비"})
    assert [(h["evidence_id"], h["seq"]) for h in hits] == [(up["evidence_id"], 0)]
    assert not [d for d in dead_letters(aws) if d["evidence_id"] == up["evidence_id"]]


def test_the_browser_flow_post_then_upload_complete_records_the_hash_and_runs_once(aws: Deployment) -> None:
    aws.worker()
    lawyer = aws.lawyer
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "정상 흐름 사건"})
    body = KAKAO.encode()
    up = presign(lawyer, case["id"], body)
    post_to_s3(up, body)  # S3 notifies the queue now …
    queued = lawyer.data("POST", "/api/evidence/upload-complete", json={"evidence_id": up["evidence_id"]})  # … and so does LEH
    assert queued["status"] in {"queued", "processing", "done"}
    doc = lawyer.wait_status(up["evidence_id"], {"done", "failed"})
    assert doc["status"] == "done", doc["error"]
    assert [h["status"] for h in doc["status_history"]] == ["uploading", "queued", "processing", "done"]
    assert doc["sha256"] == hashlib.sha256(body).hexdigest() and doc["size"] == len(body)
    # Two triggers, one run: the notification is handled without running the pipeline again.
    wait_until(lambda: handled(aws, up["evidence_id"], "skipped") + duplicates(aws, up["evidence_id"]) == 1, timeout=20,
               message=lambda: f"the S3 notification was not handled: {sqs_depth(aws.env)}")
    assert handled(aws, up["evidence_id"], "done") == 1


def test_a_poison_message_goes_to_the_dlq_and_is_processed_after_the_fix_and_redrive(aws: Deployment) -> None:
    aws.worker()
    lawyer, env = aws.lawyer, aws.env
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "DLQ 사건"})
    body = KAKAO.encode()
    up = presign(lawyer, case["id"], body)
    doc = lawyer.data("GET", f"/api/evidence/{up['evidence_id']}")
    # An event for an object that is not there (yet): every attempt fails with OBJECT_MISSING.
    sqs: Any = moto.client("sqs")
    sqs.send_message(QueueUrl=env["LEH_SQS_QUEUE_URL"], MessageBody=json.dumps(object_created(doc["object_key"], len(body))))
    failed = lawyer.wait_status(up["evidence_id"], {"failed", "done"}, timeout=60)
    assert failed["status"] == "failed" and failed["error"]["code"] == "OBJECT_MISSING"
    assert failed["attempts"] == 2  # LEH_QUEUE_MAX_ATTEMPTS
    dead = wait_until(lambda: [d for d in dead_letters(aws) if d["evidence_id"] == up["evidence_id"]], timeout=15,
                      message="the poison message never reached the DLQ")
    assert [d["reason"] for d in dead] == ["OBJECT_MISSING"]

    # The fix: the file arrives. Its notification finds the evidence failed and changes nothing by itself.
    post_to_s3(up, body)
    wait_until(lambda: handled(aws, up["evidence_id"], "skipped") == 1, timeout=20,
               message=lambda: f"notification not handled: {sqs_depth(env)}")
    assert lawyer.data("GET", f"/api/evidence/{up['evidence_id']}")["status"] == "failed"

    # Runbook A, 진단 2: the DLQ depth as SQS reports it, in `leh ops diagnose`.
    diag = leh_cli(env, aws.procs.data_dir, "ops", "diagnose", "--json")
    report = json.loads(diag.stdout)
    assert diag.returncode == 1 and report["queue"]["dlq"] == 1, diag.stderr[-2000:]
    assert any(f["status"] == "fail" and "DLQ" in f["title"] for f in report["findings"]), report["findings"]

    out = leh_cli(env, aws.procs.data_dir, "ops", "redrive", "--json")
    assert out.returncode == 0 and json.loads(out.stdout) == {"redriven": 1}, out.stderr[-2000:]
    done = lawyer.wait_status(up["evidence_id"], {"done"}, timeout=60)
    assert done["error"] is None and done["segments"][0]["text"] == "생활비는 언제 보내줄 거야?"
    assert not [d for d in dead_letters(aws) if d["evidence_id"] == up["evidence_id"]]


def test_a_worker_killed_mid_item_is_replaced_and_the_item_finishes_once(aws: Deployment) -> None:
    aws.worker()
    lines = "".join(f"[{'김영희' if n % 2 else '홍길동'}] [오후 10:{n % 60:02d}] 생활비 {n}만원 보내라고 몇 번을 말해\n"
                    for n in range(8_000))
    body = (KAKAO_HEAD + lines).encode()
    lawyer, env = aws.lawyer, aws.env
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "중단 사건"})
    up = presign(lawyer, case["id"], body)
    post_to_s3(up, body)
    lawyer.wait_status(up["evidence_id"], {"processing"}, timeout=30)
    [worker] = [w for w in aws.procs.workers if w.poll() is None]
    worker.kill()  # SIGKILL: no clean-up, the message stays in flight until its visibility runs out
    worker.wait(10)
    assert sqs_depth(env)["in_flight"] == 1
    wait_until(lambda: sqs_depth(env)["visible"] == 1, timeout=15,
               message=lambda: f"message did not come back after the visibility timeout: {sqs_depth(env)}")
    aws.worker()
    done = lawyer.wait_status(up["evidence_id"], {"done", "failed"}, timeout=90)
    assert done["status"] == "done", done["error"]
    assert [h["status"] for h in done["status_history"]].count("done") == 1
    assert done["attempts"] == 2 and done["segments_total"] == 8_000  # the detail answers a page of them
    wait_until(lambda: drained(env), timeout=15, message=lambda: f"queue not drained: {sqs_depth(env)}")
