"""The case page's panels on processed evidence: timeline filters, search, ask, complaint draft and its .docx."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import make_user
from tests.e2e.conftest import PASSWORD, Person, assert_no_browser_storage, shot, sign_in
from tests.e2e.files import kakao_android, kakao_pc
from tests.support.live import Api, LehProcesses

pytestmark = pytest.mark.e2e

NOT_IN_EVIDENCE = "제공된 증거 내에서 해당 사실을 확인할 수 없습니다."


@dataclass
class ProcessedCase:
    owner: Person
    case: dict[str, Any]
    evidence: dict[str, dict[str, Any]]  # by filename


@pytest.fixture(scope="module")
def processed(admin: Api, processing: LehProcesses) -> Iterator[ProcessedCase]:
    """A lawyer's case with four processed chat exports and a memo (grounds 840-2 and 840-3, three dates)."""
    email = f"panels-{uuid.uuid4().hex[:8]}@test.local"
    owner = Person(email, PASSWORD, make_user(admin, email, "lawyer", PASSWORD))
    # The parties tell LEH who the client is: the draft cites the opponent's (홍길동's) acts only.
    parties = {"client": {"name": "김영희", "aliases": []}, "opponent": {"name": "홍길동", "aliases": []}}
    case = owner.api.data("POST", "/api/cases", 201, json={"title": "김영희 v. 홍길동 (패널 확인)", "parties": parties})
    files = {
        "대화_1224.txt": kakao_pc(24, "홍길동", "생활비는 이제 안 줄 거야"),
        "대화_1225.txt": kakao_pc(25, "홍길동", "가만 안 둔다 다 부숴버릴 거야"),
        "대화_1226.txt": kakao_pc(26, "홍길동", "오늘도 늦게 들어간다"),
        "대화_안드로이드.txt": kakao_android(27, "집에 안 들어갈 거야"),
        "상담메모.txt": "2023년 12월 25일 밤 남편이 물건을 던지고 폭언을 했다고 의뢰인이 진술함.\n",
    }
    evidence = {}
    for name, text in files.items():
        ev = owner.api.data("POST", f"/api/cases/{case['id']}/evidence", 201, files={"file": (name, text.encode())})
        evidence[name] = ev
    for name, ev in evidence.items():
        evidence[name] = owner.api.wait_status(ev["id"], {"done"}, timeout=60)
    yield ProcessedCase(owner, case, evidence)


def _timeline(page: Page) -> list[dict[str, Any]]:
    return page.locator("#timeline-list > li").evaluate_all(
        """items => items.map(li => ({date: li.dataset.date, text: li.innerText,
                                     grounds: [...li.querySelectorAll('[data-ground]')].map(c => c.dataset.ground)}))""")


def _filters_of(url: str) -> dict[str, str]:
    query = parse_qs(urlsplit(url).query)
    return {k: v[0] for k, v in query.items() if k in ("ground", "type", "from", "to", "speaker")}


def _swap_timeline(page: Page, button: str) -> None:
    """Press a filter button and wait until the server's timeline panel has replaced the old one."""
    expect(page.locator("#timeline-status")).not_to_have_text("타임라인을 불러오는 중…")  # the page's own load
    page.evaluate("document.getElementById('timeline-panel').dataset.old = '1'")
    with page.expect_response(lambda r: "/timeline" in r.url):
        page.get_by_test_id("timeline-filters").get_by_role("button", name=button).click()
    expect(page.locator("#timeline-panel:not([data-old])")).to_have_count(1)


def _apply(page: Page, **values: str) -> None:
    """Reset the filters, set `values` and apply them; the server's answer puts them in the page's URL."""
    _swap_timeline(page, "초기화")
    assert _filters_of(page.url) == {}
    form = page.get_by_test_id("timeline-filters")
    for name, value in values.items():
        field = form.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    _swap_timeline(page, "적용")
    assert _filters_of(page.url) == values


