"""`?page=0`, `?page=-1` and `?page=abc` show page 1 on every paginated list; a page past
the end shows the last one."""

import pytest
from django.core.paginator import Page

from coe.pagination import page_of
from tests.factories import (
    DepartmentFactory,
    MeetingFactory,
    PersonFactory,
    SeatFactory,
    SocialAccountFactory,
    StakeholderGroupFactory,
)


@pytest.mark.parametrize(
    ("number", "expected"),
    [(None, 1), ("", 1), ("abc", 1), ("0", 1), ("-3", 1), (0, 1), ("2", 2), ("3", 3), ("99", 3)],
)
def test_page_of_reads_a_bad_number_as_page_one_and_a_big_one_as_the_last(number, expected):
    assert page_of(list(range(5)), 2, number).number == expected


LISTS = {
    "/departments/": ("stakeholders.views.directory.DIRECTORY_PAGE_SIZE", DepartmentFactory),
    "/social/": ("stakeholders.views.directory.ACCOUNTS_PAGE_SIZE", SocialAccountFactory),
    "/roster/": ("governance.roster.ROSTER_PAGE_SIZE", SeatFactory),
    "/people/": ("stakeholders.views.people.PEOPLE_PAGE_SIZE", PersonFactory),
    "/groups/": ("stakeholders.views.departments.GROUPS_PAGE_SIZE", StakeholderGroupFactory),
    "/meetings/": ("governance.meeting_selectors.MEETINGS_PER_PAGE", MeetingFactory),
    "/nominations/": (
        "governance.nomination_queue.QUEUE_PAGE_SIZE",
        lambda: SeatFactory(status="nominated", term_start=None),
    ),
}


def shown_page(response) -> Page:
    context = response.context
    return context["queue"].page if "queue" in context else context["page"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", sorted(LISTS))
@pytest.mark.parametrize("number", ["0", "-1", "abc"])
def test_every_list_shows_page_one_for_a_page_number_that_is_not_one(
    client_for, lead, monkeypatch, url, number
):
    size_setting, make = LISTS[url]
    monkeypatch.setattr(size_setting, 1)
    make()
    make()
    response = client_for(lead).get(url, {"page": number})
    assert response.status_code == 200
    page = shown_page(response)
    assert page.number == 1
    assert page.paginator.num_pages >= 2


CAPPED_LISTS = ["/departments/", "/social/", "/people/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", CAPPED_LISTS)
def test_a_long_list_counts_up_to_the_limit_and_says_more_than(client_for, lead, monkeypatch, url):
    size_setting, make = LISTS[url]
    monkeypatch.setattr(size_setting, 2)
    monkeypatch.setattr("stakeholders.views.directory.LIST_COUNT_LIMIT", 4)
    monkeypatch.setattr("stakeholders.views.people.LIST_COUNT_LIMIT", 4)
    for _ in range(5):
        make()
    client = client_for(lead)
    response = client.get(url)
    page = shown_page(response)
    assert page.paginator.capped and page.paginator.count == 4
    assert page.paginator.num_pages == 2
    html = response.content.decode()
    assert "of more than 4 " in html and "Page 1 of 2+" in html
    # The pages stop at the limit: a later page shows the last one of them.
    assert shown_page(client.get(url, {"page": "3"})).number == 2


@pytest.mark.django_db
def test_a_list_within_the_limit_counts_exactly(client_for, lead, monkeypatch):
    monkeypatch.setattr("stakeholders.views.people.LIST_COUNT_LIMIT", 4)
    for _ in range(4):
        PersonFactory()
    page = shown_page(client_for(lead).get("/people/"))
    assert not page.paginator.capped and page.paginator.count == 4
