"""Issue 15: the pages that show an assessment read the latest snapshot's summary, not
its whole list of findings or representation (which grow with the company)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance import selectors, services
from tests.factories import DepartmentFactory

PAGES = ["/", "/report/", "/api/assessment/"]


def _large_fields_read(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "governance_snapshot" in q["sql"]
        and any(
            f'"governance_snapshot"."{name}"' in q["sql"] for name in ("findings", "representation")
        )
    ]


@pytest.mark.parametrize("path", PAGES)
def test_page_reads_the_snapshot_summary_not_every_finding(path, client_for, lead, make_company):
    make_company(units=2, teams=3)
    services.snapshot_take()
    client = client_for(lead)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert _large_fields_read(queries) == []


@pytest.mark.parametrize("path", PAGES)
def test_page_shows_the_same_with_more_findings(path, client_for, lead, make_company):
    # Same markup budget whatever the number of findings: the lists are capped.
    make_company(units=2, teams=3)
    services.snapshot_take()
    small = len(client_for(lead).get(path).content)
    DepartmentFactory.create_batch(60, headcount=150)  # 60 more "no seat" findings
    services.snapshot_take()
    large = len(client_for(lead).get(path).content)
    assert large < small * 1.5


def test_a_filtered_dashboard_reads_its_findings_rows_not_the_whole_list(
    client_for, lead, make_company
):
    make_company(units=2, teams=3)
    snapshot = services.snapshot_take()
    code = snapshot.findings[0]["code"]
    with CaptureQueriesContext(connection) as queries:
        content = client_for(lead).get("/", {"code": code}).content.decode()
    assert _large_fields_read(queries) == []
    assert snapshot.findings[0]["message"] in content


@pytest.mark.parametrize("limit", [200, 3])
def test_a_filtered_view_from_the_rows_is_the_view_of_the_whole_list(
    make_company, monkeypatch, limit
):
    monkeypatch.setattr(selectors, "FINDINGS_FILTERED_LIMIT", limit)
    make_company(units=3, teams=3)
    snapshot = services.snapshot_take()
    stored = selectors.snapshot_latest()
    first = snapshot.findings[0]
    filters = [
        {"severity": "high"},
        {"severity": "low"},
        {"code": first["code"]},
        {"text": first["subject"][:4].upper()},
        {"text": "  chair  "},
        {"severity": first["severity"], "code": first["code"], "text": first["message"][:6]},
        {"text": "no such words anywhere"},
        {"code": "orphan_account", "severity": "critical"},
        {"text": "a"},
    ]
    for given in filters:
        assert selectors.snapshot_findings_view(stored, **given) == selectors.findings_view(
            snapshot.findings, **given
        ), given


def test_the_summary_matches_the_findings(make_company):
    make_company(units=2, teams=3)
    snapshot = services.snapshot_take()
    stored = selectors.snapshot_latest()
    assert selectors.snapshot_findings_view(stored) == selectors.findings_view(snapshot.findings)
    assert selectors.snapshot_representation_summary(stored) == selectors.representation_summary(
        snapshot.representation
    )
