"""One rule for a new department or stakeholder-group key (stakeholders.rules), with the
same verdict and the same stored value through every entry point: the web form, the
API, the org bundle and the spreadsheet import."""

import re

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from stakeholders import bundle, rules, spreadsheets
from stakeholders.models import Department, StakeholderGroup
from stakeholders.urls import urlpatterns
from tests.factories import DepartmentFactory, StakeholderGroupFactory
from tests.stakeholders.sheet_files import csv_upload

LOWER = "A key is written in lower case"
RESERVED = "is reserved; choose another"
TAKEN = "is already taken by another"

# key → None when accepted (stored as it is), else a piece of the rule's message.
CASES = [
    ("mkt", None),
    ("social-emea_2", None),
    ("MKT", LOWER),
    ("Mkt", LOWER),
    ("new", RESERVED),
    ("edit", RESERVED),
    ("nominate", RESERVED),
    ("export", RESERVED),
    ("archive", RESERVED),
    ("social emea", "letters, digits, - and _"),
    ("x" * 65, "at most 64"),
]


@pytest.mark.parametrize(("key", "expected"), [*CASES, ("", "Enter the department's key.")])
def test_the_rule_judges_a_key(key, expected):
    problem = rules.key_problem(key)
    assert (problem is None) if expected is None else (expected in problem)


def test_a_key_differing_only_in_case_from_a_registered_one_is_taken():
    assert (
        rules.key_taken("mkt", ["MKT"]) == "The key 'MKT' is already taken by another department."
    )
    assert rules.key_taken("mkt", ["sales"]) is None


def test_every_word_used_as_a_sub_path_of_departments_and_groups_is_reserved():
    words = set()
    for pattern in urlpatterns:
        path = str(pattern.pattern).lstrip("^")
        if path.startswith(("departments/", "groups/")):
            segments = path.split("/")[1:]
            words |= {m.group() for s in segments if (m := re.match(r"[a-z][a-z_-]*", s))}
    assert words, "no sub-paths found: the URL patterns changed shape"
    assert words <= rules.RESERVED_KEYS


# --- the four entry points: each returns (stored key or None, messages) ------------------


def via_web(client, lead, key, model):
    client.force_login(lead)
    if model is Department:
        data = {"key": key, "name": "N", "kind": "team", "function": "other"}
        data |= {"headcount": "0", "influence": "3", "interest": "3"}
        response = client.post("/departments/new/", data)
    else:
        response = client.post("/groups/new/", {"key": key, "name": "N", "kind": "other"})
    assert response.status_code in (200, 302)
    errors = response.context["form"].errors.get("key", []) if response.status_code == 200 else []
    return errors


def via_api(client, lead, key, model):
    api = APIClient()
    token, _ = Token.objects.get_or_create(user=lead)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = "/api/departments/" if model is Department else "/api/groups/"
    response = api.post(url, {"key": key, "name": "N"}, format="json")
    assert response.status_code in (201, 400)
    return response.json().get("key", []) if response.status_code == 400 else []


def via_bundle(client, lead, key, model):
    section = "departments" if model is Department else "stakeholder_groups"
    try:
        bundle.import_bundle({"format": bundle.BUNDLE_FORMAT, section: [{"key": key, "name": "N"}]})
    except bundle.BundleError as error:
        return error.errors
    return []


def via_spreadsheet(client, lead, key, model):
    upload = csv_upload([["key", "name"], [key, "N"]])
    batch = spreadsheets.batch_create(kind="departments", upload=upload, user=lead)
    if batch.problems:
        return [p["message"] for p in batch.problems]
    assert spreadsheets.batch_apply(batch_id=batch.pk, user=lead).ok
    return []


ENTRY_POINTS = {"web": via_web, "api": via_api, "bundle": via_bundle, "sheet": via_spreadsheet}
MODELS = [
    (Department, entry) for entry in ENTRY_POINTS
] + [  # stakeholder groups are not imported from spreadsheets
    (StakeholderGroup, entry) for entry in ("web", "api", "bundle")
]


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "entry"), MODELS)
@pytest.mark.parametrize(("key", "expected"), CASES)
def test_every_entry_point_gives_the_same_verdict_and_stores_the_same_key(
    client, lead, model, entry, key, expected
):
    messages = ENTRY_POINTS[entry](client, lead, key, model)
    stored = list(model.objects.values_list("key", flat=True))
    if expected is None:
        assert messages == []
        assert stored == [key]
    else:
        assert stored == []
        assert any(expected in message for message in messages), messages


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_entry_point_refuses_a_key_next_to_one_differing_only_in_case(client, lead, entry):
    DepartmentFactory(key="MKT")  # registered before keys had to be lower case
    messages = ENTRY_POINTS[entry](client, lead, "mkt", Department)
    assert any("The key 'MKT' is already taken" in message for message in messages), messages
    assert list(Department.objects.values_list("key", flat=True)) == ["MKT"]


