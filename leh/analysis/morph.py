"""Korean morphemes from Kiwi (kiwipiepy), loaded once per process on first use.

Kiwi costs 1–2 s to load and about 520 MB of memory, so nothing imports it at module load: the API server
only pays for it when a question is asked, the worker when it analyses its first evidence.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, NamedTuple


class Morph(NamedTuple):
    """One morpheme: its base form ("때리"), Sejong tag ("VV"), and character span in the analysed text."""

    form: str
    tag: str
    start: int
    end: int


_lock = threading.Lock()
_kiwi: Any = None


def kiwi() -> Any:
    """The process-wide Kiwi instance (thread-safe lazy load)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi


def _convert(tokens: Sequence[Any]) -> list[Morph]:
    return [Morph(t.form, t.tag, t.start, t.start + t.len) for t in tokens]


# One analysis at a time per process: the API serves requests from a thread pool, and Kiwi's thread
# safety is not documented; a batch call parallelises internally anyway.
_use = threading.Lock()


def morphs(text: str) -> list[Morph]:
    if not text.strip():
        return []
    k = kiwi()
    with _use:
        return _convert(k.tokenize(text))


# The worker analyses an evidence's segments (labels) and then indexes them (search tokens): the second pass
# over the same texts is answered from this cache instead of a second Kiwi run. Bounded; the lists are shared,
# callers must not modify them.
CACHE_TEXTS = 20_000
_cache: OrderedDict[str, list[Morph]] = OrderedDict()
_cache_lock = threading.Lock()


def morphs_many(texts: Sequence[str], *, cache: bool = True) -> list[list[Morph]]:
    """Morphemes of many texts in one Kiwi call (several times faster than one call per text).

    `cache=False` neither reads nor fills the cache: for a caller that uses each text's morphemes once and must
    keep its memory bounded (the worker's batched analysis of a long text).
    """
    out: list[list[Morph]] = [[] for _ in texts]
    if not cache:
        idx = [i for i, t in enumerate(texts) if t.strip()]
        if idx:
            k = kiwi()
            with _use:
                for i, tokens in zip(idx, k.tokenize([texts[i] for i in idx]), strict=True):
                    out[i] = _convert(tokens)
        return out
    idx = []
    with _cache_lock:
        for i, t in enumerate(texts):
            if not t.strip():
                continue
            hit = _cache.get(t)
            if hit is None:
                idx.append(i)
            else:
                _cache.move_to_end(t)
                out[i] = hit
    if not idx:
        return out
    k = kiwi()
    with _use:
        for i, tokens in zip(idx, k.tokenize([texts[i] for i in idx]), strict=True):
            out[i] = _convert(tokens)
    with _cache_lock:
        for i in idx:
            _cache[texts[i]] = out[i]
        while len(_cache) > CACHE_TEXTS:
            _cache.popitem(last=False)
    return out
