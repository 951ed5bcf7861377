"""The support check of an answer sentence: everything it states is in the passages it cites.

A sentence is supported when every double-quoted passage in it is words of its cited passages (pieces split
at "…") whose numbers are whole numbers of those passages (not a piece of one cut by "…"), every number outside
the quotes is a number of those passages (their text, or the date and time they carry, 22시 also as 오후 10시),
or a count no larger than the number of its citations ("3건"), and every person's name it writes is in those
passages (text, speaker or file name). Offline answers and AI-written answers go through the same check; an AI
sentence that fails it is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final, Protocol

_QUOTE: Final = re.compile(r"“([^”]*)”|\"([^\"]*)\"")
_NUMBER: Final = re.compile(r"\d+")
_COUNT: Final = re.compile(r"(\d+)\s*(?:건|번|회|차례|가지|일|개)")
MARKER: Final = re.compile(r"\s*\[(\d+)\]")


class Source(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def ts(self) -> str | None: ...
    @property
    def speaker(self) -> str | None: ...
    @property
    def filename(self) -> str | None: ...


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _num(n: str) -> str:
    return n.lstrip("0") or "0"


def ts_numbers(ts: str | None) -> set[str]:
    """The numbers a timestamp states: year (also as 2 digits), month, day, hour (24 and 12-hour) and minute."""
    if not ts or len(ts) < 10:
        return set()
    out = {_num(n) for n in _NUMBER.findall(ts[:10])} | {_num(ts[2:4])}
    if len(ts) >= 16 and ts[10] in "T " and ts[11:19] != "00:00:00":
        hour = int(ts[11:13])
        out |= {str(hour), str(hour % 12 or 12), _num(ts[14:16])}
    return out


def source_numbers(sources: Iterable[Source]) -> set[str]:
    out: set[str] = set()
    for s in sources:
        for blob in (s.text, s.speaker or "", s.filename or ""):
            out |= {_num(n) for n in _NUMBER.findall(blob)}
        out |= ts_numbers(s.ts)
    return out


def unsupported(sentence: str, sources: Sequence[Source], names: Iterable[str]) -> str | None:
    """Why the sentence is not supported by `sources`, or None when it is."""
    body = MARKER.sub(" ", sentence)
    haystack = _squash(" ".join(s.text for s in sources))
    for a, b in _QUOTE.findall(body):
        for piece in re.split(r"…|\.\.\.", a or b):
            if _squash(piece) and _squash(piece) not in haystack:
                return "quote_not_in_sources"
    outside = _QUOTE.sub(" ", body)
    counts = {m.group(1) for m in _COUNT.finditer(outside) if 0 < int(m.group(1)) <= max(len(sources), 1)}
    allowed = source_numbers(sources)
    if any(_num(n) not in allowed and n not in counts for n in _NUMBER.findall(outside)):
        return "number_not_in_sources"
    # a quote cut inside a number ("결제일: 2…" of "결제일: 2025.05.25") states a number the passage does not hold
    if any(_num(n) not in allowed for a, b in _QUOTE.findall(body) for n in _NUMBER.findall(a or b)):
        return "number_not_in_sources"
    people = " ".join(" ".join((s.text, s.speaker or "", s.filename or "")) for s in sources)
    if any(n and n in outside and n not in people for n in names):
        return "name_not_in_sources"
    return None
