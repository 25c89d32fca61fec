"""What the API returns: shapes, filters, pagination, the refusals of the services, the
token exchange, the schema and its docs page (served locally), and a fixed number of
queries on every list."""

import datetime
import re

import pytest
from rest_framework.test import APIClient

from governance.models import Snapshot
from governance.services import snapshot_take
from stakeholders import services
from stakeholders.models import Person, SocialAccount
from tests.factories import (
    AttendanceFactory,
    DepartmentFactory,
    MeetingFactory,
    PersonFactory,
    SeatFactory,
    SocialAccountFactory,
    StakeholderGroupFactory,
)

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_departments_are_listed_by_key_with_their_parent_and_head(api_for, reader, dept_a_child):
    rows = results(api_for(reader).get("/api/departments/"))
    assert [(r["key"], r["parent"], r["head"]) for r in rows] == [
        ("support", None, "head_a"),
        ("support-emea", "support", None),
    ]


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("function=hr", ["hr"]),
        ("parent=support", ["support-emea"]),
        ("top_level=true", ["hr", "support"]),
        ("customer_facing=true", ["support"]),
        ("q=human", ["hr"]),
        ("head=head_b", ["hr"]),
    ],
)
def test_departments_filter(api_for, reader, dept_a_child, dept_b, query, keys):
    rows = results(api_for(reader).get(f"/api/departments/?{query}"))
    assert [r["key"] for r in rows] == keys


def test_a_bad_filter_value_is_a_400_naming_the_parameter(api_for, reader):
    response = api_for(reader).get("/api/departments/?function=astrology")
    assert response.status_code == 400
    assert "function" in response.json()


def test_lists_are_paginated(api_for, reader):
    for i in range(60):
        DepartmentFactory(key=f"d{i:02}")
    page = api_for(reader).get("/api/departments/").json()
    assert (page["count"], len(page["results"])) == (60, 50)
    assert page["next"].endswith("/api/departments/?page=2")
    page = api_for(reader).get("/api/departments/?page_size=7&page=3").json()
    assert [r["key"] for r in page["results"]] == [f"d{i:02}" for i in range(14, 21)]
    assert api_for(reader).get("/api/departments/?page=9").status_code == 404


def test_people_show_their_department_and_expertise(api_for, reader, dept_a):
    ana = PersonFactory(email="ana@acme.test", department=dept_a, seniority="director")
    ana.expertise.create(name="community")
    PersonFactory(email="bo@acme.test", department=None)
    rows = results(api_for(reader).get("/api/people/?department=support"))
    assert rows == [
        {
            "id": ana.pk,
            "email": "ana@acme.test",
            "name": ana.name,
            "title": "",
            "seniority": "director",
            "department": "support",
            "expertise": ["community"],
            "active": True,
        }
    ]
    assert [
        r["email"] for r in results(api_for(reader).get("/api/people/?email=BO@acme.test"))
    ] == ["bo@acme.test"]


def test_a_head_nominates_someone_new_for_their_department(api_for, head_a, dept_a):
    body = {
        "new_person": {"email": "Zed@Acme.test", "name": "Zed", "expertise": ["Crisis comms"]},
        "department": "support",
        "role": "extended",
        "note": "Runs the night shift",
    }
    response = api_for(head_a).post("/api/seats/", body, format="json")
    assert response.status_code == 201
    seat = response.json()
    assert (seat["person_email"], seat["department"], seat["role"]) == (
        "zed@acme.test",
        "support",
        "extended",
    )
    assert (seat["status"], seat["nominated_by"]) == ("nominated", "head_a")
    person = Person.objects.get(email="zed@acme.test")
    assert list(person.expertise.values_list("name", flat=True)) == ["crisis-comms"]


def test_a_nomination_needs_one_person_and_one_constituency(api_for, lead, dept_a):
    response = api_for(lead).post("/api/seats/", {"department": "support"}, format="json")
    assert response.status_code == 400
    assert "person" in response.json()["non_field_errors"][0]
    body = {"person": PersonFactory().pk, "department": "support", "group": "cap"}
    StakeholderGroupFactory(key="cap")
    assert api_for(lead).post("/api/seats/", body, format="json").status_code == 400


