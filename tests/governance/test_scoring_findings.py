"""Findings: one hand-computed case per code, each threshold at and just past its boundary."""

from dataclasses import replace
from datetime import timedelta

import pytest

from governance.scoring import GroupFact, PolicyFact, assess
from tests.governance.test_scoring import (
    LONG_AGO,
    T,
    account,
    codes,
    dept,
    facts,
    findings_of,
    meeting,
    person,
    seat,
)

ALL_VOICES = [
    GroupFact("panel", "customers"),
    GroupFact("staff", "employees"),
    GroupFact("resellers", "partners"),
]
VOICE_SEATS = [
    seat("c@x.test", group="panel"),
    seat("e@x.test", group="staff"),
    seat("p@x.test", group="resellers"),
]


def only(assessment, code):
    [finding] = findings_of(assessment, code)
    return finding


# ------------------------------------------------------------ departments


def test_unrepresented_department_owning_an_in_use_account_is_critical():
    f = facts(
        departments=[dept("support", headcount=40)],
        accounts=[account("acme_help", "support", status="dormant")],
    )
    finding = only(assess(f, T), "unrepresented_accounts")
    assert (finding.severity, finding.subject) == ("critical", "support")
    assert finding.message == "Support owns 1 social account but has no seat at the COE table."
    assert finding.action == "Nominate a representative from Support."
    assert "no_seat" not in codes(assess(f, T))


def test_retired_account_does_not_make_a_department_unrepresented_accounts():
    f = facts(departments=[dept("support")], accounts=[account("old", "support", status="retired")])
    a = assess(f, T)
    assert "unrepresented_accounts" not in codes(a)
    assert only(a, "no_seat").subject == "support"


@pytest.mark.parametrize(
    ("headcount", "customer_facing", "severity"),
    [(99, False, "medium"), (100, False, "high"), (5, True, "high")],
)
def test_no_seat_is_high_for_large_or_customer_facing_departments(
    headcount, customer_facing, severity
):
    f = facts(departments=[dept("legal", headcount=headcount, customer_facing=customer_facing)])
    finding = only(assess(f, T), "no_seat")
    assert (finding.severity, finding.subject) == (severity, "legal")
    assert "Legal" in finding.message


def test_no_seat_follows_the_policy_large_department():
    f = facts(
        departments=[dept("legal", headcount=50)],
        policy=PolicyFact(large_department=50),
    )
    assert only(assess(f, T), "no_seat").severity == "high"


def test_archived_departments_get_no_department_findings():
    f = facts(departments=[dept("gone", active=False)], accounts=[account("a", "gone")])
    a = assess(f, T)
    assert {"no_seat", "unrepresented_accounts", "seat_by_proxy"}.isdisjoint(codes(a))


def test_department_represented_by_an_ancestor_has_a_seat_by_proxy():
    f = facts(
        departments=[
            dept("emea"),
            dept("old", parent="emea", active=False),
            dept("nordics", parent="old"),
        ],
        seats=[seat("ana@x.test", "emea")],
    )
    finding = only(assess(f, T), "seat_by_proxy")
    assert (finding.severity, finding.subject) == ("low", "nordics")
    assert finding.message == "Nordics is represented only through Emea."


@pytest.mark.parametrize(("headcount", "flagged"), [(500, False), (501, True)])
def test_thin_representation_above_people_per_seat(headcount, flagged):
    f = facts(
        departments=[dept("ops", headcount=headcount)],
        seats=[seat("a@x.test", "ops"), seat("b@x.test", "ops")],
    )
    found = findings_of(assess(f, T), "thin_representation")
    assert [(x.severity, x.subject) for x in found] == ([("low", "ops")] if flagged else [])


# ---------------------------------------------------------------- clubhouse


def _clubhouse_company(
    seats_per_function, functions=("marketing", "communications", "sales", "hr")
):
    departments = [dept(fn, function=fn) for fn in functions]
    seats = [
        seat(f"{fn}{i}@x.test", fn)
        for fn, count in zip(functions, seats_per_function, strict=False)
        for i in range(count)
    ]
    return facts(departments=departments, seats=seats)


def test_clubhouse_when_two_functions_hold_more_than_the_share():
    a = assess(_clubhouse_company([2, 1, 1, 0]), T)  # 3 of 4 = 0.75
    finding = only(a, "clubhouse")
    assert (finding.severity, finding.subject) == ("critical", "")
    assert finding.message == "Marketing and communications hold 3 of the 4 department seats (75%)."


