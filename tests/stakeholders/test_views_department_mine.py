"""/departments/mine/: the departments a head heads, with what needs their attention."""

import pytest
from django.urls import reverse

from governance import services
from governance.models import Snapshot
from stakeholders import rules
from tests.factories import DepartmentFactory, PersonFactory, SeatFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db

URL = "/departments/mine/"


def test_url_is_named_and_its_word_cannot_be_a_department_key():
    assert reverse("stakeholders:department-mine") == URL
    assert rules.key_problem("mine") == "The key 'mine' is reserved; choose another."


def test_a_head_sees_their_departments_with_seats_nominations_and_findings(
    client_for, head_a, dept_a
):
    SeatFactory(person=PersonFactory(department=dept_a))
    SeatFactory(person=PersonFactory(department=dept_a), status="nominated", nominated_by=head_a)
    services.snapshot_take()
    response = client_for(head_a).get(URL)
    assert response.status_code == 200
    (row,) = response.context["departments"]
    assert (row.key, row.representation, row.approved_seats, row.pending) == (
        "support",
        "direct",
        1,
        1,
    )
    html = response.content.decode()
    assert "1 approved seat" in html
    assert "1 nomination waiting for the COE leads" in html
    assert 'href="/departments/support/nominate/"' in html


def test_before_the_first_assessment_it_shows_nothing_assessed_yet(client_for, head_a, dept_a):
    response = client_for(head_a).get(URL)
    assert response.status_code == 200
    department = response.context["departments"][0]
    assert (department.representation, department.findings) == ("unknown", 0)
    assert not Snapshot.objects.exists()  # a read never assesses the company


def test_a_head_does_not_see_the_departments_of_another_head(client_for, head_a, dept_a, dept_b):
    html = client_for(head_a).get(URL).content.decode()
    assert 'data-department="support"' in html
    assert 'data-department="hr"' not in html


def test_an_archived_department_is_listed_last_without_actions(client_for, head_a, dept_a):
    DepartmentFactory(key="old", name="Old support", head=head_a, active=False)
    response = client_for(head_a).get(URL)
    assert [d.key for d in response.context["departments"]] == ["support", "old"]
    assert 'href="/departments/old/nominate/"' not in response.content.decode()


def test_open_handovers_of_the_departments_accounts_are_counted(client_for, head_a, dept_a):
    from stakeholders import services as registry

    gone = PersonFactory(department=dept_a)
    account = SocialAccountFactory(owner=dept_a)
    account.managers.add(gone)
    registry.person_leave(actor=head_a, person=gone)
    (row,) = client_for(head_a).get(URL).context["departments"]
    assert row.handovers == 1


def test_someone_who_heads_nothing_is_forbidden_and_told_why(client_for, reader, dept_a):
    response = client_for(reader).get(URL)
    assert response.status_code == 403
    assert "you head none" in response.content.decode()


def test_a_department_keyed_mine_registered_before_the_rule_does_not_shadow_the_page(
    client_for, head_a, dept_a
):
    DepartmentFactory(key="mine", name="Mining")
    assert client_for(head_a).get(URL).context["departments"][0].key == "support"


@pytest.mark.parametrize("units", [2, 6])
def test_it_runs_a_fixed_number_of_queries(
    client_for, head_a, make_headed_company, django_assert_num_queries, units
):
    make_headed_company(units)
    client = client_for(head_a)
    client.get(URL)
    # Session, user, roles, the latest snapshot, then the five of the head's departments.
    with django_assert_num_queries(9):
        response = client.get(URL)
    assert len(response.context["departments"]) == units
