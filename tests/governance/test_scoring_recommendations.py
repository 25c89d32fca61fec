"""Next best seats and the projected score (what-if)."""

from datetime import timedelta

import pytest

from governance.scoring import GroupFact, PolicyFact, assess, score_facts
from tests.governance.test_scoring import (
    T,
    account,
    dept,
    facts,
    meeting,
    person,
    seat,
)


def recommended(f):
    return [(r.department, r.person) for r in assess(f, T).recommendations]


def with_seat(f, department, email, **person_kwargs):
    """The same company after `email` really takes a core seat in `department` at T."""
    people = list(f.people)
    if email not in {p.email for p in people}:
        people.append(person(email, department=department, **person_kwargs))
    return facts(
        departments=f.departments,
        people=people,
        groups=f.groups,
        seats=[*f.seats, seat(email, department, start=T)],
        accounts=f.accounts,
        meetings=f.meetings,
        policy=f.policy,
    )


def test_recommendations_are_ordered_by_gain():
    f = facts(
        departments=[
            dept("mkt", function="marketing", headcount=100),
            dept("support", function="customer_support", headcount=300),
            dept("legal", function="legal", headcount=50),
        ],
        seats=[seat("ana@x.test", "mkt")],
        accounts=[account("help", "support")],
    )
    a = assess(f, T)
    assert [r.department for r in a.recommendations] == ["support", "legal"]
    assert a.recommendations[0].gain > a.recommendations[1].gain > 0


def test_gain_is_the_score_difference_of_really_adding_the_seat():
    f = facts(
        departments=[
            dept("group", function="executive", headcount=20),
            dept("old", parent="group", function="other", headcount=999, active=False),
            dept("emea", parent="old", function="sales", headcount=200),
            dept("emea_support", parent="emea", function="customer_support", headcount=80),
            dept("mkt", function="marketing", headcount=100),
        ],
        people=[
            person("ana@x.test", seniority="manager", department="mkt"),
            person("ed@x.test", seniority="executive", department="group"),
            person("sam@x.test", seniority="director", department="emea"),
        ],
        seats=[seat("ana@x.test", "mkt")],
        accounts=[account("emea", "emea"), account("help", "emea_support"), account("x", "mkt")],
    )
    base = score_facts(f, T)
    recommendations = assess(f, T).recommendations
    assert {r.department for r in recommendations} == {"group", "emea", "emea_support"}
    for r in recommendations:
        after = score_facts(with_seat(f, r.department, r.person or "new@x.test"), T)
        assert r.gain == pytest.approx(after - base, abs=1e-9)


def test_seat_for_an_unrepresented_parent_turns_its_descendants_into_proxies():
    f = facts(
        departments=[
            dept("mkt", headcount=100),
            dept("emea", headcount=100),
            dept("emea_sales", parent="emea", headcount=100),
        ],
        seats=[seat("ana@x.test", "mkt")],
        policy=PolicyFact(
            weight_coverage=1,
            weight_footprint=0,
            weight_balance=0,
            weight_seniority_mix=0,
            weight_voices=0,
            weight_participation=0,
        ),
    )
    by_department = {r.department: r.gain for r in assess(f, T).recommendations}
    # emea: (100 + 100 + 50) / 300 - 100 / 300; emea_sales: (100 + 100) / 300 - 100 / 300.
    assert by_department["emea"] == pytest.approx(100 * 150 / 300)
    assert by_department["emea_sales"] == pytest.approx(100 * 100 / 300)


def test_department_represented_by_proxy_is_a_candidate():
    f = facts(
        departments=[dept("emea", headcount=100), dept("emea_sales", parent="emea", headcount=100)],
        seats=[seat("ana@x.test", "emea")],
    )
    [r] = assess(f, T).recommendations
    assert r.department == "emea_sales"
    assert r.gain == pytest.approx(
        score_facts(with_seat(f, "emea_sales", "new@x.test"), T) - score_facts(f, T)
    )


def test_archived_and_directly_represented_departments_are_not_candidates():
    f = facts(
        departments=[dept("mkt"), dept("old", active=False)],
        seats=[seat("ana@x.test", "mkt")],
    )
    assert recommended(f) == []


