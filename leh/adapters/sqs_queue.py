"""The queue on Amazon SQS with its dead-letter queue (`LEH_SQS_QUEUE_URL`, `LEH_SQS_DLQ_URL`).

Same promises as the embedded `SqliteQueue`:
- `receive` long-polls (WaitTimeSeconds, at most 20 s per call) and returns the SQS receive count;
- visibility is SQS's own; `change_visibility` is how the worker's heartbeat keeps a long item invisible and how
  a failed attempt is delayed (backoff);
- a message received more than `maxReceiveCount` times is moved to the DLQ by SQS itself (the main queue's
  `RedrivePolicy`, installed by `leh ops setup-aws`); the worker's own `dead_letter` sends the body to the DLQ
  with the reason as message attributes and deletes it from the main queue;
- `dlq_messages` peeks (receives with a short visibility, then makes them visible again);
- `redrive` of the whole DLQ uses `StartMessageMoveTask` where the server has it; selected ids, or a server
  without it (moto, some S3-compatible stacks, missing permission), go by receive → resend → delete.
Messages are JSON; S3 event notifications arrive as the JSON S3 sends (see `leh.domain.events`).
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlparse

from leh.ports import Message

log = logging.getLogger("leh.queue")

MAX_WAIT_SECONDS = 20  # SQS long polling limit per call
MAX_DELAY_SECONDS = 900
MAX_VISIBILITY_SECONDS = 12 * 3600
_PEEK_SECONDS = 30  # how long a peeked/redriven DLQ message stays hidden from the next receive of the same sweep
_PEEK_RETRIES, _PEEK_RETRY_SECONDS = 8, 0.5  # while another reader's peek hides the dead letters
_IN_HAND_MAX = 1000
_ATTR_REASON, _ATTR_DEAD_AT, _ATTR_RECEIVES = "leh_reason", "leh_dead_at", "leh_receive_count"
# Errors that mean "this server cannot move messages for us": fall back to receive-and-resend.
_NO_NATIVE_MOVE = {"UnsupportedOperation", "InvalidAction", "AccessDenied", "AccessDeniedException", "InternalError",
                   "InternalFailure", "NotImplemented", "UnknownOperationException", "500", "501"}


def queue_name(url: str) -> str:
    """A queue's name: the last path segment of its URL."""
    return urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]


def sqs_client(*, endpoint_url: str | None, region: str | None) -> Any:
    import boto3
    from botocore.config import Config

    # Few retries: a long poll that fails is simply repeated by the worker loop.
    return boto3.client("sqs", endpoint_url=endpoint_url, region_name=region,
                        config=Config(retries={"max_attempts": 2, "mode": "standard"}))


def _seconds(value: float, limit: int) -> int:
    return max(0, min(limit, math.ceil(value)))


def _body(raw: str) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except ValueError:
        return {"unparsed": True}  # never our message; the worker drops it (its text is not logged)
    return body if isinstance(body, dict) else {"unparsed": True}


