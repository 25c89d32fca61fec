"""`manage.py export_org [FILE]`: write the registry as an org bundle."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stakeholders import bundle


class Command(BaseCommand):
    help = "Write the registry as an org bundle (roundtable-org/1 JSON) to FILE or stdout."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", help="Where to write the bundle; standard output when omitted."
        )

    def handle(self, *args, file: str | None, **options):
        data = bundle.export_bundle()
        # Records and their fields come in a fixed order, so two exports of the
        # same registry are byte-identical and diff well.
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if file is None or file == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(file).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{file}: cannot write ({exc.strerror})") from None
        counts = ", ".join(f"{len(data[s])} {s.replace('_', ' ')}" for s in bundle.SECTIONS)
        self.stdout.write(f"Wrote {counts} to {file}.")