def test_no_clubhouse_when_two_functions_hold_exactly_the_share():
    assert "clubhouse" not in codes(assess(_clubhouse_company([2, 1, 1, 1]), T))  # 3 of 5


def test_no_clubhouse_below_min_seats_for_balance():
    assert "clubhouse" not in codes(assess(_clubhouse_company([2, 1, 0, 0]), T))  # 3 seats


def test_no_clubhouse_with_fewer_than_four_functions():
    company = _clubhouse_company([3, 1, 0], functions=("marketing", "sales", "hr"))
    assert "clubhouse" not in codes(assess(company, T))


def test_clubhouse_ignores_group_seats():
    company = _clubhouse_company([2, 1, 1, 0])
    company = facts(
        departments=company.departments,
        groups=[GroupFact("panel", "customers")],
        seats=[*company.seats, *(seat(f"g{i}@x.test", group="panel") for i in range(5))],
    )
    assert "clubhouse" in codes(assess(company, T))


# ----------------------------------------------------------- seniority skew


def _seniority_company(levels):
    people = [person(f"p{i}@x.test", seniority=level) for i, level in enumerate(levels)]
    return facts(
        departments=[dept("a")],
        people=people,
        seats=[seat(p.email, "a") for p in people],
    )


def test_seniority_skew_when_directors_and_executives_hold_more_than_the_share():
    a = assess(_seniority_company(["director", "executive", "director", None]), T)  # 3 of 4
    finding = only(a, "seniority_skew")
    assert (finding.severity, finding.subject) == ("high", "")
    assert finding.message == "Directors and executives hold 3 of the 4 current seats (75%)."


def test_no_seniority_skew_at_exactly_the_share():
    levels = ["director", "executive", "director", "manager", "individual_contributor"]
    assert "seniority_skew" not in codes(assess(_seniority_company(levels), T))  # 3 of 5


def test_no_seniority_skew_below_min_seats_for_balance():
    levels = ["director", "executive", "director"]
    assert "seniority_skew" not in codes(assess(_seniority_company(levels), T))


# ------------------------------------------------------------ missing voice


def test_missing_voice_is_reported_once_per_kind_not_heard():
    f = facts(
        departments=[dept("a")],
        groups=[GroupFact("panel", "customers"), GroupFact("forum", "community")],
        seats=[seat("c@x.test", group="panel"), seat("f@x.test", group="forum")],
    )
    found = findings_of(assess(f, T), "missing_voice")
    assert [(x.severity, x.subject) for x in found] == [
        ("medium", "employees"),
        ("medium", "partners"),
    ]


def test_no_missing_voice_when_all_three_kinds_hold_current_seats():
    f = facts(departments=[dept("a")], groups=ALL_VOICES, seats=VOICE_SEATS)
    assert "missing_voice" not in codes(assess(f, T))


# --------------------------------------------------------------- empty chair


def _chair(present_pattern, **seat_kwargs):
    days = [T - timedelta(days=30 * i) for i in reversed(range(len(present_pattern)))]
    return facts(
        departments=[dept("a")],
        seats=[seat("ana@x.test", "a", **seat_kwargs)],
        meetings=[
            meeting(d, ["ana@x.test"] if here else [])
            for d, here in zip(days, present_pattern, strict=True)
        ],
    )


def test_empty_chair_after_the_last_three_expected_meetings_were_missed():
    finding = only(assess(_chair([True, False, False, False]), T), "empty_chair")
    assert (finding.severity, finding.subject) == ("high", "ana@x.test/a")


def test_no_empty_chair_when_present_at_one_of_the_last_three():
    assert "empty_chair" not in codes(assess(_chair([False, False, True, False, False]), T))


def test_no_empty_chair_before_absence_limit_meetings_were_expected():
    assert "empty_chair" not in codes(assess(_chair([False, False]), T))


def test_empty_chair_counts_only_meetings_at_which_the_seat_was_expected():
    # Meetings at T-90, T-60, T-30 and T, all missed.
    starting_after_two = _chair([False] * 4, start=T - timedelta(days=59))
    assert "empty_chair" not in codes(assess(starting_after_two, T))
    starting_on_the_second = _chair([False] * 4, start=T - timedelta(days=60))
    assert "empty_chair" in codes(assess(starting_on_the_second, T))


def test_empty_chair_looks_beyond_the_participation_window():
    company = _chair([False, False, False, False])
    company = facts(
        departments=company.departments,
        seats=company.seats,
        meetings=company.meetings,
        policy=PolicyFact(participation_window=1),
    )
    assert "empty_chair" in codes(assess(company, T))


