"""Account hand-overs: opened when a manager leaves, closed by naming successors and
confirming that access was removed (services, pages and e-mail)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance import services as governance_services
from stakeholders import handovers, services
from stakeholders.bundle import import_bundle
from stakeholders.models import Handover
from tests.factories import PersonFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(dept_a):
    """An active account of head_a's department, managed by Ana and Bo."""
    account = SocialAccountFactory(platform="x", handle="acme_help", owner=dept_a)
    account.managers.set(
        [
            PersonFactory(email="ana@acme.test", name="Ana", department=dept_a),
            PersonFactory(email="bo@acme.test", name="Bo", department=dept_a),
        ]
    )
    return account


def leave(actor, email):
    person = handovers.Person.objects.get(email=email)
    services.person_leave(actor=actor, person=person)
    return person


def codes_for(account):
    assessment = governance_services.assessment_compute()
    return {(f.code, f.subject) for f in assessment.findings if f.subject.startswith("x:acme_help")}


def test_a_manager_leaving_opens_a_hand_over_per_in_use_account(lead, account, dept_a):
    retired = SocialAccountFactory(platform="x", handle="old", owner=dept_a, status="retired")
    retired.managers.add(account.managers.get(email="ana@acme.test"))
    ana = leave(lead, "ana@acme.test")
    [handover] = Handover.objects.all()
    assert (handover.account, handover.departed, handover.is_open) == (account, ana, True)


def test_opening_hand_overs_twice_opens_nothing_more(lead, account):
    leave(lead, "ana@acme.test")
    assert handovers.handovers_open(actor=lead) == []
    assert Handover.objects.count() == 1


def test_the_head_is_told_by_e_mail_when_a_hand_over_opens(
    lead, head_a, account, django_capture_on_commit_callbacks
):
    head_a.email = "head.a@acme.test"
    head_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        leave(lead, "ana@acme.test")
    [message] = [m for m in mail.outbox if "Hand-over needed" in m.subject]
    assert message.to == ["head.a@acme.test"]
    assert "Ana (ana@acme.test) has left" in message.body
    assert "/handovers/" in message.body


def test_closing_replaces_the_departed_manager_and_clears_the_finding(head_a, lead, account):
    leave(lead, "ana@acme.test")
    assert ("departed_manager", "x:acme_help/ana@acme.test") in codes_for(account)
    handover = Handover.objects.get()
    cy = PersonFactory(email="cy@acme.test")
    services_result = handovers.handover_close(
        actor=head_a, handover=handover, successors=[cy], access_removed=True
    )
    assert services_result.closed_by == head_a and services_result.closed_at is not None
    assert set(account.managers.values_list("email", flat=True)) == {"bo@acme.test", "cy@acme.test"}
    assert list(services_result.successors.all()) == [cy]
    assert not {code for code, _ in codes_for(account)} & {"departed_manager"}
    assert services_result.history.first().history_user == head_a


@pytest.mark.parametrize(
    ("successors", "confirmed", "field", "message"),
    [
        ([], True, "successors", "Name at least one successor"),
        (["bo@acme.test"], False, "access_removed", "Confirm that the departed person"),
        (["ana@acme.test"], True, "successors", "A successor must still work here"),
    ],
)
def test_closing_is_refused_without_successors_or_confirmation(
    lead, account, successors, confirmed, field, message
):
    leave(lead, "ana@acme.test")
    handover = Handover.objects.get()
    people = [handovers.Person.objects.get(email=email) for email in successors]
    with pytest.raises(ValidationError) as excinfo:
        handovers.handover_close(
            actor=lead, handover=handover, successors=people, access_removed=confirmed
        )
    assert message in excinfo.value.message_dict[field][0]
    handover.refresh_from_db()
    assert handover.is_open
    assert "ana@acme.test" in account.managers.values_list("email", flat=True)


def test_a_closed_hand_over_cannot_be_closed_again(lead, account):
    leave(lead, "ana@acme.test")
    handover = Handover.objects.get()
    bo = account.managers.get(email="bo@acme.test")
    handovers.handover_close(actor=lead, handover=handover, successors=[bo], access_removed=True)
    with pytest.raises(ValidationError, match="already closed"):
        handovers.handover_close(
            actor=lead, handover=handover, successors=[bo], access_removed=True
        )


