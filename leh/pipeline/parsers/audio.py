"""Audio recordings → speech segments: probe, decode to 16 kHz mono WAV, transcribe, split, label speakers.

Segments break at pauses of 0.8 s or more and at ~20 s. Speakers are a heuristic ("화자1", "화자2", …),
never names: see `assign_speakers`. Timestamps come from the container's creation_time when it has one.
"""

from __future__ import annotations

import math
import re
import tempfile
import unicodedata
import wave
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final

from leh.adapters.ffmpeg import MediaInfo, probe, to_wav_16k_mono
from leh.domain.errors import EvidenceError
from leh.domain.evidence import Segment
from leh.pipeline.parsers.base import ParseContext, ParseResult
from leh.pipeline.parsers.dates import iso, zone
from leh.ports import SpeechToText, Word

PAUSE_SPLIT_S: Final = 0.8  # a silence this long ends a segment
MAX_SEGMENT_S: Final = 20.0  # and no segment runs longer than this
TURN_LEVEL_DB: Final = 6.0  # loudness jump across a pause that suggests another person is speaking
SAME_SPEAKER_DB: Final = 3.0  # a segment this close to a known speaker's level is taken to be that speaker
MAX_SPEAKERS: Final = 4  # beyond this the heuristic would only be labelling volume changes
SILENCE_DB: Final = -90.0
# Loudness above which a 20 ms frame counts as sound a listener would hear (speech on a phone recording sits
# around -30 to -15 dBFS; line noise and digital silence well below -50). With at least SOUND_MIN_S of such
# frames, an empty transcript is suspicious: the engine heard nothing in audio that has something in it.
SOUND_FRAME_S: Final = 0.02
SOUND_LEVEL_DB: Final = -40.0
SOUND_MIN_S: Final = 1.0
SPEAKER_PREFIX: Final = "화자"


@dataclass
class SpeechSpan:
    """A run of words between pauses, before it becomes a Segment."""

    start_s: float
    end_s: float
    words: list[Word]
    level_db: float = SILENCE_DB
    speaker: int = 0

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def parse(path: Path, ctx: ParseContext, stt: SpeechToText | None = None) -> ParseResult:
    """Parse an audio file (mp3, m4a, wav, ogg, amr, aac …) into speech segments."""
    path = Path(path)
    info = probe(path, corrupt_code="AUDIO_CORRUPT")
    if not info.has_audio:
        raise EvidenceError("VIDEO_NO_AUDIO" if info.has_video else "AUDIO_CORRUPT")
    result = transcribe_media(path, ctx, info, stt, corrupt_code="AUDIO_CORRUPT")
    if info.has_video:
        # An .m4a/.mp3 that really carries a picture track is still processed for its sound; say what it was.
        result.detected_type = "video"
    return result


