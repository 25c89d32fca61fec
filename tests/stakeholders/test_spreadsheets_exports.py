"""Exports: the import columns (so an export imports back unchanged), formula injection
neutralised in CSV and XLSX."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stakeholders import spreadsheets
from stakeholders.models import Department, Person, SocialAccount
from tests.factories import DepartmentFactory, PersonFactory, SocialAccountFactory
from tests.stakeholders.sheet_files import read_csv, read_xlsx

pytestmark = pytest.mark.django_db

DANGEROUS = ["=1+1", "+41 22", "-2", "@SUM(A1)", "\tTab", "\rReturn"]


@pytest.fixture
def registry(dept_a, dept_a_child, head_a):
    ana = PersonFactory(email="ana@acme.test", name="Ana", department=dept_a, seniority=None)
    ana.expertise.create(name="community")
    PersonFactory(email="bo@acme.test", name='=HYPERLINK("x")', department=None, active=False)
    account = SocialAccountFactory(
        platform="x", handle="AcmeHelp", owner=dept_a, last_post_at=datetime.date(2026, 11, 1)
    )
    account.managers.set([ana])
    SocialAccountFactory(platform="linkedin", handle="acme", url="https://linkedin.com/acme")


DATASETS = {
    "departments": lambda: spreadsheets.departments_dataset(Department.objects.all()),
    "people": lambda: spreadsheets.people_dataset(Person.objects.all()),
    "accounts": lambda: spreadsheets.accounts_dataset(SocialAccount.objects.all()),
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["departments", "people", "accounts"])
def test_an_export_imports_back_unchanged(registry, lead, kind, fmt):
    data = spreadsheets.render(DATASETS[kind](), fmt)
    upload = SimpleUploadedFile(f"{kind}.{fmt}", data)
    batch = spreadsheets.batch_create(kind=kind, upload=upload, user=lead)
    assert batch.problems == []
    assert batch.counts["create"] == batch.counts["update"] == 0
    assert batch.counts["unchanged"] == batch.row_count > 0


def test_the_departments_export_has_the_import_columns(registry):
    rows = read_csv(spreadsheets.render(DATASETS["departments"](), "csv"))
    assert rows[0] == spreadsheets.SHEETS["departments"].names
    assert rows[1:] == [
        ["support", "Customer Support", "", "function", "customer_support", "120", "true", "3",
         "3", "head_a@acme.test", "true"],
        ["support-emea", "Support EMEA", "support", "function", "customer_support", "40",
         "false", "3", "3", "", "true"],
    ]  # fmt: skip


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_cell_that_could_run_as_a_formula_gets_an_apostrophe(value):
    DepartmentFactory(key="x", name=value)
    dataset = spreadsheets.departments_dataset(Department.objects.all())
    assert read_csv(spreadsheets.render(dataset, "csv"))[1][1] == "'" + value
    # XML reads a carriage return back as a line feed.
    expected = ("'" + value).replace("\r", "\n")
    assert read_xlsx(spreadsheets.render(dataset, "xlsx"))[1][1] == expected


def test_an_ordinary_cell_is_left_alone():
    assert spreadsheets.neutralise("Marketing - EMEA") == "Marketing - EMEA"
    assert spreadsheets.neutralise(-3) == -3
    assert spreadsheets.neutralise(None) is None


def test_numbers_dates_and_booleans_stay_typed_in_xlsx(registry):
    rows = read_xlsx(spreadsheets.render(DATASETS["accounts"](), "xlsx"))
    header, first = rows[0], rows[1]
    assert dict(zip(header, first, strict=True))["followers"] == 0
    assert dict(zip(header, first, strict=True))["platform"] == "linkedin"
    assert rows[2][header.index("last_post_at")] == datetime.datetime(2026, 11, 1)


def test_the_findings_export_lists_every_finding():
    findings = [
        {"severity": "high", "code": "no_seat", "subject": "hr", "message": "m", "action": "a"},
        {"severity": "low", "code": "seat_by_proxy", "subject": "x", "message": "-", "action": ""},
    ]
    rows = read_csv(spreadsheets.render(spreadsheets.findings_dataset(findings), "csv"))
    assert rows == [
        ["severity", "code", "subject", "message", "action"],
        ["high", "no_seat", "hr", "m", "a"],
        ["low", "seat_by_proxy", "x", "'-", ""],
    ]
