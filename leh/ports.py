"""The ports of DESIGN.md section 3: what the services and the worker need from the outside world.

Each Protocol has an embedded default adapter (`leh.adapters.local_*`, `sqlite_*`, offline engines) and a
scale-out adapter (S3, DynamoDB, SQS, OpenSearch, OpenAI). Services depend only on these interfaces; only
`leh.container` (and its engine registry `leh.engines`) chooses and builds the adapters behind them.
`Ports` at the end is the set of ports the container hands to services and the worker.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from leh.domain.evidence import Segment

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from leh.config import Settings

from leh.domain.documents import DerivedDoc, EvidenceDoc, SegmentDoc


# ---------------------------------------------------------------- object store
@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    modified_at: float  # epoch seconds
    # Which version of the key these bytes are: S3's VersionId on a versioned bucket, else None (the local store
    # is write-once and keeps one version per key). Confirmed originals record it (EvidenceDoc.raw_version).
    version: str | None = None


@dataclass(frozen=True)
class UploadTarget:
    """Where a client sends the bytes: `method` to `url` with `headers` (PUT) or form `fields` (POST)."""

    url: str
    method: str
    expires_in: int
    headers: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)


class ObjectStore(Protocol):
    """Originals and other objects by key.

    Write-once: a stored object is never replaced. `put` on a key that already holds an object raises a
    LehError with code OBJECT_EXISTS (HTTP 409) and leaves the stored bytes as they were — also when two writers
    race for the same key (local store: exclusive link of a read-only file; S3: a conditional put with
    `If-None-Match: *`, plus object lock where the bucket has it). A signed upload URL must not be able to
    replace an existing object either (local store: the same exclusive link; S3's presigned POST cannot carry
    the condition — see s3_objects — so on S3 the bucket is versioned: a later write only adds a version).
    Confirmed originals are evidence: their SHA-256 and the version whose bytes were hashed (`ObjectInfo.version`)
    are recorded at confirmation, every later read asks for that `version`, and every read is checked against
    the SHA-256 (services/integrity.py). `version=None` reads the current bytes; a store without versions (the
    local one) has no object under any other version (open/download_to raise FileNotFoundError, head is None).
    """

    def put(self, key: str, stream: BinaryIO, *, max_bytes: int | None = None) -> ObjectInfo:
        """Store the stream under a new key; raises TooLarge past max_bytes and OBJECT_EXISTS when the key is
        taken (nothing is left behind and nothing is replaced)."""

    def open(self, key: str, *, version: str | None = None) -> BinaryIO: ...
    def download_to(self, key: str, dest: Path, *, version: str | None = None) -> Path: ...
    def head(self, key: str, *, version: str | None = None) -> ObjectInfo | None:
        """The object (that version of it, or the current one) with its `version`, or None when absent."""
    def delete(self, key: str) -> None: ...
    def list(self, prefix: str) -> Iterator[ObjectInfo]: ...
    def presign_upload(self, key: str, *, max_bytes: int, content_type: str, expires_in: int) -> UploadTarget: ...
    def presign_download(self, key: str, *, filename: str, expires_in: int, inline: bool = False,
                         version: str | None = None) -> str:
        """A short-lived GET URL (of that `version` when given). The response must never let a browser run the bytes in LEH's origin:
        `Content-Disposition: attachment` unless `inline` (asked only for types LEH renders itself: raster images,
        audio, video), the content type LEH detected (else application/octet-stream), `nosniff` and a sandboxing
        CSP (local store: the /api/objects route; S3: response-content-* overrides on another origin)."""


# ---------------------------------------------------------------- evidence store
class EvidenceStore(Protocol):
    """One JSON document per evidence (the EvidenceDoc shape), keyed (case_id, evidence_id).

    Reads and writes are EvidenceDoc (plain dicts of that shape, kept as JSON).
    """

    def put(self, doc: EvidenceDoc) -> None: ...
    def get(self, evidence_id: str) -> EvidenceDoc | None: ...
    def list_case(self, case_id: str) -> list[EvidenceDoc]: ...
    def list_by_status(self, statuses: Iterable[str], *, case_id: str | None = None) -> list[EvidenceDoc]: ...
    def update(self, evidence_id: str, changes: Mapping[str, Any], *,
               expect_status: Iterable[str] | None = None) -> EvidenceDoc:
        """Apply top-level field changes; with expect_status, raises Conflict unless the current status is one of them."""

    def mutate(self, evidence_id: str, fn: Callable[[EvidenceDoc], EvidenceDoc]) -> EvidenceDoc:
        """Read-modify-write of one document, atomic against other writers (fn may raise to abort)."""

    def list_summaries(self, *, case_ids: list[str] | None = None, statuses: Sequence[str] | None = None,
                       exclude_deleted: bool = True, fields: Sequence[str]) -> list[dict[str, Any]]:
        """Documents cut to `fields` (top-level keys, plus "since": when the status last changed, and
        "segment_count" / "timeline_count": how many segments and timeline events the document has), for list
        pages. The store never hands segment texts to the caller here, and reads them only where its layout has
        them inline with the fields asked for."""

    def get_page(self, evidence_id: str, *, offset: int, limit: int) -> tuple[EvidenceDoc, int] | None:
        """The document with `segments` cut to positions [offset, offset + limit), and how many segments it has
        in all; None when there is no such document. A detail page reads one page of segments, not all of them."""

    def delete_case(self, case_id: str) -> int: ...
    def count_by_status(self, case_id: str | None = None) -> dict[str, int]: ...
    def case_version(self, case_id: str) -> str:
        """Changes whenever any evidence of the case is written or removed (by any process): a cache key."""


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


@dataclass
class QueryTerm:
    """One word of a query: the phrases (index tokens, `leh.analysis.tokens`) that match it literally, and the
    related words that widen it (lemmas of the ground vocabulary, near words, party names and aliases)."""

    word: str
    literal: list[tuple[str, ...]]
    widened: list[tuple[str, ...]] = field(default_factory=list)


@dataclass
class SearchQuery:
    """A parsed query (`leh.analysis.query.parse_query`): its words, and the dates it names.

    `date_from`/`date_to` (YYYY-MM-DD) come from a date with a year ("2024년 3월 9일"); `month_day_from`/
    `month_day_to` (MM-DD) from one without ("3월 9일": that day in any year of the case's evidence; from > to
    wraps over New Year). Every index adapter compiles this same structure, so matching means the same on each.
    """

    text: str
    terms: list[QueryTerm]
    date_from: str | None = None
    date_to: str | None = None
    month_day_from: str | None = None
    month_day_to: str | None = None

    @property
    def has_dates(self) -> bool:
        return bool(self.date_from or self.date_to or self.month_day_from or self.month_day_to)


class SearchIndex(Protocol):
    """Per-case full-text index of segments. Never returns another case's documents.

    `search` takes the query as typed (parsed by the adapter with `leh.analysis.query.parse_query`) or already
    parsed (the search service parses it with the case's party names and aliases).
    """

    def index_evidence(self, doc: EvidenceDoc, tokens: Sequence[tuple[str, str]] | None = None) -> int:
        """(Re)index every segment; `tokens`, when given, are its segments' (tokens, spans) from
        `leh.analysis.tokens` (computed by the analysis), in segment order: the adapter then runs no Kiwi itself."""
    def remove_evidence(self, case_id: str, evidence_id: str) -> None: ...
    def drop_case(self, case_id: str) -> None: ...
    def search(self, case_id: str, query: str | SearchQuery, *, filters: SearchFilters | None = None,
               limit: int = 20) -> list[SearchHit]: ...
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


@dataclass(frozen=True)
class EngineChoice:
    """Which engines the parsers use, by name and plain settings only.

    Isolated parsers run in a spawned child (`leh.pipeline.sandbox`): a built engine (a loaded model, an HTTP
    client) cannot be sent there, so the child gets these names and turns them into engines with the one
    registry, `leh.engines`. Everything here must stay picklable.
    """

    stt_engine: str = "vosk"  # vosk | whisper | openai
    whisper_model_dir: str | None = None
    ocr_engine: str = "tesseract"
    openai_api_key: str | None = None  # for stt_engine="openai" only
    openai_base_url: str | None = None
    openai_timeout_seconds: float = 60.0

    @classmethod
    def from_settings(cls, settings: Any) -> EngineChoice:
        """The choice made by `leh.config.Settings` (or anything with the same attributes)."""
        model_dir = getattr(settings, "whisper_model_dir", None)
        return cls(stt_engine=str(getattr(settings, "stt_engine", None) or "vosk").strip().lower(),
                   whisper_model_dir=str(model_dir) if model_dir else None,
                   openai_api_key=getattr(settings, "openai_api_key", None),
                   openai_base_url=getattr(settings, "openai_base_url", None),
                   openai_timeout_seconds=float(getattr(settings, "openai_timeout_seconds", 60.0)))


# ---------------------------------------------------------------- parse progress
# A parser (and the speech/OCR engine it drives) reports how far it is through a long step with
# `report_progress(fraction, stage)`; whoever runs the parser sets the sink for that call with `progress_sink`
# (the sandbox child forwards it over its pipe, the worker writes it to the evidence store). Without a sink,
# reporting does nothing. `stage` is a `leh.domain.evidence.ParseStage` value.
ProgressSink = Callable[[float, str], None]
_PROGRESS_SINK: contextvars.ContextVar[ProgressSink | None] = contextvars.ContextVar("leh_progress_sink", default=None)


def report_progress(fraction: float, stage: str) -> None:
    """Tell whoever runs this parse that `fraction` (0–1) of the current long step is done."""
    sink = _PROGRESS_SINK.get()
    if sink is not None:
        sink(min(1.0, max(0.0, float(fraction))), stage)


def set_progress_sink(sink: ProgressSink | None) -> contextvars.Token[ProgressSink | None]:
    """Route `report_progress` in this context to `sink`; reset with `_PROGRESS_SINK.reset(token)` via
    `reset_progress_sink`."""
    return _PROGRESS_SINK.set(sink)


def reset_progress_sink(token: contextvars.Token[ProgressSink | None]) -> None:
    _PROGRESS_SINK.reset(token)


# ---------------------------------------------------------------- parsers
@dataclass(frozen=True)
class ParseLimits:
    """Per-format size and time limits (from settings). Sizes in bytes, times in seconds."""

    max_text_bytes: int = 600 * 1024 * 1024
    max_pdf_pages: int = 1000
    max_image_pixels: int = 80_000_000
    max_audio_seconds: int = 4 * 3600
    parse_timeout_seconds: int = 1800
    child_memory_mb: int = 4096
    # Segments live in the evidence document, so one evidence holds at most this many (≈ 200,000 chat
    # messages plus slack); a parser stops reading as soon as a file would pass it.
    max_segments: int = 300_000
    # Characters of text that can be analysed (LEH_MAX_ANALYSIS_CHARS): the text parser stops reading past it.
    max_analysis_chars: int | None = None
    # Files a parser hands back to become evidence of their own (e-mail attachments): at most this many, and
    # this many bytes together (the upload limit).
    max_attachments: int = 20
    max_attachment_bytes: int = 500 * 1024 * 1024


@dataclass(frozen=True)
class ParsedAttachment:
    """A file found inside the evidence (an e-mail's attachment); the worker stores it as evidence of its own."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class ParseContext:
    """Everything a parser may use besides the file itself (picklable: it crosses into the sandbox child)."""

    filename: str
    timezone: str = "Asia/Seoul"
    limits: ParseLimits = field(default_factory=ParseLimits)
    engines: EngineChoice = field(default_factory=EngineChoice)


@dataclass
class ParseResult:
    """Segments in document order (seq 0..n-1) plus facts about the whole file."""

    segments: list[Segment]
    event_time: str | None = None  # ISO 8601 with offset: when the evidence happened (EXIF, chat date …)
    event_time_precision: str | None = None  # day | minute | second (None: read from event_time)
    detected_type: str | None = None  # e.g. "kakaotalk" when a .txt turned out to be a chat export
    meta: dict[str, Any] = field(default_factory=dict)  # engine, pages, duration_s, encoding … (no evidence text)
    # Codes of problems that did not fail the file but that the lawyer must see (e.g. STT_EMPTY); their Korean
    # messages live beside the error messages in `leh.domain.errors`.
    warnings: list[str] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)  # bounded by ParseLimits


class Parser(Protocol):
    def __call__(self, path: Path, ctx: ParseContext) -> ParseResult: ...


# ---------------------------------------------------------------- AI analysis, embeddings, answers, drafts
@dataclass(frozen=True)
class AnalysisContext:
    """Whose evidence is analysed: recorded with every AI call's token usage."""

    case_id: str | None = None
    evidence_id: str | None = None
    user_id: str | None = None


class Pseudonyms(Protocol):
    """One case's names ↔ pseudonyms (원고, 피고, 자녀1, 인물1 …) for a request to an outside AI provider."""

    def pseudonymize(self, text: str) -> str:
        """The text masked (numbers) with every known name replaced by its pseudonym."""

    def restore(self, text: str, originals: Sequence[str] = ()) -> str:
        """The pseudonyms in a reply turned back into names; quotations of `originals` as the evidence wrote them."""

    def speaker(self, name: str | None) -> str:
        """How a speaker is labelled in a request."""


class PseudonymSource(Protocol):
    """The pseudonyms of a case: its parties, the names its evidence holds, plus those in `texts` and `speakers`.

    With `evidence_id` of an evidence whose names the case has stored, `texts` (its own) need not be read again.
    """

    def for_case(self, case_id: str | None, *, texts: Sequence[str] = (), speakers: Iterable[str | None] = (),
                 evidence_id: str | None = None) -> Pseudonyms: ...


class AnalysisEngine(Protocol):
    """Labels, summary, insights and timeline for one evidence's segments (the offline model is the default)."""

    def analyze(self, segments: list[SegmentDoc], *, event_time: str | None,
                context: AnalysisContext) -> DerivedDoc: ...


class Embedder(Protocol):
    model: str

    def embed(self, texts: list[str], *, case_id: str | None = None, evidence_id: str | None = None,
              user_id: str | None = None) -> list[list[float]]:
        """One vector per text, in order. Raises on failure (the caller decides how to degrade)."""


class Answerer(Protocol):
    """Writes an answer from retrieved passages only; None when it cannot (the caller answers extractively)."""

    def answer(self, question: str, passages: Sequence[dict[str, Any]],
               ctx: AnalysisContext) -> tuple[bool, str, list[int]] | None: ...


class DraftWriter(Protocol):
    """An AI prose writer for complaint drafts; `facts_by_ground` maps ground ids to `leh.domain.drafting.Fact`s.

    `write` returns the checked paragraphs with the model and token counts, or raises AiDraftError.
    """

    provider: str

    def write(self, facts_by_ground: dict[str, list[Any]], *, case_id: str | None = None,
              kind: str = "complaint") -> Any:
        """`case_id` chooses the pseudonyms the facts are sent with (names never leave the machine); `kind` is the
        pleading the prose is for (complaint 소장, counterclaim 반소장, answer 답변서)."""


class AiDraftError(Exception):
    """The provider could not be used for this draft; `reason` says why (the offline writer takes over)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# Renders a stored draft object as a .docx file (bytes).
DocxRenderer = Callable[[dict[str, Any]], bytes]


class UsageRecorder(Protocol):
    """Where every AI call's tokens and cost go (ai_usage and the per-case budget)."""

    def record(self, *, case_id: str | None, user_id: str | None, evidence_id: str | None, provider: str,
               model: str, input_tokens: int, output_tokens: int = 0, cost_usd: float = 0.0) -> bool:
        """Record one call; True when it tripped the case's budget breaker."""


# ---------------------------------------------------------------- operations
Progress = Callable[[str, int, int], None]  # (step, done, total)


class RelationalDump(Protocol):
    """How one database engine is copied and put back (backups)."""

    engine: str
    filename: str

    def dump(self, dest: Path, progress: Progress) -> None: ...
    def restore(self, src: Path, progress: Progress) -> None: ...
    def case_ids(self, dump: Path) -> list[str]:
        """Case ids as of the dump: what the evidence export must cover."""


class TmpLifecycle(Protocol):
    """An object store's own expiry of tmp/ objects (S3 lifecycle rule); none on the embedded store."""

    where: str

    def tmp_rule_days(self) -> int | None:
        """Expiry in days of the enabled rule covering tmp/, or None when there is none."""

    def install_tmp_rule(self, days: int) -> None: ...


class BucketSetup(Protocol):
    """The S3 bucket's own configuration, as `leh ops setup-aws` creates and checks it (S3 only)."""

    bucket: str

    def exists(self) -> bool: ...
    def create(self) -> None: ...
    def public_access_blocked(self) -> bool: ...
    def block_public_access(self) -> None: ...
    def default_encryption(self) -> tuple[str, str | None] | None:
        """(algorithm, KMS key id) of the bucket's default encryption, or None when it has none."""
    def set_default_encryption(self, kms_key_id: str | None) -> None: ...
    def queue_notifications(self) -> list[dict[str, Any]]:
        """[{"id", "queue_arn", "events": [...], "prefix"}] of the bucket's SQS notifications."""
    def add_queue_notification(self, *, notification_id: str, queue_arn: str, prefix: str) -> None:
        """Notify the queue of every ObjectCreated under prefix; other notifications are kept."""
    def post_origins(self) -> list[str]:
        """Origins the bucket's CORS rules allow to POST (browser uploads with a presigned POST)."""
    def allow_post_from(self, origin: str) -> None: ...
    def versioning_enabled(self) -> bool:
        """Whether the bucket keeps every version of a key (a write after confirmation only adds a version)."""
    def enable_versioning(self) -> None: ...


class QueueSetup(Protocol):
    """SQS queues by name, as `leh ops setup-aws` creates and checks them (SQS only)."""

    def find(self, name: str) -> str | None:
        """The queue's URL, or None when there is no queue of that name."""
    def create(self, name: str, attributes: Mapping[str, str]) -> str: ...
    def attributes(self, url: str) -> dict[str, str]: ...
    def set_attributes(self, url: str, attributes: Mapping[str, str]) -> None: ...


class AlertSink(Protocol):
    """Delivers one alert payload (already PII-masked); raises AlertFailed when it could not."""

    def send(self, payload: dict[str, Any]) -> None: ...


class AlertFailed(Exception):
    pass


@dataclass(frozen=True)
class ProviderReply:
    """What the AI provider said to the cheapest authenticated call: an HTTP status, or the error that stopped it."""

    base_url: str
    status: int | None = None
    error: str | None = None
    latency_ms: int = 0


class ProviderProbe(Protocol):
    def probe(self, *, timeout: float) -> ProviderReply: ...


# ---------------------------------------------------------------- logs (runbook A)
class LogSource(Protocol):
    """Where `leh ops logs` and `diagnose` read the JSON log records back: the local files, or CloudWatch Logs."""

    def records(self, *, since_ms: int | None, evidence_id: str | None = None) -> Iterator[dict[str, Any]]:
        """Every JSON log record written at or after `since_ms` (epoch milliseconds; all when None), each with
        where it was read (`file` or `log_stream`). `evidence_id` lets a source narrow the read on its side; the
        caller still filters every record itself."""


# ---------------------------------------------------------------- the set the container provides
class Ports(Protocol):
    """The ports as one bundle (`leh.container.Container` provides them), for the few that use most of them:
    the worker and processor, and the runbook checks that look at the whole installation (diagnose, weekly,
    backup/restore, housekeeping). Every other service takes the single ports it uses.

    Typed with this Protocol, never with the concrete container, they cannot build or choose an engine, only
    use what they are given. `None` means "not configured" (offline analysis, no S3 lifecycle, no OpenAI).
    """

    @property
    def settings(self) -> Settings: ...
    @property
    def sessions(self) -> sessionmaker[Session]: ...
    @property
    def objects(self) -> ObjectStore: ...
    @property
    def evidence(self) -> EvidenceStore: ...
    @property
    def queue(self) -> Queue: ...
    @property
    def index(self) -> SearchIndex: ...
    @property
    def usage(self) -> UsageRecorder: ...
    @property
    def analysis_engine(self) -> AnalysisEngine | None: ...
    @property
    def engine_choice(self) -> EngineChoice:
        """The parsers' engines by name (they run in a sandboxed child; `leh.engines` builds them there)."""
    @property
    def relational_dump(self) -> RelationalDump: ...
    @property
    def tmp_lifecycle(self) -> TmpLifecycle | None: ...
    @property
    def provider_probe(self) -> ProviderProbe | None: ...
    @property
    def log_source(self) -> LogSource: ...
