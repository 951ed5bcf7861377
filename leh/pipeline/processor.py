"""Processes one evidence: detect → extract → analyze → index → done, writing stage and progress as it goes.

Idempotent: an event for evidence that is already done, failed, paused or deleted changes nothing, and
indexing replaces the evidence's previous entries, so a redelivered message never duplicates anything.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from leh.analysis.analyzer import analyze_document, context_of, evidence_time_fields
from leh.analysis.corrections import apply_segment_corrections, corrected_analysis
from leh.analysis.relative_dates import annotate_relative_dates
from leh.domain.documents import DerivedDoc, EvidenceDoc, SegmentDoc, WarningInfo
from leh.domain.errors import ERROR_MESSAGES_KO, EvidenceError, LehError
from leh.domain.events import ObjectCreated
from leh.domain.evidence import (
    EvidenceStatus,
    Stage,
    duplicate_warnings,
    earliest_copy,
    mark_duplicate,
    now_iso,
    transition,
)
from leh.pipeline.capped import shared_child
from leh.pipeline.detect import detect_type
from leh.pipeline.parsers import PARSERS
from leh.pipeline.parsers.base import ParseContext, ParseLimits, ParseResult
from leh.pipeline.split import split_long_segments
from leh.ports import Ports, reset_progress_sink, set_progress_sink
from leh.services import integrity
from leh.services import parties as case_parties
from leh.services.breakers import is_open
from leh.services.evidence import MAX_ATTACHMENT_DEPTH, add_attachments, copies, index_if_counted, settle_index
from leh.services.ops.usage import record_analysis, record_transcription
from leh.services.pseudonyms import names_fields
from leh.services.rederive import attribute_analysis, derive

log = logging.getLogger("leh.worker")

_PROCESSABLE = {EvidenceStatus.UPLOADING, EvidenceStatus.QUEUED, EvidenceStatus.PROCESSING}


def parse_limits(c: Ports) -> ParseLimits:
    s = c.settings
    return ParseLimits(max_text_bytes=s.max_text_mb * 1024 * 1024, max_pdf_pages=s.max_pdf_pages,
                       max_image_pixels=s.max_image_megapixels * 1_000_000, max_audio_seconds=s.max_audio_minutes * 60,
                       parse_timeout_seconds=s.parse_timeout_seconds, child_memory_mb=s.parser_memory_mb,
                       max_segments=s.max_segments, max_attachment_bytes=s.max_upload_bytes,
                       max_analysis_chars=s.max_analysis_chars)


def run_parser(evidence_type: str, path: Path, ctx: ParseContext,
               on_progress: Callable[[float, str], None] | None = None) -> ParseResult:
    """Run the parser for the type, in the sandbox when it is isolated; `on_progress(fraction, stage)` hears the
    parser's `report_progress` calls."""
    spec = PARSERS.get(evidence_type)
    if spec is None:
        raise EvidenceError("UNSUPPORTED_TYPE")
    if spec.isolated:
        from leh.pipeline.sandbox import run_isolated

        return run_isolated(spec.target, path, ctx, timeout_s=ctx.limits.parse_timeout_seconds,
                            memory_mb=ctx.limits.child_memory_mb, on_progress=on_progress)
    module, func = spec.target.split(":")
    parse: Callable[[Path, ParseContext], ParseResult] = getattr(importlib.import_module(module), func)
    token = set_progress_sink(on_progress)
    try:
        return parse(path, ctx)
    finally:
        reset_progress_sink(token)


# The extract stage spans this part of the overall progress bar (start is where processing begins), analyze the next.
EXTRACT_START, EXTRACT_END = 0.05, 0.6
ANALYZE_START, ANALYZE_END = 0.6, 0.85
PROGRESS_WRITE_INTERVAL_S = 1.0