def test_an_unknown_department_or_person_is_a_400(api_for, lead, dept_a):
    body = {"person": 999999, "department": "nowhere"}
    response = api_for(lead).post("/api/seats/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"person", "department"}


def test_nominating_someone_already_seated_is_a_conflict(api_for, lead, dept_a):
    ana = PersonFactory(department=dept_a)
    SeatFactory(person=ana, department=dept_a)
    body = {"person": ana.pk, "department": "support"}
    response = api_for(lead).post("/api/seats/", body, format="json")
    assert response.status_code == 409
    assert "already holds a seat" in response.json()["detail"]


def test_a_lead_approves_with_a_term_start_and_a_second_approval_conflicts(
    api_for, lead, head_a, dept_a
):
    seat = services.seat_nominate(actor=head_a, person=PersonFactory(), department=dept_a)
    client = api_for(lead)
    body = {"note": "Welcome", "term_start": "2026-02-01"}
    response = client.post(f"/api/seats/{seat.pk}/approve/", body, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["term_start"]) == ("approved", "2026-02-01")
    assert response.json()["decided_by"] == "lead"
    response = client.post(f"/api/seats/{seat.pk}/approve/", {}, format="json")
    assert response.status_code == 409
    assert "already approved" in response.json()["detail"]


def test_ending_a_seat_in_the_future_is_a_400(api_for, lead, dept_a):
    seat = SeatFactory(department=dept_a, person=PersonFactory(department=dept_a))
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = api_for(lead).post(f"/api/seats/{seat.pk}/end/", {"term_end": future}, format="json")
    assert response.status_code == 400
    assert "term_end" in response.json()


def test_seats_filter_by_status_and_constituency(api_for, reader, dept_a, dept_b):
    SeatFactory(person=PersonFactory(department=dept_a), department=dept_a, status="approved")
    SeatFactory(person=PersonFactory(department=dept_b), department=dept_b, status="nominated")
    client = api_for(reader)
    assert [s["department"] for s in results(client.get("/api/seats/?status=nominated"))] == ["hr"]
    assert [s["department"] for s in results(client.get("/api/seats/?department=support"))] == [
        "support"
    ]


def test_an_account_is_registered_and_changed_through_the_services(api_for, lead, dept_a):
    ana = PersonFactory(department=dept_a)
    body = {"platform": "instagram", "handle": "@Acme", "owner": "support", "managers": [ana.pk]}
    client = api_for(lead)
    response = client.post("/api/accounts/", body, format="json")
    assert response.status_code == 201
    account = response.json()
    assert (account["handle"], account["owner"], account["managers"]) == (
        "Acme",
        "support",
        [ana.pk],
    )
    response = client.post("/api/accounts/", {**body, "handle": "acme"}, format="json")
    assert response.status_code == 400
    assert "already in the registry" in response.json()["handle"][0]
    response = client.patch(f"/api/accounts/{account['id']}/", {"status": "dormant"}, format="json")
    assert response.json()["status"] == "dormant"
    assert response.json()["managers"] == [ana.pk]  # PATCH keeps what it leaves out
    history = SocialAccount.objects.get(pk=account["id"]).history.latest()
    assert history.history_user == lead


def test_meetings_show_their_attendance_and_a_lead_records_it(api_for, lead, dept_a):
    ana = PersonFactory(department=dept_a)
    SeatFactory(person=ana, department=dept_a, term_start=datetime.date(2026, 1, 1))
    meeting = MeetingFactory(date=datetime.date(2026, 3, 3))
    response = api_for(lead).post(
        f"/api/meetings/{meeting.pk}/attendance/", {"present": [ana.pk]}, format="json"
    )
    assert response.status_code == 200
    counts = {"taken": True, "present_count": 1, "recorded_count": 1, "expected_count": 1}
    assert response.json() == {**response.json(), **counts}
    assert "attendance" not in response.json()
    rows = results(api_for(lead).get(f"/api/meetings/{meeting.pk}/attendance/"))
    assert rows == [{"person": ana.pk, "email": ana.email, "name": ana.name, "present": True}]
    rows = results(api_for(lead).get("/api/meetings/?date_after=2026-03-01"))
    assert [m["id"] for m in rows] == [meeting.pk]


def test_the_assessment_is_stale_while_the_recompute_of_a_change_is_lost(
    api_for, reader, lead, dept_a, django_capture_on_commit_callbacks, monkeypatch
):
    from governance import services as governance_services
    from governance import tasks

    snapshot_take()
    monkeypatch.setattr(governance_services, "_broker_down_until", 0.0)
    monkeypatch.setattr(tasks.snapshot_recompute, "apply_async", lambda **kwargs: None)
    with django_capture_on_commit_callbacks(execute=True):
        services.department_archive(actor=lead, department=dept_a)
    assert api_for(reader).get("/api/assessment/").json()["stale"] is True
    tasks.snapshot_if_stale()
    assert api_for(reader).get("/api/assessment/").json()["stale"] is False


def test_the_assessment_is_the_latest_snapshot(api_for, reader, dept_a):
    snapshot = snapshot_take()
    body = api_for(reader).get("/api/assessment/").json()
    assert body["score"] == snapshot.score
    assert body["grade"] == snapshot.grade
    assert body["as_of"] == snapshot.as_of.isoformat()
    assert body["stale"] is False
    assert body["findings_count"] == len(snapshot.findings)
    assert set(body["components"]) == {
        "coverage", "footprint", "balance", "seniority_mix", "voices", "participation"
    }  # fmt: skip


def test_before_the_first_snapshot_the_assessment_is_live_and_not_stored(api_for, reader, dept_a):
    body = api_for(reader).get("/api/assessment/").json()
    assert body["assessed_at"] is None
    assert not Snapshot.objects.exists()


def test_findings_are_paginated_and_filtered(api_for, reader, dept_a, dept_b):
    snapshot_take()
    client = api_for(reader)
    rows = results(client.get("/api/findings/?severity=high"))
    assert {r["code"] for r in rows} == {"no_seat"}
    assert {r["subject"] for r in rows} == {"support"}
    rows = results(client.get("/api/findings/?code=missing_voice"))
    assert [r["subject"] for r in rows] == ["customers", "employees", "partners"]
    assert client.get("/api/findings/?severity=urgent").status_code == 400


def test_a_user_exchanges_a_password_for_a_token(reader):
    client = APIClient()
    response = client.post("/api/token/", {"username": "reader", "password": "roundtable"})
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/departments/").status_code == 200
    response = APIClient().post("/api/token/", {"username": "reader", "password": "wrong"})
    assert response.status_code == 400


def test_the_schema_is_openapi_3_and_lists_every_resource(api_for, reader):
    response = api_for(reader).get("/api/schema/?format=json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/departments/",
        "/api/people/",
        "/api/groups/",
        "/api/seats/",
        "/api/seats/{id}/approve/",
        "/api/accounts/",
        "/api/meetings/",
        "/api/assessment/",
        "/api/findings/",
    ):
        assert path in schema["paths"], path
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_the_schema_shows_no_default_a_partial_update_would_send(api_for, reader):
    components = api_for(reader).get("/api/schema/?format=json").json()["components"]["schemas"]
    patched = {name: c for name, c in components.items() if name.startswith("Patched")}
    assert {"PatchedDepartmentWriteRequest", "PatchedSocialAccountWriteRequest"} <= set(patched)
    defaults = {
        f"{name}.{field}"
        for name, component in patched.items()
        for field, spec in component.get("properties", {}).items()
        if "default" in spec
    }
    assert defaults == set()


def test_every_request_body_is_json_in_a_component_of_its_own(api_for, reader):
    schema = api_for(reader).get("/api/schema/?format=json").json()
    bodies = [
        operation["requestBody"]["content"]
        for path in schema["paths"].values()
        for operation in path.values()
        if "requestBody" in operation
    ]
    assert bodies and all(list(content) == ["application/json"] for content in bodies)
    assert all(
        content["application/json"]["schema"]["$ref"].endswith("Request") for content in bodies
    )
    token = schema["paths"]["/api/token/"]["post"]
    assert token["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/AuthTokenRequest"
    )
    components = schema["components"]["schemas"]
    assert set(components["AuthTokenRequest"]["properties"]) == {"username", "password"}
    assert set(components["AuthTokenRequest"]["required"]) == {"username", "password"}
    assert set(components["Token"]["properties"]) == {"token", "expires"}


def test_the_api_takes_json_only(api_for, lead, reader, dept_a):
    form = {"name": "Care"}
    response = api_for(lead).patch("/api/departments/support/", form, format="multipart")
    assert response.status_code == 415
    credentials = {"username": "reader", "password": "roundtable"}
    assert APIClient().post("/api/token/", credentials, format="multipart").status_code == 415
    assert APIClient().post("/api/token/", credentials, format="json").status_code == 200


def test_the_docs_page_serves_its_assets_locally(client_for, reader):
    content = client_for(reader).get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in content
    # Every asset is served from this site: no absolute or protocol-relative address.
    # (Not a search for "cdn": the page's random CSRF token may contain those letters.)
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", content)
    assert assets and all(url.startswith("/") and not url.startswith("//") for url in assets)
    assert "https://" not in content and "http://" not in content


def test_the_docs_page_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


# --- a fixed number of queries per list -------------------------------------------------------


def _grow(size: int) -> None:
    group = StakeholderGroupFactory()
    for _ in range(size):
        department = DepartmentFactory()
        person = PersonFactory(department=department)
        person.expertise.create(name=f"tag-{person.pk}")
        SeatFactory(person=person, department=department)
        SeatFactory(person=PersonFactory(department=None), department=None, group=group)
        account = SocialAccountFactory(owner=department)
        account.managers.set([person])
        AttendanceFactory(meeting=MeetingFactory(), person=person)


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/api/departments/", 3),
        ("/api/people/", 4),
        ("/api/groups/", 3),
        ("/api/seats/", 3),
        ("/api/accounts/", 4),
        ("/api/meetings/", 4),  # with the counts of the meetings not stored
        ("/api/meetings/@/attendance/", 4),  # token, meeting, count, page
        ("/api/findings/", 3),  # token, count, page of the latest snapshot's rows
        ("/api/assessment/", 3),
    ],
)
def test_each_list_runs_a_fixed_number_of_queries(
    size, path, queries, api_for, reader, django_assert_num_queries
):
    _grow(size)
    snapshot_take()
    client = api_for(reader)
    # The attendance of one meeting, expecting everyone (size rows recorded).
    meeting = MeetingFactory(date=datetime.date(2026, 1, 1), title="Everyone")
    for person in Person.objects.all():
        AttendanceFactory(meeting=meeting, person=person)
    path = path.replace("@", str(meeting.pk))
    with django_assert_num_queries(queries):
        response = client.get(path)
    assert response.status_code == 200
