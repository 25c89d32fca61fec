from django.core.management.base import BaseCommand

from governance import services


class Command(BaseCommand):
    help = (
        "Store the roster's counts of every meeting whose attendance was taken and that "
        "has none yet (attendance recorded before the counts were stored, or imported). "
        "Safe to run twice."
    )

    def handle(self, *args, **options) -> None:
        stored = services.meeting_counts_backfill()
        self.stdout.write(f"Counts stored for {stored} meeting(s).")
