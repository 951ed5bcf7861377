"""`leh ops setup-aws` on moto_server: --check reports what is missing (exit 1), a run creates it, --check then passes;
a queue whose redrive policy was changed by hand, or a bucket whose notification was removed, is reported and repaired.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from leh.config import Settings
from leh.container import Container
from leh.services.ops.aws_setup import setup_aws as run
from tests.support import moto
from tests.support.live import REPO, leh_env
from tests.support.moto import aws_settings


def setup_aws(tmp_path: Path, env: dict[str, str], *args: str) -> tuple[int, dict[str, Any]]:
    out = subprocess.run([sys.executable, "-m", "leh", "ops", "setup-aws", *args, "--json"], cwd=REPO, timeout=120,
                         env=leh_env(tmp_path / "var", **env), capture_output=True, text=True)
    assert out.stdout.strip(), out.stderr[-3000:]
    return out.returncode, json.loads(out.stdout)


def setup_in_process(tmp_path: Path, env: dict[str, str], *, check_only: bool = False) -> dict[str, Any]:
    """The same service the command calls, without the cost of another process."""
    settings = Settings(**{k[4:].lower(): v for k, v in env.items()}, data_dir=tmp_path / "var")  # type: ignore[arg-type]
    c = Container(settings)
    return run(settings, bucket=c.bucket_setup, queues=c.queue_setup, lifecycle=c.tmp_lifecycle, check_only=check_only)


def marks(report: dict[str, Any]) -> dict[str, str]:
    return {f["check"]: f["status"] for f in report["findings"]}


def test_check_create_check_then_repair_drift(tmp_path: Path) -> None:
    env = aws_settings(LEH_PUBLIC_URL="https://leh.example.kr", LEH_QUEUE_MAX_ATTEMPTS="3", LEH_TMP_TTL_HOURS="48")
    code, report = setup_aws(tmp_path, env, "--check")
    assert code == 1 and report["ok"] is False and report["level"] == "Lv1" and report["mode"] == "check"
    assert marks(report) == {"sqs.dlq": "fail", "sqs.queue": "fail", "s3.bucket": "fail"}
    sqs: Any = moto.client("sqs")
    s3: Any = moto.client("s3")
    assert sqs.list_queues(QueueNamePrefix=env["LEH_S3_BUCKET"]).get("QueueUrls") is None  # --check changed nothing

    report = setup_in_process(tmp_path, env)
    assert report["ok"] and report["mode"] == "apply", report
    assert set(marks(report).values()) == {"ok"} and len(report["findings"]) == 11
    main, dlq = env["LEH_SQS_QUEUE_URL"], env["LEH_SQS_DLQ_URL"]
    attrs = sqs.get_queue_attributes(QueueUrl=main, AttributeNames=["All"])["Attributes"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    assert json.loads(attrs["RedrivePolicy"]) == {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 4}
    [grant] = json.loads(attrs["Policy"])["Statement"]
    assert grant["Principal"] == {"Service": "s3.amazonaws.com"} and grant["Action"] == "sqs:SendMessage"
    assert grant["Condition"] == {"ArnLike": {"aws:SourceArn": f"arn:aws:s3:::{env['LEH_S3_BUCKET']}"}}
    bucket = env["LEH_S3_BUCKET"]
    [note] = s3.get_bucket_notification_configuration(Bucket=bucket)["QueueConfigurations"]
    assert note["QueueArn"] == attrs["QueueArn"] and note["Events"] == ["s3:ObjectCreated:*"]
    assert note["Filter"]["Key"]["FilterRules"] == [{"Name": "Prefix", "Value": "cases/"}] or \
        note["Filter"]["Key"]["FilterRules"] == [{"Name": "prefix", "Value": "cases/"}]
    sse = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert sse["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    [rule] = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert rule["Filter"] == {"Prefix": "tmp/"} and rule["Expiration"] == {"Days": 2}
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] == 1  # tmp/ leaves no old versions behind
    [cors] = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert cors["AllowedOrigins"] == ["https://leh.example.kr"] and cors["AllowedMethods"] == ["POST"]
    assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values())
    # S3 proved the notification works with its test event, which the worker drops silently.
    [hello] = sqs.receive_message(QueueUrl=main, WaitTimeSeconds=1)["Messages"]
    assert json.loads(hello["Body"])["Event"] == "s3:TestEvent"

    # Drift: someone loosened the redrive policy and removed the notification.
    # (moto forgets a queue's Policy on any SetQueueAttributes without it, so it is sent along unchanged)
    sqs.set_queue_attributes(QueueUrl=main, Attributes={"Policy": attrs["Policy"], "RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 50})})
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={})
    report = setup_in_process(tmp_path, env, check_only=True)
    assert not report["ok"] and {k for k, v in marks(report).items() if v == "fail"} == {"sqs.redrive_policy", "s3.notification"}
    assert report["steps"] == ["leh ops setup-aws 로 생성·수정하세요 (--check 없이 실행)."]
    assert setup_in_process(tmp_path, env)["ok"]
    code, report = setup_aws(tmp_path, env, "--check")
    assert code == 0 and set(marks(report).values()) == {"ok"}


def test_a_bucket_without_versioning_is_a_lv3_finding_and_is_versioned_by_a_run(tmp_path: Path) -> None:
    """Without versioning, a presigned POST that S3 still accepts after upload-complete replaces a confirmed
    original for good (issue #15 High 2): `--check` says so as Lv3, a run turns versioning on."""
    env = aws_settings(LEH_PUBLIC_URL="https://leh.example.kr")
    assert setup_in_process(tmp_path, env)["ok"]
    s3: Any = moto.client("s3")
    bucket = env["LEH_S3_BUCKET"]
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})  # turned off by hand
    code, report = setup_aws(tmp_path, env, "--check")
    assert code == 1 and report["level"] == "Lv3" and {k for k, v in marks(report).items() if v == "fail"} == {"s3.versioning"}
    [finding] = [f for f in report["findings"] if f["check"] == "s3.versioning"]
    assert "버전 관리가 꺼져" in finding["summary"] and finding["action"]
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Suspended"  # --check changed nothing
    assert marks(setup_in_process(tmp_path, env))["s3.versioning"] == "ok"
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"


