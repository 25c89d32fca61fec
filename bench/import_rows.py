"""Spreadsheet import benchmark: 20,000 generated rows through the import pipeline.

    python bench/import_rows.py                        # 20,000 departments, CSV, SQLite
    python bench/import_rows.py --format xlsx --kind all
    python bench/import_rows.py --database-url postgres://postgres@127.0.0.1:5432/roundtable_bench

For each kind (departments: a 4-level tree in shuffled row order, so that children
come before their parents; people: in those departments, with expertise tags;
accounts: owned by those departments, managed by those people) it builds the file in
memory, then times the two steps a COE lead goes through:

- check:   read the file, check every row, compare with the registry, store the
           preview (stakeholders.spreadsheets.batch_create);
- confirm: write the stored rows in one transaction (batch_apply), including the
           recompute of the assessment it triggers (inline on the embedded default);

and then checks the same file again, which must find every row unchanged. The
database (default: a fresh temporary SQLite file) is emptied first, so never point
it at a database you care about. Prints the figures; asserts only correctness.
"""

import argparse
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FUNCTIONS = ["marketing", "communications", "customer_support", "sales", "product", "hr"]
TAGS = ["community", "crisis comms", "analytics", "paid social", "customer care", "video"]
PLATFORMS = ["x", "facebook", "instagram", "linkedin", "youtube", "tiktok"]


def department_rows(count: int, rng: random.Random) -> list[list]:
    rows, parents = [], [""]
    levels = [max(2, count // 1000), count * 9 // 1000, count * 9 // 100]
    levels.append(count - sum(levels))
    number = 0
    for size in levels:
        level = []
        for _ in range(size):
            key = f"dept-{number:05}"
            parent = rng.choice(parents)
            rows.append(
                [key, f"Department {number:05}", parent, "team", rng.choice(FUNCTIONS),
                 rng.randint(0, 400), rng.random() < 0.3, rng.randint(1, 5), rng.randint(1, 5),
                 "", True]
            )  # fmt: skip
            level.append(key)
            number += 1
        parents = level
    rng.shuffle(rows)
    header = ["key", "name", "parent", "kind", "function", "headcount", "customer_facing",
              "influence", "interest", "head", "active"]  # fmt: skip
    return [header, *rows]


def people_rows(count: int, departments: int, rng: random.Random) -> list[list]:
    header = ["email", "name", "title", "seniority", "department", "expertise", "active"]
    rows = [
        [f"person{i:05}@acme.test", f"Person {i:05}", "Specialist",
         rng.choice(["individual_contributor", "manager", "director", ""]),
         f"dept-{rng.randrange(departments):05}", "; ".join(rng.sample(TAGS, 2)), True]
        for i in range(count)
    ]  # fmt: skip
    return [header, *rows]


def account_rows(count: int, departments: int, people: int, rng: random.Random) -> list[list]:
    header = ["platform", "handle", "url", "owner", "status", "followers", "purpose",
              "last_post_at", "managers"]  # fmt: skip
    rows = [
        # Letters and digits: a handle every platform takes (stakeholders.rules).
        [PLATFORMS[i % len(PLATFORMS)], f"acme{i:05}", f"https://example.com/acme{i:05}",
         f"dept-{rng.randrange(departments):05}", "active", rng.randint(0, 50000), "brand",
         "2026-11-01", f"person{rng.randrange(people):05}@acme.test"]
        for i in range(count)
    ]  # fmt: skip
    return [header, *rows]


def to_file(rows: list[list], fmt: str) -> bytes:
    import csv

    import openpyxl

    if fmt == "csv":
        out = io.StringIO(newline="")
        csv.writer(out).writerows(rows)
        return out.getvalue().encode("utf-8")
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(kind: str, rows: list[list], fmt: str, user) -> float:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stakeholders import spreadsheets

    data = to_file(rows, fmt)
    upload = SimpleUploadedFile(f"{kind}.{fmt}", data)
    start = time.perf_counter()
    batch = spreadsheets.batch_create(kind=kind, upload=upload, user=user)
    checked = time.perf_counter()
    assert batch.status == "ready", batch.problems[:5]
    result = spreadsheets.batch_apply(batch_id=batch.pk, user=user)
    done = time.perf_counter()
    assert result.ok and result.counts["create"] == len(rows) - 1, result
    again = spreadsheets.batch_create(
        kind=kind, upload=SimpleUploadedFile("x." + fmt, data), user=user
    )
    rechecked = time.perf_counter()
    assert again.counts["unchanged"] == len(rows) - 1, again.counts
    total = done - start
    print(
        f"{kind:<11} {len(rows) - 1:>6} rows  {len(data) / 1e6:5.1f} MB {fmt}   "
        f"check {checked - start:5.1f} s   confirm {done - checked:5.1f} s   "
        f"total {total:5.1f} s   (re-check, all unchanged: {rechecked - done:4.1f} s)"
    )
    return total


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--kind", choices=["departments", "people", "accounts", "all"],
                        default="departments")  # fmt: skip
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        path = Path(tempfile.gettempdir()) / "roundtable-bench-import.sqlite3"
        path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coe.settings")
    os.environ.setdefault("UPLOAD_MAX_BYTES", str(50 * 1024 * 1024))

    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from accounts.models import User

    print(f"database: {os.environ['DATABASE_URL']}")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    lead = User.objects.create(username="bench-lead")
    lead.groups.add(Group.objects.get_or_create(name="COE leads")[0])

    rng = random.Random(7)
    n = args.rows
    kinds = ["departments", "people", "accounts"] if args.kind == "all" else [args.kind]
    if args.kind in ("people", "accounts"):
        run("departments", department_rows(n, rng), "csv", lead)  # what they refer to
        if args.kind == "accounts":
            run("people", people_rows(n, n, rng), "csv", lead)
        print("-- the figure:")
    for kind in kinds:
        rows = {
            "departments": lambda: department_rows(n, rng),
            "people": lambda: people_rows(n, n, rng),
            "accounts": lambda: account_rows(n, n, n, rng),
        }[kind]()
        run(kind, rows, args.format, lead)


if __name__ == "__main__":
    main()