def test_only_positive_gains_are_listed():
    # Coverage weighs nothing; marketing already holds the only seat, so another
    # marketing seat changes nothing and a sales seat evens the balance out.
    f = facts(
        departments=[
            dept("mkt", function="marketing"),
            dept("pr", function="marketing"),
            dept("sales", function="sales"),
        ],
        seats=[seat("ana@x.test", "mkt"), seat("bo@x.test", "mkt")],
        policy=PolicyFact(weight_coverage=0),
    )
    assert [department for department, _ in recommended(f)] == ["sales"]


def test_equal_gains_go_to_the_larger_department_then_the_key():
    f = facts(
        departments=[
            dept("mkt", function="marketing"),
            dept("b_sales", function="sales", headcount=10),
            dept("c_sales", function="sales", headcount=30),
            dept("a_sales", function="sales", headcount=10),
        ],
        seats=[seat("ana@x.test", "mkt")],
        policy=PolicyFact(weight_coverage=0),
    )
    a = assess(f, T)
    assert [r.department for r in a.recommendations] == ["c_sales", "a_sales", "b_sales"]
    assert len({r.gain for r in a.recommendations}) == 1


def test_recommendation_count_caps_the_list():
    departments = [dept("mkt")] + [dept(f"d{i:02}", headcount=10 + i) for i in range(15)]
    f = facts(departments=departments, seats=[seat("ana@x.test", "mkt")])
    assert len(assess(f, T).recommendations) == 10
    capped = facts(
        departments=departments,
        seats=[seat("ana@x.test", "mkt")],
        policy=PolicyFact(recommendation_count=3),
    )
    assert [r.department for r in assess(capped, T).recommendations] == ["d14", "d13", "d12"]


# ---------------------------------------------------------- suggested person


def _suggest(people, **extra_seats):
    f = facts(
        departments=[dept("mkt"), dept("support"), dept("support_team", parent="support")],
        people=people,
        seats=[seat("ana@x.test", "mkt"), *extra_seats.get("seats", [])],
    )
    [r] = [r for r in assess(f, T).recommendations if r.department == "support"]
    return r.person


def test_suggested_person_has_the_most_distinct_expertise_tags():
    people = [
        person("a@x.test", department="support", expertise=["seo", "seo", "seo"]),
        person("b@x.test", department="support", expertise=["seo", "crisis"]),
    ]
    assert _suggest(people) == "b@x.test"


def test_suggested_person_ties_go_to_lower_seniority_then_email():
    people = [
        person("a@x.test", department="support", seniority="executive", expertise=["x"]),
        person("d@x.test", department="support", seniority=None, expertise=["x"]),
        person("c@x.test", department="support", seniority="manager", expertise=["x"]),
        person("b@x.test", department="support", seniority="manager", expertise=["x"]),
    ]
    assert _suggest(people) == "b@x.test"
    assert _suggest([people[0], people[1]]) == "a@x.test"  # no seniority sorts last


def test_suggested_person_is_active_in_exactly_that_department_without_a_current_seat():
    people = [
        person("gone@x.test", department="support", expertise=["a", "b", "c"], active=False),
        person("team@x.test", department="support_team", expertise=["a", "b", "c"]),
        person("seated@x.test", department="support", expertise=["a", "b", "c"]),
        person("pending@x.test", department="support", expertise=["a", "b"]),
        person("plain@x.test", department="support"),
    ]
    seats = [
        seat("seated@x.test", "mkt"),
        seat("pending@x.test", "support", status="nominated"),
    ]
    assert _suggest(people, seats=seats) == "pending@x.test"


def test_without_a_suggested_person_the_seat_counts_for_coverage_footprint_and_balance_only():
    f = facts(
        departments=[dept("mkt", function="marketing"), dept("sales", function="sales")],
        people=[person("ana@x.test", seniority="manager", department="mkt")],
        seats=[seat("ana@x.test", "mkt")],
    )
    [r] = assess(f, T).recommendations
    assert r.person is None
    # A seat held by somebody without a seniority moves exactly the same components.
    assert r.gain == pytest.approx(
        score_facts(with_seat(f, "sales", "new@x.test"), T) - score_facts(f, T), abs=1e-9
    )