def test_the_head_of_another_department_cannot_close_it(head_b, lead, account):
    leave(lead, "ana@acme.test")
    with pytest.raises(ValidationError, match="Only a COE lead or the head"):
        handovers.handover_close(
            actor=head_b,
            handover=Handover.objects.get(),
            successors=[account.managers.get(email="bo@acme.test")],
            access_removed=True,
        )


def test_median_days_to_close_over_the_last_ninety_days(lead, account):
    leave(lead, "ana@acme.test")
    leave(lead, "bo@acme.test")
    now = timezone.now()
    for days, handover in zip([2, 6], Handover.objects.order_by("id"), strict=True):
        Handover.objects.filter(pk=handover.pk).update(
            opened_at=now - datetime.timedelta(days=days), closed_at=now, access_removed=True
        )
    assert handovers.median_days_to_close() == pytest.approx(4.0)


# --- pages ---------------------------------------------------------------------------


def close_url(handover):
    return reverse("stakeholders:handover-close", args=[handover.pk])


def test_everyone_signed_in_sees_the_open_hand_overs(client_for, reader, lead, account):
    leave(lead, "ana@acme.test")
    content = client_for(reader).get(reverse("stakeholders:handover-list")).content.decode()
    assert "X @acme_help" in content or "acme_help" in content
    assert "Ana" in content


def test_the_head_closes_a_hand_over_from_the_page(client_for, head_a, lead, account):
    leave(lead, "ana@acme.test")
    handover = Handover.objects.get()
    client = client_for(head_a)
    assert client.get(close_url(handover)).status_code == 200
    response = client.post(
        close_url(handover), {"successors": "BO@acme.test", "access_removed": "on"}
    )
    assert response.status_code == 302
    handover.refresh_from_db()
    assert not handover.is_open


def test_the_close_form_names_unknown_successors_and_keeps_the_hand_over_open(
    client_for, lead, account
):
    leave(lead, "ana@acme.test")
    handover = Handover.objects.get()
    response = client_for(lead).post(
        close_url(handover), {"successors": "nobody@acme.test", "access_removed": "on"}
    )
    assert response.status_code == 200
    assert "Not in the registry: nobody@acme.test." in response.content.decode()
    handover.refresh_from_db()
    assert handover.is_open


def test_closing_is_forbidden_to_others_and_unknown_ones_are_not_found(
    client_for, head_b, reader, lead, account
):
    leave(lead, "ana@acme.test")
    handover = Handover.objects.get()
    for persona in (head_b, reader):
        assert client_for(persona).get(close_url(handover)).status_code == 403
    missing = reverse("stakeholders:handover-close", args=[999_999])
    assert client_for(lead).get(missing).status_code == 404


def test_the_department_page_and_dashboard_show_open_hand_overs(client_for, head_a, lead, account):
    leave(lead, "ana@acme.test")
    governance_services.snapshot_take()
    client = client_for(head_a)
    department = client.get(reverse("stakeholders:department-detail", args=["support"]))
    assert 'data-testid="department-handovers"' in department.content.decode()
    dashboard = client.get("/").content.decode()
    assert "1 account hand-over</a> is open" in dashboard


def test_a_bundle_marking_a_manager_as_left_opens_a_hand_over(dept_a):
    import_bundle(
        {
            "format": "roundtable-org/1",
            "departments": [{"key": "mkt", "name": "Marketing"}],
            "people": [{"email": "gone@acme.test", "name": "Gone", "active": False}],
            "accounts": [
                {"platform": "x", "handle": "acme", "owner": "mkt", "managers": ["gone@acme.test"]}
            ],
        }
    )
    [handover] = Handover.objects.all()
    assert (handover.account.handle, handover.departed.email) == ("acme", "gone@acme.test")


def test_the_weekly_digest_lists_open_hand_overs(lead, account):
    lead.email = "lead@acme.test"
    lead.save()
    leave(lead, "ana@acme.test")
    mail.outbox.clear()
    digest = governance_services.digest_send(force=True)
    assert digest is not None
    [message] = mail.outbox
    assert "Account hand-overs still open (1)" in message.body
    assert "Ana, open since" in message.body
