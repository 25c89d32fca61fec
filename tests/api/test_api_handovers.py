"""GET /api/handovers/ and POST /api/handovers/{id}/close/: the hand-over service."""

import pytest

from stakeholders import services
from stakeholders.models import Handover, Person
from tests.factories import PersonFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def handover(lead, dept_a):
    account = SocialAccountFactory(platform="x", handle="acme_help", owner=dept_a)
    ana = PersonFactory(email="ana@acme.test", department=dept_a)
    account.managers.set([ana, PersonFactory(email="bo@acme.test", department=dept_a)])
    services.person_leave(actor=lead, person=ana)
    return Handover.objects.get()


def test_everyone_signed_in_lists_the_open_hand_overs(api_for, reader, handover):
    response = api_for(reader).get("/api/handovers/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["id"], row["departed"], row["owner"], row["closed_at"]) == (
        handover.pk,
        "ana@acme.test",
        "support",
        None,
    )


def test_the_head_closes_a_hand_over(api_for, head_a, handover):
    url = f"/api/handovers/{handover.pk}/close/"
    body = {"successors": ["BO@acme.test"], "access_removed": True}
    response = api_for(head_a).post(url, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["successors"] == ["bo@acme.test"]
    again = api_for(head_a).post(url, body, format="json")
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"successors": ["nobody@acme.test"], "access_removed": True}, "successors"),
        ({"successors": ["bo@acme.test"], "access_removed": False}, "access_removed"),
    ],
)
def test_a_refused_close_names_the_field_and_changes_nothing(api_for, lead, handover, body, field):
    response = api_for(lead).post(f"/api/handovers/{handover.pk}/close/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    handover.refresh_from_db()
    assert handover.is_open
    assert Person.objects.get(email="ana@acme.test").managed_accounts.exists()


def test_another_head_is_forbidden(api_for, head_b, handover):
    body = {"successors": ["bo@acme.test"], "access_removed": True}
    response = api_for(head_b).post(f"/api/handovers/{handover.pk}/close/", body, format="json")
    assert response.status_code == 403
