"""Offline speech-to-text with faster-whisper (CTranslate2) on CPU, int8, from a local model directory.

The operator supplies a Korean-capable CTranslate2 Whisper model (e.g. a converted `small` or `medium`)
with `LEH_WHISPER_MODEL_DIR`; nothing is ever downloaded. Measured with tiny.en on a 2-core box: ~0.4-1.0 s
load, ~110 MB RSS for the model, real-time factor ~0.04 on English speech (bench/bench_stt.py).
"""

from __future__ import annotations

import os
import threading
import wave
from pathlib import Path
from typing import Any, Final

from leh.domain.errors import EvidenceError
from leh.domain.evidence import ParseStage
from leh.ports import Word, report_progress

# Files a CTranslate2 Whisper directory must hold. Without tokenizer.json faster-whisper would fetch one
# from the Hugging Face hub, which an offline evidence server must never do.
REQUIRED_FILES: Final = ("model.bin", "config.json", "tokenizer.json")
MODEL_MISSING_KO: Final = "음성 인식 모델을 찾을 수 없습니다. 관리자에게 음성 인식 설정 확인을 요청해주세요."

_models: dict[str, Any] = {}
_lock = threading.Lock()


def thread_budget() -> int:
    """Threads CTranslate2 may use in this process: the CPUs it may run on, capped by the OpenMP limits.

    CTranslate2 runs its intra-op threads under OpenMP. Asked for more threads than `OMP_THREAD_LIMIT`
    allows (e.g. `cpu_threads=2` inside the parser sandbox, which sets the limit to 1), it decodes *nothing*
    on some CPUs (seen on AMD EPYC: an empty transcript, no error). So the count always honours the caps the
    process runs under; CTranslate2's own default of 4 would also oversubscribe a 2-core worker.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 1
    budget = max(1, cpus)
    for name in ("OMP_THREAD_LIMIT", "OMP_NUM_THREADS"):
        cap = _positive_int(os.environ.get(name))
        if cap is not None:
            budget = min(budget, cap)
    return budget


def _positive_int(value: str | None) -> int | None:
    # OMP_NUM_THREADS may be a list ("2,1" per nesting level): the first level is what CTranslate2 uses.
    head = (value or "").split(",")[0].strip()
    return int(head) if head.isdigit() and int(head) > 0 else None


def load_model(model_dir: Path, *, cpu_threads: int = 0) -> Any:
    """The WhisperModel for `model_dir`, loaded once per process and thread budget (int8 on CPU, local files only).

    `cpu_threads` above the process's thread budget is lowered to it (see `thread_budget`).
    """
    path = Path(model_dir).expanduser().resolve()
    budget = thread_budget()
    threads = min(cpu_threads, budget) if cpu_threads > 0 else budget
    # Keyed by thread count too: a model built before OMP_THREAD_LIMIT changed must not be reused with it.
    key = f"{path}#{threads}"
    model = _models.get(key)
    if model is not None:
        return model
    with _lock:
        model = _models.get(key)
        if model is None:
            if not all((path / name).is_file() for name in REQUIRED_FILES):
                raise EvidenceError("STT_MODEL_MISSING", MODEL_MISSING_KO, retryable=False)
            from faster_whisper import WhisperModel

            model = WhisperModel(
                str(path),
                device="cpu",
                compute_type="int8",
                cpu_threads=threads,
                local_files_only=True,
            )
            _models[key] = model
    return model


class WhisperStt:
    """SpeechToText over faster-whisper with word timestamps and Silero VAD (skips silence, curbs hallucination).

    `language=None` lets Whisper detect it; English-only (`*.en`) models always run as English.
    """

    name = "whisper"

    def __init__(self, model_dir: Path | str | None, language: str | None = None, *, beam_size: int = 5):
        if model_dir is None:
            raise EvidenceError("STT_MODEL_MISSING", MODEL_MISSING_KO, retryable=False)
        self.model_dir = Path(model_dir)
        self.language = language
        self.beam_size = beam_size

    def transcribe(self, wav_16k_mono: Path) -> list[Word]:
        model = load_model(self.model_dir)
        language = self.language if model.model.is_multilingual else None
        segments, _info = model.transcribe(
            str(wav_16k_mono),
            language=language,
            beam_size=self.beam_size,
            word_timestamps=True,
            vad_filter=True,
            # Feeding the previous text back in is what makes Whisper loop on one phrase for minutes in
            # long noisy recordings; independent windows cost a little fluency and avoid that failure.
            condition_on_previous_text=False,
            # Greedy/beam decoding only: the default fallback to sampling at higher temperatures draws random
            # numbers, so reprocessing one recording could give another transcript (and a flaky test on a
            # narrow-band AMR file showed it). Evidence must read the same every time it is processed.
            temperature=0.0,
        )
        words: list[Word] = []
        with wave.open(str(wav_16k_mono), "rb") as w:
            total_s = max(0.001, w.getnframes() / max(1, w.getframerate()))
        for seg in segments:  # a generator: decoding happens while iterating
            report_progress(float(seg.end) / total_s, ParseStage.TRANSCRIBE)  # segments carry their end time
            for w in seg.words or ():
                text = w.word.strip()
                if text:
                    words.append(Word(text=text, start_s=float(w.start), end_s=float(w.end), confidence=float(w.probability)))
        return words
