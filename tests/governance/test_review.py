"""The quarterly review: `compare` (pure) and `review_between` (two stored snapshots
and the seats started and ended in between)."""

import datetime

import pytest

from governance import review
from governance.models import Snapshot
from stakeholders.models import SeatStatus
from tests.factories import DepartmentFactory, SeatFactory

D1 = datetime.date(2026, 7, 1)
D2 = datetime.date(2026, 9, 30)


def values(**changes) -> dict:
    data = {
        "score": 50.0,
        "grade": "narrow",
        "org_model": "organic",
        "components": {"coverage": 0.5, "participation": None},
        "findings": [],
        "representation": {},
    }
    data.update(changes)
    return data


def finding(code: str, subject: str = "", severity: str = "medium") -> dict:
    return {"code": code, "subject": subject, "severity": severity, "message": code}


def test_compare_lists_findings_opened_and_closed_by_code_and_subject():
    before = values(findings=[finding("no_seat", "hr"), finding("no_seat", "legal")])
    after = values(findings=[finding("no_seat", "legal"), finding("orphan_account", "x:a", "high")])
    comparison = review.compare(before, after)
    assert [(f["code"], f["subject"]) for f in comparison.findings_closed] == [("no_seat", "hr")]
    assert [(f["code"], f["subject"]) for f in comparison.findings_opened] == [
        ("orphan_account", "x:a")
    ]


def test_compare_gives_score_and_component_changes():
    before = values(score=40.0, components={"coverage": 0.25, "participation": None})
    after = values(score=62.5, grade="broad", components={"coverage": 0.75, "participation": 1.0})
    comparison = review.compare(before, after)
    assert comparison.score_delta == 22.5
    coverage = next(c for c in comparison.components if c.name == "coverage")
    participation = next(c for c in comparison.components if c.name == "participation")
    assert coverage.delta == pytest.approx(0.5)
    assert participation.delta is None  # not measured then: no change to state


def test_compare_lists_departments_whose_representation_changed():
    before = values(representation={"hr": "none", "mkt": "direct", "ops": "proxy"})
    after = values(representation={"hr": "direct", "mkt": "direct", "new": "none"})
    rows = review.compare(before, after).representation
    assert [(r.department, r.before, r.after) for r in rows] == [
        ("hr", "none", "direct"),
        ("ops", "proxy", "—"),
    ]


def _snapshot(day: datetime.date, **fields) -> Snapshot:
    data = {
        "score": 50.0,
        "grade": "narrow",
        "components": {},
        "findings": [],
        "org_model": "organic",
        "recommendations": [],
        "representation": {},
        "fingerprint": f"{day}-{fields.get('score', 50.0)}",
    }
    data.update(fields)
    return Snapshot.objects.create(as_of=day, **data)


@pytest.mark.django_db
def test_each_date_is_answered_by_the_latest_snapshot_on_or_before_it():
    _snapshot(D1, score=10.0)
    chosen = _snapshot(D1, score=20.0)
    _snapshot(D2 + datetime.timedelta(days=1), score=99.0)
    assert review.snapshot_on_or_before(D2) == chosen


@pytest.mark.django_db
def test_a_date_before_the_first_snapshot_is_refused_with_the_first_date():
    _snapshot(D2)
    with pytest.raises(review.NoSnapshot, match="the first one is as of 2026-09-30"):
        review.snapshot_on_or_before(D1)


@pytest.mark.django_db
def test_no_snapshot_at_all_says_there_is_nothing_to_look_back_on():
    with pytest.raises(review.NoSnapshot, match="No assessment has been stored yet"):
        review.snapshot_on_or_before(D1)


@pytest.mark.django_db
def test_the_review_lists_seats_started_and_ended_in_the_period():
    dept = DepartmentFactory()
    started = SeatFactory(department=dept, term_start=D1 + datetime.timedelta(days=3))
    SeatFactory(department=dept, term_start=D1)  # on the start date: before the period
    ended = SeatFactory(
        department=dept,
        status=SeatStatus.ENDED,
        term_start=datetime.date(2025, 1, 1),
        term_end=D2,
    )
    _snapshot(D1)
    _snapshot(D2, score=60.0)
    result = review.review_between(D1, D2)
    assert result.seats_started == [started]
    assert result.seats_ended == [ended]
    assert result.comparison.score_delta == 10.0


@pytest.mark.django_db
def test_a_review_whose_end_comes_before_its_start_is_refused():
    with pytest.raises(ValueError, match="end comes before its start"):
        review.review_between(D2, D1)