def test_empty_chair_follows_the_policy_absence_limit():
    company = _chair([True, False, False])
    company = facts(
        departments=company.departments,
        seats=company.seats,
        meetings=company.meetings,
        policy=PolicyFact(absence_limit=2),
    )
    assert "empty_chair" in codes(assess(company, T))


def test_empty_chair_ignores_meetings_after_as_of():
    company = _chair([False, False, False])
    later = meeting(T + timedelta(days=1), ["ana@x.test"])
    company = facts(
        departments=company.departments, seats=company.seats, meetings=[*company.meetings, later]
    )
    assert "empty_chair" in codes(assess(company, T))


def test_seat_of_a_person_who_has_left_is_not_an_empty_chair():
    company = _chair([False, False, False])
    company = facts(
        departments=company.departments,
        people=[person("ana@x.test", active=False)],
        seats=company.seats,
        meetings=company.meetings,
    )
    a = assess(company, T)
    assert "empty_chair" not in codes(a)
    assert only(a, "departed_member").subject == "ana@x.test/a"


# --------------------------------------------------------------------- seats


@pytest.mark.parametrize(("waited", "flagged"), [(14, False), (15, True)])
def test_stale_nomination_after_stale_days(waited, flagged):
    f = facts(
        departments=[dept("a")],
        seats=[
            seat(
                "ana@x.test",
                "a",
                status="nominated",
                start=None,
                nominated_at=T - timedelta(days=waited),
            )
        ],
    )
    found = findings_of(assess(f, T), "stale_nomination")
    assert [(x.severity, x.subject) for x in found] == (
        [("medium", "ana@x.test/a")] if flagged else []
    )


def test_seat_findings_still_report_seats_of_archived_departments():
    f = facts(
        departments=[dept("old", active=False)],
        people=[person("gone@x.test", active=False)],
        seats=[
            seat("nom@x.test", "old", status="nominated", nominated_at=T - timedelta(days=30)),
            seat("exp@x.test", "old", end=T - timedelta(days=1)),
            seat("gone@x.test", "old"),
        ],
    )
    a = assess(f, T)
    assert only(a, "stale_nomination").subject == "nom@x.test/old"
    assert only(a, "expired_term").subject == "exp@x.test/old"
    assert only(a, "departed_member").subject == "gone@x.test/old"


def test_seat_subject_names_the_group_for_group_seats():
    f = facts(
        groups=[GroupFact("panel", "customers")],
        seats=[seat("ana@x.test", group="panel", status="nominated", nominated_at=LONG_AGO)],
    )
    assert only(assess(f, T), "stale_nomination").subject == "ana@x.test/panel"


@pytest.mark.parametrize(("ended", "flagged"), [(T, False), (T - timedelta(days=1), True)])
def test_expired_term_when_an_approved_term_ended_before_as_of(ended, flagged):
    f = facts(departments=[dept("a")], seats=[seat("ana@x.test", "a", end=ended)])
    found = findings_of(assess(f, T), "expired_term")
    assert [(x.severity, x.subject) for x in found] == (
        [("low", "ana@x.test/a")] if flagged else []
    )


def test_ended_seat_is_not_an_expired_term():
    f = facts(
        departments=[dept("a")],
        seats=[seat("ana@x.test", "a", status="ended", end=T - timedelta(days=10))],
    )
    assert "expired_term" not in codes(assess(f, T))


def test_departed_member_holds_an_approved_seat_after_leaving():
    f = facts(
        departments=[dept("a")],
        people=[person("gone@x.test", active=False)],
        seats=[seat("gone@x.test", "a"), seat("gone@x.test", "a", status="ended", end=LONG_AGO)],
    )
    a = assess(f, T)
    finding = only(a, "departed_member")
    assert (finding.severity, finding.subject) == ("high", "gone@x.test/a")
    assert a.representation["a"] == "none"


# ------------------------------------------------------------------ accounts


def test_departed_manager_is_reported_per_account_and_manager():
    f = facts(
        departments=[dept("mkt")],
        people=[
            person("gone@x.test", active=False),
            person("left@x.test", active=False),
            person("here@x.test"),
        ],
        seats=[seat("ana@x.test", "mkt")],
        accounts=[
            account(
                "acme",
                "mkt",
                platform="linkedin",
                managers=["left@x.test", "gone@x.test", "here@x.test"],
            ),
            account("old", "mkt", status="retired", managers=["gone@x.test"]),
        ],
    )
    found = findings_of(assess(f, T), "departed_manager")
    assert [(x.severity, x.subject) for x in found] == [
        ("critical", "linkedin:acme/gone@x.test"),
        ("critical", "linkedin:acme/left@x.test"),
    ]
    assert "gone@x.test" in found[0].message
    assert "LinkedIn account @acme" in found[0].message


