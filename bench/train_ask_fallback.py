"""Train the learned fallback of ask (`leh.services.ask_fallback`) over the dev question sets, pooled.

For every question of every set the rule composer refuses, the fallback's ranking is computed (its features and
the passages it would cite) and scored as `bench/bench_ask_eval.py` scores an answer: would citing them be right
(an answerable question, every expected citation met, nothing to avoid cited), and would it state a number or
name its citations do not hold. A logistic regression over `leh.analysis.ask_rank.FEATURES` learns when to
answer; its threshold maximises the net gain (answers made right − refusals made wrong − a small cost for a
wrong answer where the refusal was wrong anyway). Chosen by leave-one-set-out: trained on all sets but one and
measured on that one, for every set (the honest estimate for a new writer's questions); then trained on all.

Run: `PYTHONPATH=$PWD OMP_THREAD_LIMIT=1 .venv/bin/python bench/train_ask_fallback.py [--rows FILE] [--reuse]
[--write]` — `--rows` caches the per-question rows (JSON lines), `--reuse` trains from that cache without
re-running the pipeline, `--write` writes leh/analysis/model/ask_fallback.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_ask_eval as ev  # noqa: E402

from leh.analysis.answer import render  # noqa: E402
from leh.analysis.ask_rank import FEATURES, MODEL_PATH  # noqa: E402
from leh.analysis.question import Kind  # noqa: E402
from leh.config import Settings  # noqa: E402
from leh.container import Container  # noqa: E402
from leh.services import ask as ask_service  # noqa: E402
from leh.services import ask_fallback  # noqa: E402

EVAL = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "eval"
SETS = ("ask", "ask2", "ask3", "ask4", "ask5", "ask6", "ask7", "ask_dev", "ask_dev2", "ask_dev3", "ask_check", "ask_check3",
        "ask_check4", "ask_check5", "ask_check6", "ask_check7", "ask_check8", "ask_check9", "ask_check10",
        "ask_check11", "ask_check12", "ask_check13", "ask_check14", "ask_check15")
WRONG_ANSWER_COST = 0.25  # answering a question the refusal also got wrong: no accuracy lost, but a wrong answer
REFUSAL_COST = 1.0  # answering a question whose refusal was right (set by --refusal-cost)
C = 0.05  # L2 strength chosen by leave-one-set-out (0.01–5 tried: 0.05 gains most with at most −2 refusals a set)


def _rows_of_set(name: str) -> list[dict[str, Any]]:
    eval_dir = EVAL / name
    cases = json.loads((eval_dir / "cases.json").read_text(encoding="utf-8"))
    questions = [json.loads(line) for line in (eval_dir / "questions.jsonl").read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    seen: dict[str, Any] = {}

    def record(plan: Any, passages: Any, ctx: Any, parties: Any) -> list[Any]:
        seen["found"] = ask_fallback.assess(plan, passages, ctx, parties)
        seen["plan"], seen["names"] = plan, ask_service._names(passages, plan, parties)
        seen["passages"], seen["ctx"] = passages, ctx
        return []

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="leh-train-askfb-") as tmp:
        settings = Settings(data_dir=Path(tmp) / "var", demo=False, secret_key="bench-secret-" + "x" * 32,
                            openai_api_key=None)
        c = Container(settings)
        c.migrate()
        built = {n: ev.build_case(c, eval_dir / n) for n in cases}
        built = {n: (cid, ev.set_parties(c, cid, docs, cases[n].get("parties"))) for n, (cid, docs) in built.items()}
        real = ask_service.answer_by_meaning
        ask_service.answer_by_meaning = record  # type: ignore[assignment]
        try:
            for q in questions:
                seen.clear()
                case_id, docs = built[q["case"]]
                out = ask_service.ask(c.evidence, c.index, None, case_id, q["question"],
                                      parties=cases[q["case"]].get("parties"))
                refused = out["answer"] == ev.NO_ANSWER and not out["citations"]
                row: dict[str, Any] = {"set": name, "id": q["id"], "expect": q["expect"], "composer_refused": refused,
                                       "composer_ok": refused if q["expect"] == "refuse" else (
                                           not refused and ev.citations_met(out, q["cite"], docs)
                                           and ev.avoided(out, q, docs)),
                                       "features": None, "ok_if_answered": False, "invented": 0}
                found = seen.get("found")
                if refused and found is not None:
                    claims = ask_service.details_stated(seen["plan"], ask_fallback.claims_for(seen["plan"], found.cited),
                                                        seen["passages"], seen["ctx"])
                    if seen["plan"].kind == Kind.WHETHER:  # as ask() does: the asked party's acts only
                        claims = ask_service.by_the_asked_doer(q["question"], claims, c.evidence, case_id,
                                                               cases[q["case"]].get("parties"))
                    text, cited = render(claims, seen["names"])
                    alt = {"answer": text, "citations": [ask_service._citation(p) for p in cited]}
                    row["features"] = found.features
                    # for reading the misses of these synthetic sets (the rows file stays on this machine)
                    row["question"], row["cited"] = q["question"], [p.text[:160] for p in cited]
                    if cited:
                        row["ok_if_answered"] = q["expect"] == "answer" and ev.citations_met(alt, q["cite"], docs) \
                            and ev.avoided(alt, q, docs)
                        row["invented"] = len(ev.invented_sentences(alt, docs, cases[q["case"]]["names"]))
                    else:
                        row["features"] = None
                rows.append(row)
        finally:
            ask_service.answer_by_meaning = real  # type: ignore[assignment]
    return rows


def _matrix(rows: Sequence[dict[str, Any]]) -> np.ndarray:
    return np.array([[float(r["features"][f]) for f in FEATURES] for r in rows], dtype=float)


def _gain(r: dict[str, Any]) -> float:
    """What answering this question (instead of the composer's refusal) changes."""
    if r["invented"]:
        return -5.0
    if r["ok_if_answered"]:
        return 1.0
    return -1.0 if r["expect"] == "refuse" else -WRONG_ANSWER_COST


def fit(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Logistic regression on the standardised features and the threshold of the best net gain on these rows."""
    from sklearn.linear_model import LogisticRegression

    usable = [r for r in rows if r["features"] is not None]
    x = _matrix(usable)
    y = np.array([1 if r["ok_if_answered"] and not r["invented"] else 0 for r in usable])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=C, max_iter=1000)
    clf.fit((x - mean) / scale, y)
    probs = clf.predict_proba((x - mean) / scale)[:, 1]
    gains = np.array([_gain(r) for r in usable])
    best_t, best_g = 1.0, 0.0
    for t in sorted(set(np.round(probs, 4))):
        g = float(gains[probs >= t].sum())
        if g > best_g:
            best_t, best_g = float(t), g
    return {"features": list(FEATURES), "coef": dict(zip(FEATURES, map(float, clf.coef_[0]), strict=True)),
            "intercept": float(clf.intercept_[0]), "threshold": best_t,
            "mean": dict(zip(FEATURES, map(float, mean), strict=True)),
            "scale": dict(zip(FEATURES, map(float, scale), strict=True))}


def outcome(model: dict[str, Any], rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Per-set figures with the model: answers made right, refusals made wrong, wrong answers, invented facts."""
    from leh.analysis.ask_rank import model_from

    m = model_from(model)
    out = {"questions": len(rows), "before": 0, "after": 0, "answer_ok_before": 0, "answer_ok_after": 0,
           "refuse_ok_before": 0, "refuse_ok_after": 0, "invented": 0, "answered": 0}
    for r in rows:
        answered = r["features"] is not None and m.answers(r["features"])
        ok = r["ok_if_answered"] if answered else r["composer_ok"]
        out["answered"] += int(answered)
        out["invented"] += r["invented"] if answered else 0
        kind = "answer" if r["expect"] == "answer" else "refuse"
        out["before"] += int(r["composer_ok"])
        out["after"] += int(ok)
        out[f"{kind}_ok_before"] += int(r["composer_ok"])
        out[f"{kind}_ok_after"] += int(ok)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=Path, default=Path("/tmp/ask_fallback_rows.jsonl"))
    parser.add_argument("--reuse", action="store_true", help="train from --rows without running the pipeline")
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_PATH}")
    parser.add_argument("--sets", nargs="*", default=list(SETS))
    parser.add_argument("--C", type=float, default=C, help="inverse L2 strength of the logistic regression")
    parser.add_argument("--refusal-cost", type=float, default=REFUSAL_COST,
                        help="what answering a question whose refusal was right costs, in right answers")
    args = parser.parse_args()
    globals()["REFUSAL_COST"] = args.refusal_cost
    globals()["C"] = args.C
    if args.reuse:
        rows = [json.loads(line) for line in args.rows.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        rows = []
        with args.rows.open("w", encoding="utf-8") as fh:
            for name in args.sets:
                got = _rows_of_set(name)
                rows += got
                for r in got:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
                fh.flush()
                print(f"{name}: {len(got)} questions, {sum(r['features'] is not None for r in got)} fallback rows",
                      file=sys.stderr)
    names = list(dict.fromkeys(r["set"] for r in rows))
    loso = {}
    for held in names:
        model = fit([r for r in rows if r["set"] != held])
        loso[held] = outcome(model, [r for r in rows if r["set"] == held])
        print(json.dumps({"held_out": held, **loso[held]}), file=sys.stderr)
    final = fit(rows)
    final["trained_on"] = names
    final["rows"] = sum(r["features"] is not None for r in rows)
    final["leave_one_set_out"] = loso
    final["in_sample"] = {n: outcome(final, [r for r in rows if r["set"] == n]) for n in names}
    print(json.dumps({k: final[k] for k in ("coef", "intercept", "threshold", "rows")}, ensure_ascii=False))
    if args.write:
        MODEL_PATH.write_text(json.dumps(final, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
