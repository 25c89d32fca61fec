"""Importing an org bundle: what gets written, how records are matched, and every
way a bundle can be refused (each refusal leaves the database as it was)."""

import copy
import datetime
import json
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from governance.models import Attendance, Meeting, Policy, Snapshot
from stakeholders import bundle
from stakeholders.bundle import BundleError, import_bundle, load_bundle_text
from stakeholders.models import (
    Department,
    ExpertiseTag,
    Person,
    Seat,
    SocialAccount,
    StakeholderGroup,
)

# Users are made with password=None: hashing a password takes a second here.
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    SeatFactory,
    SocialAccountFactory,
    UserFactory,
)

# The example of DESIGN.md, "Org bundle", verbatim.
DESIGN_EXAMPLE = {
    "format": "roundtable-org/1",
    "departments": [
        {
            "key": "mkt",
            "name": "Marketing",
            "parent": None,
            "kind": "business_unit",
            "function": "marketing",
            "headcount": 120,
            "customer_facing": True,
            "influence": 4,
            "interest": 5,
            "head": "ana@acme.test",
            "active": True,
        }
    ],
    "stakeholder_groups": [{"key": "cap", "name": "Customer Advisory Panel", "kind": "customers"}],
    "people": [
        {
            "email": "ana@acme.test",
            "name": "Ana Ruiz",
            "title": "Social lead",
            "seniority": "manager",
            "department": "mkt",
            "expertise": ["community"],
            "active": True,
        }
    ],
    "seats": [
        {
            "person": "ana@acme.test",
            "department": "mkt",
            "group": None,
            "role": "lead",
            "status": "approved",
            "nominated_at": "2026-01-05",
            "decided_at": "2026-01-09",
            "term_start": "2026-01-09",
            "term_end": None,
        }
    ],
    "accounts": [
        {
            "platform": "linkedin",
            "handle": "acme",
            "url": "https://www.linkedin.com/company/acme",
            "owner": "mkt",
            "status": "active",
            "followers": 5400,
            "purpose": "brand",
            "last_post_at": "2026-11-20",
            "managers": ["ana@acme.test"],
        }
    ],
    "meetings": [
        {"date": "2026-11-03", "title": "COE monthly", "attendance": {"ana@acme.test": True}}
    ],
}


def design_example() -> dict:
    return copy.deepcopy(DESIGN_EXAMPLE)


def richer_example() -> dict:
    """The design example plus a sub-department, a second person and a group seat."""
    data = design_example()
    data["departments"].append(
        {"key": "pr", "name": "Public Relations", "parent": "mkt", "function": "communications"}
    )
    data["people"].append({"email": "bo@acme.test", "name": "Bo Chen", "department": "pr"})
    data["seats"].append({"person": "bo@acme.test", "group": "cap", "status": "nominated"})
    data["meetings"][0]["attendance"]["bo@acme.test"] = False
    return data


REGISTRY_MODELS = (Department, StakeholderGroup, Person, Seat, SocialAccount, Meeting, Attendance)


def registry_counts() -> dict[str, int]:
    """Rows of every table an import may touch, history and link tables included."""
    counts = {model.__name__: model.objects.count() for model in REGISTRY_MODELS}
    counts.update({f"{model.__name__} history": model.history.count() for model in REGISTRY_MODELS})
    counts["ExpertiseTag"] = ExpertiseTag.objects.count()
    counts["Person.expertise"] = Person.expertise.through.objects.count()
    counts["SocialAccount.managers"] = SocialAccount.managers.through.objects.count()
    counts["User"] = User.objects.count()
    return counts


def assert_rejected(data, fragment: str, *, replace: bool = False) -> list[str]:
    """The import fails with an error containing `fragment` and changes nothing."""
    before = registry_counts()
    with pytest.raises(BundleError) as caught:
        import_bundle(data, replace=replace)
    errors = caught.value.errors
    assert any(fragment in error for error in errors), errors
    assert registry_counts() == before
    return errors


@pytest.fixture
def populated(db):
    """The registry after importing the richer example, so refusals have something to keep."""
    import_bundle(richer_example())
    return registry_counts()


# ---------------------------------------------------------------------------
# Writing a valid bundle
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_design_example_creates_every_record_with_its_fields():
    summary = import_bundle(design_example())

    mkt = Department.objects.get(key="mkt")
    assert (mkt.name, mkt.kind, mkt.function, mkt.headcount) == (
        "Marketing",
        "business_unit",
        "marketing",
        120,
    )
    assert (mkt.customer_facing, mkt.influence, mkt.interest, mkt.active) == (True, 4, 5, True)
    ana = Person.objects.get(email="ana@acme.test")
    assert (ana.name, ana.title, ana.seniority, ana.department) == (
        "Ana Ruiz",
        "Social lead",
        "manager",
        mkt,
    )
    assert list(ana.expertise.values_list("name", flat=True)) == ["community"]
    assert mkt.head == ana.user
    seat = Seat.objects.get()
    assert (seat.person, seat.department, seat.role, seat.status) == (ana, mkt, "lead", "approved")
    assert seat.term_start == datetime.date(2026, 1, 9)
    account = SocialAccount.objects.get()
    assert (account.platform, account.handle, account.owner, account.followers) == (
        "linkedin",
        "acme",
        mkt,
        5400,
    )
    assert list(account.managers.all()) == [ana]
    assert Attendance.objects.get().present is True
    assert str(summary.departments) == "1 created, 0 updated, 0 unchanged"
    assert summary.users_created == 1


