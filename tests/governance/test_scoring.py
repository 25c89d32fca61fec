"""The score: components, weights, rounding, grades and dates (DESIGN.md, Governance).

Hand-computed cases, no database. The small builders at the top are shared by the
other test_scoring_* modules.
"""

import itertools
import math
from datetime import date, timedelta

import pytest

from governance.scoring import (
    COMPONENTS,
    AccountFact,
    DepartmentFact,
    Facts,
    GroupFact,
    MeetingFact,
    PersonFact,
    PolicyFact,
    ScoreInputs,
    SeatFact,
    assess,
    assessment_to_dict,
    grade_for,
    round_half_up,
    score_facts,
    score_from_inputs,
)

T = date(2026, 6, 30)
LONG_AGO = T - timedelta(days=365)
_seat_ids = itertools.count(1)


# ------------------------------------------------------------------ builders


def dept(key, *, parent=None, function="other", headcount=10, customer_facing=False, active=True):
    return DepartmentFact(
        key=key,
        name=key.replace("_", " ").title(),
        parent=parent,
        function=function,
        headcount=headcount,
        customer_facing=customer_facing,
        active=active,
    )


def person(email, *, seniority=None, department=None, expertise=(), active=True):
    return PersonFact(
        email=email,
        seniority=seniority,
        department=department,
        tags=len(set(expertise)),
        active=active,
    )


def seat(
    email,
    department=None,
    *,
    group=None,
    role="core",
    status="approved",
    start=LONG_AGO,
    end=None,
    decided_at=None,
    nominated_at=None,
):
    return SeatFact(
        id=next(_seat_ids),
        person=email,
        department=department,
        group=group,
        role=role,
        status=status,
        nominated_at=nominated_at,
        decided_at=decided_at,
        term_start=start,
        term_end=end,
    )


def account(handle, owner=None, *, platform="x", status="active", last_post=None, managers=()):
    return AccountFact(
        platform=platform,
        handle=handle,
        owner=owner,
        status=status,
        last_post_at=last_post,
        managers=tuple(managers),
    )


def meeting(day, present=(), title="COE monthly"):
    return MeetingFact(date=day, title=title, present=frozenset(present))


def facts(
    *,
    departments=(),
    people=(),
    groups=(),
    seats=(),
    accounts=(),
    meetings=(),
    policy=None,
):
    """A company; every seat holder not listed in `people` is an active person."""
    people = list(people)
    known = {p.email for p in people}
    for s in seats:
        if s.person not in known:
            known.add(s.person)
            people.append(person(s.person, department=s.department))
    return Facts(
        departments=tuple(departments),
        people=tuple(people),
        groups=tuple(groups),
        seats=tuple(seats),
        accounts=tuple(accounts),
        meetings=tuple(meetings),
        policy=policy or PolicyFact(),
    )


def components(f, as_of=T):
    return assess(f, as_of).components


def codes(assessment):
    return [finding.code for finding in assessment.findings]


def findings_of(assessment, code):
    return [finding for finding in assessment.findings if finding.code == code]


def evenness(*counts):
    total = sum(counts)
    entropy = -sum(c / total * math.log(c / total) for c in counts if c)
    return entropy / math.log(len(counts))


# ------------------------------------------------------------------ coverage


def test_coverage_weighs_departments_by_headcount():
    f = facts(
        departments=[dept("sales", headcount=60), dept("legal", headcount=40)],
        seats=[seat("ana@x.test", "sales")],
    )
    assert components(f)["coverage"] == pytest.approx(0.6)


def test_coverage_counts_proxy_departments_at_inherited_credit():
    f = facts(
        departments=[dept("emea", headcount=100), dept("emea_sales", parent="emea", headcount=100)],
        seats=[seat("ana@x.test", "emea")],
    )
    assert components(f)["coverage"] == pytest.approx((100 + 0.5 * 100) / 200)


