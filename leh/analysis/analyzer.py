"""Derives the analysis fields of an evidence document from its segments: speakers and evidence time.

Labels, summary, insights and timeline for art. 840 are added by the analysis engines (`leh.analysis.labels`)
when present; this module is the single entry point the worker calls.
"""

from __future__ import annotations

from typing import Any


def speakers_of(segments: list[dict[str, Any]]) -> list[str]:
    """Distinct speakers in order of first appearance (system lines do not count)."""
    seen: dict[str, None] = {}
    for seg in segments:
        if seg.get("speaker") and seg.get("kind", "speech") == "speech":
            seen.setdefault(seg["speaker"], None)
    return list(seen)


def evidence_time(segments: list[dict[str, Any]], event_time: str | None) -> str | None:
    """When the evidence happened: the parser's own answer (EXIF, container), else the earliest segment time."""
    if event_time:
        return event_time
    times = sorted(s["ts"] for s in segments if s.get("ts"))
    return times[0] if times else None


def analyze_document(segments: list[dict[str, Any]], *, event_time: str | None) -> dict[str, Any]:
    return {"speakers": speakers_of(segments), "event_time": evidence_time(segments, event_time)}
