"""The CSV/XLSX exports of the lists: everyone signed in, the list page's filters, every
matching row (not one page), formula injection neutralised, a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.services import snapshot_take
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    SeatFactory,
    SocialAccountFactory,
    StakeholderGroupFactory,
)
from tests.stakeholders.sheet_files import read_csv, read_xlsx

pytestmark = pytest.mark.django_db

EXPORTS = ["departments", "people", "roster", "social", "findings"]


def get_csv(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return read_csv(response.content)


def test_the_urls_sit_next_to_the_pages_they_export():
    assert reverse("stakeholders:department-export", args=["csv"]) == "/departments/export.csv"
    assert reverse("stakeholders:person-export", args=["xlsx"]) == "/people/export.xlsx"
    assert reverse("stakeholders:roster-export", args=["csv"]) == "/roster/export.csv"
    assert reverse("stakeholders:account-export", args=["csv"]) == "/social/export.csv"
    assert reverse("governance:finding-export", args=["xlsx"]) == "/findings/export.xlsx"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", EXPORTS)
def test_everyone_signed_in_downloads_every_export(client_for, reader, dept_a, name, fmt):
    response = client_for(reader).get(f"/{name}/export.{fmt}")
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    stem = "accounts" if name == "social" else name
    assert response["Content-Disposition"] == (
        f'attachment; filename="roundtable-{stem}-{today}.{fmt}"'
    )
    if fmt == "xlsx":
        assert read_xlsx(response.content)[0]


@pytest.mark.parametrize("name", EXPORTS)
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(f"/{name}/export.csv")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_an_unknown_format_is_not_found(client_for, reader):
    assert client_for(reader).get("/departments/export.json").status_code == 404


def test_the_departments_export_keeps_the_directory_filters_and_every_page(client_for, reader):
    for i in range(30):
        DepartmentFactory(key=f"mkt-{i:02}", name=f"Marketing {i}", function="marketing")
    DepartmentFactory(key="hr", name="HR", function="hr")
    DepartmentFactory(key="old-mkt", name="Old marketing", function="marketing", active=False)
    rows = get_csv(client_for(reader), "/departments/export.csv?function=marketing&page=2")
    assert [row[0] for row in rows[1:]] == [f"mkt-{i:02}" for i in range(30)]
    rows = get_csv(client_for(reader), "/departments/export.csv?function=marketing&archived=1")
    assert "old-mkt" in [row[0] for row in rows[1:]]


def test_the_accounts_export_keeps_the_registry_filters(client_for, reader, dept_a):
    SocialAccountFactory(platform="x", handle="acme", owner=dept_a)
    SocialAccountFactory(platform="linkedin", handle="acme-jobs")
    rows = get_csv(client_for(reader), "/social/export.csv?platform=x")
    assert [row[:2] for row in rows[1:]] == [["x", "acme"]]
    rows = get_csv(client_for(reader), "/social/export.csv?owner=none")
    assert [row[:2] for row in rows[1:]] == [["linkedin", "acme-jobs"]]


def test_the_accounts_export_filters_by_finding(client_for, reader, dept_a):
    SocialAccountFactory(platform="x", handle="orphan", owner=None)
    owned = SocialAccountFactory(platform="x", handle="owned", owner=dept_a)
    owned.managers.set([PersonFactory(), PersonFactory()])  # not a single_manager_account
    snapshot_take()
    rows = get_csv(client_for(reader), "/social/export.csv?finding=yes")
    assert [row[1] for row in rows[1:]] == ["orphan"]  # orphan_account
    rows = get_csv(client_for(reader), "/social/export.csv?finding=no")
    assert [row[1] for row in rows[1:]] == ["owned"]


def test_the_roster_export_keeps_the_roster_filters(client_for, reader, dept_a):
    ana = PersonFactory(name="Ana", email="ana@acme.test", department=dept_a)
    SeatFactory(person=ana, department=dept_a, role="lead", term_start=datetime.date(2026, 1, 1))
    group = StakeholderGroupFactory(key="cap", name="Customer panel")
    bo = PersonFactory(name="Bo", email="bo@acme.test", department=None)
    SeatFactory(person=bo, department=None, group=group, role="advisor")
    rows = get_csv(client_for(reader), "/roster/export.csv")
    assert [(row[1], row[5], row[6], row[8]) for row in rows[1:]] == [
        ("ana@acme.test", "department", "support", "lead"),
        ("bo@acme.test", "group", "cap", "advisor"),
    ]
    rows = get_csv(client_for(reader), "/roster/export.csv?constituency=group")
    assert [row[1] for row in rows[1:]] == ["bo@acme.test"]


def test_the_people_export_filters_by_department_and_state(client_for, reader, dept_a, dept_b):
    PersonFactory(email="ana@acme.test", department=dept_a)
    PersonFactory(email="bo@acme.test", department=dept_b, active=False)
    rows = get_csv(client_for(reader), "/people/export.csv?department=support")
    assert [row[0] for row in rows[1:]] == ["ana@acme.test"]
    rows = get_csv(client_for(reader), "/people/export.csv?active=0")
    assert [row[0] for row in rows[1:]] == ["bo@acme.test"]


def test_the_findings_export_has_the_current_findings_filtered_like_the_dashboard(
    client_for, reader, dept_a, dept_b
):
    snapshot_take()
    rows = get_csv(client_for(reader), "/findings/export.csv")
    assert rows[0] == ["severity", "code", "subject", "message", "action"]
    codes = {(row[1], row[2]) for row in rows[1:]}
    assert ("no_seat", "support") in codes
    assert ("missing_voice", "customers") in codes
    rows = get_csv(client_for(reader), "/findings/export.csv?severity=medium&code=missing_voice")
    assert {row[1] for row in rows[1:]} == {"missing_voice"}
    rows = get_csv(client_for(reader), "/findings/export.csv?q=human")
    assert [row[2] for row in rows[1:]] == ["hr"]


def test_exported_cells_are_neutralised_against_formula_injection(client_for, reader):
    DepartmentFactory(key="evil", name='=HYPERLINK("http://x","y")')
    rows = get_csv(client_for(reader), "/departments/export.csv")
    assert rows[1][1] == '\'=HYPERLINK("http://x","y")'
    response = client_for(reader).get("/departments/export.xlsx")
    assert read_xlsx(response.content)[1][1] == '\'=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize(
    ("name", "queries"),
    [("departments", 4), ("people", 4), ("roster", 3), ("social", 5), ("findings", 3)],
)
def test_each_export_runs_a_fixed_number_of_queries(
    size, name, queries, client_for, reader, django_assert_num_queries
):
    for i in range(size):
        department = DepartmentFactory(key=f"d{i}", head=reader if i == 0 else None)
        person = PersonFactory(department=department)
        person.expertise.create(name=f"tag-{i}")
        SeatFactory(person=person, department=department)
        account = SocialAccountFactory(owner=None)  # an orphan: flagged by a finding
        account.managers.set([person])
    snapshot_take()
    client = client_for(reader)
    query = "?finding=yes" if name == "social" else ""
    with django_assert_num_queries(queries):
        assert client.get(f"/{name}/export.csv{query}").status_code == 200


@pytest.mark.parametrize(
    ("page", "export"),
    [
        ("/departments/?function=marketing&page=2", "/departments/export.csv?function=marketing"),
        ("/social/?platform=x", "/social/export.csv?platform=x"),
        ("/roster/?role=lead", "/roster/export.csv?role=lead"),
        ("/?severity=high", "/findings/export.csv?severity=high"),
    ],
)
def test_the_list_pages_link_to_their_export_with_their_filters(
    client_for, reader, dept_a, page, export
):
    snapshot_take()  # the dashboard lists findings once assessed
    content = client_for(reader).get(page).content.decode()
    assert f'href="{export}"' in content.replace("&amp;", "&")
    assert f'href="{export.replace(".csv", ".xlsx")}"' in content.replace("&amp;", "&")