def test_coverage_uses_the_policy_inherited_credit():
    f = facts(
        departments=[dept("emea", headcount=100), dept("emea_sales", parent="emea", headcount=100)],
        seats=[seat("ana@x.test", "emea")],
        policy=PolicyFact(inherited_credit=0.25),
    )
    assert components(f)["coverage"] == pytest.approx((100 + 0.25 * 100) / 200)


def test_representation_walks_through_archived_ancestors():
    f = facts(
        departments=[
            dept("group", headcount=100),
            dept("old_division", parent="group", headcount=500, active=False),
            dept("team", parent="old_division", headcount=100),
        ],
        seats=[seat("ana@x.test", "group")],
    )
    a = assess(f, T)
    assert a.representation == {"group": "direct", "old_division": "none", "team": "proxy"}
    # The archived department's 500 people are not in the denominator.
    assert a.components["coverage"] == pytest.approx(150 / 200)


def test_seat_of_an_archived_department_represents_nobody():
    f = facts(
        departments=[dept("old", headcount=100, active=False), dept("child", parent="old")],
        seats=[seat("ana@x.test", "old")],
    )
    a = assess(f, T)
    assert a.representation == {"old": "none", "child": "none"}
    assert a.components["coverage"] == 0


def test_coverage_weighs_each_department_equally_when_total_headcount_is_zero():
    f = facts(
        departments=[dept("a", headcount=0), dept("b", headcount=0), dept("c", headcount=0)],
        seats=[seat("ana@x.test", "a")],
    )
    assert components(f)["coverage"] == pytest.approx(1 / 3)


def test_coverage_ignores_archived_headcount_when_deciding_equal_weights():
    f = facts(
        departments=[
            dept("a", headcount=0),
            dept("b", headcount=0),
            dept("gone", headcount=900, active=False),
        ],
        seats=[seat("ana@x.test", "a")],
    )
    assert components(f)["coverage"] == pytest.approx(1 / 2)


def test_coverage_is_not_measured_without_active_departments():
    f = facts(departments=[dept("gone", active=False)])
    assert components(f)["coverage"] is None


# ----------------------------------------------------------------- footprint


def test_footprint_credits_each_in_use_account_with_its_owner_representation():
    f = facts(
        departments=[
            dept("mkt"),
            dept("brand", parent="mkt"),
            dept("legal"),
            dept("old", active=False),
        ],
        seats=[seat("ana@x.test", "mkt")],
        accounts=[
            account("direct", "mkt"),
            account("proxy", "brand", status="dormant"),
            account("unrepresented", "legal"),
            account("archived_owner", "old"),
            account("no_owner"),
            account("retired", "mkt", status="retired"),
            account("unverified", "mkt", status="unverified"),
        ],
    )
    assert components(f)["footprint"] == pytest.approx((1 + 0.5 + 0 + 0 + 0) / 5)


def test_footprint_is_not_measured_without_in_use_accounts():
    f = facts(
        departments=[dept("mkt")],
        accounts=[account("a", "mkt", status="retired"), account("b", status="unverified")],
    )
    assert components(f)["footprint"] is None


# ------------------------------------------------------------------- balance


def test_balance_is_shannon_evenness_over_the_functions_of_active_departments():
    f = facts(
        departments=[
            dept("mkt", function="marketing"),
            dept("pr", function="marketing"),
            dept("sales", function="sales"),
            dept("hr", function="hr"),
            dept("gone", function="legal", active=False),
        ],
        seats=[seat("a@x.test", "mkt"), seat("b@x.test", "pr"), seat("c@x.test", "sales")],
    )
    # n = 3 (marketing, sales, hr); hr is seatless; legal is archived.
    assert components(f)["balance"] == pytest.approx(evenness(2, 1, 0))


def test_balance_is_one_when_seats_are_spread_evenly():
    f = facts(
        departments=[dept("mkt", function="marketing"), dept("sales", function="sales")],
        seats=[seat("a@x.test", "mkt"), seat("b@x.test", "sales")],
    )
    assert components(f)["balance"] == pytest.approx(1.0)


