"""Builds the adapters chosen by the settings: the one place that knows which engine sits behind each port."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from leh.adapters.database import make_engine, make_sessionmaker, migrate
from leh.config import Settings
from leh.ports import EvidenceStore, ObjectStore, Queue, SearchIndex


@dataclass
class Container:
    settings: Settings
    _overrides: dict[str, object] = field(default_factory=dict)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.effective_database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return make_sessionmaker(self.engine)

    def migrate(self) -> None:
        migrate(self.engine)

    @cached_property
    def objects(self) -> ObjectStore:
        s = self.settings
        _refuse_unbuilt("LEH_S3_BUCKET", s.s3_bucket)
        from leh.adapters.local_objects import LocalObjectStore

        return LocalObjectStore(s.data_dir / "objects", secret=s.resolved_secret_key())

    @cached_property
    def evidence(self) -> EvidenceStore:
        s = self.settings
        _refuse_unbuilt("LEH_DYNAMODB_TABLE", s.dynamodb_table)
        from leh.adapters.sqlite_evidence import SqliteEvidenceStore

        return SqliteEvidenceStore(s.data_dir / "evidence.db")

    @cached_property
    def queue(self) -> Queue:
        s = self.settings
        # One receive more than the worker's own attempts: the worker dead-letters its own failures, so a
        # message reaching this count was held by workers that died (WORKER_CRASHED).
        max_receives = s.queue_max_attempts + 1
        _refuse_unbuilt("LEH_SQS_QUEUE_URL", s.sqs_queue_url)
        from leh.adapters.sqlite_queue import SqliteQueue

        return SqliteQueue(s.data_dir / "queue.db", visibility_seconds=s.queue_visibility_seconds,
                           max_receive_count=max_receives)

    @cached_property
    def index(self) -> SearchIndex:
        s = self.settings
        _refuse_unbuilt("LEH_OPENSEARCH_URL", s.opensearch_url)
        from leh.adapters.openai_ai import embedder
        from leh.adapters.sqlite_search import SqliteSearchIndex

        return SqliteSearchIndex(s.data_dir / "search.db", embedder=embedder(self))


def _refuse_unbuilt(setting: str, value: object) -> None:
    """Fail loudly rather than silently fall back to the embedded engine when a scale-out engine is asked for."""
    if value:
        raise RuntimeError(f"{setting} is set, but this build has no adapter for that engine yet; unset it to use the embedded default.")
