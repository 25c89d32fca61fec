"""`manage.py import_org FILE [--replace]`: load an org bundle, all or nothing."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stakeholders import bundle


class Command(BaseCommand):
    help = (
        "Load an org bundle (roundtable-org/1 JSON) in one transaction. Records are "
        "matched by natural key and updated or added; --replace empties the registry first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the bundle, or - for standard input.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Empty the registry (not users, policy or snapshots) before loading.",
        )

    def handle(self, *args, file: str, replace: bool, **options):
        text = self._read(file)
        try:
            data = bundle.load_bundle_text(text)
            summary = bundle.import_bundle(data, replace=replace)
        except bundle.BundleError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            count = len(exc.errors)
            raise CommandError(
                f"{count} error{'s' if count != 1 else ''} in {self._name(file)}; "
                "nothing was imported."
            ) from None
        self.stdout.write(str(summary))

    def _read(self, file: str) -> str:
        if file == "-":
            return sys.stdin.read()
        path = Path(file)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except IsADirectoryError:
            raise CommandError(f"{file}: is a directory, not a bundle file") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file}: not UTF-8 text ({exc.reason})") from None
        except OSError as exc:
            raise CommandError(f"{file}: cannot read ({exc.strerror})") from None

    @staticmethod
    def _name(file: str) -> str:
        return "standard input" if file == "-" else file
