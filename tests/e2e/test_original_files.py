"""Issue #15, High 1, in Chromium: uploaded files never run in LEH's origin, whichever way an original is served.

A staff member of the owner's case uploads what an attacker would: an HTML page that loads htmx and the other
uploads as scripts and tries an authenticated action (create a case through the owner's session), an SVG with
script, a .js and a GIF/JS polyglot. The owner opens each one every way LEH serves an original — the evidence
page (preview and 원본 link), the download URL typed into the address bar, the preview URL, and the uploads as
<script>/<iframe> of a page in LEH's own origin. Nothing runs: no title changes, no case is created, and the audit
log holds no action by the owner that the owner did not take.
"""

from __future__ import annotations

import contextlib
import uuid

from playwright.sync_api import BrowserContext, Error, Page, expect

from tests.conftest import make_user
from tests.e2e.conftest import PASSWORD, Person, sign_in
from tests.support.live import Api, LehProcesses

# What a payload does when it runs: mark the page, and act as the viewer through the API and the web form.
JS = """document.title = 'PWNED-{tag}';
(function () {{
  var csrf = (document.cookie.match(/leh_csrf=([^;]+)/) || [])[1] || '';
  fetch('/api/auth/me').then(function (r) {{ return r.text(); }}).then(function (t) {{ document.title = 'PWNED-{tag} ' + t; }});
  fetch('/api/cases', {{method: 'POST', headers: {{'Content-Type': 'application/json', 'X-CSRF-Token': csrf}},
                        body: JSON.stringify({{title: 'PWNED-{tag}'}})}});
}})();
"""


def _polyglot_gif() -> bytes:
    # A GIF header whose bytes are also the start of a JavaScript comment: `GIF89a/*…*/=1; payload`.
    return b"GIF89a/*\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00" \
           b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;*/=1;" + JS.format(tag="gif").encode()


def _html(script_paths: list[str]) -> bytes:
    scripts = "".join(f'<script src="{p}"></script>' for p in script_paths)
    return f"""<!doctype html><html><head><title>보고서</title>
<script src="/static/vendor/htmx.min.js"></script>{scripts}</head><body>
<form hx-post="/cases" hx-trigger="load delay:700ms" hx-swap="none">
  <input name="title" value="PWNED-html">
  <div hx-get="/cases" hx-trigger="load" hx-select="input[name=csrf_token]" hx-swap="outerHTML"></div>
</form><p>보고서</p></body></html>""".encode()


SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" onload="document.title='PWNED-svg-onload'">
<script href="/static/vendor/htmx.min.js"/><script>document.title='PWNED-svg'</script></svg>"""


def _upload(api: Api, case_id: str, name: str, body: bytes, ctype: str) -> dict:
    return api.data("POST", f"/api/cases/{case_id}/evidence", 201, files={"file": (name, body, ctype)})


def _path(url: str) -> str:
    return url[url.index("/api/objects/"):]


def _open_by_address(page: Page, url: str) -> None:
    """Type the URL into the address bar: a download (Playwright reports it as an error) or a page."""
    with contextlib.suppress(Error), page.expect_download(timeout=5000):  # rendered instead: checked below
        try:
            page.goto(url)
        except Error as exc:
            assert "Download is starting" in str(exc), exc


def test_uploaded_files_never_run_for_the_case_owner(context: BrowserContext, page: Page, lawyer: Person, admin: Api,
                                                     processing: LehProcesses) -> None:
    owner = lawyer
    case = owner.api.data("POST", "/api/cases", 201, json={"title": "원본 실행 시험"})
    cid = case["id"]
    attacker_email = f"staff-{uuid.uuid4().hex[:8]}@test.local"
    attacker = make_user(admin, attacker_email, "staff", PASSWORD)
    owner.api.data("POST", f"/api/cases/{cid}/members", 201, json={"email": attacker_email, "role": "member"})

    js = _upload(attacker, cid, "helper.js", JS.format(tag="js").encode(), "application/javascript")
    gif = _upload(attacker, cid, "photo.gif", _polyglot_gif(), "image/gif")
    svg = _upload(attacker, cid, "drawing.svg", SVG, "image/svg+xml")
    for ev in (js, gif, svg):
        attacker.wait_status(ev["id"], {"done", "failed"})
    script_urls = [_path(attacker.data("GET", f"/api/evidence/{ev['id']}")["download_url"]) for ev in (js, gif)]
    html = _upload(attacker, cid, "report.html", _html(script_urls), "text/html")
    attacker.wait_status(html["id"], {"done", "failed"})
    uploads = [html, js, gif, svg]
    sign_in(page, owner)
    owner_id = owner.api.data("GET", "/api/auth/me")["id"]
    audit_before = len(admin.data("GET", "/api/admin/audit", params={"actor_id": owner_id, "limit": 1000}))

    titles: list[str] = []
    for ev in uploads:
        page.goto(f"/cases/{cid}/evidence/{ev['id']}")
        expect(page.get_by_test_id("evidence-title")).to_have_text(ev["filename"])
        preview = page.locator("[data-testid=original-image], [data-testid=original-media]")
        assert preview.count() == (1 if ev is gif else 0), ev["filename"]  # only the raster image is previewed
        links = [page.get_by_test_id("original-link").get_attribute("href")]
        if ev is gif:
            links.append(preview.get_attribute("src"))  # the preview URL opened as a page
        for href in links:
            assert href
            _open_by_address(page, href)
            page.wait_for_timeout(1000)  # give a payload that runs the time to act
            titles.append(page.title())
        page.goto(f"/cases/{cid}")

    # A page in LEH's own origin that loads the uploads as scripts and frames (what the HTML file would do).
    lure = context.new_page()
    urls = {ev["id"]: _path(owner.api.data("GET", f"/api/evidence/{ev['id']}")["download_url"]) for ev in uploads}
    frames = "".join(f'<iframe src="{urls[ev["id"]]}"></iframe>' for ev in uploads)
    scripts = "".join(f'<script src="{urls[ev["id"]]}"></script>' for ev in (js, gif))
    lure.route("**/__lure__", lambda route: route.fulfill(
        status=200, content_type="text/html", body=f"<title>lure</title>{scripts}{frames}"))
    lure.goto("/__lure__")
    lure.wait_for_timeout(2000)
    titles.append(lure.title())
    for frame in lure.frames[1:]:
        with contextlib.suppress(Error):  # a blocked frame: nothing to read, nothing ran
            titles.append(frame.evaluate("document.title"))
    lure.close()
    page.wait_for_timeout(1500)  # give a payload that did run the time to act

    assert not [t for t in titles if "PWNED" in t], titles
    cases = owner.api.data("GET", "/api/cases", params={"status": "all"})
    assert [c["title"] for c in cases] == ["원본 실행 시험"]
    rows = admin.data("GET", "/api/admin/audit", params={"actor_id": owner_id, "limit": 1000})
    new = rows[: len(rows) - audit_before]
    # Only what the owner did: sign in, view, download. No case created, nothing deleted or changed.
    assert {r["action"] for r in new} <= {"auth.login", "evidence.view", "evidence.download", "case.view", "case.risks_view"}, new

    # The evidence page's 원본 link saves a file: the browser never shows an original as a page of LEH.
    for ev in uploads:
        page.goto(f"/cases/{cid}/evidence/{ev['id']}")
        with page.expect_download() as download:
            page.get_by_test_id("original-link").click()
        assert download.value.suggested_filename.endswith(ev["filename"].rsplit(".", 1)[-1])
        assert "PWNED" not in page.title()
