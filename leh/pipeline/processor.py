"""Processes one evidence: detect → extract → analyze → index → done, writing stage and progress as it goes.

Idempotent: an event for evidence that is already done, failed, paused or deleted changes nothing, and
indexing replaces the evidence's previous entries, so a redelivered message never duplicates anything.
"""

from __future__ import annotations

import importlib
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from leh.analysis.analyzer import analyze_document, context_of
from leh.domain.errors import ERROR_MESSAGES_KO, EvidenceError, LehError
from leh.domain.events import ObjectCreated
from leh.domain.evidence import EvidenceStatus, Stage, now_iso, transition
from leh.pipeline.detect import detect_type
from leh.pipeline.parsers import PARSERS
from leh.pipeline.parsers.base import ParseContext, ParseLimits, ParseResult
from leh.ports import Ports
from leh.services import integrity
from leh.services.breakers import is_open
from leh.services.ops.usage import record_analysis, record_transcription

log = logging.getLogger("leh.worker")

_PROCESSABLE = {EvidenceStatus.UPLOADING, EvidenceStatus.QUEUED, EvidenceStatus.PROCESSING}


def parse_limits(c: Ports) -> ParseLimits:
    s = c.settings
    return ParseLimits(max_text_bytes=s.max_text_mb * 1024 * 1024, max_pdf_pages=s.max_pdf_pages,
                       max_image_pixels=s.max_image_megapixels * 1_000_000, max_audio_seconds=s.max_audio_minutes * 60,
                       parse_timeout_seconds=s.parse_timeout_seconds, child_memory_mb=s.parser_memory_mb,
                       max_segments=s.max_segments)


def run_parser(evidence_type: str, path: Path, ctx: ParseContext) -> ParseResult:
    if evidence_type == "hwp":
        raise EvidenceError("HWP_UNSUPPORTED")  # tells the user to save it as PDF
    spec = PARSERS.get(evidence_type)
    if spec is None:
        raise EvidenceError("UNSUPPORTED_TYPE")
    if spec.isolated:
        from leh.pipeline.sandbox import run_isolated

        return run_isolated(spec.target, path, ctx, timeout_s=ctx.limits.parse_timeout_seconds,
                            memory_mb=ctx.limits.child_memory_mb)
    module, func = spec.target.split(":")
    parse: Callable[[Path, ParseContext], ParseResult] = getattr(importlib.import_module(module), func)
    return parse(path, ctx)


class EvidenceProcessor:
    def __init__(self, c: Ports, *, worker_id: str = "inline"):
        self.c = c
        self.worker_id = worker_id

    def _set(self, evidence_id: str, **changes: Any) -> dict[str, Any]:
        return self.c.evidence.update(evidence_id, changes, expect_status=[EvidenceStatus.PROCESSING])

    def process(self, event: ObjectCreated) -> str:
        """Run the pipeline for one event. Returns what happened: done, skipped, paused. Raises on failure."""
        c = self.c
        doc = c.evidence.get(event.evidence_id)
        if doc is None or doc["status"] not in _PROCESSABLE:
            return "skipped"
        with c.sessions() as db:
            paused = is_open(db, doc["case_id"])
        if paused:
            c.evidence.mutate(event.evidence_id, lambda d: transition(d, EvidenceStatus.PAUSED, stage=None)
                              if d["status"] in _PROCESSABLE else d)
            return "paused"

        def start(d: dict[str, Any]) -> dict[str, Any]:
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
        with tempfile.TemporaryDirectory(prefix="leh-") as tmp:
            path = Path(tmp) / "raw"
            try:
                c.objects.download_to(doc["object_key"], path)
            except FileNotFoundError as exc:
                # The object may not be visible yet (S3 eventual consistency): worth retrying.
                raise EvidenceError("OBJECT_MISSING", retryable=True) from exc
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
            result = run_parser(str(detected.type), path, ctx)
        record_transcription(c.usage, doc, result.meta)  # OpenAI speech-to-text is a billed call
        self._set(doc["evidence_id"], stage=str(Stage.ANALYZE), progress=0.6,
                  type=result.detected_type or str(detected.type))
        segments = [s.to_dict() for s in result.segments]
        derived = analyze_document(segments, event_time=result.event_time, engine=c.analysis_engine,
                                   context=context_of(doc))
        if not str((derived.get("analysis") or {}).get("engine", "")).startswith("openai:"):
            # OpenAI calls record their own tokens; offline work is recorded here so the budget sees it too.
            record_analysis(c.usage, doc, segments)  # ai_usage row + per-case token budget (runbook C)
        warnings = [{"code": code, "message": ERROR_MESSAGES_KO[code]} for code in result.warnings]
        for code in result.warnings:
            # An operator must notice (leh ops diagnose counts these); ids only, never evidence text.
            log.warning("evidence processed with a warning", extra={
                "evidence_id": doc["evidence_id"], "case_id": doc["case_id"], "code": code,
                "engine": result.meta.get("engine")})
        doc = self._set(doc["evidence_id"], stage=str(Stage.INDEX), progress=0.85, segments=segments,
                        parse_meta=result.meta, warnings=warnings, **derived)
        c.index.index_evidence(doc)

        def finish(d: dict[str, Any]) -> dict[str, Any]:
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
        log.info("processing done", extra={"evidence_id": doc["evidence_id"], "segments": len(segments)})
        return "done"

    def fail(self, evidence_id: str, err: LehError, *, final: bool) -> None:
        """Record a failure: `failed` when final, otherwise back to `queued` to wait for the retry."""
        def apply(d: dict[str, Any]) -> dict[str, Any]:
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
