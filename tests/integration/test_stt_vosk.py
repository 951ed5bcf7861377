"""Vosk adapter with the packaged Korean model: structure and timing, not accuracy.

espeak-ng's Korean voice is not intelligible to the Vosk model, so these tests check what the pipeline
guarantees about any transcript (ordering, bounds, no crash on silence), not the words themselves.
"""

from __future__ import annotations

import subprocess
import time
import wave
from pathlib import Path

import pytest

from leh.adapters.vosk_stt import VoskStt, default_model_dir, load_model
from leh.pipeline.parsers import audio
from leh.pipeline.parsers.base import ParseContext

pytestmark = pytest.mark.timeout(240)

KOREAN = (
    "안녕하세요. 오늘은 이천이십삼년 십이월 이십오일입니다. 남편이 어제 밤에 늦게 들어왔습니다. "
    "저는 아이들과 함께 집에 있었습니다. 우리는 이혼에 대해서 이야기를 했습니다. "
    "재산 분할과 양육권 문제가 남아 있습니다. 변호사님께 상담을 요청하고 싶습니다."
)


def run(*cmd: str | Path) -> None:
    subprocess.run([str(c) for c in cmd], check=True, capture_output=True)


@pytest.fixture(scope="module")
def vosk_stt() -> VoskStt:
    """Loads the ~250 MB model once for the module; every VoskStt shares the cached model."""
    started = time.perf_counter()
    load_model()
    assert time.perf_counter() - started < 60
    return VoskStt()


@pytest.fixture(scope="module")
def korean_minute(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 60 s of espeak-ng Korean speech with short pauses between repetitions, as m4a."""
    d = tmp_path_factory.mktemp("vosk")
    run("espeak-ng", "-v", "ko", "-w", d / "ko.wav", KOREAN)
    run("sox", "-n", "-r", "22050", "-c", "1", "-b", "16", d / "gap.wav", "trim", "0", "1")
    run("sox", *([d / "ko.wav", d / "gap.wav"] * 3), d / "minute.wav")
    run("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", d / "minute.wav", "-c:a", "aac", d / "minute.m4a")
    return d / "minute.m4a"


def test_packaged_model_present() -> None:
    assert (default_model_dir() / "am" / "final.mdl").is_file()


def test_silence_gives_nothing(vosk_stt: VoskStt, tmp_path: Path) -> None:
    wav = tmp_path / "silence.wav"
    run("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", wav, "trim", "0", "3")
    assert vosk_stt.transcribe(wav) == []
    result = audio.parse(wav, ParseContext(filename="silence.wav"), stt=vosk_stt)
    assert result.segments == []
    assert result.meta["engine"] == "vosk" and result.meta["words"] == 0


def test_minute_of_speech_structure(vosk_stt: VoskStt, korean_minute: Path) -> None:
    # Speed (real-time factor) is measured in bench/bench_stt.py, not timed here.
    result = audio.parse(korean_minute, ParseContext(filename="minute.m4a"), stt=vosk_stt)
    duration = result.meta["duration_s"]
    assert 50 <= duration <= 75
    assert result.meta["engine"] == "vosk"
    segs = result.segments
    assert [s.seq for s in segs] == list(range(len(segs)))
    prev_end = 0.0
    for s in segs:
        start, end = s.ref["start_s"], s.ref["end_s"]
        assert prev_end <= start <= end <= duration + 0.05
        assert end - start <= audio.MAX_SEGMENT_S + 0.01
        assert s.text.strip() and s.kind == "speech"
        assert s.speaker is not None and s.speaker.startswith("화자")
        assert s.ts is None  # no container date, no invented time
        prev_end = end


def test_model_is_cached_per_process(vosk_stt: VoskStt) -> None:
    assert load_model() is load_model(default_model_dir())


def test_rejects_wrong_wav_format(vosk_stt: VoskStt, tmp_path: Path) -> None:
    wav = tmp_path / "stereo.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(b"\0\0\0\0" * 4410)
    with pytest.raises(ValueError):
        vosk_stt.transcribe(wav)
