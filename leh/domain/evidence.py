"""The evidence document (DESIGN.md section 4): statuses, types, segments and lifecycle transitions. No I/O."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final, cast

from leh.domain.documents import ErrorInfo, EvidenceDoc, SegmentDoc, WarningInfo
from leh.domain.errors import ERROR_MESSAGES_KO, Conflict, LehError


class EvidenceStatus(StrEnum):
    UPLOADING = "uploading"
    QUEUED = "queued"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"
    PAUSED = "paused"
    DELETED = "deleted"


class EvidenceType(StrEnum):
    TEXT = "text"
    KAKAOTALK = "kakaotalk"
    PDF = "pdf"
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    DOCX = "docx"
    HWP = "hwp"  # 한글: HWP 5 and HWPX
    SPREADSHEET = "spreadsheet"  # .xlsx
    STATEMENT = "statement"  # a bank or card statement (CSV or XLSX): one segment per transaction
    EMAIL = "email"  # .eml (attachments become evidence of their own)
    SMS = "sms"  # an Android SMS/MMS backup (SMS Backup & Restore XML)
    CALL_LOG = "call_log"  # an Android call-log backup (same app, <calls>)
    UNKNOWN = "unknown"


class Stage(StrEnum):
    EXTRACT = "extract"
    ANALYZE = "analyze"
    INDEX = "index"


class ParseStage(StrEnum):
    """Finer stages inside `extract`, reported by parsers while they work (shown in Korean on the pages)."""

    TRANSCRIBE = "transcribe"  # speech to text, by decoded seconds
    OCR = "ocr"  # scanned pages / images, by page
    READ_PAGES = "read_pages"  # PDF text layer, by page
    READ_TEXT = "read_text"  # text and KakaoTalk exports, by bytes read


TERMINAL: Final = frozenset({EvidenceStatus.DONE, EvidenceStatus.FAILED, EvidenceStatus.PAUSED})

# Allowed lifecycle moves. Any terminal state may go back to `queued` (reprocess); `deleted` is final.
_ALLOWED: Final[dict[EvidenceStatus, frozenset[EvidenceStatus]]] = {
    EvidenceStatus.UPLOADING: frozenset({EvidenceStatus.QUEUED, EvidenceStatus.PROCESSING, EvidenceStatus.FAILED}),
    EvidenceStatus.QUEUED: frozenset({EvidenceStatus.PROCESSING, EvidenceStatus.PAUSED, EvidenceStatus.FAILED}),
    EvidenceStatus.PROCESSING: frozenset(
        {EvidenceStatus.DONE, EvidenceStatus.FAILED, EvidenceStatus.PAUSED, EvidenceStatus.QUEUED}
    ),
    EvidenceStatus.DONE: frozenset({EvidenceStatus.QUEUED}),
    EvidenceStatus.FAILED: frozenset({EvidenceStatus.QUEUED}),
    EvidenceStatus.PAUSED: frozenset({EvidenceStatus.QUEUED}),
    EvidenceStatus.DELETED: frozenset(),
}


@dataclass
class Segment:
    """One unit of evidence text: a chat message, a paragraph, an OCR line, a stretch of speech.

    `kind` is "speech" for words someone said or wrote, "system" for chat system lines
    (입장/퇴장, 사진, 삭제된 메시지입니다 …) that are kept but are not anybody's words, and "text" for
    document text without a speaker.
    """

    seq: int
    text: str
    ts: str | None = None
    speaker: str | None = None
    ref: dict[str, Any] = field(default_factory=dict)
    kind: str = "speech"
    ts_precision: str | None = None  # day | minute | second (leh.domain.dates); None: read from ts
    ts_part_of_day: str | None = None  # 밤, 새벽 …: written beside a day-only date

    def to_dict(self) -> SegmentDoc:
        out = asdict(self)
        for key in ("ts_precision", "ts_part_of_day"):
            if out[key] is None or out["ts"] is None:
                del out[key]
        return cast(SegmentDoc, out)  # cast: asdict gives dict[str, Any]; the fields are SegmentDoc's


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def can_transition(current: EvidenceStatus | str, new: EvidenceStatus | str) -> bool:
    cur, nxt = EvidenceStatus(current), EvidenceStatus(new)
    if nxt == EvidenceStatus.DELETED:
        return cur != EvidenceStatus.DELETED
    return cur == nxt or nxt in _ALLOWED[cur]


def transition(doc: EvidenceDoc, new: EvidenceStatus | str, *, at: str | None = None, **fields: Any) -> EvidenceDoc:
    """Move `doc` to status `new`, appending to `status_history`. Raises Conflict on a forbidden move."""
    d = cast(MutableMapping[str, Any], doc)  # `fields` may set any top-level field
    cur = d.get("status", EvidenceStatus.UPLOADING)
    if not can_transition(cur, new):
        raise Conflict("INVALID_TRANSITION", f"현재 상태({cur})에서는 {new} 상태로 바꿀 수 없습니다. 새로고침 후 다시 시도해주세요.")
    at = at or now_iso()
    d["status"] = str(EvidenceStatus(new))
    d.setdefault("status_history", []).append({"status": d["status"], "at": at})
    d.update(fields)
    return doc


def error_dict(err: LehError) -> ErrorInfo:
    return {"code": err.code, "message": err.message_ko}


_UNSAFE_CHARS = re.compile(r"[^\w.\-가-힣()\[\] ]+", re.UNICODE)
# Bytes, not characters: Hangul takes 3 bytes in UTF-8, and with the "{evidence_id}_" prefix a key's last
# part must stay under the 255-byte file-name limit of local file systems.
MAX_SAFE_NAME_BYTES: Final = 180


def _cut_utf8(text: str, max_bytes: int) -> str:
    return text.encode("utf-8")[:max_bytes].decode("utf-8", "ignore")


def safe_name(filename: str) -> str:
    """A filename that is safe as the last part of an object key: no path parts, no control characters.

    Keeps Korean, letters, digits and a few punctuation marks, collapses the rest to `_`, and shortens
    long names (by UTF-8 bytes) while keeping the extension.
    """
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    name = _UNSAFE_CHARS.sub("_", name).strip(" .")
    if not name:
        name = "file"
    if len(name.encode("utf-8")) > MAX_SAFE_NAME_BYTES:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = _cut_utf8(stem, MAX_SAFE_NAME_BYTES - len(ext.encode("utf-8")) - 1) + "." + ext
        else:
            name = _cut_utf8(name, MAX_SAFE_NAME_BYTES)
    return name


MAX_DISPLAY_NAME_CHARS: Final = 255


def display_name(filename: str) -> str:
    """The name shown to users: the last path part, without control characters (NUL …), at most 255 characters."""
    name = unicodedata.normalize("NFC", filename or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if len(name) > MAX_DISPLAY_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        keep = MAX_DISPLAY_NAME_CHARS - len(ext) - 1
        name = stem[:keep] + "." + ext if dot and 0 < len(ext) <= 10 else name[:MAX_DISPLAY_NAME_CHARS]
    return name or "file"


# Runs of digits as long as a phone, card, account or 주민등록번호 (separators allowed): kept out of object keys,
# which travel into queue messages, logs and the object store's own access logs (issue #15).
_NUMBER_RUN: Final = re.compile(r"\d(?:[\s.\-]?\d){5,}")
# A word of the name (between spaces or underscores) that holds a digit may be a password or a number in any
# format ("Tiger!Lily#2291", "pw_hunter2"): it is left out of the key whole, not made "safe" character by character.
_WORD_WITH_DIGIT: Final = re.compile(r"[^\s_]*\d[^\s_]*")


def raw_object_key(case_id: str, evidence_id: str, filename: str) -> str:
    """The original's key: ids and the file's safe name with long digit runs (RRN, phone …) and every word that
    holds a digit replaced by `#` (the extension is kept: "mp3", "m4a")."""
    name = filename.replace("\\", "/").split("/")[-1]
    stem, dot, ext = name.rpartition(".")
    if not dot or not ext.isalnum():
        stem, dot, ext = name, "", ""
    stem = _NUMBER_RUN.sub("#", _WORD_WITH_DIGIT.sub("#", stem))
    return f"cases/{case_id}/raw/{evidence_id}_{safe_name(stem + dot + ext)}"


_RAW_KEY = re.compile(r"^cases/(?P<case_id>[0-9a-f-]{36})/raw/(?P<evidence_id>[0-9a-f-]{36})_")


def parse_raw_object_key(key: str) -> tuple[str, str] | None:
    """(case_id, evidence_id) from a raw object key, or None if the key is not a raw evidence key."""
    m = _RAW_KEY.match(key)
    return (m["case_id"], m["evidence_id"]) if m else None


def new_evidence_doc(
    *, case_id: str, evidence_id: str, filename: str, size: int, uploaded_by: str, type_hint: str = "unknown"
) -> EvidenceDoc:
    """A new document in `uploading`."""
    at = now_iso()
    doc: EvidenceDoc = {
        "case_id": case_id,
        "evidence_id": evidence_id,
        "filename": filename,
        "sha256": None,
        "size": size,
        "type": type_hint,
        "status": str(EvidenceStatus.UPLOADING),
        "stage": None,
        "progress": 0.0,
        "attempts": 0,
        "error": None,
        "status_history": [{"status": str(EvidenceStatus.UPLOADING), "at": at}],
        "uploaded_by": uploaded_by,
        "uploaded_at": at,
        "processed_at": None,
        "object_key": raw_object_key(case_id, evidence_id, filename),
        "segments": [],
        "labels": [],
        "summary": None,
        "insights": [],
        "speakers": [],
        "event_time": None,
        "timeline": [],
        "warnings": [],
    }
    return doc


DERIVED_FIELDS: Final = ("segments", "labels", "summary", "insights", "speakers", "event_time", "timeline", "warnings")


# What a lawyer decided about an evidence, and its identity among identical files: never derived, so reprocessing
# keeps them (the processor re-applies the corrections after parsing and analysis).
KEPT_ON_REPROCESS: Final = ("label_corrections", "segment_corrections", "duplicate_of")


def reset_derived(doc: EvidenceDoc) -> EvidenceDoc:
    """Clear what the pipeline derived, for reprocessing from the raw object; KEPT_ON_REPROCESS stays."""
    d = cast(MutableMapping[str, Any], doc)
    d.update(segments=[], labels=[], summary=None, insights=[], speakers=[], event_time=None, timeline=[],
             warnings=[])
    d.pop("event_time_precision", None)
    d.pop("event_time_part_of_day", None)
    d.update(stage=None, progress=0.0, error=None, processed_at=None)
    return doc


_EXT_TYPES: Final[dict[str, EvidenceType]] = {
    "txt": EvidenceType.TEXT, "csv": EvidenceType.TEXT, "pdf": EvidenceType.PDF,
    "jpg": EvidenceType.IMAGE, "jpeg": EvidenceType.IMAGE, "png": EvidenceType.IMAGE, "webp": EvidenceType.IMAGE,
    "heic": EvidenceType.IMAGE, "gif": EvidenceType.IMAGE, "bmp": EvidenceType.IMAGE, "tif": EvidenceType.IMAGE,
    "tiff": EvidenceType.IMAGE, "mp3": EvidenceType.AUDIO, "m4a": EvidenceType.AUDIO, "wav": EvidenceType.AUDIO,
    "ogg": EvidenceType.AUDIO, "amr": EvidenceType.AUDIO, "aac": EvidenceType.AUDIO, "mp4": EvidenceType.VIDEO,
    "mov": EvidenceType.VIDEO, "docx": EvidenceType.DOCX, "hwp": EvidenceType.HWP,
    "hwpx": EvidenceType.HWP, "xlsx": EvidenceType.SPREADSHEET,
    "eml": EvidenceType.EMAIL,
}


def type_hint_from_name(filename: str) -> EvidenceType:
    """A first guess from the extension, shown until the worker detects the type from the content."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return _EXT_TYPES.get(ext, EvidenceType.UNKNOWN)


