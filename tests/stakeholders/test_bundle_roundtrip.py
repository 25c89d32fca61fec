"""Import then export gives the same bundle: the DESIGN.md example, and a generated
company of a few hundred records written the way people write bundles by hand
(mixed-case e-mails, @handles, defaults left out, lists in any order)."""

import datetime
import random

import pytest

from stakeholders.bundle import SCHEMAS, export_bundle, import_bundle
from stakeholders.models import (
    OPEN_SEAT_STATUSES,
    AccountPurpose,
    AccountStatus,
    DepartmentKind,
    Function,
    GroupKind,
    Platform,
    SeatRole,
    SeatStatus,
    Seniority,
    normalize_handle,
)
from tests.stakeholders.test_bundle_import import design_example, registry_counts

# ---------------------------------------------------------------------------
# A generated company
# ---------------------------------------------------------------------------

TAGS = [
    "community",
    "Community Management",
    "crisis",
    "seo",
    "video",
    "paid-social",
    "analytics",
    "customer_care",
    "employer brand",
    "legal-review",
    "influencers",
    "design",
    "copywriting",
    "Localisation",
    "accessibility",
]


def _day(rng: random.Random, start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(days))


def _maybe_default(rng: random.Random, entry: dict, section: str) -> dict:
    """Leave out, at random, fields that hold their default value."""
    defaults = {f.name: f.default for f in SCHEMAS[section] if not f.required}
    return {
        name: value
        for name, value in entry.items()
        if not (name in defaults and value == defaults[name] and rng.random() < 0.5)
    }


