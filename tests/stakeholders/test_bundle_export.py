"""Exporting the registry as an org bundle: every field, a fixed order, normalised values."""

import datetime
import json

import pytest
from django.utils import timezone

from stakeholders.bundle import BUNDLE_FORMAT, SCHEMAS, SECTIONS, export_bundle
from stakeholders.models import ExpertiseTag

# Users are made with password=None: hashing a password takes a second here.
from tests.factories import (
    AttendanceFactory,
    DepartmentFactory,
    MeetingFactory,
    PersonFactory,
    SeatFactory,
    SocialAccountFactory,
    StakeholderGroupFactory,
    UserFactory,
)


@pytest.mark.django_db
def test_an_empty_registry_exports_the_format_tag_and_empty_sections():
    assert export_bundle() == {"format": BUNDLE_FORMAT} | {section: [] for section in SECTIONS}


@pytest.mark.django_db
def test_every_field_of_every_record_is_written_even_at_its_default():
    department = DepartmentFactory(key="ops")
    person = PersonFactory(department=department)
    SeatFactory(person=person)
    SeatFactory(person=person, department=None, group=StakeholderGroupFactory(), status="declined")
    SocialAccountFactory()
    AttendanceFactory(person=person)

    data = export_bundle()

    for section in SECTIONS:
        assert data[section], section
        for record in data[section]:
            assert list(record) == [f.name for f in SCHEMAS[section]], section


@pytest.mark.django_db
def test_a_department_is_written_with_its_parent_key_and_defaults():
    parent = DepartmentFactory(key="mkt", name="Marketing")
    DepartmentFactory(key="pr", name="PR", parent=parent, headcount=0)

    pr = export_bundle()["departments"][1]

    assert pr == {
        "key": "pr",
        "name": "PR",
        "parent": "mkt",
        "kind": "function",
        "function": "other",
        "headcount": 0,
        "customer_facing": False,
        "influence": 3,
        "interest": 3,
        "head": None,
        "active": True,
    }


@pytest.mark.django_db
def test_records_come_in_a_fixed_order():
    for key in ("sales", "hr", "mkt"):
        DepartmentFactory(key=key)
    for email in ("zoe@acme.test", "Amy@acme.test", "bob@acme.test"):
        PersonFactory(email=email, department=None)
    SocialAccountFactory(platform="x", handle="beta")
    SocialAccountFactory(platform="linkedin", handle="Zeta")
    SocialAccountFactory(platform="linkedin", handle="alpha")
    MeetingFactory(date=datetime.date(2026, 3, 1), title="B")
    MeetingFactory(date=datetime.date(2026, 3, 1), title="A")
    MeetingFactory(date=datetime.date(2026, 1, 1), title="Z")

    data = export_bundle()

    assert [d["key"] for d in data["departments"]] == ["hr", "mkt", "sales"]
    assert [p["email"] for p in data["people"]] == [
        "amy@acme.test",
        "bob@acme.test",
        "zoe@acme.test",
    ]
    assert [(a["platform"], a["handle"]) for a in data["accounts"]] == [
        ("linkedin", "alpha"),
        ("linkedin", "Zeta"),
        ("x", "beta"),
    ]
    assert [(m["date"], m["title"]) for m in data["meetings"]] == [
        ("2026-01-01", "Z"),
        ("2026-03-01", "A"),
        ("2026-03-01", "B"),
    ]


@pytest.mark.django_db
def test_seats_are_ordered_by_person_constituency_and_nomination_date():
    mkt, hr = DepartmentFactory(key="mkt"), DepartmentFactory(key="hr")
    amy, bob = PersonFactory(email="amy@acme.test"), PersonFactory(email="bob@acme.test")
    panel = StakeholderGroupFactory(key="panel")

    def nominated(day: int):
        return timezone.make_aware(datetime.datetime(2026, 1, day, 12))

    SeatFactory(person=bob, department=hr, nominated_at=nominated(1))
    SeatFactory(person=amy, department=None, group=panel, nominated_at=nominated(1))
    SeatFactory(person=amy, department=mkt, nominated_at=nominated(9), status="nominated")
    SeatFactory(person=amy, department=mkt, nominated_at=nominated(2), status="declined")
    SeatFactory(person=amy, department=hr, nominated_at=None)

    seats = export_bundle()["seats"]

    assert [(s["person"], s["department"] or s["group"], s["nominated_at"]) for s in seats] == [
        ("amy@acme.test", "hr", None),
        ("amy@acme.test", "mkt", "2026-01-02"),
        ("amy@acme.test", "mkt", "2026-01-09"),
        ("amy@acme.test", "panel", "2026-01-01"),
        ("bob@acme.test", "hr", "2026-01-01"),
    ]


