"""/api/findings/ pages through the latest snapshot's FindingEntry rows: the same
findings, filters and order as the snapshot's whole list gave."""

import pytest

from governance import selectors, services
from governance.models import Snapshot


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"severity": "medium"},
        {"code": "unverified_account"},
        {"q": "ACCOUNT"},
        {"q": "  bu-0 "},
        {"severity": "high", "q": "seat"},
    ],
)
def test_the_api_lists_the_findings_the_whole_list_gave(api_for, reader, make_company, query):
    make_company(units=2, teams=2)
    snapshot = services.snapshot_take()
    expected = selectors.findings_matching(
        snapshot.findings,
        severity=query.get("severity", ""),
        code=query.get("code", ""),
        text=query.get("q", ""),
    )
    assert expected
    body = api_for(reader).get("/api/findings/", {**query, "page_size": 200}).json()
    assert body["count"] == len(expected)
    assert body["results"] == [
        {name: f.get(name, "") for name in ("code", "severity", "subject", "message", "action")}
        for f in expected
    ]


def test_the_api_pages_through_the_findings_in_their_order(api_for, reader, make_company):
    make_company(units=2, teams=2)
    snapshot = services.snapshot_take()
    client = api_for(reader)
    first = client.get("/api/findings/", {"page_size": 3}).json()
    second = client.get("/api/findings/", {"page_size": 3, "page": 2}).json()
    assert first["count"] == len(snapshot.findings)
    assert first["next"].endswith("page=2&page_size=3")
    assert [r["subject"] for r in first["results"] + second["results"]] == [
        f["subject"] for f in snapshot.findings[:6]
    ]


def test_before_the_first_snapshot_the_api_lists_no_findings(api_for, reader, dept_a):
    body = api_for(reader).get("/api/findings/").json()
    assert (body["count"], body["results"]) == (0, [])
    assert not Snapshot.objects.exists()
