from django.core.management.base import BaseCommand

from governance import services


class Command(BaseCommand):
    help = (
        "Take a snapshot if the latest one is older than the registry (what the periodic "
        "beat check runs every SNAPSHOT_CHECK_SECONDS): repairs a lost recompute."
    )

    def handle(self, *args, **options) -> None:
        snapshot = services.snapshot_if_stale()
        if snapshot is None:
            self.stdout.write("The latest snapshot is current.")
        else:
            self.stdout.write(
                f"Snapshot {snapshot.pk} of registry generation {snapshot.registry_generation}: "
                f"{snapshot.score} ({snapshot.grade})."
            )
