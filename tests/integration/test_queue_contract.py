"""The Queue contract, on the embedded SQLite queue and on SQS + DLQ (moto_server over HTTP), in real time.

Both must keep the same promises to the worker: long polling, visibility (and its extension by the heartbeat),
delays, delete, dead letters with their reason, the DLQ after too many receives, redrive, depth.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from leh.adapters.sqlite_queue import SqliteQueue
from leh.adapters.sqs_queue import SqsQueue
from leh.ports import Queue
from tests.support import moto
from tests.support.wait import wait_until

MAX_RECEIVES = 2


def sqs_pair(max_receives: int = MAX_RECEIVES) -> tuple[str, str]:
    """A fresh main queue and DLQ on moto, the main queue's RedrivePolicy set as `leh ops setup-aws` does."""
    sqs: Any = moto.client("sqs")
    name = moto.unique_name()
    dlq = sqs.create_queue(QueueName=name + "-dlq")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": max_receives})
    main = sqs.create_queue(QueueName=name, Attributes={"RedrivePolicy": policy})["QueueUrl"]
    return main, dlq


@pytest.fixture(params=["sqlite", "sqs"])
def queue(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Queue]:
    if request.param == "sqlite":
        yield SqliteQueue(tmp_path / "q.db", visibility_seconds=30, max_receive_count=MAX_RECEIVES)
    else:
        main, dlq = sqs_pair()
        yield SqsQueue(main, dlq, endpoint_url=moto.endpoint_url(), region=moto.REGION, visibility_seconds=30)


def test_send_receive_delete(queue: Queue) -> None:
    mid = queue.send({"Records": [{"n": 1}], "text": "한글"})
    [m] = queue.receive(wait_seconds=1)
    assert (m.id, m.body, m.receive_count) == (mid, {"Records": [{"n": 1}], "text": "한글"}, 1)
    assert queue.receive() == []  # invisible while held
    assert queue.depth()["in_flight"] == 1
    queue.delete(m.receipt)
    assert queue.depth() == {"visible": 0, "in_flight": 0, "delayed": 0, "dlq": 0}


def test_an_unacknowledged_message_comes_back_after_the_visibility_timeout(queue: Queue) -> None:
    mid = queue.send({"n": 2})
    [first] = queue.receive(visibility_seconds=1)
    assert queue.receive() == []
    again = wait_until(lambda: queue.receive(), timeout=5, interval=0.2, message="message never came back")
    assert (again[0].id, again[0].receive_count) == (mid, 2) and again[0].receipt != first.receipt


def test_the_heartbeat_keeps_a_long_item_invisible_and_zero_releases_it(queue: Queue) -> None:
    queue.send({"n": 3})
    [m] = queue.receive(visibility_seconds=1)
    queue.change_visibility(m.receipt, 30)  # what the worker's heartbeat does while the item runs
    time.sleep(1.6)
    assert queue.receive() == [] and queue.depth()["in_flight"] == 1
    queue.change_visibility(m.receipt, 0)  # what the watchdog does for a dead worker's item
    [back] = queue.receive(wait_seconds=1)
    assert back.id == m.id and back.receive_count == 2


def test_delayed_send_and_long_polling(queue: Queue) -> None:
    queue.send({"n": 4}, delay_seconds=1)
    assert queue.depth()["delayed"] == 1 and queue.receive() == []
    [m] = queue.receive(wait_seconds=3)
    assert m.body == {"n": 4}
    threading.Timer(0.5, lambda: queue.send({"n": 5})).start()
    start = time.monotonic()
    [late] = queue.receive(wait_seconds=5)
    assert late.body == {"n": 5} and time.monotonic() - start < 4  # answered on arrival, not at the end


def test_dead_letter_keeps_body_and_reason(queue: Queue) -> None:
    queue.send({"n": 6})
    [m] = queue.receive()
    queue.dead_letter(m.receipt, "OBJECT_MISSING")
    assert queue.receive(wait_seconds=1) == []
    [dead] = queue.dlq_messages()
    assert (dead["body"], dead["reason"]) == ({"n": 6}, "OBJECT_MISSING")
    assert dead["dead_at"] is not None and abs(dead["dead_at"] - time.time()) < 60
    assert queue.depth()["dlq"] == 1
    assert len(queue.dlq_messages()) == 1  # looking does not consume


def test_too_many_receives_land_in_the_dlq(queue: Queue) -> None:
    queue.send({"n": 7})
    for n in range(1, MAX_RECEIVES + 1):
        [m] = queue.receive(visibility_seconds=0)
        assert m.receive_count == n
    assert queue.receive(visibility_seconds=0) == []  # the next receive moves it instead of handing it out
    [dead] = queue.dlq_messages()
    assert dead["body"] == {"n": 7} and dead["reason"] == "MAX_RECEIVES_EXCEEDED"
    assert queue.depth()["dlq"] == 1


def test_redrive_selected_then_all_with_fresh_receive_counts(queue: Queue) -> None:
    for n in (10, 11, 12):
        queue.send({"n": n})
    for m in queue.receive(max_messages=10, wait_seconds=1) + queue.receive(max_messages=10, wait_seconds=1):
        queue.dead_letter(m.receipt, "INTERNAL_ERROR")
    dead = {d["body"]["n"]: d["id"] for d in queue.dlq_messages()}
    assert sorted(dead) == [10, 11, 12]
    assert queue.redrive([dead[11]]) == 1
    [back] = queue.receive(wait_seconds=1)
    assert back.body == {"n": 11} and back.receive_count == 1
    assert sorted(d["body"]["n"] for d in queue.dlq_messages()) == [10, 12]
    queue.delete(back.receipt)
    assert queue.redrive() == 2
    assert queue.depth()["dlq"] == 0
    got = queue.receive(max_messages=10, wait_seconds=1)
    got += queue.receive(max_messages=10, wait_seconds=1) if len(got) < 2 else []
    assert sorted(m.body["n"] for m in got) == [10, 12] and {m.receive_count for m in got} == {1}


def test_the_dlq_listing_waits_out_another_readers_peek() -> None:
    # `leh ops dlq` and `diagnose` run at once: one's peek hides the dead letters for a moment from the other.
    main, dlq = sqs_pair()
    queue = SqsQueue(main, dlq, endpoint_url=moto.endpoint_url(), region=moto.REGION, visibility_seconds=30)
    queue.send({"n": 8})
    [m] = queue.receive()
    queue.dead_letter(m.receipt, "OBJECT_MISSING")
    sqs: Any = moto.client("sqs")
    held = sqs.receive_message(QueueUrl=dlq, VisibilityTimeout=2, WaitTimeSeconds=1)["Messages"]  # another reader
    assert len(held) == 1
    assert [d["reason"] for d in queue.dlq_messages()] == ["OBJECT_MISSING"]
