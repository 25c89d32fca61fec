"""The registry's one announcement (stakeholders/signals.py): "the registry changed",
sent inside the writing transaction, once per transaction, and what governance does
when it hears it."""

import pytest
from django.db import transaction

from governance.models import RecomputeState
from governance.services import registry_generation
from stakeholders import services
from stakeholders.signals import registry_changed_announce, registry_write
from tests.factories import PersonFactory, SeatFactory

pytestmark = pytest.mark.django_db


def test_a_write_outside_a_registry_write_announces_at_once(registry_announcements):
    registry_changed_announce()
    registry_changed_announce()
    assert registry_announcements == ["registry changed"] * 2


def test_a_registry_write_announces_once_at_its_end_however_often_it_changed(
    registry_announcements,
):
    with registry_write():
        registry_changed_announce()
        with registry_write():
            registry_changed_announce()
            registry_changed_announce()
        assert registry_announcements == []
    assert registry_announcements == ["registry changed"]


def test_a_registry_write_that_changed_nothing_announces_nothing(registry_announcements):
    with registry_write():
        pass
    assert registry_announcements == []


def test_a_registry_write_left_by_an_error_announces_nothing(registry_announcements):
    with pytest.raises(RuntimeError), registry_write():
        registry_changed_announce()
        raise RuntimeError("refused")
    assert registry_announcements == []


def test_an_inner_write_rolled_back_and_caught_leaves_the_outer_one_to_decide(
    registry_announcements,
):
    with registry_write(), pytest.raises(RuntimeError), registry_write():
        registry_changed_announce()
        raise RuntimeError("refused")
    assert registry_announcements == []


def test_leaving_with_seats_ended_is_one_announcement_for_every_write(
    lead, dept_a, dept_a_child, registry_announcements
):
    person = PersonFactory(department=dept_a)
    SeatFactory(person=person, department=dept_a)
    SeatFactory(person=person, department=dept_a_child)
    services.person_leave(actor=lead, person=person, end_seats=True)
    assert registry_announcements == ["registry changed"]


def test_governance_raises_the_generation_in_the_writing_transaction(lead, dept_a):
    before = registry_generation()
    services.person_leave(actor=lead, person=PersonFactory(department=dept_a))
    assert registry_generation() == before + 1


def test_the_generation_rolls_back_with_a_write_that_fails(dept_a):
    RecomputeState.objects.get_or_create(pk=1)
    before = registry_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        with registry_write():
            registry_changed_announce()
        assert registry_generation() == before + 1
        raise RuntimeError("the rest of the write failed")
    assert registry_generation() == before
