"""The nasty corpus (issue #16): ≥ 30 kinds of bad input mixed into a good batch on a running LEH with two workers.
Each bad one fails alone, at its first attempt, with its own code and Korean message (or is read with a warning where
that is right); each good one is done; no worker dies, and after the batch the workers still take new evidence."""

from __future__ import annotations

from pathlib import Path

import httpx

from leh.domain.errors import ERROR_MESSAGES_KO
from leh.services.ops.workers import list_workers
from tests.reliability.corpus import Item, good_batch, mixed_batch, nasty_corpus, note_text, write_sparse
from tests.reliability.helpers import (
    LONG,
    TIMEOUT,
    assert_indexed_once,
    done_transitions,
    korean_error,
    local,
    open_case,
    scaled,
    upload,
    wait_final,
    wait_queue_empty,
)
from tests.support.live import Api, LehProcesses, running_leh

pytestmark = TIMEOUT

# What becomes of the files inside the mail with one broken attachment (evidence of their own).
ATTACHMENTS = {"receipt.png": ("done", None), "broken.jpg": ("failed", "IMAGE_CORRUPT"), "memo.txt": ("done", None)}


def _workers_alive(leh: LehProcesses) -> None:
    dead = [p.pid for p in leh.workers if p.poll() is not None]
    assert not dead, f"worker processes died: {dead}: " + (leh.data_dir / "worker0.out").read_text()[-2000:]


def _refused_by_size(lawyer: Api, case_id: str, sparse: Path) -> None:
    """A 1 GB (sparse) file is refused before a byte is stored, with FILE_TOO_LARGE and its Korean message."""
    size = sparse.stat().st_size
    resp = lawyer.call("POST", "/api/evidence/presigned-url", 413,
                       json={"case_id": case_id, "filename": sparse.name, "size": size})
    assert resp.json()["error"] == {"code": "FILE_TOO_LARGE", "message": ERROR_MESSAGES_KO["FILE_TOO_LARGE"]}
    if LONG:  # streamed whole to the direct upload (1 GB through the server's spool): refused by size too
        with sparse.open("rb") as fh:
            resp = lawyer.call("POST", f"/api/cases/{case_id}/evidence", files={"file": (sparse.name, fh, "video/mp4")},
                               timeout=httpx.Timeout(300))
        assert resp.status_code == 413 and resp.json()["error"]["code"] == "FILE_TOO_LARGE"


def test_each_bad_file_fails_alone_with_its_code_and_the_workers_keep_going(tmp_path: Path) -> None:
    bad = nasty_corpus(tmp_path, huge_line_mb=20 if LONG else 1)
    good = good_batch() + mixed_batch(scaled(0, 40), seed=100)
    kinds = {it.filename for it in bad if it.status == "failed" or it.code}
    assert len(kinds) >= 30
    items = [x for pair in zip(bad, [*good, *[None] * len(bad)], strict=False) for x in pair if x is not None]
    with running_leh(tmp_path / "var", workers=2) as leh:
        _, lawyer, case_id = open_case(leh.base_url, "nasty@test.local", "나쁜 입력")
        _refused_by_size(lawyer, case_id, write_sparse(tmp_path / "huge.mp4", 1 << 30))
        uploaded = upload(lawyer, case_id, items)
        c = local(leh)
        docs = wait_final(c, case_id, uploaded, timeout=scaled(240, 900), also=lambda: _workers_alive(leh))

        wrong = []
        for eid, it in uploaded.items():
            doc = docs[eid]
            err = doc.get("error")
            warnings = [w["code"] for w in doc.get("warnings") or []]
            got = (doc["status"], err["code"] if err else (it.code if it.code in warnings else None))
            if got != (it.status, it.code):
                wrong.append(f"{it.filename}: wanted {it.status}/{it.code}, got {got} {warnings}")
        assert not wrong, "\n".join(wrong)

        for eid, it in uploaded.items():
            doc = docs[eid]
            if it.status == "failed":  # failed alone, at the first attempt: a bad file is never retried
                assert doc.get("attempts") == 1, (it.filename, doc.get("attempts"))
                korean_error(doc["error"], str(it.code))
            else:
                assert done_transitions(doc) == 1 and doc.get("error") is None
            if it.code == "TEXT_CHARS_REPLACED":
                [warning] = [w for w in doc["warnings"] if w["code"] == it.code]
                assert warning["message"] == ERROR_MESSAGES_KO[it.code]
                assert any("\ufffd" in s["text"] for s in doc["segments"]) and len(doc["segments"]) > 10
        # The mail with a broken attachment is done; its broken attachment failed alone, the others are done.
        [mail_id] = [e for e, it in uploaded.items() if it.filename == "mail_with_broken_attachment.eml"]
        children = {d["filename"]: d for d in docs.values() if d.get("parent_evidence_id") == mail_id}
        assert {n: (d["status"], (d.get("error") or {}).get("code")) for n, d in children.items()} == ATTACHMENTS
        assert_indexed_once(leh.data_dir, case_id, docs)
        wait_queue_empty(leh.data_dir)  # nothing retried, nothing dead-lettered

        # The worker count never dropped, and both workers still take new evidence.
        _workers_alive(leh)
        assert sum(w.alive for w in list_workers(c)) == 2
        after = upload(lawyer, case_id, [Item(f"after_{n}.txt", note_text(4, seed=500 + n)) for n in range(4)])
        final = wait_final(c, case_id, after, timeout=60)
        assert [final[e]["status"] for e in after] == ["done"] * 4
        _workers_alive(leh)