def test_balance_is_one_with_a_single_function_that_holds_a_seat():
    f = facts(
        departments=[dept("a", function="sales"), dept("b", function="sales")],
        seats=[seat("a@x.test", "a")],
    )
    assert components(f)["balance"] == 1.0


def test_balance_is_zero_without_department_seats():
    f = facts(departments=[dept("a", function="sales")])
    assert components(f)["balance"] == 0.0


def test_balance_ignores_group_seats():
    f = facts(
        departments=[dept("mkt", function="marketing"), dept("sales", function="sales")],
        groups=[GroupFact("panel", "customers")],
        seats=[seat("a@x.test", "mkt"), seat("b@x.test", group="panel")],
    )
    assert components(f)["balance"] == 0.0


# ------------------------------------------------------------- seniority mix


def test_seniority_mix_is_one_with_one_seat_per_level():
    levels = ["individual_contributor", "manager", "director", "executive"]
    f = facts(
        departments=[dept("a")],
        people=[person(f"{level}@x.test", seniority=level) for level in levels],
        seats=[seat(f"{level}@x.test", "a") for level in levels],
    )
    assert components(f)["seniority_mix"] == pytest.approx(1.0)


def test_seniority_mix_counts_group_seats_and_leaves_out_unknown_seniority():
    f = facts(
        departments=[dept("a")],
        groups=[GroupFact("panel", "customers")],
        people=[
            person("m@x.test", seniority="manager"),
            person("d@x.test", seniority="director"),
            person("n@x.test"),
        ],
        seats=[seat("m@x.test", "a"), seat("d@x.test", group="panel"), seat("n@x.test", "a")],
    )
    # Two seats on two of the four levels: ln 2 / ln 4.
    assert components(f)["seniority_mix"] == pytest.approx(0.5)


def test_seniority_mix_is_zero_when_no_seat_holder_has_a_seniority():
    f = facts(departments=[dept("a")], seats=[seat("n@x.test", "a")])
    assert components(f)["seniority_mix"] == 0.0


# -------------------------------------------------------------------- voices


def test_voices_is_the_share_of_the_three_kinds_heard_through_groups():
    f = facts(
        departments=[dept("a")],
        groups=[
            GroupFact("panel", "customers"),
            GroupFact("partners", "partners"),
            GroupFact("forum", "community"),
            GroupFact("staff", "employees"),
        ],
        seats=[
            seat("c@x.test", group="panel"),
            seat("p@x.test", group="partners"),
            seat("f@x.test", group="forum"),
            seat("s@x.test", group="staff", status="nominated"),
        ],
    )
    assert components(f)["voices"] == pytest.approx(2 / 3)


# ------------------------------------------------------------- participation


def _monthly(count, last=T):
    return [last - timedelta(days=30 * i) for i in reversed(range(count))]


def test_participation_reads_the_last_six_meetings_only():
    days = _monthly(8)
    # Present at the two oldest meetings and at two of the last six.
    present_at = {days[0], days[1], days[5], days[7]}
    f = facts(
        departments=[dept("a")],
        seats=[seat("ana@x.test", "a")],
        meetings=[meeting(d, ["ana@x.test"] if d in present_at else []) for d in days],
    )
    assert components(f)["participation"] == pytest.approx(2 / 6)


def test_participation_window_follows_the_policy():
    days = _monthly(4)
    f = facts(
        departments=[dept("a")],
        seats=[seat("ana@x.test", "a")],
        meetings=[meeting(d, ["ana@x.test"] if d == days[-1] else []) for d in days],
        policy=PolicyFact(participation_window=2),
    )
    assert components(f)["participation"] == pytest.approx(1 / 2)


