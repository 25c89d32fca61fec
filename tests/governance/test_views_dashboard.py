"""The dashboard (`/`) and the recompute button."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import read_memo, selectors, services
from governance.models import RecomputeState, Snapshot
from stakeholders import services as stakeholder_services
from tests.factories import AttendanceFactory, DepartmentFactory, MeetingFactory, PersonFactory

pytestmark = pytest.mark.django_db

URL = "/"


def test_dashboard_url_is_named():
    assert reverse("governance:dashboard") == URL
    assert reverse("governance:recompute") == "/recompute/"


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_fresh_install_shows_a_helpful_empty_state(client_for, reader):
    response = client_for(reader).get(URL)
    assert response.status_code == 200
    assert b'data-testid="empty-state"' in response.content
    assert b"import_org" in response.content
    assert not Snapshot.objects.exists()


def test_empty_state_offers_the_admin_to_staff(client_for, admin_user):
    response = client_for(admin_user).get(URL)
    assert reverse("admin:stakeholders_department_add").encode() in response.content


@pytest.mark.parametrize("persona", ["reader", "lead"])
def test_before_the_first_assessment_the_dashboard_says_it_is_computing_and_stores_nothing(
    client_for, persona, request, make_company
):
    make_company()
    client = client_for(request.getfixturevalue(persona))
    client.get(URL)  # the session and the user are loaded once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    assert b"No assessment yet" in response.content
    assert not Snapshot.objects.exists()
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    has_button = reverse("governance:recompute").encode() in response.content
    assert has_button == (persona == "lead")


def test_a_lead_computes_the_first_assessment_with_the_button(client_for, lead, make_company):
    make_company()
    client = client_for(lead)
    response = client.post(reverse("governance:recompute"), follow=True)
    snapshot = Snapshot.objects.get()
    assert f'data-testid="score">{snapshot.score:.1f}<'.encode() in response.content


def test_the_periodic_check_assesses_a_registry_that_was_never_assessed(make_company):
    make_company()  # written by factories: no service announced a change
    assert services.snapshot_if_stale() is not None
    assert Snapshot.objects.count() == 1


def test_a_dashboard_get_with_a_snapshot_stores_nothing(client_for, lead, make_company):
    make_company()
    services.snapshot_take()
    client = client_for(lead)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []


def test_dashboard_shows_score_components_findings_and_recommendations(
    client_for, reader, make_company
):
    make_company()
    snapshot = services.snapshot_take()
    response = client_for(reader).get(URL)
    html = response.content.decode()
    assert 'data-component="coverage"' in html
    assert 'data-component="participation"' in html
    # The organisation model in plain words, and the counts behind the percentages.
    assert "Unit bu 0 is the one hub that coordinates social media" in html
    assert "of 3: customers have a voice" in html
    assert 'data-testid="counts"' in html
    assert response.context["findings"].total == len(snapshot.findings)
    assert response.context["recommendations"]
    assert 'id="trend-data"' in html


def test_not_measured_components_say_so(client_for, reader):
    DepartmentFactory(key="solo", headcount=5)
    services.snapshot_take()
    response = client_for(reader).get(URL)
    html = response.content.decode()
    # No account in use and no meeting: footprint and participation are not measured.
    assert "Not measured: no social account is in use yet." in html
    assert "Not measured: no meeting yet at which a seat was expected." in html


def test_findings_filter_by_severity(client_for, reader, make_company):
    make_company()
    services.snapshot_take()
    response = client_for(reader).get(URL, {"severity": "critical"})
    groups = response.context["findings"].groups
    assert groups
    assert {group.severity for group in groups} == {"critical"}


def test_findings_filter_with_htmx_returns_only_the_list(client_for, reader, make_company):
    make_company()
    services.snapshot_take()
    response = client_for(reader).get(
        URL, {"code": "orphan_account"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="findings"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-code="orphan_account"' in html
    assert 'data-code="no_seat"' not in html


def test_findings_link_to_their_subjects(client_for, reader, make_company):
    make_company()
    services.snapshot_take()
    response = client_for(reader).get(URL)
    rows = [row for group in response.context["findings"].groups for row in group.rows]
    by_code = {row.code: row for row in rows}
    assert by_code["orphan_account"].url == "/social/?platform=instagram&q=bu-orphan"
    assert by_code["unverified_account"].url.startswith("/social/?platform=x&q=")
    no_seat = next(row for row in rows if row.code in {"no_seat", "unrepresented_accounts"})
    assert no_seat.url == f"/departments/{no_seat.subject}/"
    assert by_code["missing_voice"].url == "/roster/"


def test_unknown_filter_values_are_ignored(client_for, reader, make_company):
    make_company()
    services.snapshot_take()
    response = client_for(reader).get(URL, {"severity": "apocalyptic", "code": "nope"})
    assert response.status_code == 200
    assert response.context["findings"].matching == response.context["findings"].total


def test_stale_marker_shows_while_the_registry_is_ahead_of_the_snapshot(
    client_for, reader, make_company
):
    make_company()
    services.snapshot_take()
    # A change committed and its recompute was lost: nothing is pending any more.
    RecomputeState.objects.filter(pk=1).update(generation=F("generation") + 1, pending_since=None)
    response = client_for(reader).get(URL)
    assert response.context["stale"] is True
    assert b'data-testid="stale"' in response.content


def test_no_stale_marker_once_the_recompute_found_nothing_new(client_for, reader, make_company):
    make_company()
    services.snapshot_take()
    RecomputeState.objects.filter(pk=1).update(generation=F("generation") + 1)
    services.snapshot_recompute()
    response = client_for(reader).get(URL)
    assert Snapshot.objects.count() == 1
    assert response.context["stale"] is False


def test_leads_see_the_recompute_button_and_nominate_links(client_for, lead, make_company):
    make_company()
    services.snapshot_take()
    response = client_for(lead).get(URL)
    html = response.content.decode()
    assert reverse("governance:recompute") in html
    rec = response.context["recommendations"][0]
    nominate = reverse("stakeholders:seat-nominate", kwargs={"key": rec.department})
    assert nominate in html


def test_readers_see_neither_recompute_nor_nominate(client_for, reader, make_company):
    make_company()
    html = client_for(reader).get(URL).content.decode()
    assert reverse("governance:recompute") not in html
    assert "/nominate/" not in html


def test_lead_recomputes_now(client_for, lead, make_company):
    make_company()
    services.snapshot_take()
    DepartmentFactory(key="late-addition", headcount=50)
    response = client_for(lead).post(reverse("governance:recompute"), follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert Snapshot.objects.count() == 2
    assert "Recomputed: the score is now" in response.content.decode()


def test_recompute_with_nothing_new_says_so(client_for, lead, make_company):
    make_company()
    services.snapshot_take()
    response = client_for(lead).post(reverse("governance:recompute"), follow=True)
    assert Snapshot.objects.count() == 1
    assert "Nothing has changed" in response.content.decode()


@pytest.mark.parametrize("persona", ["reader", "head_a"])
def test_only_leads_may_recompute(client_for, request, persona, dept_a):
    response = client_for(request.getfixturevalue(persona)).post(reverse("governance:recompute"))
    assert response.status_code == 403
    assert not Snapshot.objects.exists()


def test_recompute_refuses_get(client_for, lead):
    assert client_for(lead).get(reverse("governance:recompute")).status_code == 405


def test_recompute_needs_the_csrf_token(lead):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    assert client.post(reverse("governance:recompute")).status_code == 403


@pytest.mark.parametrize("units", [2, 6])
def test_dashboard_runs_a_fixed_number_of_queries(
    client_for, lead, make_company, django_assert_num_queries, units
):
    make_company(units=units, teams=3)
    services.snapshot_take()
    client = client_for(lead)
    client.get(URL)  # warm the session
    read_memo.forget_all()
    # Past meetings without attendance, open hand-overs and the median days to close
    # them, the seats whose term ends soon, which suggested people are already nominated
    # (the next best seats say "pending")...
    with django_assert_num_queries(17):
        client.get(URL)
    # ... are read once per registry change: the next reader finds them remembered.
    with django_assert_num_queries(6):
        client.get(URL)


def test_the_dashboard_shows_a_change_at_once_though_it_remembers_its_reads(client_for, lead):
    person = PersonFactory()
    services.snapshot_take()
    client = client_for(lead)
    assert "No nomination is pending." in client.get(URL).content.decode()
    assert "No nomination is pending." in client.get(URL).content.decode()  # remembered
    stakeholder_services.seat_nominate(actor=lead, person=person, department=person.department)
    html = client.get(URL).content.decode()
    assert "If the 1 pending nomination is approved" in html


def test_dashboard_reminds_of_past_meetings_whose_attendance_was_not_taken(client_for, lead):
    services.snapshot_take()
    today = timezone.localdate()
    MeetingFactory(date=today - datetime.timedelta(days=3), title="Forgotten")
    taken = MeetingFactory(date=today - datetime.timedelta(days=10), title="Taken")
    AttendanceFactory(meeting=taken, present=False)
    MeetingFactory(date=today + datetime.timedelta(days=3), title="Upcoming")
    content = client_for(lead).get(URL).content.decode()
    reminder = content[content.index('data-testid="untaken-meetings"') :]
    reminder = reminder[: reminder.index("</div>")]
    assert "Attendance not taken for 1 past meeting" in reminder
    assert "Forgotten" in reminder
    assert "Taken" not in reminder and "Upcoming" not in reminder


def test_the_trend_has_one_point_per_day_the_last_snapshot_of_the_day(client_for, reader):
    DepartmentFactory(key="solo", headcount=5)
    now = timezone.now()
    yesterday = now - datetime.timedelta(days=1)
    for index, (when, score) in enumerate(
        [(yesterday, 40.0), (now, 50.0), (now, 55.0), (now, 60.0)]
    ):
        snapshot = services.snapshot_take()
        Snapshot.objects.filter(pk=snapshot.pk).update(
            created_at=when + datetime.timedelta(seconds=index),
            score=score,
            fingerprint=f"f{index}",
        )
    trend = selectors.snapshot_trend()
    assert [(point["day"], point["score"]) for point in trend] == [
        (timezone.localdate(yesterday).isoformat(), 40.0),
        (timezone.localdate(now).isoformat(), 60.0),
    ]
    assert client_for(reader).get(URL).context["trend"] == trend
