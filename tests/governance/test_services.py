import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from coe.celery import app as celery_app
from governance import services, tasks
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


def test_snapshot_request_in_a_burst_enqueues_one_recompute(
    company, django_capture_on_commit_callbacks, monkeypatch
):
    calls = []
    monkeypatch.setattr(
        tasks.snapshot_recompute, "apply_async", lambda **kwargs: calls.append(kwargs)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for _ in range(500):
            services.snapshot_request()
    assert len(callbacks) == 1
    assert len(calls) == 1


def test_snapshot_request_does_not_enqueue_while_a_recompute_is_pending(
    company, django_capture_on_commit_callbacks, monkeypatch
):
    calls = []
    monkeypatch.setattr(
        tasks.snapshot_recompute, "apply_async", lambda **kwargs: calls.append(kwargs)
    )
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            services.snapshot_request()
    assert len(calls) == 1
    assert RecomputeState.objects.get().pending_since is not None


def test_snapshot_request_requeues_when_the_pending_recompute_was_lost(
    company, django_capture_on_commit_callbacks, monkeypatch
):
    calls = []
    monkeypatch.setattr(
        tasks.snapshot_recompute, "apply_async", lambda **kwargs: calls.append(kwargs)
    )
    long_ago = timezone.now() - services.PENDING_LEASE - datetime.timedelta(seconds=1)
    RecomputeState.objects.create(pk=1, pending_since=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        services.snapshot_request()
    assert len(calls) == 1


def test_snapshot_request_runs_the_recompute_inline_on_the_embedded_default(
    company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.snapshot_request()
    assert Snapshot.objects.count() == 1
    state = RecomputeState.objects.get()
    assert state.pending_since is None
    assert state.changed_at is not None


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


def test_snapshot_request_computes_inline_when_the_broker_is_unreachable(
    company, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:9/0")
    celery_app._after_fork()  # forget connections made to the configured broker
    with django_capture_on_commit_callbacks(execute=True):
        services.snapshot_request()
    celery_app._after_fork()
    assert Snapshot.objects.count() == 1
    assert RecomputeState.objects.get().pending_since is None
