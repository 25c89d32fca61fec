import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from governance import scoring, services


def parse_as_of(value: str | None) -> date:
    if value is None:
        return timezone.localdate()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f'--as-of: "{value}" is not a date (use YYYY-MM-DD).') from None


class Command(BaseCommand):
    help = "Print the inclusion assessment of the COE (score, components, findings, next seats)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of",
            dest="as_of",
            help="Judge today's registry as of this date (YYYY-MM-DD): the date rules (terms, "
            "meetings, stale nominations) use it, the records are today's. For what was "
            "stored on a past date, see /report/?as_of= and /review/.",
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--save", action="store_true", help="Store the result as a snapshot.")

    def handle(self, *args, **options) -> None:
        as_of_date = parse_as_of(options["as_of"])
        generation = services.registry_generation()  # before the facts: see snapshot_take
        assessment = services.assessment_compute(as_of=as_of_date)
        if options["save"]:
            snapshot = services.snapshot_store(
                assessment=assessment, registry_generation=generation
            )
            self.stderr.write(f"Snapshot {snapshot.pk} stored.")
        result = scoring.assessment_to_dict(assessment)
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(render_table(result, as_of_date))


def render_table(result: dict, as_of: date) -> str:
    lines = [
        f"Roundtable inclusion assessment as of {as_of.isoformat()}",
        "",
        f"Score      {result['score']:.1f}  ({result['grade']})",
        f"Projected  {result['projected_score']:.1f}  (all pending nominations approved)",
        f"Model      {result['org_model']}: {result['org_model_reason']}",
        "",
        "Components",
    ]
    for name, value in result["components"].items():
        shown = "not measured" if value is None else f"{value:.3f}"
        lines.append(f"  {name:<15} {shown}")
    lines += ["", f"Findings ({len(result['findings'])})"]
    for finding in result["findings"]:
        subject = f" [{finding['subject']}]" if finding["subject"] else ""
        lines.append(
            f"  {finding['severity']:<8} {finding['code']:<24}{subject} {finding['message']}"
        )
    lines += ["", "Next best seats"]
    if not result["recommendations"]:
        lines.append("  none: no single new seat would raise the score")
    for rank, rec in enumerate(result["recommendations"], start=1):
        person = rec["person"] or "no candidate on record"
        lines.append(f"  {rank:>2}. {rec['department']:<30} +{rec['gain']:.1f}  {person}")
    return "\n".join(lines)
