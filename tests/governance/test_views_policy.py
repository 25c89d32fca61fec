"""The scoring policy pages: everyone signed in reads the rules, leads change them or
restore the defaults (with a confirmation step)."""

import pytest
from django.urls import reverse

from governance import services
from governance.models import POLICY_FIELDS, Policy

pytestmark = pytest.mark.django_db

DETAIL = reverse("governance:policy")
EDIT = reverse("governance:policy-edit")
RESET = reverse("governance:policy-reset")


def form_data(**changes) -> dict:
    """Every field of the form, as the browser posts it: today's values, with changes."""
    return {**Policy.defaults(), **changes}


def stored() -> dict:
    policy = Policy.load()
    return {name: getattr(policy, name) for name in POLICY_FIELDS}


# --- the page everyone reads ----------------------------------------------------------


def test_everyone_signed_in_reads_every_setting_with_its_help_and_the_formula(client_for, reader):
    response = client_for(reader).get(DETAIL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Scoring policy · Roundtable</title>" in content
    assert "How the score is computed" in content
    assert "score = 100 · Σ w<sub>i</sub>·c<sub>i</sub> / Σ w<sub>i</sub>" in content
    for name in POLICY_FIELDS:
        assert f'data-setting="{name}"' in content
    assert "Headcount per direct seat above which it is thin." in content
    for section in ("Weights", "Coverage and growth", "Balance", "Registry hygiene"):
        assert f">{section}</h2>" in content


def test_a_reader_is_not_offered_the_changes(client_for, reader):
    content = client_for(reader).get(DETAIL).content.decode()
    assert EDIT not in content
    assert RESET not in content


def test_a_lead_is_offered_to_change_the_policy_and_restore_the_defaults(client_for, lead):
    content = client_for(lead).get(DETAIL).content.decode()
    assert f'href="{EDIT}"' in content
    assert f'href="{RESET}"' in content


def test_a_changed_value_shows_its_default_next_to_it(client_for, lead, reader):
    services.policy_update(actor=lead, data={"stale_days": 21})
    content = client_for(reader).get(DETAIL).content.decode()
    row = content[content.index('data-setting="stale_days"') :]
    row = row[: row.index("</tr>")]
    assert ">21</span>" in row
    assert "default 14" in row
    assert content.count('data-testid="default"') == 1


def test_each_weight_shows_its_part_of_all_the_weights(client_for, reader):
    content = client_for(reader).get(DETAIL).content.decode()
    row = content[content.index('data-setting="weight_coverage"') :]
    assert "(30% of the weights)" in row[: row.index("</tr>")]


def test_the_policy_page_runs_a_fixed_number_of_queries(
    client_for, reader, django_assert_num_queries
):
    Policy.load()
    client = client_for(reader)
    # session, user, the policy row, lead check
    with django_assert_num_queries(4):
        assert client.get(DETAIL).status_code == 200


def test_the_dashboard_and_the_navigation_link_to_the_policy(client_for, reader, dept_a):
    services.snapshot_take()
    content = client_for(reader).get(reverse("governance:dashboard")).content.decode()
    assert f'href="{DETAIL}#how-the-score-is-computed"' in content
    assert 'href="/policy/"' in content


def test_the_dashboard_shows_each_weight_as_its_part_of_all_the_weights(
    client_for, lead, reader, dept_a
):
    weights = {name: 2.0 for name in POLICY_FIELDS if name.startswith("weight_")}
    services.policy_update(actor=lead, data={**weights, "weight_coverage": 4.0})
    services.snapshot_take()
    content = client_for(reader).get(reverse("governance:dashboard")).content.decode()
    row = content[content.index('data-component="coverage"') :]
    assert "weight 29%" in row[: row.index("</li>")]  # 4 of 14


def test_the_admin_policy_page_links_to_the_policy_page(client_for, admin_user):
    policy = Policy.load()
    url = reverse("admin:governance_policy_change", args=[policy.pk])
    content = client_for(admin_user).get(url).content.decode()
    assert f'href="{DETAIL}"' in content


# --- changing it ------------------------------------------------------------------------


def test_the_form_shows_the_current_values(client_for, lead):
    services.policy_update(actor=lead, data={"dormant_days": 120})
    response = client_for(lead).get(EDIT)
    assert response.status_code == 200
    assert response.context["form"]["dormant_days"].value() == 120


def test_lead_saves_the_policy_and_lands_on_its_page(client_for, lead):
    client = client_for(lead)
    response = client.post(EDIT, form_data(weight_voices="0.25", absence_limit="4"), follow=True)
    assert response.redirect_chain == [(DETAIL, 302)]
    assert "Saved the scoring policy." in response.content.decode()
    assert stored() == {**Policy.defaults(), "weight_voices": 0.25, "absence_limit": 4}
    assert Policy.history.order_by("-history_id").first().history_user == lead


def test_saving_the_same_values_says_nothing_changed(client_for, lead):
    response = client_for(lead).post(EDIT, form_data(), follow=True)
    assert "Nothing changed: the policy already had these values." in response.content.decode()
    assert Policy.history.count() == 1  # the row's creation


def test_a_saved_change_asks_for_a_recompute(
    client_for, lead, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(services, "_recompute_enqueue", lambda: calls.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        client_for(lead).post(EDIT, form_data(stale_days="10"))
    assert calls == [1]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"weight_balance": "-1"}, "weight_balance", "greater than or equal to 0"),
        ({"weight_voices": "5000"}, "weight_voices", "no larger than 1000"),
        (
            {name: "0" for name in POLICY_FIELDS if name.startswith("weight_")},
            "weight_coverage",
            "At least one weight must be above zero.",
        ),
        ({"senior_share": "1.2"}, "senior_share", "A share must be between 0 and 1."),
        ({"stale_days": "0"}, "stale_days", "greater than or equal to 1"),
        ({"people_per_seat": "many"}, "people_per_seat", "Enter a whole number."),
        ({"target_coverage": ""}, "target_coverage", "This field is required."),
    ],
)
def test_bad_input_is_shown_on_its_field_kept_in_the_form_and_nothing_is_saved(
    client_for, lead, changes, field, message
):
    Policy.load()
    response = client_for(lead).post(EDIT, form_data(recommendation_count="3", **changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    assert form[field].value() == changes[field]
    assert form["recommendation_count"].value() == "3"
    content = response.content.decode()
    assert message in content
    assert "Nothing was saved." in content
    assert stored() == Policy.defaults()


@pytest.mark.parametrize("persona", ["reader", "head_a"])
def test_only_leads_may_change_the_policy(persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, form_data(stale_days="2")).status_code == 403
    assert stored() == Policy.defaults()


def test_a_superuser_changes_the_policy_on_the_page_too(client_for, admin_user):
    response = client_for(admin_user).post(EDIT, form_data(stale_days="2"))
    assert response.status_code == 302
    assert stored()["stale_days"] == 2


def test_the_form_runs_a_fixed_number_of_queries(client_for, lead, django_assert_num_queries):
    Policy.load()
    client = client_for(lead)
    # session, user, lead check, the policy row
    with django_assert_num_queries(4):
        assert client.get(EDIT).status_code == 200


def test_saving_runs_a_fixed_number_of_queries(client_for, lead, django_assert_num_queries):
    Policy.load()
    client = client_for(lead)
    # session, user, lead check, the row; then the service's savepoint, locked row,
    # update, history row, registry generation, release (the message goes in a cookie)
    with django_assert_num_queries(10):
        assert client.post(EDIT, form_data(stale_days="3")).status_code == 302


# --- restoring the defaults ---------------------------------------------------------------


def test_restoring_asks_first_and_lists_what_goes_back(client_for, lead):
    services.policy_update(actor=lead, data={"stale_days": 21, "senior_share": 0.7})
    response = client_for(lead).get(RESET)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-setting="stale_days"' in content
    assert 'data-setting="senior_share"' in content
    assert 'data-setting="dormant_days"' not in content
    assert stored()["stale_days"] == 21


def test_restoring_an_unchanged_policy_says_it_changes_nothing(client_for, lead):
    client = client_for(lead)
    assert "already has its default value" in client.get(RESET).content.decode()
    response = client.post(RESET, follow=True)
    assert "Nothing changed: the policy already had its defaults." in response.content.decode()


def test_lead_restores_the_defaults(client_for, lead):
    services.policy_update(actor=lead, data={"stale_days": 21, "weight_voices": 0.9})
    response = client_for(lead).post(RESET, follow=True)
    assert response.redirect_chain == [(DETAIL, 302)]
    assert "Restored the default scoring policy." in response.content.decode()
    assert stored() == Policy.defaults()
    assert Policy.history.order_by("-history_id").first().history_user == lead


@pytest.mark.parametrize("persona", ["reader", "head_b"])
def test_only_leads_may_restore_the_defaults(persona, request, client_for, lead):
    services.policy_update(actor=lead, data={"stale_days": 21})
    client = client_for(request.getfixturevalue(persona))
    assert client.get(RESET).status_code == 403
    assert client.post(RESET).status_code == 403
    assert stored()["stale_days"] == 21


def test_the_confirmation_runs_a_fixed_number_of_queries(
    client_for, lead, django_assert_num_queries
):
    Policy.load()
    client = client_for(lead)
    # session, user, lead check, the policy row
    with django_assert_num_queries(4):
        assert client.get(RESET).status_code == 200