@pytest.mark.django_db
def test_fields_left_out_take_the_documented_defaults():
    import_bundle(
        {
            "format": "roundtable-org/1",
            "departments": [{"key": "ops", "name": "Operations"}],
            "stakeholder_groups": [{"key": "staff", "name": "Staff panel"}],
            "people": [{"email": "cy@acme.test", "name": "Cy"}],
            "seats": [{"person": "cy@acme.test", "department": "ops"}],
            "accounts": [{"platform": "x", "handle": "acme_ops"}],
            "meetings": [{"date": "2026-02-01", "title": "Kick-off"}],
        }
    )

    ops = Department.objects.get()
    assert (ops.parent, ops.kind, ops.function, ops.headcount, ops.customer_facing) == (
        None,
        "function",
        "other",
        0,
        False,
    )
    assert (ops.influence, ops.interest, ops.head, ops.active) == (3, 3, None, True)
    assert StakeholderGroup.objects.get().kind == "other"
    cy = Person.objects.get()
    assert (cy.title, cy.seniority, cy.department, cy.active, cy.user) == (
        "",
        None,
        None,
        True,
        None,
    )
    assert cy.expertise.count() == 0
    seat = Seat.objects.get()
    assert (seat.role, seat.status, seat.nominated_at, seat.decided_at) == (
        "core",
        "nominated",
        None,
        None,
    )
    assert (seat.term_start, seat.term_end) == (None, None)
    account = SocialAccount.objects.get()
    assert (account.url, account.owner, account.status, account.followers) == (
        "",
        None,
        "active",
        0,
    )
    assert (account.purpose, account.last_post_at, account.managers.count()) == ("other", None, 0)
    assert Meeting.objects.get().attendance.count() == 0


@pytest.mark.django_db
def test_sections_left_out_are_empty_and_touch_nothing():
    DepartmentFactory(key="legal")

    summary = import_bundle({"format": "roundtable-org/1"})

    assert Department.objects.filter(key="legal").exists()
    assert all(counts.created == counts.updated == 0 for _, counts in summary.sections())


@pytest.mark.django_db
def test_emails_are_stored_in_lower_case_and_references_ignore_case():
    data = design_example()
    data["people"][0]["email"] = "  Ana@ACME.test "
    data["departments"][0]["head"] = "ANA@acme.test"
    data["seats"][0]["person"] = "Ana@Acme.Test"
    data["meetings"][0]["attendance"] = {"ANA@ACME.TEST": True}

    import_bundle(data)

    assert list(Person.objects.values_list("email", flat=True)) == ["ana@acme.test"]
    assert User.objects.get().username == "ana@acme.test"


@pytest.mark.django_db
def test_an_existing_person_with_a_mixed_case_email_is_matched_and_lower_cased():
    PersonFactory(email="Ana@Acme.Test", department=None)

    summary = import_bundle(design_example())

    assert Person.objects.get().email == "ana@acme.test"
    assert str(summary.people) == "0 created, 1 updated, 0 unchanged"


@pytest.mark.django_db
def test_handles_are_stored_without_the_at_sign_and_keep_their_case():
    data = design_example()
    data["accounts"][0]["handle"] = " @AcmeCorp"

    import_bundle(data)

    assert SocialAccount.objects.get().handle == "AcmeCorp"


@pytest.mark.django_db
def test_an_account_is_matched_by_platform_and_handle_ignoring_case_and_at():
    SocialAccountFactory(platform="linkedin", handle="ACME", followers=1)

    summary = import_bundle(design_example())

    account = SocialAccount.objects.get()
    assert (account.handle, account.followers) == ("acme", 5400)
    assert str(summary.accounts) == "0 created, 1 updated, 0 unchanged"


@pytest.mark.django_db
def test_the_same_handle_on_another_platform_is_another_account():
    SocialAccountFactory(platform="x", handle="acme")

    import_bundle(design_example())

    assert SocialAccount.objects.count() == 2


@pytest.mark.django_db
def test_expertise_tags_are_normalised_and_repeats_dropped():
    data = design_example()
    data["people"][0]["expertise"] = ["Community Management", "community-management", "SEO"]

    import_bundle(data)

    person = Person.objects.get()
    assert sorted(person.expertise.values_list("name", flat=True)) == [
        "community-management",
        "seo",
    ]


@pytest.mark.django_db
def test_expertise_in_the_bundle_replaces_the_persons_tags():
    import_bundle(design_example())
    data = design_example()
    data["people"][0]["expertise"] = ["crisis", "video"]

    summary = import_bundle(data)

    person = Person.objects.get()
    assert sorted(person.expertise.values_list("name", flat=True)) == ["crisis", "video"]
    assert str(summary.people) == "0 created, 1 updated, 0 unchanged"


@pytest.mark.django_db
def test_the_head_gets_a_new_user_with_an_unusable_password_linked_to_the_person():
    import_bundle(design_example())

    user = User.objects.get()
    assert (user.username, user.email) == ("ana@acme.test", "ana@acme.test")
    assert not user.has_usable_password()
    assert Person.objects.get().user == user
    assert Department.objects.get().head == user


@pytest.mark.django_db
def test_the_head_reuses_the_user_already_linked_to_the_person():
    user = UserFactory(username="ana", password=None)
    PersonFactory(email="ana@acme.test", user=user, department=None)

    summary = import_bundle(design_example())

    assert Department.objects.get().head == user
    assert summary.users_created == 0
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_the_head_links_an_existing_user_with_the_same_email():
    user = UserFactory(username="ana.ruiz", email="ANA@acme.test", password=None)

    import_bundle(design_example())

    assert Department.objects.get().head == user
    assert Person.objects.get().user == user
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_one_person_heading_two_departments_gets_one_user():
    data = design_example()
    data["departments"].append({"key": "pr", "name": "PR", "head": "ana@acme.test"})

    summary = import_bundle(data)

    assert summary.users_created == 1
    assert Department.objects.filter(head__username="ana@acme.test").count() == 2


@pytest.mark.django_db
def test_records_are_updated_by_natural_key_and_the_rest_is_unchanged(populated):
    data = richer_example()
    data["departments"][1]["name"] = "PR & Comms"
    data["stakeholder_groups"][0]["kind"] = "partners"

    summary = import_bundle(data)

    assert Department.objects.get(key="pr").name == "PR & Comms"
    assert StakeholderGroup.objects.get(key="cap").kind == "partners"
    assert str(summary.departments) == "0 created, 1 updated, 1 unchanged"
    assert str(summary.stakeholder_groups) == "0 created, 1 updated, 0 unchanged"
    assert str(summary.people) == "0 created, 0 updated, 2 unchanged"
    assert str(summary.seats) == "0 created, 0 updated, 2 unchanged"