def test_participation_counts_meetings_on_as_of_and_ignores_later_ones():
    f = facts(
        departments=[dept("a")],
        seats=[seat("ana@x.test", "a")],
        meetings=[
            meeting(T - timedelta(days=1), []),
            meeting(T, ["ana@x.test"]),
            meeting(T + timedelta(days=1), ["ana@x.test"]),
        ],
    )
    assert components(f)["participation"] == pytest.approx(1 / 2)


def test_participation_orders_meetings_of_one_day_by_title():
    f = facts(
        departments=[dept("a")],
        seats=[seat("ana@x.test", "a")],
        meetings=[
            meeting(T, ["ana@x.test"], title="B session"),
            meeting(T, [], title="A session"),
        ],
        policy=PolicyFact(participation_window=1),
    )
    assert components(f)["participation"] == 1.0


def test_participation_expects_a_seat_only_between_its_start_and_its_term_end():
    days = _monthly(6)
    f = facts(
        departments=[dept("a")],
        seats=[
            # Starts at the third meeting (decided_at when there is no term_start).
            seat("new@x.test", "a", start=None, decided_at=days[2]),
            # Ended on the day of the second meeting: expected at the first two.
            seat("old@x.test", "a", status="ended", start=LONG_AGO, end=days[1]),
        ],
        meetings=[meeting(d, ["new@x.test", "old@x.test"]) for d in days[:4]]
        + [meeting(d, []) for d in days[4:]],
    )
    # new: expected at 4 meetings, present at 2; old: expected at 2, present at 2.
    assert components(f)["participation"] == pytest.approx(4 / 6)


def test_participation_still_expects_the_seat_of_a_person_who_has_left():
    days = _monthly(2)
    f = facts(
        departments=[dept("a")],
        people=[person("gone@x.test", active=False)],
        seats=[seat("ana@x.test", "a"), seat("gone@x.test", "a")],
        meetings=[meeting(d, ["ana@x.test"]) for d in days],
    )
    assert components(f)["participation"] == pytest.approx(2 / 4)


def test_participation_ignores_nominations_and_seats_of_archived_departments():
    f = facts(
        departments=[dept("a"), dept("old", active=False)],
        seats=[
            seat("ana@x.test", "a"),
            seat("nom@x.test", "a", status="nominated"),
            seat("arc@x.test", "old"),
        ],
        meetings=[meeting(T, ["ana@x.test"])],
    )
    assert components(f)["participation"] == 1.0


def test_participation_is_not_measured_when_nothing_is_expected():
    f = facts(departments=[dept("a")], seats=[seat("ana@x.test", "a")], meetings=[])
    assert components(f)["participation"] is None


# --------------------------------------------------------------------- score


def test_score_is_the_weighted_mean_of_the_measured_components():
    f = facts(
        departments=[
            dept("mkt", function="marketing", headcount=30),
            dept("sales", function="sales", headcount=70),
        ],
        groups=[GroupFact("panel", "customers")],
        people=[person("ana@x.test", seniority="manager")],
        seats=[seat("ana@x.test", "mkt"), seat("cy@x.test", group="panel")],
        accounts=[account("acme", "mkt"), account("deals", "sales")],
        meetings=[meeting(T, ["ana@x.test"])],
    )
    a = assess(f, T)
    expected = {
        "coverage": 0.3,
        "footprint": 0.5,
        "balance": 0.0,  # one of two functions holds the only department seat
        "seniority_mix": 0.0,  # one level
        "voices": 1 / 3,
        "participation": 0.5,  # the group seat was expected too
    }
    assert list(a.components) == list(COMPONENTS)
    assert a.components == pytest.approx(expected)
    weighted = 0.3 * 0.3 + 0.2 * 0.5 + 0.15 * 0 + 0.1 * 0 + 0.1 / 3 + 0.15 * 0.5
    assert a.score == pytest.approx(100 * weighted / 1.0)
    assert score_facts(f, T) == a.score


