"""The dashboard as a department head's home: their departments first, and Nominate on
the next best seats they may act for; for leads, "pending" when the suggested person is
already nominated."""

import pytest
from django.utils import timezone

from governance import read_memo, services
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    SeatFactory,
    SocialAccountFactory,
    make_lead,
)

pytestmark = pytest.mark.django_db

URL = "/"


@pytest.fixture
def company(dept_a, dept_b):
    """Marketing holds the only seats; Customer Support (head_a) and HR (head_b) have
    nobody at the table but each has someone to suggest."""
    marketing = DepartmentFactory(key="mkt", name="Marketing", function="marketing", headcount=50)
    SeatFactory(person=PersonFactory(department=marketing), role="lead")
    SeatFactory(person=PersonFactory(department=marketing))
    PersonFactory(email="sam@acme.test", name="Sam Carter", department=dept_a)
    PersonFactory(email="hana@acme.test", name="Hana Ito", department=dept_b)
    SocialAccountFactory(owner=dept_a, platform="x", handle="acmehelp")
    services.snapshot_take()
    return marketing


def row(html: str, key: str) -> str:
    start = html.index(f'<tr data-department="{key}">')
    return html[start : html.index("</tr>", start)]


def test_a_head_sees_their_own_departments_first(client_for, head_a, company):
    html = client_for(head_a).get(URL).content.decode()
    section = html[html.index('data-testid="my-departments"') :]
    assert 'data-department="support"' in section
    assert 'data-department="hr"' not in html[: html.index('id="next-title"')]
    assert html.index('id="my-departments-title"') < html.index('id="score-title"')
    card = section[: section.index("</article>")]
    assert 'data-representation="none"' in card
    assert "No nomination pending" in card
    assert "finding" in card  # unrepresented_accounts at least


def test_readers_and_leads_who_head_nothing_get_no_such_section(client_for, reader, company):
    assert 'data-testid="my-departments"' not in client_for(reader).get(URL).content.decode()
    client = client_for(make_lead("lead"))
    assert 'data-testid="my-departments"' not in client.get(URL).content.decode()


def test_a_head_counts_pending_nominations_of_their_department(client_for, head_a, company, dept_a):
    SeatFactory(person=PersonFactory(department=dept_a), status="nominated", nominated_by=head_a)
    html = client_for(head_a).get(URL).content.decode()
    assert "1 nomination waiting for the COE leads" in html


def test_a_head_is_offered_nominate_only_on_rows_of_departments_they_head(
    client_for, head_a, company
):
    html = client_for(head_a).get(URL).content.decode()
    assert "/departments/support/nominate/?role=core&amp;person=sam%40acme.test" in row(
        html, "support"
    )
    assert "/nominate/" not in row(html, "hr")


def test_a_head_is_offered_nominate_for_a_team_below_their_department(
    client_for, head_a, company, dept_a
):
    team = DepartmentFactory(key="support-uk", name="Support UK", parent=dept_a, headcount=400)
    PersonFactory(department=team)
    services.snapshot_take()
    html = client_for(head_a).get(URL).content.decode()
    assert "/departments/support-uk/nominate/" in row(html, "support-uk")


def test_a_reader_is_offered_no_nominate_button(client_for, reader, company):
    html = client_for(reader).get(URL).content.decode()
    assert "/nominate/" not in html
    assert 'data-testid="next-seat-action"' not in html


def test_a_lead_sees_pending_where_the_suggested_person_is_already_nominated(
    client_for, lead, company, dept_a
):
    from stakeholders.models import Person

    sam = Person.objects.get(email="sam@acme.test")
    SeatFactory(person=sam, department=dept_a, status="nominated", nominated_at=timezone.now())
    html = client_for(lead).get(URL).content.decode()
    assert 'data-testid="pending"' in row(html, "support")
    assert "/nominate/" not in row(html, "support")
    assert "/departments/hr/nominate/" in row(html, "hr")


def test_a_nomination_of_someone_else_leaves_nominate_offered(client_for, lead, company, dept_a):
    SeatFactory(person=PersonFactory(department=dept_a), status="nominated")
    html = client_for(lead).get(URL).content.decode()
    assert "/departments/support/nominate/" in row(html, "support")


def test_the_nomination_form_is_prefilled_from_the_row(client_for, head_a, company):
    url = "/departments/support/nominate/?role=core&person=sam@acme.test"
    response = client_for(head_a).get(url)
    form = response.context["form"]
    assert form.initial["role"] == "core"
    assert form.fields["person"].queryset.get(pk=form.initial["person"]).email == "sam@acme.test"


def test_the_nomination_form_ignores_an_unknown_role(client_for, head_a, company):
    response = client_for(head_a).get("/departments/support/nominate/?role=king")
    assert "role" not in response.context["form"].initial


def test_the_navigation_offers_a_head_their_departments_and_nominations(
    client_for, head_a, company
):
    html = client_for(head_a).get(URL).content.decode()
    assert 'href="/departments/mine/"' in html
    assert 'href="/nominations/mine/"' in html


def test_the_navigation_offers_a_reader_neither(client_for, reader, company):
    html = client_for(reader).get(URL).content.decode()
    assert 'href="/departments/mine/"' not in html
    assert 'href="/nominations/mine/"' not in html


@pytest.mark.parametrize("units", [2, 6])
def test_a_heads_dashboard_runs_a_fixed_number_of_queries(
    client_for, head_a, make_headed_company, django_assert_num_queries, units
):
    make_headed_company(units)
    client = client_for(head_a)
    client.get(URL)  # warm the session
    read_memo.forget_all()
    # The lead's 17, plus the head's departments (5: departments with their seats,
    # hand-overs, accounts, the snapshot's representation of them, their findings) and
    # the reach of their nominations (1: the departments they head and those below them).
    with django_assert_num_queries(23):
        response = client.get(URL)
    assert len(response.context["my_departments"]) == units
    # What everyone sees alike is remembered until the registry changes.
    with django_assert_num_queries(12):
        client.get(URL)
