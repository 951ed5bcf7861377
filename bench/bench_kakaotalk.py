"""Benchmark for the KakaoTalk parser: messages per second and peak memory on generated exports.

Writes a 200,000-message PC export and an Android export to a temp dir, streams each through
`open_text` + `parse_kakaotalk` (decode included), and prints one JSON line. Run:
`.venv/bin/python bench/bench_kakaotalk.py [--messages N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from leh.pipeline.parsers.kakaotalk import parse_kakaotalk
from leh.pipeline.parsers.textdecode import open_text

_SPEAKERS = ("김민준", "이서연", "박지훈 (남편)", "최수아")
_TEXTS = (
    "오늘 몇 시에 들어와?", "회식 있어서 늦어", "또 회식이야? 이번 주만 세 번째잖아", "사진",
    "아이 학원비 이번 달 것 보냈어?", "내가 왜 그걸 해야 돼", "이모티콘", "그럼 누가 해. 말 좀 제대로 해",
    "삭제된 메시지입니다.", "알았어 내일 보낼게", "어제 통장에서 200만원 빠져나간 거 뭐야?",
)
_WEEKDAYS_KO = "월화수목금토일"


def _clock_ko(minute_of_day: int) -> str:
    h, m = divmod(minute_of_day, 60)
    return f"{'오전' if h < 12 else '오후'} {h % 12 or 12}:{m:02d}"


def write_pc(path: Path, n: int, seed: int = 7) -> None:
    """A Windows-layout export with `n` messages, a few of them multi-line, about 300 per day."""
    rng = random.Random(seed)
    day = date(2021, 3, 1)
    with path.open("w", encoding="utf-8", newline="\r\n") as f:
        f.write("이서연 님과 카카오톡 대화\n저장한 날짜 : 2024-01-02 10:00:00\n\n")
        for i in range(n):
            if i % 300 == 0:
                if i:
                    day += timedelta(days=1)
                f.write(f"--------------- {day.year}년 {day.month}월 {day.day}일 {_WEEKDAYS_KO[day.weekday()]}요일 ---------------\n")
            text = rng.choice(_TEXTS)
            if i % 50 == 0:
                text += "\n두 번째 줄도 있어"
            f.write(f"[{rng.choice(_SPEAKERS)}] [{_clock_ko((i % 300) * 4 + 60)}] {text}\n")


def write_android(path: Path, n: int, seed: int = 7) -> None:
    """An Android-layout export with `n` messages and a date marker line per day."""
    rng = random.Random(seed)
    day = date(2021, 3, 1)
    with path.open("w", encoding="utf-8") as f:
        f.write("이서연 님과 카카오톡 대화\n저장한 날짜 : 2024년 1월 2일 오전 10:00\n\n\n")
        for i in range(n):
            clock = _clock_ko((i % 300) * 4 + 60)
            stamp = f"{day.year}년 {day.month}월 {day.day}일 {clock}"
            if i % 300 == 0:
                if i:
                    day += timedelta(days=1)
                    stamp = f"{day.year}년 {day.month}월 {day.day}일 {clock}"
                f.write(f"\n{stamp}\n")
            text = rng.choice(_TEXTS)
            if i % 50 == 0:
                text += "\n두 번째 줄도 있어"
            f.write(f"{stamp}, {rng.choice(_SPEAKERS)} : {text}\n")


def _run(path: Path) -> int:
    _, lines = open_text(path)
    count = 0
    with lines:
        for _ in parse_kakaotalk(lines):
            count += 1
    return count


def measure(path: Path, fn: Callable[[Path], int], repeat: int = 3) -> dict[str, Any]:
    """Best-of-`repeat` wall time (without tracemalloc), then one traced run for peak memory."""
    best = float("inf")
    count = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        count = fn(path)
        best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    fn(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "messages": count,
        "file_mb": round(os.path.getsize(path) / 1e6, 1),
        "seconds": round(best, 3),
        "msg_per_s": round(count / best),
        "peak_mb": round(peak / 1e6, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--messages", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pc, android = Path(tmp) / "pc.txt", Path(tmp) / "android.txt"
        write_pc(pc, args.messages)
        write_android(android, args.messages)
        out = {
            "bench": "kakaotalk",
            "pc": measure(pc, _run, args.repeat),
            "android": measure(android, _run, args.repeat),
        }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
