"""Every field's rule (stakeholders.rules) gives the same verdict and stores the same
value through each entry point: the web form, the API, the org bundle and the
spreadsheet import. Each case sends one record with one or two fields set."""

import datetime as dt
import re

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from stakeholders import bundle, rules, spreadsheets
from stakeholders.models import Department, Person, SocialAccount
from tests.factories import PersonFactory, UserFactory
from tests.stakeholders.sheet_files import csv_upload

REFUSED = object()

# The smallest valid record of each kind, as text.
BASE = {
    "department": {"key": "ops", "name": "Ops"},
    "person": {"email": "ana@acme.test", "name": "Ana"},
    "account": {"platform": "x", "handle": "acme"},
}

# (kind, the fields sent, the field read back, the value stored or REFUSED)
CASES = [
    # keys (a new department's)
    ("department", {"key": "ops-emea_2"}, "key", "ops-emea_2"),
    ("department", {"key": "OPS"}, "key", REFUSED),
    ("department", {"key": "new"}, "key", REFUSED),
    ("department", {"key": "ops emea"}, "key", REFUSED),
    # names and lengths
    ("department", {"name": "  Ops team  "}, "name", "Ops team"),
    ("department", {"name": "x" * 200}, "name", "x" * 200),
    ("department", {"name": "x" * 201}, "name", REFUSED),
    ("person", {"name": "n" * 201}, "name", REFUSED),
    ("person", {"title": "t" * 201}, "title", REFUSED),
    # headcount
    ("department", {"headcount": "12"}, "headcount", 12),
    ("department", {"headcount": "0"}, "headcount", 0),
    ("department", {"headcount": "-1"}, "headcount", REFUSED),
    ("department", {"headcount": "1e3"}, "headcount", REFUSED),
    ("department", {"headcount": "1.5"}, "headcount", REFUSED),
    ("department", {"headcount": "1,000"}, "headcount", REFUSED),
    ("department", {"headcount": "2147483647"}, "headcount", 2_147_483_647),
    ("department", {"headcount": "2147483648"}, "headcount", REFUSED),
    # influence and interest: 1 to 5
    ("department", {"influence": "5"}, "influence", 5),
    ("department", {"influence": "0"}, "influence", REFUSED),
    ("department", {"influence": "6"}, "influence", REFUSED),
    ("department", {"interest": "1"}, "interest", 1),
    ("department", {"interest": "9"}, "interest", REFUSED),
    # enums
    ("department", {"kind": "team"}, "kind", "team"),
    ("department", {"kind": "division"}, "kind", REFUSED),
    ("department", {"function": "astrology"}, "function", REFUSED),
    ("person", {"seniority": "manager"}, "seniority", "manager"),
    ("person", {"seniority": "intern"}, "seniority", REFUSED),
    ("account", {"platform": "myspace"}, "platform", REFUSED),
    ("account", {"status": "deleted"}, "status", REFUSED),
    ("account", {"purpose": "memes"}, "purpose", REFUSED),
    # e-mails: stored in lower case, spaces around dropped, spaces inside refused
    ("person", {"email": "Ana.Ruiz@ACME.test"}, "email", "ana.ruiz@acme.test"),
    ("person", {"email": "  ana@acme.test  "}, "email", "ana@acme.test"),
    ("person", {"email": "ana @acme.test"}, "email", REFUSED),
    ("person", {"email": "ana@"}, "email", REFUSED),
    # expertise tags: lower case, spaces as hyphens, + and # kept
    ("person", {"expertise": "C++, C#"}, "expertise", ["c#", "c++"]),
    ("person", {"expertise": "Crisis Response, .NET"}, "expertise", [".net", "crisis-response"]),
    ("person", {"expertise": "community, Community"}, "expertise", ["community"]),
    ("person", {"expertise": "paid/social"}, "expertise", REFUSED),
    ("person", {"expertise": "t" * 65}, "expertise", REFUSED),
    ("person", {"expertise": "++"}, "expertise", REFUSED),
    # handles, per platform
    ("account", {"handle": "@acme"}, "handle", "acme"),
    ("account", {"handle": "@@Acme_Help"}, "handle", "Acme_Help"),
    ("account", {"handle": "@"}, "handle", REFUSED),
    ("account", {"handle": "ac me"}, "handle", REFUSED),
    ("account", {"handle": "ac@me"}, "handle", REFUSED),
    ("account", {"handle": "acme-help"}, "handle", REFUSED),
    ("account", {"platform": "facebook", "handle": "acme_help"}, "handle", REFUSED),
    ("account", {"platform": "instagram", "handle": "acme.shop"}, "handle", "acme.shop"),
    (
        "account",
        {"platform": "mastodon", "handle": "@acme@mastodon.social"},
        "handle",
        "acme@mastodon.social",
    ),
    (
        "account",
        {"platform": "bluesky", "handle": "acme.bsky.social"},
        "handle",
        "acme.bsky.social",
    ),
    ("account", {"platform": "linkedin", "handle": "acme/jobs"}, "handle", REFUSED),
    # followers
    ("account", {"followers": "5400"}, "followers", 5400),
    ("account", {"followers": "-5"}, "followers", REFUSED),
    ("account", {"followers": "1e3"}, "followers", REFUSED),
    # addresses
    ("account", {"url": "https://x.com/acme"}, "url", "https://x.com/acme"),
    ("account", {"url": "x.com/acme"}, "url", REFUSED),
    # dates: YYYY-MM-DD only
    ("account", {"last_post_at": "2026-11-20"}, "last_post_at", dt.date(2026, 11, 20)),
    ("account", {"last_post_at": "2026-02-30"}, "last_post_at", REFUSED),
    ("account", {"last_post_at": "20/11/2026"}, "last_post_at", REFUSED),
    ("account", {"last_post_at": "2026-1-5"}, "last_post_at", REFUSED),
    ("account", {"last_post_at": "20261120"}, "last_post_at", REFUSED),
]

