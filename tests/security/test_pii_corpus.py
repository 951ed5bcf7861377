"""Issue #15: a PII corpus sent through every input path never reaches what LEH keeps about its own work.

주민등록번호 (with and without the hyphen), a password, phone, card and account numbers go into case titles and
memos, party names and aliases, evidence file names (also of an e-mail's attachment), upload metadata, evidence
content (a chat, a memo, an e-mail), a speaker named by a phone number and its mapping, failed logins (as the
identifier and as the password, API and web form), member additions, search queries, questions (API and page),
label corrections, an account's name and a breaker reason, against a running `leh serve` + `leh worker` whose
OpenAI engine is a recording stub. None of the
values may then appear in the audit rows, the log files and the processes' stdout/stderr, the queue database
(its bytes, so messages already deleted count too), the object keys, or any request body sent to "OpenAI".
Evidence content is, of course, kept in the evidence store and the index: that is the evidence.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import ADMIN, make_user
from tests.support.http_stub import StubRequest, json_http_server
from tests.support.live import Api, running_leh
from tests.support.wait import wait_until

RRN, RRN_BARE = "850314-2345678", "8503142345678"
PHONE, PHONE_BARE = "010-9876-5432", "01098765432"
CARD, CARD_BARE = "4111-1111-1111-1111", "4111111111111111"
ACCOUNT, ACCOUNT_BARE = "110-123-456789", "110123456789"
PASSWORD = "Tiger!Lily#2291"
CORPUS = (RRN, RRN_BARE, PHONE, PHONE_BARE, CARD, CARD_BARE, ACCOUNT, ACCOUNT_BARE, PASSWORD)
MEMO = (f"의뢰인 주민번호 {RRN} (또는 {RRN_BARE}), 연락처 {PHONE} / {PHONE_BARE}, 카드 {CARD} {CARD_BARE}, "
        f"계좌 {ACCOUNT} (통장 {ACCOUNT_BARE}), 이메일 비밀번호: {PASSWORD}")
CHAT = f"""박철수 님과 카카오톡 대화
저장한 날짜 : 2024-03-05 09:12:44