@pytest.mark.django_db
def test_a_field_left_out_on_update_is_reset_to_its_default(populated):
    data = richer_example()
    del data["departments"][0]["headcount"]

    import_bundle(data)

    assert Department.objects.get(key="mkt").headcount == 0


@pytest.mark.django_db
def test_records_missing_from_the_bundle_are_kept_without_replace(populated):
    import_bundle(design_example())

    assert Department.objects.filter(key="pr").exists()
    assert Person.objects.filter(email="bo@acme.test").exists()


@pytest.mark.django_db
def test_reimporting_the_same_bundle_changes_nothing(populated):
    history_before = registry_counts()

    summary = import_bundle(richer_example())

    for name, counts in summary.sections():
        assert counts.created == counts.updated == 0, name
    assert registry_counts() == history_before


@pytest.mark.django_db
def test_a_seat_is_matched_by_person_constituency_and_nomination_date(populated):
    data = richer_example()
    data["seats"][0]["status"] = "ended"
    data["seats"][0]["term_end"] = "2026-06-30"

    summary = import_bundle(data)

    seat = Seat.objects.get(person__email="ana@acme.test")
    assert (seat.status, seat.term_end) == ("ended", datetime.date(2026, 6, 30))
    assert str(summary.seats) == "0 created, 1 updated, 1 unchanged"


@pytest.mark.django_db
@pytest.mark.parametrize("seats", [3, 30], ids=["a few", "more than FEW_VALUES"])
def test_ending_many_seats_at_once_writes_status_and_term_end_together(seats):
    data = company(seats)
    import_bundle(data)
    for n, seat in enumerate(data["seats"]):
        seat.update(status="ended", term_end=f"2026-03-{n + 1:02d}")

    summary = import_bundle(data)

    assert summary.seats.updated == seats
    assert Seat.objects.filter(status="ended", term_end__isnull=False).count() == seats
    exported = {(s["person"], s["term_end"]) for s in bundle.export_bundle()["seats"]}
    assert exported == {(s["person"], s["term_end"]) for s in data["seats"]}


@pytest.mark.django_db
def test_a_seat_nominated_on_another_date_is_a_new_seat(populated):
    data = richer_example()
    data["seats"][0].update(status="ended", term_end="2026-06-30")
    data["seats"].append(
        {"person": "ana@acme.test", "department": "mkt", "nominated_at": "2026-07-01"}
    )

    summary = import_bundle(data)

    assert Seat.objects.filter(person__email="ana@acme.test").count() == 2
    assert str(summary.seats) == "1 created, 1 updated, 1 unchanged"


@pytest.mark.django_db
def test_a_matched_seat_keeps_its_time_of_day_when_the_date_agrees():
    person = PersonFactory(email="ana@acme.test")
    nominated = timezone.make_aware(datetime.datetime(2026, 1, 5, 14, 33))
    seat = SeatFactory(person=person, nominated_at=nominated, status="nominated", term_start=None)
    data = {
        "format": "roundtable-org/1",
        "seats": [
            {
                "person": "ana@acme.test",
                "department": person.department.key,
                "nominated_at": "2026-01-05",
            }
        ],
    }

    summary = import_bundle(data)

    seat.refresh_from_db()
    assert seat.nominated_at == nominated
    assert str(summary.seats) == "0 created, 0 updated, 1 unchanged"


@pytest.mark.django_db
def test_seat_dates_are_stored_as_midnight_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "America/New_York"

    import_bundle(design_example())

    seat = Seat.objects.get()
    new_york = zoneinfo.ZoneInfo("America/New_York")
    assert seat.nominated_at == datetime.datetime(2026, 1, 5, tzinfo=new_york)
    assert seat.decided_at == datetime.datetime(2026, 1, 9, tzinfo=new_york)


@pytest.mark.django_db
def test_closing_a_seat_and_opening_a_new_one_in_the_same_bundle_is_allowed(populated):
    data = richer_example()
    data["seats"][0].update(status="ended", term_end="2026-03-31")
    data["seats"].append(
        {
            "person": "ana@acme.test",
            "department": "mkt",
            "status": "approved",
            "nominated_at": "2026-04-01",
        }
    )

    import_bundle(data)

    assert Seat.objects.open().filter(person__email="ana@acme.test").count() == 1


@pytest.mark.django_db
def test_one_existing_seat_may_close_while_another_reopens(populated):
    data = richer_example()
    data["seats"].insert(
        0,
        {
            "person": "ana@acme.test",
            "department": "mkt",
            "status": "declined",
            "nominated_at": "2025-06-01",
        },
    )
    import_bundle(data)
    data["seats"][0].update(status="approved")
    data["seats"][1].update(status="ended", term_end="2026-06-30")

    summary = import_bundle(data)

    assert str(summary.seats) == "0 created, 2 updated, 1 unchanged"
    reopened = Seat.objects.open().get(person__email="ana@acme.test")
    assert timezone.localdate(reopened.nominated_at) == datetime.date(2025, 6, 1)


@pytest.mark.django_db
def test_attendance_in_the_bundle_replaces_the_meetings_attendance(populated):
    data = richer_example()
    data["meetings"][0]["attendance"] = {"bo@acme.test": True}

    summary = import_bundle(data)

    rows = Attendance.objects.values_list("person__email", "present")
    assert list(rows) == [("bo@acme.test", True)]
    assert str(summary.meetings) == "0 created, 1 updated, 0 unchanged"


@pytest.mark.django_db
def test_managers_in_the_bundle_replace_the_accounts_managers(populated):
    data = richer_example()
    data["accounts"][0]["managers"] = ["bo@acme.test"]

    summary = import_bundle(data)

    account = SocialAccount.objects.get()
    assert list(account.managers.values_list("email", flat=True)) == ["bo@acme.test"]
    assert str(summary.accounts) == "0 created, 1 updated, 0 unchanged"


