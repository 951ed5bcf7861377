"""Timeline events of one evidence built from label hits: dated acts with the messages that show them.

The sentences are the summary's (`act_sentence`, `quote` in `leh.analysis.summary`); this module decides
which labelled messages make one event and orders the events by time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final, cast

from leh.analysis.labels import Hit
from leh.analysis.summary import act_sentence, parse_time, quote, strongest_per_segment
from leh.domain.dates import precision_of, sort_instant
from leh.domain.documents import SegmentDoc, TimelineEventDoc

MERGE_MINUTES: Final = 10  # adjacent labelled messages by one speaker within this time are one timeline event
DOCUMENT_LINE_GAP: Final = 4  # labelled lines of a document this close, at one time, are one event
TITLE_CHARS: Final = 10  # a document line shorter than this is read as a heading when choosing what to quote


def timeline_events(segments: Sequence[SegmentDoc], hits: Sequence[Hit], event_time: str | None,
                    overview: str, *, descriptions: dict[int, str] | None = None,
                    sides: Mapping[int, frozenset[str]] | None = None) -> list[TimelineEventDoc]:
    """Date-ordered events `{"ts", "description", "grounds", "segments"}` from the kept hits.

    Adjacent labelled messages of one speaker within MERGE_MINUTES become one event, described by its first
    message; so do a document's labelled lines up to DOCUMENT_LINE_GAP apart at one time, described by the
    strongest of them. Lines whose labels favour different sides (`sides`: the client's own insult right after his
    protest at the opponent's) are never one event. Evidence without any labelled message still gets one event
    (its overview), so every item has a place on the case timeline.
    """
    segs: dict[int, Mapping[str, Any]] = {int(s["seq"]): s for s in segments}
    per_seq = strongest_per_segment(hits)
    events: list[dict[str, Any]] = []
    last_seq: int | None = None
    for seq in sorted(per_seq):
        seg = segs.get(seq, {})
        grounds = sorted({h.ground for h in per_seq[seq]})
        prev = events[-1] if events else None
        same_side = sides is None or sides.get(seq) == sides.get(last_seq if last_seq is not None else -1)
        if prev is not None and last_seq is not None and same_side and _mergeable(segs.get(last_seq, {}), seg,
                                                                                   seq - last_seq):
            prev["segments"].append(seq)
            prev["grounds"] = sorted(set(prev["grounds"]) | set(grounds))
            prev["_more"] += 1
        else:
            events.append({"ts": seg.get("ts") or event_time, "grounds": grounds, "segments": [seq], "_more": 0,
                           **_when_fields(seg, event_time)})
        last_seq = seq
    for ev in events:
        lead = _lead(ev["segments"], segs, per_seq)
        seg = segs.get(lead, {})
        act = (descriptions or {}).get(lead) or act_sentence(per_seq[lead][0], seg.get("speaker"))
        ev["description"] = f"{act}: {quote(seg.get('text', ''))}"
    for ev in events:
        more = ev.pop("_more")
        if more:
            ev["description"] += f" 외 {more}건"
    if not events:
        events.append({"ts": event_time, "description": overview, "grounds": [], "segments": [],
                       **_when_fields({}, event_time)})
    # Mixed precision: a day-only event sorts at its part of day, else first in its day (leh.domain.dates).
    events.sort(key=lambda e: (e["ts"] is None, _sort_key(e), e["segments"][:1]))
    return cast(list[TimelineEventDoc], events)  # cast: the working dicts above lost their "_more" counter


def when_fields(seg: Mapping[str, Any], event_time: str | None) -> dict[str, Any]:
    """`ts_precision` (and part of day, and a resolved relative date) of an event timed by `seg`."""
    return _when_fields(seg, event_time)


def _when_fields(seg: Mapping[str, Any], event_time: str | None) -> dict[str, Any]:
    """ts_precision (and part of day, and a resolved relative date) of the time an event takes from `seg`."""
    if not seg.get("ts"):
        return {"ts_precision": precision_of(event_time)} if event_time else {}
    out: dict[str, Any] = {"ts_precision": precision_of(seg["ts"], seg.get("ts_precision"))}
    if seg.get("ts_part_of_day"):
        out["ts_part_of_day"] = seg["ts_part_of_day"]
    if seg.get("refers_to"):
        out["refers_to"] = dict(seg["refers_to"])
    return out


def _sort_key(event: dict[str, Any]) -> datetime:
    at = sort_instant(event["ts"], event.get("ts_precision"), event.get("ts_part_of_day"))
    if at is None:
        return datetime.min.replace(tzinfo=UTC)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _lead(seqs: list[int], segs: Mapping[int, Mapping[str, Any]], per_seq: Mapping[int, list[Hit]]) -> int:
    """The line an event is described by: its first message in a conversation; in a document (no speakers), a line
    that says something (not a bare title such as "상해진단서"), the strongest labelled one, the longer on a tie."""
    if any(segs.get(q, {}).get("speaker") for q in seqs):
        return seqs[0]

    def telling(q: int) -> tuple[bool, float, int, int]:
        text = str(segs.get(q, {}).get("text") or "").strip()
        return len(text) >= TITLE_CHARS, per_seq[q][0].weight, len(text), -q

    return max(seqs, key=telling)


def _mergeable(a: Mapping[str, Any], b: Mapping[str, Any], seq_gap: int) -> bool:
    # A document's lines (no speaker) on one date are one event a few lines apart too: a 진단서's title and 병명.
    lines = DOCUMENT_LINE_GAP if not a.get("speaker") and not b.get("speaker") else 2
    if seq_gap > lines or a.get("speaker") != b.get("speaker"):
        return False
    if (a.get("ts_precision") == "month") != (b.get("ts_precision") == "month"):
        return False  # a month-only fact is not an event of its month's first day
    ta, tb = parse_time(a.get("ts")), parse_time(b.get("ts"))
    if ta is None or tb is None:
        return ta is None and tb is None
    try:
        return abs((tb - ta).total_seconds()) <= MERGE_MINUTES * 60
    except TypeError:  # one aware, one naive: do not guess
        return False
