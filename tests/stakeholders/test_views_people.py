"""The people pages: the directory (`/people/`), a person's page, and the forms to add,
edit, mark as left and mark as back."""

import pytest
from django.urls import reverse

from governance import services as governance_services
from stakeholders import services
from stakeholders.models import Person, SeatStatus
from tests.factories import (
    PersonFactory,
    SeatFactory,
    SocialAccountFactory,
    StakeholderGroupFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/people/"
ADD = "/people/new/"


def detail(pk: int) -> str:
    return f"/people/{pk}/"


def edit(pk: int) -> str:
    return f"/people/{pk}/edit/"


def leave(pk: int) -> str:
    return f"/people/{pk}/leave/"


def rejoin(pk: int) -> str:
    return f"/people/{pk}/rejoin/"


def names(response) -> list[str]:
    return [p.name for p in response.context["page"]]


def form_data(**changes) -> dict:
    data = {
        "email": "Ana.Ruiz@Acme.test",
        "name": "Ana Ruiz",
        "title": "Community manager",
        "seniority": "manager",
        "department": "",
        "expertise": "community, crisis response",
    }
    data.update(changes)
    return data


def test_people_urls_are_named():
    assert reverse("stakeholders:person-list") == LIST
    assert reverse("stakeholders:person-create") == ADD
    assert reverse("stakeholders:person-detail", kwargs={"person_id": 7}) == detail(7)
    assert reverse("stakeholders:person-update", kwargs={"person_id": 7}) == edit(7)
    assert reverse("stakeholders:person-leave", kwargs={"person_id": 7}) == leave(7)
    assert reverse("stakeholders:person-rejoin", kwargs={"person_id": 7}) == rejoin(7)


@pytest.mark.parametrize("url", [LIST, ADD, detail(1), edit(1), leave(1), rejoin(1)])
def test_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("url", [detail(999), edit(999), leave(999), rejoin(999)])
def test_an_unknown_person_is_not_found(client_for, lead, url):
    assert client_for(lead).get(url).status_code == 404


def test_the_navigation_links_to_the_people_directory(client_for, reader):
    html = client_for(reader).get(LIST).content.decode()
    assert 'href="/people/"' in html and "People</a>" in html


# --- The directory ---------------------------------------------------------------------


def test_directory_lists_everyone_with_links_to_their_pages(client_for, reader, dept_a):
    ana = PersonFactory(name="Ana Ruiz", department=dept_a)
    PersonFactory(name="Bo Li", department=None, active=False)
    response = client_for(reader).get(LIST)
    assert names(response) == ["Ana Ruiz", "Bo Li"]
    html = response.content.decode()
    assert f'href="{detail(ana.pk)}"' in html
    assert "Outside the company" in html and ">Left</span>" in html


def test_directory_filters(client_for, reader, dept_a, dept_a_child, dept_b):
    ana = PersonFactory(name="Ana", email="ana@acme.test", department=dept_a, seniority="manager")
    ana.expertise.create(name="crisis")
    PersonFactory(name="Bo", department=dept_a_child, seniority="director")
    PersonFactory(name="Cy", department=dept_b, seniority=None, active=False)
    PersonFactory(name="Di", department=None)
    SeatFactory(person=ana, department=dept_a)
    client = client_for(reader)
    assert names(client.get(LIST, {"q": "ANA@"})) == ["Ana"]
    assert names(client.get(LIST, {"department": "support"})) == ["Ana"]
    assert names(client.get(LIST, {"department": "support", "sub": "1"})) == ["Ana", "Bo"]
    assert names(client.get(LIST, {"department": "none"})) == ["Di"]
    unknown = client.get(LIST, {"department": "nowhere"})
    assert "Department: No department has the key “nowhere”." in unknown.content.decode()
    assert names(client.get(LIST, {"seniority": "director"})) == ["Bo"]
    assert names(client.get(LIST, {"seniority": "none"})) == ["Cy"]
    assert names(client.get(LIST, {"active": "0"})) == ["Cy"]
    assert names(client.get(LIST, {"active": "1"})) == ["Ana", "Bo", "Di"]
    assert names(client.get(LIST, {"tag": "crisis"})) == ["Ana"]
    assert names(client.get(LIST, {"seated": "yes"})) == ["Ana"]
    assert names(client.get(LIST, {"seated": "no"})) == ["Bo", "Cy", "Di"]


def test_a_departed_persons_seat_is_not_current(client_for, reader, dept_a):
    gone = PersonFactory(name="Gone", department=dept_a, active=False)
    SeatFactory(person=gone, department=dept_a)
    assert names(client_for(reader).get(LIST, {"seated": "yes"})) == []


def test_directory_offers_the_export_with_its_filters(client_for, reader, dept_a):
    PersonFactory(name="Ana", department=dept_a)
    html = client_for(reader).get(LIST, {"department": "support", "page": "1"}).content.decode()
    assert 'href="/people/export.csv?department=support"' in html
    assert 'href="/people/export.xlsx?department=support"' in html


def test_the_export_holds_the_rows_the_directory_shows(client_for, reader, dept_a, dept_a_child):
    ana = PersonFactory(email="ana@acme.test", department=dept_a)
    ana.expertise.create(name="crisis")
    PersonFactory(email="bo@acme.test", department=dept_a_child)
    PersonFactory(email="cy@acme.test", department=None)
    SeatFactory(person=ana, department=dept_a)
    client = client_for(reader)
    for query in ({"department": "support", "sub": "1"}, {"tag": "crisis"}, {"seated": "no"}):
        shown = sorted(p.email for p in client.get(LIST, query).context["page"])
        csv = client.get("/people/export.csv", query).content.decode()
        exported = sorted(line.split(",")[0] for line in csv.splitlines()[1:])
        assert exported == shown, query


def test_add_button_shows_for_leads_and_heads_only(client_for, reader, head_a, dept_a):
    assert ADD in client_for(head_a).get(LIST).content.decode()
    assert ADD not in client_for(reader).get(LIST).content.decode()


def test_directory_paginates(client_for, reader):
    for i in range(30):
        PersonFactory(name=f"Person {i:02d}")
    client = client_for(reader)
    assert len(names(client.get(LIST))) == 25
    assert names(client.get(LIST, {"page": "2"})) == [f"Person {i}" for i in range(25, 30)]


def test_directory_empty_states(client_for, reader):
    assert b"Nobody in the registry yet." in client_for(reader).get(LIST).content
    PersonFactory()
    assert b"Nobody matches these filters." in client_for(reader).get(LIST, {"q": "zzz"}).content


@pytest.mark.parametrize("units", [2, 8])
def test_directory_runs_a_fixed_number_of_queries(
    client_for, reader, make_company, django_assert_num_queries, units
):
    make_company(units=units, teams=3)
    for person in Person.objects.all():
        person.expertise.create(name=f"tag-{person.pk}")
    client = client_for(reader)
    client.get(LIST)
    # session, user, the department (read once for the picker and the filter) and its
    # tree, count, page, expertise, the tags, the reader's roles (lead group, headed
    # departments)
    with django_assert_num_queries(10):
        response = client.get(LIST, {"seated": "yes", "department": "bu-0", "sub": "1"})
    assert len(names(response)) > 0


# --- A person's page --------------------------------------------------------------------


def test_person_page_shows_details_seats_accounts_and_history(
    client_for, reader, head_a, lead, dept_a
):
    ana = PersonFactory(name="Ana Ruiz", email="ana@acme.test", department=dept_a)
    ana.expertise.create(name="crisis")
    seat = services.seat_nominate(actor=head_a, person=ana, department=dept_a)
    services.seat_approve(actor=lead, seat=seat)
    group = StakeholderGroupFactory(name="Customer panel")
    old = SeatFactory(person=ana, department=None, group=group, status="declined")
    account = SocialAccountFactory(platform="x", handle="acme_help", owner=dept_a)
    account.managers.add(ana)
    response = client_for(reader).get(detail(ana.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Customer Support" in html and "crisis" in html and "@acme_help" in html
    assert f'href="/seats/{seat.pk}/"' in html and f'href="/seats/{old.pk}/"' in html
    assert ">Current</span>" in html
    assert "Seat for Customer Support: status: Nominated → Approved" in html
    assert edit(ana.pk) not in html  # a reader cannot edit


def test_person_page_offers_edit_and_leave_to_the_head_of_their_department(
    client_for, head_a, dept_a
):
    ana = PersonFactory(department=dept_a)
    html = client_for(head_a).get(detail(ana.pk)).content.decode()
    assert edit(ana.pk) in html and leave(ana.pk) in html and rejoin(ana.pk) not in html


def test_person_page_offers_rejoin_for_someone_who_left(client_for, lead):
    gone = PersonFactory(active=False)
    html = client_for(lead).get(detail(gone.pk)).content.decode()
    assert rejoin(gone.pk) in html and leave(gone.pk) not in html
    assert "Left the company" in html


@pytest.mark.parametrize("seats", [1, 6])
def test_person_page_runs_a_fixed_number_of_queries(
    client_for, reader, lead, dept_a, django_assert_num_queries, seats
):
    ana = PersonFactory(department=dept_a)
    for i in range(seats):
        group = StakeholderGroupFactory()
        seat = SeatFactory(person=ana, department=None, group=group, status="nominated")
        services.seat_approve(actor=lead, seat=seat)
        account = SocialAccountFactory(owner=dept_a)
        account.managers.add(ana)
        ana.expertise.create(name=f"tag-{i}")
    client = client_for(reader)
    client.get(detail(ana.pk))
    with django_assert_num_queries(11):
        client.get(detail(ana.pk))


def test_department_page_links_its_people_to_their_pages(client_for, reader, dept_a):
    ana = PersonFactory(name="Ana", department=dept_a)
    SeatFactory(person=ana, department=dept_a)
    html = client_for(reader).get("/departments/support/").content.decode()
    assert f'href="{detail(ana.pk)}"' in html
    assert 'href="/people/?department=support&amp;active=1"' in html


# --- Add ---------------------------------------------------------------------------------


def test_lead_adds_a_person(client_for, lead, dept_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(lead).post(ADD, form_data(department="support"), follow=True)
    person = Person.objects.get()
    assert person.email == "ana.ruiz@acme.test"
    assert person.department == dept_a
    assert sorted(person.expertise.values_list("name", flat=True)) == [
        "community",
        "crisis-response",
    ]
    assert response.redirect_chain[-1][0] == detail(person.pk)
    assert "Added Ana Ruiz to the registry." in response.content.decode()
    assert person.history.get().history_user == lead
    assert callbacks


def test_head_adds_a_person_to_their_department(client_for, head_a, dept_a):
    response = client_for(head_a).get(ADD, {"department": "support"})
    assert response.context["form"]["department"].value() == "support"
    client_for(head_a).post(ADD, form_data(department="support"))
    assert Person.objects.get().department == dept_a


def test_head_cannot_add_a_person_to_another_department(client_for, head_a, dept_a, dept_b):
    response = client_for(head_a).post(ADD, form_data(department="hr"))
    assert response.status_code == 200
    assert "department" in response.context["form"].errors
    assert not Person.objects.exists()


def test_reader_may_not_add_people(client_for, reader):
    assert client_for(reader).get(ADD).status_code == 403
    assert client_for(reader).post(ADD, form_data()).status_code == 403
    assert not Person.objects.exists()


@pytest.mark.parametrize("email", ["ana.ruiz@acme.test", "ANA.RUIZ@ACME.TEST"])
def test_duplicate_email_is_a_form_error_and_keeps_what_was_typed(client_for, lead, email):
    PersonFactory(email="ana.ruiz@acme.test", name="First Ana")
    response = client_for(lead).post(ADD, form_data(email=email, title="Typed title"))
    assert response.status_code == 200
    assert "already in the registry (First Ana)" in str(response.context["form"].errors["email"])
    assert response.context["form"]["title"].value() == "Typed title"
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "changes"),
    [("seniority", {"seniority": "intern"}), ("department", {"department": "nowhere"})],
)
def test_bad_seniority_or_unknown_department_is_a_form_error(client_for, lead, field, changes):
    response = client_for(lead).post(ADD, form_data(**changes))
    assert field in response.context["form"].errors
    assert "Please correct the" in response.content.decode()
    assert not Person.objects.exists()


# --- Edit ---------------------------------------------------------------------------------


def test_head_edits_a_person_of_their_department(client_for, head_a, dept_a, dept_a_child):
    ana = PersonFactory(email="ana@acme.test", department=dept_a)
    response = client_for(head_a).get(edit(ana.pk))
    assert response.context["form"]["email"].value() == "ana@acme.test"
    response = client_for(head_a).post(
        edit(ana.pk), form_data(email="ana.new@acme.test", department="support-emea")
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.email == "ana.new@acme.test" and ana.department == dept_a_child
    assert ana.history.first().history_user == head_a


def test_head_may_not_edit_people_of_other_departments(client_for, head_b, dept_a, dept_b):
    ana = PersonFactory(department=dept_a)
    assert client_for(head_b).get(edit(ana.pk)).status_code == 403
    assert client_for(head_b).post(edit(ana.pk), form_data(department="hr")).status_code == 403
    ana.refresh_from_db()
    assert ana.department == dept_a


def test_head_may_not_move_a_person_out_of_their_departments(client_for, head_a, dept_a, dept_b):
    ana = PersonFactory(department=dept_a)
    response = client_for(head_a).post(edit(ana.pk), form_data(department="hr"))
    assert "department" in response.context["form"].errors
    ana.refresh_from_db()
    assert ana.department == dept_a


def test_edit_to_a_taken_email_changes_nothing(client_for, lead):
    PersonFactory(email="taken@acme.test")
    ana = PersonFactory(email="ana@acme.test", name="Ana")
    response = client_for(lead).post(
        edit(ana.pk), form_data(email="Taken@acme.test", name="Renamed")
    )
    assert "email" in response.context["form"].errors
    ana.refresh_from_db()
    assert (ana.email, ana.name) == ("ana@acme.test", "Ana")


# --- Leave and rejoin ---------------------------------------------------------------------


def test_leave_confirmation_says_which_seats_and_accounts_are_affected(client_for, head_a, dept_a):
    ana = PersonFactory(name="Ana", department=dept_a)
    seat = SeatFactory(person=ana, department=dept_a)
    account = SocialAccountFactory(platform="x", handle="acme_help", owner=dept_a)
    account.managers.add(ana)
    retired = SocialAccountFactory(platform="x", handle="old_one", status="retired")
    retired.managers.add(ana)
    response = client_for(head_a).get(leave(ana.pk))
    html = response.content.decode()
    assert f'href="/seats/{seat.pk}/"' in html and "seat for Customer Support" in html
    assert "X @acme_help" in html and "old_one" not in html
    assert "departed member" in html and "departed manager" in html
    assert "end_seats" not in html  # ending seats is for COE leads


def test_head_marks_a_person_as_left_and_their_seat_stays_for_the_finding(
    client_for, head_a, dept_a
):
    ana = PersonFactory(name="Ana", department=dept_a)
    seat = SeatFactory(person=ana, department=dept_a)
    response = client_for(head_a).post(leave(ana.pk), follow=True)
    assert response.redirect_chain[-1][0] == detail(ana.pk)
    assert "Marked Ana as having left." in response.content.decode()
    ana.refresh_from_db()
    seat.refresh_from_db()
    assert not ana.active and seat.status == SeatStatus.APPROVED
    codes = {f["code"] for f in governance_services.snapshot_take().findings}
    assert "departed_member" in codes


def test_lead_marks_a_person_as_left_and_ends_their_seats(client_for, lead, dept_a):
    ana = PersonFactory(name="Ana", department=dept_a)
    seat = SeatFactory(person=ana, department=dept_a)
    assert 'name="end_seats"' in client_for(lead).get(leave(ana.pk)).content.decode()
    response = client_for(lead).post(leave(ana.pk), {"end_seats": "on"}, follow=True)
    assert "Marked Ana as having left and ended 1 seat." in response.content.decode()
    seat.refresh_from_db()
    assert seat.status == SeatStatus.ENDED


def test_marking_someone_who_left_as_left_again_says_so(client_for, lead):
    gone = PersonFactory(name="Gone", active=False)
    response = client_for(lead).post(leave(gone.pk), follow=True)
    assert "Gone is already marked as having left." in response.content.decode()


def test_head_may_not_mark_people_of_other_departments_as_left(client_for, head_b, dept_a):
    ana = PersonFactory(department=dept_a)
    assert client_for(head_b).get(leave(ana.pk)).status_code == 403
    assert client_for(head_b).post(leave(ana.pk)).status_code == 403
    ana.refresh_from_db()
    assert ana.active


def test_head_marks_a_person_as_back(client_for, head_a, dept_a):
    gone = PersonFactory(name="Ana", department=dept_a, active=False)
    assert "Mark as back" in client_for(head_a).get(rejoin(gone.pk)).content.decode()
    response = client_for(head_a).post(rejoin(gone.pk), follow=True)
    assert "Ana is back" in response.content.decode()
    gone.refresh_from_db()
    assert gone.active
    assert gone.history.first().history_user == head_a


def test_rejoining_someone_who_never_left_says_so(client_for, lead):
    ana = PersonFactory(name="Ana")
    response = client_for(lead).post(rejoin(ana.pk), follow=True)
    assert "Ana has not left" in response.content.decode()


def test_reader_may_not_mark_anyone_as_back(client_for, reader):
    gone = PersonFactory(active=False)
    assert client_for(reader).get(rejoin(gone.pk)).status_code == 403
    assert client_for(reader).post(rejoin(gone.pk)).status_code == 403
    gone.refresh_from_db()
    assert not gone.active


@pytest.mark.parametrize(("url", "queries"), [(edit, 7), (leave, 7), (rejoin, 4)])
def test_write_pages_run_a_fixed_number_of_queries(
    client_for, lead, dept_a, django_assert_num_queries, url, queries
):
    ana = PersonFactory(department=dept_a, active=url is not rejoin)
    client = client_for(lead)
    client.get(url(ana.pk))
    with django_assert_num_queries(queries):
        client.get(url(ana.pk))
