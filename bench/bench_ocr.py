"""OCR throughput: seconds per rendered A4 Korean page at 300 dpi (one process) and pages/min with Pool(2).

Usage: .venv/bin/python bench/bench_ocr.py [--pages N]. Prints one JSON object. Each Tesseract runs with
OMP_THREAD_LIMIT=1, as in the worker, so parallelism comes from processes.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from leh.adapters.tesseract_ocr import TesseractOcr  # noqa: E402
from tests.support.samples import word_recall  # noqa: E402 - the tests' measure of OCR quality

FONT_PATH = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"
DPI = 300
SENTENCES = [
    "원고와 피고는 2015년 3월 14일 혼인신고를 마친 법률상 부부입니다.",
    "피고는 2022년부터 원고에게 지속적으로 폭언과 모욕적인 말을 하였습니다.",
    "원고는 자녀들의 양육을 전담하여 왔고 피고는 양육비를 지급하지 않았습니다.",
    "피고의 부정행위로 인하여 혼인관계가 회복할 수 없을 정도로 파탄되었습니다.",
    "재산분할 대상은 서울특별시 강남구 소재 아파트와 예금 채권입니다.",
    "원고는 피고에게 위자료로 금 삼천만 원의 지급을 구합니다.",
    "상대방은 카카오톡 메시지로 여러 차례 원고를 협박하였습니다.",
    "Email: lawyer@example.com, 전화 010-1234-5678, 사건번호 2024드단12345",
]


def a4_page(path: Path) -> list[str]:
    """Render a full A4 page of 11 pt Korean text at 300 dpi to `path`; returns the lines drawn."""
    width, height = int(8.27 * DPI), int(11.69 * DPI)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    size = int(11 * DPI / 72)
    font = ImageFont.truetype(FONT_PATH, size)
    lines, y, i = [], DPI, 0
    while y < height - DPI:
        line = SENTENCES[i % len(SENTENCES)]
        draw.text((DPI, y), line, font=font, fill=0)
        lines.append(line)
        y += int(size * 1.7)
        i += 1
    image.save(path)
    return lines


def ocr_page(path: str) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of this process and its Tesseract children, text) for one page."""
    before = _cpu()
    started = time.perf_counter()
    lines = TesseractOcr().read(Path(path))
    return time.perf_counter() - started, _cpu() - before, "\n".join(line.text for line in lines)


def _cpu() -> float:
    # CPU time does not grow when other jobs share the machine; wall time does. Both are reported.
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=4, help="pages per measurement")
    args = parser.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    with tempfile.TemporaryDirectory(prefix="leh-bench-") as tmp:
        page = Path(tmp) / "a4.png"
        expected = a4_page(page)
        ocr_page(str(page))  # warm-up: traineddata into the page cache

        serial = [ocr_page(str(page)) for _ in range(args.pages)]
        seconds = [wall for wall, _, _ in serial]
        cpu = [used for _, used, _ in serial]

        started = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            parallel = pool.map(ocr_page, [str(page)] * (2 * args.pages))
        wall = time.perf_counter() - started

    print(json.dumps({
        "page": "A4, 300 dpi, 11 pt NanumGothic",
        "lines_per_page": len(expected),
        "word_recall": round(word_recall(expected, serial[0][2]), 3),
        "sec_per_page": round(statistics.median(seconds), 2),
        "sec_per_page_min_max": [round(min(seconds), 2), round(max(seconds), 2)],
        "cpu_sec_per_page": round(statistics.median(cpu), 2),
        "pool2_pages": len(parallel),
        "pool2_wall_s": round(wall, 2),
        "pool2_pages_per_min": round(len(parallel) / wall * 60, 1),
        "cpus": os.cpu_count(),
        "load_avg_1m_at_end": round(os.getloadavg()[0], 2),
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
