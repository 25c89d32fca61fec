"""The counts behind the components and the organisation model in words
(governance.explain), from the counts the scoring engine returns with an assessment."""

import datetime

import pytest

from governance import explain, scoring
from governance.scoring import (
    AccountFact,
    DepartmentFact,
    Facts,
    GroupFact,
    MeetingFact,
    PersonFact,
    SeatFact,
)

AS_OF = datetime.date(2026, 11, 1)


def company(*, lead_in: tuple[str, ...] = ("mkt",), headcounts=(100, 50, 30)) -> Facts:
    """Marketing (seated), Support below it (proxy), HR without a seat; a customers
    panel with a seat; one meeting with two of three present."""
    mkt, support, hr = headcounts
    departments = (
        DepartmentFact("mkt", "Marketing", function="marketing", headcount=mkt),
        DepartmentFact(
            "support", "Support", parent="mkt", function="customer_support", headcount=support
        ),
        DepartmentFact("hr", "Human Resources", function="hr", headcount=hr),
    )
    people = (
        PersonFact("ana@x.test", "manager", "mkt"),
        PersonFact("bo@x.test", "director", "mkt"),
        PersonFact("cy@x.test", None, None),
        PersonFact("di@x.test", "manager", "hr"),
    )
    seats = [
        SeatFact(
            1,
            "ana@x.test",
            department="mkt",
            role="lead" if "mkt" in lead_in else "core",
            status="approved",
        ),
        SeatFact(2, "bo@x.test", department="mkt", status="approved"),
        SeatFact(3, "cy@x.test", group="panel", status="approved"),
    ]
    if "hr" in lead_in:
        seats.append(SeatFact(4, "di@x.test", department="hr", role="lead", status="approved"))
    accounts = (
        AccountFact("x", "acme", owner="mkt"),
        AccountFact("x", "acmehelp", owner="support"),
        AccountFact("x", "acmejobs", owner="hr"),
        AccountFact("x", "old", owner="hr", status="retired"),
    )
    meetings = (
        MeetingFact(datetime.date(2026, 10, 1), "COE", frozenset({"ana@x.test", "bo@x.test"})),
    )
    return Facts(
        departments, people, (GroupFact("panel", "customers"),), tuple(seats), accounts, meetings
    )


def counts(facts: Facts) -> dict:
    return scoring.assess(facts, AS_OF).explain


def test_coverage_says_how_many_people_sit_in_a_department_with_a_seat():
    assert explain.component_counts("coverage", counts(company())) == (
        "100 of 180 people work in a department with a seat of its own, and 50 more people "
        "through a parent department (they count half)."
    )


def test_coverage_counts_departments_when_no_headcount_is_known():
    text = explain.component_counts("coverage", counts(company(headcounts=(0, 0, 0))))
    assert text.startswith("1 of 3 departments have a seat of their own, and 1 more department")


def test_footprint_counts_the_accounts_in_use():
    assert explain.component_counts("footprint", counts(company())).startswith(
        "1 of 3 accounts in use belong to a department with a seat of its own, and 1 more"
    )


def test_voices_name_who_is_heard_and_who_is_not():
    assert explain.component_counts("voices", counts(company())) == (
        "1 of 3: customers have a voice; employees and partners have none yet."
    )


def test_participation_is_present_of_expected():
    assert explain.component_counts("participation", counts(company())) == (
        "2 of 3 expected chairs were filled at the recent meetings (each seat at each "
        "meeting where it was expected)."
    )


def test_balance_and_seniority_say_how_many_functions_and_levels_hold_seats():
    facts = counts(company())
    assert explain.component_counts("balance", facts) == (
        "2 department seats, held in 1 of the company's 3 functions."
    )
    assert explain.component_counts("seniority_mix", facts).startswith(
        "2 seats of known seniority, at 2 of the 4 levels"
    )


@pytest.mark.parametrize("name", scoring.COMPONENTS)
def test_the_counts_agree_with_the_component_they_explain(name):
    assessment = scoring.assess(company(), AS_OF)
    c = assessment.explain[name]
    value = assessment.components[name]
    if name in ("coverage", "footprint"):
        assert value == pytest.approx((c["direct"] + 0.5 * c["proxy"]) / c["total"])
    elif name == "participation":
        assert value == pytest.approx(c["present"] / c["expected"])
    elif name == "voices":
        assert value == pytest.approx(len(c["heard"]) / 3)


def test_a_snapshot_without_counts_shows_no_counts_and_the_stored_reason():
    assert explain.component_counts("coverage", {}) == ""
    assert explain.component_counts("coverage", None) == ""
    assert explain.org_model_sentence("organic", {}, "stored") == "stored"


def test_hub_and_spoke_names_the_hub_in_plain_words():
    sentence = explain.org_model_sentence("hub_and_spoke", counts(company()))
    assert sentence == (
        "Every department lead seat is in Marketing or a team inside it, so Marketing is the "
        "one hub that coordinates social media for the other departments (the spokes)."
    )


def test_dandelion_names_each_hub():
    assessment = scoring.assess(company(lead_in=("mkt", "hr")), AS_OF)
    assert assessment.org_model == "dandelion"
    assert "(Human Resources and Marketing)" in explain.org_model_sentence(
        assessment.org_model, assessment.explain
    )


def test_organic_without_a_lead_says_what_to_do():
    assessment = scoring.assess(company(lead_in=()), AS_OF)
    assert assessment.org_model == "organic"
    assert explain.org_model_sentence("organic", assessment.explain).endswith(
        "Give one seat the lead role."
    )


def test_centralized_says_who_runs_how_many_accounts():
    c = {
        "org_model": {
            "seats": 5,
            "leads": 1,
            "largest_owner": "Marketing",
            "largest_owner_accounts": 8,
            "owned_accounts": 10,
            "hubs": ["Marketing"],
        }
    }
    assert explain.org_model_sentence("centralized", c).startswith(
        "Marketing runs 8 of the 10 social accounts that belong to a department"
    )


def test_the_contract_values_do_not_carry_the_counts():
    assert "explain" not in scoring.assessment_to_dict(scoring.assess(company(), AS_OF))
