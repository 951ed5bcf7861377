"""Settings: one pydantic-settings object read from `LEH_*` environment variables and `.env`.

The default profile needs no settings at all: everything lives under `LEH_DATA_DIR` on embedded engines.
Setting a scale-out variable (`LEH_DATABASE_URL`, `LEH_S3_BUCKET`, …) switches that one port.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LEH_", env_file=".env", extra="ignore")

    # Where and how LEH runs (scripts rely on these names; README "Settings" documents every field).
    data_dir: Path = Path("./var")
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    server_processes: int = Field(default=1, ge=1, le=32)  # web/API processes of `leh serve` and `leh run`
    admin_email: str | None = None
    admin_password: str | None = None
    demo: bool = True
    max_upload_mb: int = 500
    public_url: str | None = None
    # Paging (docs/api.md "Paging"): every list answers one page; a limit above the maximum is refused (400).
    page_limit_default: int = 100
    page_limit_max: int = 500
    segments_page_default: int = 200
    segments_page_max: int = 1000
    secret_key: str | None = None  # signs JWTs and upload URLs; generated into data_dir on first start

    # Scale-out engines: unset means the embedded default.
    database_url: str | None = None
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_kms_key_id: str | None = None  # SSE-KMS key for every write; unset means SSE-S3 (AES256)
    sqs_queue_url: str | None = None
    sqs_dlq_url: str | None = None
    sqs_endpoint_url: str | None = None
    dynamodb_table: str | None = None
    dynamodb_endpoint_url: str | None = None
    aws_region: str = "ap-northeast-2"
    opensearch_url: str | None = None
    openai_api_key: str | None = Field(default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "LEH_OPENAI_API_KEY"))
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_embedding_model: str = "text-embedding-3-small"
    openai_timeout_seconds: float = 60.0

    # Auth and upload.
    access_token_minutes: int = 12 * 60
    signed_url_seconds: int = 300
    upload_rate_per_minute: int = 600
    # Login throttling (issue #15): failures per account and per address within the window lock them out, for
    # login_lock_seconds the first time and twice as long each time after.
    login_max_failures: int = 5
    login_max_failures_per_address: int = 30
    login_window_minutes: int = 15
    login_lock_seconds: int = 60
    # The audit chain's anchor (HMAC-signed checkpoints in the object store): a key the database does not hold.
    audit_anchor_key: str | None = None

    # Queue and worker.
    queue_visibility_seconds: int = 120
    queue_max_attempts: int = 3
    queue_backoff_seconds: float = 5.0
    worker_poll_seconds: float = 0.5
    worker_heartbeat_seconds: float = 5.0
    stuck_after_minutes: int = 15

    # Parsers and AI engines.
    timezone: str = "Asia/Seoul"
    max_text_mb: int = 100  # a 200,000-message KakaoTalk export is ~15 MB
    max_pdf_pages: int = 1000
    max_image_megapixels: int = 80
    max_audio_minutes: int = 240
    max_segments: int = 300_000
    # Characters of text one evidence may have analysed (Kiwi reads ~40k a second per core): past it, it fails at once.
    max_analysis_chars: int = 6_000_000
    parse_timeout_seconds: int = 1800
    # Address-space cap of a parser child: Vosk's Korean model maps ~2.2 GB of virtual memory and aborts under 2.5 GB.
    parser_memory_mb: int = 4096
    stt_engine: str = "vosk"  # vosk | whisper | openai
    whisper_model_dir: Path | None = None

    # Cost control and operations.
    case_token_budget: int = 2_000_000
    case_budget_window: str = "24h"
    tmp_ttl_hours: int = 24
    backup_dir: Path | None = None
    alert_webhook_url: str | None = None
    cloudwatch_log_group: str | None = None  # `leh ops logs` / diagnose read this log group instead of local files
    cloudwatch_endpoint_url: str | None = None
    log_level: str = "INFO"

    # OpenAI analysis, embeddings and answers (used only when OPENAI_API_KEY is set). Prices in USD per
    # million tokens, for the cost written to ai_usage; defaults are gpt-4o-mini and text-embedding-3-small.
    openai_analysis: bool = True  # labels and summaries by OpenAI instead of the offline lexicon model
    openai_embeddings: bool = True  # hybrid search (BM25 + vectors); off means BM25 only
    openai_answers: bool = True  # /ask answers written by OpenAI from the retrieved evidence
    openai_drafts: bool = True  # complaint-draft prose written by OpenAI (offline templates otherwise)
    openai_max_retries: int = 2
    openai_embedding_dimensions: int = 256
    openai_input_usd_per_1m: float = 0.15
    openai_output_usd_per_1m: float = 0.60
    openai_embedding_usd_per_1m: float = 0.02

    @field_validator("database_url")
    @classmethod
    def _normalise_postgres_url(cls, v: str | None) -> str | None:
        # Operators paste `postgres://…` or `postgresql://…`; SQLAlchemy wants the psycopg 3 driver named.
        if v and v.startswith("postgres://"):
            v = "postgresql://" + v[len("postgres://"):]
        if v and v.startswith("postgresql://"):
            v = "postgresql+psycopg://" + v[len("postgresql://"):]
        return v

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'leh.db').resolve()}"

    @property
    def effective_backup_dir(self) -> Path:
        return self.backup_dir or self.data_dir / "backups"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def budget_window_seconds(self) -> int:
        return parse_duration_seconds(self.case_budget_window)

    def resolved_anchor_key(self) -> str:
        """The audit anchor key: `LEH_AUDIT_ANCHOR_KEY`, or one generated once into `LEH_DATA_DIR/audit-anchor.key`
        (a file of its own, outside every database; keep a copy away from the server)."""
        if self.audit_anchor_key:
            return self.audit_anchor_key
        return _key_file(self.data_dir / "audit-anchor.key")

    def resolved_secret_key(self) -> str:
        """The signing secret: `LEH_SECRET_KEY`, or one generated once and kept in the data directory."""
        if self.secret_key:
            return self.secret_key
        return _key_file(self.data_dir / "secret.key")


def _key_file(path: Path) -> str:
    """A random key generated once into `path` (mode 0600) and read back ever after."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
        tmp.write_text(secrets.token_urlsafe(48))
        tmp.chmod(0o600)
        try:
            tmp.rename(path) if not path.exists() else tmp.unlink()
        except FileExistsError:
            tmp.unlink()
    return path.read_text().strip()


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


_MAX_DURATION_SECONDS = 100 * 365 * 86400  # longer than anything LEH looks back over; larger overflows datetimes


def parse_duration_seconds(text: str) -> int:
    """`90s`, `15m`, `24h`, `7d` or a bare number of seconds: 0 to 100 years (ValueError otherwise)."""
    text = text.strip().lower()
    number, unit = (text[:-1], _UNITS[text[-1]]) if text[-1:] in _UNITS else (text, 1)
    seconds = float(number) * unit
    if not 0 <= seconds <= _MAX_DURATION_SECONDS:  # also refuses nan and inf
        raise ValueError(f"duration out of range: {text}")
    return int(seconds)


@lru_cache
def get_settings() -> Settings:
    return Settings()
