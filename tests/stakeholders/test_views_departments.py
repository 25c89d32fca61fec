"""The department directory (`/departments/`) and a department's page."""

import pytest
from django.urls import reverse

from governance import services
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    SeatFactory,
    SocialAccountFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/departments/"


def detail(key: str) -> str:
    return f"/departments/{key}/"


def keys(response) -> list[str]:
    return [d.key for d in response.context["page"]]


def test_directory_urls_are_named():
    assert reverse("stakeholders:department-list") == LIST
    assert reverse("stakeholders:department-detail", kwargs={"key": "hr"}) == detail("hr")


@pytest.mark.parametrize("url", [LIST, detail("support")])
def test_anonymous_visitor_is_sent_to_sign_in(client, dept_a, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- Directory ---------------------------------------------------------------------


def test_directory_lists_active_departments_by_name(client_for, reader, make_company):
    make_company(units=2, teams=1)
    DepartmentFactory(key="old", name="Archived one", active=False)
    response = client_for(reader).get(LIST)
    assert response.status_code == 200
    assert keys(response) == ["bu-regional", "bu-0-0", "bu-1-0", "bu-0", "bu-1"]
    assert b"Showing 1\xe2\x80\x935 of 5 departments" in response.content


def test_directory_includes_archived_departments_on_request(client_for, reader):
    DepartmentFactory(key="old", name="Archived one", active=False)
    response = client_for(reader).get(LIST, {"archived": "1"})
    assert keys(response) == ["old"]
    assert b"Archived" in response.content


def test_directory_searches_name_and_key(client_for, reader, make_company):
    make_company(units=2, teams=1)
    assert keys(client_for(reader).get(LIST, {"q": "regional"})) == ["bu-regional"]
    assert keys(client_for(reader).get(LIST, {"q": "bu-1-0"})) == ["bu-1-0"]


def test_directory_filters_by_function_and_kind(client_for, reader, make_company):
    make_company(units=2, teams=1)
    client = client_for(reader)
    assert keys(client.get(LIST, {"function": "marketing"})) == ["bu-0"]
    assert keys(client.get(LIST, {"kind": "team"})) == ["bu-0-0", "bu-1-0"]


def test_directory_filters_by_representation(client_for, reader, make_company):
    make_company(units=2, teams=1)
    services.snapshot_take()
    client = client_for(reader)
    assert keys(client.get(LIST, {"representation": "direct"})) == ["bu-0", "bu-1"]
    assert keys(client.get(LIST, {"representation": "proxy"})) == ["bu-0-0", "bu-1-0"]
    assert keys(client.get(LIST, {"representation": "none"})) == ["bu-regional"]


def test_directory_representation_filter_leaves_out_departments_not_assessed_yet(
    client_for, reader, make_company
):
    make_company(units=2, teams=1)
    services.snapshot_take()
    DepartmentFactory(key="brand-new", name="Brand new")
    response = client_for(reader).get(LIST, {"representation": "none"})
    assert keys(response) == ["bu-regional"]
    assert b"Not assessed yet" in client_for(reader).get(LIST, {"q": "brand"}).content


def test_directory_filters_by_accounts(client_for, reader, make_company):
    make_company(units=1, teams=1)
    DepartmentFactory(key="quiet", name="Quiet")
    client = client_for(reader)
    assert "quiet" not in keys(client.get(LIST, {"accounts": "yes"}))
    assert keys(client.get(LIST, {"accounts": "no"})) == ["quiet"]


def test_directory_sorts(client_for, reader, make_company):
    make_company(units=2, teams=1)
    SocialAccountFactory(owner=DepartmentFactory._meta.model.objects.get(key="bu-1"))
    client = client_for(reader)
    assert keys(client.get(LIST, {"sort": "-headcount"}))[:2] == ["bu-1", "bu-0"]
    assert keys(client.get(LIST, {"sort": "-name"}))[0] == "bu-1"
    assert keys(client.get(LIST, {"sort": "-seats"}))[:2] == ["bu-0", "bu-1"]
    assert keys(client.get(LIST, {"sort": "-accounts"}))[0] == "bu-1"


def test_most_seats_orders_by_the_current_seats_shown_then_by_name(client_for, reader):
    counts = {"ops": 2, "hr": 0, "legal": 2, "sales": 1}
    for key, seats in counts.items():
        department = DepartmentFactory(key=key, name=key.capitalize())
        for _ in range(seats):
            SeatFactory(department=department, person=PersonFactory(department=department))
        # Seats that do not count: pending, ended, or held by someone who left.
        SeatFactory(department=department, status="nominated", term_start=None)
        gone = PersonFactory(department=department, active=False)
        SeatFactory(department=department, person=gone)
    page = client_for(reader).get(LIST, {"sort": "-seats"}).context["page"]
    assert [(d.key, d.seats_count) for d in page if d.key in counts] == [
        ("legal", 2),
        ("ops", 2),
        ("sales", 1),
        ("hr", 0),
    ]


def test_directory_ignores_unknown_filter_values(client_for, reader, make_company):
    make_company(units=1, teams=1)
    response = client_for(reader).get(
        LIST, {"function": "wizardry", "sort": "chaos", "representation": "maybe", "page": "x"}
    )
    assert response.status_code == 200
    assert len(keys(response)) == 3


def test_directory_paginates(client_for, reader):
    for i in range(30):
        DepartmentFactory(key=f"d-{i:02}", name=f"Dept {i:02}")
    client = client_for(reader)
    first = client.get(LIST)
    assert len(keys(first)) == 25
    assert b'rel="next"' in first.content
    second = client.get(LIST, {"page": 2})
    assert keys(second) == [f"d-{i:02}" for i in range(25, 30)]


def test_directory_empty_states(client_for, reader, lead):
    response = client_for(reader).get(LIST)
    assert b"No departments yet." in response.content
    DepartmentFactory(key="x")
    response = client_for(reader).get(LIST, {"q": "zzz"})
    assert b"No department matches these filters." in response.content


def test_directory_filters_with_htmx_keep_the_results_container(client_for, reader, dept_a):
    response = client_for(reader).get(LIST, {"q": "supp"}, HTTP_HX_REQUEST="true")
    assert b'id="results"' in response.content


@pytest.mark.parametrize("units", [2, 6])
def test_directory_runs_a_fixed_number_of_queries(
    client_for, reader, make_company, django_assert_num_queries, units
):
    make_company(units=units, teams=4)
    services.snapshot_take()
    client = client_for(reader)
    client.get(LIST)
    with django_assert_num_queries(6):
        client.get(LIST, {"sort": "-accounts"})


# --- Department page -------------------------------------------------------------------


def test_department_page_shows_its_place_seats_accounts_and_findings(
    client_for, reader, make_company
):
    make_company(units=1, teams=2)
    services.snapshot_take()
    response = client_for(reader).get(detail("bu-0"))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.path == []
    assert [c.key for c in page.children] == ["bu-0-0", "bu-0-1"]
    assert len(page.open_seats) == 2  # one held by someone who has left
    assert [a.handle for a in page.accounts] == ["bu0-li"]
    assert page.representation == "direct"
    html = response.content.decode()
    assert 'data-testid="representation-flag"' in html
    assert "Direct seat" in html


def test_department_page_shows_the_breadcrumb_path(client_for, reader):
    top = DepartmentFactory(key="top", name="Top")
    middle = DepartmentFactory(key="middle", name="Middle", parent=top)
    DepartmentFactory(key="leaf", name="Leaf", parent=middle)
    response = client_for(reader).get(detail("leaf"))
    assert response.context["page"].path == [("top", "Top"), ("middle", "Middle")]
    html = response.content.decode()
    assert 'href="/departments/top/"' in html and 'href="/departments/middle/"' in html


def test_department_page_lists_findings_about_it_its_accounts_and_seats(client_for, reader):
    dept = DepartmentFactory(key="ops", name="Operations", headcount=300)
    gone = PersonFactory(department=dept, active=False)
    SeatFactory(person=gone, department=dept)
    SocialAccountFactory(owner=dept, platform="x", handle="OpsNews", status="unverified")
    services.snapshot_take()
    response = client_for(reader).get(detail("ops"))
    codes = {f["code"] for f in response.context["page"].findings}
    assert {"no_seat", "unverified_account", "departed_member"} <= codes


def test_before_the_first_assessment_the_department_page_says_so(client_for, reader):
    DepartmentFactory(key="ops", name="Operations")
    content = client_for(reader).get(detail("ops")).content.decode()
    assert 'data-testid="not-assessed"' in content
    assert "Nothing to report" not in content
    services.snapshot_take()
    content = client_for(reader).get(detail("ops")).content.decode()
    assert 'data-testid="not-assessed"' not in content


def test_department_page_shows_the_history_timeline(client_for, lead, dept_a):
    from stakeholders import services as registry
    from stakeholders.services import AccountData

    registry.account_create(
        actor=lead, data=AccountData(platform="x", handle="SupportHelp", owner=dept_a)
    )
    response = client_for(lead).get(detail("support"))
    assert any("@SupportHelp" in entry.label for entry in response.context["timeline"])
    assert "X @SupportHelp created" in response.content.decode()


def test_head_and_lead_see_the_nominate_button(client_for, head_a, lead, dept_a):
    nominate = reverse("stakeholders:seat-nominate", kwargs={"key": "support"})
    for user in (head_a, lead):
        assert nominate in client_for(user).get(detail("support")).content.decode()


def test_head_of_a_parent_sees_the_nominate_button_of_a_child(client_for, head_a, dept_a_child):
    nominate = reverse("stakeholders:seat-nominate", kwargs={"key": "support-emea"})
    assert nominate in client_for(head_a).get(detail("support-emea")).content.decode()


@pytest.mark.parametrize("persona", ["reader", "head_b"])
def test_others_do_not_see_the_nominate_button(client_for, request, persona, dept_a, dept_b):
    html = client_for(request.getfixturevalue(persona)).get(detail("support")).content.decode()
    assert "/nominate/" not in html
    assert "Add a social account" not in html


def test_archived_department_offers_no_nomination(client_for, lead):
    DepartmentFactory(key="old", active=False)
    html = client_for(lead).get(detail("old")).content.decode()
    assert "/nominate/" not in html
    assert "Archived" in html


def test_unknown_department_is_not_found(client_for, reader):
    assert client_for(reader).get(detail("nowhere")).status_code == 404


def test_department_page_refuses_post(client_for, lead, dept_a):
    assert client_for(lead).post(detail("support")).status_code == 405


@pytest.mark.parametrize("teams", [1, 6])
def test_department_page_runs_a_fixed_number_of_queries(
    client_for, lead, make_company, django_assert_num_queries, teams
):
    make_company(units=2, teams=teams)
    services.snapshot_take()
    client = client_for(lead)
    client.get(detail("bu-0"))
    # 18: the open hand-overs of the department's accounts joined the page; the latest
    # snapshot (with its children's representation) and its findings about it are two.
    with django_assert_num_queries(18):
        client.get(detail("bu-0"))
