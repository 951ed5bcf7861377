"""A local server that speaks OpenAI's transcription protocol (`POST /v1/audio/transcriptions`).

Lets a real worker take the OpenAI speech-to-text path with a known Korean transcript: espeak-ng's Korean
voice is not recognisable by any offline engine, so tests that need Korean words from a recording use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.support.http_stub import StubRequest, json_http_server


def verbose_json(words: list[tuple[str, float, float]]) -> dict[str, Any]:
    return {"task": "transcribe", "language": "korean", "duration": words[-1][2] + 0.5,
            "text": " ".join(w for w, _s, _e in words),
            "words": [{"word": w, "start": s, "end": e} for w, s, e in words]}


@contextmanager
def whisper_server(body: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """Yields (base_url ending in /v1, list of request paths received)."""
    paths: list[str] = []

    def respond(req: StubRequest) -> tuple[int, Any]:
        paths.append(req.path)
        if req.path.endswith("/audio/transcriptions"):
            return 200, body
        return 404, {"error": {"message": "not served here"}}

    with json_http_server(respond) as base:
        yield base + "/v1", paths
