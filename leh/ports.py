"""The ports of DESIGN.md section 3: what the services and the worker need from the outside world.

Each Protocol has an embedded default adapter (`leh.adapters.local_*`, `sqlite_*`, offline engines) and a
scale-out adapter (S3, DynamoDB, SQS, OpenSearch, OpenAI). Services depend only on these interfaces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from leh.domain.documents import EvidenceDoc


# ---------------------------------------------------------------- object store
@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    modified_at: float  # epoch seconds


@dataclass(frozen=True)
class UploadTarget:
    """Where a client sends the bytes: `method` to `url` with `headers` (PUT) or form `fields` (POST)."""

    url: str
    method: str
    expires_in: int
    headers: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)


class ObjectStore(Protocol):
    def put(self, key: str, stream: BinaryIO, *, max_bytes: int | None = None) -> ObjectInfo:
        """Store the stream under key; raises TooLarge past max_bytes (nothing is left behind)."""

    def open(self, key: str) -> BinaryIO: ...
    def download_to(self, key: str, dest: Path) -> Path: ...
    def head(self, key: str) -> ObjectInfo | None: ...
    def delete(self, key: str) -> None: ...
    def list(self, prefix: str) -> Iterator[ObjectInfo]: ...
    def presign_upload(self, key: str, *, max_bytes: int, content_type: str, expires_in: int) -> UploadTarget: ...
    def presign_download(self, key: str, *, filename: str, expires_in: int) -> str: ...


# ---------------------------------------------------------------- evidence store
class EvidenceStore(Protocol):
    """One JSON document per evidence (the EvidenceDoc shape), keyed (case_id, evidence_id).

    Reads give plain dicts of that shape until the services take EvidenceDoc; writes accept either.
    """

    def put(self, doc: EvidenceDoc | dict[str, Any]) -> None: ...
    def get(self, evidence_id: str) -> dict[str, Any] | None: ...
    def list_case(self, case_id: str) -> list[dict[str, Any]]: ...
    def list_by_status(self, statuses: Iterable[str], *, case_id: str | None = None) -> list[dict[str, Any]]: ...
    def update(self, evidence_id: str, changes: Mapping[str, Any], *,
               expect_status: Iterable[str] | None = None) -> dict[str, Any]:
        """Apply top-level field changes; with expect_status, raises Conflict unless the current status is one of them."""

    def mutate(self, evidence_id: str, fn: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
        """Read-modify-write of one document, atomic against other writers (fn may raise to abort)."""

    def list_summaries(self, *, case_ids: list[str] | None = None, statuses: Sequence[str] | None = None,
                       exclude_deleted: bool = True, fields: Sequence[str]) -> list[dict[str, Any]]:
        """Documents cut to `fields` (top-level keys, plus "since": when the status last changed), for list pages."""

    def delete_case(self, case_id: str) -> int: ...
    def count_by_status(self, case_id: str | None = None) -> dict[str, int]: ...


# ---------------------------------------------------------------- search index
@dataclass
class SearchHit:
    evidence_id: str
    seq: int
    snippet: str
    score: float
    grounds: list[str]
    ts: str | None
    speaker: str | None
    type: str | None = None


@dataclass
class SearchFilters:
    grounds: list[str] | None = None
    type: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    speaker: str | None = None


class SearchIndex(Protocol):
    """Per-case full-text index of segments. Never returns another case's documents."""

    def index_evidence(self, doc: dict[str, Any]) -> int: ...
    def remove_evidence(self, case_id: str, evidence_id: str) -> None: ...
    def drop_case(self, case_id: str) -> None: ...
    def search(self, case_id: str, query: str, *, filters: SearchFilters | None = None, limit: int = 20) -> list[SearchHit]: ...
    def count(self, case_id: str) -> dict[str, int]:
        """{evidence_id: number of indexed segments} for the case."""


# ---------------------------------------------------------------- queue
@dataclass
class Message:
    id: str
    body: dict[str, Any]
    receipt: str
    receive_count: int


class Queue(Protocol):
    """Evidence events with visibility timeout, retries, a dead-letter queue and redrive (SQS semantics)."""

    def send(self, body: dict[str, Any], *, delay_seconds: float = 0) -> str: ...
    def receive(self, *, max_messages: int = 1, visibility_seconds: int | None = None, wait_seconds: float = 0) -> list[Message]: ...
    def delete(self, receipt: str) -> None: ...
    def change_visibility(self, receipt: str, seconds: float) -> None: ...
    def dead_letter(self, receipt: str, reason: str) -> None: ...
    def dlq_messages(self, limit: int = 100) -> list[dict[str, Any]]: ...
    def redrive(self, ids: Iterable[str] | None = None) -> int: ...
    def depth(self) -> dict[str, int]:
        """{"visible": n, "in_flight": n, "delayed": n, "dlq": n}."""


# ---------------------------------------------------------------- AI engines
@dataclass
class OcrLine:
    text: str
    box: tuple[int, int, int, int]  # left, top, width, height in pixels
    confidence: float


class OcrEngine(Protocol):
    def read(self, image_path: Path, *, languages: str = "kor+eng") -> list[OcrLine]: ...


@dataclass
class Word:
    text: str
    start_s: float
    end_s: float
    confidence: float = 1.0


class SpeechToText(Protocol):
    name: str

    def transcribe(self, wav_16k_mono: Path) -> list[Word]: ...
