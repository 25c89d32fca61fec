"""The rule for a new department or stakeholder-group key, the same at every entry point:
the web forms and the API (through stakeholders.services), the org bundle
(stakeholders.bundle) and the spreadsheet import (stakeholders.spreadsheets).

A key is refused, not corrected. Keys are written in lower case, but an upper-case key
is not lowered on the way in: other cells and entries refer to the key exactly (a
parent, an owner, a person's department), and a key lowered in one place but not in
the references would break them; a key accepted is stored exactly as it was typed.
Existing keys are never re-judged (a key cannot change), so a key registered before
this rule keeps working; the rule applies to the key of a record being created.

Pure functions, no ORM: the callers say which keys are taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

KEY_MAX_LENGTH = 64  # the model fields' max_length
KEY_HELP = "lower-case letters, digits, - and _; it cannot change later"

# Words used as sub-paths under /departments/ and /groups/ (stakeholders/urls.py):
# /departments/new/ is the add form, so a department keyed "new" would have no page;
# /departments/mine/ lists the departments a head heads.
# tests/stakeholders/test_rules.py checks the URL patterns against this list.
RESERVED_KEYS = frozenset({"new", "mine", "edit", "archive", "restore", "nominate", "export"})

_KEY = re.compile(r"[a-z0-9_-]+")
_SLUG = re.compile(r"[A-Za-z0-9_-]+")


def key_format_problem(key: str, *, label: str = "department") -> str | None:
    """What makes `key` no key at all, new or registered (empty, too long, not a slug)."""
    if not key:
        return f"Enter the {label}'s key."
    if len(key) > KEY_MAX_LENGTH:
        return f"A key has at most {KEY_MAX_LENGTH} characters."
    if not _SLUG.fullmatch(key):
        return "A key has only letters, digits, - and _ (no spaces)."
    return None


def key_problem(key: str, *, label: str = "department") -> str | None:
    """What is wrong with `key` as the key of a new department or stakeholder group
    (`label` names which, in the message), or None when it is acceptable."""
    if problem := key_format_problem(key, label=label):
        return problem
    if not _KEY.fullmatch(key):
        return f"A key is written in lower case: {key.lower()!r}, not {key!r}."
    if key in RESERVED_KEYS:
        return f"The key {key!r} is reserved; choose another."
    return None


def key_taken(key: str, taken: Iterable[str], *, label: str = "department") -> str | None:
    """The problem when `key` is one of `taken` ignoring case (two keys that differ only in
    case name one thing to a person reading them), or None."""
    lowered = key.lower()
    found = next((t for t in taken if t.lower() == lowered), None)
    if found is None:
        return None
    return f"The key {found!r} is already taken by another {label}."
