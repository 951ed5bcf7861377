"""Speech-to-text through the OpenAI transcription API (`whisper-1`, verbose_json with word timestamps).

Only the audio goes out, as `speech.wav` pieces with the model and language: no prompt (it would carry names),
no filename, no text. The API takes at most 25 MB per request, so the 16 kHz WAV (32 kB/s) is sent in 10-minute pieces and the
word times are shifted back onto the whole recording.
"""

from __future__ import annotations

import contextlib
import tempfile
import wave
from collections.abc import Generator
from pathlib import Path
from typing import Any, Final

from leh.domain.errors import EvidenceError
from leh.ports import Word

MODEL: Final = "whisper-1"
CHUNK_SECONDS: Final = 600  # 600 s x 32 kB/s = 19.2 MB, safely under the 25 MB upload limit
REJECTED_KO: Final = "AI 서비스가 음성 인식 요청을 거부했습니다. 관리자에게 AI 서비스 설정 확인을 요청해주세요."


class OpenAiStt:
    """SpeechToText over the OpenAI SDK. Network trouble, 429 and 5xx raise retryable AI_PROVIDER_UNAVAILABLE."""

    name = "openai"

    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str | None = None,
        timeout_s: float = 60.0,
        language: str | None = None,
        max_retries: int = 2,
        model: str = MODEL,
    ):
        self.api_key = api_key
        self.base_url = base_url
        self.timeout_s = timeout_s
        self.language = language
        self.max_retries = max_retries
        self.model = model
        self._client: Any = None

    @classmethod
    def from_settings(cls, settings: Any, *, language: str | None = "ko") -> OpenAiStt:
        return cls(
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            timeout_s=settings.openai_timeout_seconds,
            language=language,
        )

    def _get_client(self) -> Any:
        if self._client is None:
            if not self.api_key:
                raise EvidenceError("AI_PROVIDER_UNAVAILABLE", REJECTED_KO, retryable=False)
            import openai

            self._client = openai.OpenAI(
                api_key=self.api_key,
                base_url=self.base_url or None,
                timeout=self.timeout_s,
                max_retries=self.max_retries,
            )
        return self._client

    def transcribe(self, wav_16k_mono: Path) -> list[Word]:
        client = self._get_client()
        words: list[Word] = []
        with (
            tempfile.TemporaryDirectory(prefix="leh-oa-stt-") as tmp,
            contextlib.closing(_split_wav(Path(wav_16k_mono), Path(tmp), CHUNK_SECONDS)) as pieces,
        ):
            for offset_s, piece in pieces:
                for w in self._transcribe_piece(client, piece):
                    words.append(Word(text=w.text, start_s=w.start_s + offset_s, end_s=w.end_s + offset_s))
        return words

    def _transcribe_piece(self, client: Any, piece: Path) -> list[Word]:
        import openai

        kwargs: dict[str, Any] = {}
        if self.language:
            kwargs["language"] = self.language
        try:
            with piece.open("rb") as fh:
                result = client.audio.transcriptions.create(
                    model=self.model,
                    file=(piece.name, fh, "audio/wav"),
                    response_format="verbose_json",
                    timestamp_granularities=["word"],
                    **kwargs,
                )
        except (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError) as exc:
            # APIConnectionError covers refused connections, DNS failures and timeouts.
            raise EvidenceError("AI_PROVIDER_UNAVAILABLE", retryable=True) from exc
        except openai.APIStatusError as exc:
            if exc.status_code >= 500 or exc.status_code in (408, 409):
                raise EvidenceError("AI_PROVIDER_UNAVAILABLE", retryable=True) from exc
            # 400/401/403/404: a bad key or model name; retrying the same request cannot succeed.
            raise EvidenceError("AI_PROVIDER_UNAVAILABLE", REJECTED_KO, retryable=False) from exc
        except openai.APIError as exc:
            # A 200 whose body is not the promised JSON: the provider (or a proxy in front of it) misbehaved.
            raise EvidenceError("AI_PROVIDER_UNAVAILABLE", retryable=True) from exc
        return [
            Word(text=w.word.strip(), start_s=float(w.start), end_s=float(w.end))
            for w in (getattr(result, "words", None) or [])
            if w.word and w.word.strip()
        ]


def _split_wav(src: Path, tmp: Path, chunk_s: int) -> Generator[tuple[float, Path], None, None]:
    """Yield (offset_s, path) pieces of at most chunk_s seconds; a short file is yielded as is.

    One piece exists on disk at a time, so a 4-hour recording does not double the temp space.
    """
    with wave.open(str(src), "rb") as w:
        rate, n = w.getframerate(), w.getnframes()
        per = chunk_s * rate
        if n <= per:
            yield 0.0, src
            return
        params = w.getparams()
        for start in range(0, n, per):
            out = tmp / f"piece{start // per:04d}.wav"
            with wave.open(str(out), "wb") as o:
                o.setparams(params)
                o.writeframes(w.readframes(per))
            yield start / rate, out
            out.unlink(missing_ok=True)