def generated_company(seed: int = 2026) -> dict:
    rng = random.Random(seed)
    functions = list(Function.values)

    departments = []
    for top in range(4):
        top_key = f"bu-{top}"
        departments.append({"key": top_key, "parent": None, "kind": "business_unit"})
        for mid in range(3):
            mid_key = f"{top_key}-fn-{mid}"
            departments.append({"key": mid_key, "parent": top_key, "kind": "function"})
            for team in range(2):
                departments.append(
                    {"key": f"{mid_key}-team-{team}", "parent": mid_key, "kind": "team"}
                )
    for department in departments:
        department.update(
            name=department["key"].replace("-", " ").title(),
            kind=department["kind"] if rng.random() < 0.8 else rng.choice(DepartmentKind.values),
            function=rng.choice(functions),
            headcount=rng.choice([0, rng.randrange(1, 400)]),
            customer_facing=rng.random() < 0.3,
            influence=rng.randint(1, 5),
            interest=rng.randint(1, 5),
            head=None,
            active=rng.random() < 0.9,
        )
    rng.shuffle(departments)  # children may come before their parents

    people = []
    for n in range(300):
        email = f"person{n:03d}@acme.test"
        people.append(
            {
                "email": email.upper() if n % 7 == 0 else email,
                "name": f"Person {n}",
                "title": rng.choice(["", "Social lead", "Manager", "Analyst"]),
                "seniority": rng.choice([None, *Seniority.values]),
                "department": rng.choice([None, *(d["key"] for d in departments)]),
                "expertise": rng.sample(TAGS, rng.randrange(4)),
                "active": rng.random() < 0.95,
            }
        )
    emails = [p["email"].lower() for p in people]
    for department in rng.sample(departments, 20):
        head = rng.choice(emails)
        department["head"] = head.upper() if rng.random() < 0.2 else head

    groups = [
        {"key": f"voice-{kind}", "name": f"{kind.title()} panel", "kind": kind}
        for kind in GroupKind.values
    ]

    seats, open_holders = [], set()
    while len(seats) < 58:
        person = rng.choice(emails)
        if rng.random() < 0.8:
            constituency = {"department": rng.choice(departments)["key"], "group": None}
        else:
            constituency = {"department": None, "group": rng.choice(groups)["key"]}
        status = rng.choice(SeatStatus.values)
        holder = (person, constituency["department"], constituency["group"])
        if status in OPEN_SEAT_STATUSES:
            if holder in open_holders:
                continue
            open_holders.add(holder)
        nominated = _day(rng, datetime.date(2025, 1, 1), 600)
        decided = None if status == "nominated" else nominated + datetime.timedelta(days=5)
        term_start = decided if status in ("approved", "ended") and rng.random() < 0.8 else None
        term_end = None
        if status == "ended" or (status == "approved" and rng.random() < 0.3):
            term_end = (term_start or nominated) + datetime.timedelta(days=rng.randrange(30, 400))
        seats.append(
            {
                "person": person.upper() if rng.random() < 0.1 else person,
                **constituency,
                "role": rng.choice(SeatRole.values),
                "status": status,
                "nominated_at": nominated.isoformat(),
                "decided_at": decided and decided.isoformat(),
                "term_start": term_start and term_start.isoformat(),
                "term_end": term_end and term_end.isoformat(),
            }
        )
    # Two closed seats sharing person, constituency and nomination date: they can
    # only be told apart by their other fields.
    twin = {"person": emails[0], "department": departments[0]["key"], "group": None}
    twin |= {"nominated_at": "2025-06-01", "role": "core", "term_start": None, "term_end": None}
    seats.append(twin | {"status": "withdrawn", "decided_at": "2025-06-03"})
    seats.append(twin | {"status": "declined", "decided_at": "2025-06-02"})

    accounts, handles = [], set()
    while len(accounts) < 80:
        platform = rng.choice(Platform.values)
        handle = f"Acme{rng.choice(['', 'Support', 'Careers', 'News'])}{rng.randrange(1000)}"
        if (platform, handle.lower()) in handles:
            continue
        handles.add((platform, handle.lower()))
        accounts.append(
            {
                "platform": platform,
                "handle": "@" + handle if rng.random() < 0.3 else handle,
                "url": rng.choice(["", f"https://social.example/{handle}"]),
                "owner": rng.choice([None, *(d["key"] for d in departments)]),
                "status": rng.choice(AccountStatus.values),
                "followers": rng.randrange(0, 100_000),
                "purpose": rng.choice(AccountPurpose.values),
                "last_post_at": rng.choice([None, _day(rng, datetime.date(2026, 1, 1), 300)]),
                "managers": rng.sample(emails, rng.randrange(4)),
            }
        )
        if accounts[-1]["last_post_at"] is not None:
            accounts[-1]["last_post_at"] = accounts[-1]["last_post_at"].isoformat()

    meetings = []
    for month in range(1, 7):
        attendees = rng.sample(emails, rng.randrange(10, 20))
        meetings.append(
            {
                "date": datetime.date(2026, month, 3).isoformat(),
                "title": "COE monthly",
                "attendance": {
                    (e.upper() if rng.random() < 0.1 else e): rng.random() < 0.7 for e in attendees
                },
            }
        )
    meetings.append({"date": "2026-03-03", "title": "COE offsite", "attendance": {}})
    rng.shuffle(meetings)

    sections = {
        "departments": departments,
        "stakeholder_groups": groups,
        "people": people,
        "seats": seats,
        "accounts": accounts,
        "meetings": meetings,
    }
    bundle = {"format": "roundtable-org/1"}
    for section, entries in sections.items():
        bundle[section] = [_maybe_default(rng, entry, section) for entry in entries]
    return bundle


def _tag(name: str) -> str:
    return "-".join(name.lower().split())