@pytest.mark.django_db
def test_references_may_point_to_records_already_in_the_database(populated):
    data = {
        "format": "roundtable-org/1",
        "departments": [{"key": "pr-emea", "name": "PR EMEA", "parent": "pr"}],
        "seats": [{"person": "bo@acme.test", "department": "pr-emea"}],
        "accounts": [{"platform": "x", "handle": "acme_pr", "owner": "pr"}],
        "meetings": [{"date": "2026-12-01", "title": "COE monthly"}],
    }

    import_bundle(data)

    assert Department.objects.get(key="pr-emea").parent.key == "pr"
    assert Seat.objects.filter(department__key="pr-emea").exists()
    assert SocialAccount.objects.get(handle="acme_pr").owner.key == "pr"


@pytest.mark.django_db
def test_a_new_sub_tree_is_created_parents_first_whatever_the_file_order():
    data = {
        "format": "roundtable-org/1",
        "departments": [
            {"key": "c", "name": "C", "parent": "b"},
            {"key": "b", "name": "B", "parent": "a"},
            {"key": "a", "name": "A"},
        ],
    }

    import_bundle(data)

    parents = dict(Department.objects.values_list("key", "parent__key"))
    assert parents == {"a": None, "b": "a", "c": "b"}
    assert Department.history.filter(key="c").get().parent_id == Department.objects.get(key="b").pk


@pytest.mark.django_db
def test_replace_empties_the_registry_but_keeps_users_policy_and_snapshots(populated):
    Policy.load()
    Snapshot.objects.create(
        as_of=datetime.date(2026, 1, 1), score=50, grade="narrow", org_model="x"
    )
    extra = DepartmentFactory(key="legacy")
    DepartmentFactory(key="legacy-child", parent=extra)
    ExpertiseTag.objects.create(name="unused")
    users = User.objects.count()

    summary = import_bundle(design_example(), replace=True)

    assert sorted(Department.objects.values_list("key", flat=True)) == ["mkt"]
    assert list(Person.objects.values_list("email", flat=True)) == ["ana@acme.test"]
    assert list(ExpertiseTag.objects.values_list("name", flat=True)) == ["community"]
    assert Seat.objects.count() == Attendance.objects.count() == 1
    assert User.objects.count() == users
    assert Policy.objects.count() == Snapshot.objects.count() == 1
    assert summary.replaced
    assert str(summary).startswith("Registry emptied first (--replace).")


@pytest.mark.django_db
def test_replace_records_the_deletions_in_the_history(populated):
    import_bundle(design_example(), replace=True)

    assert Department.history.filter(history_type="-").count() == 2
    assert Person.history.filter(history_type="-").count() == 2
    assert Seat.history.filter(history_type="-").count() == 2


@pytest.mark.django_db
def test_replace_relinks_the_head_to_the_existing_user(populated):
    user = User.objects.get(username="ana@acme.test")

    summary = import_bundle(design_example(), replace=True)

    assert Person.objects.get().user == user
    assert Department.objects.get().head == user
    assert summary.users_created == 0


@pytest.mark.django_db
def test_bulk_writes_keep_the_history():
    import_bundle(richer_example())

    assert Department.history.filter(history_type="+").count() == 2
    assert Person.history.filter(history_type="+").count() == 2
    assert Seat.history.filter(history_type="+").count() == 2
    assert Attendance.history.filter(history_type="+").count() == 2
    assert Department.history.filter(history_change_reason="org bundle import").count() == 2


@pytest.mark.django_db
def test_updates_are_recorded_in_the_history(populated):
    data = richer_example()
    data["departments"][0]["headcount"] = 130

    import_bundle(data)

    record = Department.history.filter(key="mkt").latest("history_date")
    assert (record.history_type, record.headcount) == ("~", 130)


@pytest.mark.django_db
def test_account_manager_changes_are_recorded_in_the_history(populated):
    data = richer_example()
    data["accounts"][0]["managers"] = ["ana@acme.test", "bo@acme.test"]

    import_bundle(data)

    record = SocialAccount.history.latest("history_date")
    assert record.history_type == "~"
    assert sorted(record.managers.values_list("person__email", flat=True)) == [
        "ana@acme.test",
        "bo@acme.test",
    ]


@pytest.mark.django_db
def test_a_successful_import_announces_one_registry_change(registry_announcements):
    import_bundle(richer_example())

    assert registry_announcements == ["registry changed"]


@pytest.mark.django_db
def test_an_import_that_changes_nothing_announces_no_change(populated, registry_announcements):
    import_bundle(richer_example())

    assert registry_announcements == []