def test_a_bucket_without_a_queue_is_set_up_and_the_missing_notification_is_only_a_warning(tmp_path: Path) -> None:
    env = {k: v for k, v in aws_settings().items() if not k.startswith("LEH_SQS_")}
    report = setup_in_process(tmp_path, env)
    assert report["ok"] and marks(report)["s3.notification"] == "warn" and marks(report)["sqs.queue"] == "warn"
    assert marks(report)["s3.bucket"] == "ok" and marks(report)["s3.cors"] == "warn"  # no LEH_PUBLIC_URL
    s3: Any = moto.client("s3")
    assert s3.get_bucket_notification_configuration(Bucket=env["LEH_S3_BUCKET"]).get("QueueConfigurations") is None


def test_the_dynamodb_evidence_table_is_created_and_checked(tmp_path: Path) -> None:
    env = aws_settings(LEH_DYNAMODB_TABLE=moto.unique_name("evidence"), LEH_DYNAMODB_ENDPOINT_URL=moto.endpoint_url())
    code, report = setup_aws(tmp_path, env, "--check")
    assert code == 1 and marks(report)["dynamodb.table"] == "fail"
    dynamo: Any = moto.client("dynamodb")
    assert env["LEH_DYNAMODB_TABLE"] not in dynamo.list_tables()["TableNames"]  # --check created nothing
    code, report = setup_aws(tmp_path, env)
    assert code == 0 and marks(report)["dynamodb.table"] == "ok", report
    table = dynamo.describe_table(TableName=env["LEH_DYNAMODB_TABLE"])["Table"]
    assert {k["AttributeName"]: k["KeyType"] for k in table["KeySchema"]} == {"case_id": "HASH", "evidence_id": "RANGE"}
    code, report = setup_aws(tmp_path, env, "--check")
    assert code == 0 and report["ok"] and marks(report)["dynamodb.table"] == "ok"
