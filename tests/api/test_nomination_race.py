"""Many people nominating the same new person at the same moment, through the API and
the web form: one nomination wins, everyone else gets the usual "already nominated"
answer (409 on the API, the form's error on the web) -- never a server error or a
database constraint message -- and the person is registered once."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from stakeholders.models import Person, Seat

NOMINATIONS = 20
EMAIL = "new.voice@acme.test"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_racing_nominations_of_one_new_email_give_one_seat_and_one_person(
    lead, dept_a, monkeypatch
):
    token = Token.objects.create(user=lead).key
    # Widen the window between "is this e-mail registered?" and the insert, so that
    # every request gets past the check before the first one has committed.
    real_full_clean = Person.full_clean

    def slow_full_clean(self, *args, **kwargs):
        time.sleep(0.2)
        return real_full_clean(self, *args, **kwargs)

    monkeypatch.setattr(Person, "full_clean", slow_full_clean)
    barrier = threading.Barrier(NOMINATIONS)
    outcomes: list[tuple[str, int, str]] = []

    def by_api() -> tuple[str, int, str]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        body = {"new_person": {"email": EMAIL, "name": "New Voice"}, "department": "support"}
        barrier.wait()
        response = client.post("/api/seats/", body, format="json")
        return ("api", response.status_code, response.content.decode())

    def by_web() -> tuple[str, int, str]:
        client = Client()
        client.force_login(lead)
        body = {"email": EMAIL, "name": "New Voice", "role": "core"}
        barrier.wait()
        response = client.post(reverse("stakeholders:seat-nominate", args=["support"]), body)
        return ("web", response.status_code, response.content.decode())

    def nominate(way) -> None:
        try:
            outcomes.append(way())
        except Exception as error:  # a server error raised through the test client
            outcomes.append(("error", 500, repr(error)))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=nominate, args=(by_api if n % 2 else by_web,))
        for n in range(NOMINATIONS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == NOMINATIONS
    won = [o for o in outcomes if (o[0], o[1]) in {("api", 201), ("web", 302)}]
    lost = [o for o in outcomes if o not in won]
    assert len(won) == 1, outcomes
    for way, code, content in lost:
        assert (way, code) in {("api", 409), ("web", 200)}, (way, code, content[:500])
        assert "is already nominated for Customer Support" in content, content[:500]
    assert Person.objects.filter(email__iexact=EMAIL).count() == 1
    assert Seat.objects.open().filter(person__email=EMAIL, department=dept_a).count() == 1
