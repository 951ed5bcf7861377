"""The AI worker loop: receive an event, keep it invisible while working (heartbeat), process, ack or retry.

Failures: a bad file (non-retryable EvidenceError) fails at once and is acked; anything else is retried with
exponential backoff and, after `LEH_QUEUE_MAX_ATTEMPTS`, dead-lettered with the evidence marked `failed`.
A message received more often than that was held by workers that died mid-item: it is dead-lettered with
WORKER_CRASHED instead of killing yet another worker.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
import uuid
from datetime import UTC, datetime

from leh.domain.errors import Conflict, EvidenceError, LehError
from leh.domain.events import ObjectCreated, is_test_event, mark_waited, parse_events
from leh.domain.evidence import EvidenceStatus
from leh.models import WorkerHeartbeat
from leh.pipeline.processor import EvidenceProcessor
from leh.ports import Message, Ports
from leh.services.ops import housekeeping
from leh.services.ops.workers import list_workers

log = logging.getLogger("leh.worker")


class Worker:
    def __init__(self, c: Ports, *, worker_id: str | None = None):
        self.c = c
        self.worker_id = worker_id or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.processor = EvidenceProcessor(c, worker_id=self.worker_id)
        self._stop = threading.Event()
        self.processed = 0
        self._current: str | None = None
        self._receipt: str | None = None

    # ------------------------------------------------------------ heartbeats
    def _beat(self) -> None:
        with self.c.sessions() as db:
            hb = db.get(WorkerHeartbeat, self.worker_id) or WorkerHeartbeat(
                worker_id=self.worker_id, host=socket.gethostname(), pid=os.getpid())
            hb.heartbeat_at = datetime.now(UTC)
            hb.current_evidence_id = self._current
            hb.current_receipt = self._receipt
            hb.processed = self.processed
            db.add(hb)
            db.commit()

    def _keep_alive(self, msg: Message, done: threading.Event) -> None:
        """While an item is being processed: extend its visibility and write the heartbeat."""
        interval = self.c.settings.worker_heartbeat_seconds
        while not done.wait(interval):
            try:
                self.c.queue.change_visibility(msg.receipt, self.c.settings.queue_visibility_seconds)
                self._beat()
            except Exception:  # a missed beat must not kill the item being processed
                log.exception("heartbeat failed")

    # ------------------------------------------------------------ one message
    def handle(self, msg: Message) -> None:
        events = parse_events(msg.body)
        if not events:
            if is_test_event(msg.body):  # S3 says hello once when the bucket notification is set up
                log.debug("s3:TestEvent dropped", extra={"message_id": msg.id})
            else:
                log.warning("message without raw evidence objects dropped", extra={"message_id": msg.id})
            self.c.queue.delete(msg.receipt)
            return
        if any(self._await_upload_complete(msg, event) for event in events):
            return
        max_attempts = self.c.settings.queue_max_attempts
        handed_back = False
        for event in events:
            if self._held_elsewhere(event.evidence_id):
                # S3's notification and upload-complete both announce an upload: the worker already on it holds
                # its own message (handed back by the watchdog if it dies), so this one is dropped, not run twice.
                log.info("duplicate event: evidence is being processed by another worker",
                         extra={"evidence_id": event.evidence_id, "message_id": msg.id})
                continue
            self._current, self._receipt = event.evidence_id, msg.receipt
            if msg.receive_count > max_attempts:
                err = EvidenceError("WORKER_CRASHED")
                self.processor.fail(event.evidence_id, err, final=True)
                self.c.queue.dead_letter(msg.receipt, err.code)
                log.error("item keeps killing workers: dead-lettered",
                          extra={"evidence_id": event.evidence_id, "code": err.code, "receives": msg.receive_count})
                return
            self._beat()  # the watchdog must know what this worker holds from the first second
            done = threading.Event()
            beat = threading.Thread(target=self._keep_alive, args=(msg, done), daemon=True)
            beat.start()
            try:
                outcome = self.processor.process(event)
                log.info("event handled", extra={"evidence_id": event.evidence_id, "outcome": outcome})
                handed_back |= outcome == "skipped" and self._back_in_queue(event.evidence_id)
            except Conflict:
                # The evidence moved on while this worker held it (a watchdog handed it to a live worker that
                # finished first, or the user deleted it): its state belongs to whoever moved it. Not a failure.
                log.info("evidence changed under this worker: left as it is", extra={"evidence_id": event.evidence_id})
                handed_back |= self._back_in_queue(event.evidence_id)
            except EvidenceError as err:
                if not err.retryable:
                    self.processor.fail(event.evidence_id, err, final=True)
                    log.error("evidence failed", extra={"evidence_id": event.evidence_id, "code": err.code})
                    continue
                if self._retry_or_dead_letter(msg, event.evidence_id, err):
                    return
            except Exception as exc:
                log.exception("unexpected error", extra={"evidence_id": event.evidence_id})
                if self._retry_or_dead_letter(msg, event.evidence_id, LehError("INTERNAL_ERROR"), exc):
                    return
            finally:
                done.set()
                beat.join(timeout=1)
                self._current = self._receipt = None
        if handed_back:
            # A watchdog took the item back while this worker was on it (its heartbeat went silent: a loaded
            # machine, a long native call) and set it `queued`: this message is what brings it to a worker again,
            # so it goes back on the queue now. Deleting it would leave the evidence queued forever.
            self.c.queue.change_visibility(msg.receipt, 0)
            return
        self.processed += 1
        self.c.queue.delete(msg.receipt)

    def _back_in_queue(self, evidence_id: str) -> bool:
        doc = self.c.evidence.get(evidence_id)
        return doc is not None and doc["status"] == EvidenceStatus.QUEUED

    def _await_upload_complete(self, msg: Message, event: ObjectCreated) -> bool:
        """S3 notifies the moment the object lands; the client's upload-complete, a moment later, records the
        file's hash and the upload log (runbook C) and queues the item itself. So S3's notification for an item
        still `uploading` is held back once: sent again, marked, LEH_QUEUE_BACKOFF_SECONDS (at least 1 s) later
        as a new message (its receive count starts afresh, so waiting costs no attempt), then this one is deleted.
        The marked copy is processed whether or not the client ever confirmed."""
        if event.source != "aws:s3" or event.waited:
            return False
        doc = self.c.evidence.get(event.evidence_id)
        if doc is None or doc["status"] != EvidenceStatus.UPLOADING:
            return False
        self.c.queue.send(mark_waited(msg.body), delay_seconds=max(1.0, self.c.settings.queue_backoff_seconds))
        self.c.queue.delete(msg.receipt)  # after the copy is safely queued: never lost, at worst a harmless duplicate
        log.info("S3 notification before upload-complete: held back once", extra={"evidence_id": event.evidence_id})
        return True

    def _held_elsewhere(self, evidence_id: str) -> bool:
        """True when another live worker is processing this evidence right now, with its own message.

        The holder's heartbeat extends its message's visibility and then writes the heartbeat row: a row younger
        than the visibility timeout (less one beat) means the holder's message is still invisible, so the
        message in hand is another one — never the holder's own message redelivered after it died.
        """
        doc = self.c.evidence.get(evidence_id)
        holder = doc.get("worker_id") if doc else None
        if not doc or doc["status"] != EvidenceStatus.PROCESSING or not holder or holder == self.worker_id:
            return False
        s = self.c.settings
        fresh = max(0.0, s.queue_visibility_seconds - s.worker_heartbeat_seconds)
        return any(w.worker_id == holder and w.alive and w.age_seconds < fresh
                   and evidence_id in (w.current_evidence_id, *w.holding) for w in list_workers(self.c))

    def _retry_or_dead_letter(self, msg: Message, evidence_id: str, err: LehError, exc: Exception | None = None) -> bool:
        final = msg.receive_count >= self.c.settings.queue_max_attempts
        self.processor.fail(evidence_id, err, final=final)
        if final:
            reason = err.code if exc is None else f"{err.code}: {type(exc).__name__}"
            self.c.queue.dead_letter(msg.receipt, reason)
            log.error("dead-lettered after last attempt",
                      extra={"evidence_id": evidence_id, "code": err.code, "attempts": msg.receive_count})
        else:
            delay = self.c.settings.queue_backoff_seconds * (2 ** (msg.receive_count - 1))
            self.c.queue.change_visibility(msg.receipt, delay)
            log.warning("will retry", extra={"evidence_id": evidence_id, "code": err.code, "delay_s": delay})
        return True

    # ------------------------------------------------------------ loop
    def run_once(self, wait_seconds: float = 0) -> int:
        msgs = self.c.queue.receive(max_messages=1, wait_seconds=wait_seconds)
        for msg in msgs:
            self.handle(msg)
        return len(msgs)

    def stop(self, *_args: object) -> None:
        self._stop.set()

    def run(self) -> None:
        """Loop until SIGTERM/SIGINT; the item in hand is finished first."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        log.info("worker started", extra={"worker_id": self.worker_id})
        last_beat = 0.0
        while not self._stop.is_set():
            if time.monotonic() - last_beat > self.c.settings.worker_heartbeat_seconds:
                self._beat()
                last_beat = time.monotonic()
                housekeeping.tick(self.c)  # watchdog for dead workers, tmp/ janitor (never raises)
            try:
                got = self.run_once(wait_seconds=self.c.settings.worker_poll_seconds)
            except Exception:
                log.exception("worker loop error")
                got = 0
                self._stop.wait(1.0)
            if not got:
                self._stop.wait(0.05)
        self._leave_pool()
        log.info("worker stopped", extra={"worker_id": self.worker_id, "processed": self.processed})

    def _leave_pool(self) -> None:
        """A clean stop removes the heartbeat row, so nobody mistakes this worker for a dead one."""
        try:
            with self.c.sessions() as db:
                hb = db.get(WorkerHeartbeat, self.worker_id)
                if hb is not None:
                    db.delete(hb)
                    db.commit()
        except Exception:
            log.exception("could not leave the worker pool")
