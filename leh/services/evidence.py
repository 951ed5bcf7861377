"""Evidence use cases: signed and direct upload, listing, detail with a download URL, soft delete, reprocess.

Each function takes the ports it uses (object store, evidence store, queue, index) and the settings it reads.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, TypeVar

from sqlalchemy.orm import Session

from leh.config import Settings
from leh.domain.dates import format_ts
from leh.domain.documents import EvidenceDoc, PublicEvidenceDoc, SegmentDoc, TimelineEventDoc
from leh.domain.errors import Conflict, Forbidden, LehError, NotFound, TooLarge, ValidationFailed
from leh.domain.events import object_created
from leh.domain.evidence import (
    EvidenceStatus,
    counted_ids,
    display_name,
    earliest_copy,
    mark_duplicate,
    new_evidence_doc,
    parse_raw_object_key,
    reset_derived,
    transition,
    type_hint_from_name,
)
from leh.domain.paging import PageInfo, PageRequest, cut
from leh.models import UploadLog, User
from leh.ports import EvidenceStore, ObjectStore, Queue, SearchIndex
from leh.services.cases import require_case
from leh.services.ops.uploads import check_upload_rate
from leh.services.read_cache import cached

_CHUNK = 1024 * 1024
_Dated = TypeVar("_Dated", SegmentDoc, TimelineEventDoc)
DOWNLOAD_URL_SECONDS = 120


class HashingReader:
    """Wraps a stream, hashing and counting what is read through it."""

    def __init__(self, stream: BinaryIO):
        self._stream, self.sha = stream, hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        chunk = self._stream.read(n)
        self.sha.update(chunk)
        self.size += len(chunk)
        return chunk


def _validate_filename(filename: str) -> str:
    """Accept any name a phone or PC gives a file, but keep only a safe display form (no paths, no NUL)."""
    if len(filename) > 4096:
        raise ValidationFailed("INVALID_FILENAME")
    return display_name(filename)


def _enqueue(queue: Queue, doc: EvidenceDoc, reason: str) -> None:
    queue.send(object_created(doc["object_key"], doc["size"], sha256=doc.get("sha256"), reason=reason))


def _log_upload(db: Session, user: User, doc: EvidenceDoc) -> None:
    db.add(UploadLog(user_id=user.id, case_id=doc["case_id"], evidence_id=doc["evidence_id"], size=doc["size"],
                     sha256=doc.get("sha256")))


@dataclass(frozen=True)
class PresignedUpload:
    evidence_id: str
    upload_url: str
    method: str
    headers: dict[str, str]
    fields: dict[str, str]
    expires_in: int
    object_key: str


def create_presigned_upload(db: Session, settings: Settings, objects: ObjectStore, evidence: EvidenceStore, user: User,
                            *, case_id: str, filename: str, content_type: str, size: int) -> PresignedUpload:
    check_upload_rate(db, settings, user)  # 429 past LEH_UPLOAD_RATE_PER_MINUTE (runbook C)
    require_case(db, user, case_id, write=True, allow_closed=False)
    filename = _validate_filename(filename)
    if size < 0:
        raise ValidationFailed()
    if size > settings.max_upload_bytes:
        raise TooLarge()
    evidence_id = str(uuid.uuid4())
    doc = new_evidence_doc(case_id=case_id, evidence_id=evidence_id, filename=filename, size=size,
                           uploaded_by=user.id, type_hint=type_hint_from_name(filename))
    ttl = min(settings.signed_url_seconds, 300)
    # The URL accepts at most the declared size: a signed URL for a small file cannot carry a big one.
    target = objects.presign_upload(doc["object_key"], max_bytes=size, content_type=content_type, expires_in=ttl)
    evidence.put(doc)
    return PresignedUpload(evidence_id, target.url, target.method, target.headers, target.fields, ttl, doc["object_key"])


def check_upload_open(db: Session, evidence: EvidenceStore, key: str) -> EvidenceDoc:
    """What a signed upload URL may still write: the original of evidence that was never confirmed (no SHA-256
    recorded; normally still `uploading`) nor deleted, uploaded by an active user who is still a writing member of
    the open case. Confirmation, deletion, removal from the case, blocking and closing the case all end the URL
    (403 UPLOAD_CLOSED); the write-once store refuses a second PUT."""
    ids = parse_raw_object_key(key)
    doc = evidence.get(ids[1]) if ids else None
    if (doc is None or doc.get("object_key") != key or doc.get("sha256")
            or doc["status"] == EvidenceStatus.DELETED):
        raise Forbidden("UPLOAD_CLOSED")
    uploader = db.get(User, str(doc.get("uploaded_by")))
    if uploader is None or uploader.status == "blocked":
        raise Forbidden("UPLOAD_CLOSED")
    try:
        require_case(db, uploader, doc["case_id"], write=True, allow_closed=False)
    except LehError as exc:
        raise Forbidden("UPLOAD_CLOSED") from exc
    return doc


def _hash_object(objects: ObjectStore, key: str, version: str | None = None) -> tuple[str, int]:
    sha, size = hashlib.sha256(), 0
    with objects.open(key, version=version) as fh:
        while chunk := fh.read(_CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


def complete_upload(db: Session, settings: Settings, objects: ObjectStore, evidence: EvidenceStore, queue: Queue,
                    user: User, evidence_id: str) -> EvidenceDoc:
    doc = get_evidence_for(db, evidence, user, evidence_id, write=True)
    if doc["status"] != EvidenceStatus.UPLOADING:
        return doc  # already confirmed: completing twice is harmless
    info = objects.head(doc["object_key"])
    if info is None:
        raise Conflict("UPLOAD_INCOMPLETE")
    if info.size > settings.max_upload_bytes:
        objects.delete(doc["object_key"])
        raise TooLarge()
    # The version hashed is the version recorded: a later write to the key (S3 accepts the presigned POST until
    # it expires) only adds a newer version, which nothing reads (leh.services.integrity).
    sha256, size = _hash_object(objects, doc["object_key"], info.version)
    original = earliest_copy(copies(evidence, doc["case_id"], sha256), sha256, exclude=evidence_id)

    def confirm(d: EvidenceDoc) -> EvidenceDoc:
        if d["status"] != EvidenceStatus.UPLOADING:
            return d
        d.update({"sha256": sha256, "size": size})
        _record_version(d, info.version)
        mark_duplicate(d, original)
        return transition(d, EvidenceStatus.QUEUED)

    doc = evidence.mutate(evidence_id, confirm)
    _log_upload(db, user, doc)
    _enqueue(queue, doc, "upload")
    return doc


def upload_direct(db: Session, settings: Settings, objects: ObjectStore, evidence: EvidenceStore, queue: Queue,
                  user: User, *, case_id: str, filename: str, stream: BinaryIO) -> EvidenceDoc:
    """Stream one file into the object store, record it and queue it for the worker."""
    check_upload_rate(db, settings, user)  # 429 past LEH_UPLOAD_RATE_PER_MINUTE (runbook C)
    require_case(db, user, case_id, write=True, allow_closed=False)
    filename = _validate_filename(filename)
    evidence_id = str(uuid.uuid4())
    doc = new_evidence_doc(case_id=case_id, evidence_id=evidence_id, filename=filename, size=0,
                           uploaded_by=user.id, type_hint=type_hint_from_name(filename))
    reader = HashingReader(stream)
    info = objects.put(doc["object_key"], reader, max_bytes=settings.max_upload_bytes)  # type: ignore[arg-type]
    doc.update({"sha256": reader.sha.hexdigest(), "size": reader.size})
    _record_version(doc, info.version)
    mark_duplicate(doc, earliest_copy(copies(evidence, case_id, doc["sha256"]), doc["sha256"], exclude=evidence_id))
    transition(doc, EvidenceStatus.QUEUED)
    evidence.put(doc)
    _log_upload(db, user, doc)
    _enqueue(queue, doc, "upload")
    return doc


# An e-mail's attachments become evidence; a mail attached to a mail too, but no deeper than this
# (upload = 0, its attachments 1, theirs 2: a mail at depth 2 keeps its attachments to itself).
MAX_ATTACHMENT_DEPTH = 2
_ATTACHMENT_NS = uuid.UUID("6f1d7c1e-2b7a-4c55-9d1e-8f0a4c3b2a19")


def add_attachments(objects: ObjectStore, evidence: EvidenceStore, queue: Queue, parent: EvidenceDoc,
                    files: Sequence[tuple[str, bytes]]) -> list[str]:
    """Store files found inside `parent` (an e-mail's attachments) as evidence of their own, queued like uploads.

    Each child names its parent (`parent_evidence_id`) and depth; the ids are derived from the parent, the
    position and the content, so processing the mail again (a redelivered message, a reprocess) finds the
    children it made before instead of adding copies. Returns the children's ids, in order. Callers bound the
    count and size; the depth is checked here (nothing is stored below MAX_ATTACHMENT_DEPTH).
    """
    depth = int(parent.get("attachment_depth") or 0) + 1
    if depth > MAX_ATTACHMENT_DEPTH:
        return []
    ids: list[str] = []
    for n, (name, data) in enumerate(files):
        sha256 = hashlib.sha256(data).hexdigest()
        evidence_id = str(uuid.uuid5(_ATTACHMENT_NS, f"{parent['evidence_id']}/{n}/{sha256}"))
        ids.append(evidence_id)
        if evidence.get(evidence_id) is not None:
            continue
        filename = display_name(name)
        doc = new_evidence_doc(case_id=parent["case_id"], evidence_id=evidence_id, filename=filename, size=len(data),
                               uploaded_by=parent["uploaded_by"], type_hint=type_hint_from_name(filename))
        version = _put_once(objects, doc["object_key"], data, sha256)
        doc.update({"sha256": sha256, "parent_evidence_id": parent["evidence_id"], "attachment_depth": depth})
        _record_version(doc, version)
        mark_duplicate(doc, earliest_copy(copies(evidence, parent["case_id"], sha256), sha256, exclude=evidence_id))
        transition(doc, EvidenceStatus.QUEUED)
        evidence.put(doc)
        _enqueue(queue, doc, "attachment")
    return ids


def _put_once(objects: ObjectStore, key: str, data: bytes, sha256: str) -> str | None:
    """Store an original made by the worker; the version that holds it. The store is write-once: a retry after a
    crash between storing and recording finds the key taken — by these very bytes (carry on), or by others
    (refused, never replaced)."""
    try:
        return objects.put(key, io.BytesIO(data), max_bytes=len(data)).version
    except LehError as exc:
        if exc.code != "OBJECT_EXISTS":
            raise
        info = objects.head(key)
        version = info.version if info is not None else None
        if info is None or _hash_object(objects, key, version)[0] != sha256:
            raise
        return version


def _record_version(doc: EvidenceDoc, version: str | None) -> None:
    """Pin the original to the version whose bytes were hashed (none on a store without versions)."""
    if version is not None:
        doc["raw_version"] = version


def get_evidence_for(db: Session, evidence: EvidenceStore, user: User, evidence_id: str, *,
                     write: bool = False) -> EvidenceDoc:
    """The evidence if the user is a member of its case and it is not deleted; 404 otherwise."""
    doc = evidence.get(evidence_id)
    if doc is None or doc["status"] == EvidenceStatus.DELETED:
        raise NotFound("EVIDENCE_NOT_FOUND")
    try:
        require_case(db, user, doc["case_id"], write=write)
    except NotFound as exc:
        raise NotFound("EVIDENCE_NOT_FOUND") from exc
    return doc


def public_doc(doc: EvidenceDoc) -> PublicEvidenceDoc:
    """The document as the API shows it: `id`, and its times as the evidence states them (`event_time_label`,
    each timeline event's `ts_label`: "2023. 12. 25. (밤)" for a day-only fact, never an invented 00:00)."""
    out: PublicEvidenceDoc = {"id": doc["evidence_id"], **doc,
           "event_time_label": format_ts(doc.get("event_time"), doc.get("event_time_precision"),
                                         doc.get("event_time_part_of_day"))}
    if doc.get("timeline"):
        out["timeline"] = [_labelled(event) for event in doc["timeline"]]
    return out


def with_segment_labels(doc: PublicEvidenceDoc) -> PublicEvidenceDoc:
    """The (public) document with each dated segment's `ts_label`: for the detail view, not for lists."""
    return {**doc, "segments": [_labelled(seg) for seg in doc.get("segments") or []]}


def _labelled(item: _Dated) -> _Dated:
    """A copy of a segment or timeline event with `ts_label` (and `refers_to_label` for a resolved relative day)."""
    out = item.copy()
    if item.get("ts"):
        out["ts_label"] = format_ts(item["ts"], item.get("ts_precision"), item.get("ts_part_of_day"))
    refers = item.get("refers_to")
    if refers and refers.get("ts"):
        out["refers_to_label"] = format_ts(refers["ts"], "day", refers.get("part_of_day"), inferred=True)
    return out


def _listed(doc: Mapping[str, Any], *, type: str | None, label: str | None, status: str | None,
            date_from: str | None, date_to: str | None) -> bool:
    """Whether the evidence passes the list filters (deleted evidence never does)."""
    if doc["status"] == EvidenceStatus.DELETED:
        return False  # deleted evidence is gone for every member (its text too): no `?status=deleted` way back
    if (status and doc["status"] != status) or (type and doc.get("type") != type):
        return False
    if label and not any(lb.get("ground") == label or lb.get("tag") == label for lb in doc.get("labels") or []):
        return False
    when = (doc.get("event_time") or doc.get("uploaded_at") or "")[:10]
    return not ((date_from and when < date_from[:10]) or (date_to and when > date_to[:10]))


def _list_order(doc: Mapping[str, Any]) -> tuple[str, str]:
    return (doc.get("event_time") or doc.get("uploaded_at") or "", doc["evidence_id"])


def list_evidence(db: Session, evidence: EvidenceStore, user: User, case_id: str, *, type: str | None = None,
                  label: str | None = None, status: str | None = None, date_from: str | None = None,
                  date_to: str | None = None) -> list[EvidenceDoc]:
    """Whole documents (segments included) of the filtered list, for callers that need them all; the API lists
    with `list_evidence_page`."""
    require_case(db, user, case_id)
    out = [doc for doc in evidence.list_case(case_id)
           if _listed(doc, type=type, label=label, status=status, date_from=date_from, date_to=date_to)]
    out.sort(key=_list_order)
    return out


# ------------------------------------------------------------------ list projection and detail pages
# An evidence list item is the document without the arrays that grow with the evidence (segments, timeline, the
# label engine's hits, correction logs, the names of people found): those come from the detail, a page at a time.
# `segments` and `timeline` stay as (empty) fields beside their counts; `labels` are summaries (no segment lists).
LIST_FIELDS = ("filename", "sha256", "size", "type", "mime", "stage", "progress", "attempts", "error", "status_history",
               "uploaded_by", "uploaded_at", "processed_at", "object_key", "labels", "summary", "insights", "speakers",
               "event_time", "event_time_precision", "event_time_part_of_day", "warnings", "worker_id", "parse_meta",
               "analysis", "duplicate_of", "speakers_map", "speakers_confirmed", "derived_at", "parent_evidence_id",
               "attachment_depth", "attachments", "counterpart", "location", "segment_count", "timeline_count",
               "speakers_ai", "raw_version")
_COUNTED = ("segment_count", "timeline_count")
LIST_INCLUDES = ("segments", "labels", "timeline")
INCLUDE_PAGE_MAX = 20  # evidence per page when `include` asks for arrays (each bounded as a detail page is)


def label_summary(label: Mapping[str, Any]) -> dict[str, Any]:
    """A label as a list shows it: ground, tag, confidence, attribution and how many segments support it."""
    out = {k: label[k] for k in ("ground", "tag", "confidence", "actor", "favours", "source", "actor_side") if k in label}
    out["segment_count"] = len(label.get("segments") or [])
    return out


def parse_include(value: str | None) -> frozenset[str]:
    """`include=segments,labels,timeline`: arrays a list item carries in full (segments: the first page)."""
    names = frozenset(p.strip() for p in (value or "").split(",") if p.strip())
    unknown = names - set(LIST_INCLUDES)
    if unknown:
        raise ValidationFailed("INVALID_INCLUDE", "include에는 segments, labels, timeline 중에서 쉼표로 골라 지정해주세요.")
    return names


def list_item(row: Mapping[str, Any], *, include: frozenset[str] = frozenset(),
              segments: Sequence[SegmentDoc] | None = None) -> dict[str, Any]:
    """A list item from a summary row (`LIST_FIELDS`): `id`, the fields, `event_time_label`, label summaries,
    `segments_total` and `timeline_total` (the arrays themselves only when `include` names them)."""
    required = EvidenceDoc.__required_keys__  # always present (maybe null), as in the document; others when set
    out: dict[str, Any] = {"id": row["evidence_id"], **{k: v for k, v in row.items()
                                                        if k not in _COUNTED and (v is not None or k in required)}}
    out["event_time_label"] = format_ts(row.get("event_time"), row.get("event_time_precision"),
                                        row.get("event_time_part_of_day"))
    labels = row.get("labels") or []
    out["labels"] = list(labels) if "labels" in include else [label_summary(lb) for lb in labels]
    out["insights"], out["speakers"] = list(row.get("insights") or []), list(row.get("speakers") or [])
    out["status_history"] = list(row.get("status_history") or [])
    out["segments_total"], out["timeline_total"] = row.get("segment_count"), row.get("timeline_count") or 0
    out["segments"] = [_labelled(s) for s in segments or []] if "segments" in include else []
    out["timeline"] = [_labelled(e) for e in row.get("timeline") or []] if "timeline" in include else []
    return out


def list_evidence_page(db: Session, evidence: EvidenceStore, user: User, case_id: str, page: PageRequest, *,
                       type: str | None = None, label: str | None = None, status: str | None = None,
                       date_from: str | None = None, date_to: str | None = None, include: frozenset[str] = frozenset(),
                       segments_limit: int = 0) -> tuple[list[dict[str, Any]], PageInfo]:
    """One page of the case's evidence list (ordered by evidence time, then id) as projections: the store reads
    the listed fields only (once per change of the case, `read_cache`), never the segments (`include=segments` reads the first `segments_limit` of each
    evidence on the page, one document at a time)."""
    require_case(db, user, case_id)
    fields = [*LIST_FIELDS, "timeline"] if "timeline" in include else list(LIST_FIELDS)
    # The case's rows, in list order, are kept until any of its evidence changes (shared: list_item copies).
    every = cached(evidence, case_id, f"evidence.list:{len(fields)}", lambda: tuple(
        sorted(evidence.list_summaries(case_ids=[case_id], fields=fields), key=_list_order)))
    rows = [r for r in every if _listed(r, type=type, label=label, status=status, date_from=date_from, date_to=date_to)]
    shown, info = cut(rows, page)
    items = []
    for row in shown:
        segs: list[SegmentDoc] = []
        if "segments" in include and segments_limit > 0:
            got = evidence.get_page(row["evidence_id"], offset=0, limit=segments_limit)
            segs = got[0]["segments"] if got is not None else []
        items.append(list_item(row, include=include, segments=segs))
    return items, info


def detail_page(doc: EvidenceDoc, total: int, page: PageRequest) -> dict[str, Any]:
    """The detail document around one page of segments (`doc["segments"]` holds that page): `segments_total`,
    `segments_offset`, `segments_limit`, `segments_next`; the label engine's `hits` and the timeline events are
    cut to the page's segments (an event without segments goes with the first page)."""
    out: dict[str, Any] = dict(with_segment_labels(public_doc(doc)))
    seqs = {s.get("seq") for s in doc.get("segments") or []}
    if "hits" in doc:
        out["hits"] = [h for h in doc.get("hits") or [] if h.get("seq") in seqs]
    events = doc.get("timeline") or []
    out["timeline"] = [_labelled(e) for e in events
                       if (seqs & set(e.get("segments") or [])) or (not e.get("segments") and page.offset == 0)]
    out.update({"segments_total": total, "segments_offset": page.offset, "segments_limit": page.limit,
                "segments_next": page.end if page.end < total else None, "timeline_total": len(events)})
    return out


def get_evidence_page(db: Session, evidence: EvidenceStore, user: User, evidence_id: str,
                      page: PageRequest) -> tuple[EvidenceDoc, int]:
    """The evidence with one page of its segments and their number, if the user is a member (404 otherwise)."""
    got = evidence.get_page(evidence_id, offset=page.offset, limit=page.limit)
    if got is None or got[0]["status"] == EvidenceStatus.DELETED:
        raise NotFound("EVIDENCE_NOT_FOUND")
    try:
        require_case(db, user, got[0]["case_id"])
    except NotFound as exc:
        raise NotFound("EVIDENCE_NOT_FOUND") from exc
    return got


def download_url(objects: ObjectStore, doc: Mapping[str, Any], *, inline: bool = False) -> str:
    """A short-lived URL of the original: a download, or (`inline`) a preview for <img>/<audio>/<video> that the
    server grants only to types LEH renders itself (leh.domain.originals)."""
    return objects.presign_download(doc["object_key"], filename=doc["filename"], expires_in=DOWNLOAD_URL_SECONDS,
                                    inline=inline, version=doc.get("raw_version") or None)


def delete_evidence(db: Session, evidence: EvidenceStore, index: SearchIndex, user: User, evidence_id: str) -> EvidenceDoc:
    doc = get_evidence_for(db, evidence, user, evidence_id, write=True)
    doc = evidence.mutate(evidence_id, lambda d: transition(d, EvidenceStatus.DELETED))
    index.remove_evidence(doc["case_id"], evidence_id)
    # A copy of the same content becomes the counted one: it loses its duplicate mark and takes the index place.
    relink_duplicates(evidence, doc["case_id"], doc.get("sha256"))
    settle_index(evidence, index, doc["case_id"], doc.get("sha256"))
    return doc


def requeue(evidence: EvidenceStore, index: SearchIndex, queue: Queue, evidence_id: str, *, reason: str) -> EvidenceDoc:
    """Reset derived data and queue the evidence again (reprocess, breaker closed, redrive after a fix)."""
    def reset(d: EvidenceDoc) -> EvidenceDoc:
        if d["status"] == EvidenceStatus.DELETED:
            raise NotFound("EVIDENCE_NOT_FOUND")
        if d["status"] in (EvidenceStatus.UPLOADING,):
            raise Conflict("UPLOAD_INCOMPLETE")
        reset_derived(d)
        d["attempts"] = 0
        return transition(d, EvidenceStatus.QUEUED)

    doc = evidence.mutate(evidence_id, reset)
    index.remove_evidence(doc["case_id"], evidence_id)
    settle_index(evidence, index, doc["case_id"], doc.get("sha256"))  # a processed copy stands in meanwhile
    _enqueue(queue, doc, reason)
    return doc


def ensure_exists(evidence: EvidenceStore, evidence_id: str) -> EvidenceDoc:
    doc = evidence.get(evidence_id)
    if doc is None:
        raise NotFound("EVIDENCE_NOT_FOUND")
    return doc


# ------------------------------------------------------------------ duplicates
# Identical content (same sha256) in one case: every copy is kept (chain of custody; the lawyer decides), the later
# ones carry `duplicate_of` and a DUPLICATE_EVIDENCE warning, and only one copy counts (`counted_ids`: the earliest
# processed one). The search index holds only the counted copy, so search and answers count it once without
# filtering hits; timeline and draft filter the documents they read.


def copies(evidence: EvidenceStore, case_id: str, sha256: str | None) -> list[dict[str, Any]]:
    """The case's evidence (not deleted) with this content: id, status, sha256, uploaded_at and duplicate_of only."""
    if not sha256:
        return []
    rows = evidence.list_summaries(case_ids=[case_id], fields=["sha256", "uploaded_at", "duplicate_of"])
    return [d for d in rows if d.get("sha256") == sha256]


def counts(evidence: EvidenceStore, doc: EvidenceDoc) -> bool:
    """Whether `doc` (processed, or about to be) is its content's counted copy among the processed ones."""
    done = [d for d in copies(evidence, doc["case_id"], doc.get("sha256"))
            if d["status"] == EvidenceStatus.DONE and d["evidence_id"] != doc["evidence_id"]]
    return doc["evidence_id"] in counted_ids([*done, doc])


def index_if_counted(evidence: EvidenceStore, index: SearchIndex, doc: EvidenceDoc,
                     tokens: Sequence[tuple[str, str]] | None = None) -> int:
    """(Re)index the evidence when it is the counted copy of its content, else keep it out: segments indexed.
    `tokens`: the segments' search tokens and spans when the analysis already computed them."""
    if counts(evidence, doc):
        return index.index_evidence(doc, tokens)
    index.remove_evidence(doc["case_id"], doc["evidence_id"])
    return 0


def settle_index(evidence: EvidenceStore, index: SearchIndex, case_id: str, sha256: str | None) -> None:
    """After a copy of this content was processed, deleted or reset: only the counted processed copy is indexed."""
    done = [d for d in copies(evidence, case_id, sha256) if d["status"] == EvidenceStatus.DONE]
    if not done:
        return
    keep = counted_ids(done)
    for d in done:
        if d["evidence_id"] not in keep:
            index.remove_evidence(case_id, d["evidence_id"])
    indexed = index.count(case_id)
    for eid in keep - set(indexed):
        full = evidence.get(eid)
        if full is not None and full["status"] == EvidenceStatus.DONE:
            index.index_evidence(full)


def relink_duplicates(evidence: EvidenceStore, case_id: str, sha256: str | None) -> None:
    """Point every remaining copy at the earliest one (which itself is no longer a duplicate)."""
    same = copies(evidence, case_id, sha256)
    first = earliest_copy(same, sha256)
    for d in same:
        want = None if d["evidence_id"] == first else first
        if d.get("duplicate_of") != want:
            evidence.mutate(d["evidence_id"], _marker(want))


def _marker(original: str | None) -> Callable[[EvidenceDoc], EvidenceDoc]:
    return lambda d: mark_duplicate(d, original)
