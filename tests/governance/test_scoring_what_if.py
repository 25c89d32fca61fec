"""The score if one pending nomination were approved (the nomination queue's what-if)."""

from dataclasses import replace

import pytest

from governance.scoring import GroupFact, score_facts, what_if_approved
from tests.governance.test_scoring import T, account, dept, facts, person, seat


def approved_alone(f, nomination):
    """The same company with only `nomination` approved at T, with no end date."""
    seats = tuple(
        replace(s, status="approved", term_start=T, term_end=None) if s is nomination else s
        for s in f.seats
    )
    return replace(f, seats=seats)


def company(*nominations, groups=(), people=()):
    return facts(
        departments=[
            dept("mkt", function="marketing", headcount=100),
            dept("support", function="customer_support", headcount=300),
            dept("emea_support", parent="support", function="customer_support", headcount=60),
            dept("old", function="legal", headcount=40, active=False),
        ],
        groups=groups,
        people=people,
        seats=[seat("ana@x.test", "mkt", role="lead"), *nominations],
        accounts=[account("help", "support"), account("brand", "mkt")],
    )


def test_a_nomination_for_an_unrepresented_department_scores_as_if_really_seated():
    nomination = seat("sam@x.test", "support", status="nominated", start=None)
    f = company(nomination)
    what_if = what_if_approved(f, T)
    assert what_if.score == pytest.approx(score_facts(f, T), abs=1e-9)
    expected = score_facts(approved_alone(f, nomination), T)
    assert what_if.if_approved[nomination.id] == pytest.approx(expected, abs=1e-9)
    assert what_if.if_approved[nomination.id] > what_if.score


def test_a_nomination_for_a_proxy_department_only_lifts_that_department():
    seated_parent = seat("sue@x.test", "support")
    nomination = seat("eve@x.test", "emea_support", status="nominated", start=None)
    f = company(seated_parent, nomination)
    expected = score_facts(approved_alone(f, nomination), T)
    assert what_if_approved(f, T).if_approved[nomination.id] == pytest.approx(expected, abs=1e-9)


def test_a_second_seat_for_a_seated_department_changes_balance_and_seniority_only():
    nomination = seat("max@x.test", "mkt", status="nominated", start=None)
    f = company(nomination, people=[person("max@x.test", seniority="director", department="mkt")])
    expected = score_facts(approved_alone(f, nomination), T)
    assert what_if_approved(f, T).if_approved[nomination.id] == pytest.approx(expected, abs=1e-9)


def test_a_group_nomination_gives_its_kind_a_voice():
    panel = GroupFact("panel", "customers")
    nomination = seat("cat@x.test", group="panel", status="nominated", start=None)
    f = company(nomination, groups=[panel])
    what_if = what_if_approved(f, T)
    expected = score_facts(approved_alone(f, nomination), T)
    assert what_if.if_approved[nomination.id] == pytest.approx(expected, abs=1e-9)
    assert what_if.if_approved[nomination.id] > what_if.score


def test_a_group_nomination_for_a_voice_already_heard_adds_no_voice():
    panel, council = GroupFact("panel", "customers"), GroupFact("council", "customers")
    heard = seat("dan@x.test", group="panel")
    nomination = seat("cat@x.test", group="council", status="nominated", start=None)
    f = company(heard, nomination, groups=[panel, council])
    expected = score_facts(approved_alone(f, nomination), T)
    assert what_if_approved(f, T).if_approved[nomination.id] == pytest.approx(expected, abs=1e-9)


def test_nominations_that_would_not_count_have_no_score_if_approved():
    archived = seat("old@x.test", "old", status="nominated", start=None)
    departed = seat("gone@x.test", "support", status="nominated", start=None)
    f = company(
        archived,
        departed,
        people=[person("gone@x.test", department="support", active=False)],
    )
    assert what_if_approved(f, T).if_approved == {}


def test_only_nominations_are_considered():
    declined = seat("sam@x.test", "support", status="declined", start=None)
    assert what_if_approved(company(declined), T).if_approved == {}
