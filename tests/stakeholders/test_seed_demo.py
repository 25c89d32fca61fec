"""`manage.py seed_demo` and the demo company it builds (stakeholders/demo.py)."""

import datetime
import io
import json
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from governance.models import Attendance, Meeting
from stakeholders import bundle, demo
from stakeholders.models import (
    Department,
    ExpertiseTag,
    Person,
    Seat,
    SocialAccount,
    StakeholderGroup,
)

TODAY = datetime.date(2026, 3, 10)
MARKETING_AND_COMMS = {"marketing", "communications"}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(today: datetime.date = TODAY, *args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--today", today.isoformat(), *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [Department, ExpertiseTag, Person, Seat, SocialAccount, StakeholderGroup]
    models += [Meeting, Attendance, User]
    # Every history table too: a second run must not even record a change.
    models += [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    return {m.__name__: m.objects.count() for m in models}


# --- The bundle, without a database --------------------------------------------------


def all_dates(data: dict) -> list[datetime.date]:
    fields = {"seats": ["nominated_at", "decided_at", "term_start", "term_end"]}
    fields |= {"accounts": ["last_post_at"], "meetings": ["date"]}
    return [
        datetime.date.fromisoformat(row[name])
        for section, names in fields.items()
        for row in data[section]
        for name in names
        if row[name] is not None
    ]


def test_demo_bundle_is_the_same_every_time_for_the_same_day():
    assert demo.demo_bundle(TODAY) == demo.demo_bundle(TODAY)


@pytest.mark.parametrize(
    "today",
    [TODAY, datetime.date(2024, 2, 29), datetime.date(2027, 1, 1), datetime.date(2026, 12, 31)],
)
def test_demo_bundle_has_no_date_after_today_and_is_a_valid_bundle(today):
    data = demo.demo_bundle(today)

    assert max(all_dates(data)) <= today
    assert bundle.load_bundle_text(json.dumps(data)) == data


def test_demo_bundle_dates_follow_the_day_it_is_built():
    meetings = demo.demo_bundle(TODAY)["meetings"]

    dates = [datetime.date.fromisoformat(m["date"]) for m in meetings]
    assert len(dates) == 8
    assert dates == sorted(dates)
    assert TODAY - datetime.timedelta(days=31) < dates[-1] <= TODAY
    assert all(25 <= (b - a).days <= 35 for a, b in zip(dates, dates[1:], strict=False))


def test_demo_company_has_three_levels_of_departments_across_most_functions():
    departments = demo.demo_bundle(TODAY)["departments"]
    parent = {d["key"]: d["parent"] for d in departments}

    def depth(key):
        return 1 if parent[key] is None else 1 + depth(parent[key])

    assert 35 <= len(departments) <= 50
    assert {depth(key) for key in parent} == {1, 2, 3}
    assert len({d["function"] for d in departments}) >= 12
    assert {d["kind"] for d in departments} == {"business_unit", "function", "region", "team"}


def test_demo_people_have_titles_seniorities_and_expertise():
    people = demo.demo_bundle(TODAY)["people"]
    tags = Counter(tag for p in people for tag in p["expertise"])

    assert 230 <= len(people) <= 270
    assert len({p["email"] for p in people}) == len(people)
    assert all(p["title"] for p in people)
    assert {p["seniority"] for p in people} >= {
        "individual_contributor",
        "manager",
        "director",
        "executive",
    }
    for tag in ["community", "crisis-comms", "analytics", "paid-social", "customer-care"]:
        assert tags[tag] >= 3, tag
    for tag in ["employer-brand", "legal-review", "video", "localization"]:
        assert tags[tag] >= 3, tag


def test_demo_accounts_span_many_platforms_and_purposes():
    accounts = demo.demo_bundle(TODAY)["accounts"]

    assert len(accounts) == 60
    assert len({a["platform"] for a in accounts}) >= 10
    assert len({a["purpose"] for a in accounts}) == 7
    assert all(a["followers"] > 0 for a in accounts)


# --- Seeding ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_demo_builds_the_company_and_prints_a_summary():
    output = seed()

    assert "Northwind Outfitters, as of 2026-03-10" in output
    assert "people" in output and "lead" in output
    assert 35 <= Department.objects.count() <= 50
    assert 230 <= Person.objects.count() <= 270
    assert SocialAccount.objects.count() == 60
    assert Meeting.objects.count() == 8
    assert Attendance.objects.count() >= 8 * 8
    assert set(StakeholderGroup.objects.values_list("kind", flat=True)) == {
        "customers",
        "employees",
        "partners",
    }


@pytest.mark.django_db
def test_seed_demo_run_twice_changes_nothing(client):
    seed()
    before, export = counts(), bundle.export_bundle()
    passwords = dict(User.objects.values_list("username", "password"))

    output = seed()

    assert counts() == before
    assert bundle.export_bundle() == export
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert "0 created, 0 updated" in output
    assert "created:" not in output


@pytest.mark.django_db
def test_seed_demo_export_is_the_demo_bundle():
    seed()

    exported = bundle.export_bundle()
    built = demo.demo_bundle(TODAY)

    def by(rows, *keys):
        return sorted(rows, key=lambda r: tuple(str(r[k]) for k in keys))

    assert by(exported["departments"], "key") == by(built["departments"], "key")
    assert by(exported["people"], "email") == by(built["people"], "email")
    assert len(exported["seats"]) == len(built["seats"])


@pytest.mark.django_db
def test_seed_demo_on_another_day_rebuilds_the_demo_for_that_day():
    seed(TODAY)

    output = seed(TODAY + datetime.timedelta(days=40))

    assert "rebuilt it from scratch" in output
    assert Meeting.objects.count() == 8
    assert Seat.objects.count() == len(demo.SEATS)
    assert User.objects.get(username="head").headed_departments.get().key == "cx-care"
    assert Person.objects.get(user__username="lead").email == "maya.lindqvist@northwind.test"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username, lead, staff", [("lead", True, False), ("head", False, False), ("admin", True, True)]
)
def test_demo_users_sign_in_with_roundtable_and_have_their_roles(client, username, lead, staff):
    seed()

    user = User.objects.get(username=username)
    # Through the sign-in page (django-axes needs the request that client.login() omits).
    response = client.post("/accounts/login/", {"username": username, "password": "roundtable"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.is_coe_lead is lead
    assert (user.is_staff, user.is_superuser) == (staff, staff)
    assert user.groups.filter(name="COE leads").exists() is (username == "lead")


@pytest.mark.django_db
def test_seed_demo_makes_existing_demo_users_usable_again():
    User.objects.create_user("lead", password="forgotten", is_active=False)

    seed()

    lead = User.objects.get(username="lead")
    assert lead.is_active and lead.check_password("roundtable")


@pytest.mark.django_db
def test_demo_head_heads_a_customer_facing_department_with_accounts_and_no_open_seat():
    seed()

    head = User.objects.get(username="head")
    [department] = head.headed_departments.all()
    assert department.customer_facing
    assert department.accounts.filter(status__in=["active", "dormant"]).count() >= 2
    assert not department.seats.open().exists()
    assert head.person.department == department


@pytest.mark.django_db
def test_demo_lead_is_linked_to_the_person_holding_the_lead_seat():
    seed()

    person = User.objects.get(username="lead").person
    assert person.seats.get(status="approved").role == "lead"


@pytest.mark.django_db
def test_demo_coe_is_a_marketing_and_communications_clubhouse_of_directors():
    seed()

    approved = Seat.objects.filter(status="approved", department__isnull=False)
    functions = Counter(approved.values_list("department__function", flat=True))
    seniority = Counter(Seat.objects.filter(status="approved").values_list("person__seniority"))
    assert sum(functions[f] for f in MARKETING_AND_COMMS) / sum(functions.values()) > 0.8
    assert seniority[("director",)] > sum(seniority.values()) / 2
    assert approved.filter(role="lead").count() == 1


@pytest.mark.django_db
def test_demo_customer_facing_silos_own_accounts_in_use_without_a_seat():
    seed()

    for function in ["customer_support", "sales", "hr"]:
        silos = Department.objects.filter(
            function=function,
            customer_facing=True,
            accounts__status__in=["active", "dormant"],
            active=True,
        ).exclude(seats__status__in=["nominated", "approved"])
        assert silos.exists(), function
    region = Department.objects.filter(kind="region", accounts__status="active")
    assert region.exclude(seats__status__in=["nominated", "approved"]).exists()
    assert SocialAccount.objects.filter(purpose="careers", owner__seats__isnull=True).exists()


@pytest.mark.django_db
def test_demo_has_the_findings_a_coe_lead_should_act_on():
    seed()

    nominations = Seat.objects.filter(status="nominated")
    stale = [s for s in nominations if (TODAY - s.nominated_at.date()).days > 14]
    assert 1 <= nominations.count() <= 2
    assert len(stale) == 1
    assert SocialAccount.objects.filter(status="unverified").count() == 1
    assert SocialAccount.objects.filter(status__in=["active", "dormant"], owner=None).count() == 1
    departed = Person.objects.filter(active=False, managed_accounts__isnull=False).distinct()
    assert departed.count() == 2


@pytest.mark.django_db
def test_seed_demo_replace_rebuilds_the_registry():
    seed()
    Department.objects.filter(key="cx-care").update(name="Renamed")

    output = seed(TODAY, "--replace")

    assert "Registry emptied first" in output
    assert Department.objects.get(key="cx-care").name == "Customer Care"


def test_seed_demo_rejects_a_malformed_day():
    with pytest.raises(CommandError, match="invalid date"):
        call_command("seed_demo", "--today", "2026-13-01")
