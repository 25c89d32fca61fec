"""The product's vocabulary, written once: platform labels, representation labels, the
power/interest quadrant rule and the grade bands.

Plain Python without Django, so that the pure scoring engine can read it too. The
registry's models take their platform choices from here, the template filters their
labels, and the pages hand `as_json()` to their JavaScript through `json_script`
(`{% vocabulary_json %}`), so no label or threshold is copied into a script.

It lives in the registry app because the registry may not import governance, while
governance may read the registry (docs/architecture.md).
"""

from __future__ import annotations

from typing import Any

PLATFORM_LABELS: dict[str, str] = {
    "x": "X",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "threads": "Threads",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "reddit": "Reddit",
    "pinterest": "Pinterest",
    "other": "Other",
}

# "unknown": a department the latest assessment does not cover (not assessed yet).
REPRESENTATION_LABELS: dict[str, str] = {
    "direct": "Direct seat",
    "proxy": "By proxy",
    "none": "No seat",
    "unknown": "Not assessed yet",
}

# Influence and interest run from 1 to 5; 4 and 5 are "high", so the default 3/3 of a
# department nobody has assessed yet lands in "Monitor".
HIGH_FROM = 4
QUADRANTS: dict[tuple[bool, bool], str] = {
    # (high influence, high interest) -> Mendelow's advice
    (True, True): "Manage closely",
    (True, False): "Keep satisfied",
    (False, True): "Keep informed",
    (False, False): "Monitor",
}

# DESIGN.md "Governance": the grade of a shown score, highest band first; a band runs
# from its lower bound (inclusive) to the next band's.
GRADE_BANDS: tuple[tuple[str, float, str], ...] = (
    ("open_table", 80.0, "Open table"),
    ("broad", 60.0, "Broad"),
    ("narrow", 40.0, "Narrow"),
    ("clubhouse", 0.0, "Clubhouse"),
)
GRADE_LABELS: dict[str, str] = {grade: label for grade, _, label in GRADE_BANDS}


def platform_label(platform: str) -> str:
    return PLATFORM_LABELS.get(platform) or platform.capitalize()


def quadrant(influence: int, interest: int) -> str:
    """Mendelow's power/interest quadrant of a department."""
    return QUADRANTS[(influence >= HIGH_FROM, interest >= HIGH_FROM)]


def grade_for(shown_score: float) -> str:
    for grade, lower, _ in GRADE_BANDS:
        if shown_score >= lower:
            return grade
    return GRADE_BANDS[-1][0]


def as_json() -> dict[str, Any]:
    """What the pages' scripts read (embedded with json_script as #vocabulary)."""
    return {
        "platforms": PLATFORM_LABELS,
        "representation": REPRESENTATION_LABELS,
        "high_from": HIGH_FROM,
        "quadrants": {
            "high_high": QUADRANTS[(True, True)],
            "high_low": QUADRANTS[(True, False)],
            "low_high": QUADRANTS[(False, True)],
            "low_low": QUADRANTS[(False, False)],
        },
        "grade_bands": [
            {"grade": grade, "from": lower, "label": label} for grade, lower, label in GRADE_BANDS
        ],
    }
