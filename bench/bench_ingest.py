"""Ingest benchmark (issue #16 item 4): a batch of mixed evidence from upload to `done` through `leh run`.

Starts `leh run` (server + LEH_WORKERS workers, embedded defaults) on a fresh data directory, uploads the batch
through the signed-URL API (presign → PUT → upload-complete, as the browser does) and waits until every item is
`done` or `failed`. The clock runs from the first presign to the last item finished.

Batch mix (per 100): 30 KakaoTalk PC exports and 30 text statements, 20 text PDFs, 10 scanned pages (PDF of an
image), 10 photos with Korean text (JPEG). Every file is unique (duplicates would be detected and skipped).

Figures, one JSON line each:
- `ingest.batch`: N files with W workers: seconds, files/s, failures (goal ≤ 20 s for 100 on 2 cores);
- `ingest.scaling_workers`: throughput with 1, 2 and 4 workers (same batch of 100);
- `ingest.scaling_batch`: seconds per file at 100 and 1,000 (cost must grow linearly: ratio ≈ 1);
- `ingest.audio_rtf`: a synthesised Korean recording (espeak-ng), processing seconds / audio seconds.
Exits 1 when it could not measure (LEH did not start, an item never finished). Run:
`OMP_THREAD_LIMIT=1 .venv/bin/python bench/bench_ingest.py [--quick]` (`--quick`: 20 files, workers 1 and 2,
batch 20 and 40, to check the script).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import samples  # noqa: E402 - the same generators as the tests
from tests.support.live import Api, free_port  # noqa: E402

ADMIN = ("admin@bench.local", "admin-password-1")
LAWYER = ("lawyer@bench.local", "bench-password-1")
_PEOPLE = (("김민수", "이수진"), ("박정훈", "최은영"), ("정우성", "한지민"), ("오세훈", "윤아름"))
_CHAT = ("오늘도 늦어?", "회식이라고 했잖아", "생활비 이번 달은 못 줘", "애 학원비는 어떻게 하라고", "그만 좀 해",
         "너랑 말하기 싫다", "내일 얘기하자", "카드값 왜 이렇게 많이 나왔어", "집에 언제 와", "연락 좀 받아")
_STATEMENT = ("피고는 {d}일 밤 술에 취해 귀가하여 원고에게 욕설을 하였습니다.",
              "피고는 {d}일부터 생활비를 보내지 않았습니다.",
              "원고는 {d}일 피고의 휴대전화에서 다른 여성과의 메시지를 보았습니다.",
              "피고는 {d}일 원고의 어머니에게 모욕적인 말을 하였습니다.")


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    body: bytes


def _kakao(i: int, rng: random.Random) -> Upload:
    a, b = rng.choice(_PEOPLE)
    lines = [f"{a} 님과 카카오톡 대화", f"저장한 날짜 : 2024-05-{1 + i % 28:02d} 10:00:00", ""]
    day = 1 + i % 28
    lines.append(f"--------------- 2024년 3월 {day}일 {('월', '화', '수', '목', '금', '토', '일')[day % 7]}요일 ---------------")
    for m in range(rng.randint(40, 120)):
        who = (a, b)[m % 2]
        lines.append(f"[{who}] [오후 {1 + m // 60}:{m % 60:02d}] {rng.choice(_CHAT)} ({i}-{m})")
    return Upload(f"KakaoTalk_{i:05d}.txt", "text/plain", "\n".join(lines).encode("utf-8"))


def _statement(i: int, rng: random.Random) -> Upload:
    rows = [f"진술서 ({i})", ""] + [f"2024. 3. {1 + (i + k) % 28}. " + rng.choice(_STATEMENT).format(d=1 + k % 28)
                                   for k in range(rng.randint(8, 30))]
    return Upload(f"진술서_{i:05d}.txt", "text/plain", "\n".join(rows).encode("utf-8"))


def _text_pdf(i: int, rng: random.Random) -> Upload:
    pages = [[f"상담일지 {i}-{p}", *(rng.choice(_STATEMENT).format(d=1 + (p + k) % 28) for k in range(12))]
             for p in range(rng.randint(1, 3))]
    return Upload(f"상담일지_{i:05d}.pdf", "application/pdf", samples.text_pdf(pages))


def _scanned(i: int, rng: random.Random) -> Upload:
    lines = [f"진단서 번호 {i}", "진료 일자: 2024년 3월 3일", "병명: 안면부 타박상", "향후 2주간 치료를 요함"]
    return Upload(f"진단서_스캔_{i:05d}.pdf", "application/pdf", samples.scanned_pdf(lines))


def _photo(i: int, rng: random.Random) -> Upload:
    from PIL import Image

    png = samples.korean_text_png([f"메모 {i}", rng.choice(_CHAT), "2024년 3월 9일"])
    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(out, "JPEG", quality=90)
    return Upload(f"사진_{i:05d}.jpg", "image/jpeg", out.getvalue())


def make_batch(n: int, seed: int = 7) -> list[Upload]:
    """n unique files in the mix of the brief (30 % chats, 30 % statements, 20 % PDFs, 10 % scans, 10 % photos)."""
    rng = random.Random(seed)
    makers = [_kakao] * 3 + [_statement] * 3 + [_text_pdf] * 2 + [_scanned] + [_photo]
    return [makers[i % 10](i, rng) for i in range(n)]


@contextmanager
def leh_run(data_dir: Path, workers: int) -> Iterator[str]:
    """`leh run` with its defaults except the data directory, port and LEH_WORKERS; yields the base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEH_")}
    env.update(LEH_DATA_DIR=str(data_dir), LEH_PORT=str(port), LEH_DEMO="0", LEH_WORKERS=str(workers),
               LEH_SECRET_KEY="bench-secret-" + "x" * 32, LEH_ADMIN_EMAIL=ADMIN[0], LEH_ADMIN_PASSWORD=ADMIN[1],
               LEH_LOG_CONSOLE="0", OMP_THREAD_LIMIT="1",
               LEH_UPLOAD_RATE_PER_MINUTE="100000")  # the anti-abuse limit (600/min) would cut a 1,000-file batch
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "run.out", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "leh", "run"], env=env, stdout=log, stderr=log, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("leh run did not start: " + (data_dir / "run.out").read_text()[-2000:])
            try:
                if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def upload(api: Api, case_id: str, item: Upload) -> str:
    up = api.data("POST", "/api/evidence/presigned-url", 201, json={
        "case_id": case_id, "filename": item.filename, "content_type": item.content_type, "size": len(item.body)})
    put = httpx.put(up["upload_url"], content=item.body, headers=up["headers"], timeout=60)
    if put.status_code != 200:
        raise RuntimeError(f"PUT {item.filename}: {put.status_code}")
    api.data("POST", "/api/evidence/upload-complete", json={"evidence_id": up["evidence_id"]})
    return str(up["evidence_id"])