def test_score_leaves_unmeasured_components_out_of_the_weights():
    f = facts(departments=[dept("a", function="sales")], seats=[seat("ana@x.test", "a")])
    a = assess(f, T)
    assert a.components["footprint"] is None
    assert a.components["participation"] is None
    # coverage 1, balance 1, seniority 0, voices 0 over weights 0.30+0.15+0.10+0.10.
    assert a.score == pytest.approx(100 * (0.30 + 0.15) / 0.65)


def test_score_is_zero_when_every_measured_component_weighs_nothing():
    zero = PolicyFact(
        weight_coverage=0,
        weight_footprint=0,
        weight_balance=0,
        weight_seniority_mix=0,
        weight_voices=0,
        weight_participation=0,
    )
    f = facts(departments=[dept("a")], seats=[seat("ana@x.test", "a")], policy=zero)
    assert score_facts(f, T) == 0.0


def test_score_follows_the_policy_weights():
    only_coverage = PolicyFact(
        weight_coverage=1,
        weight_footprint=0,
        weight_balance=0,
        weight_seniority_mix=0,
        weight_voices=0,
        weight_participation=0,
    )
    f = facts(
        departments=[dept("a", headcount=75), dept("b", headcount=25)],
        seats=[seat("ana@x.test", "a")],
        policy=only_coverage,
    )
    assert score_facts(f, T) == pytest.approx(75.0)


def test_empty_company_scores_zero_and_is_a_clubhouse():
    a = assess(Facts(), T)
    assert a.score == 0.0
    assert a.grade == "clubhouse"
    assert a.components == {
        "coverage": None,
        "footprint": None,
        "balance": 0.0,
        "seniority_mix": 0.0,
        "voices": 0.0,
        "participation": None,
    }


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (42.45, 42.5),
        (42.44, 42.4),
        (0.05, 0.1),
        (79.95, 80.0),
        (12.25, 12.3),
        (100.0, 100.0),
        # Exact halves that floating point delivers a hair short or long.
        (56.24999999999999, 56.3),
        (3.7499999999999996, 3.8),
        (18.750000000000004, 18.8),
        (56.2499999, 56.2),
    ],
)
def test_round_half_up_rounds_halves_away_from_zero(value, shown):
    assert round_half_up(value) == shown


@pytest.mark.parametrize(
    ("shown", "grade"),
    [
        (100.0, "open_table"),
        (80.0, "open_table"),
        (79.9, "broad"),
        (60.0, "broad"),
        (59.9, "narrow"),
        (40.0, "narrow"),
        (39.9, "clubhouse"),
        (0.0, "clubhouse"),
    ],
)
def test_grade_is_read_from_the_shown_score(shown, grade):
    assert grade_for(shown) == grade


def test_grade_uses_the_rounded_score():
    # 79.95 is shown as 80.0, an open table.
    assert grade_for(round_half_up(79.95)) == "open_table"


def test_assessment_shows_the_score_rounded_half_up():
    f = facts(departments=[dept("a", function="sales")], seats=[seat("ana@x.test", "a")])
    a = assess(f, T)
    assert a.shown_score == round_half_up(a.score)
    assert a.grade == grade_for(a.shown_score)


# --------------------------------------------------------------------- dates


def _is_represented(**seat_kwargs):
    f = facts(departments=[dept("a")], seats=[seat("ana@x.test", "a", **seat_kwargs)])
    return assess(f, T).representation["a"] == "direct"


def test_seat_starting_on_as_of_is_current():
    assert _is_represented(start=T)


def test_seat_starting_the_day_after_as_of_is_not_current():
    assert not _is_represented(start=T + timedelta(days=1))


def test_seat_whose_term_ends_on_as_of_is_current():
    assert _is_represented(end=T)


def test_seat_whose_term_ended_the_day_before_as_of_is_not_current():
    assert not _is_represented(end=T - timedelta(days=1))


def test_seat_start_falls_back_to_the_decision_date():
    assert not _is_represented(start=None, decided_at=T + timedelta(days=1))
    assert _is_represented(start=None, decided_at=T)


