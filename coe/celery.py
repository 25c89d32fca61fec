"""The Celery application; tasks are discovered in each app's tasks.py."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coe.settings")

app = Celery("coe")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "nightly-snapshot": {
        "task": "governance.tasks.snapshot_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
    "weekly-digest": {
        "task": "governance.tasks.digest_weekly",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
    },
}
