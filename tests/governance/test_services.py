import datetime
import time

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from coe.celery import app as celery_app
from governance import selectors, services, tasks
from governance.models import RecomputeState, Snapshot
from tests.factories import DepartmentFactory, PersonFactory, SeatFactory

pytestmark = pytest.mark.django_db(transaction=False)

AS_OF = datetime.date(2026, 11, 26)


@pytest.fixture
def company(db):
    marketing = DepartmentFactory(key="mkt", function="marketing", headcount=100)
    DepartmentFactory(key="support", function="customer_support", headcount=100)
    SeatFactory(person=PersonFactory(department=marketing), department=marketing)
    return marketing


def test_snapshot_take_stores_the_assessment(company):
    snapshot = services.snapshot_take(as_of=AS_OF)
    assert snapshot.as_of == AS_OF
    assert snapshot.components["coverage"] == pytest.approx(0.5)
    assert snapshot.representation == {"mkt": "direct", "support": "none"}
    assert {f["subject"] for f in snapshot.findings} >= {"support"}


def test_snapshot_take_twice_for_the_same_state_stores_one(company):
    first = services.snapshot_take(as_of=AS_OF)
    second = services.snapshot_take(as_of=AS_OF)
    assert first.pk == second.pk
    assert Snapshot.objects.count() == 1


def test_snapshot_take_after_a_change_stores_a_new_one(company):
    services.snapshot_take(as_of=AS_OF)
    DepartmentFactory(key="legal", function="legal", headcount=10)
    services.snapshot_take(as_of=AS_OF)
    assert Snapshot.objects.count() == 2


@pytest.fixture
def lost(monkeypatch):
    """The broker accepts the recompute and then loses it (a worker killed, Redis
    restarted empty): the task never runs."""
    calls = []
    monkeypatch.setattr(
        tasks.snapshot_recompute, "apply_async", lambda **kwargs: calls.append(kwargs)
    )
    return calls


@pytest.fixture
def broker_up(monkeypatch):
    """Forget what another test learnt about the broker being down."""
    monkeypatch.setattr(services, "_broker_down_until", 0.0)


def change_the_registry(capture, *, key: str = "legal") -> None:
    """A committed registry change, as every service makes one."""
    with capture(execute=True), transaction.atomic():
        DepartmentFactory(key=key, function="legal", headcount=10)
        services.snapshot_request()


