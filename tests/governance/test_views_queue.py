"""The decision queue (COE leads): pending nominations with what approving each would
do to the score, read from the latest snapshot; works / forbidden, query count, and a
GET that stores nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import nomination_queue, scoring
from governance import services as governance_services
from governance.facts import load_facts
from governance.models import Policy, Snapshot
from tests.factories import (
    AttendanceFactory,
    DepartmentFactory,
    MeetingFactory,
    PersonFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("governance:nomination-queue")


def test_the_queue_keeps_its_address():
    assert QUEUE == "/nominations/"


# --- the queue ----------------------------------------------------------------------


def test_queue_lists_pending_nominations_oldest_first_with_their_wait(client_for, lead, dept_a):
    now = timezone.now()
    for name, days in (("Newer Person", 2), ("Oldest Person", 20), ("Middle Person", 9)):
        SeatFactory(
            person=PersonFactory(name=name, department=dept_a),
            status="nominated",
            term_start=None,
            nominated_at=now - datetime.timedelta(days=days),
        )
    content = client_for(lead).get(reverse("governance:nomination-queue")).content.decode()
    assert (
        content.index("Oldest Person")
        < content.index("Middle Person")
        < content.index("Newer Person")
    )
    assert "2\xa0weeks, 6\xa0days" in content
    assert content.count(">stale<") == 1


def test_queue_shows_what_approving_each_nomination_does_to_the_score(client_for, lead, pending):
    governance_services.snapshot_take()
    facts = load_facts(as_of=timezone.localdate())
    assessment = scoring.assess(facts, timezone.localdate())
    content = client_for(lead).get(reverse("governance:nomination-queue")).content.decode()
    # With one pending nomination, approving it gives the projected score.
    assert f"<strong>{scoring.round_half_up(assessment.projected_score)}</strong>" in content
    assert f"(+{scoring.round_half_up(assessment.projected_score - assessment.score)}" in content


def test_queue_says_approving_for_an_archived_department_has_no_effect(client_for, lead, pending):
    pending.department.active = False
    pending.department.save()
    governance_services.snapshot_take()
    assert (
        "no effect" in client_for(lead).get(reverse("governance:nomination-queue")).content.decode()
    )


def test_an_empty_queue_says_so(client_for, lead):
    content = client_for(lead).get(reverse("governance:nomination-queue")).content.decode()
    assert "No nomination is waiting for a decision." in content


@pytest.mark.parametrize("persona", ["reader", "head_a"])
def test_only_leads_see_the_queue(persona, request, client_for, dept_a):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("governance:nomination-queue")).status_code == 403


@pytest.mark.parametrize("size", [1, 12])
def test_queue_runs_a_fixed_number_of_queries(
    size, client_for, lead, dept_a, django_assert_num_queries
):
    Policy.load()
    for _ in range(size):
        department = DepartmentFactory()
        SeatFactory(
            person=PersonFactory(department=department),
            department=department,
            status="nominated",
            term_start=None,
            nominated_by=lead,
        )
        seated = SeatFactory(person=PersonFactory(department=department), department=department)
        # A past date: the factory's own dates move into the future as a test run goes on,
        # and the facts leave out meetings after the as-of date (and their attendance query).
        meeting = MeetingFactory(date=datetime.date(2026, 1, 5), title=f"{department.key} sync")
        AttendanceFactory(meeting=meeting, person=seated.person)
    governance_services.snapshot_take()
    client = client_for(lead)
    # session, user, lead group, the snapshot, its what-if scores, pending count and
    # page, the registry generation and the policy: the facts are not loaded on a GET.
    with django_assert_num_queries(9):
        response = client.get(reverse("governance:nomination-queue"))
    assert response.status_code == 200
    # The page is remembered until the registry changes or another snapshot is stored:
    # session, user, lead group, generation, snapshot.
    with django_assert_num_queries(5):
        again = client.get(reverse("governance:nomination-queue"))
    shown = [(e.seat.pk, e.score_if_approved) for e in again.context["queue"].entries]
    assert shown == [(e.seat.pk, e.score_if_approved) for e in response.context["queue"].entries]
    content = response.content.decode()
    assert content.count('action="/seats/') == size
    assert "computing…" not in content


def test_queue_reads_if_approved_from_the_snapshot_not_the_facts(
    client_for, lead, pending, monkeypatch
):
    snapshot = governance_services.snapshot_take()
    assert str(pending.pk) in snapshot.if_approved["seats"]

    def no_facts(**kwargs):
        raise AssertionError("the queue must not load the facts")

    monkeypatch.setattr("governance.facts.load_facts", no_facts)
    content = client_for(lead).get(reverse("governance:nomination-queue")).content.decode()
    expected = scoring.round_half_up(snapshot.if_approved["seats"][str(pending.pk)])
    assert f"<strong>{expected}</strong>" in content


def test_a_nomination_newer_than_the_snapshot_shows_as_computing(
    client_for, lead, pending, dept_a, django_capture_on_commit_callbacks, monkeypatch
):
    governance_services.snapshot_take()
    newer = SeatFactory(
        person=PersonFactory(department=dept_a, name="Newer Nominee"),
        department=dept_a,
        status="nominated",
        term_start=None,
    )
    # The nominating service marks the registry changed; the recompute is still queued.
    monkeypatch.setattr(governance_services, "_recompute_enqueue", lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        governance_services.snapshot_request()
    content = client_for(lead).get(reverse("governance:nomination-queue")).content.decode()
    assert newer.pk and "Newer Nominee" in content
    assert content.count("computing…") == 1
    governance_services.snapshot_take()
    content = client_for(lead).get(reverse("governance:nomination-queue")).content.decode()
    assert "computing…" not in content


def test_a_long_queue_is_paged_oldest_first(client_for, lead, dept_a, monkeypatch):
    monkeypatch.setattr(nomination_queue, "QUEUE_PAGE_SIZE", 2)
    people = [PersonFactory(department=dept_a, name=f"Nominee {i}") for i in range(3)]
    start = timezone.now() - datetime.timedelta(days=10)
    for i, person in enumerate(people):
        SeatFactory(
            person=person,
            department=dept_a,
            status="nominated",
            term_start=None,
            nominated_at=start + datetime.timedelta(days=i),
        )
    client = client_for(lead)
    first = client.get(reverse("governance:nomination-queue")).content.decode()
    second = client.get(reverse("governance:nomination-queue") + "?page=2").content.decode()
    assert "Nominee 0" in first and "Nominee 1" in first and "Nominee 2" not in first
    assert "Page 1 of 2" in first
    assert "Nominee 2" in second and "Nominee 0" not in second


def test_before_any_assessment_the_queue_lists_nominations_as_computing_and_stores_nothing(
    client_for, lead, pending
):
    client = client_for(lead)
    client.get(QUEUE)  # the session and the user are loaded once
    with CaptureQueriesContext(connection) as queries:
        content = client.get(QUEUE).content.decode()
    assert "Ana Ruiz" in content and "computing…" in content
    assert "No assessment yet — computing" in content
    assert not Snapshot.objects.exists()
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
