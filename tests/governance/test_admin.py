"""The governance Django admin: the policy singleton, meetings with attendance, snapshots."""

import datetime

import pytest
from django.urls import reverse

from governance.admin import PolicyAdmin
from governance.models import Digest, Meeting, Policy, Snapshot
from tests.factories import AttendanceFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Rows here come with many users; PBKDF2 would make hashing their password the slow part.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def meeting(day: int = 0) -> Meeting:
    # Not MeetingFactory: each call moves its date sequence, shared by the whole run,
    # and other tests' meetings would then fall after their as-of date.
    return Meeting.objects.create(
        date=datetime.date(2026, 1, 5) + datetime.timedelta(days=day), title="COE monthly"
    )


def changelist(model: str) -> str:
    return reverse(f"admin:governance_{model}_changelist")


def policy_form(**changes) -> dict:
    """Every field of the policy form at its default, with `changes`."""
    fields = [f.name for f in Policy._meta.fields if f.name not in ("id", "updated_at")]
    defaults = Policy()
    return {name: changes.get(name, getattr(defaults, name)) for name in fields}


# --- Change lists -------------------------------------------------------------------


def build_meetings(n: int) -> None:
    for day in range(n):
        held = meeting(day)
        AttendanceFactory(meeting=held, present=True)
        AttendanceFactory(meeting=held, present=False)


def build_attendance(n: int) -> None:
    meetings = [meeting(0), meeting(1)]
    for i in range(n):
        AttendanceFactory(meeting=meetings[i % 2])


def build_snapshots(n: int) -> None:
    for i in range(n):
        Snapshot.objects.create(
            as_of=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
            score=30.0 + i,
            grade="clubhouse",
            org_model="hub_and_spoke",
            fingerprint=f"f{i}",
        )


def build_digests(n: int) -> None:
    for i in range(n):
        Digest.objects.create(period=f"2026-W{i + 1:02d}", recipients=["lead@acme.test"])


CHANGE_LISTS = {
    # model: (builder, queries: session, user, COUNT(*) twice, the policy's "can
    # add" for the sidebar, the rows, plus date hierarchy and filter lookups)
    "meeting": (build_meetings, 8),
    "attendance": (build_attendance, 9),
    "snapshot": (build_snapshots, 10),
    "digest": (build_digests, 8),
}


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("model", CHANGE_LISTS)
def test_change_list_query_count_does_not_grow_with_rows(
    model, size, admin_user, client_for, django_assert_num_queries
):
    build, queries = CHANGE_LISTS[model]
    build(size)
    client = client_for(admin_user)

    with django_assert_num_queries(queries):
        response = client.get(changelist(model))

    assert response.status_code == 200
    assert response.context["cl"].result_count == size


def test_meeting_change_list_counts_who_was_present(admin_user, client_for):
    build_meetings(1)

    response = client_for(admin_user).get(changelist("meeting"))

    [meeting] = response.context["cl"].result_list
    assert (meeting.present_count, meeting.recorded_count) == (1, 2)


@pytest.mark.parametrize("rows", [3, 30])
def test_meeting_change_form_with_attendance_costs_the_same_queries_for_any_size(
    rows, admin_user, client_for, django_assert_num_queries
):
    held = meeting()
    for _ in range(rows):
        AttendanceFactory(meeting=held)
    client = client_for(admin_user)
    url = reverse("admin:governance_meeting_change", args=[held.pk])
    client.get(url)  # warm the process-wide caches (content types) that the count would vary by

    with django_assert_num_queries(5):
        response = client.get(url)

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.initial_form_count() == rows


def test_meeting_change_form_shows_each_attendee_selected(admin_user, client_for):
    held = meeting()
    person = PersonFactory(name="Ana Ruiz", email="ana@acme.test")
    AttendanceFactory(meeting=held, person=person)

    html = (
        client_for(admin_user)
        .get(reverse("admin:governance_meeting_change", args=[held.pk]))
        .content.decode()
    )

    assert f'<option value="{person.pk}" selected>Ana Ruiz &lt;ana@acme.test&gt;</option>' in html


def test_attendance_can_be_recorded_inline_on_the_meeting(admin_user, client_for):
    held = meeting()
    person = PersonFactory()
    prefix = "attendance"

    response = client_for(admin_user).post(
        reverse("admin:governance_meeting_change", args=[held.pk]),
        {
            "date": held.date.isoformat(),
            "title": held.title,
            "notes": "",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-person": person.pk,
            f"{prefix}-0-present": "on",
        },
    )

    assert response.status_code == 302
    assert held.attendance.get().person == person