def _upload_order(doc: Mapping[str, Any]) -> tuple[str, str]:
    return (str(doc.get("uploaded_at") or ""), str(doc["evidence_id"]))


def earliest_copy(docs: Iterable[Mapping[str, Any]], sha256: str | None, *, exclude: str | None = None) -> str | None:
    """The evidence id of the earliest upload (not deleted) with this content, or None: what `duplicate_of` names."""
    if not sha256:
        return None
    same = [d for d in docs if d.get("sha256") == sha256 and d.get("status") != EvidenceStatus.DELETED
            and d["evidence_id"] != exclude]
    return str(min(same, key=_upload_order)["evidence_id"]) if same else None


def counted_ids(docs: Iterable[Mapping[str, Any]]) -> set[str]:
    """The evidence that counts in timeline, search, draft and answers: one per content among the given documents.

    Of the given (processed) documents with the same sha256, the earliest upload counts; the others are duplicates.
    When that one is deleted or reprocessed, the next earliest processed copy counts, with nothing to rewrite.
    Documents without a sha256 always count.
    """
    best: dict[str, Mapping[str, Any]] = {}
    for d in docs:
        key = str(d.get("sha256") or "id:" + str(d["evidence_id"]))
        if key not in best or _upload_order(d) < _upload_order(best[key]):
            best[key] = d
    return {str(d["evidence_id"]) for d in best.values()}


DUPLICATE_WARNING: Final = "DUPLICATE_EVIDENCE"


def duplicate_warnings(doc: Mapping[str, Any]) -> list[WarningInfo]:
    """The Korean warning a duplicate carries (it can be removed; it counts once), or nothing."""
    if not doc.get("duplicate_of"):
        return []
    return [{"code": DUPLICATE_WARNING, "message": ERROR_MESSAGES_KO[DUPLICATE_WARNING]}]


def mark_duplicate(doc: EvidenceDoc, original: str | None) -> EvidenceDoc:
    """Record (or, with None, clear) that `doc` has the same content as the earlier evidence `original`."""
    d = cast(MutableMapping[str, Any], doc)
    if original:
        d["duplicate_of"] = original
    else:
        d.pop("duplicate_of", None)
    kept = [w for w in d.get("warnings") or [] if w.get("code") != DUPLICATE_WARNING]
    d["warnings"] = kept + duplicate_warnings(d)
    return doc