def test_timeline_is_date_ordered_and_filters_by_date_ground_type_and_speaker(page: Page, processed: ProcessedCase) -> None:
    case_id = processed.case["id"]
    api_all = processed.owner.api.data("GET", f"/api/cases/{case_id}/timeline")
    sign_in(page, processed.owner, f"/cases/{case_id}")
    expect(page.locator("#timeline-list > li")).to_have_count(len(api_all))
    everything = _timeline(page)
    dates = [i["date"] for i in everything if i["date"]]
    assert dates == sorted(dates) and {"2023-12-24", "2023-12-25", "2023-12-26"} <= set(dates)
    shot(page, "06_case_timeline")

    _apply(page, **{"from": "2023-12-25", "to": "2023-12-25"})
    only_25 = _timeline(page)
    assert only_25 and {i["date"] for i in only_25} == {"2023-12-25"}
    assert any("가만 안 둔다" in i["text"] for i in only_25)
    assert len(only_25) == len(processed.owner.api.data("GET", f"/api/cases/{case_id}/timeline?from=2023-12-25&to=2023-12-25"))
    expect(page.locator("#timeline-status")).to_have_text(f"{len(only_25)}건")

    _apply(page, ground="840-2")
    neglect = _timeline(page)
    assert neglect and all("840-2" in i["grounds"] for i in neglect)
    assert any("생활비는 이제 안 줄 거야" in i["text"] for i in neglect)
    assert not any("가만 안 둔다" in i["text"] for i in neglect)

    _apply(page, ground="840-3", **{"from": "2023-12-25", "to": "2023-12-25"})
    abuse = _timeline(page)
    assert abuse and all("840-3" in i["grounds"] and i["date"] == "2023-12-25" for i in abuse)

    _apply(page, type="text")
    memos = _timeline(page)
    assert memos and all("상담메모.txt" in i["text"] for i in memos)

    # 27 Dec: 홍길동's "집에 안 들어갈 거야" is the event (840-2); 김영희's "알겠어" is no event of her own.
    _apply(page, speaker="홍길동", **{"from": "2023-12-27", "to": "2023-12-27"})
    assert [i["date"] for i in _timeline(page)] == ["2023-12-27"]
    _apply(page, speaker="김영희", **{"from": "2023-12-27", "to": "2023-12-27"})
    expect(page.locator("#timeline-list > li")).to_have_count(0)

    _apply(page, **{"from": "2030-01-01"})
    expect(page.locator("#timeline-list > li")).to_have_count(0)
    expect(page.locator("#timeline-status")).to_have_text("조건에 맞는 내용이 없습니다.")


def test_search_highlights_matches_and_links_to_the_segment(page: Page, processed: ProcessedCase) -> None:
    case_id = processed.case["id"]
    sign_in(page, processed.owner, f"/cases/{case_id}")
    page.get_by_placeholder("예: 폭언, 생활비, 12월 25일").fill("부숴버릴")
    page.locator("#search-form").get_by_role("button", name="검색").click()
    results = page.get_by_test_id("search-results").locator("li")
    # The server's first search loads Kiwi for the query (seconds on a loaded 2-core machine), as ask's does.
    expect(results).to_have_count(1, timeout=30_000)
    expect(results.locator("mark")).to_have_text("부숴버릴")
    expect(results).to_contain_text("대화_1225.txt")
    expect(page.locator("#search-status")).to_have_text("‘부숴버릴’ 검색 결과 1건")
    shot(page, "07_case_search")
    results.get_by_role("link", name="대화_1225.txt").click()
    page.wait_for_url(f"**/cases/{case_id}/evidence/{processed.evidence['대화_1225.txt']['id']}?seq=0#seg-0")
    expect(page.locator("#seg-0")).to_contain_text("가만 안 둔다 다 부숴버릴 거야")
    expect(page.locator("#seg-0")).to_have_class("seg seg-labelled ")
    page.go_back()
    page.get_by_placeholder("예: 폭언, 생활비, 12월 25일").fill("비행기표")
    page.locator("#search-form").get_by_role("button", name="검색").click()
    expect(page.locator("#search-status")).to_have_text("‘비행기표’에 맞는 증거가 없습니다.")


