"""Under the Content Security Policy (no inline script or style) the pages still work
in a real browser: a refused script or style is a console error, which fails the test."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_and_the_admin_work_under_the_content_security_policy(sign_in):
    admin = sign_in("admin")
    response = admin.page.goto("/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # The title is drawn by Swagger UI once its init script (served from ?script) ran and
    # the schema arrived (generating it takes seconds on a busy machine).
    title = admin.page.locator(".swagger-ui .info .title")
    expect(title).to_contain_text("Roundtable API", timeout=30_000)
    page = admin.visit("/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    page = admin.visit("/admin/stakeholders/department/")
    expect(page.locator("#result_list")).to_be_visible()


def test_bars_and_the_score_marker_take_their_size_from_data_attributes(sign_in):
    lead = sign_in("lead")
    page = lead.visit("/")
    bar = page.locator(".component-bar").first
    assert bar.evaluate("el => el.style.width").endswith("%")
    assert bar.evaluate("el => parseFloat(el.style.width)") == float(
        bar.get_attribute("data-value")
    )
    marker = page.locator(".grade-scale-marker")
    assert marker.evaluate("el => el.style.left").endswith("%")
    page = lead.visit("/roster/")
    share = page.locator(".progress-bar[data-width]").first
    assert share.evaluate("el => parseFloat(el.style.width)") == float(
        share.get_attribute("data-width")
    )


def test_the_report_print_button_prints_without_an_inline_handler(sign_in):
    lead = sign_in("lead")
    page = lead.visit("/report/")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed") is True
