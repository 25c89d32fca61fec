"""Seat terms: an end set when approving (pre-filled from the policy), renewing, the
seats ending soon, and the reminders 30 and 7 days before a term ends."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from governance import services as governance_services
from governance.models import Policy
from stakeholders import services, terms
from stakeholders.models import SeatStatus
from tests.factories import PersonFactory, SeatFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)


@pytest.fixture
def pending(head_a, dept_a):
    person = PersonFactory(name="Ana Ruiz", email="ana@acme.test", department=dept_a)
    return services.seat_nominate(actor=head_a, person=person, department=dept_a)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (datetime.date(2026, 1, 15), 24, datetime.date(2028, 1, 15)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2027, 12, 1), 3, datetime.date(2028, 3, 1)),
    ],
)
def test_the_default_term_end_adds_the_policy_months(start, months, end):
    Policy.objects.update_or_create(pk=1, defaults={"default_term_months": months})
    assert services.default_term_end(start) == end


def test_a_lead_approves_with_a_term_end(lead, pending):
    end = timezone.localdate() + datetime.timedelta(days=365)
    seat = services.seat_approve(actor=lead, seat=pending, term_end=end)
    seat.refresh_from_db()
    assert (seat.status, seat.term_end) == (SeatStatus.APPROVED, end)


def test_a_term_cannot_end_before_it_starts(lead, pending):
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        services.seat_approve(
            actor=lead,
            seat=pending,
            term_start=TODAY,
            term_end=TODAY - datetime.timedelta(days=1),
        )
    pending.refresh_from_db()
    assert pending.status == SeatStatus.NOMINATED


def test_the_approve_form_proposes_the_policy_term(client_for, lead, pending):
    response = client_for(lead).get(reverse("stakeholders:seat-approve", args=[pending.pk]))
    expected = services.default_term_end(timezone.localdate())
    assert f'value="{expected.isoformat()}"' in response.content.decode()


def test_renewing_moves_the_end_and_keeps_the_start(lead, dept_a):
    start = timezone.localdate() - datetime.timedelta(days=700)
    seat = SeatFactory(department=dept_a, term_start=start, term_end=timezone.localdate())
    new_end = timezone.localdate() + datetime.timedelta(days=730)
    services.seat_renew(actor=lead, seat=seat, term_end=new_end)
    seat.refresh_from_db()
    assert (seat.term_start, seat.term_end, seat.status) == (start, new_end, SeatStatus.APPROVED)
    assert seat.history.first().history_user == lead


@pytest.mark.parametrize("days", [0, -3])
def test_a_renewed_term_ends_after_today(lead, dept_a, days):
    seat = SeatFactory(department=dept_a)
    with pytest.raises(ValidationError, match="ends after today"):
        services.seat_renew(
            actor=lead, seat=seat, term_end=timezone.localdate() + datetime.timedelta(days)
        )


def test_a_renewed_term_ends_after_the_current_one(lead, dept_a):
    end = timezone.localdate() + datetime.timedelta(days=100)
    seat = SeatFactory(department=dept_a, term_end=end)
    with pytest.raises(ValidationError, match="must end after the current one"):
        services.seat_renew(actor=lead, seat=seat, term_end=end)


def test_only_leads_renew_and_only_approved_seats(head_a, lead, dept_a, pending):
    seat = SeatFactory(department=dept_a)
    later = timezone.localdate() + datetime.timedelta(days=400)
    with pytest.raises(ValidationError, match="Only COE leads renew"):
        services.seat_renew(actor=head_a, seat=seat, term_end=later)
    with pytest.raises(ValidationError, match="still pending"):
        services.seat_renew(actor=lead, seat=pending, term_end=later)


def test_the_renew_page_works_for_leads_and_is_forbidden_to_heads(client_for, lead, head_a, dept_a):
    seat = SeatFactory(department=dept_a, term_end=timezone.localdate())
    url = reverse("stakeholders:seat-renew", args=[seat.pk])
    assert client_for(head_a).get(url).status_code == 403
    new_end = timezone.localdate() + datetime.timedelta(days=365)
    response = client_for(lead).post(url, {"term_end": new_end.isoformat()})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.term_end == new_end


# --- ending soon and reminders ----------------------------------------------------------


def _ending_in(days: int, dept, **fields):
    return SeatFactory(department=dept, term_end=TODAY + datetime.timedelta(days=days), **fields)


def test_seats_ending_soon_are_the_approved_ones_within_thirty_days(dept_a):
    soon = _ending_in(3, dept_a)
    last_day = _ending_in(30, dept_a)
    _ending_in(31, dept_a)
    _ending_in(-1, dept_a)
    _ending_in(5, dept_a, status=SeatStatus.ENDED)
    assert list(terms.seats_ending_soon(TODAY)) == [soon, last_day]


def test_reminders_go_to_the_head_and_leads_at_thirty_then_seven_days_once(lead, head_a, dept_a):
    lead.email, head_a.email = "lead@acme.test", "head.a@acme.test"
    lead.save()
    head_a.save()
    seat = _ending_in(30, dept_a)
    assert terms.term_reminders_send(today=TODAY) == 1
    assert terms.term_reminders_send(today=TODAY) == 0  # the same day again
    assert terms.term_reminders_send(today=TODAY + datetime.timedelta(days=1)) == 0
    [message] = mail.outbox
    assert set(message.to) == {"lead@acme.test", "head.a@acme.test"}
    assert "ending in 30 days" in message.subject
    week_before = seat.term_end - datetime.timedelta(days=7)
    assert terms.term_reminders_send(today=week_before) == 1
    assert terms.term_reminders_send(today=week_before + datetime.timedelta(days=1)) == 0
    assert "ending in 7 days" in mail.outbox[-1].subject


def test_the_command_sends_the_reminders(lead, dept_a):
    lead.email = "lead@acme.test"
    lead.save()
    _ending_in(7, dept_a)
    call_command("send_term_reminders", "--today", TODAY.isoformat())
    assert len(mail.outbox) == 1


def test_the_roster_and_dashboard_list_terms_ending_soon(client_for, reader, dept_a):
    seat = SeatFactory(
        department=dept_a, term_end=timezone.localdate() + datetime.timedelta(days=10)
    )
    governance_services.snapshot_take()
    client = client_for(reader)
    roster = client.get(reverse("governance:roster")).content.decode()
    assert "Terms ending in the next 30 days" in roster and seat.person.name in roster
    dashboard = client.get("/").content.decode()
    assert 'data-testid="ending-soon"' in dashboard
