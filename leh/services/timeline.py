"""The case timeline (DESIGN.md section 7): every processed evidence's events, date-ordered and stable."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from leh.domain.dates import format_ts, precision_of, sort_instant
from leh.domain.documents import EvidenceDoc, TimelineEventDoc, TimelineItem
from leh.domain.evidence import EvidenceStatus, counted_ids
from leh.ports import EvidenceStore
from leh.services.search import date_range, parse_ground

# What the timeline reads of a document when no speaker filter needs its segments.
_FIELDS = ("timeline", "labels", "summary", "filename", "type", "event_time", "event_time_precision",
           "event_time_part_of_day", "uploaded_at", "sha256", "speakers")


def _events_of(doc: EvidenceDoc) -> list[TimelineEventDoc]:
    """The document's timeline; evidence analysed before timelines existed gets one event from its summary."""
    if doc.get("timeline"):
        return list(doc["timeline"])
    grounds = sorted({lb["ground"] for lb in doc.get("labels") or []})
    return [{"ts": doc.get("event_time"), "description": doc.get("summary") or doc.get("filename") or "",
             "grounds": grounds, "segments": [], "ts_precision": doc.get("event_time_precision"),
             "ts_part_of_day": doc.get("event_time_part_of_day")}]


def _instant(item: TimelineItem, tz: ZoneInfo) -> datetime | None:
    """An aware instant for ordering; zone-less times are read in the firm's time zone.

    Mixed precision: a day-only event sorts at the hour its part of day stands for (밤 → 22:00), otherwise at
    the start of its day, before the timed events of that day (`leh.domain.dates.sort_instant`).
    """
    dt = sort_instant(item["ts"], item.get("ts_precision"), item.get("ts_part_of_day"))
    if dt is None:
        return None
    return (dt if dt.tzinfo else dt.replace(tzinfo=tz)).astimezone(UTC)


def _dated(item: TimelineItem, event: TimelineEventDoc) -> TimelineItem:
    """The item with its precision and display labels: a day-only time is never shown with a time."""
    precision = precision_of(item["ts"], event.get("ts_precision"))
    item["ts_precision"] = precision
    part = event.get("ts_part_of_day")
    if part:
        item["ts_part_of_day"] = part
    item["ts_label"] = format_ts(item["ts"], precision, part)
    refers = event.get("refers_to")
    if refers and refers.get("ts"):
        item["refers_to"] = refers.copy()
        item["refers_to_label"] = format_ts(refers["ts"], "day", refers.get("part_of_day"), inferred=True)
    return item


def _spoken_by(doc: EvidenceDoc, event: TimelineEventDoc, speaker: str) -> bool:
    """The event's messages include one by `speaker`; an event without messages stands for the whole evidence."""
    seqs = set(event.get("segments") or [])
    if not seqs:
        return speaker in (doc.get("speakers") or [])
    return any(s.get("speaker") == speaker for s in doc.get("segments") or [] if s.get("seq") in seqs)


def case_timeline(evidence: EvidenceStore, case_id: str, *, timezone: str, ground: str | None = None, date_from: str | None = None,
                  date_to: str | None = None, type: str | None = None, speaker: str | None = None) -> list[TimelineItem]:
    """`[{"ts", "ts_precision", "ts_label", "description", "grounds", "evidence_id", "segments", "filename", "type"}]`
    ordered by time (and `refers_to`/`refers_to_label` when the message names a relative day).

    Equal times keep one fixed order (upload time, evidence id, first segment), so the list never shuffles
    between requests. Of identical files (same sha256) only the counted copy contributes events. Events without a time come last. The date filter compares the local date as written.
    """
    g = parse_ground(ground)
    start, end = date_range(date_from, date_to)
    tz = ZoneInfo(timezone)
    rows: list[tuple[Any, ...]] = []
    # Without a speaker filter the timeline needs no segment: the store reads the listed fields only.
    done = ([d for d in evidence.list_case(case_id) if d["status"] == EvidenceStatus.DONE] if speaker else
            cast(list[EvidenceDoc], evidence.list_summaries(case_ids=[case_id], statuses=[EvidenceStatus.DONE],
                                                            fields=_FIELDS)))
    counted = counted_ids(done)  # identical files count once
    for doc in done:
        if doc["evidence_id"] not in counted or (type and doc.get("type") != type):
            continue
        for ev in _events_of(doc):
            if speaker and not _spoken_by(doc, ev, speaker):
                continue
            grounds = list(ev.get("grounds") or [])
            if g and g not in grounds:
                continue
            day = (ev.get("ts") or "")[:10]
            if (start and (not day or day < start)) or (end and (not day or day > end)):
                continue
            item = _dated({"ts": ev.get("ts"), "description": ev.get("description", ""), "grounds": grounds,
                           "evidence_id": doc["evidence_id"], "segments": list(ev.get("segments") or []),
                           "filename": doc.get("filename"), "type": doc.get("type")}, ev)
            instant = _instant(item, tz)
            rows.append((instant is None, instant or datetime.min.replace(tzinfo=UTC), doc.get("uploaded_at") or "",
                         doc["evidence_id"], item["segments"][:1], item))
    rows.sort(key=lambda r: r[:5])
    return [r[5] for r in rows]
