"""The Mac KakaoTalk export: a `Date,User,Message` CSV file, one row per message."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from leh.domain.errors import EvidenceError
from leh.domain.evidence import Segment
from leh.pipeline.parsers import dates
from leh.pipeline.parsers.kakaotalk.messages import system_actor
from leh.pipeline.parsers.kakaotalk.segments import KakaoStats, build_segment
from leh.pipeline.parsers.kakaotalk.stamps import CACHE_MAX, INVALID


def _with_newlines(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        yield line if line.endswith("\n") else line + "\n"


def parse_csv(lines: Iterable[str], tz: str, st: KakaoStats) -> Iterator[Segment]:
    """Mac export: `Date,User,Message` rows; quoted messages may span lines, so the csv module reads them."""
    # Messages can be longer than csv's default 128 KiB field limit; raising the process-wide limit only
    # lets more through.
    if csv.field_size_limit() < 16 * 1024 * 1024:
        csv.field_size_limit(16 * 1024 * 1024)
    reader = csv.reader(_with_newlines(lines))
    cache: dict[str, str] = {}
    seq = 0
    prev_end = 0
    header_seen = False
    try:
        for row in reader:
            start, prev_end = prev_end + 1, reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if not header_seen:
                header_seen = True
                continue
            if len(row) < 3:
                st.invalid_timestamps += 1
                continue
            stamp, user = row[0].strip(), row[1]
            text = row[2] if len(row) == 3 else ",".join(row[2:])
            ts = cache.get(stamp)
            if ts is None:
                if len(cache) >= CACHE_MAX:
                    cache.clear()
                parsed = dates.parse_datetime(stamp, tz)
                ts = cache[stamp] = dates.iso(parsed) if parsed else INVALID
            if ts == INVALID:
                st.invalid_timestamps += 1
            speaker: str | None = user
            kind = "speech"
            if not user:
                speaker, kind = system_actor(text), "system"
            yield build_segment(st, seq, text.rstrip("\r\n"), None, ts, speaker, start, kind, None)
            seq += 1
    except csv.Error as exc:
        raise EvidenceError("KAKAO_PARSE_FAILED") from exc
