"""OpenAI transcription adapter against a real HTTP server started here (http.server on 127.0.0.1:0)."""

from __future__ import annotations

import email.parser
import email.policy
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from leh.adapters import openai_stt
from leh.adapters.openai_stt import OpenAiStt
from leh.domain.errors import EvidenceError
from leh.pipeline.parsers import audio
from leh.pipeline.parsers.base import EngineChoice, ParseContext
from tests.support.http_stub import StubRequest, json_http_server

pytestmark = pytest.mark.integration

WORDS = [
    {"word": "여보세요", "start": 0.0, "end": 0.6},
    {"word": "내일", "start": 0.7, "end": 1.0},
    {"word": "다시", "start": 2.1, "end": 2.4},  # after a 1.1 s pause
    {"word": "얘기해", "start": 2.4, "end": 2.9},
]
VERBOSE = {"task": "transcribe", "language": "korean", "duration": 3.0, "text": "여보세요 내일 다시 얘기해",
           "words": WORDS, "segments": []}


@dataclass
class Stub:
    """What the fake API answers, and what it received."""

    status: int = 200
    body: dict[str, Any] = field(default_factory=lambda: VERBOSE)
    delay_s: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)


def _form_fields(content_type: str, body: bytes) -> dict[str, Any]:
    """Parse a multipart/form-data body into {name: str value or (filename, bytes)}."""
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, Any] = {}
    for part in msg.iter_parts():
        name = str(part.get_param("name", header="content-disposition"))
        payload = bytes(part.get_payload(decode=True))
        filename = part.get_filename()
        value = (filename, payload) if filename else payload.decode()
        if name.endswith("[]"):  # array fields ("timestamp_granularities[]") repeat: keep every value
            fields.setdefault(name, []).append(value)
        else:
            fields[name] = value
    return fields


@pytest.fixture
def server() -> Iterator[tuple[str, Stub]]:
    stub = Stub()

    def respond(req: StubRequest) -> tuple[int, Any]:
        ctype = req.headers.get("content-type", "")
        stub.requests.append({
            "path": req.path, "content_type": ctype, "auth": req.headers.get("authorization"),
            "fields": _form_fields(ctype, req.raw) if ctype.startswith("multipart/form-data") else {},
        })
        if stub.delay_s:
            time.sleep(stub.delay_s)
        return stub.status, stub.body if stub.status == 200 else {"error": {"message": "nope"}}

    with json_http_server(respond) as base:
        yield base + "/v1", stub


@pytest.fixture(scope="module")
def wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("openai") / "call.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(path), "synth", "3", "sine", "440",
                    "vol", "0.3"], check=True, capture_output=True)
    return path


def _stt(base_url: str, **kw: Any) -> OpenAiStt:
    kw.setdefault("timeout_s", 10.0)
    return OpenAiStt(api_key="sk-test", base_url=base_url, max_retries=0, **kw)


def test_transcribes_through_the_api(server: tuple[str, Stub], wav: Path) -> None:
    base_url, stub = server
    words = _stt(base_url, language="ko").transcribe(wav)
    assert [w.text for w in words] == ["여보세요", "내일", "다시", "얘기해"]
    assert [(w.start_s, w.end_s) for w in words] == [(0.0, 0.6), (0.7, 1.0), (2.1, 2.4), (2.4, 2.9)]

    (req,) = stub.requests
    assert req["path"] == "/v1/audio/transcriptions"
    assert req["content_type"].startswith("multipart/form-data; boundary=")
    assert req["auth"] == "Bearer sk-test"
    f = req["fields"]
    filename, data = f["file"]
    assert filename == "call.wav" and data == wav.read_bytes()
    assert f["model"] == "whisper-1"
    assert f["response_format"] == "verbose_json"
    assert f["timestamp_granularities[]"] == ["word"]
    assert f["language"] == "ko"


def test_long_audio_is_sent_in_pieces(server: tuple[str, Stub], wav: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base_url, stub = server
    monkeypatch.setattr(openai_stt, "CHUNK_SECONDS", 1)
    words = _stt(base_url).transcribe(wav)
    assert len(stub.requests) == 3  # 3 s in 1 s pieces
    sizes = [len(r["fields"]["file"][1]) for r in stub.requests]
    assert all(s < 16000 * 2 + 200 for s in sizes)
    # The stub answers the same words for every piece: their times move by each piece's offset.
    assert [w.start_s for w in words[::4]] == [0.0, 1.0, 2.0]
    assert "language" not in stub.requests[0]["fields"]


def test_parser_uses_openai_from_settings(server: tuple[str, Stub], wav: Path) -> None:
    base_url, stub = server
    settings = SimpleNamespace(stt_engine="openai", openai_api_key="sk-test", openai_base_url=base_url,
                               openai_timeout_seconds=10.0)
    result = audio.parse(wav, ParseContext(filename="call.wav", engines=EngineChoice.from_settings(settings)))
    assert result.meta["engine"] == "openai"
    assert [s.text for s in result.segments] == ["여보세요 내일", "다시 얘기해"]
    assert [s.ref for s in result.segments] == [{"start_s": 0.0, "end_s": 1.0}, {"start_s": 2.1, "end_s": 2.9}]
    assert stub.requests[0]["fields"]["language"] == "ko"


@pytest.mark.parametrize(("status", "retryable"), [(500, True), (503, True), (429, True), (401, False), (400, False)])
def test_http_errors(server: tuple[str, Stub], wav: Path, status: int, retryable: bool) -> None:
    base_url, stub = server
    stub.status = status
    with pytest.raises(EvidenceError) as exc:
        _stt(base_url).transcribe(wav)
    assert exc.value.code == "AI_PROVIDER_UNAVAILABLE"
    assert exc.value.retryable is retryable


def test_timeout_is_retryable(server: tuple[str, Stub], wav: Path) -> None:
    base_url, stub = server
    stub.delay_s = 2.0
    started = time.perf_counter()
    with pytest.raises(EvidenceError) as exc:
        _stt(base_url, timeout_s=0.3).transcribe(wav)
    assert exc.value.code == "AI_PROVIDER_UNAVAILABLE" and exc.value.retryable is True
    assert time.perf_counter() - started < 2.0


def test_connection_refused_is_retryable(wav: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before use: nothing listens there
    with pytest.raises(EvidenceError) as exc:
        _stt(f"http://127.0.0.1:{port}/v1").transcribe(wav)
    assert exc.value.code == "AI_PROVIDER_UNAVAILABLE" and exc.value.retryable is True


def test_missing_api_key(wav: Path) -> None:
    with pytest.raises(EvidenceError) as exc:
        OpenAiStt(api_key=None).transcribe(wav)
    assert exc.value.code == "AI_PROVIDER_UNAVAILABLE" and exc.value.retryable is False
