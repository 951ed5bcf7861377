"""Android message and call-log backups ("SMS Backup & Restore" XML): one segment per message or call.

- `<smses>`: `<sms address= date= type= body= contact_name=/>` and `<mms date= msg_box= address=
  contact_name=><parts><part ct="text/plain" text=/></parts></mms>`. A sent message (sms type 2, mms msg_box 2)
  is spoken by "나"; a received one by the counterpart (contact name, else the number).
- `<calls>`: `<call number= duration= date= type= contact_name=/>`: the call's direction and length as text,
  the counterpart in the speaker and ref.

Times are epoch milliseconds: second precision, in the case's time zone. The XML is streamed (a backup with
pictures runs to hundreds of MB) after refusing any DOCTYPE (so no entity is ever expanded), with a nesting cap.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, cast
from xml.etree import ElementTree

from leh.domain.errors import EvidenceError
from leh.domain.evidence import Segment
from leh.pipeline.parsers.base import ParseContext, ParseResult, bounded
from leh.pipeline.parsers.dates import Dated, zone

MAX_DEPTH: Final = 16
CHUNK: Final = 1 << 20
ME: Final = "나"
_UNKNOWN: Final = frozenset({"", "null", "(Unknown)", "(알 수 없음)"})
_CALL_KINDS: Final = {"1": "수신 통화", "2": "발신 통화", "3": "부재중 전화", "4": "음성 메시지", "5": "거절한 전화",
                      "6": "차단된 전화", "7": "수신 통화"}


def parse(path: Path, ctx: ParseContext) -> ParseResult:
    """ref = {"item": n (1-based, in file order), "counterpart", "number", "direction"} (+ "duration_s" for calls)."""
    root: list[str] = []
    counts = {"sms": 0, "mms": 0, "call": 0}

    def items() -> Iterator[Segment]:
        for tag, attrs, texts in _elements(path, root):
            seg = _segment(tag, attrs, texts, ctx.timezone)
            if seg is not None:
                counts[tag] += 1
                seg.ref["item"] = sum(counts.values())
                yield seg

    segments: list[Segment] = []
    for seg in bounded(items(), ctx.limits.max_segments):
        seg.seq = len(segments)
        segments.append(seg)
    if not root or root[0] not in ("smses", "calls"):
        raise EvidenceError("PHONE_BACKUP_CORRUPT")
    first = min((s for s in segments if s.ts), key=lambda s: str(s.ts), default=None)
    return ParseResult(segments=segments, event_time=first.ts if first else None,
                       event_time_precision="second" if first else None,
                       detected_type="call_log" if root[0] == "calls" else "sms",
                       meta={"engine": "sms-backup-restore", **counts,
                             "counterparts": len({s.ref.get("counterpart") for s in segments})})


def _elements(path: Path, root: list[str]) -> Iterator[tuple[str, dict[str, str], list[str]]]:
    """(tag, attributes, texts of text/plain parts) of each sms, mms and call element, streamed."""
    parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(events=("start", "end"))
    depth = 0
    texts: list[str] = []
    try:
        with path.open("rb") as fh:
            first = True
            while chunk := fh.read(CHUNK):
                if b"<!DOCTYPE" in chunk.upper() or b"<!ENTITY" in chunk.upper():
                    raise EvidenceError("PHONE_BACKUP_CORRUPT")  # backups never declare entities
                parser.feed(chunk)
                for pair in parser.read_events():
                    event, elem = cast(tuple[str, ElementTree.Element], pair)
                    if event == "start":
                        depth += 1
                        if depth > MAX_DEPTH:
                            raise EvidenceError("PHONE_BACKUP_CORRUPT")
                        if first:
                            root.append(elem.tag)
                            first = False
                        continue
                    depth -= 1
                    if elem.tag == "part" and elem.get("ct") == "text/plain" and elem.get("text"):
                        texts.append(str(elem.get("text")))
                    elif elem.tag in ("sms", "mms", "call"):
                        yield elem.tag, dict(elem.attrib), texts
                        texts = []
                        elem.clear()
            parser.close()
    except ElementTree.ParseError as exc:
        raise EvidenceError("PHONE_BACKUP_CORRUPT") from exc


def _when(attrs: dict[str, str], tz: str) -> Dated | None:
    try:
        millis = int(attrs.get("date", ""))
    except ValueError:
        return None
    try:
        at = datetime.fromtimestamp(millis / 1000, UTC).astimezone(zone(tz)).replace(microsecond=0)
    except (OverflowError, OSError, ValueError):
        return None
    return Dated(at, "second")


def _counterpart(attrs: dict[str, str], number_key: str) -> tuple[str, str]:
    number = (attrs.get(number_key) or "").strip()
    name = (attrs.get("contact_name") or "").strip()
    shown = name if name not in _UNKNOWN else number
    return shown or "(번호 없음)", number


def _segment(tag: str, attrs: dict[str, str], texts: list[str], tz: str) -> Segment | None:
    dated = _when(attrs, tz)
    if dated is None:
        return None
    ref: dict[str, Any] = {}
    if tag == "call":
        counterpart, number = _counterpart(attrs, "number")
        kind = attrs.get("type", "")
        seconds = int(attrs.get("duration") or 0) if (attrs.get("duration") or "0").isdigit() else 0
        direction = "out" if kind == "2" else "in"
        length = f" {seconds // 60}분 {seconds % 60}초" if seconds else ""
        text = f"{_CALL_KINDS.get(kind, '통화')}{length} ({counterpart})"
        speaker = ME if direction == "out" else counterpart
        ref.update(duration_s=seconds)
        seg_kind = "text"
    else:
        counterpart, number = _counterpart(attrs, "address")
        sent = attrs.get("type") == "2" if tag == "sms" else attrs.get("msg_box") == "2"
        direction = "out" if sent else "in"
        body = attrs.get("body", "") if tag == "sms" else "\n".join(texts)
        text = body.strip() or ("(멀티미디어 메시지)" if tag == "mms" else "")
        if not text:
            return None
        speaker = ME if sent else counterpart
        seg_kind = "speech"
    ref.update(counterpart=counterpart, number=number, direction=direction, kind=tag)
    return Segment(seq=0, text=text, ts=dated.iso, speaker=speaker, ref=ref, kind=seg_kind, ts_precision="second")
