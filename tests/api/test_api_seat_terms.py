"""POST /api/seats/{id}/renew/ and approving with a term end."""

import datetime

import pytest
from django.utils import timezone

from stakeholders import services
from tests.factories import PersonFactory, SeatFactory

pytestmark = pytest.mark.django_db


def test_the_api_renews_a_seat(api_for, lead, dept_a):
    seat = SeatFactory(department=dept_a, term_end=timezone.localdate())
    new_end = (timezone.localdate() + datetime.timedelta(days=365)).isoformat()
    response = api_for(lead).post(
        f"/api/seats/{seat.pk}/renew/", {"term_end": new_end}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["term_end"] == new_end


def test_the_api_approves_with_a_term_end(api_for, lead, head_a, dept_a):
    seat = services.seat_nominate(
        actor=head_a, person=PersonFactory(department=dept_a), department=dept_a
    )
    end = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()
    response = api_for(lead).post(f"/api/seats/{seat.pk}/approve/", {"term_end": end})
    assert response.status_code == 200, response.content
    assert response.json()["term_end"] == end


def test_the_api_renew_names_a_bad_term_end(api_for, lead, dept_a):
    seat = SeatFactory(department=dept_a)
    response = api_for(lead).post(
        f"/api/seats/{seat.pk}/renew/", {"term_end": timezone.localdate().isoformat()}
    )
    assert response.status_code == 400
    assert "term_end" in response.json()
