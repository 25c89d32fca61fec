"""Meetings in the API: the counts of their attendance, its rows as a paginated list of
their own, and recording it for everyone expected or among some people."""

import datetime

import pytest

from governance.models import Attendance
from tests.factories import AttendanceFactory, MeetingFactory, PersonFactory, SeatFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 3)


@pytest.fixture
def meeting():
    return MeetingFactory(date=DAY, title="COE monthly")


@pytest.fixture
def seated():
    """Four people expected at the meeting, by id."""
    return [
        SeatFactory(person=PersonFactory(name=name), term_start=datetime.date(2026, 1, 1)).person
        for name in ("Di", "Cy", "Bo", "Ana")
    ]


def attendance_url(meeting) -> str:
    return f"/api/meetings/{meeting.pk}/attendance/"


def test_the_meeting_list_carries_counts_not_the_attendance(api_for, reader, meeting, seated):
    AttendanceFactory(meeting=meeting, person=seated[0], present=True)
    AttendanceFactory(meeting=meeting, person=seated[1], present=False)
    MeetingFactory(date=DAY - datetime.timedelta(days=30), title="Older")
    rows = api_for(reader).get("/api/meetings/").json()["results"]
    assert [(r["title"], r["taken"], r["present_count"], r["recorded_count"]) for r in rows] == [
        ("COE monthly", True, 1, 2),
        ("Older", False, 0, 0),
    ]
    assert {"attendance", "expected_count"}.isdisjoint(rows[0])


def test_one_meeting_also_says_how_many_were_expected(api_for, reader, meeting, seated):
    AttendanceFactory(meeting=meeting, person=seated[0], present=True)
    body = api_for(reader).get(f"/api/meetings/{meeting.pk}/").json()
    assert {k: body[k] for k in ("taken", "present_count", "recorded_count", "expected_count")} == {
        "taken": True,
        "present_count": 1,
        "recorded_count": 1,
        "expected_count": 4,
    }


def test_the_attendance_rows_are_a_paginated_list_by_person_id(api_for, reader, meeting, seated):
    for person in seated:
        AttendanceFactory(meeting=meeting, person=person, present=person.name < "C")
    client = api_for(reader)
    first = client.get(attendance_url(meeting) + "?page_size=3").json()
    assert first["count"] == 4
    assert [r["person"] for r in first["results"]] == sorted(p.pk for p in seated)[:3]
    second = client.get(first["next"]).json()
    [last] = second["results"]
    person = max(seated, key=lambda p: p.pk)  # Ana, the last created
    assert last == {"person": person.pk, "email": person.email, "name": "Ana", "present": True}
    assert second["next"] is None


def test_the_attendance_of_an_unknown_meeting_is_not_found(api_for, reader):
    assert api_for(reader).get("/api/meetings/999999/attendance/").status_code == 404


def test_recording_without_among_records_everyone_expected(api_for, lead, meeting, seated):
    ana = seated[3]
    response = api_for(lead).post(attendance_url(meeting), {"present": [ana.pk]}, format="json")
    assert response.status_code == 200
    assert (response.json()["present_count"], response.json()["recorded_count"]) == (1, 4)
    assert dict(Attendance.objects.values_list("person__name", "present")) == {
        "Ana": True,
        "Bo": False,
        "Cy": False,
        "Di": False,
    }


def test_recording_among_some_people_leaves_the_others_rows(api_for, lead, meeting, seated):
    di, cy, bo, ana = seated
    AttendanceFactory(meeting=meeting, person=di, present=True)
    response = api_for(lead).post(
        attendance_url(meeting), {"present": [ana.pk], "among": [ana.pk, bo.pk]}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["present_count"], body["recorded_count"], body["expected_count"]) == (2, 3, 4)
    assert dict(Attendance.objects.values_list("person__name", "present")) == {
        "Ana": True,
        "Bo": False,
        "Di": True,
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"present": [], "among": ["@stranger"]}, "Only people expected at the meeting"),
        ({"present": ["@ana"], "among": ["@bo"]}, "Only the people being recorded"),
        ({"present": [], "among": [0]}, "greater than or equal to 1"),
    ],
)
def test_recording_among_people_not_expected_is_refused_and_writes_nothing(
    body, message, api_for, lead, meeting, seated
):
    ids = {"@stranger": PersonFactory().pk, "@ana": seated[3].pk, "@bo": seated[2].pk}
    body = {key: [ids.get(v, v) for v in values] for key, values in body.items()}
    response = api_for(lead).post(attendance_url(meeting), body, format="json")
    assert response.status_code == 400
    assert message in str(response.json())
    assert not Attendance.objects.exists()


def test_the_schema_shows_the_attendance_list_and_the_counts(api_for, reader):
    schema = api_for(reader).get("/api/schema/?format=json").json()
    operations = schema["paths"]["/api/meetings/{id}/attendance/"]
    assert set(operations) >= {"get", "post"}
    listed = operations["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed["$ref"] == "#/components/schemas/PaginatedAttendanceList"
    assert "page_size" in {p["name"] for p in operations["get"]["parameters"]}
    assert "date_after" not in {p["name"] for p in operations["get"]["parameters"]}
    components = schema["components"]["schemas"]
    assert "among" in components["AttendanceRecordRequest"]["properties"]
    assert {"taken", "present_count", "recorded_count"} <= set(components["Meeting"]["properties"])
    assert "attendance" not in components["Meeting"]["properties"]
    assert "expected_count" in components["MeetingDetail"]["properties"]
