"""The engine registry: engine *names* (`EngineChoice`) → engine objects, for speech-to-text and OCR.

Part of the composition root with `leh.container`, and the only other module that imports adapters. It
builds no database connection or store, so the sandboxed parser child (`leh.pipeline.sandbox`), which
receives only picklable names, can call it; the container uses it too, so there is one place per choice.
"""

from __future__ import annotations

from pathlib import Path

from leh.ports import EngineChoice, OcrEngine, SpeechToText

STT_ENGINES = ("vosk", "whisper", "openai")
OCR_ENGINES = ("tesseract",)


def speech_to_text(choice: EngineChoice) -> SpeechToText:
    """The SpeechToText engine named by `choice.stt_engine`.

    Whisper and OpenAI are asked for Korean explicitly: auto-detection on a noisy first 30 s of a phone
    recording is the most common way they go wrong on Korean evidence. Whisper's thread count follows the
    process's OpenMP limit (`leh.adapters.whisper_stt.thread_budget`).
    """
    engine = (choice.stt_engine or "vosk").strip().lower()
    if engine == "vosk":
        from leh.adapters.vosk_stt import VoskStt

        return VoskStt()
    if engine == "whisper":
        from leh.adapters.whisper_stt import WhisperStt

        return WhisperStt(Path(choice.whisper_model_dir) if choice.whisper_model_dir else None, language="ko")
    if engine == "openai":
        from leh.adapters.openai_stt import OpenAiStt

        return OpenAiStt(api_key=choice.openai_api_key, base_url=choice.openai_base_url,
                         timeout_s=choice.openai_timeout_seconds, language="ko")
    raise ValueError(f"unknown stt_engine {engine!r}; expected vosk, whisper or openai")


def ocr(choice: EngineChoice) -> OcrEngine:
    """The OcrEngine named by `choice.ocr_engine` (Tesseract is the only one measured good enough, ENGINES.md)."""
    engine = (choice.ocr_engine or "tesseract").strip().lower()
    if engine == "tesseract":
        from leh.adapters.tesseract_ocr import TesseractOcr

        return TesseractOcr()
    raise ValueError(f"unknown ocr_engine {engine!r}; expected tesseract")
