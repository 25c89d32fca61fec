"""`manage.py seed_demo [--today YYYY-MM-DD] [--replace]`: build the demo company."""

from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from stakeholders import bundle, demo


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"invalid date {value!r} (expected YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        f"Build the demo company, {demo.COMPANY}, whose COE is a marketing/PR clubhouse, "
        f'with the users lead, head and admin (password "{demo.PASSWORD}"). '
        "Running it again the same day changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=_day,
            help="Build the demo as of this day (YYYY-MM-DD) instead of today.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Empty the registry (not users, policy or snapshots) before building.",
        )

    def handle(self, *args, today: date | None, replace: bool, **options):
        today = today or timezone.localdate()
        try:
            result = demo.demo_seed(today=today, replace=replace)
        except bundle.BundleError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(
                "The demo does not fit the registry as it stands; nothing was changed. "
                "Run seed_demo --replace to rebuild the registry from scratch."
            ) from None
        if result.rebuilt and not replace:
            self.stdout.write("The demo was seeded for another day: rebuilt it from scratch.")
        self.stdout.write(f"{demo.COMPANY}, as of {today:%Y-%m-%d}:")
        self.stdout.write(str(result.summary))
        created = f" (created: {', '.join(result.users_created)})" if result.users_created else ""
        self.stdout.write(
            f'Sign in with password "{demo.PASSWORD}" as lead (COE lead), head (head of '
            f"Customer Care) or admin (Django admin){created}."
        )
