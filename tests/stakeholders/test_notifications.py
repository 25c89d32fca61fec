"""E-mails about nominations: who receives them, their subjects, enqueued after commit,
and tasks that are safe to run twice."""

import pytest

from stakeholders import notifications, services, tasks
from tests.factories import PersonFactory, UserFactory, make_lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block's on-commit callbacks as a real commit would (each block runs only
    the callbacks registered inside it)."""

    def block():
        return django_capture_on_commit_callbacks(execute=True)

    return block


@pytest.fixture
def ana(dept_a):
    return PersonFactory(name="Ana Ruiz", department=dept_a)


@pytest.fixture
def pending(ana, dept_a, head_a, committed):
    with committed():
        return services.seat_nominate(actor=head_a, person=ana, department=dept_a)


def test_leads_with_an_email_are_told_when_a_nomination_arrives(
    lead, head_a, dept_a, ana, committed, mailoutbox
):
    make_lead("second_lead")
    silent = make_lead("no_email_lead")
    silent.email = ""
    silent.save()
    retired = make_lead("retired_lead")
    retired.is_active = False
    retired.save()
    with committed():
        services.seat_nominate(actor=head_a, person=ana, department=dept_a)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert sorted(message.to) == ["lead@acme.test", "second_lead@acme.test"]
    assert message.subject == "New nomination: Ana Ruiz for Customer Support"
    assert "/nominations/" in message.body


def test_the_lead_who_nominates_is_not_told_about_their_own_nomination(
    lead, dept_a, ana, committed, mailoutbox
):
    other = make_lead("other_lead")
    with committed():
        services.seat_nominate(actor=lead, person=ana, department=dept_a)
    assert [m.to for m in mailoutbox] == [[other.email]]


def test_nothing_is_sent_before_the_nomination_commits(lead, head_a, dept_a, ana, mailoutbox):
    services.seat_nominate(actor=head_a, person=ana, department=dept_a)
    assert mailoutbox == []


def test_the_nominator_is_told_when_their_nomination_is_approved(
    lead, pending, committed, mailoutbox
):
    mailoutbox.clear()
    with committed():
        services.seat_approve(actor=lead, seat=pending, note="Welcome aboard")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["head_a@acme.test"]
    assert mailoutbox[0].subject == "Nomination approved: Ana Ruiz for Customer Support"
    assert "Welcome aboard" in mailoutbox[0].body


def test_the_nominator_is_told_when_their_nomination_is_declined(
    lead, pending, committed, mailoutbox
):
    mailoutbox.clear()
    with committed():
        services.seat_decline(actor=lead, seat=pending, note="Not this quarter")
    assert mailoutbox[0].to == ["head_a@acme.test"]
    assert mailoutbox[0].subject == "Nomination declined: Ana Ruiz for Customer Support"
    assert "Not this quarter" in mailoutbox[0].body


def test_the_head_is_told_too_when_a_lead_nominated_for_their_department(
    lead, head_a, dept_a, ana, committed, mailoutbox
):
    with committed():
        seat = services.seat_nominate(actor=lead, person=ana, department=dept_a)
    mailoutbox.clear()
    with committed():
        services.seat_approve(actor=make_lead("decider"), seat=seat)
    assert sorted(mailoutbox[0].to) == ["head_a@acme.test", "lead@acme.test"]


@pytest.mark.parametrize("change", ["withdraw", "end"])
def test_withdrawing_or_ending_sends_nothing(change, lead, pending, committed, mailoutbox):
    if change == "end":
        with committed():
            pending = services.seat_approve(actor=lead, seat=pending)
    mailoutbox.clear()
    with committed():
        getattr(services, f"seat_{change}")(actor=lead, seat=pending)
    assert mailoutbox == []


def test_the_decision_task_run_twice_sends_one_email(lead, pending, mailoutbox):
    services.seat_approve(actor=lead, seat=pending)
    mailoutbox.clear()
    assert tasks.notify_nomination_decided(pending.pk) == 1
    assert tasks.notify_nomination_decided(pending.pk) == 0
    assert len(mailoutbox) == 1


def test_the_arrival_task_run_twice_sends_one_email(lead, pending, mailoutbox):
    mailoutbox.clear()
    tasks.notify_nomination_received(pending.pk)
    tasks.notify_nomination_received(pending.pk)
    assert len(mailoutbox) == 0  # already sent when the nomination committed


def test_a_nomination_decided_before_its_arrival_task_ran_asks_nobody(
    lead, head_a, dept_a, ana, mailoutbox
):
    seat = services.seat_nominate(actor=head_a, person=ana, department=dept_a)
    services.seat_withdraw(actor=head_a, seat=seat)
    assert tasks.notify_nomination_received(seat.pk) == 0
    assert mailoutbox == []


def test_tasks_for_a_seat_that_no_longer_exists_do_nothing(mailoutbox):
    assert tasks.notify_nomination_received(404) == 0
    assert tasks.notify_nomination_decided(404) == 0


def test_a_failed_send_can_be_retried(lead, pending, mailoutbox, monkeypatch):
    services.seat_approve(actor=lead, seat=pending)

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(notifications, "send_mail", broken)
    with pytest.raises(OSError):
        tasks.notify_nomination_decided(pending.pk)
    monkeypatch.undo()
    mailoutbox.clear()
    assert tasks.notify_nomination_decided(pending.pk) == 1


def test_a_broker_that_is_down_runs_the_task_inline(
    lead, head_a, dept_a, ana, committed, mailoutbox, monkeypatch
):
    def unreachable(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.notify_nomination_received, "delay", unreachable)
    with committed():
        services.seat_nominate(actor=head_a, person=ana, department=dept_a)
    assert [m.subject for m in mailoutbox] == ["New nomination: Ana Ruiz for Customer Support"]


def test_lead_emails_are_the_active_members_of_the_leads_group_with_an_email(lead):
    UserFactory(username="not_a_lead")
    superuser = UserFactory(username="root", is_superuser=True)
    assert notifications.lead_emails() == ["lead@acme.test"]
    assert notifications.lead_emails(exclude=[lead, superuser]) == []
