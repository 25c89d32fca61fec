"""The Content Security Policy: every page sends it, and no page needs an exception to
it — no inline script (json_script data blocks aside), no inline event handler, no
style attribute or <style> element. The pages are the permission matrix's: every URL a
COE lead can open, so a new page is checked without being listed here."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from governance.services import snapshot_take
from tests.test_permission_matrix import (  # noqa: F401 - fixtures, used by name
    MATRIX,
    _fast_passwords,
    expected,
    personas,
    url_for,
    world,
)

pytestmark = pytest.mark.django_db

LEAD_PAGES = sorted(name for name in MATRIX if expected(MATRIX[name], "GET")["lead"] == "200")
ADMIN_PAGES = [
    "/admin/",
    "/admin/stakeholders/department/",
    "/admin/stakeholders/department/add/",
    "/admin/accounts/user/",
    "/admin/accounts/user/add/",
]


class InlineCode(HTMLParser):
    """Collects what a strict CSP would refuse in a page."""

    def __init__(self):
        super().__init__()
        self.refused: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts += 1
            if not attributes.get("src") and attributes.get("type") != "application/json":
                self.refused.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.refused.append(f"<style> element at line {self.getpos()[0]}")
        for name, _ in attrs:
            if name.startswith("on"):
                self.refused.append(f"{name}= handler on <{tag}> at line {self.getpos()[0]}")
            if name == "style":
                self.refused.append(f"style attribute on <{tag}> at line {self.getpos()[0]}")


def check(response, url: str) -> None:
    assert response.status_code == 200, url
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    if response["Content-Type"].startswith("text/html"):
        parser = InlineCode()
        parser.feed(response.content.decode())
        assert parser.refused == [], f"{url}: {parser.refused}"


def test_every_page_a_lead_can_open_is_checked():
    assert {"governance:dashboard", "governance:map", "governance:report", "api:docs"} <= set(
        LEAD_PAGES
    )


@pytest.mark.parametrize("name", LEAD_PAGES)
def test_each_page_sends_the_policy_and_has_no_inline_code(name, world, personas):  # noqa: F811
    snapshot_take()  # so that the dashboard, report and map draw their bars and charts
    url = url_for(name, MATRIX[name], world)
    client = Client()
    client.force_login(personas["lead"])
    check(client.get(url), url)


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_the_admin_sends_the_policy_and_has_no_inline_code(url, admin_user):
    client = Client()
    client.force_login(admin_user)
    check(client.get(url), url)


def test_the_sign_in_page_and_the_lockout_page_have_no_inline_code(client, reader):
    check(client.get("/accounts/login/"), "/accounts/login/")
    for _ in range(4):
        client.post("/accounts/login/", {"username": "reader", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "reader", "password": "wrong"})
    assert locked.status_code == 429
    locked.status_code = 200  # checked like any page
    check(locked, "lockout page")


def test_the_api_docs_load_their_init_script_from_the_site(client_for, reader):
    client = client_for(reader)
    page = client.get("/api/docs/").content.decode()
    assert 'src="/api/docs/?script="' in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
