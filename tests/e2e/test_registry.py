"""Keeping the registry in a real browser: a COE lead records that someone left, adds a
department, and changes the scoring policy; the dashboard follows each change."""

import re

import pytest
from playwright.sync_api import expect

from governance.models import Policy
from stakeholders.models import AccountStatus, Department, Person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _score(page) -> float:
    return float(page.get_by_test_id("score").inner_text())


def test_lead_marks_an_account_manager_as_left_and_the_dashboard_flags_the_access(sign_in):
    manager = (
        Person.objects.filter(
            active=True, managed_accounts__status__in=[AccountStatus.ACTIVE, AccountStatus.DORMANT]
        )
        .order_by("email")
        .first()
    )
    account = manager.managed_accounts.filter(
        status__in=[AccountStatus.ACTIVE, AccountStatus.DORMANT]
    ).first()

    lead = sign_in("lead")
    page = lead.visit("/people/")
    page.get_by_label("Search", exact=True).fill(manager.email)
    page.wait_for_url(re.compile(r"q="))
    page.locator("#results").get_by_role("link", name=manager.name).first.click()
    page.wait_for_url(re.compile(rf"/people/{manager.pk}/$"))

    page.get_by_role("link", name="Mark as left").click()
    expect(page.get_by_test_id("affected-accounts")).to_contain_text(f"@{account.handle}")
    page.locator("main").get_by_role("button", name="Mark as left").click()
    expect(page.locator(".alert-success")).to_be_visible()
    manager.refresh_from_db()
    assert manager.active is False

    page = lead.visit(f"/?code=departed_manager&q={manager.email}")
    expect(page.locator("[data-code='departed_manager']").first).to_contain_text(manager.email)


def test_lead_adds_a_department_under_another_and_finds_it_unrepresented(sign_in):
    parent = Department.objects.filter(active=True, parent__isnull=True).order_by("key").first()

    lead = sign_in("lead")
    page = lead.visit("/departments/")
    page.locator("main").get_by_role("link", name=re.compile("New department")).click()
    page.get_by_label("Key").fill("social-care")
    page.get_by_label("Name").fill("Social Care")
    page.get_by_label("Parent department").fill(parent.key)
    page.get_by_label("Function").select_option("customer_support")
    page.get_by_label("Headcount").fill("35")
    page.locator("main").get_by_role("button", name="Add the department").click()
    page.wait_for_url(re.compile(r"/departments/social-care/$"))
    expect(page.locator("main h1")).to_contain_text("Social Care")

    created = Department.objects.get(key="social-care")
    assert (created.parent, created.headcount, created.function) == (parent, 35, "customer_support")
    expect(page.get_by_test_id("representation-flag")).to_be_visible()


def test_lead_changes_a_weight_and_the_score_is_recomputed(sign_in):
    lead = sign_in("lead")
    page = lead.visit("/")
    before = _score(page)

    page = lead.visit("/policy/")
    page.locator("main").get_by_role("link", name=re.compile("Change")).first.click()
    page.wait_for_url(re.compile(r"/policy/edit/$"))
    page.locator("#id_weight_coverage").fill("0")
    page.locator("#id_weight_participation").fill("0")
    page.locator("main").get_by_role("button", name="Save the policy").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Policy.load().weight_coverage == 0

    page = lead.visit("/")
    assert _score(page) != before
    expect(page.get_by_test_id("stale")).to_have_count(0)