def test_ask_answers_only_from_evidence_with_citations(page: Page, processed: ProcessedCase) -> None:
    sign_in(page, processed.owner, f"/cases/{processed.case['id']}")
    ask = page.locator("#ask-form")
    ask.locator("textarea").fill("생활비를 안 준다고 한 적이 있나요?")
    ask.get_by_role("button", name="질문하기").click()
    answer = page.get_by_test_id("ask-answer")
    # The first question after a server start also loads the Korean morphology model.
    expect(answer).to_contain_text("생활비는 이제 안 줄 거야", timeout=30_000)
    expect(answer.get_by_role("link", name="대화_1224.txt")).to_have_attribute(
        "href", f"/cases/{processed.case['id']}/evidence/{processed.evidence['대화_1224.txt']['id']}?seq=0#seg-0")
    ask.locator("textarea").fill("남편이 해외여행을 간 적이 있나요?")
    ask.get_by_role("button", name="질문하기").click()
    expect(answer.locator("p")).to_have_text(NOT_IN_EVIDENCE)
    expect(answer.get_by_role("link")).to_have_count(0)


def test_draft_generate_history_and_docx_download(page: Page, processed: ProcessedCase) -> None:
    from docx import Document

    empty = processed.owner.api.data("POST", "/api/cases", 201, json={"title": "증거 없는 사건"})
    sign_in(page, processed.owner, f"/cases/{empty['id']}")
    no_evidence = "분석할 증거가 없습니다. 증거를 먼저 업로드해주세요."
    expect(page.locator("#draft-status")).to_have_text(no_evidence)
    with page.expect_response(lambda r: r.url.endswith("/draft") and r.request.method == "POST") as posted:
        page.get_by_test_id("draft-generate").click()
    assert posted.value.status == 400
    expect(page.locator("#draft-status")).to_have_text(no_evidence)
    expect(page.locator("#draft-status")).to_have_class("panel-status muted small is-error")
    expect(page.get_by_test_id("draft-preview")).to_be_hidden()

    page.goto(f"/cases/{processed.case['id']}")
    expect(page.locator("#draft-status")).to_have_text("아직 생성한 초안이 없습니다.")
    page.get_by_label("위자료").check()
    page.get_by_test_id("draft-generate").click()
    preview = page.get_by_test_id("draft-preview")
    expect(preview.locator("h3", has_text="청구취지")).to_be_visible()
    expect(preview).to_contain_text("피고는 원고에게 위자료로")
    expect(preview).to_contain_text("갑 제1호증")
    expect(page.locator("#draft-status")).to_have_text("초안을 만들었습니다. 변호사의 검토 후 사용하세요.")
    expect(page.locator("#draft-history-list > li")).to_have_count(1)
    shot(page, "08_case_draft")
    # The draft is read at a page's width under both columns, not in the narrow side column (QA read D7) …
    grid, section = page.locator(".case-grid").bounding_box(), page.locator("#draft").bounding_box()
    side = page.locator(".col-side").bounding_box()
    assert grid and section and side and section["width"] >= 0.95 * grid["width"] and section["y"] >= side["y"] + side["height"]
    box = preview.bounding_box()
    assert box and box["width"] >= 600
    # … and each line of the parties block stays one line (the note under it wraps as prose).
    heights = preview.locator(".draft-sec-parties p:not(.draft-hint)").evaluate_all(
        "ps => ps.map(p => p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight))")
    assert heights and all(h < 1.5 for h in heights)
    # The date filters show a Korean date hint whatever the browser's locale (no native mm/dd/yyyy field), and
    # still filter (QA read D11).
    start = page.get_by_test_id("filter-from")
    assert start.get_attribute("type") == "text" and start.get_attribute("placeholder") == "YYYY-MM-DD"
    assert start.get_attribute("lang") == "ko"
    _apply(page, **{"from": "2023-12-25", "to": "2023-12-25"})
    assert {i["date"] for i in _timeline(page)} == {"2023-12-25"}

    with page.expect_download() as info:
        page.get_by_test_id("draft-download").click()
    download = info.value
    assert download.suggested_filename.startswith("소장초안_") and download.suggested_filename.endswith(".docx")
    data = Path(download.path()).read_bytes()
    assert data[:2] == b"PK"
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "청구취지" in text and "피고는 원고에게 위자료로" in text and "갑 제1호증" in text

    # A second version appears in the history; the page shows the latest again after a reload.
    page.get_by_label("위자료").uncheck()
    page.get_by_test_id("draft-generate").click()
    expect(page.locator("#draft-history-list > li")).to_have_count(2)
    page.reload()
    expect(page.locator("#draft-history-list > li")).to_have_count(2)
    expect(page.get_by_test_id("draft-preview")).to_contain_text("청구취지")
    expect(page.get_by_test_id("draft-kind")).to_have_count(0)  # a plaintiff client: nothing to choose

    # A defendant client's lawyer chooses between 반소장 and 답변서; the answer's download is named for it.
    parties = {"client": {"name": "김영희", "aliases": []}, "opponent": {"name": "홍길동", "aliases": []},
               "client_side": "defendant"}
    sued = processed.owner.api.data("POST", "/api/cases", 201, json={"title": "피고 사건 (답변서)", "parties": parties})
    ev = processed.owner.api.data("POST", f"/api/cases/{sued['id']}/evidence", 201,
                                  files={"file": ("대화.txt", kakao_pc(25, "홍길동", "가만 안 둔다 다 부숴버릴 거야").encode())})
    processed.owner.api.wait_status(ev["id"], {"done"}, timeout=60)
    page.goto(f"/cases/{sued['id']}")
    kinds = page.get_by_test_id("draft-kind")
    expect(kinds.get_by_label("반소장")).to_be_checked()
    kinds.get_by_label("답변서").check()
    page.get_by_test_id("draft-generate").click()
    expect(preview.locator(".draft-title")).to_have_text("답  변  서")
    expect(preview).to_contain_text("1. 원고의 청구를 기각한다.")
    expect(preview).to_contain_text("을 제1호증")
    expect(page.get_by_test_id("draft-kind").get_by_label("답변서")).to_be_checked()
    expect(page.locator("#draft-history-list > li")).to_contain_text("답변서")
    with page.expect_download() as info:
        page.get_by_test_id("draft-download").click()
    assert info.value.suggested_filename.startswith("답변서초안_")


