"""Organisation model: the first of Altimeter's five models whose rule holds."""

import pytest

from governance.scoring import GroupFact, assess
from tests.governance.test_scoring import T, account, dept, facts, seat

VOICES = [
    GroupFact("panel", "customers"),
    GroupFact("staff", "employees"),
    GroupFact("resellers", "partners"),
]
VOICE_SEATS = [
    seat("c@x.test", group="panel"),
    seat("e@x.test", group="staff"),
    seat("p@x.test", group="resellers"),
]


def model(f):
    a = assess(f, T)
    return a.org_model


def test_organic_with_fewer_than_two_current_seats():
    f = facts(departments=[dept("mkt")], seats=[seat("ana@x.test", "mkt", role="lead")])
    a = assess(f, T)
    assert a.org_model == "organic"
    assert "1 current seat" in a.org_model_reason


def test_organic_without_a_current_lead_seat():
    f = facts(
        departments=[dept("mkt"), dept("sales")],
        seats=[
            seat("ana@x.test", "mkt"),
            seat("bo@x.test", "sales"),
            seat("cy@x.test", "sales", role="lead", status="nominated"),
        ],
    )
    a = assess(f, T)
    assert a.org_model == "organic"
    assert "lead" in a.org_model_reason


def _owned(counts):
    return [account(f"{owner}{i}", owner) for owner, count in counts.items() for i in range(count)]


def _two_seats(**extra):
    return {
        "departments": [dept("mkt"), dept("sales"), dept("old", active=False)],
        "seats": [seat("ana@x.test", "mkt", role="lead"), seat("bo@x.test", "sales")],
        **extra,
    }


def test_centralized_when_one_department_owns_seventy_percent_of_owned_accounts():
    f = facts(**_two_seats(accounts=_owned({"mkt": 7, "sales": 3})))
    a = assess(f, T)
    assert a.org_model == "centralized"
    assert a.org_model_reason == "70% of owned accounts sit with Mkt (7 of 10)."


def test_centralized_needs_more_than_sixty_nine_percent():
    f = facts(**_two_seats(accounts=_owned({"mkt": 69, "sales": 31})))
    assert model(f) == "hub_and_spoke"


def test_centralized_needs_three_owned_accounts():
    assert model(facts(**_two_seats(accounts=_owned({"mkt": 2})))) == "hub_and_spoke"
    assert model(facts(**_two_seats(accounts=_owned({"mkt": 3})))) == "centralized"


def test_ownership_share_counts_only_in_use_accounts_of_active_departments():
    accounts = [
        *_owned({"mkt": 2, "sales": 1}),
        account("r1", "mkt", status="retired"),
        account("r2", "mkt", status="unverified"),
        account("o1", "old"),
        account("o2"),
    ]
    # 2 of 3 owned accounts: s = 0.67.
    assert model(facts(**_two_seats(accounts=accounts))) == "hub_and_spoke"


def _honeycomb(headcount_without_seat=0, accounts=None, voice_seats=VOICE_SEATS):
    return facts(
        departments=[
            dept("a", headcount=30),
            dept("b", headcount=30),
            dept("c", headcount=30),
            dept("d", headcount=headcount_without_seat),
        ],
        groups=VOICES,
        seats=[
            seat("ana@x.test", "a", role="lead"),
            seat("bo@x.test", "b"),
            seat("cy@x.test", "c"),
            *voice_seats,
        ],
        accounts=accounts if accounts is not None else _owned({"a": 1, "b": 1, "c": 1}),
    )


def test_honeycomb_when_coverage_footprint_and_voices_are_high_and_ownership_spread():
    a = assess(_honeycomb(), T)
    assert a.org_model == "honeycomb"
    assert "33%" in a.org_model_reason


def test_honeycomb_at_exactly_ninety_percent_coverage():
    assert model(_honeycomb(headcount_without_seat=10)) == "honeycomb"  # 90 of 100
    assert model(_honeycomb(headcount_without_seat=11)) == "hub_and_spoke"


def test_honeycomb_needs_footprint_of_ninety_percent():
    accounts = [*_owned({"a": 3, "b": 3, "c": 3}), account("nobody")]  # 9 of 10
    assert model(_honeycomb(accounts=accounts)) == "honeycomb"
    accounts = [*_owned({"a": 3, "b": 3, "c": 2}), account("nobody")]  # 8 of 9
    assert model(_honeycomb(accounts=accounts)) == "hub_and_spoke"


def test_honeycomb_needs_every_voice():
    assert model(_honeycomb(voice_seats=VOICE_SEATS[:2])) == "hub_and_spoke"


def test_honeycomb_needs_ownership_share_below_one_half():
    assert model(_honeycomb(accounts=_owned({"a": 2, "b": 1, "c": 1}))) == "hub_and_spoke"


def test_honeycomb_needs_footprint_to_be_measured():
    assert model(_honeycomb(accounts=[])) == "hub_and_spoke"


def test_dandelion_when_lead_seats_sit_under_two_top_level_departments():
    f = facts(
        departments=[dept("emea"), dept("emea_mkt", parent="emea"), dept("apac")],
        seats=[seat("ana@x.test", "emea_mkt", role="lead"), seat("bo@x.test", "apac", role="lead")],
    )
    a = assess(f, T)
    assert a.org_model == "dandelion"
    assert "Apac, Emea" in a.org_model_reason


@pytest.mark.parametrize("root_active", [True, False])
def test_hub_and_spoke_when_every_lead_seat_sits_under_one_top_level_department(root_active):
    f = facts(
        departments=[
            dept("group", active=root_active),
            dept("mkt", parent="group"),
            dept("pr", parent="mkt"),
            dept("sales", parent="group"),
        ],
        seats=[
            seat("ana@x.test", "mkt", role="lead"),
            seat("bo@x.test", "pr", role="lead"),
            seat("cy@x.test", "sales"),
        ],
    )
    assert model(f) == "hub_and_spoke"


def test_lead_seats_of_stakeholder_groups_do_not_make_a_dandelion():
    f = facts(
        departments=[dept("mkt"), dept("sales")],
        groups=VOICES,
        seats=[
            seat("ana@x.test", "mkt", role="lead"),
            seat("c@x.test", group="panel", role="lead"),
        ],
    )
    assert model(f) == "hub_and_spoke"


def test_centralized_comes_before_dandelion():
    f = facts(
        departments=[dept("mkt"), dept("sales")],
        seats=[seat("ana@x.test", "mkt", role="lead"), seat("bo@x.test", "sales", role="lead")],
        accounts=_owned({"mkt": 3}),
    )
    assert model(f) == "centralized"