def ingest(batch: list[Upload], workers: int, timeout: float) -> dict[str, Any]:
    """Upload the batch into a fresh `leh run` and wait for every item; the figures of one run."""
    with tempfile.TemporaryDirectory(prefix="leh-bench-ingest-") as tmp, leh_run(Path(tmp) / "var", workers) as base:
        admin = Api(base).login(*ADMIN)
        admin.data("POST", "/api/admin/users", 201, json={"email": LAWYER[0], "password": LAWYER[1],
                                                         "role": "lawyer", "name": "벤치 변호사"})
        lawyer = Api(base).login(*LAWYER)
        case_id = lawyer.data("POST", "/api/cases", 201, json={"title": f"수집 벤치마크 ({len(batch)}건)"})["id"]
        start = time.perf_counter()
        for item in batch:
            upload(lawyer, case_id, item)
        uploaded = time.perf_counter() - start
        counts: dict[str, int] = {}
        while time.perf_counter() - start < timeout:
            counts = lawyer.data("GET", f"/api/cases/{case_id}")["status_counts"]
            if counts.get("done", 0) + counts.get("failed", 0) >= len(batch):
                break
            time.sleep(0.25)
        else:
            raise RuntimeError(f"not finished after {timeout:.0f} s: {counts}")
        seconds = time.perf_counter() - start
    return {"files": len(batch), "workers": workers, "seconds": round(seconds, 1),
            "upload_seconds": round(uploaded, 1), "files_per_second": round(len(batch) / seconds, 2),
            "failed": counts.get("failed", 0), "mix": dict(Counter(u.filename.rsplit(".", 1)[1] for u in batch))}


def audio_rtf(timeout: float) -> dict[str, Any]:
    """Processing time of one synthesised Korean recording through the pipeline, over its duration."""
    with tempfile.TemporaryDirectory(prefix="leh-bench-audio-") as tmp:
        text = " ".join(["오늘 생활비 문제로 다시 이야기했습니다. 남편은 다음 달에도 돈을 보내지 않겠다고 말했습니다."] * 6)
        wav = samples.korean_speech_wav(text, Path(tmp) / "speech.wav")
        mp3 = Path(tmp) / "통화녹음_20240309.mp3"
        samples.ffmpeg("-i", wav, "-ac", "1", "-b:a", "64k", mp3)
        probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                                str(mp3)], capture_output=True, text=True, check=True)
        duration = float(probe.stdout.strip())
        run = ingest([Upload(mp3.name, "audio/mpeg", mp3.read_bytes())], workers=1, timeout=timeout)
    return {"audio_seconds": round(duration, 1), "seconds": run["seconds"],
            "rtf": round(run["seconds"] / duration, 2), "failed": run["failed"]}


def emit(name: str, **fields: Any) -> None:
    print(json.dumps({"bench": name, **fields}, ensure_ascii=False), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small sizes, to check the script")
    args = ap.parse_args()
    small, large = (20, 40) if args.quick else (100, 1000)
    worker_counts = (1, 2) if args.quick else (1, 2, 4)
    try:
        base = make_batch(small)
        default = ingest(base, workers=2, timeout=600)
        emit("ingest.batch", **default, goal_seconds=20 if small == 100 else None, product_brief_seconds=180)
        by_workers = {2: default}
        for w in worker_counts:
            if w not in by_workers:
                by_workers[w] = ingest(base, workers=w, timeout=900)
        emit("ingest.scaling_workers", files=small, **{f"w{w}_files_per_second": r["files_per_second"]
                                                      for w, r in sorted(by_workers.items())},
             **{f"w{w}_failed": r["failed"] for w, r in sorted(by_workers.items())})
        big = ingest(make_batch(large, seed=11), workers=2, timeout=3600)
        per_small, per_large = default["seconds"] / small, big["seconds"] / large
        emit("ingest.scaling_batch", small=small, small_seconds=default["seconds"], large=large,
             large_seconds=big["seconds"], seconds_per_file_small=round(per_small, 3),
             seconds_per_file_large=round(per_large, 3), ratio=round(per_large / per_small, 2),
             large_failed=big["failed"], goal="ratio ≤ 1.2 (linear)")
        emit("ingest.audio_rtf", **audio_rtf(timeout=600), goal="RTF ≤ 1 (faster than real time)")
    except (RuntimeError, httpx.HTTPError, AssertionError, subprocess.CalledProcessError) as exc:
        print(f"bench_ingest: could not measure: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
