from django.core.management.base import BaseCommand, CommandParser

from governance import services
from governance.management.commands.score import parse_as_of


class Command(BaseCommand):
    help = "Take a snapshot of the assessment (what the nightly Celery beat job runs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of", help="Assess as of this date (YYYY-MM-DD).")

    def handle(self, *args, as_of=None, **options) -> None:
        snapshot = services.snapshot_take(as_of=parse_as_of(as_of))
        self.stdout.write(f"Snapshot {snapshot.pk}: {snapshot.score} ({snapshot.grade}).")
