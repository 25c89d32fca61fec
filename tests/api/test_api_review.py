"""GET /api/review/?from=…&to=…: the quarterly review as JSON."""

import pytest

from tests.governance.test_views_review import stored

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter():
    no_seat = {"code": "no_seat", "severity": "high", "subject": "hr", "message": "HR has none."}
    stored("2026-07-01", 40.0, [no_seat])
    stored("2026-09-30", 55.0, [])


def test_the_api_gives_the_same_review(api_for, reader, quarter):
    response = api_for(reader).get("/api/review/", {"from": "2026-07-01", "to": "2026-09-30"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["before"]["score"], data["after"]["score"], data["score_delta"]) == (
        40.0,
        55.0,
        15.0,
    )
    assert [f["code"] for f in data["findings_closed"]] == ["no_seat"]
    assert data["findings_opened"] == []


def test_the_api_answers_a_date_before_the_first_snapshot_with_404(api_for, reader, quarter):
    response = api_for(reader).get("/api/review/", {"from": "2020-01-01", "to": "2026-09-30"})
    assert response.status_code == 404
    assert "No assessment was stored on or before 2020-01-01" in response.json()["detail"]


def test_the_api_names_a_bad_date(api_for, reader):
    response = api_for(reader).get("/api/review/", {"from": "July", "to": "2026-09-30"})
    assert response.status_code == 400
    assert response.json() == {"from": ["Enter a date written YYYY-MM-DD."]}
