"""ffprobe/ffmpeg wrappers: read container facts and turn any audio or video file into 16 kHz mono WAV.

Both run ffmpeg as a subprocess with a timeout; ffmpeg's own messages go to the log (they may name paths),
users only ever see the Korean message of the EvidenceError.
"""

from __future__ import annotations

import json
import logging
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, Final

from leh.domain.errors import EvidenceError

log = logging.getLogger(__name__)

FFPROBE: Final = "ffprobe"
FFMPEG: Final = "ffmpeg"
PROBE_TIMEOUT_S: Final = 60.0

# MP4 stores "no date" as 1904-01-01 (its epoch) and many Android recorders write 1970-01-01; a recording
# claiming to be older than this is a missing date, not a fact.
_EARLIEST_PLAUSIBLE: Final = datetime(1995, 1, 1, tzinfo=UTC)

# Where a recording date can live, best first: Apple's tag carries the local UTC offset of the phone,
# the generic `creation_time` (MP4/MOV `mvhd`, Matroska DATE_UTC) is UTC by specification.
_DATE_TAGS: Final = ("com.apple.quicktime.creationdate", "creation_time", "date_utc")


@dataclass(frozen=True)
class MediaInfo:
    """What ffprobe says about a media file. `creation_time` is timezone-aware or None."""

    duration_s: float
    has_audio: bool
    has_video: bool
    creation_time: datetime | None = None
    format_name: str | None = None
    audio_codec: str | None = None
    video_codec: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    width: int | None = None
    height: int | None = None


