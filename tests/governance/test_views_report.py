"""The printable inclusion report: what it shows, where its numbers come from, the
as-of date, print CSS, a fixed number of queries, and one printed page on A4 and
Letter (in Chromium, when it is installed)."""

import datetime
import os
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from governance.models import Snapshot
from governance.services import snapshot_take
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    SeatFactory,
    SocialAccountFactory,
)

pytestmark = pytest.mark.django_db


def test_the_url_is_the_one_the_navigation_links_to():
    assert reverse("governance:report") == "/report/"


@pytest.fixture
def company(dept_a, dept_a_child, dept_b):
    ana = PersonFactory(email="ana@acme.test", name="Ana Ruiz", department=dept_a)
    SeatFactory(person=ana, department=dept_a, role="lead")
    PersonFactory(email="hugo@acme.test", name="Hugo", department=dept_b)
    SocialAccountFactory(platform="x", handle="orphan", owner=None)


def test_everyone_signed_in_reads_the_report(client_for, reader, company):
    snapshot = snapshot_take()
    response = client_for(reader).get("/report/")
    assert response.status_code == 200
    content = response.content.decode()
    assert f'data-testid="score">{snapshot.score}</div>' in content
    assert f"As of <strong>{snapshot.as_of.day} {snapshot.as_of:%b %Y}</strong>" in content
    for component in ("Coverage", "Footprint", "Balance", "Participation"):
        assert component in content
    assert "Human Resources has no seat at the COE table" in content  # a finding
    assert 'data-testid="recommendations"' in content
    assert "Hugo" in content  # the suggested person for HR


def test_the_report_reads_the_latest_snapshot_when_it_is_current(client_for, reader, company):
    snapshot = snapshot_take()
    Snapshot.objects.filter(pk=snapshot.pk).update(score=12.3)
    content = client_for(reader).get("/report/").content.decode()
    assert 'data-testid="score">12.3</div>' in content


def _stored_as_of(day: datetime.date, score: float) -> Snapshot:
    snapshot = snapshot_take()
    Snapshot.objects.filter(pk=snapshot.pk).update(as_of=day, score=score, fingerprint=str(day))
    return snapshot


def test_the_report_of_a_past_date_shows_the_snapshot_stored_on_or_before_it(
    client_for, reader, company
):
    _stored_as_of(datetime.date(2025, 6, 1), 31.0)
    _stored_as_of(datetime.date(2025, 7, 1), 47.0)
    content = client_for(reader).get("/report/?as_of=2025-06-30").content.decode()
    assert "As of <strong>1 Jun 2025</strong>" in content
    assert 'data-testid="score">31.0</div>' in content
    assert Snapshot.objects.count() == 2  # a read stores nothing


def test_the_report_of_a_date_before_the_first_snapshot_says_so_instead_of_making_one_up(
    client_for, reader, company
):
    _stored_as_of(datetime.date(2025, 6, 1), 31.0)
    content = client_for(reader).get("/report/?as_of=1999-01-01").content.decode()
    assert "No assessment was stored on or before 1999-01-01" in content
    assert "the first one is as of 2025-06-01" in content
    assert 'data-testid="findings"' not in content
    assert Snapshot.objects.count() == 1


def test_a_malformed_date_is_a_bad_request(client_for, reader, company):
    assert client_for(reader).get("/report/?as_of=30/06/2025").status_code == 400


def test_the_report_of_an_empty_registry_says_so(client_for, lead):
    content = client_for(lead).get("/report/").content.decode()
    assert "The registry is empty" in content


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/report/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_report_has_print_css_for_a4_and_letter(client_for, reader, company):
    content = client_for(reader).get("/report/").content.decode()
    # In a static file: the Content Security Policy refuses an inline <style>.
    assert 'href="/static/css/report.css"' in content
    css = Path(finders.find("css/report.css")).read_text()
    assert "@page { size: auto; margin: 12mm" in css
    assert "@media print" in css
    assert 'class="no-print' in content  # the date form and the print button


def test_only_the_most_severe_findings_are_listed_with_a_link_to_all(client_for, reader):
    for i in range(20):
        DepartmentFactory(key=f"d{i:02}", name=f"Department {i:02}")
    snapshot_take()
    content = client_for(reader).get("/report/").content.decode()
    assert content.count('<td class="message">') == 10
    assert 'href="/findings/export.xlsx"' in content


@pytest.mark.parametrize("size", [3, 30])
def test_the_report_runs_a_fixed_number_of_queries(
    size, client_for, reader, django_assert_num_queries
):
    for i in range(size):
        department = DepartmentFactory(key=f"d{i}")
        PersonFactory(department=department)
        SocialAccountFactory(owner=department)
    snapshot_take()
    client = client_for(reader)
    with django_assert_num_queries(10):
        assert client.get("/report/").status_code == 200


# --- printing (a browser test) ------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_report_prints_on_one_page(live_server, client, paper, lead):
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # A busy company: many findings, ten next best seats, long names.
    for i in range(40):
        department = DepartmentFactory(
            key=f"dept-{i:02}", name=f"Regional customer operations {i:02}", headcount=10 + i
        )
        PersonFactory(department=department, name=f"Person with a long name {i:02}")
        SocialAccountFactory(owner=department if i % 2 else None, handle=f"acme_region_{i:02}")
    SeatFactory(department=DepartmentFactory(key="mkt"), role="lead")
    SeatFactory(term_end=datetime.date(2026, 2, 1))
    snapshot_take()
    client.force_login(lead)
    cookie = client.cookies["sessionid"]
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        context = browser.new_context()
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/report/")
        assert page.locator("[data-testid=score]").is_visible()
        page.emulate_media(media="print")
        assert not page.locator("nav.navbar").is_visible()
        pdf = page.pdf(format=paper, print_background=True)
        if os.environ.get("REPORT_PDF_DIR"):
            with open(os.path.join(os.environ["REPORT_PDF_DIR"], f"report-{paper}.pdf"), "wb") as f:
                f.write(pdf)
            page.set_viewport_size({"width": 726, "height": 964})
            page.screenshot(
                path=os.path.join(os.environ["REPORT_PDF_DIR"], f"{paper}.png"), full_page=True
            )
        browser.close()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"{pages} pages on {paper}"
