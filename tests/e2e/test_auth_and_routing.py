"""Server-side auth guard, login and logout, deep links and refresh, 404s, and case isolation between lawyers."""

from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Person, assert_no_browser_storage, shot, sign_in, submit_login
from tests.support.live import Api, LehProcesses

pytestmark = pytest.mark.e2e


def test_login_redirects_back_and_logout_revokes_the_session(page: Page, lawyer: Person, live: LehProcesses) -> None:
    page.goto("/cases")
    assert page.url == f"{live.base_url}/login?next=/cases"
    shot(page, "01_login")
    for email, password in [(lawyer.email, "wrong-password"), ("nobody@test.local", lawyer.password)]:
        submit_login(page, email, password)
        expect(page.get_by_test_id("login-error")).to_have_text("이메일 또는 비밀번호가 올바르지 않습니다.")
        assert page.locator("input[name=next]").input_value() == "/cases"
    with page.expect_response(lambda r: r.url.endswith("/cases") and r.request.method == "GET") as first:
        submit_login(page, lawyer.email, lawyer.password)
    assert page.url == f"{live.base_url}/cases"
    expect(page.get_by_role("heading", name="사건", exact=True)).to_be_visible()
    headers = first.value.headers
    assert headers["cache-control"] == "no-store"
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["leh_session"]["httpOnly"] and cookies["leh_session"]["sameSite"] == "Lax"
    assert not cookies["leh_csrf"]["httpOnly"] and cookies["leh_csrf"]["sameSite"] == "Strict"
    token = cookies["leh_session"]["value"]
    assert Api(live.base_url, token).call("GET", "/api/auth/me").status_code == 200
    assert_no_browser_storage(page)

    page.get_by_test_id("logout").click()
    expect(page.get_by_text("로그아웃되었습니다.")).to_be_visible()
    assert Api(live.base_url, token).call("GET", "/api/auth/me").status_code == 401  # the token is revoked
    page.goto("/cases")
    assert page.url == f"{live.base_url}/login?next=/cases"


def test_anonymous_deep_links_land_on_the_page_after_login(page: Page, lawyer: Person, live: LehProcesses) -> None:
    case = lawyer.api.data("POST", "/api/cases", 201, json={"title": "딥링크 확인 사건"})
    deep = f"/cases/{case['id']}"
    # The server itself redirects (no JavaScript involved), keeping the path and query.
    raw = httpx.get(live.base_url + deep + "?from=mail", follow_redirects=False)
    assert raw.status_code == 303 and raw.headers["location"] == f"/login?next={deep}%3Ffrom%3Dmail"
    page.goto(deep + "?from=mail")
    assert "/login?next=" in page.url
    submit_login(page, lawyer.email, lawyer.password)
    page.wait_for_url(f"{live.base_url}{deep}?from=mail")
    expect(page.get_by_test_id("case-title")).to_contain_text("딥링크 확인 사건")
    # A refresh renders the same page again (never a 404).
    response = page.reload()
    assert response is not None and response.status == 200
    expect(page.get_by_test_id("case-title")).to_contain_text("딥링크 확인 사건")
    # Only same-site paths are followed after login.
    page.context.clear_cookies()
    page.goto("/login?next=https://evil.example/steal")
    submit_login(page, lawyer.email, lawyer.password)
    page.wait_for_url(f"{live.base_url}/cases")


def test_unknown_paths_get_a_404_page_and_api_paths_json(page: Page, lawyer: Person, live: LehProcesses) -> None:
    response = page.goto("/staff/unknown-page")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="페이지를 찾을 수 없습니다")).to_be_visible()
    shot(page, "09_not_found")
    api = httpx.get(live.base_url + "/api/no-such-endpoint")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/json")
    assert api.json()["error"]["code"] == "NOT_FOUND"
    anonymous_api = httpx.get(live.base_url + "/api/cases")
    assert anonymous_api.status_code == 401 and anonymous_api.json()["error"]["code"] == "UNAUTHORIZED"