def normalised(bundle: dict) -> dict:
    """What the export of `bundle` must be: defaults filled in, e-mails in lower case,
    handles without @, tags normalised, lists and sections in export order."""

    def full(section: str, entry: dict) -> dict:
        return {f.name: entry.get(f.name, f.default) for f in SCHEMAS[section]}

    def lower(email):
        return email.lower() if email else email

    departments = [full("departments", d) for d in bundle.get("departments", [])]
    for department in departments:
        department["head"] = lower(department["head"])
    people = [full("people", p) for p in bundle.get("people", [])]
    for person in people:
        person["email"] = person["email"].lower()
        person["expertise"] = sorted({_tag(t) for t in person["expertise"]})
    seats = [full("seats", s) for s in bundle.get("seats", [])]
    for seat in seats:
        seat["person"] = seat["person"].lower()
    accounts = [full("accounts", a) for a in bundle.get("accounts", [])]
    for account in accounts:
        account["handle"] = normalize_handle(account["handle"])
        account["managers"] = sorted({m.lower() for m in account["managers"]})
    meetings = [full("meetings", m) for m in bundle.get("meetings", [])]
    for meeting in meetings:
        meeting["attendance"] = dict(
            sorted((e.lower(), present) for e, present in meeting["attendance"].items())
        )

    def seat_order(seat: dict) -> tuple:
        constituency = (0, seat["department"]) if seat["department"] else (1, seat["group"])
        nominated = seat["nominated_at"]
        return (seat["person"], *constituency, (nominated is not None, nominated or ""))

    return {
        "format": "roundtable-org/1",
        "departments": sorted(departments, key=lambda d: d["key"]),
        "stakeholder_groups": sorted(
            (full("stakeholder_groups", g) for g in bundle.get("stakeholder_groups", [])),
            key=lambda g: g["key"],
        ),
        "people": sorted(people, key=lambda p: p["email"]),
        # A stable sort: seats that tie keep the file order, as their ids do.
        "seats": sorted(seats, key=seat_order),
        "accounts": sorted(accounts, key=lambda a: (a["platform"], a["handle"].lower())),
        "meetings": sorted(meetings, key=lambda m: (m["date"], m["title"])),
    }


def assert_nothing_changes_on_reimport(data: dict) -> None:
    before = registry_counts()

    summary = import_bundle(data)

    for name, counts in summary.sections():
        assert counts.created == counts.updated == 0, (name, counts)
        assert counts.unchanged == len(data.get(name, [])), name
    assert registry_counts() == before


# ---------------------------------------------------------------------------
# The DESIGN.md example
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_design_example_is_exported_as_it_was_imported():
    import_bundle(design_example())

    assert export_bundle() == design_example()


@pytest.mark.django_db
def test_the_design_example_reimported_changes_nothing():
    import_bundle(design_example())

    assert_nothing_changes_on_reimport(design_example())


@pytest.mark.django_db
def test_the_design_example_with_defaults_left_out_exports_in_full():
    data = design_example()
    data["seats"][0]["term_end"] = None
    del data["seats"][0]["term_end"]
    del data["departments"][0]["parent"]
    data["people"][0]["email"] = "Ana@ACME.test"
    data["accounts"][0]["handle"] = "@acme"

    import_bundle(data)

    assert export_bundle() == design_example()


# ---------------------------------------------------------------------------
# A generated company
# ---------------------------------------------------------------------------


def test_the_generated_company_has_the_intended_size():
    data = generated_company()

    sizes = {section: len(data[section]) for section in data if section != "format"}
    assert sizes == {
        "departments": 40,
        "stakeholder_groups": 5,
        "people": 300,
        "seats": 60,
        "accounts": 80,
        "meetings": 7,
    }


@pytest.mark.django_db
def test_a_generated_company_is_exported_as_it_was_imported():
    data = generated_company()

    import_bundle(data)

    assert export_bundle() == normalised(data)


@pytest.mark.django_db
def test_a_generated_company_reimported_changes_nothing():
    data = generated_company()
    import_bundle(data)

    assert_nothing_changes_on_reimport(data)


@pytest.mark.django_db
def test_export_import_export_gives_the_same_bundle():
    import_bundle(generated_company())
    first = export_bundle()

    assert_nothing_changes_on_reimport(first)
    import_bundle(first, replace=True)

    assert export_bundle() == first


@pytest.mark.django_db
def test_an_export_replaces_a_different_registry_exactly():
    import_bundle(generated_company(seed=1))
    wanted = normalised(generated_company(seed=2))

    import_bundle(generated_company(seed=2), replace=True)

    assert export_bundle() == wanted


@pytest.mark.django_db
def test_importing_a_second_company_over_the_first_updates_in_place():
    import_bundle(generated_company(seed=1))
    second = generated_company(seed=2)
    # Seats have no natural key: the first company's open seats would stand
    # next to the second one's.
    second["seats"] = []

    summary = import_bundle(second)

    # Same natural keys (departments, groups, people, meetings), other values.
    assert summary.departments.created == 0
    assert summary.people.created == 0
    exported = export_bundle()
    assert exported["departments"] == normalised(second)["departments"]
    assert exported["people"] == normalised(second)["people"]
    assert_nothing_changes_on_reimport(second)