def test_orphan_account_has_no_owner_or_an_archived_one():
    f = facts(
        departments=[dept("mkt"), dept("old", active=False)],
        accounts=[
            account("nobody"),
            account("archived", "old", status="dormant"),
            account("owned", "mkt"),
            account("retired", status="retired"),
        ],
    )
    found = findings_of(assess(f, T), "orphan_account")
    assert [(x.severity, x.subject) for x in found] == [
        ("high", "x:archived"),
        ("high", "x:nobody"),
    ]


def test_unverified_account_is_reported():
    f = facts(accounts=[account("impostor", status="unverified")])
    a = assess(f, T)
    finding = only(a, "unverified_account")
    assert (finding.severity, finding.subject) == ("medium", "x:impostor")
    assert "orphan_account" not in codes(a)  # unverified accounts are not in use


@pytest.mark.parametrize(("silent", "flagged"), [(90, False), (91, True)])
def test_dormant_account_after_dormant_days_without_a_post(silent, flagged):
    f = facts(
        departments=[dept("mkt")],
        accounts=[account("acme", "mkt", last_post=T - timedelta(days=silent))],
    )
    found = findings_of(assess(f, T), "dormant_account")
    assert [(x.severity, x.subject) for x in found] == ([("low", "x:acme")] if flagged else [])


def test_dormant_account_needs_an_active_account_with_a_last_post():
    f = facts(
        departments=[dept("mkt")],
        accounts=[
            account("never", "mkt"),
            account("asleep", "mkt", status="dormant", last_post=LONG_AGO),
        ],
    )
    assert "dormant_account" not in codes(assess(f, T))


def test_account_subject_is_platform_and_lower_case_handle_without_at():
    f = facts(accounts=[account("@AcmeHelp", platform="instagram", status="unverified")])
    assert only(assess(f, T), "unverified_account").subject == "instagram:acmehelp"


# ------------------------------------------------------------ stalled growth


def _growth(start, headcount_without_seat=60):
    return facts(
        departments=[dept("a", headcount=40), dept("b", headcount=headcount_without_seat)],
        seats=[seat("ana@x.test", "a", start=start)],
    )


@pytest.mark.parametrize(("days_ago", "flagged"), [(90, True), (89, False)])
def test_stalled_growth_when_no_seat_started_within_the_growth_window(days_ago, flagged):
    a = assess(_growth(T - timedelta(days=days_ago)), T)
    found = findings_of(a, "stalled_growth")
    assert [(x.severity, x.subject) for x in found] == ([("medium", "")] if flagged else [])


def test_current_seat_without_a_start_is_not_recent_growth():
    assert "stalled_growth" in codes(assess(_growth(None), T))


def test_no_stalled_growth_at_target_coverage():
    assert "stalled_growth" not in codes(assess(_growth(LONG_AGO, headcount_without_seat=10), T))
    assert "stalled_growth" in codes(assess(_growth(LONG_AGO, headcount_without_seat=11), T))


def test_no_stalled_growth_when_coverage_is_not_measured():
    assert "stalled_growth" not in codes(assess(facts(), T))


# --------------------------------------------------------------------- order


def test_findings_are_ordered_by_severity_then_code_then_subject():
    f = facts(
        departments=[
            dept("b_legal", headcount=5),
            dept("a_legal", headcount=5),
            dept("support", headcount=500, customer_facing=True),
            dept("mkt"),
        ],
        seats=[seat("ana@x.test", "mkt")],
        accounts=[account("help", "support"), account("zz", status="unverified"), account("aa")],
    )
    a = assess(f, T)
    keys = [(x.severity, x.code, x.subject) for x in a.findings]
    rank = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    assert keys == sorted(keys, key=lambda k: (rank[k[0]], k[1], k[2]))
    assert keys[0] == ("critical", "unrepresented_accounts", "support")
    assert ("medium", "no_seat", "a_legal") in keys
    assert keys.index(("medium", "no_seat", "a_legal")) < keys.index(
        ("medium", "no_seat", "b_legal")
    )


