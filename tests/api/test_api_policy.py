"""/api/policy/: everyone signed in reads the scoring policy; COE leads change it through
the same service as the web page (governance.services.policy_update)."""

import pytest

from governance import services
from governance.models import POLICY_FIELDS, Policy

pytestmark = pytest.mark.django_db

URL = "/api/policy/"


def stored() -> dict:
    policy = Policy.load()
    return {name: getattr(policy, name) for name in POLICY_FIELDS}


def test_everyone_signed_in_reads_every_setting(api_for, reader):
    response = api_for(reader).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert {name: body[name] for name in POLICY_FIELDS} == Policy.defaults()
    assert "updated_at" in body


def test_reading_the_policy_runs_a_fixed_number_of_queries(
    api_for, reader, django_assert_num_queries
):
    Policy.load()
    client = api_for(reader)
    # the token with its user, the policy row
    with django_assert_num_queries(2):
        assert client.get(URL).status_code == 200


def test_a_lead_patches_some_settings_and_the_others_keep_their_values(api_for, lead):
    response = api_for(lead).patch(URL, {"weight_voices": 0.4, "stale_days": 21}, format="json")
    assert response.status_code == 200
    assert (response.json()["weight_voices"], response.json()["stale_days"]) == (0.4, 21)
    assert stored() == {**Policy.defaults(), "weight_voices": 0.4, "stale_days": 21}
    assert Policy.history.order_by("-history_id").first().history_user == lead


def test_a_lead_puts_the_whole_policy(api_for, lead):
    body = {**Policy.defaults(), "senior_share": 0.7, "recommendation_count": 5}
    response = api_for(lead).put(URL, body, format="json")
    assert response.status_code == 200
    assert stored() == {**Policy.defaults(), "senior_share": 0.7, "recommendation_count": 5}


def test_a_put_must_send_every_setting(api_for, lead):
    response = api_for(lead).put(URL, {"stale_days": 3}, format="json")
    assert response.status_code == 400
    assert response.json()["dormant_days"] == ["This field is required."]
    assert stored() == Policy.defaults()


def test_a_change_asks_for_a_recompute(
    api_for, lead, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(services, "_recompute_enqueue", lambda: calls.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        api_for(lead).patch(URL, {"absence_limit": 5}, format="json")
    assert calls == [1]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"weight_balance": -1}, "weight_balance", "greater than or equal to 0"),
        ({"weight_voices": 1e6}, "weight_voices", "no larger than 1000"),
        (
            dict.fromkeys((n for n in POLICY_FIELDS if n.startswith("weight_")), 0),
            "weight_coverage",
            "At least one weight must be above zero.",
        ),
        ({"inherited_credit": 2}, "inherited_credit", "A share must be between 0 and 1."),
        ({"stale_days": 0}, "stale_days", "greater than or equal to 1"),
        ({"stale_days": "soon"}, "stale_days", "A valid integer is required."),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_saved(
    api_for, lead, body, field, message
):
    response = api_for(lead).patch(URL, body, format="json")
    assert response.status_code == 400
    assert any(message in error for error in response.json()[field])
    assert stored() == Policy.defaults()


@pytest.mark.parametrize("persona", ["reader", "head_a"])
def test_others_get_a_403_and_nothing_changes(persona, request, api_for):
    response = api_for(request.getfixturevalue(persona)).patch(
        URL, {"stale_days": 2}, format="json"
    )
    assert response.status_code == 403
    assert stored() == Policy.defaults()


def test_updated_at_cannot_be_written(api_for, lead):
    response = api_for(lead).patch(URL, {"updated_at": "2020-01-01T00:00:00Z"}, format="json")
    assert response.status_code == 200
    assert response.json()["updated_at"] != "2020-01-01T00:00:00Z"
