"""Browser tests: one LEH server and one Chromium per session (per xdist worker), a fresh browser context per test.

Chromium is Debian's (/usr/bin/chromium) driven by Playwright for Python; `playwright install` is never run.
Workers start only when a test asks for `processing`. Screenshots go to tests/e2e/artifacts/ (not committed).
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from tests.conftest import ADMIN, make_user
from tests.support.live import Api, LehProcesses, running_leh

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--lang=ko-KR"]
PASSWORD = "password-123"
# `expect(...)` waits as long as the context's actions (15 s, not Playwright's 5 s): `make test` runs two test files
# at once on two cores, and a first search or panel load can take longer than 5 s. Checks of how fast something
# must happen pass their own timeout (e.g. `timeout=2_000`) and are unchanged.
expect.set_options(timeout=15_000)


@dataclass
class Person:
    email: str
    password: str
    api: Api


@pytest.fixture(scope="session")
def scratch() -> Iterator[Path]:
    """A private temp directory for the whole session. Not pytest's tmp_path: other pytest runs on a shared
    machine prune /tmp/pytest-of-*, which would pull the live server's databases away mid-run."""
    path = Path(tempfile.mkdtemp(prefix="leh-e2e-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def workdir(scratch: Path) -> Path:
    """A fresh folder for one test's files."""
    path = scratch / "t" / uuid.uuid4().hex[:12]
    path.mkdir(parents=True)
    return path


@pytest.fixture(scope="session")
def live(scratch: Path) -> Iterator[LehProcesses]:
    with running_leh(scratch / "var") as procs:
        yield procs


@pytest.fixture(scope="session")
def admin(live: LehProcesses) -> Api:
    return Api(live.base_url).login(*ADMIN)


@pytest.fixture(scope="session")
def processing(live: LehProcesses) -> LehProcesses:
    """Two AI workers for the tests that need evidence processed (started once, on first use)."""
    if not live.workers:
        live.start_worker()
        live.start_worker()
    return live


@pytest.fixture
def lawyer(admin: Api) -> Person:
    email = f"lawyer-{uuid.uuid4().hex[:8]}@test.local"
    return Person(email, PASSWORD, make_user(admin, email, "lawyer", PASSWORD))


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def context(browser: Browser, live: LehProcesses) -> Iterator[BrowserContext]:
    ctx = browser.new_context(base_url=live.base_url, locale="ko-KR", timezone_id="Asia/Seoul",
                              viewport={"width": 1280, "height": 900}, accept_downloads=True)
    ctx.set_default_timeout(15_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A tab; any uncaught JavaScript error on it fails the test."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    assert not errors, f"JavaScript errors: {errors}"


def sign_in(page: Page, person: Person, next_path: str = "/cases") -> None:
    """Log in through the form, starting from /login?next=…, and wait until the browser is back at next_path."""
    page.goto("/login?next=" + quote(next_path, safe="/"))
    submit_login(page, person.email, person.password)
    page.wait_for_url(lambda url: url.endswith(next_path))


def submit_login(page: Page, email: str, password: str) -> None:
    page.get_by_label("이메일").fill(email)
    page.get_by_label("비밀번호").fill(password)
    page.get_by_role("button", name="로그인").click()


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot for people to look at (tests/e2e/artifacts/NAME.png)."""
    path = ARTIFACTS / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header is drawn where the page is scrolled to
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_no_browser_storage(page: Page) -> None:
    """Nothing of a page is kept in the browser: no localStorage, no IndexedDB, and sessionStorage holds only the
    current path that htmx keeps for its history support (a URL, never page content)."""
    stored = page.evaluate("""async () => ({local: Object.keys(localStorage), session: Object.keys(sessionStorage),
                                           idb: (await indexedDB.databases()).map(d => d.name)})""")
    assert stored["local"] == [] and stored["idb"] == [], stored
    assert set(stored["session"]) <= {"htmx-current-path-for-history"}, stored
