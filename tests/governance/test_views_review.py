"""The quarterly review page, /review/?from=…&to=…."""

import datetime

import pytest

from governance.models import Snapshot

pytestmark = pytest.mark.django_db

URL = "/review/"


def stored(day: str, score: float, findings: list[dict]) -> Snapshot:
    return Snapshot.objects.create(
        as_of=datetime.date.fromisoformat(day),
        score=score,
        grade="narrow",
        components={"coverage": score / 100},
        findings=findings,
        org_model="organic",
        recommendations=[],
        representation={"hr": "none"},
        fingerprint=day,
    )


@pytest.fixture
def quarter():
    no_seat = {"code": "no_seat", "severity": "high", "subject": "hr", "message": "HR has none."}
    stored("2026-07-01", 40.0, [no_seat])
    stored("2026-09-30", 55.0, [])


def test_everyone_signed_in_reads_the_review_with_findings_closed(client_for, reader, quarter):
    response = client_for(reader).get(URL, {"from": "2026-07-01", "to": "2026-09-30"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="score-before">40.0' in content
    assert 'data-testid="score-after">55.0' in content
    closed = content[content.index('data-testid="findings-closed"') :]
    assert "HR has none." in closed[: closed.index("</ul>")]


def test_the_review_without_dates_asks_for_them(client_for, reader):
    content = client_for(reader).get(URL).content.decode()
    assert "Pick the start and the end of the period" in content


def test_a_date_before_the_first_snapshot_gets_a_clear_message(client_for, reader, quarter):
    content = client_for(reader).get(URL, {"from": "2020-01-01", "to": "2026-09-30"}).content
    assert b"No assessment was stored on or before 2020-01-01" in content


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "01/07/2026", "to": "2026-09-30"}, "Enter a date written YYYY-MM-DD."),
        ({"from": "2026-09-30", "to": "2026-07-01"}, "comes before its start"),
    ],
)
def test_bad_dates_are_named(client_for, reader, quarter, params, message):
    response = client_for(reader).get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302
