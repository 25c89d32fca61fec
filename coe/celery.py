"""The Celery application; tasks are discovered in each app's tasks.py."""

import logging
import os

from celery import Celery, bootsteps
from celery.schedules import crontab

from coe import settings as project_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coe.settings")

app = Celery("coe")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


class CheckSnapshotOnConnect(bootsteps.StartStopStep):
    """Queue the stale-snapshot check each time the worker (re)connects to the broker.

    The consumer's steps start again after every reconnection, so a recompute lost
    while the worker was down or Redis restarted empty is taken as soon as the worker
    is back, rather than at the next beat (which reconnects on its own schedule).
    """

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def start(self, parent) -> None:
        try:
            parent.app.send_task("governance.tasks.snapshot_if_stale")
        except Exception as error:  # never stop the worker for it: beat checks too
            logger.warning("Could not queue the stale-snapshot check: %s", error)


app.steps["consumer"].add(CheckSnapshotOnConnect)

app.conf.beat_schedule = {
    # The safety net: a recompute lost with a killed worker or a restarted Redis is
    # taken here; a cheap check when the latest snapshot is current.
    "snapshot-if-stale": {
        "task": "governance.tasks.snapshot_if_stale",
        "schedule": project_settings.SNAPSHOT_CHECK_SECONDS,
    },
    "nightly-snapshot": {
        "task": "governance.tasks.snapshot_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
    "term-reminders": {
        "task": "stakeholders.tasks.term_reminders_daily",
        "schedule": crontab(hour=7, minute=15),
    },
    "weekly-digest": {
        "task": "governance.tasks.digest_weekly",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
    },
}
