import pytest
from django.db.models import F
from django.utils import timezone

from governance import tasks
from governance.models import RecomputeState, Snapshot
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_nightly_snapshot_twice_stores_one_snapshot():
    DepartmentFactory()
    first = tasks.snapshot_nightly()
    second = tasks.snapshot_nightly()
    assert first == second
    assert Snapshot.objects.count() == 1


def test_recompute_stores_a_snapshot_of_the_current_generation_and_gives_up_the_lease():
    RecomputeState.objects.update_or_create(
        pk=1, defaults={"generation": 7, "pending_since": timezone.now()}
    )
    tasks.snapshot_recompute()
    assert RecomputeState.objects.get().pending_since is None
    assert Snapshot.objects.get().registry_generation == 7


def test_recompute_twice_stores_one_snapshot():
    DepartmentFactory()
    RecomputeState.objects.update_or_create(pk=1, defaults={"generation": 3})
    assert tasks.snapshot_recompute() == tasks.snapshot_recompute()
    assert Snapshot.objects.count() == 1


def test_snapshot_if_stale_takes_a_snapshot_only_when_the_registry_moved_on():
    DepartmentFactory()
    first = tasks.snapshot_nightly()
    assert tasks.snapshot_if_stale() is None
    RecomputeState.objects.update(generation=F("generation") + 1)
    assert tasks.snapshot_if_stale() == first  # same facts: the snapshot moves forward
    assert Snapshot.objects.get().registry_generation == 1


def test_recompute_is_acknowledged_once_it_has_run():
    from coe.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_connection_max_retries is None


def test_the_stale_check_is_on_the_beat_schedule(settings):
    from coe.celery import app

    entry = app.conf.beat_schedule["snapshot-if-stale"]
    assert entry["task"] == tasks.snapshot_if_stale.name
    assert entry["schedule"] == settings.SNAPSHOT_CHECK_SECONDS


def test_tasks_retry_with_backoff_on_database_errors():
    for task in (tasks.snapshot_recompute, tasks.snapshot_nightly, tasks.snapshot_if_stale):
        assert task.retry_backoff
        assert task.max_retries >= 3
