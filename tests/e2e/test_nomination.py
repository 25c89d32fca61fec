"""The weekly loop in a real browser: a department head nominates, a COE lead approves,
and the dashboard and the department page show the new seat."""

import re

import pytest
from playwright.sync_api import expect

from stakeholders.models import Department, Seat

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _score(page) -> float:
    return float(page.get_by_test_id("score").inner_text())


def test_head_nominates_lead_approves_and_the_score_and_flag_change(sign_in):
    department = Department.objects.get(head__username="head")
    url = f"/departments/{department.key}/"

    head = sign_in("head")
    page = head.visit("/")
    score_before = _score(page)
    page = head.visit(url)
    flag = page.get_by_test_id("representation-flag")
    expect(flag).to_contain_text("No seat")

    page.get_by_role("link", name="Nominate a representative").click()
    page.wait_for_url(re.compile(r"/nominate/$"))
    page.get_by_label("Existing person").select_option(index=1)
    person = page.get_by_label("Existing person").evaluate(
        "select => select.options[select.selectedIndex].text"
    )
    page.locator("main").get_by_role("button", name="Nominate").click()
    expect(page.locator(".alert-success")).to_contain_text("Nominated")
    seat = Seat.objects.get(department=department, status="nominated")
    assert person.startswith(seat.person.name)

    lead = sign_in("lead")
    page = lead.visit("/nominations/")
    page.get_by_role("button", name=re.compile(f"^Approve {re.escape(seat.person.name)}")).click()
    expect(page.locator(".alert-success")).to_be_visible()
    seat.refresh_from_db()
    assert seat.status == "approved"

    page = lead.visit("/")
    score_after = _score(page)
    assert score_after > score_before
    expect(page.get_by_test_id("stale")).to_have_count(0)

    page = head.visit(url)
    expect(page.get_by_test_id("representation-flag")).to_contain_text("Direct seat")
    expect(page.locator("[data-seat-status='approved']")).to_contain_text(seat.person.name)


def test_keyboard_only_nomination(sign_in):
    department = Department.objects.get(head__username="head")
    head = sign_in("head")
    page = head.visit(f"/departments/{department.key}/")

    def tab_to(predicate: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
                return
        raise AssertionError(f"Tab never reached {predicate}")

    # The skip link comes first and takes focus past the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Skip to content"
    tab_to("el.dataset.testid === 'nominate'")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused link has no visible focus"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/nominate/$"))

    tab_to("el.id === 'id_person'")
    page.keyboard.press("ArrowDown")
    chosen = page.evaluate("() => document.activeElement.value")
    assert chosen
    tab_to("el.type === 'submit' && el.closest('main') !== null")
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("Nominated")
    assert Seat.objects.filter(
        department=department, status="nominated", person_id=int(chosen)
    ).exists()
