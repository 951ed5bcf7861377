"""One local JSON-over-HTTP server for tests that stand in for a remote API (OpenAI's protocols, webhooks, OpenSearch).

`respond(request)` decides each answer; the server records nothing itself, so each test keeps what it needs.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class StubRequest:
    path: str
    headers: dict[str, str]
    raw: bytes
    method: str = "POST"

    def json(self) -> Any:
        return json.loads(self.raw)


Responder = Callable[[StubRequest], tuple[int, Any]]


@contextmanager
def json_http_server(respond: Responder) -> Iterator[str]:
    """Serve requests (any method) on 127.0.0.1 with `respond` until the block ends; yields the base URL (no
    trailing slash). A HEAD answer carries no body."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, payload = respond(StubRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, raw,
                                                  self.command))
            data = json.dumps(payload, ensure_ascii=False).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests)

        do_POST = do_GET = do_PUT = do_DELETE = do_HEAD = _answer  # noqa: N815 - http.server's naming

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
