"""Who is who in the browser: parties on the case page, the unfavourable-evidence (risks) panel, the speaker map and
label corrections on the evidence page, the duplicate notice, and case members managed by the owner."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.conftest import make_user
from tests.e2e.conftest import PASSWORD, Person, shot, sign_in
from tests.e2e.files import png
from tests.support.live import Api, LehProcesses

pytestmark = pytest.mark.e2e

CLIENT, OPPONENT = "이지은", "김준호"
OPPONENT_THREAT = "한 번만 더 그 얘기 하면 죽여버린다"
CLIENT_THREAT = "여보 나도 너 죽여버릴거야"
CALM = "오늘은 일찍 자"
# Both spouses threaten each other; the client's messages carry her KakaoTalk display name, one of her aliases.
MUTUAL = f"""{OPPONENT} 님과 카카오톡 대화
저장한 날짜 : 2024-03-05 09:12:44

--------------- 2024년 3월 2일 토요일 ---------------
[{OPPONENT}] [오후 10:18] {OPPONENT_THREAT}
[지은❤️] [오후 10:40] {CLIENT_THREAT}
[{OPPONENT}] [오후 10:45] {CALM}
"""
CHAT = "카톡_서로협박.txt"


def _seg(page: Page, text: str):  # type: ignore[no-untyped-def]
    return page.locator("ol.segments > li.seg").filter(has=page.locator("p.seg-text", has_text=text))


def _seq(page: Page, text: str) -> int:
    return int(str(_seg(page, text).get_attribute("id")).removeprefix("seg-"))


@pytest.fixture
def second(browser: Browser, live: LehProcesses) -> Iterator[BrowserContext]:
    """A second browser (another person's cookies)."""
    ctx = browser.new_context(base_url=live.base_url, locale="ko-KR", timezone_id="Asia/Seoul",
                              viewport={"width": 390, "height": 844})
    ctx.set_default_timeout(15_000)
    try:
        yield ctx
    finally:
        ctx.close()


def test_parties_risks_speakers_label_corrections_and_duplicates(
        page: Page, lawyer: Person, processing: LehProcesses) -> None:
    case = lawyer.api.data("POST", "/api/cases", 201, json={"title": "이지은 v. 김준호 (당사자 확인)"})
    base = f"/cases/{case['id']}"
    sign_in(page, lawyer, base)
    panel = page.get_by_test_id("parties-panel")
    expect(panel.get_by_test_id("party-client")).to_have_text("입력 전")

    # The same alias on both sides is refused beside the form, in Korean; the typed values stay.
    panel.get_by_test_id("parties-edit").click()
    form = panel.get_by_test_id("parties-form")
    form.locator("[name=client_name]").fill(CLIENT)
    form.locator("[name=client_aliases]").fill("지은❤️, 남편")
    form.locator("[name=opponent_name]").fill(OPPONENT)
    form.locator("[name=opponent_aliases]").fill("남편")
    form.locator("[name=child_name_0]").fill("김하늘")
    form.locator("[name=child_year_0]").fill("2016")
    form.get_by_test_id("parties-save").click()
    expect(panel.get_by_test_id("parties-error")).to_contain_text("의뢰인과 상대방에 모두 있습니다")
    expect(form.locator("[name=client_name]")).to_have_value(CLIENT)
    shot(page, "who-parties-error")
    form.locator("[name=client_aliases]").fill("지은❤️, 아내")
    form.get_by_test_id("parties-save").click()
    expect(panel.get_by_test_id("parties-notice")).to_contain_text("당사자를 저장했습니다")
    expect(panel.get_by_test_id("party-client")).to_contain_text(f"{CLIENT} 별칭: 지은❤️, 아내")
    expect(panel.get_by_test_id("party-opponent")).to_contain_text(OPPONENT)
    expect(panel).to_contain_text("김하늘 (2016년생)")
    expect(page.get_by_test_id("risks-empty")).to_be_visible()
    assert lawyer.api.data("GET", f"/api/cases/{case['id']}/parties")["client"] == {"name": CLIENT, "aliases": ["지은❤️", "아내"]}

    # A chat where both spouses threaten: the risks panel (live, no reload) lists the client's threat only.
    chat = lawyer.api.data("POST", f"/api/cases/{case['id']}/evidence", 201, files={"file": (CHAT, MUTUAL.encode())})
    lawyer.api.wait_status(chat["id"], {"done"}, timeout=60)
    risks = page.get_by_test_id("risks-list")
    expect(risks).to_contain_text(CLIENT_THREAT, timeout=20_000)
    expect(risks).not_to_contain_text(OPPONENT_THREAT)
    expect(risks).to_contain_text("의뢰인의 행위 · 불리한 증거")
    expect(page.get_by_test_id("risks-note")).to_contain_text("불리한 증거 1건")
    for width, height, name in ((1366, 900, "who-case-desktop"), (390, 844, "who-case-phone")):
        page.set_viewport_size({"width": width, "height": height})
        shot(page, name)
    page.set_viewport_size({"width": 1366, "height": 900})

    # The risk links to its segment on the evidence page, where every label says who did what and for whom.
    risks.get_by_test_id("risk-link").first.click()
    page.wait_for_url(re.compile(r"/evidence/.+#seg-\d+$"))
    mine, theirs, calm = _seq(page, CLIENT_THREAT), _seq(page, OPPONENT_THREAT), _seq(page, CALM)
    expect(_seg(page, CLIENT_THREAT).get_by_test_id("label-who")).to_have_text("의뢰인의 행위 · 불리한 증거")
    expect(_seg(page, OPPONENT_THREAT).get_by_test_id("label-who")).to_have_text("상대방의 행위 · 의뢰인에게 유리")
    expect(_seg(page, OPPONENT_THREAT).get_by_test_id("seg-label")).to_contain_text("엔진")
    expect(_seg(page, CLIENT_THREAT).get_by_test_id("seg-fix")).to_have_count(0)  # an export is the exhibit itself
    for width, height, name in ((1366, 900, "who-evidence-desktop"), (390, 844, "who-evidence-phone")):
        page.set_viewport_size({"width": width, "height": height})
        shot(page, name)
    page.set_viewport_size({"width": 1366, "height": 900})

    # Flip who the display name is: the same label is now the opponent's act (re-derived, not re-parsed).
    page.locator("[data-testid=speaker-party][data-speaker='지은❤️']").select_option("opponent")
    page.locator(f"[data-testid=speaker-party][data-speaker='{OPPONENT}']").select_option("client")
    page.get_by_test_id("speakers-confirm").click()
    expect(page.get_by_test_id("who-notice")).to_contain_text("화자 확인을 저장했습니다")
    expect(_seg(page, CLIENT_THREAT).get_by_test_id("label-who")).to_have_text("상대방의 행위 · 의뢰인에게 유리")
    expect(_seg(page, OPPONENT_THREAT).get_by_test_id("label-who")).to_have_text("의뢰인의 행위 · 불리한 증거")
    expect(page.locator("[data-testid=speaker-party][data-speaker='지은❤️']")).to_have_value("opponent")

    # Reject the label on one segment: it leaves the segment and the case timeline.
    page.goto(base)
    timeline = page.get_by_test_id("timeline-list")
    expect(timeline.locator(f"a[href$='?seq={mine}#seg-{mine}']")).to_have_count(1)
    page.goto(f"{base}/evidence/{chat['id']}")
    _seg(page, CLIENT_THREAT).get_by_test_id("label-reject").click()
    expect(page.get_by_test_id("who-notice")).to_contain_text("라벨 수정을 저장했습니다")
    expect(_seg(page, CLIENT_THREAT).get_by_test_id("seg-label")).to_have_count(0)
    page.goto(base)
    expect(timeline.locator(f"a[href$='?seq={theirs}#seg-{theirs}']")).to_have_count(1)
    expect(timeline.locator(f"a[href$='?seq={mine}#seg-{mine}']")).to_have_count(0)

    # Add a label by hand: it appears on the segment as the lawyer's, and on the timeline.
    page.goto(f"{base}/evidence/{chat['id']}")
    add = page.get_by_test_id("label-add")
    add.get_by_test_id("label-add-ground").select_option("840-6")
    add.get_by_test_id("label-add-segments").fill("x")
    add.get_by_role("button", name="라벨 추가").click()
    expect(page.get_by_test_id("who-error")).to_contain_text("구간 번호는 숫자로")
    add.get_by_test_id("label-add-ground").select_option("840-6")
    add.get_by_test_id("label-add-segments").fill(str(calm))
    add.get_by_role("button", name="라벨 추가").click()
    expect(page.get_by_test_id("who-notice")).to_contain_text("라벨 수정을 저장했습니다")
    added = _seg(page, CALM).get_by_test_id("seg-label")
    expect(added).to_contain_text("840-6")
    expect(added).to_contain_text("변호사")
    page.goto(base)
    expect(timeline.locator(f"a[href$='?seq={calm}#seg-{calm}']")).to_have_count(1)

    # The same file again: the notice names the original, links to it, and offers the delete flow.
    again = lawyer.api.data("POST", f"/api/cases/{case['id']}/evidence", 201, files={"file": ("다시_올림.txt", MUTUAL.encode())})
    lawyer.api.wait_status(again["id"], {"done"}, timeout=60)
    page.goto(f"{base}/evidence/{again['id']}")
    notice = page.get_by_test_id("duplicate-notice")
    expect(notice).to_contain_text(f"이미 올린 파일과 같은 내용입니다 (원본: {CHAT})")
    expect(notice.get_by_test_id("duplicate-link")).to_have_attribute("href", f"{base}/evidence/{chat['id']}")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "who-duplicate-phone")
    notice.get_by_test_id("duplicate-delete").click()
    expect(page.get_by_test_id("delete-confirm-text")).to_be_visible()
    page.get_by_test_id("delete-confirm").click()
    page.wait_for_url(re.compile(r"notice=deleted"))
    lawyer.api.call("GET", f"/api/evidence/{again['id']}", 404)


