"""The seat services: nominate, approve, decline, withdraw, end -- every legal and
illegal transition, the refusals that write nothing, history and concurrency."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from governance import services as governance_services
from stakeholders import services
from stakeholders.models import ExpertiseTag, Person, Seat, SeatStatus
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    SeatFactory,
    StakeholderGroupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def person_a(dept_a):
    return PersonFactory(name="Ana Ruiz", email="ana@acme.test", department=dept_a)


@pytest.fixture
def pending(person_a, dept_a, head_a):
    return services.seat_nominate(actor=head_a, person=person_a, department=dept_a, note="Knows")


def _state(seat: Seat) -> tuple:
    seat.refresh_from_db()
    return (
        seat.status,
        seat.decided_by_id,
        seat.decided_at,
        seat.decision_note,
        seat.term_start,
        seat.term_end,
        seat.history.count(),
    )


def _seat_in(status: str, *, department, person=None, nominated_by=None) -> Seat:
    fields = {"status": status, "department": department, "term_start": None}
    if status in ("approved", "declined", "ended"):
        fields["decided_at"] = timezone.now() - datetime.timedelta(days=30)
        fields["term_start"] = TODAY() - datetime.timedelta(days=30)
    if status == "ended":
        fields["term_end"] = TODAY() - datetime.timedelta(days=1)
    return SeatFactory(
        person=person or PersonFactory(department=department),
        nominated_by=nominated_by,
        **fields,
    )


# --- nominate -----------------------------------------------------------------------


def test_head_nominates_an_existing_person_for_their_department(pending, head_a, person_a):
    assert pending.status == SeatStatus.NOMINATED
    assert pending.person == person_a
    assert pending.nominated_by == head_a
    assert pending.nominated_at is not None
    assert pending.nomination_note == "Knows"
    assert pending.role == "core"
    assert pending.person_reused is False


def test_head_nominates_for_a_sub_department(head_a, dept_a_child):
    person = PersonFactory(department=dept_a_child)
    seat = services.seat_nominate(actor=head_a, person=person, department=dept_a_child)
    assert seat.department == dept_a_child


def test_head_cannot_nominate_for_another_department_and_nothing_is_written(head_b, dept_a):
    person = PersonFactory(department=dept_a)
    with pytest.raises(ValidationError, match="Only the head of Customer Support"):
        services.seat_nominate(actor=head_b, person=person, department=dept_a)
    assert not Seat.objects.exists()


def test_reader_cannot_nominate(reader, dept_a):
    with pytest.raises(ValidationError):
        services.seat_nominate(
            actor=reader, person=PersonFactory(department=dept_a), department=dept_a
        )
    assert not Seat.objects.exists()


def test_nobody_can_nominate_for_an_archived_department(lead):
    archived = DepartmentFactory(name="Old Desk", active=False)
    with pytest.raises(ValidationError, match="Old Desk is archived"):
        services.seat_nominate(
            actor=lead, person=PersonFactory(department=archived), department=archived
        )
    assert not Seat.objects.exists()


def test_a_person_already_nominated_there_cannot_be_nominated_again(pending, lead, dept_a):
    with pytest.raises(ValidationError, match="Ana Ruiz is already nominated for Customer"):
        services.seat_nominate(actor=lead, person=pending.person, department=dept_a)
    assert Seat.objects.count() == 1


def test_a_person_holding_a_seat_there_cannot_be_nominated_again(lead, dept_a, person_a):
    _seat_in("approved", department=dept_a, person=person_a)
    with pytest.raises(ValidationError, match="already holds a seat"):
        services.seat_nominate(actor=lead, person=person_a, department=dept_a)
    assert Seat.objects.count() == 1


@pytest.mark.parametrize("status", ["declined", "withdrawn", "ended"])
def test_a_person_whose_seat_is_closed_can_be_nominated_again(status, lead, dept_a, person_a):
    _seat_in(status, department=dept_a, person=person_a)
    seat = services.seat_nominate(actor=lead, person=person_a, department=dept_a)
    assert seat.status == SeatStatus.NOMINATED


def test_a_person_with_a_seat_elsewhere_can_be_nominated_here(lead, dept_a, dept_b, person_a):
    _seat_in("approved", department=dept_b, person=person_a)
    assert services.seat_nominate(actor=lead, person=person_a, department=dept_a)


def test_a_person_who_has_left_cannot_be_nominated(lead, dept_a):
    gone = PersonFactory(name="Gone Person", department=dept_a, active=False)
    with pytest.raises(ValidationError, match="Gone Person has left"):
        services.seat_nominate(actor=lead, person=gone, department=dept_a)
    assert not Seat.objects.exists()


def test_nominating_someone_new_creates_the_person_with_expertise(head_a, dept_a):
    seat = services.seat_nominate(
        actor=head_a,
        new_person=services.PersonData(
            email="  Bo.Chen@Acme.test ",
            name="Bo Chen",
            title="Support agent",
            seniority="individual_contributor",
            expertise=("Community", "crisis response", "community"),
        ),
        department=dept_a,
        role="extended",
    )
    person = seat.person
    assert person.email == "bo.chen@acme.test"
    assert (person.name, person.title, person.seniority) == (
        "Bo Chen",
        "Support agent",
        "individual_contributor",
    )
    assert person.department == dept_a
    assert sorted(person.expertise.values_list("name", flat=True)) == [
        "community",
        "crisis-response",
    ]
    assert seat.role == "extended"
    assert seat.person_reused is False
    assert person.history.get().history_user == head_a


def test_nominating_someone_new_whose_email_exists_reuses_that_person(head_a, dept_a, person_a):
    seat = services.seat_nominate(
        actor=head_a,
        new_person=services.PersonData(email="ANA@acme.TEST", name="Someone Else"),
        department=dept_a,
    )
    assert seat.person == person_a
    assert seat.person_reused is True
    assert Person.objects.count() == 1
    person_a.refresh_from_db()
    assert person_a.name == "Ana Ruiz"


def test_nominating_someone_new_without_a_name_writes_nothing(head_a, dept_a):
    with pytest.raises(ValidationError) as error:
        services.seat_nominate(
            actor=head_a,
            new_person=services.PersonData(email="new@acme.test", expertise=("x",)),
            department=dept_a,
        )
    assert "name" in error.value.message_dict
    assert not Person.objects.exists()
    assert not ExpertiseTag.objects.exists()


def test_a_refused_nomination_of_someone_new_does_not_create_them(lead):
    archived = DepartmentFactory(active=False)
    with pytest.raises(ValidationError):
        services.seat_nominate(
            actor=lead,
            new_person=services.PersonData(email="new@acme.test", name="New"),
            department=archived,
        )
    assert not Person.objects.exists()


def test_nominating_needs_exactly_one_person_and_one_constituency(lead, dept_a, person_a):
    group = StakeholderGroupFactory()
    with pytest.raises(ValidationError, match="Pick an existing person"):
        services.seat_nominate(actor=lead, department=dept_a)
    with pytest.raises(ValidationError, match="exactly one"):
        services.seat_nominate(actor=lead, person=person_a, department=dept_a, group=group)


def test_lead_nominates_for_a_stakeholder_group(lead, person_a):
    group = StakeholderGroupFactory(name="Customer Advisory Panel")
    seat = services.seat_nominate(actor=lead, person=person_a, group=group, role="advisor")
    assert (seat.group, seat.department, seat.role) == (group, None, "advisor")


def test_head_cannot_nominate_for_a_stakeholder_group(head_a, dept_a, person_a):
    with pytest.raises(ValidationError, match="Only COE leads nominate for stakeholder"):
        services.seat_nominate(actor=head_a, person=person_a, group=StakeholderGroupFactory())


def test_nominating_asks_for_a_recompute_after_commit(
    head_a, dept_a, person_a, django_capture_on_commit_callbacks, monkeypatch
):
    requested = []
    monkeypatch.setattr(governance_services, "snapshot_request", lambda: requested.append(True))
    services.seat_nominate(actor=head_a, person=person_a, department=dept_a)
    assert requested == [True]


# --- approve, decline ---------------------------------------------------------------


def test_lead_approves_a_nomination_from_today(pending, lead):
    seat = services.seat_approve(actor=lead, seat=pending, note="Welcome")
    seat.refresh_from_db()
    assert seat.status == SeatStatus.APPROVED
    assert seat.decided_by == lead
    assert seat.decided_at is not None
    assert seat.decision_note == "Welcome"
    assert seat.term_start == TODAY()
    assert seat.term_end is None


def test_lead_approves_with_another_term_start(pending, lead):
    start = TODAY() + datetime.timedelta(days=7)
    assert services.seat_approve(actor=lead, seat=pending, term_start=start).term_start == start


def test_lead_declines_a_nomination_with_a_note(pending, lead):
    seat = services.seat_decline(actor=lead, seat=pending, note="Not this quarter")
    seat.refresh_from_db()
    assert (seat.status, seat.decided_by, seat.decision_note) == (
        SeatStatus.DECLINED,
        lead,
        "Not this quarter",
    )
    assert seat.term_start is None


@pytest.mark.parametrize("decide", [services.seat_approve, services.seat_decline])
def test_a_head_cannot_decide_and_nothing_changes(decide, pending, head_a):
    before = _state(pending)
    with pytest.raises(ValidationError, match="Only COE leads"):
        decide(actor=head_a, seat=pending)
    assert _state(pending) == before


def test_approving_is_refused_once_the_department_is_archived(pending, lead, dept_a):
    dept_a.active = False
    dept_a.save()
    before = _state(pending)
    with pytest.raises(ValidationError, match="archived since the nomination"):
        services.seat_approve(actor=lead, seat=pending)
    assert _state(pending) == before


def test_approving_is_refused_once_the_person_has_left(pending, lead):
    Person.objects.filter(pk=pending.person_id).update(active=False)
    with pytest.raises(ValidationError, match="has left the company"):
        services.seat_approve(actor=lead, seat=pending)
    assert Seat.objects.get().status == SeatStatus.NOMINATED


# --- withdraw, end -------------------------------------------------------------------


def test_head_withdraws_their_own_pending_nomination(pending, head_a):
    assert services.seat_withdraw(actor=head_a, seat=pending).status == SeatStatus.WITHDRAWN
    assert Seat.objects.get().status == SeatStatus.WITHDRAWN


def test_another_head_cannot_withdraw_a_nomination(pending, head_b):
    with pytest.raises(ValidationError, match="Only the nominator"):
        services.seat_withdraw(actor=head_b, seat=pending)
    assert Seat.objects.get().status == SeatStatus.NOMINATED


def test_lead_withdraws_any_pending_nomination(pending, lead):
    assert services.seat_withdraw(actor=lead, seat=pending).status == SeatStatus.WITHDRAWN


def test_lead_ends_an_approved_seat_today_by_default(lead, dept_a):
    seat = services.seat_end(actor=lead, seat=_seat_in("approved", department=dept_a))
    seat.refresh_from_db()
    assert (seat.status, seat.term_end) == (SeatStatus.ENDED, TODAY())


def test_lead_ends_an_approved_seat_on_a_past_date(lead, dept_a):
    seat = _seat_in("approved", department=dept_a)
    day = TODAY() - datetime.timedelta(days=3)
    assert services.seat_end(actor=lead, seat=seat, term_end=day).term_end == day


def test_a_seat_cannot_end_in_the_future(lead, dept_a):
    seat = _seat_in("approved", department=dept_a)
    before = _state(seat)
    with pytest.raises(ValidationError) as error:
        services.seat_end(actor=lead, seat=seat, term_end=TODAY() + datetime.timedelta(days=1))
    assert "term_end" in error.value.message_dict
    assert _state(seat) == before


def test_a_seat_cannot_end_before_its_term_started(lead, dept_a):
    seat = _seat_in("approved", department=dept_a)
    before = _state(seat)
    with pytest.raises(ValidationError, match="cannot end before it started"):
        services.seat_end(actor=lead, seat=seat, term_end=seat.term_start - datetime.timedelta(1))
    assert _state(seat) == before


def test_a_head_cannot_end_a_seat(head_a, dept_a):
    seat = _seat_in("approved", department=dept_a)
    with pytest.raises(ValidationError, match="Only COE leads end seats"):
        services.seat_end(actor=head_a, seat=seat)
    assert Seat.objects.get().status == SeatStatus.APPROVED


# --- the transition table ---------------------------------------------------------

ACTIONS = {
    "approve": services.seat_approve,
    "decline": services.seat_decline,
    "withdraw": services.seat_withdraw,
    "end": services.seat_end,
}
LEGAL = {
    ("nominated", "approve"): "approved",
    ("nominated", "decline"): "declined",
    ("nominated", "withdraw"): "withdrawn",
    ("approved", "end"): "ended",
}
ALL = [(status, action) for status in SeatStatus.values for action in ACTIONS]


@pytest.mark.parametrize(("status", "action"), [pair for pair in ALL if pair in LEGAL])
def test_every_legal_transition_moves_the_status(status, action, lead, dept_a):
    seat = _seat_in(status, department=dept_a)
    ACTIONS[action](actor=lead, seat=seat)
    seat.refresh_from_db()
    assert seat.status == LEGAL[(status, action)]
    assert seat.history.first().history_user == lead


@pytest.mark.parametrize(("status", "action"), [pair for pair in ALL if pair not in LEGAL])
def test_every_illegal_transition_is_refused_with_a_message_and_changes_nothing(
    status, action, lead, dept_a
):
    seat = _seat_in(status, department=dept_a)
    before = _state(seat)
    with pytest.raises(ValidationError) as error:
        ACTIONS[action](actor=lead, seat=seat)
    assert error.value.code == "illegal_transition"
    message = error.value.messages[0]
    assert seat.person.name in message
    assert "cannot be" in message
    assert _state(seat) == before


def test_deciding_twice_says_who_decided_first(pending, lead):
    services.seat_approve(actor=lead, seat=pending)
    other = UserFactory(username="other_lead")
    other.groups.add(*lead.groups.all())
    with pytest.raises(ValidationError, match="already approved by lead on"):
        services.seat_decline(actor=other, seat=pending)


def test_ending_a_nomination_is_refused_as_still_pending(pending, lead):
    with pytest.raises(ValidationError, match="still pending; it cannot be ended"):
        services.seat_end(actor=lead, seat=pending)


# --- history ------------------------------------------------------------------------


def test_every_change_made_outside_a_request_records_who_made_it(pending, head_a, lead):
    services.seat_approve(actor=lead, seat=pending)
    services.seat_end(actor=lead, seat=pending)
    records = list(pending.history.order_by("history_date", "history_id"))
    assert [(r.status, r.history_user) for r in records] == [
        ("nominated", head_a),
        ("approved", lead),
        ("ended", lead),
    ]


# --- concurrency --------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)")
def test_two_leads_deciding_at_the_same_moment_give_exactly_one_decision(monkeypatch):
    from tests.factories import make_lead

    first_lead, second_lead = make_lead("lead_one"), make_lead("lead_two")
    department = DepartmentFactory()
    seat = SeatFactory(
        person=PersonFactory(department=department),
        department=department,
        status="nominated",
        term_start=None,
    )
    # Widen the window between reading the status and writing the decision: without
    # the row lock both threads would read "nominated" and both would decide.
    real_full_clean = Seat.full_clean

    def slow_full_clean(self, *args, **kwargs):
        time.sleep(0.3)
        return real_full_clean(self, *args, **kwargs)

    monkeypatch.setattr(Seat, "full_clean", slow_full_clean)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(name, service, actor):
        try:
            barrier.wait()
            service(actor=actor, seat=Seat.objects.get(pk=seat.pk))
            outcomes[name] = "decided"
        except ValidationError as error:
            outcomes[name] = error.messages[0]
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=("approve", services.seat_approve, first_lead)),
        threading.Thread(target=decide, args=("decline", services.seat_decline, second_lead)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()).count("decided") == 1, outcomes
    refused = next(message for message in outcomes.values() if message != "decided")
    assert "it cannot be" in refused
    seat.refresh_from_db()
    winner = "approve" if outcomes["approve"] == "decided" else "decline"
    assert seat.status == {"approve": "approved", "decline": "declined"}[winner]
    assert seat.history.exclude(status="nominated").count() == 1
