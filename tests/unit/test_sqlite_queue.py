"""The embedded queue keeps SQS's promises: visibility timeout, receive counts, DLQ, redrive."""

from __future__ import annotations

import time
from pathlib import Path

from leh.adapters.sqlite_queue import SqliteQueue


class FakeClock:
    """Epoch seconds that move only when the test says so."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_received_message_is_invisible_until_timeout_then_redelivered(tmp_path: Path) -> None:
    clock = FakeClock()
    q = SqliteQueue(tmp_path / "q.db", visibility_seconds=120, max_receive_count=5, clock=clock)
    mid = q.send({"n": 1})
    [m] = q.receive()
    assert (m.id, m.body, m.receive_count) == (mid, {"n": 1}, 1)
    assert q.receive() == []
    assert q.depth()["in_flight"] == 1
    clock.advance(119.9)
    assert q.receive() == [] and q.depth()["in_flight"] == 1
    clock.advance(0.1)
    assert q.depth()["visible"] == 1  # returned: its holder's time ran out
    [again] = q.receive()
    assert again.id == mid and again.receive_count == 2 and again.receipt != m.receipt
    q.delete(again.receipt)
    assert q.depth() == {"visible": 0, "in_flight": 0, "delayed": 0, "dlq": 0}


def test_stale_receipt_cannot_delete_a_redelivered_message(tmp_path: Path) -> None:
    q = SqliteQueue(tmp_path / "q.db", visibility_seconds=1, max_receive_count=5)
    q.send({"n": 1})
    [first] = q.receive(visibility_seconds=0)
    [second] = q.receive()
    q.delete(first.receipt)  # the first holder lost the message when it became visible again
    assert q.depth()["in_flight"] == 1
    q.delete(second.receipt)
    assert q.depth()["in_flight"] == 0


def test_delay_and_change_visibility(tmp_path: Path) -> None:
    clock = FakeClock()
    q = SqliteQueue(tmp_path / "q.db", clock=clock)
    q.send({"n": 1}, delay_seconds=30)
    assert q.receive() == [] and q.depth()["delayed"] == 1
    clock.advance(29.9)
    assert q.receive() == []
    clock.advance(0.1)
    [m] = q.receive()
    q.change_visibility(m.receipt, 0)
    [m2] = q.receive()
    assert m2.receive_count == 2
    q.change_visibility(m2.receipt, 45)  # a worker's backoff before the next attempt
    clock.advance(44)
    assert q.receive() == [] and q.depth()["in_flight"] == 1
    clock.advance(1)
    [m3] = q.receive()
    assert (m3.id, m3.receive_count) == (m.id, 3)


def test_dead_letters_are_stamped_by_the_clock(tmp_path: Path) -> None:
    clock = FakeClock(1_800_000_000.0)
    q = SqliteQueue(tmp_path / "q.db", clock=clock)
    q.send({"n": 1})
    clock.advance(5)
    [m] = q.receive()
    q.dead_letter(m.receipt, "BOOM")
    [dead] = q.dlq_messages()
    assert (dead["created_at"], dead["dead_at"]) == (1_800_000_000.0, 1_800_000_005.0)


def test_long_poll_waits_for_a_delayed_message_on_the_real_clock(tmp_path: Path) -> None:
    q = SqliteQueue(tmp_path / "q.db")
    q.send({"n": 1}, delay_seconds=0.2)
    assert q.receive() == []
    started = time.monotonic()
    [m] = q.receive(wait_seconds=5)
    assert m.body == {"n": 1} and time.monotonic() - started < 4


def test_dead_letter_and_redrive(tmp_path: Path) -> None:
    q = SqliteQueue(tmp_path / "q.db")
    a, b = q.send({"n": "a"}), q.send({"n": "b"})
    for m in q.receive(max_messages=2):
        q.dead_letter(m.receipt, "BOOM")
    assert q.depth()["dlq"] == 2 and q.receive() == []
    assert {d["id"]: d["reason"] for d in q.dlq_messages()} == {a: "BOOM", b: "BOOM"}
    assert q.redrive([a]) == 1
    [m] = q.receive()
    assert m.id == a and m.receive_count == 1
    assert q.redrive() == 1 and q.depth()["dlq"] == 0


def test_message_received_too_often_moves_to_dlq_on_next_receive(tmp_path: Path) -> None:
    q = SqliteQueue(tmp_path / "q.db", max_receive_count=2)
    mid = q.send({"n": 1})
    for _ in range(2):
        [m] = q.receive(visibility_seconds=0)
    assert q.receive() == []
    [dead] = q.dlq_messages()
    assert dead["id"] == mid and dead["reason"] == "MAX_RECEIVES_EXCEEDED" and dead["receive_count"] == 2


def test_messages_survive_reopening_the_file(tmp_path: Path) -> None:
    SqliteQueue(tmp_path / "q.db").send({"n": 1})
    [m] = SqliteQueue(tmp_path / "q.db").receive()
    assert m.body == {"n": 1}
