"""The stakeholder group's page (`/groups/<key>/`): its seats, its history, Nominate for
COE leads, and the group's name linking to it from the lists and seat pages."""

import pytest
from django.urls import reverse

from stakeholders import services
from tests.factories import PersonFactory, SeatFactory, StakeholderGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel():
    return StakeholderGroupFactory(key="cap", name="Customer panel", kind="customers")


def detail(key: str = "cap") -> str:
    return reverse("stakeholders:group-detail", kwargs={"key": key})


def test_group_detail_url_is_named():
    assert detail("cap") == "/groups/cap/"


def test_reader_sees_the_groups_open_and_past_seats(client_for, reader, panel):
    ana = PersonFactory(name="Ana Ruiz", department=None)
    SeatFactory(person=ana, department=None, group=panel, status="approved")
    ben = PersonFactory(name="Ben Old", department=None)
    SeatFactory(person=ben, department=None, group=panel, status="withdrawn", term_start=None)
    response = client_for(reader).get(detail())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Customer panel" in html
    assert "Ana Ruiz" in html
    assert "Past seats and nominations (1)" in html
    assert 'data-testid="nominate"' not in html
    assert [s.person.name for s in response.context["seats"].open] == ["Ana Ruiz"]


def test_lead_sees_nominate_and_edit(client_for, lead, panel):
    html = client_for(lead).get(detail()).content.decode()
    assert reverse("stakeholders:group-nominate", kwargs={"key": "cap"}) in html
    assert reverse("stakeholders:group-update", kwargs={"key": "cap"}) in html


def test_group_history_shows_its_seats_changes(client_for, lead, panel):
    person = PersonFactory(name="Cleo Voice", department=None)
    services.seat_nominate(actor=lead, person=person, group=panel)
    response = client_for(lead).get(detail())
    summaries = [entry.summary for entry in response.context["timeline"]]
    assert "Cleo Voice's seat created" in summaries


def test_unknown_group_is_404(client_for, reader):
    assert client_for(reader).get(detail("nope")).status_code == 404


def test_group_detail_runs_a_fixed_number_of_queries(
    client_for, reader, panel, django_assert_max_num_queries
):
    for _ in range(5):
        SeatFactory(person=PersonFactory(department=None), department=None, group=panel)
    client = client_for(reader)
    client.get(detail())  # session and user loaded once
    with django_assert_max_num_queries(14):
        client.get(detail())


def test_group_names_link_to_the_group_page(client_for, lead, panel):
    seat = SeatFactory(person=PersonFactory(department=None), department=None, group=panel)
    client = client_for(lead)
    link = f'href="{detail()}"'
    assert link in client.get(reverse("stakeholders:group-list")).content.decode()
    assert link in client.get(reverse("governance:roster")).content.decode()
    seat_page = reverse("stakeholders:seat-detail", kwargs={"seat_id": seat.pk})
    assert link in client.get(seat_page).content.decode()
