"""Spreadsheet files built in memory for the import and export tests."""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile


def csv_bytes(rows, *, encoding="utf-8", bom=False, delimiter=",") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def csv_upload(rows, name="file.csv", **options) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(rows, **options), content_type="text/csv")


def xlsx_bytes(rows, *, title=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_upload(rows, name="file.xlsx", **options) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        xlsx_bytes(rows, **options),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def read_xlsx(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))
