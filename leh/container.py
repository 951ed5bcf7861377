"""The composition root: the one place that chooses and builds the engine behind each port.

Entry points (the API app, web pages, the `leh` CLI, worker startup, bootstrap) build one `Container` from
the settings and hand its ports to services and the worker; services see only `leh.ports` (the `Ports`
Protocol or single ports), never this class, and no module but this one and its engine registry
(`leh.engines`, which the sandboxed parser child uses by name) imports an adapter.

Stores, queue and index are built once per container. The AI engines and the ops probes are built on each
access from the current settings (cheap objects; settings changed at runtime, as tests do, take effect).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from leh.adapters.database import make_engine, make_sessionmaker, migrate
from leh.config import Settings
from leh.ports import (
    AlertSink,
    AnalysisEngine,
    Answerer,
    BucketSetup,
    DocxRenderer,
    DraftWriter,
    Embedder,
    EngineChoice,
    EvidenceStore,
    LogSource,
    ObjectStore,
    ProviderProbe,
    PseudonymSource,
    Queue,
    QueueSetup,
    RelationalDump,
    SearchIndex,
    TmpLifecycle,
    UsageRecorder,
)


@dataclass
class Container:
    settings: Settings
    _overrides: dict[str, object] = field(default_factory=dict)

    # ------------------------------------------------------------ relational database
    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.effective_database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return make_sessionmaker(self.engine)

    def migrate(self) -> None:
        migrate(self.engine)

    # ------------------------------------------------------------ stores, queue, index
    @cached_property
    def objects(self) -> ObjectStore:
        s = self.settings
        if s.s3_bucket:
            from leh.adapters.s3_objects import S3ObjectStore

            return S3ObjectStore(s.s3_bucket, endpoint_url=s.s3_endpoint_url, region=s.aws_region,
                                 kms_key_id=s.s3_kms_key_id)
        from leh.adapters.local_objects import LocalObjectStore

        return LocalObjectStore(s.data_dir / "objects", secret=s.resolved_secret_key())

    @cached_property
    def evidence(self) -> EvidenceStore:
        s = self.settings
        if s.dynamodb_table:
            # Large documents keep their segments in the object store, so the two stay on one profile.
            from leh.adapters.dynamodb_evidence import DynamoEvidenceStore, make_client

            return DynamoEvidenceStore(make_client(endpoint_url=s.dynamodb_endpoint_url, region=s.aws_region),
                                       s.dynamodb_table, self.objects)
        from leh.adapters.sqlite_evidence import SqliteEvidenceStore

        return SqliteEvidenceStore(s.data_dir / "evidence.db")

    def evidence_table_setup(self, *, check_only: bool) -> tuple[str, list[str]] | None:
        """The DynamoDB evidence table, for `leh ops setup-aws`: ("created" | "exists" | "checked", problems), or
        None on the embedded store. Creating never changes an existing table; problems come from `check_table`."""
        s = self.settings
        if not s.dynamodb_table:
            return None
        from leh.adapters.dynamodb_evidence import check_table, ensure_table, make_client

        client = make_client(endpoint_url=s.dynamodb_endpoint_url, region=s.aws_region)
        if check_only:
            return "checked", check_table(client, s.dynamodb_table)
        done = "created" if ensure_table(client, s.dynamodb_table) else "exists"
        return done, check_table(client, s.dynamodb_table)

    @cached_property
    def queue(self) -> Queue:
        s = self.settings
        # One receive more than the worker's own attempts: the worker dead-letters its own failures, so a
        # message reaching this count was held by workers that died (WORKER_CRASHED).
        max_receives = s.queue_max_attempts + 1
        if s.sqs_queue_url:
            # On SQS that count is the main queue's RedrivePolicy maxReceiveCount (`leh ops setup-aws` sets it).
            if not s.sqs_dlq_url:
                raise RuntimeError("LEH_SQS_QUEUE_URL is set without LEH_SQS_DLQ_URL: set the dead-letter queue's URL "
                                   "too (LEH_SQS_DLQ_URL를 함께 설정하세요; leh ops setup-aws 가 두 큐를 만듭니다).")
            from leh.adapters.sqs_queue import SqsQueue

            return SqsQueue(s.sqs_queue_url, s.sqs_dlq_url, endpoint_url=s.sqs_endpoint_url, region=s.aws_region,
                            visibility_seconds=s.queue_visibility_seconds)
        from leh.adapters.sqlite_queue import SqliteQueue

        return SqliteQueue(s.data_dir / "queue.db", visibility_seconds=s.queue_visibility_seconds,
                           max_receive_count=max_receives)

    @cached_property
    def index(self) -> SearchIndex:
        s = self.settings
        if s.opensearch_url:
            from leh.adapters.opensearch_search import OpenSearchIndex, sigv4_region

            return OpenSearchIndex(s.opensearch_url, embedder=self.embedder,
                                   sign_region=sigv4_region(s.opensearch_url, s.aws_region))
        from leh.adapters.sqlite_search import SqliteSearchIndex

        return SqliteSearchIndex(s.data_dir / "search.db", embedder=self.embedder)

    # ------------------------------------------------------------ AI: usage accounting and engines
    @cached_property
    def usage(self) -> UsageRecorder:
        """ai_usage rows plus the per-case budget check; injected into every AI adapter."""
        from leh.services.ops.usage import UsageLedger

        return UsageLedger(self.sessions, self.settings)

    @property
    def pseudonyms(self) -> PseudonymSource:
        """The case's pseudonyms (parties, children, the names its evidence holds) for every outbound AI request."""
        from leh.services.pseudonyms import CasePseudonyms

        return CasePseudonyms(self.sessions, self.evidence)

    @property
    def analysis_engine(self) -> AnalysisEngine | None:
        """OpenAI analysis when OPENAI_API_KEY is set (and LEH_OPENAI_ANALYSIS is on), else None (offline model)."""
        s = self.settings
        if not (s.openai_api_key and s.openai_analysis):
            return None
        from leh.adapters.openai_ai import OpenAiAnalyzer, OpenAiClient

        return OpenAiAnalyzer(OpenAiClient.from_settings(s, self.usage), model=s.openai_model,
                              pseudonyms=self.pseudonyms)

    @property
    def embedder(self) -> Embedder | None:
        """The OpenAI embedder for hybrid search when OPENAI_API_KEY is set, else None (BM25 only)."""
        s = self.settings
        if not (s.openai_api_key and s.openai_embeddings):
            return None
        from leh.adapters.openai_ai import OpenAiClient, OpenAiEmbedder

        return OpenAiEmbedder(OpenAiClient.from_settings(s, self.usage), model=s.openai_embedding_model,
                              dimensions=s.openai_embedding_dimensions or None, pseudonyms=self.pseudonyms)

    @property
    def answerer(self) -> Answerer | None:
        """Evidence-only answers written by OpenAI when its key is set, else None (extractive answers)."""
        s = self.settings
        if not (s.openai_api_key and s.openai_answers):
            return None
        from leh.adapters.openai_ai import OpenAiAnswerer, OpenAiClient

        return OpenAiAnswerer(OpenAiClient.from_settings(s, self.usage), model=s.openai_model,
                              pseudonyms=self.pseudonyms)

    @property
    def draft_writer(self) -> DraftWriter | None:
        """The OpenAI draft writer when a key is set and drafts may use it, else None (offline templates)."""
        s = self.settings
        if not (s.openai_api_key and s.openai_drafts):
            return None
        from leh.adapters.openai_draft import OpenAiDraftWriter

        return OpenAiDraftWriter.from_settings(s, self.pseudonyms)

    @property
    def docx_renderer(self) -> DocxRenderer:
        from leh.adapters.docx_export import render_docx

        return render_docx

    # ------------------------------------------------------------ parser engines (by name, see leh.engines)
    @property
    def engine_choice(self) -> EngineChoice:
        """The parsers' engines as names: what crosses into the sandboxed parser child."""
        return EngineChoice.from_settings(self.settings)

    # ------------------------------------------------------------ operations
    @property
    def relational_dump(self) -> RelationalDump:
        """The backup engine for the configured database: SQLite's online backup, or pg_dump."""
        from leh.adapters.relational_dump import PgDump, SqliteDump

        url = self.settings.effective_database_url
        if url.startswith("sqlite"):
            return SqliteDump(Path(make_url(url).database or self.settings.data_dir / "leh.db"))
        return PgDump(url, self.sessions)

    @property
    def tmp_lifecycle(self) -> TmpLifecycle | None:
        """The S3 bucket's tmp/ expiry rule; None on the embedded object store (the janitor does the job)."""
        s = self.settings
        if not s.s3_bucket:
            return None
        from leh.adapters.s3_lifecycle import S3TmpLifecycle

        return S3TmpLifecycle(s.s3_bucket, endpoint_url=s.s3_endpoint_url, region=s.aws_region)

    @property
    def bucket_setup(self) -> BucketSetup | None:
        """The S3 bucket's configuration for `leh ops setup-aws`; None on the embedded object store."""
        s = self.settings
        if not s.s3_bucket:
            return None
        from leh.adapters.s3_objects import S3BucketSetup

        return S3BucketSetup(s.s3_bucket, endpoint_url=s.s3_endpoint_url, region=s.aws_region)

    @property
    def queue_setup(self) -> QueueSetup | None:
        """SQS queues by name for `leh ops setup-aws`; None on the embedded queue."""
        s = self.settings
        if not s.sqs_queue_url:
            return None
        from leh.adapters.sqs_queue import SqsQueueSetup

        return SqsQueueSetup(endpoint_url=s.sqs_endpoint_url, region=s.aws_region)

    @property
    def log_source(self) -> LogSource:
        """Where `leh ops logs` and diagnose read the logs: the CloudWatch log group when set, else the local files."""
        s = self.settings
        if s.cloudwatch_log_group:
            from leh.adapters.cloudwatch_logs import CloudWatchLogSource

            return CloudWatchLogSource(s.cloudwatch_log_group, endpoint_url=s.cloudwatch_endpoint_url,
                                       region=s.aws_region)
        from leh.services.ops.logs import LocalLogFiles

        return LocalLogFiles(s)

    @property
    def alert_sink(self) -> AlertSink | None:
        """The alert webhook (LEH_ALERT_WEBHOOK_URL), or None when none is configured."""
        if not self.settings.alert_webhook_url:
            return None
        from leh.adapters.http_ops import WebhookAlertSink

        return WebhookAlertSink(self.settings.alert_webhook_url)

    @property
    def provider_probe(self) -> ProviderProbe | None:
        """The AI provider's reachability probe when OpenAI is configured, else None (offline engines)."""
        s = self.settings
        if not s.openai_api_key:
            return None
        from leh.adapters.http_ops import OpenAiProviderProbe

        return OpenAiProviderProbe(s.openai_api_key, s.openai_base_url)

