"""Each list's page, its CSV export and its API endpoint hold the same records for the same
query string, because they read one FilterSet (stakeholders.filters, governance.filters).

A value a filter cannot read is named by all three: the page lists the rows without
that filter and says which one it left out, the export and the API answer 400."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.http import QueryDict

from governance.services import snapshot_take
from tests.factories import (
    DepartmentFactory,
    MeetingFactory,
    PersonFactory,
    SeatFactory,
    SocialAccountFactory,
    StakeholderGroupFactory,
)
from tests.stakeholders.sheet_files import read_csv

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Lst:
    page: str
    page_keys: Callable  # the page's response -> the keys of the rows it lists
    api: str  # with the fixed part of the query that makes the API's list the page's
    api_key: Callable  # an API row -> its key
    export: str | None = None
    export_key: Callable | None = None  # a CSV row (dict) -> its key


LISTS = {
    "departments": Lst(
        page="/departments/",
        page_keys=lambda r: [d.key for d in r.context["page"]],
        api="/api/departments/?",
        api_key=lambda row: row["key"],
        export="/departments/export.csv",
        export_key=lambda row: row["key"],
    ),
    "people": Lst(
        page="/people/",
        page_keys=lambda r: [p.email for p in r.context["page"]],
        api="/api/people/?",
        api_key=lambda row: row["email"],
        export="/people/export.csv",
        export_key=lambda row: row["email"],
    ),
    "social": Lst(
        page="/social/",
        page_keys=lambda r: [(a.platform, a.handle.lower()) for a in r.context["page"]],
        api="/api/accounts/?",
        api_key=lambda row: (row["platform"], row["handle"].lower()),
        export="/social/export.csv",
        export_key=lambda row: (row["platform"], row["handle"].lower()),
    ),
    # The roster lists the seats that count today: the API's `current=1`.
    "roster": Lst(
        page="/roster/",
        page_keys=lambda r: [
            (s.person.email, (s.department or s.group).key, s.role) for s, *_ in r.context["rows"]
        ],
        api="/api/seats/?current=1&",
        api_key=lambda row: (row["person_email"], row["department"] or row["group"], row["role"]),
        export="/roster/export.csv",
        export_key=lambda row: (row["email"], row["constituency"], row["role"]),
    ),
    # The queue lists the nominations waiting for a decision: the API's `status=nominated`.
    "queue": Lst(
        page="/nominations/",
        page_keys=lambda r: [entry.seat.pk for entry in r.context["queue"].entries],
        api="/api/seats/?status=nominated&",
        api_key=lambda row: row["id"],
    ),
    "groups": Lst(
        page="/groups/",
        page_keys=lambda r: [g.key for g in r.context["page"]],
        api="/api/groups/?",
        api_key=lambda row: row["key"],
    ),
    "meetings": Lst(
        page="/meetings/",
        page_keys=lambda r: [m.title for m in r.context["page"]],
        api="/api/meetings/?",
        api_key=lambda row: row["title"],
    ),
}

# (list, query): every filter of each page's bar, some the API had before, and mixes.
GOOD = [
    ("departments", ""),
    ("departments", "function=hr"),
    ("departments", "q=SUPPORT"),
    ("departments", "kind=team&function=customer_support"),
    ("departments", "accounts=yes"),
    ("departments", "accounts=no&archived=1"),
    ("departments", "representation=none"),
    ("departments", "representation=direct&sort=-headcount"),
    ("departments", "archived=1"),
    ("departments", "active=false"),
    ("departments", "parent=support&top_level=0"),
    ("departments", "head=head_b"),
    ("people", ""),
    ("people", "q=ana"),
    ("people", "department=support"),
    ("people", "department=support&sub=1"),
    ("people", "department=none"),
    ("people", "seniority=none"),
    ("people", "seniority=director&active=1"),
    ("people", "active=0"),
    ("people", "active=true"),
    ("people", "tag=crisis"),
    ("people", "seated=yes"),
    ("people", "seated=no&department=support&sub=1"),
    ("people", "email=BO@acme.test"),
    ("social", ""),
    ("social", "platform=x"),
    ("social", "status=dormant"),
    ("social", "owner=support"),
    ("social", "owner=none"),
    ("social", "finding=yes"),
    ("social", "finding=no&platform=linkedin"),
    ("social", "q=@ACME-SUP"),
    ("roster", ""),
    ("roster", "role=core"),
    ("roster", "constituency=group"),
    ("roster", "q=ana&constituency=department"),
    ("queue", ""),
    ("queue", "role=extended"),
    ("queue", "q=emea"),
    ("groups", ""),
    ("groups", "kind=customers"),
    ("groups", "q=panel"),
    ("meetings", ""),
    ("meetings", "date_after=2026-02-01"),
    ("meetings", "date_before=2026-02-01&q=monthly"),
]

# (list, query, the parameter that cannot be read)
BAD = [
    ("departments", "function=astrology", "function"),
    ("departments", "accounts=maybe&kind=team", "accounts"),
    ("departments", "sort=sideways", "sort"),
    ("departments", "top_level=perhaps", "top_level"),
    ("people", "department=nowhere", "department"),
    ("people", "active=maybe&seniority=director", "active"),
    ("people", "seated=perhaps", "seated"),
    ("people", f"q={'x' * 101}", "q"),
    ("social", "platform=myspace", "platform"),
    ("social", "owner=nowhere&platform=x", "owner"),
    ("social", "finding=sometimes", "finding"),
    ("roster", "role=king", "role"),
    ("roster", "constituency=planet&role=core", "constituency"),
    ("queue", "role=king", "role"),
    ("groups", "kind=aliens", "kind"),
    ("meetings", "date_after=yesterday", "date_after"),
]


@pytest.fixture
def registry(dept_a, dept_a_child, dept_b, lead):
    """A small registry in which each filter keeps some rows and leaves out others."""
    dept_a_child.kind = "team"
    dept_a_child.save()
    DepartmentFactory(key="old", name="Old Support", function="customer_support", active=False)
    ana = PersonFactory(name="Ana", email="ana@acme.test", department=dept_a, seniority="manager")
    ana.expertise.create(name="crisis")
    bo = PersonFactory(
        name="Bo", email="bo@acme.test", department=dept_a_child, seniority="director"
    )
    PersonFactory(name="Cy", email="cy@acme.test", department=dept_b, seniority=None, active=False)
    di = PersonFactory(name="Di", email="di@acme.test", department=None)
    panel = StakeholderGroupFactory(key="panel", name="Customer panel", kind="customers")
    StakeholderGroupFactory(key="staff", name="Staff council", kind="employees")
    SeatFactory(person=ana, department=dept_a, role="core")
    SeatFactory(person=di, department=None, group=panel, role="extended")
    SeatFactory(person=bo, department=dept_a_child, role="extended", status="nominated")
    SeatFactory(person=ana, department=None, group=panel, role="core", status="nominated")
    managed = SocialAccountFactory(platform="linkedin", handle="acme-support", owner=dept_a)
    managed.managers.set([ana, bo])
    SocialAccountFactory(platform="x", handle="acme-hr", owner=dept_b, status="dormant")
    SocialAccountFactory(platform="x", handle="acme-orphan", owner=None)  # a finding
    MeetingFactory(date=datetime.date(2026, 1, 15), title="COE monthly January")
    MeetingFactory(date=datetime.date(2026, 3, 5), title="COE monthly March")
    MeetingFactory(date=datetime.date(2026, 3, 20), title="Budget review")
    snapshot_take()


def page_keys(client, lst: Lst, query: str) -> list:
    response = client.get(f"{lst.page}?{query}")
    assert response.status_code == 200
    return sorted(lst.page_keys(response), key=str)


def api_keys(api, lst: Lst, query: str) -> list:
    response = api.get(f"{lst.api}{query}")
    assert response.status_code == 200, response.content
    return sorted((lst.api_key(row) for row in response.json()["results"]), key=str)


def export_keys(client, lst: Lst, query: str) -> list:
    response = client.get(f"{lst.export}?{query}")
    assert response.status_code == 200, response.content[:300]
    header, *rows = read_csv(response.content)
    return sorted((lst.export_key(dict(zip(header, row, strict=True))) for row in rows), key=str)


@pytest.mark.parametrize(("name", "query"), GOOD)
def test_page_export_and_api_hold_the_same_records(
    registry, client_for, api_for, lead, name, query
):
    lst = LISTS[name]
    on_page = page_keys(client_for(lead), lst, query)
    assert api_keys(api_for(lead), lst, query) == on_page
    if lst.export:
        assert export_keys(client_for(lead), lst, query) == on_page


@pytest.mark.parametrize(("name", "query"), [(n, q) for n, q in GOOD if q])
def test_each_filter_of_the_table_changes_the_list(registry, client_for, lead, name, query):
    """The comparison above is of lists that hold some rows and are not the whole list."""
    client = client_for(lead)
    filtered = page_keys(client, LISTS[name], query)
    assert filtered and filtered != page_keys(client, LISTS[name], "")


@pytest.mark.parametrize(("name", "query", "param"), BAD)
def test_an_unreadable_filter_is_named_by_the_page_the_export_and_the_api(
    registry, client_for, api_for, lead, name, query, param
):
    lst = LISTS[name]
    client = client_for(lead)
    response = client.get(f"{lst.page}?{query}")
    assert response.status_code == 200
    problems = response.context["filters"].problems
    label = response.context["filters"].form[param].label
    assert len(problems) == 1 and problems[0].startswith(f"{label}: ")
    assert problems[0] in response.content.decode()
    # The page lists the rows of the filters it could read.
    rest = QueryDict(query, mutable=True)
    del rest[param]
    assert sorted(lst.page_keys(response), key=str) == page_keys(client, lst, rest.urlencode())

    api = api_for(lead).get(f"{lst.api}{query}")
    assert api.status_code == 400
    assert list(api.json()) == [param]
    if lst.export:
        export = client.get(f"{lst.export}?{query}")
        assert export.status_code == 400
        assert problems[0] in export.content.decode()


@pytest.mark.parametrize("name", list(LISTS))
@pytest.mark.parametrize("number", ["0", "-3", "abc", "1.5", "", "99999999999999999999"])
def test_a_page_number_that_is_not_a_positive_whole_number_shows_page_one(
    registry, client_for, lead, name, number
):
    response = client_for(lead).get(LISTS[name].page, {"page": number})
    assert response.status_code == 200
    page = response.context["queue"].page if name == "queue" else response.context["page"]
    # One past the end (or far past it) is the last page, which is page 1 here.
    assert page.number == 1


# --- the findings: their export and /api/findings/ (the dashboard is a summary page) ---


def finding_keys(rows) -> list:
    return sorted((row["code"], row["subject"]) for row in rows)


@pytest.mark.parametrize(
    "query",
    ["", "severity=high", "code=orphan_account", "q=acme-orphan", "subject=hr&severity=high"],
)
def test_the_findings_export_and_api_hold_the_same_findings(
    registry, client_for, api_for, lead, query
):
    response = client_for(lead).get(f"/findings/export.csv?{query}")
    assert response.status_code == 200
    header, *rows = read_csv(response.content)
    exported = finding_keys(dict(zip(header, row, strict=True)) for row in rows)
    api = api_for(lead).get(f"/api/findings/?page_size=200&{query}")
    assert api.status_code == 200
    assert finding_keys(api.json()["results"]) == exported
    if not query.startswith("subject="):  # chosen to keep some findings
        assert exported


@pytest.mark.parametrize(
    ("query", "param"), [("severity=urgent", "severity"), (f"code={'c' * 65}", "code")]
)
def test_an_unreadable_findings_filter_is_a_400_in_the_export_and_the_api(
    registry, client_for, api_for, lead, query, param
):
    export = client_for(lead).get(f"/findings/export.csv?{query}")
    assert export.status_code == 400
    api = api_for(lead).get(f"/api/findings/?{query}")
    assert api.status_code == 400
    assert list(api.json()) == [param]
