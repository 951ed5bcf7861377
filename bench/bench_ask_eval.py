"""Answer accuracy of "ask" on the held-out evaluation set (tests/fixtures/eval/ask/, issue 13 item 4).

Each case's files go through the real pipeline in this process (type detection, the text and KakaoTalk
parsers, offline analysis, the embedded SQLite index), then every question is asked offline (no AI writer).
Scores:
- accuracy: an answerable question counts when the answer is not the refusal and every expected citation
  group is met by a cited segment (file and text: the segment's text, or the line of the original it was read
  from — a typed message row "2025.04.13 오전 8:05 [수신] …" whose message is the words alone); an unanswerable one when the answer is exactly the refusal
  with no citations; a question may also name lines that must not be cited (`avoid`, file|text) and words the
  answer must not hold (`avoid_text`), and a case the parties passed to `ask` (`parties` in cases.json);
- invented facts: answer sentences holding a number (date, amount) or a case person's name that the segments
  they cite do not hold (text, speaker, date, file name). Must be 0.
Prints one JSON line with the totals (and, with --verbose, one line per question). Run:
`.venv/bin/python bench/bench_ask_eval.py [--verbose] [--set DIR]` (DIR: another set of the same format, e.g.
tests/fixtures/eval/ask_dev; default: tests/fixtures/eval/ask).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from leh.config import Settings
from leh.container import Container
from leh.domain.draft.sentences import split_sentences
from leh.domain.events import ObjectCreated
from leh.domain.evidence import EvidenceStatus, new_evidence_doc, transition, type_hint_from_name
from leh.domain.parties import Parties, Person
from leh.pipeline.processor import EvidenceProcessor
from leh.services.ask import NO_ANSWER, ask
from leh.services.rederive import rederive_evidence

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "eval" / "ask"
_MARKER = re.compile(r"\[(\d+)\]")
_LIST_NUMBER = re.compile(r"^\s*\d+\.\s")
_NUMBER = re.compile(r"\d+")
_COUNT = re.compile(r"(\d+)\s*(?:건|번|회|차례|가지)")


def build_case(c: Container, case_dir: Path) -> tuple[str, dict[str, dict[str, Any]]]:
    """Process every file of a case directory through the pipeline; (case_id, {evidence_id: doc})."""
    case_id = str(uuid.uuid4())
    processor = EvidenceProcessor(c)
    for path in sorted(case_dir.iterdir()):
        data = path.read_bytes()
        eid = str(uuid.uuid4())
        doc = new_evidence_doc(case_id=case_id, evidence_id=eid, filename=path.name, size=len(data),
                               uploaded_by="bench", type_hint=type_hint_from_name(path.name))
        c.objects.put(doc["object_key"], io.BytesIO(data), max_bytes=len(data) + 1)  # type: ignore[arg-type]
        transition(doc, EvidenceStatus.QUEUED)
        c.evidence.put(doc)
        outcome = processor.process(ObjectCreated(doc["object_key"], case_id, eid, len(data)))
        if outcome != "done":
            raise SystemExit(f"{path.name}: processing ended {outcome}")
    docs = {d["evidence_id"]: d for d in c.evidence.list_case(case_id)}
    return case_id, docs


def set_parties(c: Container, case_id: str, docs: dict[str, dict[str, Any]],
                parties: list[dict[str, Any]] | None) -> dict[str, dict[str, Any]]:
    """As when the lawyer names the parties: every evidence re-derived with them (actors of the labels)."""
    if not parties:
        return docs
    people = {p["party"]: Person(p["name"], tuple(p.get("aliases") or ())) for p in parties}
    named = Parties(client=people.get("client"), opponent=people.get("opponent"))
    for eid in docs:
        rederive_evidence(c.evidence, c.index, named, eid)
    return {d["evidence_id"]: dict(d) for d in c.evidence.list_case(case_id)}


def _segment(docs: dict[str, dict[str, Any]], cit: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    doc = docs.get(cit["evidence_id"])
    if doc is None:
        return None
    seg = next((s for s in doc.get("segments") or [] if int(s["seq"]) == int(cit["seq"])), None)
    return (doc["filename"], seg) if seg is not None else None


def holds(seg: dict[str, Any], text: str) -> bool:
    """The segment is the line a question names: its text, or the original row it was parsed from, holds `text`."""
    return text in seg["text"] or text in str((seg.get("ref") or {}).get("as_written") or "")


def citations_met(out: dict[str, Any], groups: list[list[str]], docs: dict[str, dict[str, Any]]) -> bool:
    cited = [x for x in (_segment(docs, c) for c in out["citations"]) if x is not None]
    for group in groups:
        alts = [a.split("|", 1) for a in group]
        if not any(fn == f and holds(seg, t) for fn, seg in cited for f, t in alts):
            return False
    return True


def avoided(out: dict[str, Any], q: dict[str, Any], docs: dict[str, dict[str, Any]]) -> bool:
    """No cited segment is one of the question's `avoid` lines and the answer holds none of its `avoid_text`."""
    cited = [x for x in (_segment(docs, c) for c in out["citations"]) if x is not None]
    bad = [a.split("|", 1) for a in q.get("avoid") or []]
    if any(fn == f and holds(seg, t) for fn, seg in cited for f, t in bad):
        return False
    return not any(t in out["answer"] for t in q.get("avoid_text") or [])


