"""Bad files: each is refused with a clear message, and nothing is stored or changed."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stakeholders import spreadsheets
from stakeholders.models import Department, ImportBatch
from tests.stakeholders.sheet_files import csv_bytes, csv_upload, xlsx_bytes, xlsx_upload

pytestmark = pytest.mark.django_db

HEADER = ["key", "name", "parent"]


def refuse(upload, kind="departments") -> str:
    with pytest.raises(spreadsheets.ImportFileError) as caught:
        spreadsheets.batch_create(kind=kind, upload=upload, user=None)
    assert not ImportBatch.objects.exists()
    assert not Department.objects.exists()
    return str(caught.value)


class ExplodingUpload(SimpleUploadedFile):
    """An upload that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the file was read")

    def chunks(self, *args, **kwargs):
        raise AssertionError("the file was read")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    upload = ExplodingUpload("big.csv", b"x" * 1001, content_type="text/csv")
    message = refuse(upload)
    assert "1000" in message.replace("\xa0", " ") or "limit" in message
    assert "Split it" in message


def test_a_file_at_the_size_limit_is_read(settings):
    data = csv_bytes([HEADER, ["a", "A", ""]])
    settings.UPLOAD_MAX_BYTES = len(data)
    batch = spreadsheets.batch_create(
        kind="departments", upload=SimpleUploadedFile("d.csv", data), user=None
    )
    assert batch.status == "ready"


def test_an_empty_file_is_refused():
    assert refuse(SimpleUploadedFile("d.csv", b"")) == "The file is empty."


@pytest.mark.parametrize(
    "data",
    [b"\n\n", b" , , \r\n,,\r\n", b"\xef\xbb\xbf"],
    ids=["blank-lines", "blank-cells", "bom"],
)
def test_a_file_of_blank_lines_is_refused_as_empty(data):
    assert "empty" in refuse(SimpleUploadedFile("d.csv", data))


def test_an_empty_workbook_is_refused_as_empty():
    assert "empty" in refuse(xlsx_upload([]))


def test_a_header_without_rows_is_refused():
    assert "no data rows" in refuse(csv_upload([HEADER]))


@pytest.mark.parametrize("name", ["org.json", "org.pdf", "org.txt", "org.ods", "org"])
def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(name):
    message = refuse(SimpleUploadedFile(name, b'{"key": "a"}'))
    assert "Only CSV (.csv) and Excel workbook (.xlsx)" in message


def test_an_excel_97_file_is_refused_with_advice():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    message = refuse(SimpleUploadedFile("org.xls", data))
    assert "Only CSV" in message
    message = refuse(SimpleUploadedFile("org.xlsx", data))
    assert ".xls" in message and "Save it as" in message


def test_a_text_file_named_xlsx_is_refused():
    message = refuse(SimpleUploadedFile("org.xlsx", csv_bytes([HEADER, ["a", "A", ""]])))
    assert "not an Excel workbook" in message


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    message = refuse(SimpleUploadedFile("org.xlsx", buffer.getvalue()))
    assert "not a readable Excel workbook" in message


def test_a_workbook_named_csv_is_refused():
    message = refuse(SimpleUploadedFile("org.csv", xlsx_bytes([HEADER, ["a", "A", None]])))
    assert "rename it to .xlsx" in message


def test_a_windows_1252_csv_is_refused_saying_where_and_what():
    data = csv_bytes([HEADER, ["a", "A", ""], ["ops", "Opérations", ""]], encoding="cp1252")
    message = refuse(SimpleUploadedFile("org.csv", data))
    assert "not UTF-8" in message
    assert "byte 0xE9 on line 3" in message
    assert "Windows-1252" in message
    assert "CSV UTF-8" in message


def test_a_utf16_csv_is_refused():
    data = csv_bytes([HEADER, ["a", "A", ""]], encoding="utf-16")
    message = refuse(SimpleUploadedFile("org.csv", data))
    assert "UTF-16" in message


@pytest.mark.parametrize("bom", [False, True], ids=["plain", "with-bom"])
def test_utf8_with_or_without_a_bom_is_read(bom):
    upload = csv_upload([HEADER, ["ops", "Opérations", ""]], bom=bom)
    batch = spreadsheets.batch_create(kind="departments", upload=upload, user=None)
    assert batch.status == "ready"
    assert batch.plan[0]["values"]["name"] == "Opérations"
    assert batch.columns == HEADER


def test_a_semicolon_separated_csv_is_read():
    upload = csv_upload([HEADER, ["ops", "Ops, worldwide", ""]], delimiter=";")
    batch = spreadsheets.batch_create(kind="departments", upload=upload, user=None)
    assert batch.plan[0]["values"]["name"] == "Ops, worldwide"


def test_a_malformed_csv_is_refused_with_its_line():
    data = b'key,name\na,"unterminated\n'
    message = refuse(SimpleUploadedFile("org.csv", data))
    assert "cannot be read" in message


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["key", "parent"], "missing column name"),
        (["name"], "missing column key"),
        (["key", "name", "colour"], "unknown column colour"),
        (["key", "name", "name"], "column “name” appears twice"),
        (["key", "", "name"], "column 2 has no name"),
    ],
)
def test_wrong_or_missing_columns_are_refused(header, expected):
    message = refuse(csv_upload([header, ["a"] * len(header)]))
    assert expected in message
    assert "The columns are: key, name, parent" in message


def test_the_people_file_uploaded_as_departments_is_recognised():
    message = refuse(csv_upload([["email", "name", "title"], ["a@acme.test", "A", "X"]]))
    assert "It looks like a people file" in message


def test_header_names_are_matched_ignoring_case_and_spaces():
    upload = csv_upload([["Key", " Name ", "Customer facing"], ["a", "A", "yes"]])
    batch = spreadsheets.batch_create(kind="departments", upload=upload, user=None)
    assert batch.status == "ready"
    assert batch.plan[0]["values"]["customer_facing"] is True


def test_a_formula_in_the_header_is_refused():
    assert "formula" in refuse(xlsx_upload([["key", "=UPPER(A1)"], ["a", "A"]]))


def test_a_file_with_too_many_rows_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [HEADER] + [[f"d{i}", "D", ""] for i in range(4)]
    assert "more than 3 rows" in refuse(csv_upload(rows))
    assert "more than 3 rows" in refuse(xlsx_upload(rows))
