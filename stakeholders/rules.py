"""The rules of the registry's fields, each written once and used by every entry point:
the web forms and the API (through stakeholders.services), the org bundle
(stakeholders.bundle) and the spreadsheet import (stakeholders.spreadsheets).

A key is refused, not corrected. Keys are written in lower case, but an upper-case key
is not lowered on the way in: other cells and entries refer to the key exactly (a
parent, an owner, a person's department), and a key lowered in one place but not in
the references would break them; a key accepted is stored exactly as it was typed.
Existing keys are never re-judged (a key cannot change), so a key registered before
this rule keeps working; the rule applies to the key of a record being created.

Pure functions, no ORM: the callers say which keys are taken, and where a value was
found when they report a refusal.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

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


# ==========================================================================
# The rules of each field, the same at every entry point.
#
# Each `clean_*` takes the value as read by the entry point (text from a form or a
# spreadsheet cell, a JSON value from the API or the bundle, already of the right type)
# and returns the value to store, or raises Invalid with a message that says what is
# wrong with the value. The entry point says where (the form field, the API field, the
# bundle path, the spreadsheet row and column). Decisions: docs/decisions.md, "One rule
# per field".
# ==========================================================================

NAME_MAX_LENGTH = 200  # Department, Person, StakeholderGroup, Meeting: name/title
EMAIL_MAX_LENGTH = 254
HANDLE_MAX_LENGTH = 200
URL_MAX_LENGTH = 500
TAG_MAX_LENGTH = 64
TAGS_MAX = 50  # tags of one person
MAX_COUNT = 2_147_483_647  # a PositiveIntegerField is a 32-bit column on PostgreSQL
RATING_MIN, RATING_MAX = 1, 5  # influence and interest (DESIGN.md: the power/interest grid)


class Invalid(ValueError):
    """A value refused by a rule; the message names the value, not where it was found."""

    @property
    def message(self) -> str:
        return str(self)


def _show(value: object) -> str:
    text = str(value)
    return f"“{text}”" if len(text) <= 60 else f"“{text[:57]}...”"


def _too_long(what: str, length: int, max_length: int) -> Invalid:
    return Invalid(f"{what} is too long ({length} characters, at most {max_length}).")


def clean_text(value: str, *, label: str, required: bool = False, max_length: int) -> str:
    """A line of text: trimmed; `required` refuses an empty one."""
    text = value.strip()
    if required and not text:
        raise Invalid(f"Enter the {label}.")
    if len(text) > max_length:
        raise _too_long(f"The {label}", len(text), max_length)
    return text


def clean_name(value: str, *, label: str = "name") -> str:
    """The name of a department, person or group, or a meeting's title: required."""
    return clean_text(value, label=label, required=True, max_length=NAME_MAX_LENGTH)


# --- e-mail --------------------------------------------------------------------------


def clean_email(value: str) -> str:
    """An e-mail address, stored in lower case (DESIGN.md: e-mails everywhere in lower
    case, unique ignoring case). Spaces around it are dropped; spaces inside refuse it."""
    email = value.strip().lower()
    if not email:
        raise Invalid("Enter an e-mail address.")
    if len(email) > EMAIL_MAX_LENGTH:
        raise _too_long("The e-mail address", len(email), EMAIL_MAX_LENGTH)
    try:
        validate_email(email)
    except ValidationError:
        raise Invalid(f"{_show(value.strip())} is not an e-mail address.") from None
    return email


def split_list(text: str) -> list[str]:
    """The items of a list typed in one box or cell: separated by commas, semicolons
    or new lines; empty items dropped."""
    return [item.strip() for item in re.split(r"[,;\n]", text) if item.strip()]


# --- expertise tags --------------------------------------------------------------------

# Letters and digits of any script, and - _ + # . inside: "C++", "C#" and ".NET" are
# different skills and keep their signs. At least one letter or digit.
_TAG = re.compile(r"[\w+#.-]+")
_HAS_WORD = re.compile(r"[^\W_]")


def clean_tag(value: str) -> str:
    """An expertise tag: lower case, inner spaces as hyphens ("Crisis response" →
    "crisis-response"). Refused, not corrected, when it holds other signs."""
    name = "-".join(value.strip().lower().split())
    if not name:
        raise Invalid("Enter a tag.")
    if not _TAG.fullmatch(name) or not _HAS_WORD.search(name):
        raise Invalid(
            f"The tag {_show(value.strip())} may hold letters, digits, spaces and - _ + # . only."
        )
    if len(name) > TAG_MAX_LENGTH:
        raise _too_long(f"The tag {_show(value.strip())}", len(name), TAG_MAX_LENGTH)
    return name


def clean_tags(values: Iterable[str]) -> list[str]:
    """Each tag cleaned; repeats (after cleaning) dropped, the first kept."""
    tags = list(dict.fromkeys(clean_tag(value) for value in values))
    if len(tags) > TAGS_MAX:
        raise Invalid(f"A person has at most {TAGS_MAX} tags.")
    return tags


# --- social handles ---------------------------------------------------------------------


