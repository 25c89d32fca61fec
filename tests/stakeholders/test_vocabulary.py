"""The vocabulary (stakeholders/vocabulary.py): one place for platform labels, the
quadrant rule and the grade bands, read by the models, the scoring engine, the
template filters and -- through the page's JSON -- the scripts."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from governance import scoring
from governance.services import snapshot_take
from governance.templatetags import roundtable
from stakeholders import vocabulary
from stakeholders.models import Platform

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "static" / "js").glob("*.js"))


def _vocabulary_of(html: str) -> dict:
    start = html.index('<script id="vocabulary" type="application/json">')
    return json.loads(html[start:].split(">", 1)[1].split("</script>", 1)[0])


@pytest.mark.parametrize(
    ("score", "grade"),
    [(100, "open_table"), (80, "open_table"), (79.9, "broad"), (60, "broad"),
     (59.9, "narrow"), (40, "narrow"), (39.9, "clubhouse"), (0, "clubhouse")],
)  # fmt: skip
def test_grade_bands_are_the_design_contract(score, grade):
    assert vocabulary.grade_for(score) == grade
    assert scoring.grade_for(score) == grade


@pytest.mark.parametrize(
    ("influence", "interest", "advice"),
    [(5, 5, "Manage closely"), (4, 3, "Keep satisfied"), (3, 4, "Keep informed"),
     (3, 3, "Monitor"), (1, 5, "Keep informed")],
)  # fmt: skip
def test_quadrant_rule_is_written_once(influence, interest, advice):
    assert vocabulary.quadrant(influence, interest) == advice
    assert roundtable.mendelow(influence, interest) == advice


def test_the_models_platform_choices_are_the_vocabulary():
    assert dict(Platform.choices) == vocabulary.PLATFORM_LABELS
    assert Platform.LINKEDIN == "linkedin" and Platform.LINKEDIN.label == "LinkedIn"


def test_template_filters_take_their_labels_from_the_vocabulary():
    assert roundtable.grade_label("broad") == vocabulary.GRADE_LABELS["broad"]
    assert roundtable.representation_label("proxy") == vocabulary.REPRESENTATION_LABELS["proxy"]
    assert roundtable.representation_label(None) == vocabulary.REPRESENTATION_LABELS["unknown"]


def test_the_vocabulary_imports_no_django():
    code = (
        "import sys; import stakeholders.vocabulary, governance.scoring; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'coe')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_the_json_for_scripts_carries_every_rule():
    data = vocabulary.as_json()
    assert data["platforms"] == vocabulary.PLATFORM_LABELS
    assert data["high_from"] == vocabulary.HIGH_FROM
    assert sorted(data["quadrants"].values()) == sorted(vocabulary.QUADRANTS.values())
    assert [b["from"] for b in data["grade_bands"]] == [80, 60, 40, 0]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_do_not_copy_the_vocabulary(script):
    text = script.read_text()
    labels = [
        *vocabulary.PLATFORM_LABELS.values(),
        *vocabulary.REPRESENTATION_LABELS.values(),
        *vocabulary.QUADRANTS.values(),
        *vocabulary.GRADE_LABELS.values(),
    ]
    # A quoted label ("LinkedIn", 'Manage closely'); one-word ones like "X" or "Other"
    # are looked for only as object values (x: "X").
    copied = [
        label
        for label in labels
        if (len(label) > 5 and re.search(rf"[\"']{re.escape(label)}[\"']", text))
        or re.search(rf":\s*[\"']{re.escape(label)}[\"']", text)
    ]
    assert copied == [], f"{script.name} writes vocabulary labels: {copied}"
    bounds = "|".join(str(int(lower)) for _, lower, _ in vocabulary.GRADE_BANDS if lower)
    assert not re.search(rf"(from|to)\s*:\s*({bounds})\b|>=\s*({bounds})\b", text)
    assert not re.search(r"HIGH_FROM\s*=\s*\d", text)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/map/"])
def test_pages_with_charts_embed_the_vocabulary(client_for, reader, make_company, url):
    make_company()
    snapshot_take()  # the dashboard draws its charts from an assessment
    html = client_for(reader).get(url).content.decode()
    assert _vocabulary_of(html) == json.loads(json.dumps(vocabulary.as_json()))
