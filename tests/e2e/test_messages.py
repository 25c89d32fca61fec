"""A message after an action is shown once: not again when the Back button brings back
the page htmx kept before a filter changed the address."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_recompute_message_is_not_shown_again_after_filtering_and_going_back(sign_in):
    lead = sign_in("lead")
    page = lead.visit("/")
    page.get_by_role("button", name="Recompute now").click()
    flash = page.locator("main .alert-success, main .alert-info")
    expect(flash).to_have_count(1)
    page.locator("#findings-q").fill("zzz")
    page.wait_for_url(re.compile(r"q=zzz"))
    page.go_back()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator("#findings-q")).to_be_visible()
    expect(flash).to_have_count(0)
