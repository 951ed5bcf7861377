"""Two triggers for one upload (S3's notification and upload-complete): the second never runs the pipeline again
while a live worker is on the item, but a dead holder's own redelivered message is still processed."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import UTC, datetime, timedelta

from leh.container import Container
from leh.domain.events import object_created
from leh.domain.evidence import EvidenceStatus, new_evidence_doc, transition
from leh.models import WorkerHeartbeat
from leh.pipeline.worker import Worker


def _held_by(c: Container, holder: str, *, silent_for: float) -> dict[str, object]:
    doc = new_evidence_doc(case_id=str(uuid.uuid4()), evidence_id=str(uuid.uuid4()), filename="chat.txt", size=3,
                           uploaded_by="u")
    transition(doc, EvidenceStatus.QUEUED)
    transition(doc, EvidenceStatus.PROCESSING, stage="extract", worker_id=holder)
    c.evidence.put(doc)
    with c.sessions() as db:
        db.add(WorkerHeartbeat(worker_id=holder, host=socket.gethostname(), pid=os.getpid(),
                               heartbeat_at=datetime.now(UTC) - timedelta(seconds=silent_for),
                               current_evidence_id=doc["evidence_id"]))
        db.commit()
    return doc


def test_a_second_event_for_an_item_a_live_worker_holds_is_dropped_unrun(container: Container) -> None:
    doc = _held_by(container, "holder-1", silent_for=0)
    container.queue.send(object_created(str(doc["object_key"]), 3, reason="upload"))
    assert Worker(container, worker_id="me").run_once() == 1
    after = container.evidence.get(str(doc["evidence_id"]))
    assert after is not None and (after["status"], after["worker_id"], after["attempts"]) == ("processing", "holder-1", 0)
    assert container.queue.depth() == {"visible": 0, "in_flight": 0, "delayed": 0, "dlq": 0}


def test_the_message_of_a_holder_silent_past_the_visibility_timeout_is_processed(container: Container) -> None:
    # Its heartbeat stopped extending the message long enough for the message to come back: it may be its own.
    doc = _held_by(container, "holder-2", silent_for=container.settings.queue_visibility_seconds + 1)
    container.queue.send(object_created(str(doc["object_key"]), 3, reason="upload"))
    assert Worker(container, worker_id="me").run_once() == 1
    after = container.evidence.get(str(doc["evidence_id"]))
    # The object is not there: the attempt ran (and will be retried), it was not dropped as a duplicate.
    assert after is not None and after["attempts"] == 1 and after["error"]["code"] == "OBJECT_MISSING"
    assert container.queue.depth()["delayed"] + container.queue.depth()["in_flight"] == 1


def test_an_s3_notification_waits_once_for_upload_complete_then_runs_anyway(container: Container) -> None:
    doc = new_evidence_doc(case_id=str(uuid.uuid4()), evidence_id=str(uuid.uuid4()), filename="chat.txt", size=3,
                           uploaded_by="u")
    container.evidence.put(doc)
    s3_event = {"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Post",
                             "s3": {"bucket": {"name": "b"}, "object": {"key": doc["object_key"], "size": 3}}}]}
    container.queue.send(s3_event)
    worker = Worker(container, worker_id="me")
    assert worker.run_once() == 1
    first = container.evidence.get(doc["evidence_id"])
    assert first is not None and (first["status"], first["attempts"]) == ("uploading", 0)  # left for upload-complete
    assert container.queue.depth() == {"visible": 0, "in_flight": 0, "delayed": 1, "dlq": 0}  # a copy, for later
    [copy] = container.queue.receive(wait_seconds=3, visibility_seconds=0)
    assert copy.receive_count == 1  # waiting cost no attempt
    assert worker.run_once(wait_seconds=1) == 1  # the client never confirmed: the copy runs it
    second = container.evidence.get(doc["evidence_id"])
    assert second is not None and second["attempts"] == 1 and second["error"]["code"] == "OBJECT_MISSING"


def test_an_item_finished_by_another_worker_meanwhile_is_no_failure(container: Container, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A watchdog handed the item to a live worker that finished first: this worker's late write loses the status
    race (Conflict). The item stays done, nothing is retried or dead-lettered."""
    from leh.domain.errors import Conflict

    doc = new_evidence_doc(case_id=str(uuid.uuid4()), evidence_id=str(uuid.uuid4()), filename="chat.txt", size=3,
                           uploaded_by="u")
    transition(doc, EvidenceStatus.QUEUED)
    container.evidence.put(doc)
    container.queue.send(object_created(str(doc["object_key"]), 3, reason="upload"))
    worker = Worker(container, worker_id="me")

    def finished_elsewhere(event: object) -> str:
        container.evidence.mutate(str(doc["evidence_id"]), lambda d: transition(transition(d, "processing"), "done"))
        raise Conflict("EVIDENCE_STATE_CHANGED")

    monkeypatch.setattr(worker.processor, "process", finished_elsewhere)
    assert worker.run_once() == 1
    after = container.evidence.get(str(doc["evidence_id"]))
    assert after is not None and after["status"] == "done" and after.get("error") is None
    assert container.queue.depth() == {"visible": 0, "in_flight": 0, "delayed": 0, "dlq": 0}


def test_an_item_the_watchdog_took_back_mid_work_goes_back_on_the_queue(container: Container, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Found by tests/reliability: a live worker whose heartbeat went silent (a loaded machine) was declared dead;
    the watchdog set its item `queued` again and this worker's late write lost the race. The worker then deleted
    the message, and the evidence stayed `queued` forever. Now the message goes back on the queue and is run."""
    from leh.domain.errors import Conflict

    doc = new_evidence_doc(case_id=str(uuid.uuid4()), evidence_id=str(uuid.uuid4()), filename="chat.txt", size=3,
                           uploaded_by="u")
    transition(doc, EvidenceStatus.QUEUED)
    container.evidence.put(doc)
    container.queue.send(object_created(str(doc["object_key"]), 3, reason="upload"))
    worker = Worker(container, worker_id="me")
    real_process = worker.processor.process
    calls: list[str] = []

    def taken_back(event: object) -> str:
        calls.append("taken back")
        container.evidence.mutate(str(doc["evidence_id"]), lambda d: transition(
            transition(d, "processing", worker_id="me"), "queued", worker_id=None))  # what the watchdog does
        if len(calls) == 1:
            raise Conflict("EVIDENCE_STATE_CHANGED")  # the late write at the index stage
        return "skipped"  # or at the very end: finish() finds it no longer processing

    monkeypatch.setattr(worker.processor, "process", taken_back)
    for _ in range(2):
        assert worker.run_once() == 1
        assert container.queue.depth() == {"visible": 1, "in_flight": 0, "delayed": 0, "dlq": 0}
    monkeypatch.setattr(worker.processor, "process", real_process)
    assert worker.run_once() == 1  # the redelivery runs the pipeline (the object is missing here: a retry)
    after = container.evidence.get(str(doc["evidence_id"]))
    assert after is not None and after["error"]["code"] == "OBJECT_MISSING" and calls == ["taken back"] * 2
