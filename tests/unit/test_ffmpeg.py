"""ffprobe/ffmpeg adapter on media generated here with espeak-ng, sox and ffmpeg."""

from __future__ import annotations

import subprocess
import wave
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from leh.adapters.ffmpeg import parse_container_time, probe, to_wav_16k_mono
from leh.domain.errors import EvidenceError


def run(*cmd: str | Path) -> None:
    subprocess.run([str(c) for c in cmd], check=True, capture_output=True)


def ffmpeg(*args: str | Path) -> None:
    run("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args)


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("ffmpeg")
    speech = d / "speech.wav"
    run("espeak-ng", "-v", "en", "-w", speech, "the quick brown fox jumps over the lazy dog")
    mp4 = d / "clip.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=c=black:s=160x120:r=10", "-i", speech, "-shortest",
           "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
           "-metadata", "creation_time=2023-12-25T13:20:00Z", mp4)
    silent_video = d / "silent.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=c=black:s=160x120:r=10:d=2", "-c:v", "libx264", "-pix_fmt", "yuv420p",
           silent_video)
    cover = d / "cover.png"
    ffmpeg("-f", "lavfi", "-i", "color=c=red:s=64x64:d=1", "-frames:v", "1", cover)
    mp3_cover = d / "with_cover.mp3"
    ffmpeg("-i", speech, "-i", cover, "-map", "0:a", "-map", "1:v", "-c:a", "libmp3lame", "-c:v", "mjpeg",
           "-disposition:v", "attached_pic", "-id3v2_version", "3", mp3_cover)
    broken = d / "broken.mp3"
    broken.write_bytes(b"this is not a recording, just text pretending to be one\n" * 200)
    empty = d / "empty.m4a"
    empty.write_bytes(b"")
    return {"speech": speech, "mp4": mp4, "silent_video": silent_video, "mp3_cover": mp3_cover,
            "broken": broken, "empty": empty}


def test_probe_wav_fields(media: dict[str, Path]) -> None:
    info = probe(media["speech"])
    with wave.open(str(media["speech"]), "rb") as w:
        expected = w.getnframes() / w.getframerate()
    assert info.duration_s == pytest.approx(expected, abs=0.05)
    assert info.has_audio and not info.has_video
    assert info.audio_codec == "pcm_s16le"
    assert info.sample_rate == 22050 and info.channels == 1
    assert info.creation_time is None


def test_probe_video_fields_and_creation_time(media: dict[str, Path]) -> None:
    info = probe(media["mp4"], corrupt_code="VIDEO_CORRUPT")
    assert info.has_audio and info.has_video
    assert info.video_codec == "h264" and info.audio_codec == "aac"
    assert (info.width, info.height) == (160, 120)
    assert info.duration_s > 2.0
    assert info.creation_time == datetime(2023, 12, 25, 13, 20, tzinfo=UTC)
    assert info.creation_time.tzinfo is not None


def test_cover_art_is_not_video(media: dict[str, Path]) -> None:
    info = probe(media["mp3_cover"])
    assert info.has_audio
    assert not info.has_video  # the attached picture is album art, not a picture track


def test_video_without_audio(media: dict[str, Path], tmp_path: Path) -> None:
    info = probe(media["silent_video"], corrupt_code="VIDEO_CORRUPT")
    assert info.has_video and not info.has_audio
    with pytest.raises(EvidenceError) as exc:
        to_wav_16k_mono(media["silent_video"], tmp_path / "out.wav", max_seconds=60, corrupt_code="VIDEO_CORRUPT")
    assert exc.value.code == "VIDEO_NO_AUDIO"


@pytest.mark.parametrize("source", ["speech", "mp4", "mp3_cover"])
def test_convert_to_16k_mono(media: dict[str, Path], tmp_path: Path, source: str) -> None:
    out = to_wav_16k_mono(media[source], tmp_path / "out.wav", max_seconds=60)
    with wave.open(str(out), "rb") as w:
        assert (w.getnchannels(), w.getframerate(), w.getsampwidth(), w.getcomptype()) == (1, 16000, 2, "NONE")
        seconds = w.getnframes() / 16000
    assert seconds == pytest.approx(probe(media["speech"]).duration_s, abs=0.3)