def test_snapshot_request_in_a_burst_enqueues_one_recompute(
    company, django_capture_on_commit_callbacks, lost, broker_up
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(500):
            services.snapshot_request()
    assert len(lost) == 1
    assert services.registry_generation() == 500


def test_snapshot_request_does_not_enqueue_while_a_recompute_is_pending(
    company, django_capture_on_commit_callbacks, lost, broker_up
):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            services.snapshot_request()
    assert len(lost) == 1
    assert RecomputeState.objects.get().pending_since is not None


def test_snapshot_request_requeues_when_the_pending_recompute_was_lost(
    company, django_capture_on_commit_callbacks, lost, broker_up, settings
):
    expired = (
        timezone.now()
        - datetime.timedelta(seconds=settings.RECOMPUTE_DELAY_SECONDS)
        - services.PENDING_LEASE
        - datetime.timedelta(seconds=1)
    )
    RecomputeState.objects.update_or_create(pk=1, defaults={"pending_since": expired})
    with django_capture_on_commit_callbacks(execute=True):
        services.snapshot_request()
    assert len(lost) == 1


def test_snapshot_request_runs_the_recompute_inline_on_the_embedded_default(
    company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.snapshot_request()
    snapshot = Snapshot.objects.get()
    state = RecomputeState.objects.get()
    assert state.pending_since is None
    assert snapshot.registry_generation == state.generation == 1


def test_snapshot_request_is_dropped_when_the_transaction_rolls_back(
    company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.snapshot_request()
                raise RuntimeError("abort")
        except RuntimeError:
            pass
    assert callbacks == []
    assert Snapshot.objects.count() == 0
    assert services.registry_generation() == 0


def test_snapshot_request_computes_inline_when_the_broker_is_unreachable(
    company, django_capture_on_commit_callbacks, monkeypatch, broker_up
):
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:9/0")
    celery_app._after_fork()  # forget connections made to the configured broker
    with django_capture_on_commit_callbacks(execute=True):
        services.snapshot_request()
    celery_app._after_fork()
    assert Snapshot.objects.count() == 1
    assert RecomputeState.objects.get().pending_since is None


def test_once_the_broker_failed_writes_recompute_inline_without_trying_it_again(
    company, django_capture_on_commit_callbacks, monkeypatch, broker_up
):
    attempts = []

    def unreachable(**kwargs):
        attempts.append(kwargs)
        raise OSError("Connection refused")

    monkeypatch.setattr(tasks.snapshot_recompute, "apply_async", unreachable)
    for key in ("legal", "finance", "it"):
        change_the_registry(django_capture_on_commit_callbacks, key=key)
    assert len(attempts) == 1
    assert Snapshot.objects.latest().registry_generation == services.registry_generation() == 3


def test_the_inline_fallback_is_not_held_back_by_a_pending_recompute(
    company, django_capture_on_commit_callbacks, monkeypatch
):
    # A recompute was queued a moment ago, then Redis went away with it; this process
    # has since found the broker unreachable.
    RecomputeState.objects.update_or_create(pk=1, defaults={"pending_since": timezone.now()})
    monkeypatch.setattr(services, "_broker_down_until", time.monotonic() + 60)
    change_the_registry(django_capture_on_commit_callbacks)
    assert Snapshot.objects.latest().registry_generation == services.registry_generation()


# --- staleness: a change marker, not a flag the task clears -------------------------


def test_a_lost_recompute_leaves_the_snapshot_stale(
    company, django_capture_on_commit_callbacks, lost, broker_up
):
    snapshot = services.snapshot_take()
    change_the_registry(django_capture_on_commit_callbacks)
    assert len(lost) == 1
    assert selectors.snapshot_is_stale(Snapshot.objects.latest()) is True
    assert Snapshot.objects.get() == snapshot


def test_a_recompute_killed_mid_way_leaves_the_snapshot_stale_and_the_lease_taken(
    company, django_capture_on_commit_callbacks, lost, broker_up, monkeypatch
):
    services.snapshot_take()
    change_the_registry(django_capture_on_commit_callbacks)

    def killed(**kwargs):
        raise SystemExit("SIGKILL")

    monkeypatch.setattr(services, "assessment_compute", killed)
    with pytest.raises(SystemExit):
        tasks.snapshot_recompute()
    assert selectors.snapshot_is_stale(Snapshot.objects.latest()) is True
    assert RecomputeState.objects.get().pending_since is not None


def test_the_recompute_after_a_lost_one_makes_the_snapshot_current(
    company, django_capture_on_commit_callbacks, lost, broker_up
):
    services.snapshot_take()
    change_the_registry(django_capture_on_commit_callbacks)
    tasks.snapshot_recompute()
    latest = Snapshot.objects.latest()
    assert selectors.snapshot_is_stale(latest) is False
    assert latest.registry_generation == 1
    assert RecomputeState.objects.get().pending_since is None


def test_a_change_that_leaves_the_score_alone_moves_the_snapshot_forward_without_a_copy(
    company, django_capture_on_commit_callbacks, lost, broker_up
):
    snapshot = services.snapshot_take()
    with django_capture_on_commit_callbacks(execute=True):
        services.snapshot_request()  # e.g. a person's title changed
    tasks.snapshot_recompute()
    snapshot.refresh_from_db()
    assert Snapshot.objects.count() == 1
    assert snapshot.registry_generation == 1
    assert selectors.snapshot_is_stale(snapshot) is False


def test_a_slower_recompute_of_older_facts_does_not_replace_a_newer_snapshot(company):
    older = services.assessment_compute()
    with transaction.atomic():
        DepartmentFactory(key="legal", function="legal", headcount=10)
        services.snapshot_request()
    newer = services.snapshot_take()
    stored = services.snapshot_store(assessment=older, registry_generation=0)
    assert stored == newer
    assert Snapshot.objects.count() == 1


def test_a_change_committed_while_the_recompute_computes_is_recomputed_before_the_lease_goes(
    company, django_capture_on_commit_callbacks, lost, broker_up, monkeypatch
):
    change_the_registry(django_capture_on_commit_callbacks)
    compute = services.assessment_compute
    passes = []

    def change_meanwhile(**kwargs):
        passes.append(services.registry_generation())
        if len(passes) == 1:  # another request's change commits during the first pass
            DepartmentFactory(key="finance", function="finance", headcount=5)
            RecomputeState.objects.update(generation=F("generation") + 1)
        return compute(**kwargs)

    monkeypatch.setattr(services, "assessment_compute", change_meanwhile)
    tasks.snapshot_recompute()
    assert passes == [1, 2]
    assert Snapshot.objects.latest().registry_generation == 2
    assert RecomputeState.objects.get().pending_since is None


# --- the periodic safety net ------------------------------------------------------------


def test_snapshot_if_stale_repairs_a_lost_recompute(
    company, django_capture_on_commit_callbacks, lost, broker_up
):
    services.snapshot_take()
    change_the_registry(django_capture_on_commit_callbacks)
    snapshot = services.snapshot_if_stale()
    assert snapshot.registry_generation == 1
    assert RecomputeState.objects.get().pending_since is None


def test_snapshot_if_stale_does_nothing_when_the_snapshot_is_current(
    company, django_assert_num_queries
):
    services.snapshot_take()
    with django_assert_num_queries(3):
        assert services.snapshot_if_stale() is None
    assert Snapshot.objects.count() == 1


def test_snapshot_if_stale_gives_up_a_lease_left_by_a_lost_task_once_current(company):
    services.snapshot_take()
    RecomputeState.objects.update(pending_since=timezone.now())
    services.snapshot_if_stale()
    assert RecomputeState.objects.get().pending_since is None


def test_snapshot_if_stale_does_nothing_before_anything_was_registered(db):
    assert services.snapshot_if_stale() is None
    assert Snapshot.objects.count() == 0