def test_every_finding_has_a_message_and_an_action_in_words():
    f = facts(
        departments=[dept("mkt", headcount=900), dept("sales"), dept("team", parent="mkt")],
        people=[person("gone@x.test", active=False)],
        seats=[seat("ana@x.test", "mkt"), seat("gone@x.test", "mkt")],
        accounts=[account("a", "sales", managers=["gone@x.test"], last_post=LONG_AGO)],
    )
    for finding in assess(f, T).findings:
        assert finding.message.endswith(".")
        assert finding.action.endswith(".")


# ------------------------------------------------------------ contract v2


def test_meeting_without_attendance_rows_is_skipped_by_participation_and_empty_chair():
    untaken = _chair([False, False, False, False])
    untaken = facts(
        departments=untaken.departments,
        seats=untaken.seats,
        meetings=[replace(m, taken=False) for m in untaken.meetings],
    )
    a = assess(untaken, T)
    assert a.components["participation"] is None
    assert "empty_chair" not in codes(a)


def test_meeting_where_nobody_came_counts_next_to_one_not_taken():
    company = _chair([False, False, False, False])
    meetings = list(company.meetings)
    # The second meeting was never taken: only three taken meetings remain, all missed.
    meetings[1] = replace(meetings[1], taken=False)
    a = assess(facts(departments=company.departments, seats=company.seats, meetings=meetings), T)
    assert a.components["participation"] == 0.0
    assert "empty_chair" in codes(a)
    meetings[2] = replace(meetings[2], taken=False)
    a = assess(facts(departments=company.departments, seats=company.seats, meetings=meetings), T)
    assert "empty_chair" not in codes(a)


@pytest.mark.parametrize(("days", "flagged"), [(729, False), (730, False), (731, True)])
def test_long_tenure_when_a_current_seat_started_more_than_max_tenure_days_ago(days, flagged):
    f = facts(departments=[dept("a")], seats=[seat("ana@x.test", "a", start=T - timedelta(days))])
    assert ("long_tenure" in codes(assess(f, T))) is flagged
    if flagged:
        finding = only(assess(f, T), "long_tenure")
        assert (finding.severity, finding.subject) == ("low", "ana@x.test/a")


def test_long_tenure_ignores_seats_without_a_start_and_seats_that_are_not_current():
    f = facts(
        departments=[dept("a"), dept("b")],
        seats=[
            seat("ana@x.test", "a", start=None),
            seat("bo@x.test", "b", start=T - timedelta(days=900), end=T - timedelta(days=1)),
        ],
    )
    assert "long_tenure" not in codes(assess(f, T))


def test_long_tenure_follows_the_policy_max_tenure_days():
    f = facts(
        departments=[dept("a")],
        seats=[seat("ana@x.test", "a", start=T - timedelta(days=31))],
        policy=PolicyFact(max_tenure_days=30),
    )
    assert "long_tenure" in codes(assess(f, T))


@pytest.mark.parametrize(
    ("managers", "flagged"),
    [
        ((), True),
        (("ana@x.test",), True),
        (("ana@x.test", "gone@x.test"), True),  # one active manager plus one departed
        (("ana@x.test", "ana@x.test"), True),  # the same person listed twice
        (("ana@x.test", "stranger@x.test"), True),  # not a person: nobody
        (("ana@x.test", "bo@x.test"), False),
    ],
)
def test_single_manager_account_needs_min_managers_distinct_active_managers(managers, flagged):
    f = facts(
        departments=[dept("a")],
        people=[person("ana@x.test"), person("bo@x.test"), person("gone@x.test", active=False)],
        accounts=[account("acme", "a", managers=managers)],
    )
    a = assess(f, T)
    assert ("single_manager_account" in codes(a)) is flagged
    if flagged:
        finding = only(a, "single_manager_account")
        assert (finding.severity, finding.subject) == ("medium", "x:acme")


def test_single_manager_account_only_for_owned_accounts_in_use():
    f = facts(
        departments=[dept("a"), dept("old", active=False)],
        accounts=[
            account("unowned"),
            account("archived", "old"),
            account("retired", "a", status="retired"),
            account("found", "a", status="unverified"),
        ],
    )
    assert "single_manager_account" not in codes(assess(f, T))


def test_single_manager_account_follows_the_policy_min_managers():
    f = facts(
        departments=[dept("a")],
        people=[person("ana@x.test")],
        accounts=[account("acme", "a", managers=["ana@x.test"])],
        policy=PolicyFact(min_managers=1),
    )
    assert "single_manager_account" not in codes(assess(f, T))
