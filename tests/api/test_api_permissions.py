"""The API's permission matrix: the same roles as the web. Everyone signed in reads;
a department head nominates for their departments and withdraws their own
nominations; COE leads decide, end seats, record meetings and act everywhere;
nobody anonymous gets anything."""

import datetime

import pytest
from rest_framework.test import APIClient

from governance.services import snapshot_take
from stakeholders import services
from stakeholders.models import Seat
from tests.factories import (
    MeetingFactory,
    PersonFactory,
    SeatFactory,
    SocialAccountFactory,
    StakeholderGroupFactory,
)

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "reader", "head_a", "head_b", "lead"]


@pytest.fixture
def world(dept_a, dept_a_child, dept_b, head_a):
    ana = PersonFactory(email="ana@acme.test", department=dept_a)
    hugo = PersonFactory(email="hugo@acme.test", department=dept_b)
    StakeholderGroupFactory(key="cap")
    seat = SeatFactory(person=ana, department=dept_a, status="approved")
    pending = services.seat_nominate(actor=head_a, person=hugo, department=dept_a)
    account = SocialAccountFactory(platform="x", handle="acme_help", owner=dept_a)
    meeting = MeetingFactory(date=datetime.date(2026, 1, 10))
    snapshot_take()
    return {"seat": seat, "pending": pending, "account": account, "meeting": meeting, "ana": ana}


@pytest.fixture
def as_persona(request, api_for):
    def make(persona):
        return api_for(None if persona == "anonymous" else request.getfixturevalue(persona))

    return make


READS = [
    "/api/departments/",
    "/api/departments/support/",
    "/api/people/",
    "/api/groups/",
    "/api/groups/cap/",
    "/api/seats/",
    "/api/accounts/",
    "/api/meetings/",
    "/api/assessment/",
    "/api/findings/",
    "/api/policy/",
    "/api/schema/",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("path", READS)
def test_everyone_signed_in_reads_and_nobody_else(world, as_persona, persona, path):
    response = as_persona(persona).get(path)
    if persona == "anonymous":
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_detail_is_readable_by_everyone_signed_in(world, as_persona, persona):
    client = as_persona(persona)
    expected = 401 if persona == "anonymous" else 200
    for path in (
        f"/api/people/{world['ana'].pk}/",
        f"/api/seats/{world['seat'].pk}/",
        f"/api/accounts/{world['account'].pk}/",
        f"/api/meetings/{world['meeting'].pk}/",
    ):
        assert client.get(path).status_code == expected, path


# --- nominations ---------------------------------------------------------------------------

NOMINATE = [
    # persona, constituency, status
    ("anonymous", {"department": "support"}, 401),
    ("reader", {"department": "support"}, 403),
    ("head_a", {"department": "support"}, 201),
    ("head_a", {"department": "support-emea"}, 201),  # below the department they head
    ("head_a", {"department": "hr"}, 403),
    ("head_b", {"department": "support"}, 403),
    ("head_a", {"group": "cap"}, 403),  # leads nominate for stakeholder groups
    ("lead", {"department": "hr"}, 201),
    ("lead", {"group": "cap"}, 201),
]


@pytest.mark.parametrize(("persona", "constituency", "status"), NOMINATE)
def test_who_may_nominate(world, as_persona, persona, constituency, status):
    body = {"new_person": {"email": "zed@acme.test", "name": "Zed"}, **constituency}
    before = Seat.objects.count()
    response = as_persona(persona).post("/api/seats/", body, format="json")
    assert response.status_code == status, response.content
    assert Seat.objects.count() == before + (1 if status == 201 else 0)


DECIDE = [
    # action, persona, status
    ("approve", "reader", 403),
    ("approve", "head_a", 403),
    ("approve", "lead", 200),
    ("decline", "head_a", 403),
    ("decline", "head_b", 403),
    ("decline", "lead", 200),
    ("withdraw", "reader", 403),
    ("withdraw", "head_b", 403),
    ("withdraw", "head_a", 200),  # the nominator
    ("withdraw", "lead", 200),
    ("approve", "anonymous", 401),
]


@pytest.mark.parametrize(("action", "persona", "status"), DECIDE)
def test_who_may_decide_on_a_nomination(world, as_persona, action, persona, status):
    pending = world["pending"]
    response = as_persona(persona).post(f"/api/seats/{pending.pk}/{action}/", {}, format="json")
    assert response.status_code == status, response.content
    pending.refresh_from_db()
    expected = {"approve": "approved", "decline": "declined", "withdraw": "withdrawn"}[action]
    assert pending.status == (expected if status == 200 else "nominated")


@pytest.mark.parametrize(("persona", "status"), [("reader", 403), ("head_a", 403), ("lead", 200)])
def test_only_leads_end_seats(world, as_persona, persona, status):
    seat = world["seat"]
    response = as_persona(persona).post(f"/api/seats/{seat.pk}/end/", {}, format="json")
    assert response.status_code == status
    seat.refresh_from_db()
    assert seat.status == ("ended" if status == 200 else "approved")


# --- accounts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "owner", "status"),
    [
        ("anonymous", "support", 401),
        ("reader", "support", 403),
        ("head_a", "support", 201),
        ("head_a", "hr", 400),  # the service: choose one of the departments you head
        ("head_b", "hr", 201),
        ("lead", None, 201),
    ],
)
def test_who_may_register_an_account(world, as_persona, persona, owner, status):
    body = {"platform": "tiktok", "handle": "@acme", "owner": owner}
    response = as_persona(persona).post("/api/accounts/", body, format="json")
    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    ("persona", "status"), [("reader", 403), ("head_b", 403), ("head_a", 200), ("lead", 200)]
)
def test_who_may_change_an_account(world, as_persona, persona, status):
    account = world["account"]
    client = as_persona(persona)
    response = client.patch(f"/api/accounts/{account.pk}/", {"followers": 99}, format="json")
    assert response.status_code == status
    body = {"platform": "x", "handle": "acme_help", "owner": "support", "followers": 7}
    assert client.put(f"/api/accounts/{account.pk}/", body, format="json").status_code == status
    account.refresh_from_db()
    assert account.followers == (7 if status == 200 else 0)


