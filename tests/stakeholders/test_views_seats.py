"""The nomination and decision pages: works / hidden (404) / forbidden (403), errors on
the form, the queue's score impact and query count, and the whole flow end to end."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Snapshot
from stakeholders import services
from stakeholders.models import Person, Seat, SeatStatus
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    StakeholderGroupFactory,
)

pytestmark = pytest.mark.django_db


def nominate_url(key="support"):
    return reverse("stakeholders:seat-nominate", args=[key])


def seat_url(name, seat):
    return reverse(f"stakeholders:{name}", args=[seat.pk])


# --- nominate -----------------------------------------------------------------------


def test_nominate_url_is_the_one_the_department_page_links_to():
    assert nominate_url("support") == "/departments/support/nominate/"


def test_head_sees_the_nomination_form_with_the_people_of_their_department(
    client_for, head_a, dept_a_child, ana
):
    PersonFactory(name="Child Team Member", department=dept_a_child)
    PersonFactory(name="Someone In Another Department")
    response = client_for(head_a).get(nominate_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Nominate for Customer Support · Roundtable</title>" in content
    assert "Ana Ruiz" in content
    assert "Child Team Member" in content
    assert "Someone In Another Department" not in content
    assert 'for="id_email"' in content
    assert content.count('name="csrfmiddlewaretoken"') == 2  # the form's and sign-out's


def test_the_suggested_person_of_the_dashboard_is_preselected(client_for, head_a, ana):
    response = client_for(head_a).get(nominate_url() + "?person=ANA@acme.test")
    assert f'<option value="{ana.pk}" selected>' in response.content.decode()


def test_a_suggested_email_of_someone_elsewhere_is_prefilled(client_for, lead, dept_a):
    PersonFactory(email="far@acme.test")
    response = client_for(lead).get(nominate_url() + "?person=far@acme.test")
    assert 'value="far@acme.test"' in response.content.decode()


def test_head_nominates_an_existing_person_and_lands_on_the_seat(client_for, head_a, ana):
    response = client_for(head_a).post(
        nominate_url(), {"person": ana.pk, "role": "core", "note": "Runs the forum"}
    )
    seat = Seat.objects.get()
    assert response.status_code == 302
    assert response.url == seat_url("seat-detail", seat)
    assert (seat.status, seat.nominated_by, seat.nomination_note) == (
        "nominated",
        head_a,
        "Runs the forum",
    )
    page = client_for(head_a).get(response.url).content.decode()
    assert "Nominated Ana Ruiz for Customer Support" in page
    assert seat.history.get().history_user == head_a


def test_head_nominates_someone_new(client_for, head_a, dept_a):
    response = client_for(head_a).post(
        nominate_url(),
        {
            "email": "bo@acme.test",
            "name": "Bo Chen",
            "title": "Agent",
            "seniority": "individual_contributor",
            "expertise": "community, escalations",
            "role": "extended",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(email="bo@acme.test")
    assert person.department == dept_a
    assert set(person.expertise.values_list("name", flat=True)) == {"community", "escalations"}


def test_nominating_a_known_email_says_the_existing_person_was_used(client_for, head_a, ana):
    response = client_for(head_a).post(
        nominate_url(), {"email": "ANA@acme.test", "name": "Whoever", "role": "core"}, follow=True
    )
    assert "ana@acme.test was already in the registry" in response.content.decode()
    assert Seat.objects.get().person == ana
    assert Person.objects.count() == 1


def test_a_refused_nomination_is_shown_on_the_form_and_keeps_what_was_typed(
    client_for, head_a, pending
):
    response = client_for(head_a).post(
        nominate_url(),
        {"email": "ana@acme.test", "role": "lead", "note": "A second try, typed carefully"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ana Ruiz is already nominated for Customer Support" in content
    assert "A second try, typed carefully" in content
    assert Seat.objects.count() == 1


def test_the_form_asks_for_a_person_or_an_email(client_for, head_a, dept_a):
    response = client_for(head_a).post(nominate_url(), {"role": "core"})
    assert response.status_code == 200
    assert "Pick a person, or enter the e-mail of someone new." in response.content.decode()
    assert not Seat.objects.exists()


def test_the_form_refuses_a_person_and_an_email_at_once(client_for, head_a, ana):
    response = client_for(head_a).post(
        nominate_url(), {"person": ana.pk, "email": "x@acme.test", "role": "core"}
    )
    assert "not both" in response.content.decode()


def test_the_form_asks_for_the_name_of_someone_new(client_for, head_a, dept_a):
    response = client_for(head_a).post(nominate_url(), {"email": "new@acme.test", "role": "core"})
    assert response.status_code == 200
    assert "Enter the new person&#x27;s name." in response.content.decode()


def test_another_head_is_forbidden_to_nominate(client_for, head_b, dept_a, dept_b):
    assert client_for(head_b).get(nominate_url()).status_code == 403
    assert client_for(head_b).post(nominate_url(), {}).status_code == 403


def test_a_reader_is_forbidden_to_nominate(client_for, reader, dept_a):
    assert client_for(reader).get(nominate_url()).status_code == 403


def test_nominating_for_an_unknown_department_is_not_found(client_for, lead):
    assert client_for(lead).get(nominate_url("nope")).status_code == 404


def test_an_archived_department_shows_why_nobody_can_be_nominated(client_for, lead):
    archived = DepartmentFactory(key="old", name="Old Desk", active=False)
    person = PersonFactory(department=archived)
    client = client_for(lead)
    assert "Old Desk is archived" in client.get(nominate_url("old")).content.decode()
    response = client.post(nominate_url("old"), {"person": "", "email": person.email})
    assert response.status_code == 200
    assert not Seat.objects.exists()


def test_lead_nominates_for_a_stakeholder_group(client_for, lead, ana):
    group = StakeholderGroupFactory(key="cap", name="Customer Advisory Panel")
    url = reverse("stakeholders:group-nominate", args=["cap"])
    assert client_for(lead).get(url).status_code == 200
    response = client_for(lead).post(url, {"person": ana.pk, "role": "advisor"})
    assert response.status_code == 302
    assert Seat.objects.get().group == group


def test_heads_are_forbidden_to_nominate_for_groups_and_unknown_groups_are_not_found(
    client_for, head_a, lead, dept_a
):
    StakeholderGroupFactory(key="cap")
    assert (
        client_for(head_a).get(reverse("stakeholders:group-nominate", args=["cap"])).status_code
        == 403
    )
    assert (
        client_for(lead).get(reverse("stakeholders:group-nominate", args=["x"])).status_code == 404
    )


# --- approve, decline, withdraw, end ---------------------------------------------------


def test_lead_approves_from_the_queue_and_returns_to_it(client_for, lead, pending):
    response = client_for(lead).post(seat_url("seat-approve", pending), {})
    assert response.status_code == 302
    assert response.url == reverse("governance:nomination-queue")
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by, pending.term_start) == (
        "approved",
        lead,
        timezone.localdate(),
    )


def test_lead_sees_the_approval_form_with_the_nomination(client_for, lead, pending):
    response = client_for(lead).get(seat_url("seat-approve", pending))
    assert response.status_code == 200
    assert 'for="id_term_start"' in response.content.decode()


def test_approving_twice_is_refused_on_the_form_with_the_note_kept(client_for, lead, pending):
    services.seat_decline(actor=lead, seat=pending, note="No")
    response = client_for(lead).post(seat_url("seat-approve", pending), {"note": "My careful note"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "was already declined by lead" in content
    assert "My careful note" in content
    pending.refresh_from_db()
    assert pending.status == "declined"


def test_declining_needs_a_note(client_for, lead, pending):
    response = client_for(lead).post(seat_url("seat-decline", pending), {"note": ""})
    assert response.status_code == 200
    assert Seat.objects.get().status == "nominated"
    response = client_for(lead).post(seat_url("seat-decline", pending), {"note": "Not now"})
    assert response.status_code == 302
    assert Seat.objects.get().status == "declined"


@pytest.mark.parametrize("name", ["seat-approve", "seat-decline", "seat-end"])
def test_heads_are_forbidden_to_decide_or_end(name, client_for, head_a, pending):
    assert client_for(head_a).get(seat_url(name, pending)).status_code == 403
    assert client_for(head_a).post(seat_url(name, pending), {"note": "x"}).status_code == 403
    assert Seat.objects.get().status == "nominated"


@pytest.mark.parametrize("name", ["seat-detail", "seat-approve", "seat-withdraw"])
def test_an_unknown_seat_is_not_found(name, client_for, lead):
    assert client_for(lead).get(reverse(f"stakeholders:{name}", args=[999])).status_code == 404


def test_head_withdraws_their_nomination(client_for, head_a, pending):
    client = client_for(head_a)
    assert client.get(seat_url("seat-withdraw", pending)).status_code == 200
    response = client.post(seat_url("seat-withdraw", pending))
    assert response.status_code == 302
    assert response.url == seat_url("seat-detail", pending)
    assert Seat.objects.get().status == "withdrawn"


def test_withdrawing_a_decided_nomination_explains_why_not(client_for, head_a, lead, pending):
    services.seat_approve(actor=lead, seat=pending)
    response = client_for(head_a).post(seat_url("seat-withdraw", pending), follow=True)
    assert "was already approved by lead" in response.content.decode()
    assert Seat.objects.get().status == "approved"


def test_another_head_is_forbidden_to_withdraw(client_for, head_b, dept_b, pending):
    assert client_for(head_b).post(seat_url("seat-withdraw", pending)).status_code == 403


def test_lead_ends_an_approved_seat(client_for, lead, pending):
    services.seat_approve(actor=lead, seat=pending)
    client = client_for(lead)
    assert client.get(seat_url("seat-end", pending)).status_code == 200
    today = timezone.localdate().isoformat()
    response = client.post(seat_url("seat-end", pending), {"term_end": today})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.term_end.isoformat()) == ("ended", today)


def test_ending_in_the_future_is_refused_on_the_form(client_for, lead, pending):
    services.seat_approve(actor=lead, seat=pending)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_for(lead).post(seat_url("seat-end", pending), {"term_end": tomorrow})
    assert response.status_code == 200
    assert "not in the future" in response.content.decode()


def test_everyone_signed_in_sees_a_seat_with_the_actions_they_may_take(
    client_for, reader, head_a, lead, pending
):
    assert (
        "Withdraw…" not in client_for(reader).get(seat_url("seat-detail", pending)).content.decode()
    )
    assert "Withdraw…" in client_for(head_a).get(seat_url("seat-detail", pending)).content.decode()
    lead_page = client_for(lead).get(seat_url("seat-detail", pending)).content.decode()
    assert "Approve…" in lead_page
    assert "Decline…" in lead_page


def test_my_nominations_lists_what_i_nominated(client_for, head_a, lead, pending, dept_b):
    services.seat_nominate(actor=lead, person=PersonFactory(name="By Lead"), department=dept_b)
    content = client_for(head_a).get(reverse("stakeholders:nomination-mine")).content.decode()
    assert "Ana Ruiz" in content
    assert "By Lead" not in content


def test_my_nominations_has_an_empty_state(client_for, reader):
    content = client_for(reader).get(reverse("stakeholders:nomination-mine")).content.decode()
    assert "You have not nominated anyone yet." in content


# --- the whole flow (issue 4, "done when") ---------------------------------------


# Real commits (transaction=True): the on-commit work -- the e-mails, the recompute --
# runs as it does in production, once per commit.
@pytest.mark.django_db(transaction=True)
def test_a_head_nominates_a_lead_approves_and_the_head_is_told_and_the_flag_clears(
    client_for, head_a, lead, ana, mailoutbox
):
    services_snapshot = Snapshot.objects.count
    client_for(head_a).post(nominate_url(), {"person": ana.pk, "role": "core"})
    before = Snapshot.objects.order_by("-id").first()
    assert before.representation["support"] == "none"
    assert any(f["subject"] == "support" for f in before.findings)
    seat = Seat.objects.get()
    assert [m.to for m in mailoutbox] == [["lead@acme.test"]]

    response = client_for(lead).post(seat_url("seat-approve", seat), {})
    assert response.status_code == 302
    assert mailoutbox[-1].to == ["head_a@acme.test"]
    assert mailoutbox[-1].subject == "Nomination approved: Ana Ruiz for Customer Support"

    after = Snapshot.objects.order_by("-id").first()
    assert services_snapshot() == 2
    assert after.representation["support"] == "direct"
    assert not any(f["subject"] == "support" for f in after.findings)
    assert after.score > before.score
    roster = client_for(head_a).get(reverse("governance:roster")).content.decode()
    assert "Ana Ruiz" in roster
    assert Seat.objects.get().status == SeatStatus.APPROVED


@pytest.mark.parametrize("size", [1, 10])
def test_my_nominations_runs_a_fixed_number_of_queries(
    size, client_for, head_a, lead, dept_a, django_assert_num_queries
):
    for _ in range(size):
        seat = services.seat_nominate(
            actor=head_a, person=PersonFactory(department=dept_a), department=dept_a
        )
        services.seat_approve(actor=lead, seat=seat)
    client = client_for(head_a)
    # session, user, lead check (navigation), the nominations
    with django_assert_num_queries(4):
        response = client.get(reverse("stakeholders:nomination-mine"))
    assert response.content.decode().count("/withdraw/") == 0


@pytest.mark.parametrize("changes", [1, 8])
def test_the_seat_page_runs_a_fixed_number_of_queries(
    changes, client_for, reader, lead, pending, django_assert_num_queries
):
    for number in range(changes):
        pending.decision_note = f"note {number}"
        pending._history_user = lead
        pending.save()
    client = client_for(reader)
    # session, user, the seat, lead check, its history
    with django_assert_num_queries(5):
        assert client.get(seat_url("seat-detail", pending)).status_code == 200
