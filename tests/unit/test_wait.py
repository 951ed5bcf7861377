from __future__ import annotations

import time

import pytest

from tests.support.wait import wait_until


def test_returns_the_first_truthy_value_after_polling() -> None:
    calls: list[int] = []

    def third_time() -> str | None:
        calls.append(1)
        return "ready" if len(calls) == 3 else None

    assert wait_until(third_time, timeout=5, interval=0.001) == "ready"
    assert len(calls) == 3


def test_times_out_with_the_message_made_at_the_end() -> None:
    state = {"status": "queued"}
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"after 0.2s: stayed queued"):
        wait_until(lambda: state["status"] == "done", timeout=0.2, interval=0.02,
                   message=lambda: f"stayed {state['status']}")
    assert 0.2 <= time.monotonic() - started < 2
