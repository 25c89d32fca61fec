"""The COE's year in a real browser: a manager leaves and the head closes the account
hand-over; a new meeting leaves the score alone until its attendance is saved; a
quarterly review lists the findings closed in between."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance import services as governance_services
from governance.models import Snapshot
from stakeholders.models import Department, Person, SocialAccount

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _score(page) -> float:
    return float(page.get_by_test_id("score").inner_text())


def test_head_closes_the_hand_over_of_a_departed_manager_and_the_review_shows_it(sign_in):
    department = Department.objects.get(head__username="head")
    staff = list(Person.objects.filter(department=department, active=True).order_by("id")[:3])
    leaving, colleague, successor = staff
    account = SocialAccount.objects.create(
        platform="x", handle="care_e2e", owner=department, status="active"
    )
    account.managers.set([leaving, colleague])
    before = governance_services.snapshot_take()

    head = sign_in("head")
    page = head.visit(f"/people/{leaving.pk}/leave/")
    page.locator("main").get_by_role("button", name="Mark as left").click()
    expect(page.locator(".alert-success")).to_be_visible()
    subject = f"x:care_e2e/{leaving.email.lower()}"
    codes = {(f.code, f.subject) for f in governance_services.assessment_compute().findings}
    assert ("departed_manager", subject) in codes
    # The assessment with the departed manager, as the day before.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Snapshot.objects.filter(pk__gte=before.pk).update(as_of=yesterday)

    page = head.visit(f"/departments/{department.key}/")
    handovers = page.get_by_test_id("department-handovers")
    expect(handovers).to_contain_text(leaving.name)
    handovers.get_by_role("link", name="Close the hand-over").click()
    page.wait_for_url(re.compile(r"/handovers/\d+/close/$"))
    page.get_by_label("Successors").fill(successor.email)
    page.get_by_label("Access removed and credentials changed").check()
    page.locator("main").get_by_role("button", name="Close the hand-over").click()
    expect(page.locator(".alert-success")).to_contain_text("closed")
    head.screenshot("handover-closed")

    codes = {(f.code, f.subject) for f in governance_services.assessment_compute().findings}
    assert ("departed_manager", subject) not in codes
    assert set(account.managers.values_list("pk", flat=True)) == {colleague.pk, successor.pk}

    lead = sign_in("lead")
    governance_services.snapshot_take()
    today = timezone.localdate()
    page = lead.visit(f"/review/?from={yesterday.isoformat()}&to={today.isoformat()}")
    expect(page.get_by_test_id("findings-closed")).to_contain_text(leaving.email.lower())
    lead.screenshot("review")


def test_a_new_meeting_moves_the_score_only_once_attendance_is_saved(sign_in):
    lead = sign_in("lead")
    page = lead.visit("/")
    score_before = _score(page)

    page = lead.visit("/meetings/new/")
    page.get_by_label("Title").fill("Kick-off E2E")
    page.locator("main").get_by_role("button", name="Create the meeting").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    expect(page.locator(".alert-warning")).to_contain_text("Attendance not taken")
    meeting_url = page.url

    page = lead.visit("/")
    assert _score(page) == score_before
    expect(page.get_by_test_id("untaken-meetings")).to_contain_text("Kick-off E2E")

    page = lead.visit(meeting_url)
    page.locator("main").get_by_role("button", name="Save attendance").click()
    expect(page.locator(".alert-success")).to_contain_text("Attendance")
    page = lead.visit("/")
    assert _score(page) < score_before  # nobody came: participation fell


def test_a_lead_ticks_everyone_on_the_page_and_saves_it(sign_in):
    from governance import meeting_selectors
    from governance.models import Attendance, Meeting

    meeting = Meeting.objects.create(date=timezone.localdate(), title="All hands E2E")
    lead = sign_in("lead")
    page = lead.visit(f"/meetings/{meeting.pk}/")
    page.locator("main").get_by_role("button", name="Tick everyone on this page").click()
    boxes = page.locator('main input[name="present"]')
    shown = boxes.count()
    assert 0 < shown <= meeting_selectors.ATTENDANCE_PAGE_SIZE
    for index in range(shown):
        expect(boxes.nth(index)).to_be_checked()
    page.locator("main").get_by_role("button", name="Save attendance").click()
    expect(page.locator(".alert-success")).to_contain_text(f"saved for {shown} people")
    assert Attendance.objects.filter(meeting=meeting, present=True).count() == shown
