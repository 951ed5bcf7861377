"""The evidence page (segments, labels, original, delete confirm), the case list, closing a case, /admin, phone width."""

from __future__ import annotations

import uuid

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ADMIN
from tests.e2e.conftest import Person, assert_no_browser_storage, shot, sign_in
from tests.e2e.files import kakao_pc, png
from tests.support.live import Api, LehProcesses

pytestmark = pytest.mark.e2e

DELETE_CONFIRM = "정말로 삭제하시겠습니까? 이 동작은 되돌릴 수 없습니다."


def test_evidence_page_shows_segments_labels_original_and_deletes_after_confirm(
        page: Page, lawyer: Person, processing: LehProcesses) -> None:
    case = lawyer.api.data("POST", "/api/cases", 201, json={"title": "증거 상세 사건"})
    chat = lawyer.api.data("POST", f"/api/cases/{case['id']}/evidence", 201, files={
        "file": ("협박_대화.txt", kakao_pc(25, "홍길동", "가만 안 둔다 다 부숴버릴 거야").encode())})
    image = lawyer.api.data("POST", f"/api/cases/{case['id']}/evidence", 201,
                            files={"file": ("캡처_1.png", png("2023년 12월 25일 협박 메시지"), "image/png")})
    doc = lawyer.api.wait_status(chat["id"], {"done"})
    lawyer.api.wait_status(image["id"], {"done"})

    sign_in(page, lawyer, f"/cases/{case['id']}")
    response = page.goto(f"/cases/{case['id']}/evidence/{chat['id']}")
    assert response is not None and response.status == 200
    assert response.headers["cache-control"] == "no-store"
    expect(page.get_by_test_id("evidence-title")).to_have_text("협박_대화.txt")
    expect(page.get_by_test_id("evidence-status")).to_have_text("완료")
    segments = page.get_by_test_id("segments").locator("li")
    expect(segments).to_have_count(len(doc["segments"]))
    expect(segments.first).to_contain_text("홍길동")
    expect(segments.first).to_contain_text("가만 안 둔다 다 부숴버릴 거야")
    assert doc["labels"], "the analysis found no label in a threat"
    for label in doc["labels"]:
        for seq in label["segments"]:
            highlighted = page.locator(f"#seg-{seq}")
            expect(highlighted).to_have_class("seg seg-labelled ")
            expect(highlighted.locator(".chip-label")).to_contain_text(f"{label['ground']} {label['tag']}")
    if doc.get("summary"):
        expect(page.get_by_test_id("evidence-summary")).to_have_text(doc["summary"])
    original = page.get_by_test_id("original-link")
    href = original.get_attribute("href")
    assert href and href.startswith("/api/objects/")
    assert httpx.get(page.url.split("/cases/")[0] + href).content.decode().count("가만 안 둔다") == 1
    shot(page, "11_evidence")

    page.get_by_test_id("delete-evidence").click()
    dialog = page.get_by_test_id("delete-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("delete-confirm-text")).to_have_text(DELETE_CONFIRM)
    shot(page, "12_evidence_delete_confirm")
    dialog.get_by_test_id("delete-cancel").click()
    expect(dialog).to_be_hidden()
    assert lawyer.api.data("GET", f"/api/evidence/{chat['id']}")["status"] == "done"  # cancel changed nothing
    page.get_by_test_id("delete-evidence").click()
    dialog.get_by_test_id("delete-confirm").click()
    page.wait_for_url(f"**/cases/{case['id']}?notice=deleted")
    expect(page.get_by_text("증거를 삭제했습니다.")).to_be_visible()
    expect(page.locator(f'tr[data-evidence-id="{chat["id"]}"]')).to_have_count(0)
    expect(page.locator(f'tr[data-evidence-id="{image["id"]}"]')).to_have_count(1)
    assert lawyer.api.call("GET", f"/api/evidence/{chat['id']}").status_code == 404
    gone = page.goto(f"/cases/{case['id']}/evidence/{chat['id']}")
    assert gone is not None and gone.status == 404

    # The image's original shows inline through its short-lived URL.
    page.goto(f"/cases/{case['id']}/evidence/{image['id']}")
    img = page.get_by_test_id("original-image")
    expect(img).to_be_visible()
    page.wait_for_function("() => document.querySelector('[data-testid=original-image]').naturalWidth > 0")
    assert img.evaluate("i => i.naturalWidth") == 720
    assert_no_browser_storage(page)


def test_case_list_search_filter_create_and_close(page: Page, lawyer: Person, live: LehProcesses) -> None:
    lawyer.api.data("POST", "/api/cases", 201, json={"title": "박OO 재산분할 사건"})
    sign_in(page, lawyer)
    page.get_by_test_id("new-case").click()
    dialog = page.locator("#new-case-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("사건명").fill("이OO 이혼 청구 (2024드단1234)")
    dialog.get_by_label("메모").fill("의뢰인: 이OO")
    dialog.get_by_role("button", name="만들기").click()
    page.wait_for_url("**/cases/*?notice=created")
    expect(page.get_by_test_id("case-title")).to_contain_text("이OO 이혼 청구 (2024드단1234)")
    expect(page.get_by_text("사건을 만들었습니다. 이제 증거를 업로드하세요.")).to_be_visible()
    case_url = page.url.split("?")[0]

    page.goto("/cases")
    rows = page.locator("#case-table tbody tr")
    expect(rows).to_have_count(2)
    with page.expect_response(lambda r: "/cases?" in r.url and r.request.headers.get("hx-request") == "true"):
        page.get_by_placeholder("사건명으로 검색").fill("재산분할")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("박OO 재산분할 사건")
    page.get_by_placeholder("사건명으로 검색").fill("")
    expect(rows).to_have_count(2)
    shot(page, "02_cases")

    page.goto(case_url)
    page.get_by_test_id("close-case").click()
    expect(page.locator("#close-case-dialog")).to_contain_text("사건을 종료하시겠습니까?")
    page.get_by_test_id("confirm-close").click()
    page.wait_for_url("**/cases?notice=closed")
    expect(rows).to_have_count(1)
    page.locator("#case-status").select_option("closed")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("이OO 이혼 청구")
    expect(rows.first).to_contain_text("종료")
    page.goto(case_url)
    expect(page.get_by_test_id("case-status")).to_have_text("종료")
    expect(page.get_by_test_id("dropzone")).to_have_count(0)  # nothing can be added to a closed case

    # Form posts without the CSRF token are refused.
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    forged = httpx.post(f"{live.base_url}/cases", data={"title": "위조"}, cookies=cookies, follow_redirects=False)
    assert forged.status_code == 403
    assert lawyer.api.data("GET", "/api/cases?status=all") and all(
        c["title"] != "위조" for c in lawyer.api.data("GET", "/api/cases?status=all"))


def test_admin_users_breakers_dlq_usage_and_audit(page: Page, admin: Api, lawyer: Person, live: LehProcesses) -> None:
    case = lawyer.api.data("POST", "/api/cases", 201, json={"title": "차단기 확인 사건"})
    sign_in(page, lawyer, "/cases")
    forbidden = page.goto("/admin")
    assert forbidden is not None and forbidden.status == 403
    page.context.clear_cookies()

    sign_in(page, Person(ADMIN[0], ADMIN[1], admin), "/admin")
    expect(page.get_by_test_id("users-table")).to_contain_text(lawyer.email)
    new_email = f"staff-{uuid.uuid4().hex[:6]}@test.local"
    form = page.get_by_test_id("create-user-form")
    form.get_by_label("이메일").fill(new_email)
    form.get_by_label("이름").fill("김직원")
    form.get_by_label("역할").select_option("staff")
    form.get_by_label("임시 비밀번호 (8자 이상)").fill("staff-password-1")
    form.get_by_role("button", name="사용자 만들기").click()
    expect(page.get_by_test_id("admin-notice")).to_have_text("사용자를 만들었습니다.")
    row = page.locator(f'tr[data-user-email="{new_email}"]')
    expect(row).to_contain_text("직원")
    shot(page, "13_admin_users")

    row.get_by_role("button", name="차단").click()
    expect(page.get_by_test_id("admin-notice")).to_contain_text("계정을 차단했습니다")
    expect(row).to_contain_text("차단됨")
    # A blocked account answers like a wrong password (no account probing, issue #15).
    refused = httpx.post(f"{live.base_url}/api/auth/login", json={"email": new_email, "password": "staff-password-1"})
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "INVALID_CREDENTIALS"
    row.get_by_role("button", name="차단 해제").click()
    expect(row).to_contain_text("사용 중")
    Api(live.base_url).login(new_email, "staff-password-1")

    page.get_by_role("link", name="AI 처리 일시 정지").click()
    breaker = page.get_by_test_id("breaker-form")
    breaker.get_by_label("사건").select_option(case["id"])
    breaker.get_by_label("처리 정지 (차단기 열기)").check()
    breaker.get_by_label("사유 (감사 로그에 남습니다)").fill("비용 급증 조사")
    breaker.get_by_role("button", name="적용").click()
    breaker_row = page.get_by_test_id("breakers-table").locator(f'tr[data-case-id="{case["id"]}"]')
    expect(breaker_row).to_contain_text("열림 (정지)")
    expect(breaker_row).to_contain_text("비용 급증 조사")
    page.goto("/staff/progress")
    expect(page.get_by_test_id("open-breakers")).to_have_text("1")
    expect(page.get_by_test_id("dlq-depth")).to_have_text("0")
    page.goto("/admin/breakers")
    breaker = page.get_by_test_id("breaker-form")
    breaker.get_by_label("사건").select_option(case["id"])
    breaker.get_by_label("처리 재개 (차단기 닫기)").check()
    breaker.get_by_label("사유 (감사 로그에 남습니다)").fill("조사 완료")
    breaker.get_by_role("button", name="적용").click()
    expect(breaker_row).to_contain_text("닫힘 (정상)")
    shot(page, "14_admin_breakers")

    page.get_by_role("link", name="처리 실패 보관함 (DLQ)").click()
    expect(page.get_by_text("처리 실패 보관함이 비어 있습니다.")).to_be_visible()
    page.get_by_role("link", name="AI 사용량").click()
    expect(page.get_by_role("heading", name="사건별 AI 사용량")).to_be_visible()
    shot(page, "15_admin_usage")

    page.get_by_role("link", name="감사 로그").click()
    filters = page.get_by_test_id("audit-filters")
    filters.get_by_label("동작").select_option("admin.user_block")
    filters.get_by_role("button", name="조회").click()
    audit_rows = page.get_by_test_id("audit-table").locator("tbody tr")
    expect(audit_rows).to_have_count(1)
    expect(audit_rows.first).to_contain_text("사용자 차단")  # in Korean, the stored code second
    expect(audit_rows.first).to_contain_text("admin.user_block")
    expect(audit_rows.first).to_contain_text(ADMIN[0])
    shot(page, "16_admin_audit")


def test_a_large_case_pages_its_evidence_table(page: Page, lawyer: Person) -> None:
    case = lawyer.api.data("POST", "/api/cases", 201, json={"title": "증거가 많은 사건"})
    for i in range(205):
        lawyer.api.data("POST", "/api/evidence/presigned-url", 201,
                        json={"case_id": case["id"], "filename": f"사진_{i:03d}.jpg", "size": 10})
    sign_in(page, lawyer, f"/cases/{case['id']}")
    rows = page.locator("#evidence-rows tr[data-evidence-id]")
    expect(rows).to_have_count(200)
    expect(page.get_by_test_id("count-total")).to_have_text("205")
    expect(page.locator('[data-count="active"]')).to_have_text("205")
    more = page.get_by_test_id("more-evidence")
    expect(more).to_have_text("5건 더 보기")
    more.click()
    expect(rows).to_have_count(205)
    expect(more).to_have_count(0)
    expect(rows.last).to_contain_text("사진_000.jpg")  # newest first: the first upload comes last


def test_names_are_shown_as_text_never_run_as_markup(page: Page, lawyer: Person) -> None:
    title = "</script><script>alert('case')</script>"
    case = lawyer.api.data("POST", "/api/cases", 201, json={"title": title})
    # An upload that has started (status `uploading`) stays listed everywhere whatever the workers do.
    lawyer.api.data("POST", "/api/evidence/presigned-url", 201,
                    json={"case_id": case["id"], "filename": "<img src=x onerror=alert(1)>.txt", "size": 10})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, lawyer, f"/cases/{case['id']}")
    expect(page.get_by_test_id("case-title")).to_contain_text(title)
    expect(page.get_by_test_id("evidence-table")).to_contain_text("<img src=x onerror=alert(1)>.txt")
    page.goto("/cases")
    expect(page.locator("#case-table")).to_contain_text(title)
    page.goto("/staff/progress")
    expect(page.get_by_test_id("progress-live")).to_contain_text("<img src=x onerror=alert(1)>.txt")
    assert dialogs == []


def test_pages_fit_a_phone_screen(page: Page, lawyer: Person) -> None:
    case = lawyer.api.data("POST", "/api/cases", 201, json={"title": "모바일 화면 확인 사건 — 아주 긴 사건명도 줄바꿈되어야 합니다"})
    lawyer.api.data("POST", f"/api/cases/{case['id']}/evidence", 201,
                    files={"file": ("카카오톡_대화_내보내기_아주_긴_파일명_2023년12월.txt", kakao_pc(25, "홍길동", "가만 안 둔다").encode())})
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page, lawyer)
    for path, name in (("/cases", "m1_cases"), (f"/cases/{case['id']}", "m2_case"), ("/staff/progress", "m3_progress")):
        page.goto(path)
        page.wait_for_load_state("load")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a 375px phone screen"
        shot(page, name)
    expect(page.get_by_role("link", name="사건", exact=True)).to_be_visible()
    page.goto(f"/cases/{case['id']}")
    expect(page.get_by_test_id("dropzone")).to_be_visible()
    expect(page.get_by_test_id("evidence-table")).to_contain_text("카카오톡_대화_내보내기_아주_긴_파일명_2023년12월.txt")

