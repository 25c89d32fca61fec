"""The org bundle (`roundtable-org/1`): the whole registry as one JSON document.

`import_bundle` checks the entire bundle before it writes anything and reports
every problem with its path (`departments[3].parent: unknown department "x"`);
the write is one transaction, all or nothing. `export_bundle` writes every field
of every record, defaults included, so that export → import → export is exact.

The user-facing description of the format lives in docs/bundle-format.md; keep
the two in step.

Writes are bulk writes (a bundle may hold tens of thousands of rows): references
are resolved through dicts built from a fixed number of queries, and every
history-tracked model is written through django-simple-history's bulk helpers so
the audit trail is kept.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from accounts import services as accounts_services
from stakeholders import bulk, handovers, ports, rules, signals
from stakeholders.heads import HeadUsers
from stakeholders.models import (
    OPEN_SEAT_STATUSES,
    AccountPurpose,
    AccountStatus,
    Department,
    DepartmentKind,
    ExpertiseTag,
    Function,
    GroupKind,
    Handover,
    Person,
    Platform,
    Seat,
    SeatRole,
    SeatStatus,
    Seniority,
    SocialAccount,
    StakeholderGroup,
    normalize_handle,
)
from stakeholders.trees import walk_up

BUNDLE_FORMAT = "roundtable-org/1"
SECTIONS = ("departments", "stakeholder_groups", "people", "seats", "accounts", "meetings")

BATCH_SIZE = bulk.BATCH_SIZE
# The history rows of an import name no user: it runs from the command line.
_writer = bulk.HistoryWriter(reason="org bundle import")


class BundleError(Exception):
    """The bundle cannot be imported; `errors` lists every problem as "path: message"."""

    def __init__(self, errors: Sequence[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass
class SectionCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ImportSummary:
    """What an import did, per bundle section."""

    departments: SectionCounts = field(default_factory=SectionCounts)
    stakeholder_groups: SectionCounts = field(default_factory=SectionCounts)
    people: SectionCounts = field(default_factory=SectionCounts)
    seats: SectionCounts = field(default_factory=SectionCounts)
    accounts: SectionCounts = field(default_factory=SectionCounts)
    meetings: SectionCounts = field(default_factory=SectionCounts)
    users_created: int = 0
    replaced: bool = False

    def sections(self) -> Iterator[tuple[str, SectionCounts]]:
        for name in SECTIONS:
            yield name, getattr(self, name)

    @property
    def changed(self) -> bool:
        return self.replaced or any(c.created or c.updated for _, c in self.sections())

    def __str__(self) -> str:
        lines = ["Registry emptied first (--replace)."] if self.replaced else []
        width = max(len(name) for name in SECTIONS)
        lines += [
            f"{name.replace('_', ' '):<{width}}  {counts}" for name, counts in self.sections()
        ]
        lines.append(f"{'users created':<{width}}  {self.users_created} (department heads)")
        return "\n".join(lines)


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def load_bundle_text(text: str) -> dict:
    """Parse a bundle from JSON text and check that it is a `roundtable-org/1` object."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BundleError(
            [f"$: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"]
        ) from None
    _check_envelope(data)
    return data


def import_bundle(data: dict, *, replace: bool = False, invite: bool = True) -> ImportSummary:
    """Validate the whole bundle, then write it in one transaction (all or nothing).

    Without `replace`, records are matched by natural key and updated or added;
    nothing is deleted. With `replace`, the registry is emptied first, in the
    same transaction. Raises `BundleError` listing every problem; the database is
    then unchanged. A recompute of the assessment is requested once when
    anything changed. With `invite`, the department heads who have no password are
    mailed an invitation once the import commits (once each; not those with one open).
    """
    _check_envelope(data)
    with signals.registry_write():
        registry = _Registry() if replace else _Registry.load()
        plan = _validate(data, registry, replacing=replace)
        if replace:
            _empty_registry()
        summary, head_ids = _write(plan, registry)
        summary.replaced = replace
        if invite:
            accounts_services.invitations_send_new(user_ids=head_ids, invited_by=None)
        if summary.changed:
            # Once per import, however many rows; an import that changed nothing
            # must not mark the registry as changed.
            signals.registry_changed_announce()
            # People the bundle marks as left may still manage accounts in use.
            handovers.handovers_open(actor=None)
    return summary


def export_bundle() -> dict:
    """The whole registry as a bundle, every field explicit, in a deterministic order."""
    return _export()


# --------------------------------------------------------------------------
# Field parsers: each takes the JSON value and returns the clean one, or raises
# _Invalid naming the value.
# --------------------------------------------------------------------------


