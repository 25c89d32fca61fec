"""The counts behind the score in words, for the pages: "3 of 12 people" next to a
percentage, and the organisation model as a sentence a COE lead understands.

Pure display: reads the `explain` counts the scoring engine stores with a snapshot
(scoring._explain) and returns text; the contract values (components, org_model_reason
in `manage.py score --json` and the API) are unchanged. A snapshot stored before the
counts existed has none: the pages then fall back to the one-line help and the stored
reason.
"""

from __future__ import annotations

from typing import Any

VOICE_LABELS = {"customers": "Customers", "employees": "Employees", "partners": "Partners"}


def _n(value: float | int) -> str:
    return f"{round(value):,}"


def _plural(count: float | int, one: str, many: str) -> str:
    return one if round(count) == 1 else many


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _through_parent(proxy: float | int, unit: str) -> str:
    if not proxy:
        return "."
    return f", and {_n(proxy)} more {unit} through a parent department (they count half)."


def component_counts(name: str, explain: dict[str, Any] | None) -> str:
    """'x of y' for one component, or "" when the snapshot carries no counts for it."""
    counts = (explain or {}).get(name)
    if not counts:
        return ""
    return _COUNTS[name](counts)


def _coverage(c: dict) -> str:
    if not c["total"]:
        return ""
    if c["unit"] == "people":
        return (
            f"{_n(c['direct'])} of {_n(c['total'])} people work in a department with a seat "
            f"of its own" + _through_parent(c["proxy"], "people")
        )
    return (
        f"{_n(c['direct'])} of {_n(c['total'])} departments have a seat of their own"
        + _through_parent(c["proxy"], _plural(c["proxy"], "department", "departments"))
    )


def _footprint(c: dict) -> str:
    if not c["total"]:
        return ""
    accounts = _plural(c["total"], "account", "accounts")
    return (
        f"{_n(c['direct'])} of {_n(c['total'])} {accounts} in use belong to a department "
        f"with a seat of its own" + _through_parent(c["proxy"], "accounts")
    )


def _balance(c: dict) -> str:
    if not c["seats"]:
        return f"No department seat yet, across the company's {c['functions']} functions."
    seats = _plural(c["seats"], "seat", "seats")
    return (
        f"{_n(c['seats'])} department {seats}, held in {c['functions_seated']} of the "
        f"company's {c['functions']} functions."
    )


def _seniority(c: dict) -> str:
    if not c["seats"]:
        return "No seat held by someone of known seniority yet."
    seats = _plural(c["seats"], "seat", "seats")
    return (
        f"{_n(c['seats'])} {seats} of known seniority, at {c['levels_seated']} of the "
        f"{c['levels']} levels (individual contributor, manager, director, executive)."
    )


def _voices(c: dict) -> str:
    heard, missing = c["heard"], c["missing"]
    total = len(heard) + len(missing)
    words = [VOICE_LABELS.get(k, k).lower() for k in heard]
    absent = [VOICE_LABELS.get(k, k).lower() for k in missing]
    if not heard:
        return f"0 of {total}: nobody speaks for {_join(absent)} yet."
    text = f"{len(heard)} of {total}: {_join(words)} have a voice"
    return text + (f"; {_join(absent)} have none yet." if absent else ".")


def _participation(c: dict) -> str:
    if not c["expected"]:
        return ""
    return (
        f"{_n(c['present'])} of {_n(c['expected'])} expected chairs were filled at the "
        "recent meetings (each seat at each meeting where it was expected)."
    )


_COUNTS = {
    "coverage": _coverage,
    "footprint": _footprint,
    "balance": _balance,
    "seniority_mix": _seniority,
    "voices": _voices,
    "participation": _participation,
}


def org_model_sentence(model: str, explain: dict[str, Any] | None, reason: str = "") -> str:
    """Why the company is organised as `model`, in plain words; the stored reason when
    the snapshot carries no counts."""
    c = (explain or {}).get("org_model")
    if not c:
        return reason
    seats = c["seats"]
    if model == "organic":
        if seats < 2:
            held = "no seat" if seats == 0 else "only one seat"
            return (
                f"The COE table has {held} yet, so social media is still done team by team, "
                "without anyone coordinating it."
            )
        return (
            f"The COE table has {seats} seats but none of them has the lead role, so nobody "
            "coordinates social media across the company. Give one seat the lead role."
        )
    if model == "centralized":
        return (
            f"{c['largest_owner']} runs {c['largest_owner_accounts']} of the "
            f"{c['owned_accounts']} social accounts that belong to a department: one "
            "department does social media for everybody else."
        )
    if model == "honeycomb":
        return (
            "Nearly every department and account has a seat, customers, employees and "
            "partners all have a voice, and no department runs half of the accounts: "
            "everyone takes part within shared standards."
        )
    hubs = c["hubs"]
    if model == "dandelion":
        return (
            f"The lead seats sit in {len(hubs)} separate parts of the company "
            f"({_join(hubs)}): each is a hub that coordinates the departments around it."
        )
    if model == "hub_and_spoke" and hubs:
        return (
            f"Every department lead seat is in {_join(hubs)} or a team inside it, so "
            f"{_join(hubs)} is the one hub that coordinates social media for the other "
            "departments (the spokes)."
        )
    if model == "hub_and_spoke":
        return (
            "Only stakeholder groups hold the lead seats: the COE itself is the hub, "
            "coordinating the departments (the spokes)."
        )
    return reason