def probe(path: Path, *, corrupt_code: str = "AUDIO_CORRUPT", timeout_s: float = PROBE_TIMEOUT_S) -> MediaInfo:
    """Run ffprobe on `path`. Unreadable files raise EvidenceError(corrupt_code); an empty file EMPTY_FILE."""
    path = Path(path)
    if path.stat().st_size == 0:
        raise EvidenceError("EMPTY_FILE")
    cmd = [FFPROBE, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired as exc:
        # A probe that does not finish in a minute is a pathological file, not a slow machine.
        raise EvidenceError(corrupt_code) from exc
    if proc.returncode != 0:
        log.info("ffprobe failed (rc=%s): %s", proc.returncode, _tail(proc.stderr))
        raise EvidenceError(corrupt_code)
    try:
        data = json.loads(proc.stdout or b"{}")
    except json.JSONDecodeError as exc:
        raise EvidenceError(corrupt_code) from exc
    streams: list[dict[str, Any]] = data.get("streams") or []
    fmt: dict[str, Any] = data.get("format") or {}
    if not streams:
        raise EvidenceError(corrupt_code)
    return _media_info(fmt, streams)


def _media_info(fmt: dict[str, Any], streams: list[dict[str, Any]]) -> MediaInfo:
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    # Cover art in mp3/m4a shows up as a one-frame "video" stream marked attached_pic; it is not a video.
    video = [
        s for s in streams
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    durations = [_float(fmt.get("duration"))] + [_float(s.get("duration")) for s in streams]
    duration = max((d for d in durations if d is not None), default=0.0)
    tag_sets = [fmt.get("tags") or {}] + [s.get("tags") or {} for s in streams]
    a = audio[0] if audio else {}
    v = video[0] if video else {}
    return MediaInfo(
        duration_s=round(duration, 3),
        has_audio=bool(audio),
        has_video=bool(video),
        creation_time=_creation_time(tag_sets),
        format_name=fmt.get("format_name"),
        audio_codec=a.get("codec_name"),
        video_codec=v.get("codec_name"),
        sample_rate=_int(a.get("sample_rate")),
        channels=_int(a.get("channels")),
        width=_int(v.get("width")),
        height=_int(v.get("height")),
    )


def _creation_time(tag_sets: list[dict[str, Any]]) -> datetime | None:
    for name in _DATE_TAGS:
        for tags in tag_sets:
            value = next((v for k, v in tags.items() if k.lower() == name), None)
            parsed = parse_container_time(value) if isinstance(value, str) else None
            if parsed is not None:
                return parsed
    return None


def parse_container_time(value: str) -> datetime | None:
    """An aware datetime from a container date tag, or None if it is missing, malformed or a placeholder."""
    text = value.strip()
    if not text:
        return None
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    if dt.tzinfo is None:
        # MP4/MOV creation_time is UTC by specification even when written without a suffix.
        dt = dt.replace(tzinfo=UTC)
    if dt < _EARLIEST_PLAUSIBLE or dt > datetime.now(UTC) + timedelta(days=366):
        return None
    return dt


def to_wav_16k_mono(
    src: Path,
    dest: Path,
    *,
    max_seconds: float,
    corrupt_code: str = "AUDIO_CORRUPT",
    timeout_s: float | None = None,
) -> Path:
    """Decode the first audio stream of `src` to 16 kHz mono 16-bit WAV at `dest`.

    Raises EvidenceError: VIDEO_NO_AUDIO when there is no audio stream, AUDIO_TOO_LONG when the decoded
    audio runs past `max_seconds` (the container's duration can lie), `corrupt_code` when decoding fails,
    PARSE_TIMEOUT when ffmpeg runs past `timeout_s`.
    """
    src, dest = Path(src), Path(dest)
    if src.stat().st_size == 0:
        raise EvidenceError("EMPTY_FILE")
    # Decode one second past the limit: output longer than the limit proves the file is too long, while
    # capping the output keeps a lying header from filling the disk.
    cap = float(max_seconds) + 1.0
    if timeout_s is None:
        # ffmpeg decodes speech codecs at well over 50x real time; this leaves ample room on a busy box.
        timeout_s = 120.0 + cap / 20.0
    cmd = [
        FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
        "-i", str(src),
        "-map", "0:a:0", "-vn", "-sn", "-dn",
        # Fill timestamp gaps with silence and start at 0: ffmpeg's AMR decoder drops the comfort-noise
        # (DTX) frames phones write during pauses, and damaged packets vanish too; without this every
        # pause shrinks and word times drift away from the recording's clock.
        "-af", "aresample=async=1:first_pts=0",
        "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le",
        "-t", f"{cap:.3f}",
        "-f", "wav", str(dest),
    ]
    # stderr goes to a file, not a pipe: a long AMR call with DTX logs an error line per dropped frame
    # (tens of MB over hours), and only its head and tail are worth keeping.
    with tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=err, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired as exc:
            dest.unlink(missing_ok=True)
            raise EvidenceError("PARSE_TIMEOUT", retryable=True) from exc
        if proc.returncode != 0:
            stderr = _head_and_tail(err)
            dest.unlink(missing_ok=True)
            log.info("ffmpeg failed (rc=%s): %s", proc.returncode, stderr)
            if "matches no streams" in stderr:
                raise EvidenceError("VIDEO_NO_AUDIO")
            raise EvidenceError(corrupt_code)
    try:
        with wave.open(str(dest), "rb") as w:
            frames = w.getnframes()
    except (OSError, EOFError, wave.Error) as exc:
        dest.unlink(missing_ok=True)
        raise EvidenceError(corrupt_code) from exc
    if frames == 0:
        # The stream exists but decoded to nothing: header-only or fully damaged audio.
        dest.unlink(missing_ok=True)
        raise EvidenceError(corrupt_code)
    if frames / 16000 > max_seconds:
        dest.unlink(missing_ok=True)
        raise EvidenceError("AUDIO_TOO_LONG")
    return dest


def _head_and_tail(fh: BinaryIO, limit: int = 2000) -> str:
    size = fh.seek(0, 2)
    fh.seek(0)
    if size <= 2 * limit:
        return fh.read().decode("utf-8", "replace").strip()
    head = fh.read(limit)
    fh.seek(size - limit)
    return (head + b"\n...\n" + fh.read()).decode("utf-8", "replace").strip()


def _tail(stderr: bytes, limit: int = 500) -> str:
    return stderr.decode("utf-8", "replace").strip()[-limit:]


def _float(value: Any) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if f == f and f >= 0 else None  # drops NaN and negatives


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