@pytest.mark.django_db
def test_seat_date_times_are_written_as_dates_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    late_evening_utc = datetime.datetime(2026, 1, 5, 23, 30, tzinfo=datetime.UTC)
    SeatFactory(nominated_at=late_evening_utc, decided_at=late_evening_utc, term_start=None)

    seat = export_bundle()["seats"][0]

    assert (seat["nominated_at"], seat["decided_at"]) == ("2026-01-06", "2026-01-06")


@pytest.mark.django_db
def test_a_seat_is_written_with_all_its_fields():
    person = PersonFactory(email="Ana@Acme.test", department=DepartmentFactory(key="mkt"))
    SeatFactory(
        person=person,
        role="lead",
        status="ended",
        nominated_at=timezone.make_aware(datetime.datetime(2026, 1, 5, 10)),
        decided_at=timezone.make_aware(datetime.datetime(2026, 1, 9, 16)),
        term_start=datetime.date(2026, 1, 9),
        term_end=datetime.date(2026, 6, 30),
    )

    assert export_bundle()["seats"] == [
        {
            "person": "ana@acme.test",
            "department": "mkt",
            "group": None,
            "role": "lead",
            "status": "ended",
            "nominated_at": "2026-01-05",
            "decided_at": "2026-01-09",
            "term_start": "2026-01-09",
            "term_end": "2026-06-30",
        }
    ]


@pytest.mark.django_db
def test_emails_are_written_in_lower_case_everywhere():
    person = PersonFactory(
        email="Ana.Ruiz@ACME.test", user=UserFactory(username="ana", password=None)
    )
    person.department.head = person.user
    person.department.save()
    account = SocialAccountFactory()
    account.managers.add(person)
    AttendanceFactory(person=person)
    SeatFactory(person=person)

    data = export_bundle()

    assert data["people"][0]["email"] == "ana.ruiz@acme.test"
    assert data["departments"][0]["head"] == "ana.ruiz@acme.test"
    assert data["accounts"][0]["managers"] == ["ana.ruiz@acme.test"]
    assert data["seats"][0]["person"] == "ana.ruiz@acme.test"
    assert list(data["meetings"][0]["attendance"]) == ["ana.ruiz@acme.test"]


@pytest.mark.django_db
def test_the_head_is_the_person_linked_to_the_user_or_else_the_person_with_its_email():
    linked = PersonFactory(email="ana@acme.test", user=UserFactory(username="ana", password=None))
    PersonFactory(email="bo@acme.test")
    DepartmentFactory(key="a", head=linked.user)
    DepartmentFactory(key="b", head=UserFactory(username="bo", email="Bo@acme.test", password=None))
    DepartmentFactory(
        key="c", head=UserFactory(username="nobody", email="nobody@acme.test", password=None)
    )

    heads = {d["key"]: d["head"] for d in export_bundle()["departments"]}

    assert (heads["a"], heads["b"], heads["c"]) == ("ana@acme.test", "bo@acme.test", None)


@pytest.mark.django_db
def test_expertise_managers_and_attendance_are_sorted():
    amy, bob, cy = (PersonFactory(email=f"{n}@acme.test") for n in ("amy", "bob", "cy"))
    for name in ("video", "crisis", "seo"):
        amy.expertise.add(ExpertiseTag.objects.create(name=name))
    account = SocialAccountFactory()
    account.managers.add(cy, amy, bob)
    meeting = MeetingFactory()
    for person, present in ((cy, True), (amy, False), (bob, True)):
        AttendanceFactory(meeting=meeting, person=person, present=present)

    data = export_bundle()

    assert data["people"][0]["expertise"] == ["crisis", "seo", "video"]
    assert data["accounts"][0]["managers"] == ["amy@acme.test", "bob@acme.test", "cy@acme.test"]
    assert list(data["meetings"][0]["attendance"].items()) == [
        ("amy@acme.test", False),
        ("bob@acme.test", True),
        ("cy@acme.test", True),
    ]


@pytest.mark.django_db
def test_the_export_is_plain_json():
    SeatFactory()
    SocialAccountFactory(last_post_at=datetime.date(2026, 11, 20))
    AttendanceFactory()

    data = export_bundle()

    assert json.loads(json.dumps(data)) == data


def _populate(size: int) -> None:
    group = StakeholderGroupFactory()
    for n in range(size):
        department = DepartmentFactory(head=UserFactory(password=None))
        person = PersonFactory(department=department, user=department.head)
        person.expertise.add(ExpertiseTag.objects.create(name=f"tag-{n}"))
        SeatFactory(person=person)
        SeatFactory(person=person, department=None, group=group)
        account = SocialAccountFactory(owner=department)
        account.managers.add(person)
        AttendanceFactory(person=person)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 20])
def test_the_export_takes_a_fixed_number_of_queries(size, django_assert_num_queries):
    _populate(size)

    with django_assert_num_queries(9):
        export_bundle()
