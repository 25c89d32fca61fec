"""People are named by their name, not their sign-in, in the nomination queue, on the
seat page and in the department's history."""

import pytest
from django.urls import reverse

from stakeholders import services
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def named_head(head_a):
    head_a.first_name, head_a.last_name = "Hana", "Costa"
    head_a.save()
    return head_a


def test_nominator_is_named_by_name_in_queue_seat_page_and_history(
    client_for, lead, named_head, dept_a
):
    seat = services.seat_nominate(
        actor=named_head, person=PersonFactory(department=dept_a), department=dept_a
    )
    client = client_for(lead)
    pages = [
        reverse("governance:nomination-queue"),
        reverse("stakeholders:seat-detail", args=[seat.pk]),
        reverse("stakeholders:department-detail", args=[dept_a.key]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Hana Costa" in html, url
