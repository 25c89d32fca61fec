"""The weekly digest to the COE leads: stale nominations and critical findings that are
new since the previous digest; beat, task and management command."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from coe.celery import app as celery_app
from governance import services, tasks
from governance.models import Digest
from tests.factories import DepartmentFactory, PersonFactory, SeatFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)
NEXT_MONDAY = MONDAY + datetime.timedelta(days=7)


@pytest.fixture
def stale_nomination(dept_a):
    return SeatFactory(
        person=PersonFactory(name="Waiting Person", email="wait@acme.test", department=dept_a),
        status="nominated",
        term_start=None,
        nominated_at=timezone.make_aware(datetime.datetime(2026, 10, 1, 9)),
    )


@pytest.fixture
def unrepresented_accounts():
    """A critical finding: a department without a seat that runs an account."""
    department = DepartmentFactory(key="sales", name="Sales")
    SocialAccountFactory(owner=department, handle="acme_sales")
    return department


def test_the_digest_tells_the_leads_about_stale_nominations_and_critical_findings(
    lead, stale_nomination, unrepresented_accounts, mailoutbox
):
    digest = services.digest_send(today=MONDAY)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["lead@acme.test"]
    assert message.subject == (
        "Roundtable weekly digest 2026-W48: 1 stale nomination, 1 new critical finding"
    )
    assert "The nomination of wait@acme.test for Customer Support has waited" in message.body
    assert "Sales owns 1 social account but has no seat" in message.body
    assert digest.period == "2026-W48"
    assert digest.recipients == ["lead@acme.test"]
    assert digest.stale_nominations == ["wait@acme.test/support"]
    assert digest.critical_findings == ["unrepresented_accounts:sales"]


def test_a_second_run_in_the_same_week_sends_nothing(lead, stale_nomination, mailoutbox):
    services.digest_send(today=MONDAY)
    assert services.digest_send(today=MONDAY + datetime.timedelta(days=2)) is None
    assert len(mailoutbox) == 1
    assert Digest.objects.count() == 1


def test_forcing_sends_again_in_the_same_week(lead, stale_nomination, mailoutbox):
    services.digest_send(today=MONDAY)
    assert services.digest_send(today=MONDAY, force=True) is not None
    assert len(mailoutbox) == 2


def test_critical_findings_already_reported_are_not_new_next_week(
    lead, stale_nomination, unrepresented_accounts, mailoutbox
):
    services.digest_send(today=MONDAY)
    services.digest_send(today=NEXT_MONDAY)
    assert mailoutbox[1].subject.endswith("1 stale nomination, 0 new critical findings")
    assert "No new critical finding since the digest of" in mailoutbox[1].body


def test_a_critical_finding_that_appears_later_is_new(lead, unrepresented_accounts, mailoutbox):
    services.digest_send(today=MONDAY)
    SocialAccountFactory(owner=DepartmentFactory(key="hr-x", name="HR X"), handle="hrx")
    services.digest_send(today=NEXT_MONDAY)
    assert mailoutbox[1].subject.endswith("0 stale nominations, 1 new critical finding")
    assert "HR X owns 1 social account" in mailoutbox[1].body
    assert "Sales owns" not in mailoutbox[1].body


def test_nothing_to_report_sends_nothing_and_records_nothing(lead, mailoutbox):
    assert services.digest_send(today=MONDAY) is None
    assert mailoutbox == []
    assert not Digest.objects.exists()


def test_without_a_lead_with_an_email_nothing_is_sent(lead, stale_nomination, mailoutbox):
    lead.email = ""
    lead.save()
    assert services.digest_send(today=MONDAY) is None
    assert mailoutbox == []


def test_a_failed_send_records_no_digest(lead, stale_nomination, monkeypatch):
    from stakeholders import notifications

    def broken(**kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(notifications, "send", broken)
    with pytest.raises(OSError):
        services.digest_send(today=MONDAY)
    assert not Digest.objects.exists()


def test_the_weekly_task_sends_the_digest_and_is_safe_to_run_twice(
    lead, stale_nomination, mailoutbox
):
    first = tasks.digest_weekly()
    second = tasks.digest_weekly()
    assert first == Digest.objects.get().pk
    assert second is None
    assert len(mailoutbox) == 1


def test_the_digest_is_scheduled_on_monday_mornings():
    entry = celery_app.conf.beat_schedule["weekly-digest"]
    assert entry["task"] == "governance.tasks.digest_weekly"
    assert entry["schedule"].day_of_week == {1}
    assert entry["schedule"].hour == {7}


def test_the_command_sends_the_same_digest(lead, stale_nomination, mailoutbox):
    out = StringIO()
    call_command("send_digest", stdout=out)
    assert "digest to 1 lead(s): 1 stale nomination(s)" in out.getvalue()
    call_command("send_digest", stdout=out)
    assert "Nothing sent" in out.getvalue()
    call_command("send_digest", "--force", stdout=out)
    assert len(mailoutbox) == 2