def _htmx_settled(page: Page) -> None:
    """Wait until no htmx request, swap or settle is under way (new content then has its listeners)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')")


def test_owner_manages_members_and_a_viewer_sees_no_edit_controls(
        page: Page, second: BrowserContext, admin: Api, lawyer: Person, processing: LehProcesses) -> None:
    case = lawyer.api.data("POST", "/api/cases", 201, json={"title": "구성원 관리 사건"})
    chat = lawyer.api.data("POST", f"/api/cases/{case['id']}/evidence", 201, files={"file": (CHAT, MUTUAL.encode())})
    photo = lawyer.api.data("POST", f"/api/cases/{case['id']}/evidence", 201,
                            files={"file": ("진단서_사진.png", png("상해진단서 전치 3주"), "image/png")})
    base = f"/cases/{case['id']}"
    email = f"colleague-{uuid.uuid4().hex[:8]}@test.local"
    colleague = Person(email, PASSWORD, make_user(admin, email, "staff", PASSWORD))
    sign_in(page, lawyer, base)
    members = page.get_by_test_id("members-panel")
    add = members.get_by_test_id("member-add")

    # An unknown address is invited with the same words a known one gets (issue #15: no account enumeration).
    add.locator("[name=email]").fill(f"nobody-{uuid.uuid4().hex[:6]}@test.local")
    add.get_by_role("button", name="구성원 추가").click()
    expect(members.get_by_test_id("members-notice")).to_have_text("구성원을 추가했습니다.")

    add = members.get_by_test_id("member-add")
    add.locator("[name=email]").fill(email.upper())
    add.locator("select[name=role]").select_option("member")
    add.get_by_role("button", name="구성원 추가").click()
    expect(members.get_by_test_id("members-notice")).to_have_text("구성원을 추가했습니다.")
    row = members.locator(f"li[data-email='{email}']")
    expect(row.get_by_test_id("member-role")).to_have_value("member")
    _htmx_settled(page)  # the swapped-in form listens for `change` only once htmx has processed it
    row.get_by_test_id("member-role").select_option("viewer")
    expect(members.get_by_test_id("members-notice")).to_have_text("역할을 바꿨습니다.")
    assert {m["email"]: m["role"] for m in lawyer.api.data("GET", f"/api/cases/{case['id']}/members")}[email] == "viewer"
    shot(page, "who-members")
    # The last owner cannot give the case away by changing their own role.
    me = members.locator(f"li[data-email='{lawyer.email}']")
    _htmx_settled(page)
    me.get_by_test_id("member-role").select_option("viewer")
    expect(members.get_by_test_id("members-error")).to_contain_text("마지막 담당자")
    expect(members.locator(f"li[data-email='{lawyer.email}']").get_by_test_id("member-role")).to_have_value("owner")

    # An OCR line is corrected in place; the engine's reading stays beside it behind 원문.
    lawyer.api.wait_status(photo["id"], {"done"}, timeout=60)
    page.goto(f"{base}/evidence/{photo['id']}")
    line = page.locator("ol.segments > li.seg").first
    read = line.locator("p.seg-text").first.inner_text()
    line.get_by_test_id("seg-fix").click()
    line.get_by_test_id("seg-fix-form").locator("textarea").fill("상해진단서 전치 4주 (변호사 확인)")
    line.get_by_role("button", name="저장").click()
    expect(page.get_by_test_id("who-notice")).to_contain_text("문장 수정을 저장했습니다")
    expect(line.locator("p.seg-text").first).to_have_text("상해진단서 전치 4주 (변호사 확인)")
    line.get_by_test_id("seg-original").locator("summary").click()
    expect(line.get_by_test_id("seg-original").locator("p")).to_have_text(read)
    page.goto(base)

    # The viewer (on a phone) sees the case, the parties and the members, and no control that changes anything.
    lawyer.api.wait_status(chat["id"], {"done"}, timeout=60)
    viewer = second.new_page()
    sign_in(viewer, colleague, base)
    expect(viewer.get_by_test_id("parties-view")).to_be_visible()
    expect(viewer.get_by_test_id("member-list")).to_contain_text(lawyer.email)
    expect(viewer.get_by_test_id("member-role-text").first).to_be_visible()
    for testid in ("parties-edit", "member-add", "member-role", "member-remove", "dropzone"):
        expect(viewer.get_by_test_id(testid)).to_have_count(0)
    viewer.goto(f"{base}/evidence/{chat['id']}")
    expect(viewer.get_by_test_id("seg-label").first).to_be_visible()
    for testid in ("speakers-form", "label-reject", "label-add", "seg-fix", "delete-evidence"):
        expect(viewer.get_by_test_id(testid)).to_have_count(0)

    # The owner removes them (after the confirm); the list no longer shows them and their page is gone.
    page.once("dialog", lambda d: d.accept())
    members.locator(f"li[data-email='{email}']").get_by_test_id("member-remove").click()
    expect(members.get_by_test_id("members-notice")).to_have_text("구성원을 사건에서 제외했습니다.")
    expect(members.locator(f"li[data-email='{email}']")).to_have_count(0)
    viewer.goto(base)
    expect(viewer.locator("h1")).to_contain_text("페이지를 찾을 수 없습니다")