NUMBERS = {"headcount", "influence", "interest", "followers"}


def as_json(name: str, text: str):
    """The JSON value an API client or a bundle would send for the text of a field."""
    if name in NUMBERS and re.fullmatch(r"-?\d+", text):
        return int(text)
    if name == "expertise":
        return [tag.strip() for tag in text.split(",")]
    return text


# --- the four entry points; each returns the messages of a refusal ([] when accepted) ---

WEB = {
    "department": (
        "/departments/new/",
        {"kind": "function", "function": "other", "headcount": "0"}
        | {"influence": "3", "interest": "3"},
    ),
    "person": ("/people/new/", {}),
    "account": ("/social/add/", {"status": "active", "purpose": "other", "followers": "0"}),
}


def via_web(client, lead, kind, fields):
    client.force_login(lead)
    url, defaults = WEB[kind]
    response = client.post(url, defaults | BASE[kind] | fields)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        return []
    return [m for errors in response.context["form"].errors.values() for m in errors]


API = {"department": "/api/departments/", "person": "/api/people/", "account": "/api/accounts/"}


def via_api(client, lead, kind, fields):
    api = APIClient()
    token, _ = Token.objects.get_or_create(user=lead)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    body = {name: as_json(name, text) for name, text in (BASE[kind] | fields).items()}
    response = api.post(API[kind], body, format="json")
    assert response.status_code in (201, 400), response.content
    return [] if response.status_code == 201 else [str(response.json())]


SECTIONS = {"department": "departments", "person": "people", "account": "accounts"}


def via_bundle(client, lead, kind, fields):
    entry = {name: as_json(name, text) for name, text in (BASE[kind] | fields).items()}
    try:
        bundle.import_bundle({"format": bundle.BUNDLE_FORMAT, SECTIONS[kind]: [entry]})
    except bundle.BundleError as error:
        return error.errors
    return []


