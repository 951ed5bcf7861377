"""Is a new evaluation set a copy of existing lines? Character-bigram Jaccard of every line against every line of the others.

Compares each line of the given files (the `text` of a labelled line, the `question` of an ask question, every
segment's `text` of an attribution item, else the raw line) with every line of `tests/fixtures/eval/**/*.jsonl` and `tests/fixtures/eval/train/*` (the given files
themselves excluded) and reports the pairs above the limit (default 0.5). Exits 1 if there is one. Every set under
`tests/fixtures/eval/` is compared, the later blind sets (blind3, ask3, blind4, ask4, blind5, ask5, blind6, ask6, blind7,
blind8 …)
and the attribution sets (attrib, attrib2 …) included. With
`--cases`, also every line of the ask sets' case files (`tests/fixtures/eval/ask*/*/*.txt` and `*.csv` card statements,
`tests/fixtures/ask/**/*.txt` and `*.csv`)
and of the demo case (`leh/demo/*.txt`). Run:
`python bench/check_eval_overlap.py tests/fixtures/eval/blind8/labels_blind8_2026-12-07.jsonl [--limit 0.5] [--cases]`
(a new blind set: with `--cases` and nothing excluded, so it is checked against every eval set, every attribution set,
every training file and every case file).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "fixtures" / "eval"
ASK_FIXTURES = ROOT / "tests" / "fixtures" / "ask"
DEMO = ROOT / "leh" / "demo"


def bigrams(text: str) -> set[str]:
    s = "".join(text.split())
    return {s[i:i + 2] for i in range(len(s) - 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def texts(path: Path) -> list[str]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            out.append(line)
            continue
        if isinstance(obj, dict) and isinstance(obj.get("segments"), list):  # an attribution item: every segment
            out.extend(str(seg.get("text") or "") for seg in obj["segments"] if isinstance(seg, dict))
        elif isinstance(obj, dict):
            out.append(str(obj.get("text") or obj.get("question") or line))
        else:
            out.append(line)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", type=Path, nargs="+")
    ap.add_argument("--limit", type=float, default=0.5)
    ap.add_argument("--exclude", action="append", default=[],
                    help="a folder under tests/fixtures/eval not to compare with (e.g. a later set that never trains)")
    ap.add_argument("--cases", action="store_true",
                    help="also compare with every line of the ask sets' and the demo's case files (their .txt documents and chats, .csv card statements)")
    args = ap.parse_args()
    mine = {f.resolve() for f in args.files}
    skipped = {p.resolve() for name in args.exclude for p in (EVAL / name).glob("**/*")}
    cases = ({*EVAL.glob("ask*/*/*.txt"), *EVAL.glob("ask*/*/*.csv"), *ASK_FIXTURES.glob("**/*.txt"),
              *ASK_FIXTURES.glob("**/*.csv"), *DEMO.glob("*.txt")} if args.cases else set())
    others = sorted({p.resolve() for p in {*EVAL.glob("**/*.jsonl"), *(EVAL / "train").glob("*"), *cases}}
                    - mine - skipped)
    reference = [(bigrams(t), t, f) for f in others if f.is_file() for t in texts(f)]
    worst, bad = 0.0, 0
    for f in args.files:
        for t in texts(f):
            b = bigrams(t)
            for rb, rt, rf in reference:
                j = jaccard(b, rb)
                worst = max(worst, j)
                if j > args.limit:
                    bad += 1
                    print(json.dumps({"jaccard": round(j, 2), "new": t, "old": rt, "file": str(rf.relative_to(ROOT))},
                                     ensure_ascii=False))
    print(json.dumps({"checked_against": len(reference), "max_jaccard": round(worst, 3), "over_limit": bad}))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
