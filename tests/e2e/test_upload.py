"""Bulk upload in the browser: 20 mixed files in parallel with progress, live processing state, failures, retry, cancel."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Page, Route, expect

from leh.domain.errors import ERROR_MESSAGES_KO
from tests.e2e.conftest import Person, shot, sign_in
from tests.e2e.files import BIG_EXPORT, BROKEN_PDF, FLAKY_UPLOAD, kakao_big, kakao_pc, mixed_files
from tests.support.live import LehProcesses

pytestmark = pytest.mark.e2e

# Records every value the big file's progress bar shows, and the longest gap between animation frames.
_WATCH = """(name) => {
  window.__progress = [];
  window.__maxFrameGap = 0;
  let last = performance.now();
  const tick = (now) => { window.__maxFrameGap = Math.max(window.__maxFrameGap, now - last); last = now;
                          if (!window.__stopFrames) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  new MutationObserver(() => {
    for (const li of document.querySelectorAll('#upload-list > li')) {
      if (li.querySelector('.ur-name').textContent !== name) continue;
      const v = Number(li.querySelector('.progress').getAttribute('aria-valuenow'));
      if (window.__progress[window.__progress.length - 1] !== v) window.__progress.push(v);
    }
  }).observe(document.getElementById('upload-list'), {subtree: true, attributes: true, childList: true});
}"""


def _throttle_uploads(page: Page, bytes_per_second: int) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": bytes_per_second})


def test_bulk_upload_of_twenty_files_with_live_status_failure_and_retry(
        page: Page, lawyer: Person, processing: LehProcesses, workdir: Path) -> None:
    case = lawyer.api.data("POST", "/api/cases", 201, json={"title": "대량 업로드 사건"})
    files = mixed_files(workdir / "files")
    assert len(files) == 20 and len({p.suffix for p in files}) == 5  # .txt .csv .png .pdf .docx

    flaky_urls: list[str] = []
    dropped: list[str] = []

    def note_flaky_target(route: Route) -> None:
        """Remember the signed upload URL handed out for the file whose first upload will break."""
        response = route.fetch()
        body = json.loads(route.request.post_data or "{}")
        if body.get("filename") == FLAKY_UPLOAD:
            flaky_urls.append(response.json()["data"]["upload_url"])
        route.fulfill(response=response)

    def flaky_network(route: Route) -> None:
        """The first upload of that file dies on the wire, as on a bad connection."""
        if route.request.method == "PUT" and route.request.url in flaky_urls[:1] and not dropped:
            dropped.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/evidence/presigned-url", note_flaky_target)
    page.route("**/api/objects/**", flaky_network)
    sign_in(page, lawyer, f"/cases/{case['id']}")
    expect(page.locator("#live-indicator")).to_have_text("실시간 연결됨")
    _throttle_uploads(page, 400 * 1024)
    page.evaluate(_WATCH, BIG_EXPORT)
    page.evaluate("window.__sameDocument = true")

    page.get_by_test_id("file-input").set_input_files(files)
    rows = page.locator("#upload-list > li")
    expect(rows).to_have_count(20)
    expect(page.get_by_test_id("overall-label")).to_contain_text("업로드 중")
    in_flight = page.evaluate("() => document.querySelectorAll('#upload-list > li[data-state=\"uploading\"]').length")
    assert 1 <= in_flight <= 4  # at most four uploads run at once
    shot(page, "03_case_uploading")

    flaky = rows.filter(has_text=FLAKY_UPLOAD)
    expect(flaky.locator(".ur-badge")).to_have_text("업로드 실패")
    expect(flaky.locator(".ur-detail")).to_contain_text("네트워크 오류")
    broken = rows.filter(has_text=BROKEN_PDF)
    expect(broken.locator(".ur-badge")).to_have_text("실패", timeout=60_000)
    expect(broken.locator(".ur-detail")).to_have_text(ERROR_MESSAGES_KO["PDF_CORRUPT"])
    # Every other file reaches 완료 while the page stays put (live updates, no reload).
    expect(page.locator('#upload-list > li[data-state="done"]')).to_have_count(18, timeout=90_000)
    expect(page.locator('#upload-list > li[data-state="done"] .ur-badge').first).to_have_text("완료")
    assert dropped, "the flaky upload was never attempted"

    page.evaluate("window.__stopFrames = true")
    seen = page.evaluate("window.__progress")
    assert seen[-1] == 100 and any(0 < v < 100 for v in seen), seen  # the big file's bar moved in steps
    assert page.evaluate("window.__maxFrameGap") < 1500  # the page kept painting while 20 files went up

    flaky.get_by_role("button", name="재시도").click()
    expect(flaky).to_have_attribute("data-state", "done", timeout=30_000)
    expect(page.get_by_test_id("overall-label")).to_have_text("업로드 완료 20 / 20")
    expect(page.get_by_test_id("overall-bar")).to_have_attribute("aria-valuenow", "100")
    for value in rows.locator(".progress").evaluate_all("bars => bars.map(b => b.getAttribute('aria-valuenow'))"):
        assert value == "100"

    # A corrupt file cannot get better by processing it again: no 재시도, only what to do with the file.
    expect(broken.locator(".ur-badge")).to_have_text("실패")
    expect(broken.get_by_role("button", name="재시도")).to_be_hidden()

    table = page.locator("#evidence-rows tr[data-evidence-id]")
    expect(table).to_have_count(20)
    expect(page.locator('[data-count="done"]')).to_have_text("19")
    expect(page.locator('[data-count="failed"]')).to_have_text("1")
    expect(table.filter(has_text=BROKEN_PDF).get_by_role("button", name="재시도")).to_have_count(0)
    expect(table.filter(has_text=BROKEN_PDF).locator(".ev-msg")).to_have_text(ERROR_MESSAGES_KO["PDF_CORRUPT"])
    # Rows added by the page itself got their analysis fields live too, and the timeline refreshed itself.
    expect(table.filter(has_text="카카오톡_12월25일.txt").locator(".ev-when")).to_have_text("2023-12-25 22:20")
    expect(table.filter(has_text="카카오톡_12월25일.txt")).to_contain_text("840-3")
    expect(page.locator("#timeline-list > li").filter(has_text="다 부숴버릴 거야")).to_have_count(1)
    assert page.evaluate("window.__sameDocument") is True
    shot(page, "04_case_after_upload")

    docs = lawyer.api.data("GET", f"/api/cases/{case['id']}/evidence")
    assert Counter(d["status"] for d in docs) == {"done": 19, "failed": 1}
    assert sorted(d["filename"] for d in docs) == sorted(p.name for p in files)
    by_name = {d["filename"]: d for d in docs}
    assert by_name["진단서.pdf"]["type"] == "pdf" and by_name["캡처_1.png"]["type"] == "image"
    assert by_name["경위서.docx"]["type"] == "docx" and by_name["카카오톡_12월25일.txt"]["type"] == "kakaotalk"


def test_an_upload_can_be_cancelled_mid_flight(page: Page, lawyer: Person, workdir: Path) -> None:
    case = lawyer.api.data("POST", "/api/cases", 201, json={"title": "업로드 취소 사건"})
    big = workdir / "취소할_대화.txt"
    big.write_bytes(kakao_big(6))
    sign_in(page, lawyer, f"/cases/{case['id']}")
    # Files dropped on the drop zone upload like chosen ones.
    transfer = page.evaluate_handle("""() => { const dt = new DataTransfer();
        dt.items.add(new File(['2023년 12월 25일 메모'], '끌어다놓은_메모.txt', {type: 'text/plain'})); return dt; }""")
    page.get_by_test_id("dropzone").dispatch_event("drop", {"dataTransfer": transfer})
    dropped = page.locator("#upload-list > li").filter(has_text="끌어다놓은_메모.txt")
    expect(dropped.locator(".ur-badge")).to_have_text(re.compile("^(대기 중|처리 중 · .+|완료)$"))
    _throttle_uploads(page, 1024 * 1024)
    page.get_by_test_id("file-input").set_input_files([big])
    row = page.locator("#upload-list > li").filter(has_text="취소할_대화.txt")
    expect(row).to_have_attribute("data-state", "uploading")
    expect(row.locator(".progress")).not_to_have_attribute("aria-valuenow", "0")
    with page.expect_response(lambda r: r.request.method == "DELETE" and "/api/evidence/" in r.url) as deleted:
        row.get_by_role("button", name="취소").click()
    assert deleted.value.status == 200
    expect(row.locator(".ur-badge")).to_have_text("취소됨")
    expect(row.get_by_role("button", name="취소")).to_be_hidden()
    # Nothing half-uploaded is left: only the dropped file is in the case.
    assert [d["filename"] for d in lawyer.api.data("GET", f"/api/cases/{case['id']}/evidence")] == ["끌어다놓은_메모.txt"]


def test_an_evidence_row_turns_done_live_over_sse_without_polling(
        page: Page, lawyer: Person, processing: LehProcesses) -> None:
    case = lawyer.api.data("POST", "/api/cases", 201, json={"title": "실시간 행 갱신 사건"})
    body = kakao_pc(25, "홍길동", "가만 안 둔다 다 부숴버릴 거야").encode()
    up = lawyer.api.data("POST", "/api/evidence/presigned-url", 201,
                         json={"case_id": case["id"], "filename": "실시간_대화.txt", "size": len(body)})
    sign_in(page, lawyer, f"/cases/{case['id']}")
    row = page.locator(f'#evidence-rows tr[data-evidence-id="{up["evidence_id"]}"]')
    expect(row).to_have_attribute("data-status", "uploading")
    expect(page.get_by_test_id("live-indicator")).to_have_text("실시간 연결됨")
    expect(page.locator("#timeline-status")).to_have_text("아직 표시할 내용이 없습니다. 증거 처리가 끝나면 자동으로 나타납니다.")
    expect(page.locator("#draft-status")).to_have_text("분석할 증거가 없습니다. 증거를 먼저 업로드해주세요.")
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.evaluate(f"document.getElementById('ev-row-{up['evidence_id']}').dataset.rendered = 'with-the-page'")

    assert httpx.put(up["upload_url"], content=body, headers=up["headers"]).status_code in (200, 201, 204)
    lawyer.api.data("POST", "/api/evidence/upload-complete", json={"evidence_id": up["evidence_id"]})
    expect(row).to_have_attribute("data-status", "done", timeout=60_000)
    expect(row.locator(".ev-status .badge")).to_have_text("완료")
    expect(row).to_contain_text("840-3")
    expect(row.locator(".ev-when")).to_have_text("2023-12-25 22:20")
    expect(row).not_to_have_attribute("data-rendered", "with-the-page")  # the row was swapped in by the server
    expect(page.locator('[data-count="done"]')).to_have_text("1")
    expect(page.locator('[data-count="active"]')).to_have_text("0")
    # The finished evidence's events appear in the timeline without a reload (the done event asks for it).
    expect(page.locator("#timeline-list > li").filter(has_text="다 부숴버릴 거야")).to_have_count(1)
    # Nothing polled: the only requests after the page loaded are the panels the done event refreshed.
    assert asked and all(urlsplit(u).path in (f"/cases/{case['id']}/timeline", f"/cases/{case['id']}/draft",
                                              f"/cases/{case['id']}/risks") for u in asked), asked
