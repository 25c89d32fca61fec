"""A department head's home in a real browser: their departments first, Nominate on a
next-best-seat row, the nomination in "My nominations", "pending" for a lead; and a
form typed into after the session expired keeps what was typed."""

import re

import pytest
from playwright.sync_api import expect

from governance.models import Snapshot
from stakeholders.models import Department, Person, Seat

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "roundtable"


def _suggested_name(key: str) -> str:
    (email,) = [
        r["person"] for r in Snapshot.objects.latest().recommendations if r["department"] == key
    ]
    return Person.objects.get(email__iexact=email).name


def test_head_nominates_from_a_next_best_seat_row_and_a_lead_sees_it_pending(sign_in):
    department = Department.objects.get(key="cx-care", head__username="head")
    head = sign_in("head")
    page = head.visit("/")
    mine = page.get_by_test_id("my-departments")
    expect(mine.locator(f"[data-department='{department.key}']")).to_contain_text(department.name)
    expect(page.locator("main h2").first).to_have_text(re.compile(r"^Your departments?$"))

    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="My departments").click()
    page.wait_for_url(re.compile(r"/departments/mine/$"))
    expect(page.locator(f"[data-department='{department.key}']")).to_be_visible()

    page = head.visit("/")
    row = page.locator(f"tr[data-department='{department.key}']")
    suggested = _suggested_name(department.key)
    expect(row).to_contain_text(suggested)
    row.get_by_role("link", name=re.compile("^Nominate")).click()
    page.wait_for_url(re.compile(rf"/departments/{department.key}/nominate/\?role=core&person="))
    person = page.get_by_label("Existing person")
    expect(person.locator("option:checked")).to_contain_text(suggested)
    expect(page.get_by_label("Role")).to_have_value("core")
    page.locator("main").get_by_role("button", name="Nominate").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Nominated {suggested}")

    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="My nominations").click()
    page.wait_for_url(re.compile(r"/nominations/mine/$"))
    mine_row = page.locator("tbody tr").filter(has_text=suggested)
    expect(mine_row).to_contain_text(department.name)
    expect(mine_row).to_contain_text(re.compile("Nominated|Pending", re.I))
    head.screenshot("head-my-nominations-1366")

    lead = sign_in("lead")
    page = lead.visit("/")
    row = page.locator(f"tr[data-department='{department.key}']")
    expect(row.get_by_test_id("pending")).to_have_text("Nomination pending")
    expect(row.get_by_role("link", name=re.compile("^Nominate"))).to_have_count(0)
    other = page.locator("tr[data-department='sales-retail']")
    expect(other.get_by_role("link", name=re.compile("^Nominate"))).to_have_count(1)


def test_a_form_sent_after_the_session_expired_keeps_what_was_typed(sign_in):
    head = sign_in("head")
    page = head.visit("/departments/cx-care/nominate/")
    page.get_by_label("Existing person").select_option(index=1)
    chosen = page.get_by_label("Existing person").input_value()
    page.get_by_label("Role").select_option("extended")
    note = "She answers the care team's replies on every platform."
    page.get_by_label("Note for the COE leads").fill(note)

    # The session ends while the form is open (as SESSION_COOKIE_AGE would end it).
    head.context.clear_cookies(name="sessionid")
    page.locator("main").get_by_role("button", name="Nominate").click()
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    assert not Seat.objects.filter(department__key="cx-care", role="extended").exists()

    page.get_by_label("Username").fill("head")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/departments/cx-care/nominate/$"))
    expect(page.get_by_test_id("typed-restored")).to_be_visible()
    expect(page.get_by_label("Existing person")).to_have_value(chosen)
    expect(page.get_by_label("Role")).to_have_value("extended")
    expect(page.get_by_label("Note for the COE leads")).to_have_value(note)
    head.screenshot("session-expired-restored-1366")

    page.locator("main").get_by_role("button", name="Nominate").click()
    expect(page.locator(".alert-success")).to_contain_text("Nominated")
    assert Seat.objects.get(department__key="cx-care", role="extended").person_id == int(chosen)

    # Once sent, nothing is put back when the form is opened again.
    page = head.visit("/departments/cx-care/nominate/")
    expect(page.get_by_test_id("typed-restored")).to_have_count(0)
    expect(page.get_by_label("Note for the COE leads")).to_have_value("")
