from django.core.management.base import BaseCommand, CommandParser

from governance import services


class Command(BaseCommand):
    help = (
        "E-mail the COE leads the weekly digest: stale nominations and critical findings "
        "that are new since the previous digest (what the Monday Celery beat job runs). "
        "A second run in the same week sends nothing unless --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Send even if this week's digest was sent."
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        digest = services.digest_send(force=force)
        if digest is None:
            self.stdout.write(
                "Nothing sent: no lead with an e-mail, nothing to report, "
                "or this week's digest was already sent (use --force to send it again)."
            )
            return
        self.stdout.write(
            f"Sent the {digest.period} digest to {len(digest.recipients)} lead(s): "
            f"{len(digest.stale_nominations)} stale nomination(s)."
        )