def transcribe_media(
    path: Path, ctx: ParseContext, info: MediaInfo, stt: SpeechToText | None, *, corrupt_code: str
) -> ParseResult:
    """The shared audio/video pipeline once the file has been probed and has an audio stream."""
    if info.duration_s > ctx.limits.max_audio_seconds:
        raise EvidenceError("AUDIO_TOO_LONG")
    engine = stt
    if engine is None:
        # This runs in the sandbox child, which gets engine names (ctx.engines), never built engines: the
        # registry of the composition root turns the name into the engine here.
        from leh.engines import speech_to_text

        engine = speech_to_text(ctx.engines)
    with tempfile.TemporaryDirectory(prefix="leh-audio-") as tmp:
        wav = to_wav_16k_mono(
            path, Path(tmp) / "speech.wav", max_seconds=ctx.limits.max_audio_seconds, corrupt_code=corrupt_code
        )
        with wave.open(str(wav), "rb") as w:
            decoded_s = w.getnframes() / w.getframerate()
        words = engine.transcribe(wav)
        spans = split_spans(words, limit_s=decoded_s)
        measure_levels(spans, wav)
        sound_s = loud_seconds(wav) if not spans else None
    assign_speakers(spans)
    # Some containers carry no duration; the decoded length is then the truth.
    duration_s = info.duration_s or round(decoded_s, 3)

    tz = zone(ctx.timezone)
    created = info.creation_time.astimezone(tz) if info.creation_time and info.creation_time.year >= 2000 else None
    call = call_recording(ctx.filename, ctx.timezone)
    if created is None and call is not None:
        created = call.start  # the recorder's name says when the call began (the phone's local time)
    segments = [
        Segment(
            seq=i,
            text=span.text,
            ts=iso(created + timedelta(seconds=span.start_s)) if created else None,
            speaker=f"{SPEAKER_PREFIX}{span.speaker + 1}",
            ref={"start_s": round(span.start_s, 2), "end_s": round(span.end_s, 2)},
            kind="speech",
            ts_precision="second" if created else None,
        )
        for i, span in enumerate(spans)
    ]
    meta: dict[str, Any] = {
        "engine": engine.name,
        "duration_s": duration_s,
        "words": sum(len(s.words) for s in spans),
        "speakers": len({s.speaker for s in spans}),
        "format": info.format_name,
        "audio_codec": info.audio_codec,
        "sample_rate": info.sample_rate,
        "channels": info.channels,
        "creation_time": _iso_or_none(info.creation_time),
    }
    if call is not None:
        meta["counterpart"] = call.counterpart  # stored on the evidence by the worker
        meta["start_from"] = "creation_time" if created != call.start else "filename"
    warnings = []
    if sound_s is not None:
        meta["sound_s"] = round(sound_s, 2)
        if sound_s >= SOUND_MIN_S:
            warnings.append("STT_EMPTY")
    return ParseResult(segments=segments, event_time=iso(created) if created else None,
                       event_time_precision="second" if created else None, meta=meta,
                       warnings=warnings)


# Samsung's recorder: "통화 녹음 홍길동_240302_234211.m4a" (English phones: "Call recording …"); the counterpart is
# the contact name or the number, then the call's start as YYMMDD_HHMMSS in the phone's time.
_CALL_NAME_RX: Final = re.compile(r"^(?:통화\s*녹음|Call\s+recording)\s+(?P<who>.+?)_(?P<d>\d{6})_(?P<t>\d{6})"
                                  r"(?:\(\d+\))?\.[A-Za-z0-9]{2,4}$", re.IGNORECASE)


@dataclass(frozen=True)
class CallRecording:
    counterpart: str
    start: datetime


def call_recording(filename: str, tz: str) -> CallRecording | None:
    """The counterpart and start of a phone call recording named by Samsung's recorder, or None."""
    m = _CALL_NAME_RX.match(unicodedata.normalize("NFC", filename.strip()))
    if m is None:
        return None
    d, t = m["d"], m["t"]
    try:
        start = datetime(2000 + int(d[:2]), int(d[2:4]), int(d[4:]), int(t[:2]), int(t[2:4]), int(t[4:]),
                         tzinfo=zone(tz))
    except ValueError:
        return None
    return CallRecording(counterpart=m["who"].strip(), start=start)


def loud_seconds(wav_path: Path) -> float:
    """Seconds of 20 ms frames at or above SOUND_LEVEL_DB in a 16-bit mono WAV, read one second at a time."""
    import numpy as np

    total_frames = 0
    with wave.open(str(wav_path), "rb") as wav:
        rate = wav.getframerate()
        frame = max(1, int(rate * SOUND_FRAME_S))
        threshold = 32768.0 * 10 ** (SOUND_LEVEL_DB / 20.0)
        while chunk := wav.readframes(rate):
            samples = np.frombuffer(chunk, dtype="<i2").astype(np.float64)
            usable = samples.size - samples.size % frame
            if usable == 0:
                continue
            rms = np.sqrt(np.mean(samples[:usable].reshape(-1, frame) ** 2, axis=1))
            total_frames += int(np.count_nonzero(rms >= threshold))
    return total_frames * frame / rate