class SqsQueue:
    def __init__(self, queue_url: str, dlq_url: str, *, endpoint_url: str | None = None, region: str | None = None,
                 visibility_seconds: int = 120, client: Any = None):
        self.queue_url, self.dlq_url = queue_url, dlq_url
        self.visibility_seconds = visibility_seconds
        self._sqs = client or sqs_client(endpoint_url=endpoint_url, region=region)
        self._native_move: bool | None = None  # learnt on the first redrive of the whole DLQ
        # SQS cannot look a message up by its receipt handle: the bodies handed out, for dead_letter.
        self._in_hand: OrderedDict[str, dict[str, Any]] = OrderedDict()

    # ------------------------------------------------------------ main queue
    def send(self, body: dict[str, Any], *, delay_seconds: float = 0) -> str:
        r = self._sqs.send_message(QueueUrl=self.queue_url, MessageBody=json.dumps(body, ensure_ascii=False),
                                   DelaySeconds=_seconds(delay_seconds, MAX_DELAY_SECONDS))
        return str(r["MessageId"])

    def receive(self, *, max_messages: int = 1, visibility_seconds: int | None = None,
                wait_seconds: float = 0) -> list[Message]:
        vis = self.visibility_seconds if visibility_seconds is None else visibility_seconds
        r = self._sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=max(1, min(10, max_messages)),
                                      VisibilityTimeout=_seconds(vis, MAX_VISIBILITY_SECONDS),
                                      WaitTimeSeconds=_seconds(wait_seconds, MAX_WAIT_SECONDS),
                                      MessageSystemAttributeNames=["ApproximateReceiveCount"])
        out = []
        for m in r.get("Messages") or []:
            count = int(m.get("Attributes", {}).get("ApproximateReceiveCount", 1))
            self._in_hand[m["ReceiptHandle"]] = {"Body": m["Body"], "receive_count": count}
            out.append(Message(id=m["MessageId"], body=_body(m["Body"]), receipt=m["ReceiptHandle"], receive_count=count))
        while len(self._in_hand) > _IN_HAND_MAX:  # handles of messages that timed out are never deleted
            self._in_hand.popitem(last=False)
        return out

    def delete(self, receipt: str) -> None:
        self._sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=receipt)
        self._in_hand.pop(receipt, None)

    def change_visibility(self, receipt: str, seconds: float) -> None:
        self._sqs.change_message_visibility(QueueUrl=self.queue_url, ReceiptHandle=receipt,
                                            VisibilityTimeout=_seconds(seconds, MAX_VISIBILITY_SECONDS))

    def dead_letter(self, receipt: str, reason: str) -> None:
        """Send the held message to the DLQ with the reason, then delete it here (in that order: never lost)."""
        held = self._held(receipt)
        if held is None:
            log.warning("dead letter: message no longer held; its own retries will dead-letter it")
            return
        body = held["Body"]
        attrs = {_ATTR_REASON: reason[:256], _ATTR_DEAD_AT: f"{time.time():.3f}",
                 _ATTR_RECEIVES: str(held.get("receive_count", 0))}
        self._sqs.send_message(QueueUrl=self.dlq_url, MessageBody=body, MessageAttributes={
            k: {"DataType": "String", "StringValue": v} for k, v in attrs.items()})
        self.delete(receipt)

    def _held(self, receipt: str) -> dict[str, Any] | None:
        return self._in_hand.get(receipt)

    # ------------------------------------------------------------ dead-letter queue
    def _receive_dlq(self, *, visibility: int, wait: int) -> list[dict[str, Any]]:
        r = self._sqs.receive_message(QueueUrl=self.dlq_url, MaxNumberOfMessages=10, VisibilityTimeout=visibility,
                                      WaitTimeSeconds=wait, MessageAttributeNames=["All"],
                                      MessageSystemAttributeNames=["ApproximateReceiveCount", "SentTimestamp"])
        return list(r.get("Messages") or [])

    def _sweep_dlq(self, limit: int) -> list[dict[str, Any]]:
        """Every DLQ message (up to limit), each received once and hidden for _PEEK_SECONDS."""
        seen: dict[str, dict[str, Any]] = {}
        while len(seen) < limit:
            # Short polls sample a subset of SQS hosts; a 1-second long poll confirms the queue is drained.
            batch = self._receive_dlq(visibility=_PEEK_SECONDS, wait=0) or self._receive_dlq(visibility=_PEEK_SECONDS, wait=1)
            fresh = [m for m in batch if m["MessageId"] not in seen]
            if not fresh:
                break
            seen.update((m["MessageId"], m) for m in fresh)
        return list(seen.values())[:limit]

    def _unhide(self, messages: list[dict[str, Any]]) -> None:
        for i in range(0, len(messages), 10):
            entries = [{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                       for n, m in enumerate(messages[i:i + 10])]
            if entries:
                self._sqs.change_message_visibility_batch(QueueUrl=self.dlq_url, Entries=entries)

    @staticmethod
    def _dead_letter_view(m: dict[str, Any]) -> dict[str, Any]:
        attrs = {k: v.get("StringValue") for k, v in (m.get("MessageAttributes") or {}).items()}
        sys_attrs = m.get("Attributes") or {}
        sent = float(sys_attrs.get("SentTimestamp", 0)) / 1000 or None
        own = _ATTR_REASON in attrs  # sent here by a worker; otherwise moved by SQS's redrive policy
        return {"id": m["MessageId"], "body": _body(m["Body"]),
                "receive_count": int(attrs.get(_ATTR_RECEIVES) or 0) if own else
                int(sys_attrs.get("ApproximateReceiveCount", 0)),
                "reason": attrs.get(_ATTR_REASON) or "MAX_RECEIVES_EXCEEDED",
                "dead_at": float(attrs[_ATTR_DEAD_AT]) if attrs.get(_ATTR_DEAD_AT) else None,
                "created_at": sent}

    def dlq_messages(self, limit: int = 100) -> list[dict[str, Any]]:
        messages = self._sweep_dlq(limit)
        for _ in range(_PEEK_RETRIES):
            # Another reader (an operator's `leh ops dlq` beside `diagnose`) may hold them hidden for the moment of
            # its own peek: the queue still counts them, so look again rather than report an empty DLQ.
            if messages or self.depth()["dlq"] == 0:
                break
            time.sleep(_PEEK_RETRY_SECONDS)
            messages = self._sweep_dlq(limit)
        self._unhide(messages)
        out = [self._dead_letter_view(m) for m in messages]
        out.sort(key=lambda d: (d["dead_at"] or d["created_at"] or 0))
        return out

    def redrive(self, ids: Iterable[str] | None = None) -> int:
        """Move dead letters (all, or the given ids) back to the main queue with a fresh receive count."""
        if ids is None and self._native_move is not False:
            moved = self._start_move_task()
            if moved is not None:
                return moved
        wanted = None if ids is None else set(ids)
        messages = self._sweep_dlq(100_000)
        chosen = [m for m in messages if wanted is None or m["MessageId"] in wanted]
        for m in chosen:
            self._sqs.send_message(QueueUrl=self.queue_url, MessageBody=m["Body"])  # new message, count 0
            self._sqs.delete_message(QueueUrl=self.dlq_url, ReceiptHandle=m["ReceiptHandle"])
        self._unhide([m for m in messages if m not in chosen])
        return len(chosen)

    def _arn(self, url: str) -> str:
        attrs = self._sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
        return str(attrs["QueueArn"])

    def _start_move_task(self) -> int | None:
        """SQS's own DLQ redrive; None when this server cannot do it (the caller falls back)."""
        from botocore.exceptions import ClientError

        try:
            waiting = self.depth()["dlq"]
            self._sqs.start_message_move_task(SourceArn=self._arn(self.dlq_url),
                                              DestinationArn=self._arn(self.queue_url))
        except ClientError as exc:
            err = exc.response.get("Error", {})
            status = str(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", ""))
            if str(err.get("Code")) in _NO_NATIVE_MOVE or status in ("500", "501"):
                log.warning("StartMessageMoveTask unavailable: redriving by receive and resend",
                            extra={"code": err.get("Code"), "http_status": status})
                self._native_move = False
                return None
            raise
        self._native_move = True
        return waiting

    # ------------------------------------------------------------ depth
    def depth(self) -> dict[str, int]:
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                 "ApproximateNumberOfMessagesDelayed"]
        main = self._sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=names)["Attributes"]
        dlq = self._sqs.get_queue_attributes(QueueUrl=self.dlq_url, AttributeNames=names)["Attributes"]
        return {"visible": int(main.get(names[0], 0)), "in_flight": int(main.get(names[1], 0)),
                "delayed": int(main.get(names[2], 0)),
                "dlq": sum(int(dlq.get(n, 0)) for n in names)}


class SqsQueueSetup:
    """Queues by name for `leh ops setup-aws` (`leh.ports.QueueSetup`)."""

    def __init__(self, *, endpoint_url: str | None = None, region: str | None = None, client: Any = None):
        self._sqs = client or sqs_client(endpoint_url=endpoint_url, region=region)

    def find(self, name: str) -> str | None:
        from botocore.exceptions import ClientError

        try:
            return str(self._sqs.get_queue_url(QueueName=name)["QueueUrl"])
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code"))
            if code in ("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "NonExistentQueue"):
                return None
            raise

    def create(self, name: str, attributes: Mapping[str, str]) -> str:
        return str(self._sqs.create_queue(QueueName=name, Attributes=dict(attributes))["QueueUrl"])

    def attributes(self, url: str) -> dict[str, str]:
        attrs = self._sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]).get("Attributes") or {}
        return {str(k): str(v) for k, v in attrs.items()}

    def set_attributes(self, url: str, attributes: Mapping[str, str]) -> None:
        self._sqs.set_queue_attributes(QueueUrl=url, Attributes=dict(attributes))