--------------- 2024년 3월 2일 토요일 ---------------
[박철수] [오후 10:18] 한 번만 더 그 얘기 하면 죽여버린다
[김영희] [오후 10:19] 내 주민번호 {RRN} 이랑 {RRN_BARE} 로 대출 받았지?
[박철수] [오후 10:25] {PHONE} 로 전화해 아니면 {PHONE_BARE}
[김영희] [오후 10:30] 카드 {CARD} 랑 {CARD_BARE} 당장 돌려줘
[박철수] [오후 10:40] 계좌 {ACCOUNT} 통장 {ACCOUNT_BARE} 로 보내
[김영희] [오후 10:41] 공인인증서 비번은 {PASSWORD} 잖아
[{PHONE}] [오후 10:50] 모르는 번호인데 누구세요
"""


class OpenAiRecorder:
    """OpenAI's chat and embedding protocols, answered plainly; every request body is kept."""

    def __init__(self) -> None:
        self.bodies: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def respond(self, req: StubRequest) -> tuple[int, Any]:
        with self.lock:
            self.bodies.append((req.path, req.raw.decode("utf-8", "replace")))
        body = req.json()
        if req.path.endswith("/embeddings"):
            inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
            return 200, {"object": "list", "model": body["model"], "usage": {"prompt_tokens": 5, "total_tokens": 5},
                         "data": [{"object": "embedding", "index": i, "embedding": [1.0, float(len(t) % 5)]}
                                  for i, t in enumerate(inputs)]}
        schema = (body.get("response_format") or {}).get("json_schema", {}).get("name")
        answer: dict[str, Any] = ({"findings": []} if schema == "leh_analysis"
                                  else {"found": False, "answer": "", "citations": []} if schema == "leh_answer"
                                  else {"grounds": []})
        return 200, {"id": "c1", "object": "chat.completion", "created": 0, "model": "gpt-4o-mini",
                     "choices": [{"index": 0, "finish_reason": "stop",
                                  "message": {"role": "assistant", "content": json.dumps(answer, ensure_ascii=False)}}],
                     "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}


def _leaks(where: str, text: str) -> list[str]:
    """Each corpus value found in `text`, with where and a little of what is around it (to find the writer)."""
    out = []
    for value in CORPUS:
        at = text.find(value)
        if at >= 0:
            out.append(f"{where}: {value} in …{text[max(0, at - 150):at + len(value) + 30]}…")
    return out


def _failed_logins(api: Api) -> None:
    for email, password in ((PASSWORD, RRN), (RRN_BARE, PASSWORD), (PHONE, CARD), ("lawyer@test.local", PASSWORD),
                            (f"{PHONE_BARE}@test.local", ACCOUNT)):
        resp = api.fresh().call("POST", "/api/auth/login", json={"email": email, "password": password})
        assert resp.status_code == 401, (email, resp.text)
    with httpx.Client(base_url=str(api.http.base_url)) as web:
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/login").text)
        assert csrf
        resp = web.post("/login", data={"email": ACCOUNT, "password": PASSWORD, "csrf_token": csrf.group(1)},
                        follow_redirects=False)
    assert resp.status_code in (200, 401) and "로그인" in resp.text


def _case_inputs(lawyer: Api) -> str:
    case = lawyer.data("POST", "/api/cases", 201, json={
        "title": f"이혼 {RRN} {PHONE}", "description": MEMO,
        "parties": {"client": {"name": "김영희", "aliases": [PHONE, RRN_BARE]},
                    "opponent": {"name": "박철수", "aliases": ["남편", PHONE_BARE]}}})
    lawyer.data("PATCH", f"/api/cases/{case['id']}", json={"title": f"이혼 {CARD}", "description": MEMO + " 수정"})
    lawyer.data("PUT", f"/api/cases/{case['id']}/parties", json={
        "client": {"name": "김영희", "aliases": [PHONE, ACCOUNT]}, "opponent": {"name": "박철수", "aliases": [CARD]}})
    lawyer.data("GET", "/api/cases", params={"q": RRN})
    # Members: a password and a number where the address goes (refused), an address made of a phone number
    # (invited: it has no account), and one who exists.
    for email in (PASSWORD, RRN):
        assert lawyer.call("POST", f"/api/cases/{case['id']}/members", json={"email": email}).status_code == 400
    lawyer.data("POST", f"/api/cases/{case['id']}/members", 201, json={"email": f"{PHONE_BARE}@test.local"})
    lawyer.data("POST", f"/api/cases/{case['id']}/members", 201, json={"email": "staff@test.local", "role": "member"})
    return str(case["id"])


def _mail() -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "kim@example.com", "lee@example.com", f"주민번호 {RRN} 보냄"
    msg["Date"] = "Tue, 05 Mar 2024 09:12:44 +0900"
    msg.set_content(MEMO)
    msg.add_attachment(MEMO.encode(), maintype="text", subtype="plain", filename=f"주민등록증_{RRN}_{PASSWORD}.txt")
    return bytes(msg)


def _uploads(lawyer: Api, case_id: str) -> list[str]:
    chat = lawyer.data("POST", f"/api/cases/{case_id}/evidence", 201,
                       files={"file": (f"카톡_{RRN}_{PHONE}.txt", CHAT.encode(), "text/plain")})
    memo = lawyer.data("POST", f"/api/cases/{case_id}/evidence", 201,
                       files={"file": (f"메모 비번 {PASSWORD} {RRN_BARE} {CARD_BARE}.txt", MEMO.encode(),
                                       f"text/plain; note={PHONE}")})
    target = lawyer.data("POST", "/api/evidence/presigned-url", 201, json={
        "case_id": case_id, "filename": f"통장_{ACCOUNT}_{ACCOUNT_BARE}_{PHONE_BARE}.txt",
        "content_type": f"text/plain; rrn={RRN}", "size": len(MEMO.encode())})
    put = lawyer.http.put(target["upload_url"], content=MEMO.encode(), headers=target["headers"])
    assert put.status_code < 300, put.text
    lawyer.data("POST", "/api/evidence/upload-complete", json={"evidence_id": target["evidence_id"]})
    mail = lawyer.data("POST", f"/api/cases/{case_id}/evidence", 201,
                       files={"file": (f"메일_{PHONE_BARE}.eml", _mail(), "message/rfc822")})
    return [chat["id"], memo["id"], target["evidence_id"], mail["id"]]


def _questions(lawyer: Api, case_id: str, chat_id: str) -> None:
    for q in (RRN, PHONE_BARE, f"{CARD} 카드", PASSWORD):
        lawyer.data("GET", f"/api/cases/{case_id}/search", params={"q": q})
    lawyer.data("POST", f"/api/cases/{case_id}/ask", json={"question": f"{RRN} 주민번호로 대출 받았어?"})
    lawyer.data("POST", f"/api/cases/{case_id}/ask", json={"question": f"{PHONE} 로 전화했어? 비번 {PASSWORD}"})
    # (a question the evidence answers — the chat's 대출 line — so it goes to the model; a refused one never leaves)
    bad = lawyer.call("PATCH", f"/api/evidence/{chat_id}/labels",
                      json={"add": [{"ground": "840-3", "segments": [1], "tag": RRN}]})
    assert bad.status_code in (200, 400), bad.text
    lawyer.data("PATCH", f"/api/evidence/{chat_id}/labels", json={"add": [{"ground": "840-3", "segments": [1]}]})


def _speakers(lawyer: Api, chat_id: str) -> None:
    speakers = lawyer.data("GET", f"/api/evidence/{chat_id}")["speakers"]
    assert PHONE in speakers, speakers  # the parser kept the number as the speaker's name
    lawyer.data("PUT", f"/api/evidence/{chat_id}/speakers", json={PHONE: "third_party", "박철수": "opponent"})


def _web_inputs(base_url: str, case_id: str) -> None:
    """The same inputs through the pages: the login form, a new case, search, a question, a member."""
    with httpx.Client(base_url=base_url, follow_redirects=False) as web:
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/login").text)
        assert csrf
        signed_in = web.post("/login", data={"email": "lawyer@test.local", "password": "maple-river-42",
                                             "csrf_token": csrf.group(1)})
        assert signed_in.status_code in (302, 303), signed_in.text[:300]
        token = web.cookies["leh_csrf"]
        made = web.post("/cases", data={"title": f"웹 사건 {RRN_BARE}", "description": MEMO, "csrf_token": token})
        assert made.status_code in (302, 303), made.text[:300]
        htmx = {"x-csrf-token": token, "hx-request": "true"}
        assert web.get(f"/cases/{case_id}/search", params={"q": f"{PHONE} {PASSWORD}"}, headers=htmx).status_code == 200
        asked = web.post(f"/cases/{case_id}/ask", data={"question": f"{ACCOUNT} 계좌로 {CARD_BARE} 카드 대금 보냈어?"},
                         headers=htmx)
        assert asked.status_code == 200, asked.text[:300]
        added = web.post(f"/cases/{case_id}/members", data={"email": CARD, "role": "member"}, headers=htmx)
        assert added.status_code == 400


def _admin_inputs(admin: Api, case_id: str) -> None:
    admin.data("POST", "/api/admin/users", 201, json={"email": "kim@test.local", "password": "maple-river-44",
                                                      "role": "staff", "name": f"김직원 {PHONE}"})
    for state in ("open", "closed"):
        admin.data("POST", f"/api/admin/cases/{case_id}/breaker", json={
            "state": state, "reason": f"의뢰인 요청 ({RRN}, 비밀번호: {PASSWORD})"})


def _audit_text(data_dir: Path) -> str:
    with sqlite3.connect(data_dir / "leh.db") as db:
        rows = db.execute("SELECT * FROM audit_log").fetchall()
    assert len(rows) > 20
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)