@pytest.mark.parametrize("model", [*CHANGE_LISTS, "policy"])
def test_non_staff_user_is_sent_to_the_admin_login(model, lead, client_for):
    response = client_for(lead).get(changelist(model))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# --- Policy: a singleton ----------------------------------------------------------------


def test_policy_change_list_goes_to_the_single_row_creating_it(admin_user, client_for):
    response = client_for(admin_user).get(changelist("policy"))

    assert response.status_code == 302
    assert response.url == reverse("admin:governance_policy_change", args=[1])
    assert Policy.objects.get().pk == 1


def test_policy_change_form_groups_weights_and_thresholds(admin_user, client_for):
    Policy.load()

    response = client_for(admin_user).get(reverse("admin:governance_policy_change", args=[1]))

    html = response.content.decode()
    assert response.status_code == 200
    for heading in ["Weights", "Coverage and growth", "Balance", "Meetings", "Registry hygiene"]:
        assert heading in html


def test_every_policy_field_is_in_a_fieldset():
    shown = {name for _, options in PolicyAdmin.fieldsets for name in options["fields"]}

    assert shown == {f.name for f in Policy._meta.fields} - {"id"}


def test_policy_cannot_be_added_once_it_exists_nor_deleted(admin_user, client_for):
    Policy.load()
    client = client_for(admin_user)

    assert client.get(reverse("admin:governance_policy_add")).status_code == 403
    assert client.get(reverse("admin:governance_policy_delete", args=[1])).status_code == 403
    assert client.post(reverse("admin:governance_policy_delete", args=[1]), {}).status_code == 403
    assert Policy.objects.count() == 1


def test_policy_can_be_added_while_there_is_none(admin_user, client_for):
    response = client_for(admin_user).get(reverse("admin:governance_policy_add"))

    assert response.status_code == 200


def test_policy_change_is_saved_and_recorded_in_its_history(admin_user, client_for):
    Policy.load()

    response = client_for(admin_user).post(
        reverse("admin:governance_policy_change", args=[1]), policy_form(stale_days=21)
    )

    assert response.status_code == 302
    assert Policy.load().stale_days == 21
    assert Policy.history.latest().history_user == admin_user


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            dict.fromkeys(PolicyAdmin.fieldsets[0][1]["fields"], 0),
            "weight_coverage",
            "At least one weight must be above zero.",
        ),
        ({"clubhouse_share": 1.5}, "clubhouse_share", "A share must be between 0 and 1."),
        ({"weight_voices": -1}, "weight_voices", None),
    ],
)
def test_policy_validation_shows_on_the_form(changes, field, message, admin_user, client_for):
    Policy.load()

    response = client_for(admin_user).post(
        reverse("admin:governance_policy_change", args=[1]), policy_form(**changes)
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    if message:
        assert message in errors[field]
    assert Policy.load().clubhouse_share == 0.6


# --- Snapshots: read-only ---------------------------------------------------------------


def test_snapshot_change_list_shows_score_grade_and_model_newest_first(admin_user, client_for):
    build_snapshots(2)

    response = client_for(admin_user).get(changelist("snapshot"))

    rows = list(response.context["cl"].result_list)
    assert [s.score for s in rows] == [31.0, 30.0]
    html = response.content.decode()
    assert "hub_and_spoke" in html and "clubhouse" in html


def test_snapshot_can_be_viewed_but_not_added_or_changed(admin_user, client_for):
    build_snapshots(1)
    snapshot = Snapshot.objects.get()
    snapshot.findings = [{"code": "clubhouse", "severity": "critical"}]
    snapshot.save()
    client = client_for(admin_user)
    url = reverse("admin:governance_snapshot_change", args=[snapshot.pk])

    view = client.get(url)
    change = client.post(url, {"score": "99"})

    assert client.get(reverse("admin:governance_snapshot_add")).status_code == 403
    assert view.status_code == 200
    assert "&quot;clubhouse&quot;" in view.content.decode()
    assert 'name="_save"' not in view.content.decode()
    assert change.status_code == 403
    snapshot.refresh_from_db()
    assert snapshot.score == 30.0


def test_staff_without_policy_permission_cannot_open_the_policy(client_for):
    staff = UserFactory(username="staff", is_staff=True)

    response = client_for(staff).get(changelist("policy"))

    assert response.status_code == 403
    assert not Policy.objects.exists()