def test_staff_progress_survives_refresh_and_updates_live(page: Page, lawyer: Person, live: LehProcesses) -> None:
    case = lawyer.api.data("POST", "/api/cases", 201, json={"title": "실시간 현황 사건"})
    page.goto("/staff/progress")
    assert page.url.endswith("/login?next=/staff/progress")
    submit_login(page, lawyer.email, lawyer.password)
    page.wait_for_url(f"{live.base_url}/staff/progress")
    response = page.reload()
    assert response is not None and response.status == 200
    assert response.headers["cache-control"] == "no-store"
    expect(page.get_by_role("heading", name="처리 현황")).to_be_visible()
    expect(page.get_by_test_id("live-indicator")).to_have_text("실시간 연결됨")
    expect(page.get_by_test_id("progress-empty")).to_be_visible()

    # A new upload starts (status `uploading`): the table shows it without a reload within 2 seconds.
    up = lawyer.api.data("POST", "/api/evidence/presigned-url", 201,
                         json={"case_id": case["id"], "filename": "실시간_확인.txt", "size": 10})
    started = time.monotonic()
    row = page.locator(f'tr[data-evidence-id="{up["evidence_id"]}"]')
    expect(row).to_be_visible(timeout=2_000)
    assert time.monotonic() - started <= 2.0
    expect(row).to_contain_text("실시간_확인.txt")
    expect(row).to_contain_text("업로드 중")
    expect(row.get_by_role("link", name="실시간 현황 사건")).to_be_visible()
    expect(page.locator('.counter[data-status="uploading"] .counter-value')).to_have_text("1")
    shot(page, "05_staff_progress")
    # It is withdrawn (deleted): the row leaves the table within 2 seconds.
    lawyer.api.data("DELETE", f"/api/evidence/{up['evidence_id']}")
    started = time.monotonic()
    expect(row).to_have_count(0, timeout=2_000)
    assert time.monotonic() - started <= 2.0
    expect(page.locator('.counter[data-status="uploading"] .counter-value')).to_have_text("0")


def test_a_second_lawyer_cannot_reach_the_first_lawyers_case(page: Page, lawyer: Person, admin: Api,
                                                             live: LehProcesses) -> None:
    from tests.conftest import make_user

    case = lawyer.api.data("POST", "/api/cases", 201, json={"title": "비공개 사건 A"})
    ev = lawyer.api.data("POST", f"/api/cases/{case['id']}/evidence", 201,
                         files={"file": ("비밀메모.txt", "2023년 12월 25일 비밀 메모".encode())})
    other = Person("second-" + lawyer.email, lawyer.password, make_user(admin, "second-" + lawyer.email))
    sign_in(page, other)
    expect(page.get_by_text("비공개 사건 A")).to_have_count(0)
    for path, message in ((f"/cases/{case['id']}", "사건을 찾을 수 없습니다"),
                          (f"/cases/{case['id']}/evidence/{ev['id']}", "증거를 찾을 수 없습니다")):
        response = page.goto(path)
        assert response is not None and response.status == 404, path
        expect(page.get_by_test_id("error-page")).to_contain_text(message)
        expect(page.get_by_text("비공개 사건 A")).to_have_count(0)
        expect(page.get_by_text("비밀메모.txt")).to_have_count(0)
    shot(page, "10_other_lawyer_404")
    cookie = {c["name"]: c["value"] for c in page.context.cookies()}
    stream = httpx.get(f"{live.base_url}/cases/{case['id']}/stream", cookies=cookie, timeout=5)
    assert stream.status_code == 204  # no live feed of someone else's case either
    # None of the case page's panels, nor a link to one of its segments, shows anything of it.
    base = f"{live.base_url}/cases/{case['id']}"
    for path in ("/timeline", "/search?q=%EB%B9%84%EB%B0%80", f"/segment?open={ev['id']}:0", "/draft", "/draft.docx",
                 f"?open={ev['id']}:0"):
        panel = httpx.get(base + path, cookies=cookie, headers={"hx-request": "true"}, timeout=10)
        assert panel.status_code == 404, path
        assert "비공개 사건 A" not in panel.text and "비밀 메모" not in panel.text and "비밀메모" not in panel.text, path
    token = {"x-csrf-token": cookie["leh_csrf"]}
    asked = httpx.post(base + "/ask", data={"question": "비밀 메모가 있나요?"}, cookies=cookie, headers=token, timeout=10)
    assert asked.status_code == 404
    # The owner's own panels that change something need the CSRF header (htmx sends it; a forged form does not).
    owner = {"leh_session": lawyer.api.token or "", "leh_csrf": "c" * 20}
    forged = httpx.post(base + "/ask", data={"question": "비밀 메모가 있나요?"}, cookies=owner, timeout=10)
    assert forged.status_code == 403 and "보안 토큰이 맞지 않습니다" in forged.text
    assert httpx.post(base + "/draft", cookies=owner, timeout=10).status_code == 403
    # A token of the caller's choosing, even echoed in the header, is not this session's (issue #15).
    planted = httpx.post(base + "/ask", data={"question": "비밀 메모가 있나요?"}, cookies=owner,
                         headers={"x-csrf-token": "c" * 20, "hx-request": "true"}, timeout=30)
    assert planted.status_code == 403
    # The session's own token comes with any page it renders.
    bound = httpx.get(base, cookies={"leh_session": owner["leh_session"]}, timeout=10).cookies["leh_csrf"]
    answered = httpx.post(base + "/ask", data={"question": "비밀 메모가 있나요?"}, timeout=30,
                          cookies={**owner, "leh_csrf": bound}, headers={"x-csrf-token": bound, "hx-request": "true"})
    assert answered.status_code == 200 and 'data-testid="ask-answer"' in answered.text
    page.goto("/staff/progress")
    expect(page.get_by_text("비밀메모.txt")).to_have_count(0)