class _ProgressWriter:
    """Writes a parser's (or the analysis') progress into the evidence document: mapped into the extract span (or
    `span`), at most once a second, only forwards, and never fails the work (a deleted or reset evidence just stops
    being updated)."""

    def __init__(self, c: Ports, evidence_id: str, span: tuple[float, float] = (EXTRACT_START, EXTRACT_END)):
        self.c, self.evidence_id = c, evidence_id
        self.start, self.end = span
        self.last_at = 0.0
        self.last_value = self.start
        self.last_stage: str | None = None

    def __call__(self, fraction: float, stage: str) -> None:
        now = time.monotonic()
        value = round(self.start + (self.end - self.start) * min(1.0, max(0.0, fraction)), 3)
        if stage == self.last_stage and (now - self.last_at < PROGRESS_WRITE_INTERVAL_S or value <= self.last_value):
            return
        self.last_at, self.last_stage, self.last_value = now, stage, max(value, self.last_value)
        with contextlib.suppress(LehError):
            self.c.evidence.update(self.evidence_id, {"progress": self.last_value, "stage": stage},
                                   expect_status=[EvidenceStatus.PROCESSING])


class EvidenceProcessor:
    def __init__(self, c: Ports, *, worker_id: str = "inline"):
        self.c = c
        self.worker_id = worker_id

    def _set(self, evidence_id: str, **changes: Any) -> EvidenceDoc:
        return self.c.evidence.update(evidence_id, changes, expect_status=[EvidenceStatus.PROCESSING])

    def _download(self, doc: EvidenceDoc, path: Path) -> EvidenceDoc:
        """Fetch the original into `path`: the version recorded at confirmation, never whatever the key holds now
        (a newer version is reported, leh.services.integrity). Evidence never confirmed (S3's notification started
        the work without upload-complete) is confirmed here: the current version is fetched, hashed and recorded
        (sha256, size, raw_version), and from then on that version is the original."""
        c = self.c
        key, version = doc["object_key"], integrity.raw_version(doc)
        try:
            if doc.get("sha256"):
                c.objects.download_to(key, path, version=version)
                integrity.newer_version(c.sessions, c.objects, doc, where="worker")
                return doc
            info = c.objects.head(key)
            if info is None:
                raise FileNotFoundError(key)
            c.objects.download_to(key, path, version=info.version)
        except FileNotFoundError as exc:
            # The object may not be visible yet (S3 eventual consistency): worth retrying.
            raise EvidenceError("OBJECT_MISSING", retryable=True) from exc
        with open(path, "rb") as fh:
            sha256, size = integrity.hash_stream(fh)
        original = earliest_copy(copies(c.evidence, doc["case_id"], sha256), sha256, exclude=doc["evidence_id"])

        def confirm(d: EvidenceDoc) -> EvidenceDoc:
            if not d.get("sha256"):  # else confirmed meanwhile: the recorded hash is checked below
                d.update({"sha256": sha256, "size": size})
                if info.version is not None:
                    d["raw_version"] = info.version
                mark_duplicate(d, original)  # as upload-complete does
            return d

        return c.evidence.mutate(doc["evidence_id"], confirm)

    def _newer_version(self, doc: EvidenceDoc, event: ObjectCreated) -> None:
        """S3 announces every write to the key: after confirmation, one is a newer version that nobody reads but
        that is reported. Looking must not fail the (harmless) notification."""
        try:
            integrity.newer_version(self.c.sessions, self.c.objects, doc, where="notification", seen=event.version)
        except Exception:
            log.warning("could not look for a newer version of the original", exc_info=True,
                        extra={"evidence_id": doc["evidence_id"]})

    def _extract(self, doc: EvidenceDoc) -> tuple[ParseResult, Any]:
        """Download the original, check it against its recorded hash, detect its type and parse it (sandboxed)."""
        c = self.c
        with tempfile.TemporaryDirectory(prefix="leh-") as tmp:
            path = Path(tmp) / "raw"
            doc = self._download(doc, path)
            try:
                integrity.check_file(c.sessions, path, doc, where="worker")  # never analyse bytes that changed
            except integrity.IntegrityMismatch as exc:
                raise EvidenceError(integrity.CODE) from exc
            detected = detect_type(path, doc["filename"])
            # What the bytes are decides how the original may be served (leh.domain.originals), never its name.
            self._set(doc["evidence_id"], mime=detected.mime)
            # Engines go by name (c.engine_choice): isolated parsers build them in their sandboxed child.
            ctx = ParseContext(filename=doc["filename"], timezone=c.settings.timezone, limits=parse_limits(c),
                               engines=c.engine_choice)
            result = run_parser(str(detected.type), path, ctx, _ProgressWriter(c, doc["evidence_id"]))
        return result, detected

    def _analyse(self, doc: EvidenceDoc, result: ParseResult
                 ) -> tuple[list[SegmentDoc], DerivedDoc, list[WarningInfo], dict[str, Any], list[Any] | None]:
        """Segments (with the lawyer's transcript corrections) → labels attributed to the parties, the lawyer's label
        corrections re-applied, the warnings the lawyer must see, the fields of files found inside it, and the
        segments' search tokens when the analysis computed them."""
        c = self.c
        # Huge segments are cut first (offsets kept in ref["char"]), so the lawyer's corrections, which name the
        # stored segments, still find theirs; they go in before analysis, so labels are found in the corrected words.
        segments, stale = apply_segment_corrections(split_long_segments([s.to_dict() for s in result.segments]),
                                                    doc.get("segment_corrections"))
        if sum(len(str(s.get("text") or "")) for s in segments) > c.settings.max_analysis_chars:
            raise EvidenceError("ANALYSIS_TOO_LARGE")
        annotate_relative_dates(segments)  # "어제 밤" → refers_to, counted from each segment's own date
        derived, indexed = self._labels(doc, segments, result)
        derived.update(evidence_time_fields(segments, derived.get("event_time"), result.event_time,
                                            result.event_time_precision))
        with c.sessions() as db:
            parties = case_parties.load(db, doc["case_id"])
        # Who did what: speakers → parties (the lawyer's confirmed map kept), labels given actor and favours.
        derived = attribute_analysis(segments, derived, parties, current_map=doc.get("speakers_map"),
                                     confirmed=bool(doc.get("speakers_confirmed")))
        # Then the lawyer's label corrections, which outrank the engine; attributed again so that lawyer labels get
        # their actor and favours and the timeline names who did what.
        derived = corrected_analysis(segments, derived, doc.get("label_corrections"))
        if doc.get("label_corrections") and "hits" in derived:
            derived.update(derive({**derived, "segments": segments}, parties, speakers_map=derived.get("speakers_map")))
        if not str((derived.get("analysis") or {}).get("engine", "")).startswith("openai:"):
            # OpenAI calls record their own tokens; offline work is recorded here so the budget sees it too.
            record_analysis(c.usage, doc, segments)  # ai_usage row + per-case token budget (runbook C)
        extra = self._attachments(doc, result)
        codes = [*result.warnings, *(["SEGMENT_CORRECTION_STALE"] if stale else []),
                 *(["ATTACHMENTS_TOO_DEEP"] if result.attachments and "attachments" not in extra else [])]
        warnings: list[WarningInfo] = [{"code": code, "message": ERROR_MESSAGES_KO[code]} for code in codes]
        warnings += duplicate_warnings(doc)
        for code in result.warnings:
            # An operator must notice (leh ops diagnose counts these); ids only, never evidence text.
            log.warning("evidence processed with a warning", extra={
                "evidence_id": doc["evidence_id"], "case_id": doc["case_id"], "code": code,
                "engine": result.meta.get("engine")})
        return segments, derived, warnings, extra, indexed

    def _labels(self, doc: EvidenceDoc, segments: list[SegmentDoc], result: ParseResult
                ) -> tuple[DerivedDoc, list[Any] | None]:
        """The analysis fields, and the search tokens when computed with them. Offline (the default) both come from
        the capped analysis child, under the parsers' memory and time caps, with progress in the analyze span; an
        AI engine (a built client, which cannot cross into a child) is asked here."""
        c = self.c
        if c.analysis_engine is None and not c.settings.openai_api_key:
            s = c.settings
            out: tuple[DerivedDoc, list[Any]] = shared_child(s.parser_memory_mb).call(
                "leh.analysis.analyzer:analyze_bounded", (segments,), kwargs={"event_time": result.event_time},
                timeout_s=s.parse_timeout_seconds,
                on_progress=_ProgressWriter(c, doc["evidence_id"], (ANALYZE_START, ANALYZE_END)))
            return out
        # The names this evidence holds, before any AI call: the case's pseudonyms number them in the order the
        # case first saw them (leh.services.pseudonyms), kept when the evidence is processed again.
        names = names_fields(segments, doc.get("person_names_at") or now_iso())
        doc = self._set(doc["evidence_id"], **names)
        return analyze_document(segments, event_time=result.event_time, engine=c.analysis_engine,
                                context=context_of(doc)), None

    def process(self, event: ObjectCreated) -> str:
        """Run the pipeline for one event. Returns what happened: done, skipped, paused. Raises on failure."""
        c = self.c
        doc = c.evidence.get(event.evidence_id)
        if doc is None or doc["status"] not in _PROCESSABLE:
            if doc is not None and event.source == "aws:s3":
                self._newer_version(doc, event)
            return "skipped"
        with c.sessions() as db:
            paused = is_open(db, doc["case_id"])
        if paused:
            c.evidence.mutate(event.evidence_id, lambda d: transition(d, EvidenceStatus.PAUSED, stage=None)
                              if d["status"] in _PROCESSABLE else d)
            return "paused"

        def start(d: EvidenceDoc) -> EvidenceDoc:
            if d["status"] not in _PROCESSABLE:
                raise _Skip()
            return transition(d, EvidenceStatus.PROCESSING, stage=str(Stage.EXTRACT), progress=0.05,
                              attempts=int(d.get("attempts") or 0) + 1, error=None, worker_id=self.worker_id)

        try:
            doc = c.evidence.mutate(event.evidence_id, start)
        except _Skip:
            return "skipped"
        log.info("processing started", extra={"evidence_id": doc["evidence_id"], "case_id": doc["case_id"],
                                              "attempt": doc["attempts"]})
        result, detected = self._extract(doc)
        record_transcription(c.usage, doc, result.meta)  # OpenAI speech-to-text is a billed call
        doc = self._set(doc["evidence_id"], stage=str(Stage.ANALYZE), progress=0.6,
                        type=result.detected_type or str(detected.type))
        segments, derived, warnings, extra, indexed = self._analyse(doc, result)
        doc = self._set(doc["evidence_id"], stage=str(Stage.INDEX), progress=ANALYZE_END, segments=segments,
                        parse_meta=result.meta, warnings=warnings, **extra, **derived)
        # A copy of content already processed stays out of the index; tokens computed by the analysis are reused.
        index_if_counted(c.evidence, c.index, doc, indexed)

        def finish(d: EvidenceDoc) -> EvidenceDoc:
            if d["status"] != EvidenceStatus.PROCESSING:
                raise _Skip()  # deleted or reset while we worked: leave it as the user left it
            return transition(d, EvidenceStatus.DONE, stage=None, progress=1.0, processed_at=now_iso(), worker_id=None)

        try:
            c.evidence.mutate(doc["evidence_id"], finish)
        except _Skip:
            current = c.evidence.get(doc["evidence_id"])
            if current and current["status"] == EvidenceStatus.DELETED:
                c.index.remove_evidence(doc["case_id"], doc["evidence_id"])
            return "skipped"
        if len(copies(c.evidence, doc["case_id"], doc.get("sha256"))) > 1:
            settle_index(c.evidence, c.index, doc["case_id"], doc.get("sha256"))
        log.info("processing done", extra={"evidence_id": doc["evidence_id"], "segments": len(segments)})
        return "done"

    def _attachments(self, doc: EvidenceDoc, result: ParseResult) -> dict[str, Any]:
        """Files found inside the evidence (an e-mail's attachments) stored as evidence of their own, and the
        facts a parser read about the whole file (a call's counterpart, a photo's place): fields of the document."""
        fields: dict[str, Any] = {key: result.meta[key] for key in ("counterpart", "location") if key in result.meta}
        if result.attachments and int(doc.get("attachment_depth") or 0) < MAX_ATTACHMENT_DEPTH:
            c = self.c
            fields["attachments"] = add_attachments(c.objects, c.evidence, c.queue, doc,
                                                    [(a.filename, a.data) for a in result.attachments])
        return fields

    def fail(self, evidence_id: str, err: LehError, *, final: bool) -> None:
        """Record a failure: `failed` when final, otherwise back to `queued` to wait for the retry."""
        def apply(d: EvidenceDoc) -> EvidenceDoc:
            if d["status"] not in _PROCESSABLE:
                return d
            new = EvidenceStatus.FAILED if final else EvidenceStatus.QUEUED
            return transition(d, new, stage=None, error={"code": err.code, "message": err.message_ko}, worker_id=None)

        try:
            self.c.evidence.mutate(evidence_id, apply)
        except LehError:
            log.warning("could not record failure", extra={"evidence_id": evidence_id, "code": err.code})


class _Skip(Exception):
    pass
