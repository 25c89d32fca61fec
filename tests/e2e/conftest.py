"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

Skipped, with the reason, when /usr/bin/chromium is missing (`.ci/run` installs it).
Never run `playwright install`: it downloads browsers, which this project does not use.
"""

import io
import os
import re
from pathlib import Path

import pytest

# pytest-django's live server runs in a thread next to Playwright's event loop.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
PASSWORD = "roundtable"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    skip = pytest.mark.skip(
        reason=f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(skip)


@pytest.fixture(scope="package")
def browser():
    # Package scope: Playwright's sync API runs an event loop while it is open, which
    # would break any other sync_playwright() of the run (tests/governance uses one).
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def demo(transactional_db, settings):
    """The demo company (`manage.py seed_demo`), assessed once, with fast password hashing."""
    from django.core.management import call_command

    from governance import services

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())
    services.snapshot_take()


class Session:
    """A signed-in browser tab that records every console error and uncaught exception."""

    def __init__(self, browser, base_url: str, username: str, *, bypass_csp: bool = False):
        self.base_url = base_url
        # bypass_csp: only for injecting a test tool (axe-core) as an inline script.
        self.context = browser.new_context(
            base_url=base_url, viewport={"width": 1366, "height": 900}, bypass_csp=bypass_csp
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on(
            "console",
            lambda message: (
                self.errors.append(f"{self.page.url}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        self.page.on("pageerror", lambda error: self.errors.append(f"{self.page.url}: {error}"))
        self.sign_in(username)

    def sign_in(self, username: str) -> None:
        page = self.page
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/$"))

    def visit(self, path: str):
        response = self.page.goto(path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        return self.page

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def sign_in(browser, live_server, demo):
    """`sign_in("head")` → a Session; every session is checked for console errors."""
    sessions: list[Session] = []

    def open_session(username: str, **options) -> Session:
        session = Session(browser, live_server.url, username, **options)
        sessions.append(session)
        return session

    yield open_session
    errors = [error for session in sessions for error in session.errors]
    for session in sessions:
        session.close()
    assert errors == [], "JavaScript console errors:\n" + "\n".join(errors)
