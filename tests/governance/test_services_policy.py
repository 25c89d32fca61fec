"""policy_update and policy_reset: the scoring policy's writes, checked by Policy.clean."""

import math

import pytest
from django.core.exceptions import ValidationError

from governance import services
from governance.models import POLICY_FIELDS, Policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def recomputes(monkeypatch, django_capture_on_commit_callbacks):
    """The recompute requests made by the writes run inside `with recomputes() as calls:`."""
    import contextlib

    calls = []
    monkeypatch.setattr(services, "_recompute_enqueue", lambda: calls.append(1))

    @contextlib.contextmanager
    def capture():
        calls.clear()
        with django_capture_on_commit_callbacks(execute=True):
            yield calls

    return capture


def stored() -> dict:
    policy = Policy.load()
    return {name: getattr(policy, name) for name in POLICY_FIELDS}


# --- policy_update ------------------------------------------------------------------


def test_lead_changes_some_settings_and_the_others_keep_their_values(lead):
    policy = services.policy_update(
        actor=lead, data={"weight_voices": 0.4, "stale_days": 21, "senior_share": 0.5}
    )
    assert (policy.weight_voices, policy.stale_days, policy.senior_share) == (0.4, 21, 0.5)
    assert stored() == {
        **Policy.defaults(),
        "weight_voices": 0.4,
        "stale_days": 21,
        "senior_share": 0.5,
    }


def test_the_change_is_kept_in_the_history_with_its_author(lead):
    Policy.load()
    services.policy_update(actor=lead, data={"dormant_days": 120})
    latest = Policy.history.order_by("-history_id").first()
    assert (latest.history_user, latest.dormant_days) == (lead, 120)


def test_a_superuser_changes_the_policy_too(admin_user):
    services.policy_update(actor=admin_user, data={"recommendation_count": 5})
    assert stored()["recommendation_count"] == 5


@pytest.mark.parametrize("persona", ["reader", "head_a"])
def test_only_leads_change_the_policy(persona, request):
    with pytest.raises(ValidationError, match="Only COE leads change the scoring policy"):
        services.policy_update(actor=request.getfixturevalue(persona), data={"stale_days": 2})
    assert stored() == Policy.defaults()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"weight_balance": -0.1}, "weight_balance", "A weight cannot be negative."),
        (
            {"weight_voices": 1001},
            "weight_voices",
            "A weight must be a number no larger than 1000.",
        ),
        (
            {"weight_voices": math.inf},
            "weight_voices",
            "A weight must be a number no larger than 1000.",
        ),
        (
            {"weight_voices": math.nan},
            "weight_voices",
            "A weight must be a number no larger than 1000.",
        ),
        (
            dict.fromkeys(
                (
                    "weight_coverage",
                    "weight_footprint",
                    "weight_balance",
                    "weight_seniority_mix",
                    "weight_voices",
                    "weight_participation",
                ),
                0,
            ),
            "weight_coverage",
            "At least one weight must be above zero.",
        ),
        ({"inherited_credit": 1.5}, "inherited_credit", "A share must be between 0 and 1."),
        ({"clubhouse_share": -0.01}, "clubhouse_share", "A share must be between 0 and 1."),
        ({"target_coverage": math.nan}, "target_coverage", "A share must be between 0 and 1."),
        ({"stale_days": 0}, "stale_days", "Must be at least 1."),
        ({"participation_window": 0}, "participation_window", "Must be at least 1."),
        ({"absence_limit": "three"}, "absence_limit", "“three” value must be an integer."),
        ({"senior_share": None}, "senior_share", "This field cannot be null."),
    ],
)
def test_a_value_breaking_a_rule_is_refused_on_its_field_and_nothing_is_saved(
    lead, recomputes, data, field, message
):
    Policy.load()
    with recomputes() as calls, pytest.raises(ValidationError) as error:
        services.policy_update(actor=lead, data={"stale_days": 30, **data})
    assert message in error.value.message_dict[field]
    assert stored() == Policy.defaults()
    assert Policy.history.count() == 1  # the row's creation
    assert calls == []


def test_every_broken_rule_is_reported_at_once(lead):
    with pytest.raises(ValidationError) as error:
        services.policy_update(
            actor=lead, data={"weight_balance": -1, "senior_share": 2, "dormant_days": 0}
        )
    assert set(error.value.message_dict) == {"weight_balance", "senior_share", "dormant_days"}


def test_a_setting_the_policy_does_not_have_is_refused(lead):
    with pytest.raises(ValidationError, match="Not a policy setting: id, updated_at."):
        services.policy_update(actor=lead, data={"id": 2, "updated_at": None, "stale_days": 3})
    assert stored() == Policy.defaults()


def test_a_change_asks_for_one_recompute_of_the_score(lead, recomputes):
    with recomputes() as calls:
        services.policy_update(actor=lead, data={"weight_coverage": 0.5, "weight_voices": 0.2})
    assert calls == [1]


def test_saving_the_values_the_policy_already_has_writes_nothing(lead, recomputes):
    Policy.load()
    with recomputes() as calls:
        services.policy_update(actor=lead, data=Policy.defaults())
    assert Policy.history.count() == 1  # the row's creation
    assert calls == []


def test_policy_update_runs_a_fixed_number_of_queries(lead, django_assert_num_queries):
    Policy.load()
    lead.is_coe_lead  # noqa: B018 - the role is cached on the user, as in a request
    # savepoint, the locked row, its update, its history row, the registry generation,
    # release the savepoint
    with django_assert_num_queries(6):
        services.policy_update(actor=lead, data={"stale_days": 7, "weight_voices": 0.3})


# --- policy_reset -------------------------------------------------------------------


def test_lead_restores_every_default_with_history_and_a_recompute(lead, recomputes):
    with recomputes():
        services.policy_update(actor=lead, data={"stale_days": 7, "inherited_credit": 0.25})
    with recomputes() as calls:
        policy = services.policy_reset(actor=lead)
    assert stored() == Policy.defaults()
    assert (policy.stale_days, policy.inherited_credit) == (14, 0.5)
    latest = Policy.history.order_by("-history_id").first()
    assert (latest.history_user, latest.stale_days) == (lead, 14)
    assert calls == [1]


def test_only_leads_restore_the_defaults(lead, reader):
    services.policy_update(actor=lead, data={"stale_days": 7})
    with pytest.raises(ValidationError, match="Only COE leads"):
        services.policy_reset(actor=reader)
    assert stored()["stale_days"] == 7


def test_a_policy_never_stored_is_created_then_changed(lead):
    assert not Policy.objects.exists()
    services.policy_update(actor=lead, data={"stale_days": 9})
    assert stored()["stale_days"] == 9


def test_the_defaults_are_the_design_values():
    defaults = Policy.defaults()
    assert defaults["weight_coverage"] == 0.30
    assert defaults["inherited_credit"] == 0.5
    assert defaults["recommendation_count"] == 10
    assert set(defaults) == set(POLICY_FIELDS)