def strip_handle(handle: str) -> str:
    """A handle as compared and stored: trimmed, without a leading @ (case is kept)."""
    return handle.strip().lstrip("@").strip()


# platform → (pattern, what it allows). Generous: the characters a platform never allows
# in a handle are refused, but each platform's length limits and reserved words are not
# checked (registries hold handles from before a platform's current limits).
# Platforms not listed take any handle without spaces or slashes.
_HANDLES: dict[str, tuple[str, str]] = {
    "x": (r"[A-Za-z0-9_]+", "letters, digits and _ only"),
    "instagram": (r"[A-Za-z0-9._]+", "letters, digits, . and _ only"),
    "threads": (r"[A-Za-z0-9._]+", "letters, digits, . and _ only"),
    "tiktok": (r"[A-Za-z0-9._]+", "letters, digits, . and _ only"),
    "reddit": (r"[A-Za-z0-9_-]+", "letters, digits, - and _ only"),
    "pinterest": (r"[A-Za-z0-9_]+", "letters, digits and _ only"),
    "mastodon": (
        r"[A-Za-z0-9_]+(@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)?",
        "a user name (letters, digits and _), optionally @ and the server",
    ),
    "bluesky": (
        r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*",
        "letters, digits, - and dots, such as name.bsky.social",
    ),
    "facebook": (r"[A-Za-z0-9.-]+", "letters, digits, . and - only"),
    "linkedin": (r"[\w.-]+", "letters, digits, . - and _ only (the name in the page's address)"),
    "youtube": (r"[A-Za-z0-9._-]+", "letters, digits, . - and _ only"),
}
_HANDLE_PATTERNS = {platform: re.compile(pattern) for platform, (pattern, _) in _HANDLES.items()}
_ANY_HANDLE = re.compile(r"[^\s/]+")


def clean_handle(value: str, *, platform: str) -> str:
    """A handle on `platform`: a leading @ dropped, then the platform's characters."""
    handle = strip_handle(value)
    if not handle:
        raise Invalid("Enter the account's handle: a handle needs more than an @.")
    if len(handle) > HANDLE_MAX_LENGTH:
        raise _too_long("The handle", len(handle), HANDLE_MAX_LENGTH)
    pattern = _HANDLE_PATTERNS.get(platform, _ANY_HANDLE)
    if not pattern.fullmatch(handle):
        allowed = _HANDLES[platform][1] if platform in _HANDLES else "no spaces or /"
        where = f" on {platform}" if platform else ""
        raise Invalid(f"{_show(handle)} is not a handle{where}: {allowed}.")
    return handle


_URL = URLValidator(schemes=["http", "https"])


def clean_url(value: str) -> str:
    """An address (http or https), or empty."""
    url = value.strip()
    if not url:
        return ""
    if len(url) > URL_MAX_LENGTH:
        raise _too_long("The address", len(url), URL_MAX_LENGTH)
    try:
        _URL(url)
    except ValidationError:
        raise Invalid(f"{_show(url)} is not a web address (http:// or https://).") from None
    return url


# --- numbers ----------------------------------------------------------------------------

_WHOLE = re.compile(r"[+-]?\d+(\.0*)?")


def whole_number(text: str) -> int:
    """A whole number written as text ("12", "12.0"); "1e3", "1,000" and "1.5" are not."""
    text = text.strip()
    # More digits than any count holds is refused here: int() of thousands of digits
    # is slow, and refused beyond 4,300.
    if not _WHOLE.fullmatch(text) or len(text) > 40:
        raise Invalid(f"{_show(text)} is not a whole number.")
    return int(text.split(".")[0])


def clean_count(value: int, *, label: str) -> int:
    """A headcount or a number of followers: 0 or more."""
    if value < 0:
        raise Invalid(f"The {label} is 0 or more.")
    if value > MAX_COUNT:
        raise Invalid(f"The {label} is at most {MAX_COUNT}.")
    return value


def clean_rating(value: int, *, label: str) -> int:
    """Influence or interest on the power/interest grid: 1 to 5."""
    if not RATING_MIN <= value <= RATING_MAX:
        raise Invalid(f"The {label} is from {RATING_MIN} to {RATING_MAX}.")
    return value


# --- choices ------------------------------------------------------------------------------


def clean_choice(value: str, *, choices: Iterable[str], label: str) -> str:
    """One of the values of an enumeration (roles, platforms, statuses…), as written."""
    allowed = list(choices)
    if value not in allowed:
        raise Invalid(f"unknown {label} {_show(value)} (one of: {', '.join(allowed)})")
    return value


# --- dates --------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD, the only form the API, the bundle, the spreadsheets and
    the date pickers of the forms use."""
    text = text.strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise Invalid(f"{_show(text)} is not a date (use YYYY-MM-DD).")


def term_problem(start: dt.date | None, end: dt.date | None) -> str | None:
    """A seat's term ends on or after its start."""
    if start is not None and end is not None and end < start:
        return (
            f"The term cannot end before it starts (ends {end:%Y-%m-%d}, starts {start:%Y-%m-%d})."
        )
    return None