@pytest.mark.django_db
def test_the_snapshot_is_requested_inside_the_import_transaction(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        import_bundle(richer_example(), invite=False)  # the invitations' mail is another

    assert len(callbacks) == 1


@pytest.mark.django_db
def test_a_refused_import_announces_no_change(registry_announcements):
    data = design_example()
    data["departments"][0]["parent"] = "nowhere"

    with pytest.raises(BundleError):
        import_bundle(data)

    assert registry_announcements == []


def company(size: int) -> dict:
    """A flat company of `size` departments, each with two people, a seat and an account."""
    departments, people, seats, accounts, attendance = [], [], [], [], {}
    for n in range(size):
        key = f"d{n}"
        departments.append({"key": key, "name": f"D{n}", "parent": "root", "head": f"h{n}@x.test"})
        for who in (f"h{n}@x.test", f"p{n}@x.test"):
            people.append({"email": who, "name": who, "department": key, "expertise": [f"t{n}"]})
            attendance[who] = n % 2 == 0
        seats.append({"person": f"p{n}@x.test", "department": key, "nominated_at": "2026-01-01"})
        accounts.append({"platform": "x", "handle": f"acct{n}", "owner": key})
        accounts[-1]["managers"] = [f"p{n}@x.test"]
    departments.append({"key": "root", "name": "Root"})
    return {
        "format": "roundtable-org/1",
        "departments": departments,
        "stakeholder_groups": [{"key": "g", "name": "G"}],
        "people": people,
        "seats": seats,
        "accounts": accounts,
        "meetings": [{"date": "2026-02-01", "title": "M", "attendance": attendance}],
    }


def queries_to_import(data: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        import_bundle(data)
    return len(captured)


@pytest.mark.django_db
def test_a_first_import_takes_as_many_queries_at_two_sizes():
    small = queries_to_import(company(10))
    import_bundle({"format": "roundtable-org/1"}, replace=True)
    User.objects.all().delete()

    assert queries_to_import(company(40)) == small


@pytest.mark.django_db
def test_an_update_takes_as_many_queries_at_two_sizes():
    def renamed(size: int) -> dict:
        data = company(size)
        for department in data["departments"]:
            department["name"] += " (new)"
        for person in data["people"]:
            person["expertise"] = ["other"]
        for account in data["accounts"]:
            account["followers"] = 10
            account["managers"] = []
        data["meetings"][0]["attendance"] = {}
        return data

    # Both sizes above bundle.FEW_VALUES distinct names, so both take the same path.
    import_bundle(company(20))
    small = queries_to_import(renamed(20))
    import_bundle(company(40), replace=True)

    assert queries_to_import(renamed(40)) == small


# ---------------------------------------------------------------------------
# Refusals: parsing the text
# ---------------------------------------------------------------------------


def test_text_that_is_not_json_is_refused_with_its_position():
    with pytest.raises(BundleError) as caught:
        load_bundle_text('{"format": "roundtable-org/1",\n  "departments": [}')

    assert caught.value.errors[0].startswith("$: not valid JSON (line 2, column")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "$: expected a JSON object, got a list"),
        ('"bundle"', "$: expected a JSON object, got a string"),
        ('{"departments": []}', 'format: expected "roundtable-org/1", missing'),
        (
            '{"format": "roundtable-org/2"}',
            'format: expected "roundtable-org/1", got "roundtable-org/2"',
        ),
        ('{"format": null}', 'format: expected "roundtable-org/1", got null'),
    ],
    ids=["a list", "a string", "no format tag", "another format", "a null format"],
)
def test_text_that_is_not_a_bundle_object_is_refused(text, message):
    with pytest.raises(BundleError) as caught:
        load_bundle_text(text)

    assert caught.value.errors == [message]


@pytest.mark.django_db
def test_import_bundle_checks_the_format_tag_too(populated):
    assert_rejected({"format": "roundtable-org/0"}, 'format: expected "roundtable-org/1"')


@pytest.mark.django_db
def test_import_bundle_refuses_a_value_that_is_not_an_object(populated):
    assert_rejected(["departments"], "$: expected a JSON object, got a list")


# ---------------------------------------------------------------------------
# Refusals: one bad value each. Every case starts from the richer example
# (already in the database) and breaks one thing.
# ---------------------------------------------------------------------------


def _set(path: str, value):
    """A change to the example: "people[1].email" = value ("people[1]" alone replaces it)."""

    def apply(data: dict) -> None:
        target = data
        parts = path.replace("]", "").replace("[", ".").split(".")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        target[int(last) if last.isdigit() else last] = value

    return apply


def _drop(path: str):
    def apply(data: dict) -> None:
        section, rest = path.split("[")
        index, name = rest.split("].")
        del data[section][int(index)][name]

    return apply


def _append(section: str, entry):
    return lambda data: data[section].append(entry)


