"""A lawyer working a case through the API in-process: an account, a case with its parties, files uploaded and
processed by the worker's processor in this process (no worker, no server)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from leh.api.app import create_app
from leh.container import Container
from leh.domain.events import parse_events
from leh.pipeline.processor import EvidenceProcessor
from leh.services import accounts


@dataclass
class Lawyer:
    client: TestClient
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def data(self, method: str, path: str, **kw: Any) -> Any:
        return self.client.request(method, path, headers=self.auth, **kw).json()["data"]

    def new_case(self, parties: dict[str, Any] | None = None, title: str = "김영희 사건") -> str:
        body: dict[str, Any] = {"title": title, **({"parties": parties} if parties else {})}
        return str(self.data("POST", "/api/cases", json=body)["id"])

    def upload(self, container: Container, case_id: str, files: dict[str, str]) -> list[str]:
        """Upload text files ({name: text}) and process them; the evidence ids in order."""
        ids = [str(self.data("POST", f"/api/cases/{case_id}/evidence", files={"file": (name, text.encode())})["evidence_id"])
               for name, text in files.items()]
        for message in container.queue.receive(max_messages=10):
            for event in parse_events(message.body):
                assert EvidenceProcessor(container).process(event) == "done"
        return ids


@contextmanager
def lawyer(container: Container, email: str) -> Iterator[Lawyer]:
    with container.sessions() as db:
        user = accounts.create_user(db, email=email, password="password-123", role="lawyer")
        db.commit()
        token = accounts.issue_token(user, container.settings).access_token
    with TestClient(create_app(container)) as client:
        yield Lawyer(client, token)