def test_timeline_filters_live_in_the_url_for_reload_and_back(page: Page, processed: ProcessedCase) -> None:
    case_id = processed.case["id"]
    sign_in(page, processed.owner, f"/cases/{case_id}")
    _apply(page, ground="840-2")
    neglect = _timeline(page)
    assert neglect and all("840-2" in i["grounds"] for i in neglect)

    # Another filter without resetting: the URL changes with it, and a reload shows the same filtered timeline.
    page.get_by_test_id("timeline-filters").locator('[name="ground"]').select_option("840-3")
    _swap_timeline(page, "적용")
    assert _filters_of(page.url) == {"ground": "840-3"}
    abuse = _timeline(page)
    assert abuse and all("840-3" in i["grounds"] for i in abuse) and abuse != neglect
    page.reload()
    expect(page.get_by_test_id("timeline-filters").locator('[name="ground"]')).to_have_value("840-3")
    expect(page.locator("#timeline-list > li")).to_have_count(len(abuse))
    assert _timeline(page) == abuse

    # Back restores the previous filter (rendered by the server again: nothing of the page is cached).
    page.go_back()
    expect(page.get_by_test_id("timeline-filters").locator('[name="ground"]')).to_have_value("840-2")
    assert _filters_of(page.url) == {"ground": "840-2"}
    expect(page.locator("#timeline-list > li")).to_have_count(len(neglect))
    assert _timeline(page) == neglect
    page.go_forward()
    expect(page.get_by_test_id("timeline-filters").locator('[name="ground"]')).to_have_value("840-3")
    expect(page.locator("#timeline-list > li")).to_have_count(len(abuse))
    assert_no_browser_storage(page)


