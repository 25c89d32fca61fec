"""The import pages (COE leads): upload → preview → confirm, bad files on the form,
forbidden to everyone else, CSRF, and a fixed number of queries on the preview."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from stakeholders.models import Department, ImportBatch
from tests.stakeholders.sheet_files import csv_upload, xlsx_bytes, xlsx_upload

pytestmark = pytest.mark.django_db

START = "/imports/"
ROWS = [["key", "name", "parent"], ["emea", "EMEA", "sales"], ["sales", "Sales", ""]]


def test_the_urls_are_the_ones_the_navigation_links_to():
    assert reverse("stakeholders:import-start") == START
    assert reverse("stakeholders:import-detail", args=[3]) == "/imports/3/"
    assert reverse("stakeholders:import-confirm", args=[3]) == "/imports/3/confirm/"


def upload(client, rows=ROWS, kind="departments", make=csv_upload, name="org.csv", **extra):
    return client.post(START, {"kind": kind, "file": make(rows, name=name)}, **extra)


def test_a_lead_uploads_previews_and_confirms(client_for, lead):
    client = client_for(lead)
    assert client.get(START).status_code == 200
    response = upload(client)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == f"/imports/{batch.pk}/"
    page = client.get(response.url)
    assert page.status_code == 200
    content = page.content.decode()
    assert 'data-testid="count-create">To create <span class="badge text-bg-secondary">2' in content
    assert "Confirm the import" in content
    assert not Department.objects.exists()

    response = client.post(f"/imports/{batch.pk}/confirm/", follow=True)
    assert "Imported: 2 created, 0 updated, 0 unchanged." in response.content.decode()
    assert Department.objects.get(key="emea").parent.key == "sales"
    assert "Confirm the import" not in response.content.decode()


def test_an_xlsx_upload_works_the_same(client_for, lead):
    response = upload(client_for(lead), make=xlsx_upload, name="org.xlsx")
    assert response.status_code == 302
    assert ImportBatch.objects.get().status == "ready"


def test_a_file_with_row_errors_shows_each_error_and_cannot_be_confirmed(client_for, lead):
    client = client_for(lead)
    rows = [["key", "name", "function"], ["a", "A", "pr"], ["a", "A2", "sales"]]
    response = client.get(upload(client, rows).url)
    content = response.content.decode()
    assert "2 problems — nothing will be imported" in content
    assert "<td>2</td><td><code>function</code></td><td>unknown function “pr”" in content
    assert "duplicate key “a” (also row 2)" in content
    assert "Confirm the import" not in content
    batch = ImportBatch.objects.get()
    response = client.post(f"/imports/{batch.pk}/confirm/", follow=True)
    assert "Nothing was imported. This import has errors" in response.content.decode()
    assert not Department.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("org.pdf", b"%PDF-1.4", "Only CSV (.csv) and Excel workbook (.xlsx) files"),
        ("org.csv", b"", "The submitted file is empty."),
        ("org.csv", "key,name\r\na,Caf\xe9\r\n".encode("cp1252"), "is not UTF-8 text"),
        ("org.csv", b"key,colour\r\na,red\r\n", "unknown column colour"),
    ],
)
def test_a_bad_file_is_refused_on_the_form_and_changes_nothing(
    client_for, lead, name, data, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(lead).post(
        START, {"kind": "departments", "file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "The file was not imported." in content
    assert message in content
    assert not ImportBatch.objects.exists()
    assert not Department.objects.exists()


def test_a_file_over_the_limit_is_refused_on_the_form(client_for, lead, settings):
    settings.UPLOAD_MAX_BYTES = 10
    response = upload(client_for(lead))
    assert "the limit is 10" in response.content.decode().replace("\xa0", " ")
    assert not ImportBatch.objects.exists()


def test_an_htmx_upload_is_sent_to_the_preview(client_for, lead):
    response = upload(client_for(lead), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/imports/{ImportBatch.objects.get().pk}/"


def test_an_htmx_upload_of_a_bad_file_gets_the_form_back_with_the_error(client_for, lead):
    response = upload(client_for(lead), rows=[["key"]], HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.startswith('\n<form id="upload-form"') or content.lstrip().startswith("<form")
    assert "missing column name" in content
    assert "<html" not in content


def test_the_upload_page_shows_the_size_limit_and_progress(client_for, lead, settings):
    settings.UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    content = client_for(lead).get(START).content.decode()
    assert 'data-max-bytes="5242880"' in content
    assert 'id="upload-progress"' in content
    # In a static file: the Content Security Policy refuses an inline <script>.
    assert 'src="/static/js/imports.js"' in content
    assert "htmx:xhr:progress" in Path(finders.find("js/imports.js")).read_text()


@pytest.mark.parametrize("persona", ["reader", "head_a"])
def test_only_leads_may_import(client_for, request, persona, lead):
    client = client_for(request.getfixturevalue(persona))
    batch = ImportBatch.objects.create(kind="departments", filename="x.csv", status="ready")
    assert client.get(START).status_code == 403
    assert upload(client).status_code == 403
    assert client.get(f"/imports/{batch.pk}/").status_code == 403
    assert client.post(f"/imports/{batch.pk}/confirm/").status_code == 403
    assert client.get("/imports/template/people.csv").status_code == 403
    assert ImportBatch.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(START)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_an_unknown_batch_is_not_found(client_for, lead):
    assert client_for(lead).get("/imports/999/").status_code == 404
    assert client_for(lead).post("/imports/999/confirm/").status_code == 404


def test_confirming_needs_the_csrf_token(lead):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    batch = ImportBatch.objects.create(
        kind="departments",
        filename="x.csv",
        status="ready",
        plan=[
            {
                "row": 2,
                "key": "a",
                "action": "create",
                "changes": [],
                "values": {"key": "a", "name": "A"},
            }
        ],
    )
    assert client.post(f"/imports/{batch.pk}/confirm/").status_code == 403
    assert not Department.objects.exists()


def test_confirming_is_post_only(client_for, lead):
    batch = ImportBatch.objects.create(kind="departments", filename="x.csv", status="ready")
    assert client_for(lead).get(f"/imports/{batch.pk}/confirm/").status_code == 405


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_lead_downloads_an_empty_template(client_for, lead, fmt):
    response = client_for(lead).get(f"/imports/template/accounts.{fmt}")
    assert response.status_code == 200
    assert 'filename="roundtable-accounts-template-' in response["Content-Disposition"]


def test_the_preview_pages_a_large_file_and_filters_by_action(client_for, lead, dept_a):
    rows = [["key", "name"], ["support", "Renamed"]] + [[f"d{i}", f"D{i}"] for i in range(150)]
    client = client_for(lead)
    detail = upload(client, rows).url
    content = client.get(detail).content.decode()
    assert "Page 1 of 2" in content
    response = client.get(detail + "?show=update")
    table = response.context["table"]
    assert table.columns == ["key", "name"]
    ((row, (key, name)),) = table.rows
    assert (row["key"], key.changed) == ("support", False)
    assert (name.value, name.changed, name.old) == ("Renamed", True, "Customer Support")
    content = response.content.decode()
    assert '<th scope="col"><code>name</code></th>' in content
    assert (
        '<td class="cell-changed" data-changed="1"><mark class="cell-change px-1">Renamed</mark>'
        '<span class="visually-hidden">, was </span>'
        '<del class="d-block text-body-secondary">Customer Support</del></td>'
    ) in content


def test_the_preview_is_a_table_with_the_files_columns_in_the_sheets_order(client_for, lead):
    rows = [["name", "key", "headcount"], ["Sales", "sales", "40"], ["Legal", "legal", ""]]
    client = client_for(lead)
    response = client.get(upload(client, rows).url)
    table = response.context["table"]
    assert table.columns == ["key", "name", "headcount"]
    assert [[cell.value for cell in cells] for _, cells in table.rows] == [
        ["sales", "Sales", "40"],
        ["legal", "Legal", ""],
    ]
    content = response.content.decode()
    assert "{'" not in content  # no raw dicts
    assert '<span class="visually-hidden">empty</span>' in content


@pytest.mark.parametrize("size", [5, 50])
def test_the_preview_runs_a_fixed_number_of_queries(
    size, client_for, lead, django_assert_num_queries
):
    client = client_for(lead)
    detail = upload(client, [["key", "name"]] + [[f"d{i}", f"D{i}"] for i in range(size)]).url
    with django_assert_num_queries(4):
        assert client.get(detail).status_code == 200


# --- in a browser ---------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_lead_imports_a_file_in_the_browser(live_server, client, lead, tmp_path):
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    path = tmp_path / "org.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))
    client.force_login(lead)
    cookie = client.cookies["sessionid"].value
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        context = browser.new_context()
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/imports/")
        page.get_by_label("Departments").check()
        page.set_input_files("input[type=file]", str(path))
        page.get_by_role("button", name="Upload and preview").click()
        page.wait_for_url(f"{live_server.url}/imports/*/")
        assert page.get_by_test_id("count-create").inner_text().endswith("2")
        page.get_by_test_id("confirm").click()
        page.wait_for_selector("text=Imported: 2 created, 0 updated, 0 unchanged.")
        browser.close()
    assert Department.objects.get(key="emea").parent.key == "sales"


def test_the_upload_page_describes_the_files_and_lists_recent_imports(client_for, lead):
    ImportBatch.objects.create(kind="people", filename="staff.xlsx", status="applied", row_count=3)
    content = client_for(lead).get(START).content.decode()
    assert "<strong>Social accounts</strong>" in content
    assert '<code>platform</code><span title="required">*</span>' in content
    assert "staff.xlsx" in content
