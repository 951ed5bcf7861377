"""The container builds the S3 and SQS adapters from LEH_* settings instead of refusing them."""

from __future__ import annotations

from pathlib import Path

import pytest

from leh.adapters.local_objects import LocalObjectStore
from leh.adapters.s3_objects import S3BucketSetup, S3ObjectStore
from leh.adapters.sqlite_queue import SqliteQueue
from leh.adapters.sqs_queue import SqsQueue, SqsQueueSetup, queue_name
from leh.config import Settings
from leh.container import Container

MAIN = "https://sqs.ap-northeast-2.amazonaws.com/111122223333/leh-events"


def test_s3_and_sqs_settings_choose_the_scale_out_adapters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    c = Container(Settings(data_dir=tmp_path, s3_bucket="leh-evidence", sqs_queue_url=MAIN, sqs_dlq_url=MAIN + "-dlq",
                           queue_visibility_seconds=77, s3_kms_key_id="alias/leh"))
    assert isinstance(c.objects, S3ObjectStore) and c.objects.bucket == "leh-evidence"
    assert c.objects.encryption_fields["x-amz-server-side-encryption"] == "aws:kms"
    assert isinstance(c.queue, SqsQueue)
    assert (c.queue.queue_url, c.queue.dlq_url, c.queue.visibility_seconds) == (MAIN, MAIN + "-dlq", 77)
    assert isinstance(c.bucket_setup, S3BucketSetup) and isinstance(c.queue_setup, SqsQueueSetup)
    assert c.tmp_lifecycle is not None


def test_the_embedded_defaults_need_no_aws(tmp_path: Path) -> None:
    c = Container(Settings(data_dir=tmp_path))
    assert isinstance(c.objects, LocalObjectStore) and isinstance(c.queue, SqliteQueue)
    assert c.bucket_setup is None and c.queue_setup is None


def test_a_queue_without_its_dlq_is_refused_with_what_to_set(tmp_path: Path) -> None:
    c = Container(Settings(data_dir=tmp_path, sqs_queue_url=MAIN))
    with pytest.raises(RuntimeError, match="LEH_SQS_DLQ_URL"):
        _ = c.queue


def test_a_queue_is_named_by_the_last_segment_of_its_url() -> None:
    assert queue_name(MAIN) == "leh-events" and queue_name("http://127.0.0.1:5000/123456789012/q-dlq/") == "q-dlq"