def _log_text(data_dir: Path) -> str:
    files = [*sorted((data_dir / "logs").glob("*.log*")), *sorted(data_dir.glob("*.out"))]
    names = {p.name for p in files}
    assert names >= {"server.log", "server.out", "worker0.out"} and any(n.startswith("worker-") for n in names), names
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)


def _queue_bytes(data_dir: Path) -> str:
    files = sorted(data_dir.glob("queue.db*"))
    assert files
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in files)


def test_no_pii_of_any_input_reaches_audit_logs_queue_keys_or_openai(tmp_path: Path) -> None:
    rec = OpenAiRecorder()
    data_dir = tmp_path / "leh"
    with json_http_server(rec.respond) as stub, running_leh(
            data_dir, LEH_OPENAI_API_KEY="sk-test", LEH_OPENAI_BASE_URL=stub + "/v1", LEH_OPENAI_MAX_RETRIES="0",
            LEH_LOG_LEVEL="DEBUG", LEH_LOG_CONSOLE="1") as procs:
        admin = Api(procs.base_url).login(*ADMIN)
        lawyer = make_user(admin, "lawyer@test.local", password="maple-river-42")
        make_user(admin, "staff@test.local", role="staff", password="maple-river-43")
        _failed_logins(admin)
        case_id = _case_inputs(lawyer)
        ids = _uploads(lawyer, case_id)
        with sqlite3.connect(data_dir / "queue.db") as q:  # the messages as they wait for the worker
            pending = [r[0] for r in q.execute("SELECT body FROM messages")]
        assert len(pending) == 4
        procs.start_worker()
        for evidence_id in ids:
            assert lawyer.wait_status(evidence_id, {"done"}, timeout=120)["status"] == "done"
        wait_until(lambda: [d["status"] for d in lawyer.data("GET", f"/api/cases/{case_id}/evidence")] == ["done"] * 5,
                   timeout=120, interval=0.5, message="the mail's attachment was not processed")
        _questions(lawyer, case_id, ids[0])
        _speakers(lawyer, ids[0])
        _web_inputs(procs.base_url, case_id)
        _admin_inputs(admin, case_id)
    keys = [p.relative_to(data_dir / "objects").as_posix() for p in (data_dir / "objects").rglob("*") if p.is_file()]
    assert len([k for k in keys if "/raw/" in k]) == 5, keys  # four uploads and the mail's attachment
    sent = [b for p, b in rec.bodies]
    # every outbound path was taken: analysis of the evidence, its embeddings, the query vectors, the answer
    assert any("/embeddings" in p for p, _ in rec.bodies)
    assert {name for name in ("leh_analysis", "leh_answer") if any(name in b for b in sent)} == {"leh_analysis", "leh_answer"}
    assert any("[카드번호] 카드" in b for b in sent) and any("[주민번호] 주민번호로" in b for b in sent)
    assert any("[계좌번호] 계좌로" in b for b in sent)  # the question asked on the page went out too, masked
    leaks = [*_leaks("audit", _audit_text(data_dir)), *_leaks("logs", _log_text(data_dir)),
             *_leaks("queue messages", "\n".join(pending)), *_leaks("queue db", _queue_bytes(data_dir)),
             *_leaks("object keys", "\n".join(keys)), *_leaks("openai", "\n".join(sent)),
             # a key is the file's name made safe: what survives of a password must not be recognisable either
             *[f"object keys: {part} of the password in {keys}" for part in ("Tiger", "Lily") if part in "".join(keys)]]
    assert leaks == [], "\n".join(leaks)
