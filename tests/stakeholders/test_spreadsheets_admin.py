"""Spreadsheets in the admin: export actions on departments, people and accounts, and
the change list's link to the import pages."""

import pytest

from tests.factories import DepartmentFactory, PersonFactory, SocialAccountFactory
from tests.stakeholders.sheet_files import read_csv, read_xlsx

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "make", "first_column"),
    [
        ("department", lambda: DepartmentFactory(key="ops", name="=Ops"), "key"),
        ("person", lambda: PersonFactory(email="ana@acme.test"), "email"),
        ("socialaccount", lambda: SocialAccountFactory(handle="acme"), "platform"),
    ],
)
def test_the_admin_exports_the_selected_rows(client_for, admin_user, model, make, first_column):
    selected = make()
    make_other = {"department": DepartmentFactory, "person": PersonFactory}.get(model)
    if make_other:
        make_other()
    client = client_for(admin_user)
    url = f"/admin/stakeholders/{model}/"
    response = client.post(url, {"action": "export_csv", "_selected_action": [selected.pk]})
    assert response.status_code == 200
    rows = read_csv(response.content)
    assert rows[0][0] == first_column
    assert len(rows) == 2
    if model == "department":
        assert rows[1][1] == "'=Ops"
    response = client.post(url, {"action": "export_xlsx", "_selected_action": [selected.pk]})
    assert len(read_xlsx(response.content)) == 2


def test_the_change_list_links_to_the_import_pages(client_for, admin_user):
    PersonFactory()
    content = client_for(admin_user).get("/admin/stakeholders/person/").content.decode()
    assert 'href="/imports/?kind=people"' in content
    assert "Export selected as XLSX" in content
