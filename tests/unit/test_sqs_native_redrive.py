"""Redrive on a server that has StartMessageMoveTask (real SQS): the exact call, against a recording server.

moto answers StartMessageMoveTask with HTTP 500, so the native path is checked here for what it sends, and the
fallback for when the server says it cannot (UnsupportedOperation) — the moto contract test runs the fallback for real.
"""

from __future__ import annotations

import json
from typing import Any

from leh.adapters.sqs_queue import SqsQueue
from tests.support.http_stub import StubRequest, json_http_server

MAIN, DLQ = "https://sqs.ap-northeast-2.amazonaws.com/111122223333/leh-events", "https://sqs.ap-northeast-2.amazonaws.com/111122223333/leh-events-dlq"
ARN = {MAIN: "arn:aws:sqs:ap-northeast-2:111122223333:leh-events", DLQ: "arn:aws:sqs:ap-northeast-2:111122223333:leh-events-dlq"}


class SqsStub:
    """Answers the SQS JSON protocol (X-Amz-Target: AmazonSQS.<Action>) and records every call."""

    def __init__(self, *, native: bool, dead: list[dict[str, Any]] | None = None):
        self.native = native
        self.dead = list(dead or [])
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, req: StubRequest) -> tuple[int, Any]:
        action = req.headers["x-amz-target"].split(".", 1)[1]
        body = req.json()
        self.calls.append((action, body))
        if action == "GetQueueAttributes":
            return 200, {"Attributes": {"QueueArn": ARN[body["QueueUrl"]], "ApproximateNumberOfMessages": "3",
                                        "ApproximateNumberOfMessagesNotVisible": "0", "ApproximateNumberOfMessagesDelayed": "0"}}
        if action == "StartMessageMoveTask":
            if self.native:
                return 200, {"TaskHandle": "task-1"}
            return 400, {"__type": "com.amazonaws.sqs#UnsupportedOperation", "message": "not here"}
        if action == "ReceiveMessage":
            batch, self.dead = self.dead, []
            return 200, {"Messages": batch} if batch else {}
        if action in ("SendMessage", "DeleteMessage", "ChangeMessageVisibilityBatch"):
            return 200, {"MessageId": "new-1", "MD5OfMessageBody": "x"} if action == "SendMessage" else {}
        return 400, {"__type": "com.amazonaws.sqs#InvalidAction", "message": action}


def _queue(url: str) -> SqsQueue:
    return SqsQueue(MAIN, DLQ, endpoint_url=url, region="ap-northeast-2")


def test_redrive_all_asks_sqs_to_move_the_dlq_back_to_the_main_queue(monkeypatch: Any) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    stub = SqsStub(native=True)
    with json_http_server(stub) as url:
        assert _queue(url).redrive() == 3  # the DLQ depth when the task started
    [(action, body)] = [c for c in stub.calls if c[0] == "StartMessageMoveTask"]
    assert body == {"SourceArn": ARN[DLQ], "DestinationArn": ARN[MAIN]}
    assert not any(a in ("ReceiveMessage", "SendMessage") for a, _ in stub.calls)  # SQS moved them itself


def test_without_the_native_move_it_receives_resends_and_deletes(monkeypatch: Any) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    body = json.dumps({"Records": [{"eventName": "ObjectCreated:Put"}]})
    stub = SqsStub(native=False, dead=[{"MessageId": "m-1", "ReceiptHandle": "r-1", "Body": body, "MD5OfBody": "x"}])
    with json_http_server(stub) as url:
        q = _queue(url)
        assert q.redrive() == 1
        actions = [a for a, _ in stub.calls]
        assert actions.index("StartMessageMoveTask") < actions.index("SendMessage") < actions.index("DeleteMessage")
        sent = next(b for a, b in stub.calls if a == "SendMessage")
        deleted = next(b for a, b in stub.calls if a == "DeleteMessage")
        assert (sent["QueueUrl"], sent["MessageBody"]) == (MAIN, body)
        assert deleted == {"QueueUrl": DLQ, "ReceiptHandle": "r-1"}
        stub.calls.clear()
        assert q.redrive() == 0  # the server said no once: it is not asked again
        assert "StartMessageMoveTask" not in [a for a, _ in stub.calls]


def test_selected_ids_never_use_the_native_move(monkeypatch: Any) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    dead = [{"MessageId": f"m-{n}", "ReceiptHandle": f"r-{n}", "Body": "{}", "MD5OfBody": "x"} for n in (1, 2)]
    stub = SqsStub(native=True, dead=dead)
    with json_http_server(stub) as url:
        assert _queue(url).redrive(["m-2"]) == 1
    assert "StartMessageMoveTask" not in [a for a, _ in stub.calls]
    assert [b["ReceiptHandle"] for a, b in stub.calls if a == "DeleteMessage"] == ["r-2"]
    [unhide] = [b for a, b in stub.calls if a == "ChangeMessageVisibilityBatch"]
    assert [(e["ReceiptHandle"], e["VisibilityTimeout"]) for e in unhide["Entries"]] == [("r-1", 0)]
