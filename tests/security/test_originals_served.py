"""Issue #15, High 1: an uploaded original never acts in LEH's origin, whichever way it is served.

In-process checks of every object response's headers; tests/e2e/test_original_files.py opens the same kinds of
files in Chromium as the case owner.
"""

from __future__ import annotations

import re

from leh.container import Container
from tests.conftest import make_user
from tests.support.live import Api

HTML = b"<html><script src='/static/vendor/htmx.min.js'></script><body hx-get='/api/auth/me' hx-trigger='load'></body>"
SVG = b"<svg xmlns='http://www.w3.org/2000/svg'><script>document.title='PWNED'</script></svg>"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _assert_never_runs(resp_headers: dict[str, str] | object) -> None:
    h = resp_headers
    csp = h["content-security-policy"]  # type: ignore[index]
    assert csp.startswith("sandbox") and "default-src 'none'" in csp and "script-src 'none'" in csp
    assert h["x-content-type-options"] == "nosniff"  # type: ignore[index]


def _upload(api: Api, case_id: str, name: str, body: bytes, ctype: str) -> dict:
    return api.data("POST", f"/api/cases/{case_id}/evidence", 201, files={"file": (name, body, ctype)})


def test_active_content_is_an_attachment_of_no_executable_type(app_admin_api: Api) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    case = owner.data("POST", "/api/cases", 201, json={"title": "원본 사건"})
    for name, body, ctype in [("evil.html", HTML, "text/html"), ("evil.svg", SVG, "image/svg+xml"),
                              ("evil.js", b"document.title='PWNED'", "application/javascript"),
                              ("evil.xml", b"<?xml version='1.0'?><x/>", "text/xml")]:
        ev = _upload(owner, case["id"], name, body, ctype)
        url = owner.data("GET", f"/api/evidence/{ev['id']}")["download_url"]
        for dest in ("document", "iframe", "image", "script", None):
            resp = owner.http.get(url, headers={"Sec-Fetch-Dest": dest} if dest else {})
            assert resp.status_code == 200 and resp.content == body
            assert resp.headers["content-type"] == "application/octet-stream", (name, resp.headers["content-type"])
            assert resp.headers["content-disposition"].startswith("attachment;"), name
            _assert_never_runs(resp.headers)


def test_inline_preview_only_for_raster_media_detected_from_the_bytes(app_admin_api: Api, container: Container) -> None:
    owner = make_user(app_admin_api, "owner@test.local")
    case = owner.data("POST", "/api/cases", 201, json={"title": "사진 사건"})
    photo = _upload(owner, case["id"], "photo.png", PNG, "image/png")
    fake = _upload(owner, case["id"], "fake.png", SVG, "image/png")  # an SVG named .png
    container.evidence.update(photo["id"], {"mime": "image/png", "type": "image"})  # what the worker detects
    container.evidence.update(fake["id"], {"mime": "image/svg+xml", "type": "image"})

    page = owner.page(f"/cases/{case['id']}/evidence/{photo['id']}")
    preview = re.search(r'<img src="([^"]+)"[^>]*data-testid="original-image"', page)
    link = re.search(r'href="([^"]+)"[^>]*data-testid="original-link"', page)
    assert preview and link and preview.group(1) != link.group(1)
    shown = owner.http.get(preview.group(1).replace("&amp;", "&"), headers={"Sec-Fetch-Dest": "image"})
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/png"
    assert shown.headers["content-disposition"].startswith("inline;")
    _assert_never_runs(shown.headers)
    # The same preview URL opened as a page (a click, a typed address) downloads instead.
    navigated = owner.http.get(preview.group(1), headers={"Sec-Fetch-Dest": "document"})
    assert navigated.headers["content-disposition"].startswith("attachment;")
    # The download link is an attachment even for an image.
    assert owner.http.get(link.group(1)).headers["content-disposition"].startswith("attachment;")

    page = owner.page(f"/cases/{case['id']}/evidence/{fake['id']}")
    assert 'data-testid="original-image"' not in page  # SVG is never previewed
    link = re.search(r'href="([^"]+)"[^>]*data-testid="original-link"', page)
    assert link
    resp = owner.http.get(link.group(1), headers={"Sec-Fetch-Dest": "image"})
    assert resp.headers["content-type"] == "application/octet-stream"
    assert resp.headers["content-disposition"].startswith("attachment;")


def test_object_errors_carry_the_sandbox_too(app_admin_api: Api) -> None:
    resp = app_admin_api.http.get("/api/objects/not-a-token")
    assert resp.status_code == 403
    _assert_never_runs(resp.headers)


def test_page_csp_allows_no_plugins_foreign_forms_or_base_and_request_ids_are_checked(app_admin_api: Api) -> None:
    resp = app_admin_api.call("GET", "/api/auth/me", 200, headers={"X-Request-ID": "<script>x</script>"})
    csp = resp.headers["content-security-policy"]
    assert "object-src 'none'" in csp and "form-action 'self'" in csp and "base-uri 'none'" in csp
    assert re.fullmatch(r"[0-9a-f]{32}", resp.headers["x-request-id"])
    ok = app_admin_api.call("GET", "/api/auth/me", 200, headers={"X-Request-ID": "trace-42.a_b"})
    assert ok.headers["x-request-id"] == "trace-42.a_b"
