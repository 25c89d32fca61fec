import pytest

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


def test_recompute_clears_the_pending_mark_and_stores_a_snapshot():
    from django.utils import timezone

    RecomputeState.objects.create(pk=1, pending_since=timezone.now())
    tasks.snapshot_recompute()
    assert RecomputeState.objects.get().pending_since is None
    assert Snapshot.objects.count() == 1


def test_tasks_retry_with_backoff_on_database_errors():
    for task in (tasks.snapshot_recompute, tasks.snapshot_nightly):
        assert task.retry_backoff
        assert task.max_retries == 5