@pytest.mark.django_db
def test_a_key_registered_before_the_rule_still_updates_from_a_bundle_and_a_sheet(lead):
    DepartmentFactory(key="MKT", name="Old")
    StakeholderGroupFactory(key="CAP", name="Old")
    bundle.import_bundle(
        {
            "format": bundle.BUNDLE_FORMAT,
            "departments": [{"key": "MKT", "name": "Marketing"}],
            "stakeholder_groups": [{"key": "CAP", "name": "Panel"}],
        }
    )
    upload = csv_upload([["key", "name"], ["MKT", "Marketing again"]])
    batch = spreadsheets.batch_create(kind="departments", upload=upload, user=lead)
    assert batch.problems == []
    assert spreadsheets.batch_apply(batch_id=batch.pk, user=lead).ok
    assert Department.objects.get().name == "Marketing again"
    assert StakeholderGroup.objects.get().name == "Panel"


# --- the rules of the other fields (pure: no database) ----------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("C++", "c++"),
        (" C# ", "c#"),
        (".NET", ".net"),
        ("Crisis   Response", "crisis-response"),
        ("relações-públicas", "relações-públicas"),
    ],
)
def test_a_tag_is_lower_case_with_hyphens_and_keeps_its_signs(raw, stored):
    assert rules.clean_tag(raw) == stored


@pytest.mark.parametrize("raw", ["paid/social", "++", "#", "", "a" * 65, "50%"])
def test_a_tag_with_other_signs_or_no_letter_is_refused(raw):
    with pytest.raises(rules.Invalid):
        rules.clean_tag(raw)


def test_repeated_tags_are_dropped_and_a_person_has_at_most_fifty():
    assert rules.clean_tags(["SEO", "seo", "Video"]) == ["seo", "video"]
    with pytest.raises(rules.Invalid, match="at most 50 tags"):
        rules.clean_tags([f"t{n}" for n in range(51)])


@pytest.mark.parametrize(
    ("platform", "raw", "stored"),
    [
        ("x", "@Acme_Help", "Acme_Help"),
        ("mastodon", "@acme@mastodon.social", "acme@mastodon.social"),
        ("bluesky", "acme.bsky.social", "acme.bsky.social"),
        ("linkedin", "acme-corp", "acme-corp"),
        ("other", "@whatever.example", "whatever.example"),
    ],
)
def test_a_handle_loses_its_at_and_follows_its_platform(platform, raw, stored):
    assert rules.clean_handle(raw, platform=platform) == stored


@pytest.mark.parametrize(
    ("platform", "raw"),
    [("x", "acme-help"), ("x", "ac me"), ("instagram", "acme-shop"), ("other", "a/b"), ("x", "@")],
)
def test_a_handle_with_signs_its_platform_refuses_is_refused(platform, raw):
    with pytest.raises(rules.Invalid):
        rules.clean_handle(raw, platform=platform)


@pytest.mark.parametrize(("text", "number"), [("12", 12), (" 12.0 ", 12), ("-3", -3)])
def test_a_whole_number_is_read_from_digits(text, number):
    assert rules.whole_number(text) == number


@pytest.mark.parametrize("text", ["1e3", "1,000", "1_000", "1.5", "", "twelve", "9" * 41])
def test_anything_else_is_not_a_whole_number(text):
    with pytest.raises(rules.Invalid, match="is not a whole number"):
        rules.whole_number(text)


@pytest.mark.parametrize("text", ["2026-02-30", "20/11/2026", "2026-1-5", "20261120"])
def test_a_date_is_written_yyyy_mm_dd(text):
    assert rules.iso_date("2026-11-20").isoformat() == "2026-11-20"
    with pytest.raises(rules.Invalid, match="use YYYY-MM-DD"):
        rules.iso_date(text)


def test_an_e_mail_is_trimmed_and_lower_cased_and_a_space_inside_refuses_it():
    assert rules.clean_email("  Ana@ACME.test ") == "ana@acme.test"
    with pytest.raises(rules.Invalid, match="is not an e-mail address"):
        rules.clean_email("ana @acme.test")
