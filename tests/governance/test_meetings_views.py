"""The meeting pages: everyone signed in reads, leads create and tick attendance."""

import datetime

import pytest
from django.urls import reverse

from governance import meeting_selectors, read_memo, services
from governance.models import Attendance, Meeting
from stakeholders import services as stakeholder_services
from tests.factories import AttendanceFactory, MeetingFactory, PersonFactory, SeatFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 10)


@pytest.fixture
def meeting():
    return MeetingFactory(date=DAY, title="COE monthly")


@pytest.fixture
def seated():
    return [SeatFactory(person=PersonFactory(name=name)).person for name in ("Ana", "Bo")]


def detail_url(meeting):
    return reverse("governance:meeting-detail", args=[meeting.pk])


def attendance_url(meeting):
    return reverse("governance:meeting-attendance", args=[meeting.pk])


def test_everyone_signed_in_sees_the_meetings_newest_first(client_for, reader):
    MeetingFactory(date=DAY, title="Older")
    MeetingFactory(date=DAY + datetime.timedelta(days=30), title="Newer")
    response = client_for(reader).get(reverse("governance:meeting-list"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Meetings · Roundtable</title>" in content
    assert content.index("Newer") < content.index("Older")
    assert "New meeting" not in content


def test_the_meeting_list_has_an_empty_state(client_for, lead):
    content = client_for(lead).get(reverse("governance:meeting-list")).content.decode()
    assert "No meeting recorded yet." in content
    assert "New meeting" in content


@pytest.mark.parametrize("size", [1, 15])
def test_the_meeting_list_runs_a_fixed_number_of_queries(
    size, client_for, reader, django_assert_num_queries
):
    for number in range(size):
        meeting = MeetingFactory(title=f"Meeting {number}")
        AttendanceFactory(meeting=meeting)
    client = client_for(reader)
    # session, user, lead check, count of meetings, the page of meetings, and the
    # attendance of the meetings without stored counts (written by the factories)
    with django_assert_num_queries(6):
        live = client.get(reverse("governance:meeting-list"))
    # Once their counts are stored (as attendance_record does), no attendance is read.
    services.meeting_counts_backfill()
    with django_assert_num_queries(5):
        stored = client.get(reverse("governance:meeting-list"))
    assert [(m.pk, m.present_count, m.recorded_count) for m in stored.context["page"]] == [
        (m.pk, m.present_count, m.recorded_count) for m in live.context["page"]
    ]
    assert {m.recorded_count for m in stored.context["page"]} == {1}


def test_lead_creates_a_meeting_and_lands_on_its_attendance(client_for, lead):
    client = client_for(lead)
    assert client.get(reverse("governance:meeting-create")).status_code == 200
    response = client.post(
        reverse("governance:meeting-create"), {"date": "2026-06-10", "title": "COE monthly"}
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(meeting)


def test_a_duplicate_meeting_is_refused_on_the_form(client_for, lead, meeting):
    response = client_for(lead).post(
        reverse("governance:meeting-create"),
        {"date": "2026-06-10", "title": "COE monthly", "notes": "typed notes"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is already a meeting called" in content
    assert "typed notes" in content


@pytest.mark.parametrize("persona", ["reader", "head_a"])
def test_only_leads_create_meetings(persona, request, client_for, dept_a):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("governance:meeting-create")).status_code == 403
    assert client.post(reverse("governance:meeting-create"), {}).status_code == 403


def test_lead_ticks_attendance_on_the_meeting_page(client_for, lead, meeting, seated):
    ana, bo = seated
    client = client_for(lead)
    page = client.get(detail_url(meeting)).content.decode()
    assert 'type="checkbox"' in page
    assert "Ana" in page and "Bo" in page
    assert f'name="shown" value="{ana.pk}"' in page
    assert "Tick everyone on this page" in page
    response = client.post(attendance_url(meeting), {"shown": [ana.pk, bo.pk], "present": [bo.pk]})
    assert response.status_code == 302
    assert response.url == detail_url(meeting)
    assert dict(Attendance.objects.values_list("person__name", "present")) == {
        "Ana": False,
        "Bo": True,
    }
    page = client.get(detail_url(meeting)).content.decode()
    assert "1 present of 2 expected" in page
    assert "saved for 2 people" in page
    assert f'name="present" value="{ana.pk}" id="id_present_0">' in page
    assert f'name="present" value="{bo.pk}" id="id_present_1" checked>' in page
    assert '<label for="id_present_1" class="form-check-label">Bo (' in page


def test_ticking_someone_unexpected_is_refused_on_the_form(client_for, lead, meeting, seated):
    response = client_for(lead).post(attendance_url(meeting), {"shown": [999], "present": [999]})
    assert response.status_code == 200
    assert "Only people expected at the meeting can be recorded" in response.content.decode()
    assert not Attendance.objects.exists()


def test_ticking_someone_not_shown_is_refused_on_the_form(client_for, lead, meeting, seated):
    ana, bo = seated
    response = client_for(lead).post(
        attendance_url(meeting), {"shown": [ana.pk], "present": [bo.pk]}
    )
    assert response.status_code == 200
    assert "Only the people shown on the page can be marked present" in response.content.decode()
    assert not Attendance.objects.exists()
    # The boxes come back as they were sent.
    assert f'value="{bo.pk}" id="id_present_1" checked>' in response.content.decode()


def test_a_reader_sees_the_attendance_without_checkboxes(client_for, reader, meeting, seated):
    AttendanceFactory(meeting=meeting, person=seated[0], present=True)
    content = client_for(reader).get(detail_url(meeting)).content.decode()
    assert 'type="checkbox"' not in content
    assert "present" in content


def test_a_meeting_nobody_was_expected_at_says_so(client_for, lead, meeting):
    content = client_for(lead).get(detail_url(meeting)).content.decode()
    assert "nobody was expected at this meeting" in content


@pytest.mark.parametrize("persona", ["reader", "head_a"])
def test_only_leads_record_attendance(persona, request, client_for, meeting, seated, dept_a):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(attendance_url(meeting), {"present": []}).status_code == 403
    assert not Attendance.objects.exists()


def test_attendance_is_only_posted(client_for, lead, meeting):
    assert client_for(lead).get(attendance_url(meeting)).status_code == 405


def test_an_unknown_meeting_is_not_found(client_for, reader):
    assert client_for(reader).get(reverse("governance:meeting-detail", args=[9])).status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_the_meeting_page_runs_a_fixed_number_of_queries(
    size, client_for, lead, meeting, django_assert_num_queries
):
    for _ in range(size):
        person = SeatFactory().person
        AttendanceFactory(meeting=meeting, person=person)
    client = client_for(lead)
    # session, user, meeting, registry generation, count of the people expected, the
    # page of people (with what is recorded), their seats, lead check, the meeting's
    # counts (not stored by the factories)
    with django_assert_num_queries(9):
        assert client.get(detail_url(meeting)).status_code == 200
    # Stored (as attendance_record does), the counts cost nothing, and the number of
    # people expected is remembered until the registry changes; a filter adds the count
    # of those it keeps.
    services.meeting_counts_backfill()
    with django_assert_num_queries(7):
        assert client.get(detail_url(meeting)).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(detail_url(meeting) + "?show=present&q=a").status_code == 200
    read_memo.forget_all()
    with django_assert_num_queries(8):
        assert client.get(detail_url(meeting)).status_code == 200


# --- edit and delete -------------------------------------------------------------------


def update_url(meeting):
    return reverse("governance:meeting-update", args=[meeting.pk])


def delete_url(meeting):
    return reverse("governance:meeting-delete", args=[meeting.pk])


def test_lead_edits_the_date_and_title_of_a_meeting(client_for, lead, meeting):
    client = client_for(lead)
    assert client.get(update_url(meeting)).status_code == 200
    response = client.post(
        update_url(meeting), {"date": "2026-06-11", "title": "COE quarterly", "notes": ""}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.title) == (datetime.date(2026, 6, 11), "COE quarterly")
    assert meeting.history.first().history_user == lead


def test_a_taken_meeting_cannot_move_to_the_future(client_for, lead, meeting):
    AttendanceFactory(meeting=meeting, present=False)
    future = datetime.date.today() + datetime.timedelta(days=30)
    response = client_for(lead).post(
        update_url(meeting), {"date": future.isoformat(), "title": "COE monthly", "notes": ""}
    )
    assert response.status_code == 200
    assert "cannot move to a day that has not come yet" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.date == DAY


def test_editing_a_meeting_is_refused_a_clash_with_another_one(client_for, lead, meeting):
    MeetingFactory(date=DAY, title="Sync")
    response = client_for(lead).post(
        update_url(meeting), {"date": DAY.isoformat(), "title": "sync", "notes": ""}
    )
    assert response.status_code == 200
    assert "There is already a meeting called" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "COE monthly"


def test_lead_deletes_a_meeting_and_its_attendance_after_confirming(client_for, lead, meeting):
    AttendanceFactory(meeting=meeting, present=True)
    client = client_for(lead)
    confirm = client.get(delete_url(meeting)).content.decode()
    assert "1 person recorded" in confirm
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    response = client.post(delete_url(meeting))
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not Attendance.objects.exists()
    assert Meeting.history.filter(history_type="-").get().history_user == lead


@pytest.mark.parametrize("url", [update_url, delete_url])
def test_only_leads_edit_or_delete_meetings(client_for, head_a, reader, meeting, url):
    for persona in (head_a, reader):
        assert client_for(persona).get(url(meeting)).status_code == 403
        assert client_for(persona).post(url(meeting)).status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk, title="COE monthly").exists()


@pytest.mark.parametrize("url", [update_url, delete_url])
def test_editing_or_deleting_an_unknown_meeting_is_not_found(client_for, lead, url):
    missing = Meeting(pk=999_999)
    assert client_for(lead).get(url(missing)).status_code == 404


def test_the_meeting_list_and_page_say_attendance_not_taken(client_for, lead, meeting, seated):
    client = client_for(lead)
    assert "attendance not taken" in client.get(reverse("governance:meeting-list")).content.decode()
    detail = client.get(detail_url(meeting)).content.decode()
    assert "Attendance not taken: until it is saved" in detail


def test_a_future_meeting_offers_no_attendance_form(client_for, lead, seated):
    future = MeetingFactory(date=datetime.date.today() + datetime.timedelta(days=5))
    content = client_for(lead).get(detail_url(future)).content.decode()
    assert "its attendance can be taken on or after the day" in content
    assert "Save attendance" not in content


# --- the attendance form, a page at a time ----------------------------------------------


@pytest.fixture
def five_seated(monkeypatch):
    """Five people expected, two a page."""
    monkeypatch.setattr(meeting_selectors, "ATTENDANCE_PAGE_SIZE", 2)
    names = ("Ana", "Bo", "Cy", "Di", "Ed")
    return {name: SeatFactory(person=PersonFactory(name=name)).person for name in names}


def names_on(response) -> list[str]:
    return [entry.person.name for entry in response.context["page"].object_list]


def test_the_attendance_form_shows_a_page_of_people_by_name(client_for, lead, meeting, five_seated):
    client = client_for(lead)
    first = client.get(detail_url(meeting))
    assert names_on(first) == ["Ana", "Bo"]
    assert "Page 1 of 3" in first.content.decode()
    assert names_on(client.get(detail_url(meeting) + "?page=3")) == ["Ed"]


def test_a_renamed_person_takes_their_new_place_in_the_order_at_once(
    client_for, lead, meeting, five_seated
):
    client = client_for(lead)
    assert names_on(client.get(detail_url(meeting))) == ["Ana", "Bo"]
    ana = five_seated["Ana"]
    stakeholder_services.person_update(
        actor=lead,
        person=ana,
        details=stakeholder_services.PersonDetails(
            email=ana.email, name="Zoe", department=ana.department
        ),
    )
    assert names_on(client.get(detail_url(meeting))) == ["Bo", "Cy"]
    assert names_on(client.get(detail_url(meeting) + "?page=3")) == ["Zoe"]


def test_saving_page_two_records_its_people_and_leaves_page_one_alone(
    client_for, lead, meeting, five_seated
):
    people = five_seated
    services.attendance_record(
        actor=lead, meeting=meeting, present=[people["Ana"].pk], among=[people["Ana"].pk]
    )
    client = client_for(lead)
    page_two = client.get(detail_url(meeting) + "?page=2").content.decode()
    assert f'name="shown" value="{people["Cy"].pk}"' in page_two
    assert f'name="shown" value="{people["Ana"].pk}"' not in page_two
    response = client.post(
        attendance_url(meeting) + "?page=2",
        {"shown": [people["Cy"].pk, people["Di"].pk], "present": [people["Di"].pk]},
    )
    assert response.status_code == 302
    assert response.url == detail_url(meeting) + "?page=2"
    assert dict(Attendance.objects.values_list("person__name", "present")) == {
        "Ana": True,
        "Cy": False,
        "Di": True,
    }
    after = client.get(response.url)
    assert "Attendance of COE monthly (2026-06-10) saved for 2 people." in after.content.decode()
    assert "2 present of 5 expected" in after.content.decode()
    figures = after.context["figures"]
    assert (figures.present, figures.expected, figures.recorded) == (2, 5, 3)


def test_the_page_marks_who_is_not_recorded_yet(client_for, lead, meeting, five_seated):
    AttendanceFactory(meeting=meeting, person=five_seated["Ana"], present=False)
    content = client_for(lead).get(detail_url(meeting)).content.decode()
    assert "Ana (" in content and "Bo (" in content
    assert content.count("not recorded yet") == 1  # Bo's (Ana is recorded absent)


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("show=unrecorded", ["Cy", "Di"]),
        ("show=present", ["Ana"]),
        ("show=absent", ["Bo"]),
        ("q=d", ["Di", "Ed"]),
        ("q=PERSON", ["Ana", "Bo"]),  # the factories' e-mails are personN@acme.test
        ("show=unrecorded&q=ed", ["Ed"]),
        ("show=nonsense", ["Ana", "Bo"]),  # a value it cannot read: shown unfiltered
    ],
)
def test_the_attendance_form_filters_by_name_email_and_record(
    query, names, client_for, lead, meeting, five_seated
):
    AttendanceFactory(meeting=meeting, person=five_seated["Ana"], present=True)
    AttendanceFactory(meeting=meeting, person=five_seated["Bo"], present=False)
    response = client_for(lead).get(f"{detail_url(meeting)}?{query}")
    assert response.status_code == 200
    assert names_on(response) == names
    assert response.context["figures"].expected == 5


def test_saving_a_filtered_page_comes_back_to_the_filter(client_for, lead, meeting, five_seated):
    client = client_for(lead)
    shown = [five_seated["Ana"].pk, five_seated["Bo"].pk]
    response = client.post(
        attendance_url(meeting) + "?show=unrecorded", {"shown": shown, "present": shown}
    )
    assert response.url == detail_url(meeting) + "?show=unrecorded"
    # The people just recorded leave the filter: the next ones to tick come up.
    assert names_on(client.get(response.url)) == ["Cy", "Di"]


def test_saving_a_later_page_of_those_not_recorded_comes_back_to_the_first(
    client_for, lead, meeting, five_seated
):
    client = client_for(lead)
    shown = [five_seated["Cy"].pk, five_seated["Di"].pk]
    response = client.post(
        attendance_url(meeting) + "?show=unrecorded&page=2", {"shown": shown, "present": []}
    )
    assert response.url == detail_url(meeting) + "?show=unrecorded"
    # Nobody still to record is skipped: Ana and Bo were on page 1, Ed moves up to it.
    assert names_on(client.get(response.url)) == ["Ana", "Bo"]
    assert names_on(client.get(response.url + "&page=2")) == ["Ed"]


def test_a_filter_matching_nobody_says_so(client_for, lead, meeting, five_seated):
    content = client_for(lead).get(detail_url(meeting) + "?q=zzz").content.decode()
    assert "Nobody expected matches these filters." in content
    assert "Save attendance" not in content


@pytest.mark.parametrize("persona", ["reader", "head_a"])
def test_others_read_the_attendance_a_page_at_a_time(
    persona, request, client_for, meeting, five_seated, dept_a
):
    AttendanceFactory(meeting=meeting, person=five_seated["Cy"], present=True)
    response = client_for(request.getfixturevalue(persona)).get(detail_url(meeting) + "?page=2")
    content = response.content.decode()
    assert response.status_code == 200
    assert names_on(response) == ["Cy", "Di"]
    assert 'type="checkbox"' not in content
    assert "Tick everyone on this page" not in content
    assert "1 present of 5 expected" in content


@pytest.mark.parametrize("persona", ["reader", "head_a"])
def test_others_cannot_save_a_page_of_attendance(
    persona, request, client_for, meeting, five_seated, dept_a
):
    ana = five_seated["Ana"].pk
    response = client_for(request.getfixturevalue(persona)).post(
        attendance_url(meeting), {"shown": [ana], "present": [ana]}
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_saving_a_page_of_an_unknown_meeting_is_not_found(client_for, lead):
    assert client_for(lead).post(attendance_url(Meeting(pk=999_999)), {}).status_code == 404


@pytest.mark.parametrize("size", [4, 40])
def test_a_page_of_the_attendance_form_runs_a_fixed_number_of_queries(
    size, client_for, lead, meeting, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(meeting_selectors, "ATTENDANCE_PAGE_SIZE", 2)
    for _ in range(size):
        SeatFactory()
    client = client_for(lead)
    # session, user, meeting, registry generation, count of the people expected, the
    # page, its people's seats, lead check, the meeting's counts (none stored: nothing
    # recorded)
    with django_assert_num_queries(9):
        response = client.get(detail_url(meeting) + "?page=2")
    assert len(response.context["page"].object_list) == 2
