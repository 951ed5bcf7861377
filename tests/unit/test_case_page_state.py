"""The case page's URL state: what htmx pushes after a panel changes, and search snippets rendered safely."""

from __future__ import annotations

from starlette.requests import Request

from leh.web.pages.case_panels import marked, open_href, push_url, url_state


def _request(current_url: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "query_string": b"",
                    "headers": [(b"hx-current-url", current_url.encode())]})


def test_a_panel_replaces_only_its_part_of_the_url() -> None:
    page = "http://127.0.0.1:8000/cases/c1?ground=840-2&q=%EC%83%9D%ED%99%9C%EB%B9%84&open=e1%3A3&junk=1#seg-3"
    assert push_url(_request(page), "c1", {"ground": "840-3", "from": "2023-12-25"}) == (
        "/cases/c1?ground=840-3&from=2023-12-25&q=%EC%83%9D%ED%99%9C%EB%B9%84&open=e1%3A3")
    assert push_url(_request(page), "c1", {"q": "", "open": ""}) == "/cases/c1?ground=840-2"
    # Another page's query (or none) is never carried over into this case's URL.
    assert push_url(_request("http://127.0.0.1:8000/cases/c2?q=x"), "c1", {"ground": "840-1"}) == "/cases/c1?ground=840-1"
    assert push_url(_request(""), "c1", {}) == "/cases/c1"


def test_url_state_keeps_known_keys_trimmed() -> None:
    assert url_state({"ground": " 840-1 ", "q": "", "x": "y", "speaker": "김영희"}) == {"ground": "840-1", "speaker": "김영희"}
    assert open_href("c1", {"q": "폭언", "open": "old:1"}, "e2", 4).endswith("&open=e2%3A4#seg-4")


def test_snippets_keep_only_mark() -> None:
    html = str(marked('<mark>부숴버릴</mark> <script>alert(1)</script><b onclick="x">굵게</b>'))
    assert html.startswith("<mark>부숴버릴</mark>")
    assert "<script>" not in html and "<b" not in html and "&lt;script&gt;" in html
