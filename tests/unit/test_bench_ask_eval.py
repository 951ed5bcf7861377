"""bench/bench_ask_eval.py matches an expected citation against the cited segment's text or the original row it was
parsed from (a typed 문자 내역 row whose message holds the words only), for citations and for lines to avoid alike."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / "bench_ask_eval.py"

ROW = "2025.03.09 오전 9:01 [수신] 너 같은 걸 며느리라고 들인 내가 잘못이지"
DOCS: dict[str, dict[str, Any]] = {"e1": {"evidence_id": "e1", "filename": "문자내역_목순례.txt", "segments": [
    {"seq": 0, "text": "문자 메시지 내역 (육다인 휴대폰, 상대: 시어머니 목순례)", "ref": {"line": 1}},
    {"seq": 1, "text": "너 같은 걸 며느리라고 들인 내가 잘못이지", "speaker": "시어머니 목순례",
     "ref": {"line": 3, "as_written": ROW}},
    {"seq": 2, "text": "2025.03.10 오전 10:00 카드 승인 32,000원", "ref": {"line": 4}},
]}}


def _bench() -> ModuleType:
    if "bench_ask_eval" in sys.modules:
        return sys.modules["bench_ask_eval"]
    spec = importlib.util.spec_from_file_location("bench_ask_eval", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_ask_eval"] = module
    spec.loader.exec_module(module)
    return module


def _out(*seqs: int) -> dict[str, Any]:
    return {"answer": "…", "citations": [{"evidence_id": "e1", "seq": s} for s in seqs]}


def test_a_citation_written_with_the_rows_prefix_meets_the_parsed_message() -> None:
    bench = _bench()
    by_prefix = [["문자내역_목순례.txt|2025.03.09 오전 9:01"]]
    by_words = [["문자내역_목순례.txt|며느리라고 들인"]]
    assert bench.citations_met(_out(1), by_prefix, DOCS) and bench.citations_met(_out(1), by_words, DOCS)
    assert not bench.citations_met(_out(2), by_prefix, DOCS)  # another line: neither its text nor a row holds it
    assert not bench.citations_met(_out(1), [["다른파일.txt|2025.03.09 오전 9:01"]], DOCS)  # the file still counts
    # a plain line keeps matching its text only
    assert bench.citations_met(_out(2), [["문자내역_목순례.txt|카드 승인"]], DOCS)


def test_a_line_to_avoid_is_found_by_its_row_too() -> None:
    bench = _bench()
    question = {"avoid": ["문자내역_목순례.txt|2025.03.09 오전 9:01 [수신]"]}
    assert not bench.avoided(_out(1), question, DOCS)
    assert bench.avoided(_out(2), question, DOCS)
    assert bench.holds(DOCS["e1"]["segments"][1], "[수신]") and not bench.holds(DOCS["e1"]["segments"][0], "[수신]")