def _ts_numbers(ts: str | None) -> set[str]:
    if not ts:
        return set()
    nums = {n.lstrip("0") or "0" for n in _NUMBER.findall(ts[:16])}
    if len(ts) >= 13 and ts[11:13].isdigit():
        nums.add(str(int(ts[11:13]) % 12 or 12))  # 22시 is 오후 10시
    if len(ts) >= 4:
        nums.add(ts[2:4].lstrip("0") or "0")  # '23 for 2023
    return nums


def _support(cited: list[tuple[str, dict[str, Any]]], doc_ts: dict[str, str | None]) -> tuple[set[str], str]:
    numbers: set[str] = set()
    text = []
    for filename, seg in cited:
        blob = " ".join(x for x in (seg.get("text"), seg.get("speaker"), filename) if x)
        text.append(blob)
        numbers |= {n.lstrip("0") or "0" for n in _NUMBER.findall(blob)}
        numbers |= _ts_numbers(seg.get("ts") or doc_ts.get(filename))
    return numbers, " ".join(text)


def invented_sentences(out: dict[str, Any], docs: dict[str, dict[str, Any]], names: list[str]) -> list[str]:
    """Sentences of the answer with a number or name that their cited segments do not hold."""
    if out["answer"] == NO_ANSWER:
        return []
    cited = [_segment(docs, c) for c in out["citations"]]
    doc_ts = {d["filename"]: d.get("event_time") for d in docs.values()}
    bad = []
    for line in out["answer"].split("\n"):
        for sent in split_sentences(_LIST_NUMBER.sub("", line)):
            marks = [int(m) for m in _MARKER.findall(sent)]
            own = [cited[m - 1] for m in marks if 0 < m <= len(cited)] if marks else cited
            numbers, text = _support([x for x in own if x is not None], doc_ts)
            body = _MARKER.sub(" ", sent)
            counts = {m.group(1) for m in _COUNT.finditer(body) if int(m.group(1)) <= len(cited)}
            wrong_numbers = [n for n in _NUMBER.findall(body)
                             if (n.lstrip("0") or "0") not in numbers and n not in counts]
            wrong_names = [n for n in names if n in body and n not in text]
            if wrong_numbers or wrong_names:
                bad.append(sent)
    return bad


def run(verbose: bool, eval_dir: Path = EVAL_DIR) -> dict[str, Any]:
    cases = json.loads((eval_dir / "cases.json").read_text(encoding="utf-8"))
    questions = [json.loads(line) for line in (eval_dir / "questions.jsonl").read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    with tempfile.TemporaryDirectory(prefix="leh-bench-ask-") as tmp:
        settings = Settings(data_dir=Path(tmp) / "var", demo=False, secret_key="bench-secret-" + "x" * 32,
                            openai_api_key=None)
        c = Container(settings)
        c.migrate()
        built = {name: build_case(c, eval_dir / name) for name in cases}
        built = {name: (cid, set_parties(c, cid, docs, cases[name].get("parties"))) for name, (cid, docs) in built.items()}
        score: Counter[str] = Counter()
        invented = 0
        t0 = time.perf_counter()
        for q in questions:
            case_id, docs = built[q["case"]]
            out = ask(c.evidence, c.index, None, case_id, q["question"], parties=cases[q["case"]].get("parties"))
            refused = out["answer"] == NO_ANSWER and not out["citations"]
            ok = refused if q["expect"] == "refuse" else (
                not refused and citations_met(out, q["cite"], docs) and avoided(out, q, docs))
            bad = invented_sentences(out, docs, cases[q["case"]]["names"])
            invented += len(bad)
            score[f"{q['expect']}_ok" if ok else f"{q['expect']}_wrong"] += 1
            score[f"type_{q['type']}_{'ok' if ok else 'wrong'}"] += 1
            if verbose:
                print(json.dumps({"id": q["id"], "ok": ok, "question": q["question"], "answer": out["answer"],
                                  "invented": bad}, ensure_ascii=False), file=sys.stderr)
        seconds = time.perf_counter() - t0
    total = len(questions)
    correct = score["answer_ok"] + score["refuse_ok"]
    by_type = {t: f"{score[f'type_{t}_ok']}/{score[f'type_{t}_ok'] + score[f'type_{t}_wrong']}"
               for t in sorted({q["type"] for q in questions})}
    return {"bench": "ask_eval", "set": eval_dir.name, "questions": total, "answerable": score["answer_ok"] + score["answer_wrong"],
            "refusals": score["refuse_ok"] + score["refuse_wrong"], "accuracy": round(correct / total, 3),
            "answerable_correct": score["answer_ok"], "refusals_correct": score["refuse_ok"],
            "invented_fact_sentences": invented, "by_type": by_type, "seconds_per_question": round(seconds / total, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="one line per question on stderr")
    parser.add_argument("--set", type=Path, default=EVAL_DIR, metavar="DIR",
                        help="question set directory (cases.json, questions.jsonl, one folder per case)")
    args = parser.parse_args()
    print(json.dumps(run(args.verbose, args.set), ensure_ascii=False))


if __name__ == "__main__":
    main()