def test_a_shared_search_link_shows_its_results(page: Page, processed: ProcessedCase) -> None:
    case_id = processed.case["id"]
    sign_in(page, processed.owner, f"/cases/{case_id}?q={quote('부숴버릴')}")
    results = page.get_by_test_id("search-results").locator("li")
    # The server's first search loads Kiwi for the query (seconds on a loaded 2-core machine), as ask's does.
    expect(results).to_have_count(1, timeout=30_000)
    expect(results.locator("mark")).to_have_text("부숴버릴")
    expect(page.locator("#search-status")).to_have_text("‘부숴버릴’ 검색 결과 1건")
    expect(page.locator("#search-q")).to_have_value("부숴버릴")

    # A search typed on the page goes into the URL too, beside the timeline filters, and survives a reload.
    _apply(page, ground="840-2")
    page.locator("#search-q").fill("생활비")
    with page.expect_response(lambda r: "/search?" in r.url):
        page.locator("#search-form").get_by_role("button", name="검색").click()
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("q") == ["생활비"])
    assert _filters_of(page.url) == {"ground": "840-2"}
    page.reload()
    expect(page.locator("#search-results li").first).to_contain_text("생활비")
    expect(page.locator("#search-status")).to_contain_text("‘생활비’ 검색 결과")
    expect(page.get_by_test_id("timeline-filters").locator('[name="ground"]')).to_have_value("840-2")


def test_an_open_segment_link_shows_that_segment(page: Page, processed: ProcessedCase) -> None:
    case_id = processed.case["id"]
    evidence_id = processed.evidence["대화_1225.txt"]["id"]
    sign_in(page, processed.owner, f"/cases/{case_id}")
    page.goto(f"/cases/{case_id}?open={evidence_id}:0#seg-0")
    opened = page.get_by_test_id("open-segment")
    expect(opened).to_contain_text("대화_1225.txt")
    expect(opened.locator("#seg-0")).to_contain_text("가만 안 둔다 다 부숴버릴 거야")
    expect(opened.locator("#seg-0")).to_have_class(re.compile(r"\bseg-open\b"))
    assert page.evaluate("document.querySelector(':target').id") == "seg-0"
    shot(page, "09_case_open_segment")

    # Closing it takes it out of the URL; opening one from a search result puts it back, and reload keeps it.
    opened.get_by_role("link", name="닫기").click()
    expect(opened).to_have_count(0)
    page.wait_for_url(lambda url: "open=" not in url)
    page.locator("#search-q").fill("생활비")
    page.locator("#search-form").get_by_role("button", name="검색").click()
    hit = page.get_by_test_id("search-results").locator("li").filter(has_text="대화_1224.txt")
    hit.get_by_role("link", name="미리보기").click()
    expect(opened).to_contain_text("생활비는 이제 안 줄 거야")
    other_id = processed.evidence["대화_1224.txt"]["id"]
    page.wait_for_url(lambda url: (parse_qs(urlsplit(url).query).get("open") or [""])[0].startswith(other_id + ":")
                      and "q=" in url)
    page.reload()
    expect(page.get_by_test_id("open-segment")).to_contain_text("생활비는 이제 안 줄 거야")
    expect(page.get_by_test_id("search-results").locator("li")).not_to_have_count(0)

    # Someone else's evidence id in the link: the panel says it is not found, the page itself works.
    page.goto(f"/cases/{case_id}?open=nope:0")
    expect(page.get_by_test_id("open-segment")).to_contain_text("증거를 찾을 수 없습니다")
    expect(page.get_by_test_id("case-title")).to_be_visible()