def test_suggested_person_seniority_counts_for_seniority_mix():
    f = facts(
        departments=[dept("mkt", function="marketing"), dept("sales", function="sales")],
        people=[
            person("ana@x.test", seniority="manager", department="mkt"),
            person("sam@x.test", seniority="director", department="sales"),
        ],
        seats=[seat("ana@x.test", "mkt")],
    )
    [r] = assess(f, T).recommendations
    assert r.person == "sam@x.test"
    without_person = facts(departments=f.departments, people=f.people[:1], seats=f.seats)
    # seniority_mix goes from 0 to ln 2 / ln 4 = 0.5, worth 0.1 * 0.5 / 0.65 of the score.
    assert r.gain - assess(without_person, T).recommendations[0].gain == pytest.approx(
        100 * 0.1 * 0.5 / 0.65
    )


def test_recommendations_leave_participation_alone_even_with_a_meeting_on_as_of():
    f = facts(
        departments=[dept("mkt"), dept("sales")],
        seats=[seat("ana@x.test", "mkt")],
        meetings=[meeting(T, ["ana@x.test"])],
    )
    [r] = assess(f, T).recommendations
    # Really adding the seat would expect its holder at T's meeting; mark them present
    # so participation stays 1 and the two scores must agree.
    really = with_seat(f, "sales", "new@x.test")
    really = facts(
        departments=really.departments,
        people=really.people,
        seats=really.seats,
        meetings=[meeting(T, ["ana@x.test", "new@x.test"])],
    )
    assert r.gain == pytest.approx(score_facts(really, T) - score_facts(f, T), abs=1e-9)


# ------------------------------------------------------------------ projected


def test_projected_score_approves_every_pending_nomination_at_as_of():
    f = facts(
        departments=[dept("mkt", function="marketing"), dept("sales", function="sales")],
        groups=[GroupFact("panel", "customers")],
        people=[person("bo@x.test", seniority="manager"), person("cy@x.test")],
        seats=[
            seat("ana@x.test", "mkt"),
            seat("bo@x.test", "sales", status="nominated", start=None),
            seat("cy@x.test", group="panel", status="nominated", start=T + timedelta(days=30)),
        ],
    )
    approved = facts(
        departments=f.departments,
        groups=f.groups,
        people=f.people,
        seats=[
            seat("ana@x.test", "mkt"),
            seat("bo@x.test", "sales", start=T),
            seat("cy@x.test", group="panel", start=T),
        ],
    )
    a = assess(f, T)
    assert a.projected_score == pytest.approx(score_facts(approved, T), abs=1e-9)
    assert a.projected_score > a.score


def test_projected_score_skips_nominations_of_people_who_left_or_of_archived_departments():
    f = facts(
        departments=[dept("mkt"), dept("sales"), dept("old", active=False)],
        people=[person("gone@x.test", active=False)],
        seats=[
            seat("ana@x.test", "mkt"),
            seat("gone@x.test", "sales", status="nominated"),
            seat("bo@x.test", "old", status="nominated"),
            seat("cy@x.test", "sales", status="declined"),
            seat("dee@x.test", "sales", status="withdrawn"),
        ],
    )
    a = assess(f, T)
    assert a.projected_score == a.score


def test_projected_nominations_are_not_expected_at_a_meeting_on_as_of():
    f = facts(
        departments=[dept("mkt"), dept("sales")],
        seats=[seat("ana@x.test", "mkt"), seat("bo@x.test", "sales", status="nominated")],
        meetings=[meeting(T, ["ana@x.test"])],
    )
    approved = facts(
        departments=f.departments,
        seats=[seat("ana@x.test", "mkt"), seat("bo@x.test", "sales", start=T)],
        meetings=[meeting(T, ["ana@x.test", "bo@x.test"])],  # participation stays 1
    )
    assert assess(f, T).projected_score == pytest.approx(score_facts(approved, T), abs=1e-9)


def test_projected_score_equals_the_score_without_nominations():
    f = facts(departments=[dept("mkt"), dept("sales")], seats=[seat("ana@x.test", "mkt")])
    a = assess(f, T)
    assert a.projected_score == a.score