def split_spans(words: list[Word], *, limit_s: float | None = None) -> list[SpeechSpan]:
    """Group words into spans, breaking at pauses ≥ PAUSE_SPLIT_S and before a span would pass MAX_SEGMENT_S.

    Word times are clamped to [0, limit_s]: engines pad the last word past the end of the audio.
    """
    top = math.inf if limit_s is None else limit_s
    cleaned = sorted(
        (
            Word(w.text.strip(), min(max(0.0, w.start_s), top), min(max(0.0, w.start_s, w.end_s), top), w.confidence)
            for w in words
            if w.text.strip()
        ),
        key=lambda w: (w.start_s, w.end_s),
    )
    spans: list[SpeechSpan] = []
    for w in cleaned:
        cur = spans[-1] if spans else None
        if cur is None or w.start_s - cur.end_s >= PAUSE_SPLIT_S or w.end_s - cur.start_s > MAX_SEGMENT_S:
            spans.append(SpeechSpan(start_s=w.start_s, end_s=w.end_s, words=[w]))
        else:
            cur.words.append(w)
            cur.end_s = max(cur.end_s, w.end_s)
    return spans


def measure_levels(spans: list[SpeechSpan], wav_path: Path) -> None:
    """Set each span's RMS level (dBFS) from the 16-bit WAV, reading only the span's own samples."""
    import numpy as np

    with wave.open(str(wav_path), "rb") as wav:
        rate, total = wav.getframerate(), wav.getnframes()
        for span in spans:
            first = min(total, int(span.start_s * rate))
            count = max(0, min(total, int(math.ceil(span.end_s * rate))) - first)
            if count == 0:
                continue
            wav.setpos(first)
            samples = np.frombuffer(wav.readframes(count), dtype="<i2").astype(np.float64)
            rms = float(np.sqrt(np.mean(samples * samples))) if samples.size else 0.0
            span.level_db = max(SILENCE_DB, 20.0 * math.log10(rms / 32768.0)) if rms > 0 else SILENCE_DB


def assign_speakers(spans: list[SpeechSpan]) -> None:
    """Label speakers from pauses and loudness, the only cues a mono recording reliably gives without a model.

    The first span is speaker 0. A span keeps the previous speaker unless it follows a pause
    (≥ PAUSE_SPLIT_S) AND its level differs from the previous span's by ≥ TURN_LEVEL_DB: on a phone
    recording the holder is loud and the other party quiet. On such a turn the span goes to the other known
    speaker whose running level is within SAME_SPEAKER_DB, else to a new speaker (up to MAX_SPEAKERS, after
    which the nearest level wins). Same-level voices stay one speaker: the heuristic under-splits, never
    invents people from noise.
    """
    levels: list[list[float]] = []  # per speaker: the levels of its spans, for a running mean
    prev: SpeechSpan | None = None
    for span in spans:
        if prev is None:
            span.speaker = 0
            levels.append([span.level_db])
            prev = span
            continue
        speaker = prev.speaker
        paused = span.start_s - prev.end_s >= PAUSE_SPLIT_S
        if paused and abs(span.level_db - prev.level_db) >= TURN_LEVEL_DB:
            means = {i: sum(lv) / len(lv) for i, lv in enumerate(levels) if i != prev.speaker}
            nearest = min(means, key=lambda i: abs(means[i] - span.level_db), default=None)
            if nearest is not None and abs(means[nearest] - span.level_db) <= SAME_SPEAKER_DB:
                speaker = nearest
            elif len(levels) < MAX_SPEAKERS:
                speaker = len(levels)
                levels.append([])
            elif nearest is not None:
                speaker = nearest
        span.speaker = speaker
        levels[speaker].append(span.level_db)
        prev = span


def _iso_or_none(dt: datetime | None) -> str | None:
    return dt.isoformat(timespec="seconds") if dt else None