def test_corrupt_file(media: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as exc:
        probe(media["broken"])
    assert exc.value.code == "AUDIO_CORRUPT" and exc.value.retryable is False
    with pytest.raises(EvidenceError) as exc:
        to_wav_16k_mono(media["broken"], tmp_path / "out.wav", max_seconds=60)
    assert exc.value.code == "AUDIO_CORRUPT"
    assert not (tmp_path / "out.wav").exists()
    with pytest.raises(EvidenceError) as exc:
        probe(media["broken"], corrupt_code="VIDEO_CORRUPT")
    assert exc.value.code == "VIDEO_CORRUPT"


def test_empty_file(media: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as exc:
        probe(media["empty"])
    assert exc.value.code == "EMPTY_FILE"
    with pytest.raises(EvidenceError) as exc:
        to_wav_16k_mono(media["empty"], tmp_path / "out.wav", max_seconds=60)
    assert exc.value.code == "EMPTY_FILE"


def test_conversion_stops_past_the_limit(media: dict[str, Path], tmp_path: Path) -> None:
    # The speech is ~2.8 s: a 1 s limit must fail even if a container header had claimed less.
    with pytest.raises(EvidenceError) as exc:
        to_wav_16k_mono(media["speech"], tmp_path / "out.wav", max_seconds=1)
    assert exc.value.code == "AUDIO_TOO_LONG"
    assert not (tmp_path / "out.wav").exists()


def test_container_time_parsing() -> None:
    assert parse_container_time("2023-12-25T13:20:00.000000Z") == datetime(2023, 12, 25, 13, 20, tzinfo=UTC)
    # Apple's creationdate keeps the phone's local offset.
    apple = parse_container_time("2023-12-25T22:20:00+0900")
    assert apple is not None and apple.utcoffset() == timedelta(hours=9)
    assert apple == datetime(2023, 12, 25, 22, 20, tzinfo=timezone(timedelta(hours=9)))
    # A naive value is UTC per the MP4 specification.
    assert parse_container_time("2023-12-25 13:20:00") == datetime(2023, 12, 25, 13, 20, tzinfo=UTC)
    # MP4's zero date and the Unix epoch are placeholders for "unknown".
    assert parse_container_time("1904-01-01T00:00:00.000000Z") is None
    assert parse_container_time("1970-01-01T00:00:00.000000Z") is None
    assert parse_container_time("yesterday") is None
    assert parse_container_time("") is None


def _sox_writes_amr() -> bool:
    return "amr-nb" in subprocess.run(["sox", "-h"], capture_output=True, text=True, check=False).stdout


@pytest.mark.skipif(not _sox_writes_amr(), reason="sox lacks amr-nb (libopencore-amrnb), no AMR encoder to make the file")
def test_amr_pauses_keep_their_length(media: dict[str, Path], tmp_path: Path) -> None:
    # sox's AMR-NB encoder writes DTX comfort-noise frames in silences, which ffmpeg's decoder drops;
    # the conversion must refill them or every pause (and every later word time) shrinks.
    padded = tmp_path / "padded.wav"
    gap = tmp_path / "gap.wav"
    run("sox", "-n", "-r", "22050", "-c", "1", "-b", "16", gap, "trim", "0", "3")
    run("sox", media["speech"], gap, media["speech"], padded)  # a 3 s pause between two phrases
    amr = tmp_path / "call.amr"
    run("sox", padded, "-r", "8000", "-c", "1", "-t", "amr-nb", "-C", "7", amr)
    out = to_wav_16k_mono(amr, tmp_path / "out.wav", max_seconds=60)
    with wave.open(str(out), "rb") as w, wave.open(str(padded), "rb") as p:
        assert w.getnframes() / 16000 == pytest.approx(p.getnframes() / p.getframerate(), abs=0.5)
