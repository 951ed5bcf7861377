"""The worker understands S3's own event notifications as well as LEH's upload-complete messages."""

from __future__ import annotations

import json
import logging
from urllib.parse import quote_plus

import pytest

from leh.container import Container
from leh.domain.events import is_test_event, mark_waited, object_created, parse_events
from leh.pipeline.worker import Worker

CASE, EVID = "0f4c2a0e-1111-4222-8333-944445555666", "9a8b7c6d-1111-4222-8333-944445555666"
KEY = f"cases/{CASE}/raw/{EVID}_카톡 대화 (1).txt"


def s3_notification(key: str, size: int = 42) -> dict[str, object]:
    """What S3 sends for a presigned POST upload: the key URL-encoded the way S3 does it."""
    return {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "ap-northeast-2",
                         "eventName": "ObjectCreated:Post",
                         "s3": {"bucket": {"name": "leh-evidence"},
                                "object": {"key": quote_plus(key, safe="/"), "size": size, "eTag": "abc"}}}]}


def test_an_s3_notification_names_the_evidence_with_its_decoded_key() -> None:
    [event] = parse_events(s3_notification(KEY))
    assert (event.key, event.case_id, event.evidence_id, event.size) == (KEY, CASE, EVID, 42)


def test_leh_upload_complete_and_s3_notification_announce_the_same_evidence() -> None:
    [own] = parse_events(object_created(KEY, 42, sha256="f" * 64))
    [s3] = parse_events(s3_notification(KEY))
    assert (own.case_id, own.evidence_id, own.key) == (s3.case_id, s3.evidence_id, s3.key)
    assert own.sha256 == "f" * 64 and s3.sha256 is None


def test_the_s3_test_event_and_objects_outside_raw_announce_nothing() -> None:
    test_event = {"Service": "Amazon S3", "Event": "s3:TestEvent", "Time": "2026-12-06T10:00:00.000Z", "Bucket": "b"}
    assert is_test_event(test_event) and parse_events(test_event) == []
    assert parse_events(s3_notification(f"tmp/{EVID}.part")) == []
    assert parse_events(s3_notification(f"processed/{EVID}.json")) == []
    removed = s3_notification(KEY)
    removed["Records"][0]["eventName"] = "ObjectRemoved:Delete"  # type: ignore[index]
    assert parse_events(removed) == [] and not is_test_event(removed)


def test_an_s3_event_relayed_through_sns_is_unwrapped() -> None:
    envelope = {"Type": "Notification", "TopicArn": "arn:aws:sns:ap-northeast-2:1:leh", "Message": json.dumps(s3_notification(KEY))}
    [event] = parse_events(envelope)
    assert event.evidence_id == EVID
    assert is_test_event({"Type": "Notification", "Message": json.dumps({"Event": "s3:TestEvent"})})
    assert parse_events({"Type": "Notification", "Message": "not json"}) == []


def test_the_worker_drops_the_test_event_quietly_and_other_strangers_with_a_warning(
        container: Container, caplog: pytest.LogCaptureFixture) -> None:
    worker = Worker(container, worker_id="t")
    container.queue.send({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "leh-evidence"})
    with caplog.at_level(logging.DEBUG, logger="leh.worker"):
        assert worker.run_once() == 1
    assert container.queue.depth()["visible"] == 0 and container.queue.depth()["in_flight"] == 0
    assert [r.levelname for r in caplog.records if r.name == "leh.worker"] == ["DEBUG"]
    caplog.clear()
    container.queue.send({"unparsed": True})
    with caplog.at_level(logging.DEBUG, logger="leh.worker"):
        assert worker.run_once() == 1
    assert [r.levelname for r in caplog.records if r.name == "leh.worker"] == ["WARNING"]
    assert container.queue.depth()["visible"] == 0


def test_a_held_back_notification_is_marked_and_still_names_the_evidence() -> None:
    [fresh] = parse_events(s3_notification(KEY))
    envelope = {"Type": "Notification", "Message": json.dumps(s3_notification(KEY))}
    [again] = parse_events(mark_waited(envelope))
    assert (fresh.waited, again.waited, again.source, again.evidence_id) == (False, True, "aws:s3", EVID)


def test_a_notification_from_a_versioned_bucket_names_the_version_written() -> None:
    """S3 puts `versionId` in the record on a versioned bucket: the worker compares it with the version LEH
    recorded at confirmation (a later one is an integrity event, leh.services.integrity.newer_version)."""
    body = s3_notification(KEY)
    body["Records"][0]["s3"]["object"]["versionId"] = "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"  # type: ignore[index]
    [event] = parse_events(body)
    assert event.version == "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"
    [unversioned] = parse_events(s3_notification(KEY))
    assert unversioned.version is None
    [own] = parse_events(object_created(KEY, 42))
    assert own.version is None
