"""Finished KakaoTalk messages as Segments, counted into the export's KakaoStats as they are built."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from leh.domain.evidence import Segment
from leh.pipeline.parsers.kakaotalk.messages import PLACEHOLDER_FIRST, is_placeholder

KNOWN_MAX: Final = 10_000  # speaker names remembered; caps memory on exports with endless distinct names


@dataclass
class KakaoStats:
    """Facts about one export, filled in while `parse_kakaotalk` runs. Holds no message text."""

    format: str | None = None  # pc | android | ios | mobile | mac_csv
    locale: str | None = None  # ko | en, when the stamps tell
    speech: int = 0
    system: int = 0
    text: int = 0  # lines before the first message that are not export headers
    invalid_timestamps: int = 0
    saved_at: str | None = None
    first_time: str | None = None
    last_time: str | None = None
    speakers: set[str] = field(default_factory=set)

    @property
    def messages(self) -> int:
        return self.speech + self.system

    def to_meta(self) -> dict[str, Any]:
        return {
            "format": self.format, "locale": self.locale, "messages": self.messages, "speech": self.speech,
            "system": self.system, "other_text": self.text, "speakers": len(self.speakers),
            "invalid_timestamps": self.invalid_timestamps, "saved_at": self.saved_at,
            "first_time": self.first_time, "last_time": self.last_time,
        }


def build_segment(
    st: KakaoStats, seq: int, text: str, more: list[str] | None, ts: str | None, speaker: str | None,
    line: int, kind: str, day: str | None,
) -> Segment:
    """The Segment for a finished message (first line plus `more` lines), counted into `st`."""
    if more:
        while more and not more[-1].strip():
            more.pop()
        if more:
            text = "\n".join(more) if not text else text + "\n" + "\n".join(more)
    if kind == "speech":
        if text[:1] in PLACEHOLDER_FIRST and is_placeholder(text):
            kind = "system"
            st.system += 1
        else:
            st.speech += 1
    elif kind == "system":
        st.system += 1
    else:
        st.text += 1
    if speaker is not None and len(st.speakers) < KNOWN_MAX:
        st.speakers.add(speaker)
    if ts:
        if st.first_time is None:
            st.first_time = ts
        st.last_time = ts
        ref: dict[str, Any] = {"line": line}
    else:
        ref = {"line": line} if day is None else {"line": line, "date": day}
    return Segment(seq, text, ts or None, speaker, ref, kind, "minute" if ts else None)
