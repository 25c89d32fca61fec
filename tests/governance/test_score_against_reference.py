"""Differential test: `manage.py score --json` against an independent reference model.

The oracle (tests/governance/reference/model.py) re-derives the assessment from
DESIGN.md alone, working directly on the org bundle JSON. Each case imports one bundle
(random ones by seed, then hand-made edge cases), scores it with the real command and
compares field by field. A failure names the seed or edge case and the first field that
differs; `random_bundle(seed)` rebuilds the bundle to reproduce it.
"""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from stakeholders.bundle import import_bundle
from tests.governance.reference.bundles import ANCHOR, EDGE_CASES, random_bundle
from tests.governance.reference.model import assess

pytestmark = pytest.mark.django_db


def project_assessment(bundle: dict, as_of: date) -> dict:
    """The command's JSON, reduced to the fields the reference computes."""
    import_bundle(bundle)
    out = io.StringIO()
    call_command("score", "--as-of", as_of.isoformat(), "--json", stdout=out)
    data = json.loads(out.getvalue())
    data["findings"] = [
        (finding["code"], finding["severity"], finding["subject"]) for finding in data["findings"]
    ]
    data["recommendations"] = [
        (item["department"], item["gain"], item["person"]) for item in data["recommendations"]
    ]
    return data


def first_difference(actual: dict, expected: dict) -> str | None:
    """The first field (in the command's output order) where the two disagree."""
    for field, wanted in expected.items():
        got = actual[field]
        if field == "components":
            # Components are unrounded: summed in another order, they may differ in
            # the last bits.
            for name, value in wanted.items():
                other = got.get(name)
                if value is None or other is None:
                    differs = value != other  # measured on one side only
                else:
                    differs = abs(other - value) > 1e-9
                if differs:
                    return f"components.{name}: project {other!r}, reference {value!r}"
        elif field in ("findings", "recommendations"):
            for index in range(max(len(got), len(wanted))):
                project = got[index] if index < len(got) else "nothing"
                reference = wanted[index] if index < len(wanted) else "nothing"
                if project != reference:
                    return f"{field}[{index}]: project {project!r}, reference {reference!r}"
        elif got != wanted:
            return f"{field}: project {got!r}, reference {wanted!r}"
    return None


def check(bundle: dict, as_of: date, case: str) -> None:
    difference = first_difference(project_assessment(bundle, as_of), assess(bundle, as_of))
    assert difference is None, f"{case}, as of {as_of}: {difference}"


@pytest.mark.parametrize("seed", range(40))
def test_random_bundle_as_of_the_anchor(seed):
    check(random_bundle(seed), ANCHOR, f"random_bundle({seed})")


# The bundles cluster their dates on the rule boundaries around ANCHOR; scoring them a
# day earlier or later puts every boundary on its other side.
@pytest.mark.parametrize("as_of", ["2026-11-25", "2026-11-27"])
@pytest.mark.parametrize("seed", range(40, 50))
def test_random_bundle_a_day_off_the_anchor(seed, as_of):
    check(random_bundle(seed), date.fromisoformat(as_of), f"random_bundle({seed})")


@pytest.mark.parametrize("name", list(EDGE_CASES))
def test_edge_case(name):
    check(EDGE_CASES[name], ANCHOR, f"EDGE_CASES[{name!r}]")