class _Invalid(Exception):
    """A rejected value; `problems` are (sub-path, message) pairs, e.g. ("[2]", "...")."""

    def __init__(self, message: str = "", *, problems: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.problems = problems if problems is not None else [("", message)]


Parser = Callable[[Any], Any]


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _expected(what: str, value: Any) -> _Invalid:
    return _Invalid(f"expected {what}, got {_show(value)}")


def _ruled(rule: Callable[..., Any], json_type: type = str, what: str = "a string", **options):
    """A parser: the JSON value must be of `json_type`; then the rule of the field
    (stakeholders.rules), whose message is the one every entry point gives."""

    def parse(value: Any) -> Any:
        # bool is an int in Python; JSON true is not a number.
        if not isinstance(value, json_type) or (isinstance(value, bool) and json_type is int):
            raise _expected(what, value)
        try:
            return rule(value, **options)
        except rules.Invalid as error:
            raise _Invalid(error.message) from None

    return parse


def _text(label: str, *, required: bool = False) -> Parser:
    return _ruled(
        rules.clean_text, label=label, required=required, max_length=rules.NAME_MAX_LENGTH
    )


def _key(value: Any) -> str:
    if not isinstance(value, str):
        raise _expected("a string", value)
    if problem := rules.key_format_problem(value):
        raise _Invalid(problem)
    return value


def _key_ref(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise _expected("a key", value)
    return value


_email = _ruled(rules.clean_email, what="an e-mail address")


def _email_ref(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _expected("an e-mail address", value)
    return value.strip().lower()


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _expected("true or false", value)
    return value


def _count(label: str) -> Parser:
    return _ruled(rules.clean_count, int, "an integer", label=label)


def _rating(label: str) -> Parser:
    return _ruled(rules.clean_rating, int, "an integer", label=label)


def _choice(choices: type[models.TextChoices], label: str) -> Parser:
    return _ruled(rules.clean_choice, choices=choices.values, label=label)


_date = _ruled(rules.iso_date, what="a date written YYYY-MM-DD")
_url = _ruled(rules.clean_url)


def _handle(value: Any) -> str:
    """The handle without its @; the platform's rule is checked with the entry's
    platform (_check_account)."""
    if not isinstance(value, str):
        raise _expected("a string", value)
    return rules.strip_handle(value)


_tag = _ruled(rules.clean_tag)


def _tags(value: Any) -> list[str]:
    tags = _unique_list_of(_tag)(value)
    if len(tags) > rules.TAGS_MAX:
        raise _Invalid(f"A person has at most {rules.TAGS_MAX} tags.")
    return tags


def _nullable(parse: Parser) -> Parser:
    def parse_or_null(value: Any) -> Any:
        return None if value is None else parse(value)

    return parse_or_null


def _unique_list_of(parse_item: Parser) -> Parser:
    """A list; repeated items (after normalisation) are dropped, first one kept."""

    def parse(value: Any) -> list:
        if not isinstance(value, list):
            raise _expected("a list", value)
        items: dict[Any, None] = {}
        problems = []
        for i, raw in enumerate(value):
            try:
                items.setdefault(parse_item(raw))
            except _Invalid as exc:
                problems += [(f"[{i}]{sub}", message) for sub, message in exc.problems]
        if problems:
            raise _Invalid(problems=problems)
        return list(items)

    return parse


def _attendance(value: Any) -> dict[str, bool]:
    if not isinstance(value, dict):
        raise _expected("an object of e-mail: true/false", value)
    result: dict[str, bool] = {}
    problems = []
    for raw_email, present in value.items():
        sub = f"[{_show(raw_email)}]"
        if not isinstance(raw_email, str) or not raw_email.strip():
            problems.append((sub, "expected an e-mail address"))
            continue
        email = raw_email.strip().lower()
        if email in result:
            problems.append((sub, f"duplicate e-mail {_show(email)}"))
        elif not isinstance(present, bool):
            problems.append((sub, f"expected true or false, got {_show(present)}"))
        else:
            result[email] = present
    if problems:
        raise _Invalid(problems=problems)
    return result


@dataclass(frozen=True)
class _Field:
    name: str
    parse: Parser
    default: Any = None
    required: bool = False


SCHEMAS: dict[str, tuple[_Field, ...]] = {
    "departments": (
        _Field("key", _key, required=True),
        _Field("name", _text("department's name", required=True), required=True),
        _Field("parent", _nullable(_key_ref)),
        _Field("kind", _choice(DepartmentKind, "kind"), "function"),
        _Field("function", _choice(Function, "function"), "other"),
        _Field("headcount", _count("headcount"), 0),
        _Field("customer_facing", _boolean, False),
        _Field("influence", _rating("influence"), 3),
        _Field("interest", _rating("interest"), 3),
        _Field("head", _nullable(_email_ref)),
        _Field("active", _boolean, True),
    ),
    "stakeholder_groups": (
        _Field("key", _key, required=True),
        _Field("name", _text("group's name", required=True), required=True),
        _Field("kind", _choice(GroupKind, "kind"), "other"),
    ),
    "people": (
        _Field("email", _email, required=True),
        _Field("name", _text("person's name", required=True), required=True),
        _Field("title", _text("title"), ""),
        _Field("seniority", _nullable(_choice(Seniority, "seniority"))),
        _Field("department", _nullable(_key_ref)),
        _Field("expertise", _tags, []),
        _Field("active", _boolean, True),
    ),
    "seats": (
        _Field("person", _email_ref, required=True),
        _Field("department", _nullable(_key_ref)),
        _Field("group", _nullable(_key_ref)),
        _Field("role", _choice(SeatRole, "role"), "core"),
        _Field("status", _choice(SeatStatus, "status"), "nominated"),
        _Field("nominated_at", _nullable(_date)),
        _Field("decided_at", _nullable(_date)),
        _Field("term_start", _nullable(_date)),
        _Field("term_end", _nullable(_date)),
    ),
    "accounts": (
        _Field("platform", _choice(Platform, "platform"), required=True),
        _Field("handle", _handle, required=True),
        _Field("url", _url, ""),
        _Field("owner", _nullable(_key_ref)),
        _Field("status", _choice(AccountStatus, "status"), "active"),
        _Field("followers", _count("number of followers"), 0),
        _Field("purpose", _choice(AccountPurpose, "purpose"), "other"),
        _Field("last_post_at", _nullable(_date)),
        _Field("managers", _unique_list_of(_email_ref), []),
    ),
    "meetings": (
        _Field("date", _date, required=True),
        _Field("title", _text("meeting's title", required=True), required=True),
        _Field("attendance", _attendance, {}),
    ),
}


# --------------------------------------------------------------------------
# The registry as it stands (empty when replacing): loaded in a fixed number of
# queries, whatever its size.
# --------------------------------------------------------------------------


@dataclass
class _Registry:
    departments: dict[str, Department] = field(default_factory=dict)
    groups: dict[str, StakeholderGroup] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)  # by lower-case e-mail
    tags: dict[str, ExpertiseTag] = field(default_factory=dict)
    person_tags: list[tuple[int, int, int]] = field(default_factory=list)  # id, person, tag
    seats: list[Seat] = field(default_factory=list)
    accounts: dict[tuple[str, str], SocialAccount] = field(default_factory=dict)
    account_managers: list[tuple[int, int, int]] = field(default_factory=list)  # id, acct, person

    @classmethod
    def load(cls) -> _Registry:
        return cls(
            departments={d.key: d for d in Department.objects.order_by("pk")},
            groups={g.key: g for g in StakeholderGroup.objects.order_by("pk")},
            people={p.email.lower(): p for p in Person.objects.order_by("pk")},
            tags={t.name: t for t in ExpertiseTag.objects.order_by("pk")},
            person_tags=list(
                Person.expertise.through.objects.values_list("id", "person_id", "expertisetag_id")
            ),
            seats=list(Seat.objects.order_by("pk")),
            accounts={
                (a.platform, a.handle.lower()): a for a in SocialAccount.objects.order_by("pk")
            },
            account_managers=list(
                SocialAccount.managers.through.objects.values_list(
                    "id", "socialaccount_id", "person_id"
                )
            ),
        )


# --------------------------------------------------------------------------
# Validation: every problem is collected before anything is written.
# --------------------------------------------------------------------------


@dataclass
class _Entry:
    section: str
    index: int
    values: dict[str, Any]
    bad_fields: set[str] = field(default_factory=set)

    @property
    def path(self) -> str:
        return f"{self.section}[{self.index}]"

    @property
    def ok(self) -> bool:
        return not self.bad_fields

    def has(self, name: str) -> bool:
        """The field parsed (it may still point at something unknown)."""
        return name in self.values and name not in self.bad_fields


class _Errors:
    def __init__(self) -> None:
        self._items: list[tuple[int, int, int, str]] = []

    def add(self, section: str | None, index: int, message: str) -> None:
        rank = SECTIONS.index(section) if section in SECTIONS else -1
        self._items.append((rank, index, len(self._items), message))

    def entry(self, entry: _Entry, name: str, message: str) -> None:
        """An error in one field of an entry (`name` may carry a sub-path, or be empty)."""
        path = f"{entry.path}.{name}" if name and name[0] != "[" else f"{entry.path}{name}"
        entry.bad_fields.add(name.split("[")[0].split(".")[0] or "*")
        self.add(entry.section, entry.index, f"{path}: {message}")

    def raise_if_any(self) -> None:
        if self._items:
            raise BundleError([message for *_, message in sorted(self._items)])


@dataclass
class _Plan:
    """A validated bundle, ready to write."""

    entries: dict[str, list[_Entry]]
    head_users: HeadUsers
    seat_matches: list[tuple[_Entry, Seat | None]]


def _check_envelope(data: Any) -> None:
    if not isinstance(data, dict):
        raise BundleError([f"$: expected a JSON object, got {_json_type(data)}"])
    tag = data.get("format")
    if tag != BUNDLE_FORMAT:
        problem = "missing" if "format" not in data else f"got {_show(tag)}"
        raise BundleError([f'format: expected "{BUNDLE_FORMAT}", {problem}'])


def _json_type(value: Any) -> str:
    names = {list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return "a number" if isinstance(value, int | float) else type(value).__name__


def _validate(data: dict, registry: _Registry, *, replacing: bool = False) -> _Plan:
    errors = _Errors()
    for name in data:
        if name != "format" and name not in SECTIONS:
            errors.add(None, 0, f"{name}: unknown section (expected one of: {', '.join(SECTIONS)})")

    entries: dict[str, list[_Entry]] = {}
    for section in SECTIONS:
        raw = data.get(section, [])
        if not isinstance(raw, list):
            errors.add(section, -1, f"{section}: expected a list, got {_show(raw)}")
            raw = []
        entries[section] = [
            entry
            for index, item in enumerate(raw)
            if (entry := _clean_entry(section, index, item, errors)) is not None
        ]

    _check_new_keys(entries, registry, errors)
    known = _check_identities(entries, data, registry, errors)
    _check_references(entries, known, errors)
    _check_department_cycles(entries["departments"], registry, errors)
    head_users = _resolve_head_users(entries, registry, errors, replacing=replacing)
    seat_matches = _match_seats(entries["seats"], registry, errors)
    errors.raise_if_any()
    return _Plan(entries=entries, head_users=head_users, seat_matches=seat_matches)


def _check_new_keys(entries: dict[str, list[_Entry]], registry: _Registry, errors: _Errors) -> None:
    """The key of a department or group the bundle adds follows the rule of the web form,
    the API and the spreadsheet import (stakeholders.rules); an entry that updates a
    registered record keeps its key."""
    for section, registered, label in (
        ("departments", registry.departments, "department"),
        ("stakeholder_groups", registry.groups, "stakeholder group"),
    ):
        lowered = {key.lower(): key for key in registered}
        for entry in entries[section]:
            if not entry.has("key") or entry.values["key"] in registered:
                continue
            key = entry.values["key"]
            taken = [lowered[key.lower()]] if key.lower() in lowered else []
            problem = rules.key_problem(key, label=label) or rules.key_taken(
                key, taken, label=label
            )
            if problem:
                errors.entry(entry, "key", problem)


def _clean_entry(section: str, index: int, item: Any, errors: _Errors) -> _Entry | None:
    if not isinstance(item, dict):
        errors.add(section, index, f"{section}[{index}]: expected an object, got {_show(item)}")
        return None
    schema = SCHEMAS[section]
    entry = _Entry(section, index, {})
    names = {f.name for f in schema}
    for name in item:
        if name not in names:
            errors.entry(entry, str(name), "unknown field")
    for spec in schema:
        if spec.name not in item:
            if spec.required:
                errors.entry(entry, spec.name, "required field missing")
            else:
                entry.values[spec.name] = copy.deepcopy(spec.default)
            continue
        try:
            entry.values[spec.name] = spec.parse(item[spec.name])
        except _Invalid as exc:
            for sub, message in exc.problems:
                errors.entry(entry, spec.name + sub, message)
    if section == "seats":
        _check_seat(entry, errors)
    if section == "accounts" and entry.has("platform") and entry.has("handle"):
        try:
            rules.clean_handle(entry.values["handle"], platform=entry.values["platform"])
        except rules.Invalid as error:
            errors.entry(entry, "handle", error.message)
    return entry


def _check_seat(entry: _Entry, errors: _Errors) -> None:
    values = entry.values
    if entry.has("department") and entry.has("group"):
        if values["department"] is None and values["group"] is None:
            errors.entry(entry, "", "no constituency: set a department or a group")
        elif values["department"] is not None and values["group"] is not None:
            errors.entry(entry, "", "two constituencies: set a department or a group, not both")
    start, end = values.get("term_start"), values.get("term_end")
    term_problem = rules.term_problem(start, end)
    if entry.has("term_start") and entry.has("term_end") and term_problem:
        errors.entry(entry, "term_end", term_problem)
    if values.get("status") == SeatStatus.ENDED and entry.has("term_end") and end is None:
        errors.entry(entry, "term_end", 'required when status is "ended"')


@dataclass
class _Known:
    departments: set[str]
    groups: set[str]
    people: set[str]


def _identity(section: str, item: dict) -> tuple[Any, str, str] | None:
    """(natural key, field to blame, how to name it) of a raw entry; None when unusable.

    Taken from the raw value, so that an entry with an invalid key still counts
    as present and references to it do not add noise.
    """

    def text(name: str) -> str | None:
        value = item.get(name)
        return value if isinstance(value, str) else None

    if section in ("departments", "stakeholder_groups"):
        key = text("key")
        return (key, "key", f"key {_show(key)}") if key is not None else None
    if section == "people":
        email = text("email")
        if email is None:
            return None
        email = email.strip().lower()
        return email, "email", f"e-mail {_show(email)}"
    if section == "accounts":
        platform, handle = text("platform"), text("handle")
        if platform is None or handle is None:
            return None
        handle = normalize_handle(handle).lower()
        return (platform, handle), "handle", f"handle {_show(handle)} on {platform}"
    if section == "meetings":
        date, title = text("date"), text("title")
        if date is None or title is None:
            return None
        title = title.strip()
        return (date, title), "title", f"meeting {date} {_show(title)}"
    return None


def _check_identities(
    entries: dict[str, list[_Entry]], data: dict, registry: _Registry, errors: _Errors
) -> _Known:
    identities: dict[str, set] = {}
    for section in ("departments", "stakeholder_groups", "people", "accounts", "meetings"):
        seen: dict[Any, int] = {}
        for entry in entries[section]:
            found = _identity(section, data[section][entry.index])
            if found is None:
                continue
            key, blame, label = found
            if key in seen:
                errors.entry(entry, blame, f"duplicate {label} (also {section}[{seen[key]}])")
            else:
                seen[key] = entry.index
        identities[section] = set(seen)
    return _Known(
        departments=identities["departments"] | set(registry.departments),
        groups=identities["stakeholder_groups"] | set(registry.groups),
        people=identities["people"] | set(registry.people),
    )


_REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "departments": (("parent", "department"), ("head", "person")),
    "people": (("department", "department"),),
    "seats": (("person", "person"), ("department", "department"), ("group", "group")),
    "accounts": (("owner", "department"), ("managers", "person")),
    "meetings": (("attendance", "person"),),
}


def _check_references(entries: dict[str, list[_Entry]], known: _Known, errors: _Errors) -> None:
    pools = {"department": known.departments, "group": known.groups, "person": known.people}
    for section, references in _REFERENCES.items():
        for entry in entries[section]:
            for name, kind in references:
                if not entry.has(name):
                    continue
                value = entry.values[name]
                if isinstance(value, list):
                    targets = [(f"{name}[{i}]", v) for i, v in enumerate(value)]
                elif isinstance(value, dict):
                    targets = [(f"{name}[{_show(v)}]", v) for v in value]
                else:
                    targets = [(name, value)]
                for path, target in targets:
                    if target is not None and target not in pools[kind]:
                        errors.entry(entry, path, f"unknown {kind} {_show(target)}")


def _check_department_cycles(
    departments: list[_Entry], registry: _Registry, errors: _Errors
) -> None:
    key_by_id = {d.pk: key for key, d in registry.departments.items()}
    parent_of: dict[str, str | None] = {
        key: key_by_id.get(d.parent_id) for key, d in registry.departments.items()
    }
    in_bundle: dict[str, _Entry] = {}
    for entry in departments:
        if entry.has("key") and entry.has("parent") and entry.values["key"] not in in_bundle:
            in_bundle[entry.values["key"]] = entry
            parent_of[entry.values["key"]] = entry.values["parent"]

    settled: set[str] = set()  # known to reach a root
    reported: set[frozenset[str]] = set()
    for key, entry in in_bundle.items():
        if entry.values["parent"] == key:
            errors.entry(entry, "parent", f"department {_show(key)} cannot be its own parent")
            reported.add(frozenset([key]))
            continue
        # A cycle is not settled: each of its own members must still be walked, and
        # the first of them reports it.
        _, cycle = walk_up(key, parent_of, settled)
        if not cycle:
            continue
        members = frozenset(cycle)
        if key in members and members not in reported:
            reported.add(members)
            errors.entry(entry, "parent", "cycle " + " → ".join([*cycle, key]))


def _resolve_head_users(
    entries: dict[str, list[_Entry]], registry: _Registry, errors: _Errors, *, replacing: bool
) -> HeadUsers:
    """The heads' users, by the rule of every entry point (stakeholders.heads); a head
    refused is reported at the first department naming them."""
    first_entry: dict[str, _Entry] = {}
    for entry in entries["departments"]:
        if entry.has("head") and entry.values["head"] is not None:
            first_entry.setdefault(entry.values["head"], entry)
    to_come = {e.values["email"] for e in entries["people"] if e.has("email")}
    heads = HeadUsers(
        first_entry, people_to_come=to_come - set(registry.people), replacing=replacing
    )
    for name, problem in heads.problems.items():
        errors.entry(first_entry[name], "head", problem)
    return heads


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return None if value is None else timezone.localdate(value)


def _midnight(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone()
    )


def _seat_constituency(values: dict) -> tuple[str, str]:
    if values["department"] is not None:
        return "department", values["department"]
    return "group", values["group"]


_SEAT_COMPARED = ("role", "status", "decided_at", "term_start", "term_end")


def _match_seats(
    seats: list[_Entry], registry: _Registry, errors: _Errors
) -> list[tuple[_Entry, Seat | None]]:
    """Pair bundle seats with existing seats, and refuse a second open seat.

    A bundle seat matches an existing seat of the same person and constituency
    nominated on the same date (site time zone; both may be empty). When several
    share that, identical seats are paired first, then the rest in order (file
    order against database id), so re-importing an export changes nothing.
    """
    email_of = {p.pk: email for email, p in registry.people.items()}
    department_key = {d.pk: key for key, d in registry.departments.items()}
    group_key = {g.pk: key for key, g in registry.groups.items()}

    existing: dict[tuple, list[tuple[Seat, dict]]] = defaultdict(list)
    for seat in registry.seats:
        constituency = (
            ("department", department_key[seat.department_id])
            if seat.department_id
            else ("group", group_key[seat.group_id])
        )
        described = {
            "role": seat.role,
            "status": seat.status,
            "decided_at": _local_date(seat.decided_at),
            "term_start": seat.term_start,
            "term_end": seat.term_end,
        }
        match_key = (email_of[seat.person_id], *constituency, _local_date(seat.nominated_at))
        existing[match_key].append((seat, described))

    usable = [e for e in seats if e.ok]
    wanted: dict[tuple, list[_Entry]] = defaultdict(list)
    for entry in usable:
        values = entry.values
        match_key = (values["person"], *_seat_constituency(values), values["nominated_at"])
        wanted[match_key].append(entry)

    match_of: dict[int, Seat] = {}  # entry index → existing seat
    for match_key, group in wanted.items():
        candidates = list(existing.get(match_key, []))
        rest = []
        for entry in group:
            same = next(
                (c for c in candidates if all(c[1][n] == entry.values[n] for n in _SEAT_COMPARED)),
                None,
            )
            if same is None:
                rest.append(entry)
            else:
                candidates.remove(same)
                match_of[entry.index] = same[0]
        for entry, candidate in zip(rest, candidates, strict=False):
            match_of[entry.index] = candidate[0]

    # The open seats once the bundle is written: existing ones the bundle does
    # not touch, plus the bundle's own.
    matched_ids = {seat.pk for seat in match_of.values()}
    untouched_open: set[tuple] = set()
    for match_key, pairs in existing.items():
        for seat, described in pairs:
            if seat.pk not in matched_ids and described["status"] in OPEN_SEAT_STATUSES:
                untouched_open.add(match_key[:3])
    first_open: dict[tuple, int] = {}
    for entry in usable:
        values = entry.values
        if values["status"] not in OPEN_SEAT_STATUSES:
            continue
        holder = (values["person"], *_seat_constituency(values))
        where = f"{holder[1]} {_show(holder[2])}"
        if holder in untouched_open:
            errors.entry(
                entry,
                "status",
                f"{_show(values['person'])} already holds an open seat for {where} "
                "that this bundle does not change",
            )
        elif holder in first_open:
            errors.entry(
                entry,
                "status",
                f"second open seat for {_show(values['person'])} in {where} "
                f"(also seats[{first_open[holder]}])",
            )
        else:
            first_open[holder] = entry.index
    return [(entry, match_of.get(entry.index)) for entry in seats]


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def _assign(obj: models.Model, values: dict[str, Any]) -> set[str]:
    """Set the values on obj; the names of those that differed."""
    changed = set()
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.add(name)
    return changed


def _empty_registry() -> None:
    """--replace: remove the registry (not users, policy or snapshots), children first."""
    ports.bundle_meetings.get().delete_all(_writer)
    Handover.successors.through.objects.all().delete()
    _writer.delete(Handover)
    SocialAccount.managers.through.objects.all().delete()
    _writer.delete(SocialAccount)
    _writer.delete(Seat)
    Person.expertise.through.objects.all().delete()
    _writer.delete(Person)
    _writer.delete(StakeholderGroup)
    # Departments point at each other (PROTECT): one statement removes them
    # all, where the collector would refuse.
    _writer.delete(Department)
    ExpertiseTag.objects.all().delete()


def _write(plan: _Plan, registry: _Registry) -> tuple[ImportSummary, list[int]]:
    """Write the plan; the summary and the ids of the heads' users."""
    summary = ImportSummary()
    entries = {section: [e.values for e in plan.entries[section]] for section in SECTIONS}
    # Registered people are linked to their user here, the bundle's new people as they
    # are created (_write_people).
    head_users = plan.head_users.write(_writer)
    summary.users_created = len(plan.head_users.to_create)
    by_pk = {person.pk: person for person in registry.people.values()}
    for name, person_pk in plan.head_users.links.items():
        by_pk[person_pk].user_id = head_users[name]
    department_ids = _write_departments(
        entries["departments"], registry, head_users, summary.departments
    )
    group_ids = _write_groups(entries["stakeholder_groups"], registry, summary.stakeholder_groups)
    person_ids = _write_people(
        entries["people"], registry, department_ids, head_users, summary.people
    )
    _write_seats(plan.seat_matches, person_ids, department_ids, group_ids, summary.seats)
    _write_accounts(entries["accounts"], registry, department_ids, person_ids, summary.accounts)
    _write_meetings(entries["meetings"], person_ids, summary.meetings)
    return summary, list(head_users.values())


def _write_departments(
    rows: list[dict],
    registry: _Registry,
    head_users: dict[str, int],
    counts: SectionCounts,
) -> dict[str, int]:
    ids = {key: d.pk for key, d in registry.departments.items()}

    def model_values(row: dict) -> dict[str, Any]:
        return {
            "name": row["name"],
            "parent_id": ids[row["parent"]] if row["parent"] is not None else None,
            "kind": row["kind"],
            "function": row["function"],
            "headcount": row["headcount"],
            "customer_facing": row["customer_facing"],
            "influence": row["influence"],
            "interest": row["interest"],
            "head_id": head_users[row["head"]] if row["head"] is not None else None,
            "active": row["active"],
        }

    # New departments are created parents first, one statement per tree level,
    # so that each row is inserted with its parent (and its history is right).
    new_rows = {row["key"]: row for row in rows if row["key"] not in ids}
    for level in bulk.parents_first(new_rows, lambda row: row["parent"]):
        created = _writer.create(
            Department, [Department(key=row["key"], **model_values(row)) for row in level]
        )
        ids.update({d.key: d.pk for d in created})
    counts.created = len(new_rows)

    changed = []
    for row in rows:
        department = registry.departments.get(row["key"])
        if department is None:
            continue
        if names := _assign(department, model_values(row)):
            changed.append((department, names))
    _writer.update(Department, changed)
    counts.updated = len(changed)
    counts.unchanged = len(rows) - counts.created - counts.updated
    return ids


def _write_groups(rows: list[dict], registry: _Registry, counts: SectionCounts) -> dict[str, int]:
    ids = {key: g.pk for key, g in registry.groups.items()}
    new, changed = [], []
    for row in rows:
        group = registry.groups.get(row["key"])
        values = {"name": row["name"], "kind": row["kind"]}
        if group is None:
            new.append(StakeholderGroup(key=row["key"], **values))
        elif names := _assign(group, values):
            changed.append((group, names))
    ids.update({g.key: g.pk for g in _writer.create(StakeholderGroup, new)})
    _writer.update(StakeholderGroup, changed)
    _count(counts, rows, new, changed)
    return ids


def _count(counts: SectionCounts, rows: list, new: list, changed: list) -> None:
    counts.created, counts.updated = len(new), len(changed)
    counts.unchanged = len(rows) - len(new) - len(changed)


def _write_people(
    rows: list[dict],
    registry: _Registry,
    department_ids: dict[str, int],
    head_users: dict[str, int],
    counts: SectionCounts,
) -> dict[str, int]:
    ids = {email: p.pk for email, p in registry.people.items()}
    new, changed, changed_emails = [], [], set()
    for row in rows:
        email = row["email"]
        values = {
            "email": email,
            "name": row["name"],
            "title": row["title"],
            "seniority": row["seniority"],
            "department_id": department_ids[row["department"]] if row["department"] else None,
            "active": row["active"],
        }
        person = registry.people.get(email)
        if person is None:
            new.append(Person(user_id=head_users.get(email), **values))
            continue
        if names := _assign(person, values):
            changed.append((person, names))
            changed_emails.add(email)
    ids.update({p.email: p.pk for p in _writer.create(Person, new)})
    _writer.update(Person, changed)

    # Expertise: the bundle's list replaces the person's tags.
    tag_ids = {name: tag.pk for name, tag in registry.tags.items()}
    missing = sorted({t for row in rows for t in row["expertise"]} - set(tag_ids))
    created = ExpertiseTag.objects.bulk_create(
        [ExpertiseTag(name=name) for name in missing], batch_size=BATCH_SIZE
    )
    tag_ids.update({tag.name: tag.pk for tag in created})
    current: dict[int, dict[int, int]] = defaultdict(dict)  # person → tag → row id
    for row_id, person_id, tag_id in registry.person_tags:
        current[person_id][tag_id] = row_id
    retagged = bulk.replace_links(
        Person.expertise.through,
        owner="person",
        target="expertisetag",
        wanted={ids[row["email"]]: {tag_ids[name] for name in row["expertise"]} for row in rows},
        current=current,
    )
    changed_emails |= {email for email, p in registry.people.items() if p.pk in retagged}

    counts.created = len(new)
    counts.updated = len(changed_emails)
    counts.unchanged = len(rows) - counts.created - counts.updated
    return ids


def _write_seats(
    matches: list[tuple[_Entry, Seat | None]],
    person_ids: dict[str, int],
    department_ids: dict[str, int],
    group_ids: dict[str, int],
    counts: SectionCounts,
) -> None:
    new, changed = [], []
    for entry, seat in matches:
        row = entry.values
        values = {
            "person_id": person_ids[row["person"]],
            "department_id": department_ids[row["department"]] if row["department"] else None,
            "group_id": group_ids[row["group"]] if row["group"] else None,
            "role": row["role"],
            "status": row["status"],
            "term_start": row["term_start"],
            "term_end": row["term_end"],
        }
        if seat is None:
            new.append(
                Seat(
                    nominated_at=_midnight(row["nominated_at"]),
                    decided_at=_midnight(row["decided_at"]),
                    **values,
                )
            )
            continue
        names = _assign(seat, values)
        # Stored as date-times; only the date is in the bundle, so a seat whose
        # date already agrees keeps its time of day.
        for name in ("nominated_at", "decided_at"):
            if _local_date(getattr(seat, name)) != row[name]:
                setattr(seat, name, _midnight(row[name]))
                names.add(name)
        if names:
            changed.append((seat, names))
    # Seats that close are written first, then those that (re)open, then new
    # ones: at most one open seat per person and constituency holds after every
    # statement, not only at the end.
    _writer.update(Seat, [c for c in changed if c[0].status not in OPEN_SEAT_STATUSES])
    _writer.update(Seat, [c for c in changed if c[0].status in OPEN_SEAT_STATUSES])
    _writer.create(Seat, new)
    _count(counts, matches, new, changed)


def _write_accounts(
    rows: list[dict],
    registry: _Registry,
    department_ids: dict[str, int],
    person_ids: dict[str, int],
    counts: SectionCounts,
) -> None:
    new, changed, changed_keys, accounts = [], [], set(), {}
    for row in rows:
        key = (row["platform"], row["handle"].lower())
        values = {
            "platform": row["platform"],
            "handle": row["handle"],
            "url": row["url"],
            "owner_id": department_ids[row["owner"]] if row["owner"] else None,
            "status": row["status"],
            "followers": row["followers"],
            "last_post_at": row["last_post_at"],
            "purpose": row["purpose"],
        }
        account = registry.accounts.get(key)
        if account is None:
            account = SocialAccount(**values)
            new.append(account)
        elif names := _assign(account, values):
            changed.append((account, names))
            changed_keys.add(key)
        accounts[key] = account
    _writer.create(SocialAccount, new)
    _writer.update(SocialAccount, changed)

    # Managers: the bundle's list replaces the account's managers.
    current: dict[int, dict[int, int]] = defaultdict(dict)  # account → person → row id
    for row_id, account_id, person_id in registry.account_managers:
        current[account_id][person_id] = row_id
    wanted = {}
    for row in rows:
        account = accounts[(row["platform"], row["handle"].lower())]
        wanted[account.pk] = {person_ids[email] for email in row["managers"]}
    touched = bulk.replace_links(
        SocialAccount.managers.through,
        owner="socialaccount",
        target="person",
        wanted=wanted,
        current=current,
    )
    changed_keys |= {key for key, a in registry.accounts.items() if a.pk in touched}
    # One "~" history row per account whose managers changed, with its managers.
    _writer.account_history(updated=[a for a in accounts.values() if a.pk in touched])

    counts.created = len(new)
    counts.updated = len(changed_keys)
    counts.unchanged = len(rows) - counts.created - counts.updated


def _write_meetings(rows: list[dict], person_ids: dict[str, int], counts: SectionCounts) -> None:
    # Meetings are governance's: it stores them, in this transaction (stakeholders.ports).
    counts.created, counts.updated = ports.bundle_meetings.get().write(rows, person_ids, _writer)
    counts.unchanged = len(rows) - counts.created - counts.updated


# --------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _export() -> dict:
    # Sorted in Python, not by the database: PostgreSQL's collation may order
    # "a-b" and "ab" differently from SQLite, and the file must not depend on it.
    departments = sorted(
        Department.objects.values(
            "id",
            "key",
            "name",
            "parent_id",
            "kind",
            "function",
            "headcount",
            "customer_facing",
            "influence",
            "interest",
            "head_id",
            "head__email",
            "active",
        ),
        key=lambda d: d["key"],
    )
    department_key = {d["id"]: d["key"] for d in departments}
    groups = sorted(
        StakeholderGroup.objects.values("id", "key", "name", "kind"), key=lambda g: g["key"]
    )
    group_key = {g["id"]: g["key"] for g in groups}
    people = sorted(
        Person.objects.values(
            "id", "email", "name", "title", "seniority", "department_id", "active", "user_id"
        ),
        key=lambda p: p["email"].lower(),
    )
    email_of = {p["id"]: p["email"].lower() for p in people}
    email_of_user = {p["user_id"]: p["email"].lower() for p in people if p["user_id"]}
    tags: dict[int, list[str]] = defaultdict(list)
    for person_id, name in Person.expertise.through.objects.values_list(
        "person_id", "expertisetag__name"
    ):
        tags[person_id].append(name)

    known_emails = set(email_of.values())

    def head(department: dict) -> str | None:
        # The person linked to the head user, else the person with the user's
        # e-mail; a head who is no person cannot be written (see the docs).
        email = email_of_user.get(department["head_id"])
        if email is None and department["head__email"]:
            candidate = department["head__email"].lower()
            email = candidate if candidate in known_emails else None
        return email

    seats = list(
        Seat.objects.values(
            "id",
            "person_id",
            "department_id",
            "group_id",
            "role",
            "status",
            "nominated_at",
            "decided_at",
            "term_start",
            "term_end",
        )
    )
    seat_rows = []
    for seat in seats:
        nominated = _local_date(seat["nominated_at"])
        order = (
            email_of[seat["person_id"]],
            0 if seat["department_id"] else 1,
            department_key.get(seat["department_id"]) or group_key.get(seat["group_id"]),
            (nominated is not None, nominated or dt.date.min),
            seat["id"],
        )
        seat_rows.append(
            (
                order,
                {
                    "person": email_of[seat["person_id"]],
                    "department": department_key.get(seat["department_id"]),
                    "group": group_key.get(seat["group_id"]),
                    "role": seat["role"],
                    "status": seat["status"],
                    "nominated_at": _iso(nominated),
                    "decided_at": _iso(_local_date(seat["decided_at"])),
                    "term_start": _iso(seat["term_start"]),
                    "term_end": _iso(seat["term_end"]),
                },
            )
        )

    accounts = sorted(
        SocialAccount.objects.values(
            "id",
            "platform",
            "handle",
            "url",
            "owner_id",
            "status",
            "followers",
            "purpose",
            "last_post_at",
        ),
        key=lambda a: (a["platform"], a["handle"].lower()),
    )
    managers: dict[int, list[str]] = defaultdict(list)
    for account_id, person_id in SocialAccount.managers.through.objects.values_list(
        "socialaccount_id", "person_id"
    ):
        managers[account_id].append(email_of[person_id])

    return {
        "format": BUNDLE_FORMAT,
        "departments": [
            {
                "key": d["key"],
                "name": d["name"],
                "parent": department_key.get(d["parent_id"]),
                "kind": d["kind"],
                "function": d["function"],
                "headcount": d["headcount"],
                "customer_facing": d["customer_facing"],
                "influence": d["influence"],
                "interest": d["interest"],
                "head": head(d),
                "active": d["active"],
            }
            for d in departments
        ],
        "stakeholder_groups": [
            {"key": g["key"], "name": g["name"], "kind": g["kind"]} for g in groups
        ],
        "people": [
            {
                "email": p["email"].lower(),
                "name": p["name"],
                "title": p["title"],
                "seniority": p["seniority"],
                "department": department_key.get(p["department_id"]),
                "expertise": sorted(tags[p["id"]]),
                "active": p["active"],
            }
            for p in people
        ],
        "seats": [row for _, row in sorted(seat_rows, key=lambda r: r[0])],
        "accounts": [
            {
                "platform": a["platform"],
                "handle": a["handle"],
                "url": a["url"],
                "owner": department_key.get(a["owner_id"]),
                "status": a["status"],
                "followers": a["followers"],
                "purpose": a["purpose"],
                "last_post_at": _iso(a["last_post_at"]),
                "managers": sorted(managers[a["id"]]),
            }
            for a in accounts
        ],
        "meetings": ports.bundle_meetings.get().export(email_of),
    }
