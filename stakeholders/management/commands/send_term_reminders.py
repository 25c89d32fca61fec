import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from stakeholders import terms


class Command(BaseCommand):
    help = (
        "E-mail the department's head and the COE leads about seat terms ending in 30 and "
        "7 days (what the daily Celery beat job runs). Each reminder is sent once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Count the days from this date (YYYY-MM-DD).")

    def handle(self, *args, today: str | None = None, **options) -> None:
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f'--today: "{today}" is not a date (use YYYY-MM-DD).') from None
        sent = terms.term_reminders_send(today=day)
        self.stdout.write(f"Sent {sent} term reminder(s).")
