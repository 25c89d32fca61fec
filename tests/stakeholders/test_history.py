"""The department timeline: who changed what, across the department, its seats, its
accounts and its people, in a fixed number of queries."""

import pytest
from django.utils import dateformat, timezone

from stakeholders import services
from stakeholders.selectors import department_timeline
from tests.factories import DepartmentFactory, PersonFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def _save_as(instance, user, **changes):
    for name, value in changes.items():
        setattr(instance, name, value)
    instance._history_user = user
    instance.save()


def test_the_timeline_shows_changes_to_the_department_its_seats_accounts_and_people(
    dept_a, head_a, lead
):
    person = PersonFactory(name="Ana Ruiz", department=dept_a)
    seat = services.seat_nominate(actor=head_a, person=person, department=dept_a)
    services.seat_approve(actor=lead, seat=seat)
    account = SocialAccountFactory(owner=dept_a, platform="linkedin", handle="acme_help")
    _save_as(account, head_a, followers=900)
    _save_as(dept_a, lead, headcount=130)

    entries = department_timeline(dept_a)

    summaries = [entry.summary for entry in entries]
    assert summaries[0] == "Customer Support: headcount: 120 → 130"
    assert "LinkedIn @acme_help: followers: 0 → 900" in summaries
    today = dateformat.format(timezone.localdate(), "j M Y")
    assert f"Ana Ruiz's seat: status: Nominated → Approved, term start: — → {today}" in summaries
    assert "Ana Ruiz's seat created" in summaries
    assert "Ana Ruiz created" in summaries
    by_kind = {(entry.kind, entry.action): entry.user for entry in entries}
    assert by_kind[("department", "changed")] == lead
    assert by_kind[("seat", "created")] == head_a
    assert by_kind[("account", "changed")] == head_a
    assert [entry.when for entry in entries] == sorted((e.when for e in entries), reverse=True)


def test_the_timeline_leaves_out_other_departments(dept_a, dept_b, lead):
    _save_as(dept_b, lead, headcount=31)
    PersonFactory(department=dept_b)
    kinds = {(entry.kind, entry.label) for entry in department_timeline(dept_a)}
    assert kinds == {("department", "Customer Support")}


def test_the_timeline_keeps_the_most_recent_entries(dept_a, lead):
    for headcount in range(1, 8):
        _save_as(dept_a, lead, headcount=headcount)
    entries = department_timeline(dept_a, limit=3)
    assert [entry.summary for entry in entries] == [
        "Customer Support: headcount: 6 → 7",
        "Customer Support: headcount: 5 → 6",
        "Customer Support: headcount: 4 → 5",
    ]


def test_a_changed_reference_is_shown_by_name(dept_a, dept_b, head_b, lead):
    _save_as(dept_a, lead, head=head_b)
    person = PersonFactory(name="Mover", department=dept_b)
    _save_as(person, lead, department=dept_a)
    summaries = [entry.summary for entry in department_timeline(dept_a)]
    assert "Customer Support: head: head_a → head_b" in summaries
    assert "Mover: department: Human Resources → Customer Support" in summaries


@pytest.mark.parametrize("size", [2, 12])
def test_the_timeline_runs_a_fixed_number_of_queries(
    size, dept_a, lead, head_a, head_b, django_assert_num_queries
):
    for _ in range(size):
        person = PersonFactory(department=dept_a)
        _save_as(person, lead, title="Agent")
        seat = services.seat_nominate(actor=head_a, person=person, department=dept_a)
        services.seat_approve(actor=lead, seat=seat)
        _save_as(SocialAccountFactory(owner=dept_a), head_a, followers=5)
    _save_as(dept_a, lead, head=head_b)
    DepartmentFactory()
    # for each of 4 kinds of record: the latest rows, their predecessors; then the users
    # a changed reference names
    with django_assert_num_queries(9):
        entries = department_timeline(dept_a)
    assert len(entries) == min(50, 2 + size * 6)


def test_the_timeline_leaves_out_saves_that_changed_nothing(dept_a, lead):
    _save_as(dept_a, lead)  # saved as it was
    _save_as(dept_a, lead, headcount=121)
    summaries = [entry.summary for entry in department_timeline(dept_a)]
    assert not any("without changes" in summary for summary in summaries)
    assert summaries[0] == "Customer Support: headcount: 120 → 121"
