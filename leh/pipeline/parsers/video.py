"""Video files (mp4, mov …) → speech segments from their audio track, via the audio pipeline.

The picture is not analysed; the container's creation_time becomes the event time.
"""

from __future__ import annotations

from pathlib import Path

from leh.adapters.ffmpeg import probe
from leh.domain.errors import EvidenceError
from leh.pipeline.parsers.audio import transcribe_media
from leh.pipeline.parsers.base import ParseContext, ParseResult
from leh.ports import SpeechToText


def parse(path: Path, ctx: ParseContext, stt: SpeechToText | None = None) -> ParseResult:
    """Parse a video file: VIDEO_NO_AUDIO without a sound track, VIDEO_CORRUPT when it cannot be decoded."""
    path = Path(path)
    info = probe(path, corrupt_code="VIDEO_CORRUPT")
    if not info.has_audio:
        raise EvidenceError("VIDEO_NO_AUDIO")
    result = transcribe_media(path, ctx, info, stt, corrupt_code="VIDEO_CORRUPT")
    result.meta.update(
        has_video=info.has_video,
        video_codec=info.video_codec,
        width=info.width,
        height=info.height,
    )
    if not info.has_video:
        # An audio-only mp4 (a renamed .m4a, a voice memo) is an audio recording; say so.
        result.detected_type = "audio"
    return result
