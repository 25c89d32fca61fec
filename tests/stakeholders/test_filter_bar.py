"""Every list page shows the same filter bar: labelled controls of its FilterSet, Apply
and Clear; department pickers search as you type instead of listing every department."""

import re

import pytest

from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

LISTS = {
    "/departments/": ["q", "function", "kind", "representation", "accounts", "sort", "archived"],
    "/people/": ["q", "department", "sub", "seniority", "active", "tag", "seated"],
    "/groups/": ["q", "kind"],
    "/social/": ["q", "platform", "status", "owner", "finding"],
    "/roster/": ["q", "role", "constituency"],
    "/nominations/": ["q", "role", "constituency"],
    "/meetings/": ["q", "date_after", "date_before"],
}


@pytest.mark.parametrize(("url", "fields"), LISTS.items())
def test_each_list_has_the_filter_bar_with_labels_apply_and_clear(client_for, lead, url, fields):
    html = client_for(lead).get(url).content.decode()
    bar = re.search(r'<form method="get"[^>]*class="[^"]*filter-bar.*?</form>', html, re.S)
    assert bar is not None
    bar = bar.group(0)
    assert re.findall(r'name="(\w+)"', bar) == fields
    for name in fields:
        assert re.search(rf'<label[^>]*for="id_{name}"[^>]*>\s*\S', bar), name
    assert re.search(r'<button type="submit"[^>]*>Apply</button>', bar)
    assert f'href="{url}">Clear</a>' in bar


def test_the_department_picker_holds_only_the_chosen_department(client_for, reader, dept_a):
    for n in range(30):
        DepartmentFactory(key=f"d{n}")
    html = client_for(reader).get("/people/", {"department": "support"}).content.decode()
    picker = re.search(r'<select name="department".*?</select>', html, re.S).group(0)
    assert 'data-search-url="/department-search.json"' in picker
    assert re.findall(r'<option value="([^"]*)"', picker) == ["", "none", "support"]


def test_an_unreadable_filter_is_shown_at_its_control_and_above_the_list(client_for, reader):
    html = client_for(reader).get("/departments/", {"kind": "astrology"}).content.decode()
    assert 'data-testid="filter-problems"' in html
    assert "Kind: Select a valid choice. astrology is not one of the available choices." in html
    assert re.search(r'<select name="kind"[^>]*is-invalid', html)
