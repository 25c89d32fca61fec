"""`manage.py score` and `manage.py snapshot`, on imported bundles with hand-computed results."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from governance.models import RecomputeState, Snapshot
from stakeholders.bundle import import_bundle
from tests.stakeholders.test_bundle_import import design_example

pytestmark = pytest.mark.django_db

AS_OF = "2026-11-26"
MISSING_VOICES = [
    {"code": "missing_voice", "severity": "medium", "subject": kind}
    for kind in ("customers", "employees", "partners")
]


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def score_json(*extra) -> dict:
    out, _ = run("score", "--as-of", AS_OF, "--json", *extra)
    return json.loads(out)


def test_score_json_of_the_design_example_is_the_hand_computed_assessment():
    import_bundle(design_example())
    # mkt holds the only seat (lead, a manager, present at the one meeting) and owns the
    # only account; the customer panel has no seat.
    # Score = 100 * (0.30*1 + 0.20*1 + 0.15*1 + 0.10*0 + 0.10*0 + 0.15*1) / 1.00 = 80.0
    data = score_json()
    assert list(data) == [
        "score",
        "grade",
        "components",
        "findings",
        "org_model",
        "org_model_reason",
        "recommendations",
        "projected_score",
    ]
    assert (data["score"], data["grade"], data["projected_score"]) == (80.0, "open_table", 80.0)
    assert data["components"] == {
        "coverage": 1.0,
        "footprint": 1.0,
        "balance": 1.0,
        "seniority_mix": 0.0,
        "voices": 0.0,
        "participation": 1.0,
    }
    assert [{key: f[key] for key in ("code", "severity", "subject")} for f in data["findings"]] == [
        *MISSING_VOICES,
        # Ana alone manages the LinkedIn account (min_managers is 2).
        {"code": "single_manager_account", "severity": "medium", "subject": "linkedin:acme"},
    ]
    assert all(f["message"] and f["action"] for f in data["findings"])
    assert data["org_model"] == "organic"
    assert "Only 1 current seat" in data["org_model_reason"]
    assert data["recommendations"] == []


def test_score_json_shows_an_exact_half_rounded_up_despite_floating_point():
    # coverage 1, balance 1, seniority_mix 0 (no seniority), voices 0, participation 0
    # (absent from the one meeting), footprint not measured (no account):
    # 100 * (0.30 + 0.15) / (0.30 + 0.15 + 0.10 + 0.10 + 0.15) = 56.25 -> 56.3
    import_bundle(
        {
            "format": "roundtable-org/1",
            "departments": [{"key": "a", "name": "A"}],
            "people": [{"email": "X@T.test", "name": "X"}],
            "seats": [{"person": "X@T.test", "department": "a", "status": "approved"}],
            "meetings": [
                {"date": "2026-11-01", "title": "COE monthly", "attendance": {"x@t.test": False}}
            ],
        }
    )
    data = score_json()
    assert data["components"]["footprint"] is None
    assert data["components"]["participation"] == 0.0
    assert (data["score"], data["grade"], data["projected_score"]) == (56.3, "narrow", 56.3)


def test_score_lists_recommendations_with_gains_to_one_decimal_and_emails_in_lower_case():
    bundle = design_example()
    bundle["departments"].append(
        {"key": "care", "name": "Customer Care", "function": "customer_support", "headcount": 80}
    )
    bundle["people"].append({"email": "Bo@Acme.test", "name": "Bo", "department": "care"})
    data = score_json()
    assert data["recommendations"] == []  # nothing imported yet: an empty registry
    import_bundle(bundle)
    data = score_json()
    [recommendation] = data["recommendations"]
    assert recommendation["department"] == "care"
    assert recommendation["person"] == "bo@acme.test"
    assert recommendation["gain"] == round(recommendation["gain"], 1) > 0


def test_score_as_of_an_earlier_date_leaves_out_later_meetings_and_seats():
    import_bundle(design_example())
    out, _ = run("score", "--as-of", "2026-01-08", "--json")
    data = json.loads(out)
    # The only seat starts on 2026-01-09: nothing is current yet.
    assert data["org_model"] == "organic"
    assert data["components"]["coverage"] == 0.0
    assert data["components"]["participation"] is None
    assert {"code": "unrepresented_accounts", "severity": "critical", "subject": "mkt"} in [
        {key: f[key] for key in ("code", "severity", "subject")} for f in data["findings"]
    ]


def test_score_skips_a_meeting_whose_attendance_was_not_taken():
    bundle = {
        "format": "roundtable-org/1",
        "departments": [{"key": "a", "name": "A"}],
        "people": [{"email": "x@t.test", "name": "X"}],
        "seats": [
            {
                "person": "x@t.test",
                "department": "a",
                "status": "approved",
                "decided_at": "2026-01-01",
            }
        ],
        "meetings": [{"date": f"2026-11-0{day}", "title": "COE monthly"} for day in range(1, 5)],
    }
    import_bundle(bundle)
    data = score_json()
    # Four meetings without a single attendance row: nobody has been marked absent yet.
    assert data["components"]["participation"] is None
    assert "empty_chair" not in {f["code"] for f in data["findings"]}


def test_score_without_json_prints_a_readable_table():
    import_bundle(design_example())
    out, _ = run("score", "--as-of", AS_OF)
    assert "Roundtable inclusion assessment as of 2026-11-26" in out
    assert "Score      80.0  (open_table)" in out
    assert "seniority_mix" in out and "Findings (4)" in out
    assert "none: no single new seat would raise the score" in out


def test_score_refuses_a_bad_date_naming_the_option():
    with pytest.raises(CommandError, match=r'--as-of: "26/11/2026" is not a date'):
        run("score", "--as-of", "26/11/2026")


def test_score_save_stores_one_snapshot_for_the_same_state():
    import_bundle(design_example())
    Snapshot.objects.all().delete()
    _, err = run("score", "--as-of", AS_OF, "--save")
    assert "Snapshot" in err and "stored" in err
    run("score", "--as-of", AS_OF, "--save")
    snapshot = Snapshot.objects.get()
    assert (snapshot.score, snapshot.grade, str(snapshot.as_of)) == (80.0, "open_table", AS_OF)


def test_score_without_save_stores_nothing():
    import_bundle(design_example())
    Snapshot.objects.all().delete()
    run("score", "--as-of", AS_OF, "--json")
    assert not Snapshot.objects.exists()


def test_snapshot_command_takes_and_reports_a_snapshot():
    import_bundle(design_example())
    Snapshot.objects.all().delete()
    out, _ = run("snapshot", "--as-of", AS_OF)
    snapshot = Snapshot.objects.get()
    assert out.strip() == f"Snapshot {snapshot.pk}: 80.0 (open_table)."


def test_snapshot_if_stale_says_current_or_takes_the_snapshot_that_was_lost():
    import_bundle(design_example())  # its recompute is never run: nothing commits in a test
    out, _ = run("snapshot_if_stale")
    snapshot = Snapshot.objects.get()
    assert out.strip() == f"Snapshot {snapshot.pk} of registry generation 1: 80.0 (open_table)."
    assert run("snapshot_if_stale")[0] == "The latest snapshot is current.\n"
    RecomputeState.objects.update(generation=F("generation") + 1)
    out, _ = run("snapshot_if_stale")
    assert out.startswith("Snapshot ")
    assert Snapshot.objects.latest().registry_generation == RecomputeState.objects.get().generation