def via_spreadsheet(client, lead, kind, fields):
    record = BASE[kind] | fields
    upload = csv_upload([list(record), list(record.values())])
    batch = spreadsheets.batch_create(kind=SECTIONS[kind], upload=upload, user=lead)
    if batch.problems:
        return [p["message"] for p in batch.problems]
    assert spreadsheets.batch_apply(batch_id=batch.pk, user=lead).ok
    return []


ENTRY_POINTS = {"web": via_web, "api": via_api, "bundle": via_bundle, "sheet": via_spreadsheet}
MODELS = {"department": Department, "person": Person, "account": SocialAccount}


def stored(kind: str, name: str) -> list:
    records = list(MODELS[kind].objects.all())
    if name == "expertise":
        return [sorted(tag.name for tag in record.expertise.all()) for record in records]
    return [getattr(record, name) for record in records]


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize(
    ("kind", "fields", "name", "expected"),
    CASES,
    ids=[f"{kind}-{name}={fields[name][:20]!r}" for kind, fields, name, _ in CASES],
)
def test_every_entry_point_gives_the_same_verdict_and_stores_the_same_value(
    client, lead, entry, kind, fields, name, expected
):
    messages = ENTRY_POINTS[entry](client, lead, kind, fields)
    if expected is REFUSED:
        assert messages, f"accepted: {stored(kind, name)}"
        assert stored(kind, name) == []
    else:
        assert messages == []
        assert stored(kind, name) == [expected]


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_refusal_names_the_field_with_the_rules_message(client, lead, entry):
    messages = ENTRY_POINTS[entry](client, lead, "person", {"expertise": "community, paid/social"})
    expected = "The tag “paid/social” may hold letters, digits, spaces and - _ + # . only."
    assert any(expected in message for message in messages), messages


def test_the_rules_lengths_are_the_columns():
    assert Department._meta.get_field("name").max_length == rules.NAME_MAX_LENGTH
    assert Person._meta.get_field("email").max_length == rules.EMAIL_MAX_LENGTH
    assert SocialAccount._meta.get_field("handle").max_length == rules.HANDLE_MAX_LENGTH
    assert SocialAccount._meta.get_field("url").max_length == rules.URL_MAX_LENGTH
    assert Person.expertise.field.related_model._meta.get_field("name").max_length == (
        rules.TAG_MAX_LENGTH
    )


# --- the head of a department: one resolution (stakeholders.heads) ----------------------


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_entry_point_refuses_a_head_whose_user_is_linked_to_another_person(
    client, lead, entry
):
    user = UserFactory(username="ana@acme.test", password=None)
    PersonFactory(email="other@acme.test", user=user, department=None)
    ana = PersonFactory(email="ana@acme.test", user=None, department=None)

    messages = ENTRY_POINTS[entry](client, lead, "department", {"head": "ana@acme.test"})

    expected = "user ana@acme.test is already linked to person other@acme.test"
    assert any(expected in message for message in messages), messages
    assert not Department.objects.exists()
    ana.refresh_from_db()
    assert ana.user is None


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_entry_point_gives_a_registered_person_named_head_a_linked_user(
    client, lead, entry, mailoutbox, django_capture_on_commit_callbacks
):
    zoe = PersonFactory(email="Zoe@Acme.test", user=None, department=None)

    with django_capture_on_commit_callbacks(execute=True):
        messages = ENTRY_POINTS[entry](client, lead, "department", {"head": "zoe@acme.test"})

    assert messages == []
    zoe.refresh_from_db()
    assert Department.objects.get().head == zoe.user
    assert zoe.user.username == "zoe@acme.test"
    assert not zoe.user.has_usable_password()
    # Invited once the write committed (a bundle from the command line too).
    assert [m.to for m in mailoutbox] == [["zoe@acme.test"]]