# --- meetings --------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [("reader", 403), ("head_a", 403), ("lead", 201)])
def test_only_leads_record_meetings(world, as_persona, persona, status):
    body = {"date": "2026-02-10", "title": "COE monthly"}
    assert as_persona(persona).post("/api/meetings/", body, format="json").status_code == status


@pytest.mark.parametrize(("persona", "status"), [("reader", 403), ("head_a", 403), ("lead", 200)])
def test_only_leads_record_attendance(world, as_persona, persona, status):
    meeting, ana = world["meeting"], world["ana"]
    body = {"present": [ana.pk]}
    response = as_persona(persona).post(
        f"/api/meetings/{meeting.pk}/attendance/", body, format="json"
    )
    assert response.status_code == status, response.content


# --- scoring policy --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 401), ("reader", 403), ("head_a", 403), ("head_b", 403), ("lead", 200)],
)
def test_only_leads_change_the_policy(world, as_persona, persona, status):
    client = as_persona(persona)
    assert client.patch("/api/policy/", {"stale_days": 9}, format="json").status_code == status
    body = {**client.get("/api/policy/").json(), "dormant_days": 60} if status == 200 else {}
    assert client.put("/api/policy/", body, format="json").status_code == status


# --- session authentication ----------------------------------------------------------------------


def test_a_session_write_needs_the_csrf_token(world, lead):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(lead)
    pending = world["pending"]
    assert client.get("/api/seats/").status_code == 200
    response = client.post(f"/api/seats/{pending.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    pending.refresh_from_db()
    assert pending.status == "nominated"


def test_a_session_write_with_the_csrf_token_works(world, lead):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(lead)
    client.get("/accounts/login/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    pending = world["pending"]
    response = client.post(
        f"/api/seats/{pending.pk}/approve/", {}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
