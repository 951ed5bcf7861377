"""A local HTTP server that speaks OpenAI's transcription protocol (`POST /v1/audio/transcriptions`).

Lets a real worker take the OpenAI speech-to-text path with a known Korean transcript: espeak-ng's Korean
voice is not recognisable by any offline engine, so tests that need Korean words from a recording use it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def verbose_json(words: list[tuple[str, float, float]]) -> dict[str, Any]:
    return {"task": "transcribe", "language": "korean", "duration": words[-1][2] + 0.5,
            "text": " ".join(w for w, _s, _e in words),
            "words": [{"word": w, "start": s, "end": e} for w, s, e in words]}


@contextmanager
def whisper_server(body: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """Yields (base_url ending in /v1, list of request paths received)."""
    paths: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            paths.append(self.path)
            ok = self.path.endswith("/audio/transcriptions")
            payload = json.dumps(body if ok else {"error": {"message": "not served here"}}).encode()
            self.send_response(200 if ok else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", paths
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