BAD_BUNDLES = [
    # structure
    ("a section that is not a list", _set("departments", {}), "departments: expected a list"),
    ("a null section", _set("seats", None), "seats: expected a list, got null"),
    ("an unknown section", _set("teams", []), "teams: unknown section"),
    (
        "an entry that is not an object",
        _set("people[1]", "bo"),
        'people[1]: expected an object, got "bo"',
    ),
    (
        "an unknown department field",
        _set("departments[0].colour", "red"),
        "departments[0].colour: unknown field",
    ),
    ("an unknown person field", _set("people[0].phone", "1"), "people[0].phone: unknown field"),
    (
        "an unknown seat field",
        _set("seats[0].decision_note", "ok"),
        "seats[0].decision_note: unknown field",
    ),
    (
        "an unknown account field",
        _set("accounts[0].user", "ana"),
        "accounts[0].user: unknown field",
    ),
    (
        "an unknown meeting field",
        _set("meetings[0].notes", "x"),
        "meetings[0].notes: unknown field",
    ),
    (
        "an unknown group field",
        _set("stakeholder_groups[0].size", 3),
        "stakeholder_groups[0].size: unknown field",
    ),
    # required fields
    (
        "a department without key",
        _drop("departments[1].key"),
        "departments[1].key: required field missing",
    ),
    (
        "a department without name",
        _drop("departments[0].name"),
        "departments[0].name: required field missing",
    ),
    (
        "a department with a blank name",
        _set("departments[0].name", "  "),
        "departments[0].name: Enter the department's name.",
    ),
    ("a person without email", _drop("people[1].email"), "people[1].email: required field missing"),
    ("a person without name", _drop("people[1].name"), "people[1].name: required field missing"),
    (
        "a group without key",
        _drop("stakeholder_groups[0].key"),
        "stakeholder_groups[0].key: required field missing",
    ),
    (
        "a group without name",
        _drop("stakeholder_groups[0].name"),
        "stakeholder_groups[0].name: required field missing",
    ),
    ("a seat without person", _drop("seats[1].person"), "seats[1].person: required field missing"),
    (
        "an account without platform",
        _drop("accounts[0].platform"),
        "accounts[0].platform: required field missing",
    ),
    (
        "an account without handle",
        _drop("accounts[0].handle"),
        "accounts[0].handle: required field missing",
    ),
    (
        "a meeting without date",
        _drop("meetings[0].date"),
        "meetings[0].date: required field missing",
    ),
    (
        "a meeting without title",
        _drop("meetings[0].title"),
        "meetings[0].title: required field missing",
    ),
    # types
    (
        "a boolean given as a string",
        _set("departments[0].customer_facing", "yes"),
        'departments[0].customer_facing: expected true or false, got "yes"',
    ),
    (
        "a boolean given as a number",
        _set("people[0].active", 1),
        "people[0].active: expected true or false, got 1",
    ),
    (
        "an integer given as a boolean",
        _set("departments[0].headcount", True),
        "departments[0].headcount: expected an integer, got true",
    ),
    (
        "an integer given as a fraction",
        _set("departments[0].headcount", 12.5),
        "departments[0].headcount: expected an integer, got 12.5",
    ),
    (
        "an integer given as a string",
        _set("accounts[0].followers", "5400"),
        'accounts[0].followers: expected an integer, got "5400"',
    ),
    (
        "followers given as a boolean",
        _set("accounts[0].followers", False),
        "accounts[0].followers: expected an integer, got false",
    ),
    (
        "influence given as a boolean",
        _set("departments[0].influence", True),
        "departments[0].influence: expected an integer, got true",
    ),
    (
        "a name given as a number",
        _set("people[0].name", 5),
        "people[0].name: expected a string, got 5",
    ),
    (
        "a title given as null",
        _set("people[0].title", None),
        "people[0].title: expected a string, got null",
    ),
    (
        "expertise that is not a list",
        _set("people[0].expertise", "community"),
        'people[0].expertise: expected a list, got "community"',
    ),
    (
        "managers that are not a list",
        _set("accounts[0].managers", "ana@acme.test"),
        "accounts[0].managers: expected a list",
    ),
    (
        "attendance that is not an object",
        _set("meetings[0].attendance", ["ana@acme.test"]),
        "meetings[0].attendance: expected an object",
    ),
    (
        "attendance that is not true or false",
        _set("meetings[0].attendance", {"ana@acme.test": "yes"}),
        'meetings[0].attendance["ana@acme.test"]: expected true or false, got "yes"',
    ),
    (
        "attendance given as a number",
        _set("meetings[0].attendance", {"ana@acme.test": 1}),
        'meetings[0].attendance["ana@acme.test"]: expected true or false, got 1',
    ),
    (
        "a parent given as a number",
        _set("departments[1].parent", 7),
        "departments[1].parent: expected a key, got 7",
    ),
    # references
    (
        "an unknown parent",
        _set("departments[1].parent", "x"),
        'departments[1].parent: unknown department "x"',
    ),
    (
        "an unknown head",
        _set("departments[0].head", "zed@acme.test"),
        'departments[0].head: unknown person "zed@acme.test"',
    ),
    (
        "an unknown person department",
        _set("people[1].department", "sales"),
        'people[1].department: unknown department "sales"',
    ),
    (
        "an unknown seat person",
        _set("seats[0].person", "x@y"),
        'seats[0].person: unknown person "x@y"',
    ),
    (
        "an unknown seat department",
        _set("seats[0].department", "sales"),
        'seats[0].department: unknown department "sales"',
    ),
    (
        "an unknown seat group",
        _set("seats[1].group", "investors"),
        'seats[1].group: unknown group "investors"',
    ),
    (
        "an unknown account owner",
        _set("accounts[0].owner", "sales"),
        'accounts[0].owner: unknown department "sales"',
    ),
    (
        "an unknown account manager",
        _set("accounts[0].managers", ["ana@acme.test", "zed@acme.test"]),
        'accounts[0].managers[1]: unknown person "zed@acme.test"',
    ),
    (
        "an unknown attendee",
        _set("meetings[0].attendance", {"zed@acme.test": True}),
        'meetings[0].attendance["zed@acme.test"]: unknown person "zed@acme.test"',
    ),
    # duplicates within the file
    (
        "a duplicate department key",
        _append("departments", {"key": "mkt", "name": "Again"}),
        'departments[2].key: duplicate key "mkt" (also departments[0])',
    ),
    (
        "a duplicate group key",
        _append("stakeholder_groups", {"key": "cap", "name": "Again"}),
        'stakeholder_groups[1].key: duplicate key "cap" (also stakeholder_groups[0])',
    ),
    (
        "a duplicate email ignoring case",
        _append("people", {"email": "ANA@acme.test", "name": "Ana"}),
        'people[2].email: duplicate e-mail "ana@acme.test" (also people[0])',
    ),
    (
        "a duplicate handle ignoring case and @",
        _append("accounts", {"platform": "linkedin", "handle": "@ACME"}),
        'accounts[1].handle: duplicate handle "acme" on linkedin (also accounts[0])',
    ),
    (
        "a duplicate meeting",
        _append("meetings", {"date": "2026-11-03", "title": "COE monthly"}),
        'meetings[1].title: duplicate meeting 2026-11-03 "COE monthly" (also meetings[0])',
    ),
    (
        "a duplicate attendee ignoring case",
        _set("meetings[0].attendance", {"ana@acme.test": True, "ANA@acme.test": False}),
        'meetings[0].attendance["ANA@acme.test"]: duplicate e-mail "ana@acme.test"',
    ),
    # the department tree
    (
        "a department that is its own parent",
        _set("departments[0].parent", "mkt"),
        'departments[0].parent: department "mkt" cannot be its own parent',
    ),
    (
        "a cycle of two departments",
        _set("departments[0].parent", "pr"),
        "departments[0].parent: cycle mkt → pr → mkt",
    ),
    # ranges
    (
        "a negative headcount",
        _set("departments[0].headcount", -1),
        "departments[0].headcount: The headcount is 0 or more.",
    ),
    (
        "a headcount too large for the column",
        _set("departments[0].headcount", 2**31),
        "departments[0].headcount: The headcount is at most 2147483647.",
    ),
    (
        "negative followers",
        _set("accounts[0].followers", -5),
        "accounts[0].followers: The number of followers is 0 or more.",
    ),
    (
        "influence below 1",
        _set("departments[0].influence", 0),
        "departments[0].influence: The influence is from 1 to 5.",
    ),
    (
        "interest above 5",
        _set("departments[0].interest", 6),
        "departments[0].interest: The interest is from 1 to 5.",
    ),
    # dates
    (
        "an impossible date",
        _set("seats[0].nominated_at", "2026-02-30"),
        "seats[0].nominated_at: “2026-02-30” is not a date (use YYYY-MM-DD).",
    ),
    (
        "a date in another format",
        _set("seats[0].decided_at", "09/01/2026"),
        "seats[0].decided_at: “09/01/2026” is not a date (use YYYY-MM-DD).",
    ),
    (
        "a compact date",
        _set("seats[0].term_start", "20260109"),
        "seats[0].term_start: “20260109” is not a date (use YYYY-MM-DD).",
    ),
    (
        "a date given as a number",
        _set("accounts[0].last_post_at", 20261120),
        "accounts[0].last_post_at: expected a date written YYYY-MM-DD, got 20261120",
    ),
    (
        "a bad meeting date",
        _set("meetings[0].date", "2026-11-31"),
        "meetings[0].date: “2026-11-31” is not a date (use YYYY-MM-DD).",
    ),
    # seats
    (
        "a term that ends before it starts",
        _set("seats[0].term_end", "2026-01-01"),
        "seats[0].term_end: The term cannot end"
        " before it starts (ends 2026-01-01, starts 2026-01-09).",
    ),
    (
        "an ended seat without term_end",
        _set("seats[0].status", "ended"),
        'seats[0].term_end: required when status is "ended"',
    ),
    ("a seat with no constituency", _set("seats[0].department", None), "seats[0]: no constituency"),
    (
        "a seat with two constituencies",
        _set("seats[0].group", "cap"),
        "seats[0]: two constituencies",
    ),
    (
        "two open seats for one person and department",
        _append(
            "seats", {"person": "ana@acme.test", "department": "mkt", "nominated_at": "2026-03-01"}
        ),
        'seats[2].status: second open seat for "ana@acme.test" in department "mkt" (also seats[0])',
    ),
    (
        "two open seats for one person and group",
        _append("seats", {"person": "bo@acme.test", "group": "cap", "nominated_at": "2026-03-01"}),
        'seats[2].status: second open seat for "bo@acme.test" in group "cap" (also seats[1])',
    ),
    # enums
    (
        "an unknown platform",
        _set("accounts[0].platform", "myspace"),
        "accounts[0].platform: unknown platform “myspace”"
        " (one of: x, facebook, instagram, linkedin, youtube, tiktok, threads, bluesky,"
        " mastodon, reddit, pinterest, other)",
    ),
    (
        "an unknown seniority",
        _set("people[0].seniority", "intern"),
        "people[0].seniority: unknown seniority “intern”"
        " (one of: individual_contributor, manager, director, executive)",
    ),
    (
        "an unknown seat status",
        _set("seats[0].status", "pending"),
        "seats[0].status: unknown status “pending”"
        " (one of: nominated, approved, declined, withdrawn, ended)",
    ),
    (
        "an unknown account status",
        _set("accounts[0].status", "deleted"),
        "accounts[0].status: unknown status “deleted”"
        " (one of: active, dormant, retired, unverified)",
    ),
    (
        "an unknown seat role",
        _set("seats[0].role", "chair"),
        "seats[0].role: unknown role “chair” (one of: lead, core, extended, advisor)",
    ),
    (
        "an unknown department kind",
        _set("departments[0].kind", "division"),
        "departments[0].kind: unknown kind “division”"
        " (one of: business_unit, function, region, team)",
    ),
    (
        "an unknown group kind",
        _set("stakeholder_groups[0].kind", "investors"),
        "stakeholder_groups[0].kind: unknown kind “investors”"
        " (one of: customers, employees, partners, community, other)",
    ),
    (
        "an unknown function",
        _set("departments[0].function", "social"),
        "departments[0].function: unknown function “social”"
        " (one of: marketing, communications, customer_support, sales, product, engineering,"
        " hr, legal, compliance, it_security, finance, operations, executive, other)",
    ),
    (
        "an unknown purpose",
        _set("accounts[0].purpose", "memes"),
        "accounts[0].purpose: unknown purpose “memes”"
        " (one of: brand, support, careers, product, regional, executive, other)",
    ),
    (
        "a seniority given in capitals",
        _set("people[0].seniority", "Manager"),
        "people[0].seniority: unknown seniority “Manager”"
        " (one of: individual_contributor, manager, director, executive)",
    ),
    # formats and lengths
    (
        "an invalid email",
        _set("people[1].email", "bob@"),
        "people[1].email: “bob@” is not an e-mail address.",
    ),
    (
        "an email without a domain",
        _set("people[1].email", "bob"),
        "people[1].email: “bob” is not an e-mail address.",
    ),
    (
        "a key with a space",
        _set("departments[1].key", "p r"),
        "departments[1].key: A key has only letters, digits, - and _ (no spaces).",
    ),
    (
        "a key with an accent",
        _set("stakeholder_groups[0].key", "clíents"),
        "stakeholder_groups[0].key: A key has only letters, digits, - and _ (no spaces).",
    ),
    (
        "a key too long",
        _set("departments[1].key", "k" * 65),
        "departments[1].key: A key has at most 64 characters.",
    ),
    (
        "a department name too long",
        _set("departments[0].name", "n" * 201),
        "departments[0].name: The department's name is too long (201 characters, at most 200).",
    ),
    (
        "a title too long",
        _set("people[0].title", "t" * 201),
        "people[0].title: The title is too long (201 characters, at most 200).",
    ),
    (
        "a handle too long",
        _set("accounts[0].handle", "h" * 201),
        "accounts[0].handle: The handle is too long (201 characters, at most 200).",
    ),
    (
        "a meeting title too long",
        _set("meetings[0].title", "m" * 201),
        "meetings[0].title: The meeting's title is too long (201 characters, at most 200).",
    ),
    (
        "an email too long",
        _set(
            "people[1].email",
            "b" * 64 + "@" + "d" * 60 + "." + "e" * 60 + "." + "f" * 60 + "." + "g" * 60 + ".test",
        ),
        "people[1].email: The e-mail address is too long (313 characters, at most 254).",
    ),
    (
        "an invalid URL",
        _set("accounts[0].url", "not a url"),
        "accounts[0].url: “not a url” is not a web address (http:// or https://).",
    ),
    (
        "a URL without scheme",
        _set("accounts[0].url", "www.linkedin.com/acme"),
        "accounts[0].url: “www.linkedin.com/acme” is not a web address (http:// or https://).",
    ),
    (
        "a URL too long",
        _set("accounts[0].url", "https://acme.test/" + "p" * 490),
        "accounts[0].url: The address is too long (508 characters, at most 500).",
    ),
    (
        "a handle that is only an at sign",
        _set("accounts[0].handle", "@"),
        "accounts[0].handle: Enter the account's handle: a handle needs more than an @.",
    ),
    (
        "an invalid expertise tag",
        # "c++" is a tag (docs/decisions.md, "One rule per field"); a slash is not.
        _set("people[0].expertise", ["community", "c++", "paid/social"]),
        "people[0].expertise[2]: The tag “paid/social”"
        " may hold letters, digits, spaces and - _ + # . only.",
    ),
    (
        "an expertise tag that is not a string",
        _set("people[0].expertise", [3]),
        "people[0].expertise[0]: expected a string, got 3",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [case[1:] for case in BAD_BUNDLES],
    ids=[case[0] for case in BAD_BUNDLES],
)
def test_a_bad_bundle_is_refused_with_its_path_and_changes_nothing(populated, change, message):
    data = richer_example()
    change(data)

    assert_rejected(data, message)


@pytest.mark.django_db
def test_every_error_is_reported_at_once_in_bundle_order(populated):
    data = richer_example()
    data["meetings"][0]["date"] = "tomorrow"
    data["departments"][1]["parent"] = "x"
    data["departments"][0]["influence"] = 9
    data["seats"][1]["person"] = "zed@acme.test"
    data["people"][1]["email"] = "bob@"

    errors = assert_rejected(data, "departments[0].influence")

    assert errors == [
        "departments[0].influence: The influence is from 1 to 5.",
        'departments[1].parent: unknown department "x"',
        "people[1].email: “bob@” is not an e-mail address.",
        'seats[1].person: unknown person "zed@acme.test"',
        "meetings[0].date: “tomorrow” is not a date (use YYYY-MM-DD).",
    ]


@pytest.mark.django_db
def test_an_invalid_email_does_not_also_make_its_references_unknown(populated):
    data = richer_example()
    data["people"][1]["email"] = "bo@"
    data["seats"][1]["person"] = "bo@"

    errors = assert_rejected(data, "people[1].email: “bo@” is not an e-mail address.")

    assert len(errors) == 1


@pytest.mark.django_db
def test_a_cycle_is_reported_once(populated):
    data = richer_example()
    data["departments"][0]["parent"] = "pr"

    errors = assert_rejected(data, "cycle")

    assert errors == ["departments[0].parent: cycle mkt → pr → mkt"]


@pytest.mark.django_db
def test_a_cycle_formed_with_departments_in_the_database_is_refused(populated):
    data = {
        "format": "roundtable-org/1",
        "departments": [{"key": "mkt", "name": "Marketing", "parent": "pr"}],
    }

    assert_rejected(data, "departments[0].parent: cycle mkt → pr → mkt")


@pytest.mark.django_db
def test_a_longer_cycle_through_the_database_is_refused(populated):
    data = {
        "format": "roundtable-org/1",
        "departments": [
            {"key": "pr-emea", "name": "PR EMEA", "parent": "pr"},
            {"key": "mkt", "name": "Marketing", "parent": "pr-emea"},
        ],
    }

    # Reported once, at the first department of the cycle in the file.
    errors = assert_rejected(data, "departments[0].parent: cycle pr-emea → pr → mkt → pr-emea")

    assert len(errors) == 1


@pytest.mark.django_db
def test_a_second_open_seat_next_to_one_in_the_database_is_refused(populated):
    data = {
        "format": "roundtable-org/1",
        "seats": [
            {"person": "ana@acme.test", "department": "mkt", "nominated_at": "2026-03-01"},
        ],
    }

    assert_rejected(
        data,
        'seats[0].status: "ana@acme.test" already holds an open seat for department "mkt"',
    )


@pytest.mark.django_db
def test_a_closed_seat_next_to_an_open_one_in_the_database_is_accepted(populated):
    data = {
        "format": "roundtable-org/1",
        "seats": [
            {
                "person": "ana@acme.test",
                "department": "mkt",
                "nominated_at": "2025-03-01",
                "status": "declined",
            },
        ],
    }

    summary = import_bundle(data)

    assert str(summary.seats) == "1 created, 0 updated, 0 unchanged"


@pytest.mark.django_db
def test_with_replace_references_to_the_database_are_unknown(populated):
    data = {
        "format": "roundtable-org/1",
        "departments": [{"key": "pr-emea", "name": "PR EMEA", "parent": "pr"}],
    }

    assert_rejected(data, 'departments[0].parent: unknown department "pr"', replace=True)


@pytest.mark.django_db
def test_with_replace_the_open_seats_in_the_database_do_not_count(populated):
    data = richer_example()
    data["seats"][0]["nominated_at"] = "2026-03-01"

    summary = import_bundle(data, replace=True)

    assert summary.seats.created == 2


@pytest.mark.django_db
def test_a_head_whose_username_belongs_to_another_person_is_refused():
    user = UserFactory(username="ana@acme.test", password=None)
    PersonFactory(email="other@acme.test", user=user)

    assert_rejected(
        design_example(),
        "departments[0].head: user ana@acme.test is already linked to person other@acme.test",
    )


@pytest.mark.django_db
def test_the_json_text_of_the_design_example_imports():
    data = load_bundle_text(json.dumps(DESIGN_EXAMPLE))

    import_bundle(data)

    assert Department.objects.count() == 1


@pytest.mark.django_db
def test_the_meetings_a_bundle_writes_carry_their_counts():
    import_bundle(richer_example())
    meeting = Meeting.objects.get()
    assert meeting.counts == {"expected": 1, "present": 1, "holders_present": 1, "recorded": 2}
    data = richer_example()
    data["meetings"][0]["attendance"]["ana@acme.test"] = False
    import_bundle(data)
    meeting.refresh_from_db()
    assert meeting.counts == {"expected": 1, "present": 0, "holders_present": 0, "recorded": 2}
