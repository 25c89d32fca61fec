"""Single sign-on in a real browser: a department head clicks "Sign in with Acme ID",
logs in on the test identity provider's own form (tests/idp, a separate process) and
lands on their department, signed in to Roundtable."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import SignInEvent
from stakeholders.models import Department

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COMPANY_PASSWORD = "company-password"


def test_a_head_signs_in_through_the_identity_provider_and_lands_on_their_department(
    sso, browser, live_server, demo
):
    department = Department.objects.filter(head__isnull=False, active=True).order_by("name").first()
    head = department.head
    sso.user_put(head.email, COMPANY_PASSWORD, first_name="Someone", last_name="Else")
    sso.redirect_uri_allow(f"{live_server.url}/accounts/sso/callback/")

    context = browser.new_context(base_url=live_server.url)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with Acme ID").click()

    expect(page.locator("h1")).to_have_text("Test identity provider")
    assert page.url.startswith(sso.url)
    page.get_by_label("Company username").fill(head.email)
    page.get_by_label("Company password").fill(COMPANY_PASSWORD)
    page.get_by_role("button", name="Log in to the company").click()

    page.wait_for_url(re.compile(rf"/departments/{department.key}/$"))
    expect(page.locator("main h1")).to_contain_text(department.name)
    page.goto("/accounts/profile/")
    expect(page.locator("main")).to_contain_text(head.get_username())
    assert SignInEvent.objects.filter(kind="sign_in_sso", user=head).count() == 1
    context.close()
    assert errors == []