def test_seat_without_any_start_is_current():
    assert _is_represented(start=None)


@pytest.mark.parametrize("status", ["nominated", "declined", "withdrawn", "ended"])
def test_only_approved_seats_are_current(status):
    assert not _is_represented(status=status, end=T)


def test_seat_of_a_person_who_has_left_is_not_current():
    f = facts(
        departments=[dept("a")],
        people=[person("gone@x.test", active=False)],
        seats=[seat("gone@x.test", "a")],
    )
    assert assess(f, T).representation["a"] == "none"


def test_seat_of_an_unknown_person_is_not_current():
    f = Facts(departments=(dept("a"),), seats=(seat("ghost@x.test", "a"),))
    assert assess(f, T).representation["a"] == "none"


# ------------------------------------------------------------------ the json


def test_assessment_to_dict_has_exactly_the_score_json_keys():
    f = facts(
        departments=[dept("mkt", function="marketing"), dept("sales", function="sales")],
        seats=[seat("ana@x.test", "mkt", role="lead"), seat("bo@x.test", "mkt")],
        accounts=[account("Deals", "sales", platform="linkedin")],
    )
    a = assess(f, T)
    data = assessment_to_dict(a)
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
    assert data["score"] == round_half_up(a.score)
    assert data["projected_score"] == round_half_up(a.projected_score)
    assert data["components"] == a.components
    assert data["findings"][0] == {
        "code": "unrepresented_accounts",
        "severity": "critical",
        "subject": "sales",
        "message": "Sales owns 1 social account but has no seat at the COE table.",
        "action": "Nominate a representative from Sales.",
    }
    assert data["recommendations"] == [
        {"department": r.department, "gain": round_half_up(r.gain), "person": r.person}
        for r in a.recommendations
    ]
    assert data["recommendations"][0]["department"] == "sales"


# ------------------------------------------------------------ odd structures


def test_seat_of_an_unknown_stakeholder_group_does_not_count():
    f = facts(departments=[dept("a")], seats=[seat("ana@x.test", group="nobody")])
    a = assess(f, T)
    assert a.components["voices"] == 0
    assert a.components["seniority_mix"] == 0
    assert a.org_model == "organic"


def test_a_deep_chain_of_departments_needs_no_recursion():
    depth = 5000
    departments = [dept(f"d{i}", parent=f"d{i - 1}" if i else None) for i in range(depth)]
    f = facts(departments=departments, seats=[seat("ana@x.test", "d0")])
    a = assess(f, T)
    assert a.representation[f"d{depth - 1}"] == "proxy"
    assert a.components["coverage"] == pytest.approx((1 + 0.5 * (depth - 1)) / depth)


def test_a_parent_cycle_does_not_hang_the_assessment():
    f = facts(
        departments=[dept("a", parent="b"), dept("b", parent="a"), dept("c", parent="c")],
        seats=[seat("ana@x.test", "a")],
    )
    a = assess(f, T)
    assert a.representation == {"a": "direct", "b": "proxy", "c": "none"}


def test_score_from_inputs_treats_a_zero_total_as_not_measured():
    inputs = ScoreInputs(
        coverage_credit=0.0,
        coverage_total=0.0,
        footprint_credit=0.0,
        footprint_accounts=0,
        function_seats=(1, 1),
        seniority_seats=(0, 0, 0, 0),
        voices_heard=3,
        attendance_present=0,
        attendance_expected=0,
    )
    score, comps = score_from_inputs(inputs, PolicyFact())
    assert comps["coverage"] is None
    assert comps["footprint"] is None
    assert comps["participation"] is None
    assert score == pytest.approx(100 * (0.15 * 1 + 0.10 * 0 + 0.10 * 1) / 0.35)


def test_gc_paused_switches_the_collector_back_on_even_after_an_error():
    import gc

    from governance.scoring import gc_paused

    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves it to the outer one
        raise ValueError
    assert gc.isenabled()
