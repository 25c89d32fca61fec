"""The latest snapshot's findings stored as rows (FindingEntry): what the department
page, "My departments", /api/findings/ and the findings export read instead of the
snapshot's whole list."""

import pytest

from governance import services
from governance.models import FindingEntry, Snapshot
from stakeholders.models import Department, SocialAccount
from stakeholders.selectors import finding_places, findings_about_department
from tests.factories import DepartmentFactory, SocialAccountFactory


def _finding(code: str, subject: str) -> dict:
    return {"code": code, "severity": "low", "subject": subject, "message": "m", "action": "a"}


@pytest.mark.parametrize(
    ("code", "subject", "places"),
    [
        ("no_seat", "support", ("support", "")),
        ("empty_chair", "ann@example.com/support", ("support", "")),
        ("missing_voice", "customers", ("customers", "")),
        ("missing_voice", "customers/support", ("", "")),
        ("orphan_account", "x:news", ("x:news", "x:news")),
        ("departed_manager", "x:news/bob@example.com", ("bob@example.com", "x:news")),
        ("low_coverage", "", ("", "")),
    ],
)
def test_a_finding_is_placed_where_findings_about_department_would_find_it(code, subject, places):
    assert finding_places(_finding(code, subject)) == places


def _entries() -> list[tuple[int, int, dict]]:
    return list(
        FindingEntry.objects.order_by("position").values_list("snapshot", "position", "data")
    )


def test_each_snapshot_stores_its_findings_in_order_and_drops_the_older_ones(make_company):
    make_company(units=1, teams=2)
    first = services.snapshot_take()
    assert [data for _, _, data in _entries()] == first.findings
    DepartmentFactory(key="newcomer", headcount=300)
    second = services.snapshot_take()
    assert second.pk != first.pk
    entries = _entries()
    assert {snapshot for snapshot, _, _ in entries} == {second.pk}
    assert [position for _, position, _ in entries] == list(range(len(second.findings)))
    assert [data for _, _, data in entries] == second.findings


def test_a_snapshot_moved_forward_gets_its_rows_when_it_has_none(make_company):
    make_company(units=1, teams=1)
    snapshot = services.snapshot_take()
    FindingEntry.objects.all().delete()  # as if stored before the rows existed
    services.snapshot_request()
    assert services.snapshot_take().pk == snapshot.pk
    assert [data for _, _, data in _entries()] == snapshot.findings


def test_the_department_page_lists_the_same_findings_as_the_whole_list_did(
    client_for, reader, make_company
):
    make_company(units=2, teams=3)
    snapshot = services.snapshot_take()
    client = client_for(reader)
    compared = 0
    for department in Department.objects.all():
        subjects = {a.subject for a in SocialAccount.objects.filter(owner=department)}
        expected = findings_about_department(
            snapshot.findings, key=department.key, account_subjects=subjects
        )
        page = client.get(f"/departments/{department.key}/").context["page"]
        assert page.findings == expected, department.key
        compared += bool(expected)
    assert compared >= 3


def test_an_account_s_findings_follow_its_current_owner(client_for, reader, dept_a, dept_b):
    account = SocialAccountFactory(owner=dept_a, handle="Moving", status="unverified")
    services.snapshot_take()
    account.owner = dept_b
    account.save()  # behind the services' back: the snapshot still names the old owner
    page = client_for(reader).get("/departments/hr/").context["page"]
    assert "unverified_account" in {f["code"] for f in page.findings}


def test_before_the_first_snapshot_the_department_page_shows_no_findings(client_for, reader):
    DepartmentFactory(key="ops", headcount=300)
    page = client_for(reader).get("/departments/ops/").context["page"]
    assert (page.findings, page.representation, page.assessed_at) == ([], None, None)
    assert not Snapshot.objects.exists()
