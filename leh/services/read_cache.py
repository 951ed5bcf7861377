"""Per-process cache of read models derived from a case's evidence (ask's passages, the timeline's rows).

Reading a case's documents parses every segment (a 1,000-evidence case: about half a second of JSON), which ask
and the timeline did on every request. A derived model is kept per (store, case, kind) together with the case's
version (`EvidenceStore.case_version`, which changes on every write to any evidence of the case, from any
process) and rebuilt when the version moved. One request builds a missing model; concurrent ones wait for it.

Values are shared between requests: builders return data the callers only read (or copy before changing).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Final, TypeVar

from leh.ports import EvidenceStore

T = TypeVar("T")
MAX_MODELS: Final = 16  # per store: (case, kind) pairs kept, least recently used dropped first


class _StoreCache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.models: OrderedDict[tuple[str, str], tuple[str, Any]] = OrderedDict()
        self.building: dict[tuple[str, str], threading.Lock] = {}


_caches: weakref.WeakKeyDictionary[Any, _StoreCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def _cache_of(evidence: EvidenceStore) -> _StoreCache:
    with _caches_lock:
        cache = _caches.get(evidence)
        if cache is None:
            cache = _caches[evidence] = _StoreCache()
        return cache


def cached(evidence: EvidenceStore, case_id: str, kind: str, build: Callable[[], T]) -> T:
    """`build()` for this case and kind, reused while the case's evidence is unchanged."""
    cache = _cache_of(evidence)
    key = (case_id, kind)
    version = evidence.case_version(case_id)
    with cache.lock:
        hit = cache.models.get(key)
        if hit is not None and hit[0] == version:
            cache.models.move_to_end(key)
            return hit[1]  # type: ignore[no-any-return]
        building = cache.building.setdefault(key, threading.Lock())
    with building:  # one builder per model; the others wait and then find it
        with cache.lock:
            hit = cache.models.get(key)
            if hit is not None and hit[0] == version:
                return hit[1]  # type: ignore[no-any-return]
        value = build()
        with cache.lock:
            cache.models[key] = (version, value)
            cache.models.move_to_end(key)
            while len(cache.models) > MAX_MODELS:
                cache.models.popitem(last=False)
        return value
