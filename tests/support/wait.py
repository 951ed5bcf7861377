"""One polling helper for tests that wait on another process or thread: `wait_until`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(predicate: Callable[[], T], timeout: float = 30, interval: float = 0.05,
               message: str | Callable[[], str] = "condition not met") -> T:
    """Call `predicate` every `interval` seconds until it returns something truthy, and return that.

    After `timeout` seconds raises AssertionError(message); a callable message is called then, so it can
    say what the state was (`lambda: f"stayed {status()}"`). The predicate is always tried at least once.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"after {timeout:g}s: {message() if callable(message) else message}")
        time.sleep(interval)
