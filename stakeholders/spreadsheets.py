"""Spreadsheets in and out: imports of departments, people and social accounts from
CSV or XLSX, and CSV/XLSX exports of the registry's lists.

An import runs in two steps.

1. `batch_create` reads the upload once and checks every row: cell values, the
   model's own field rules, duplicate keys, references, cycles. It compares the
   rows with the registry (create / update / unchanged, with each change) and
   stores all of it as an `ImportBatch`: the preview and the validated rows.
2. `batch_apply` writes the stored rows in one transaction (all or nothing). It
   never reads the file again; it reloads the registry, because someone may have
   changed it since the preview, and re-checks references and cycles against it.

Rows are matched by natural key (department key, e-mail, platform + handle), so
the same file imported twice changes nothing the second time. A column left out
of the file leaves that field alone; docs/spreadsheets.md describes each file.

Reading: CSV through the standard library's csv module — the engine tablib uses
for CSV; tablib's own loader drops blank lines and raises on a long row without
saying which one, and every message here names its row. XLSX through openpyxl,
read-only, with formulas kept, so that a formula is refused instead of silently
replaced by its cached value. Exports go through tablib.

Writing: bulk statements through django-simple-history's bulk helpers, so that
20,000 rows take seconds (bench/import_rows.py) and keep the audit trail.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any
from xml.parsers import expat

import openpyxl
import tablib
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from accounts import services as accounts_services
from stakeholders import bulk, handovers, rules, signals
from stakeholders.heads import HeadUsers
from stakeholders.models import (
    AccountPurpose,
    AccountStatus,
    Department,
    DepartmentKind,
    ExpertiseTag,
    Function,
    ImportBatch,
    ImportKind,
    ImportStatus,
    Person,
    Platform,
    Seniority,
    SocialAccount,
)
from stakeholders.trees import walk_up

BATCH_SIZE = bulk.BATCH_SIZE
CHANGE_REASON = "spreadsheet import"
# Problems kept on a batch; a file of garbage should not store megabytes of them.
MAX_PROBLEMS = 500
# Cells an export prefixes with an apostrophe so that no spreadsheet runs them.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# ==========================================================================
# Errors and the problems of a file
# ==========================================================================


class ImportFileError(Exception):
    """The upload cannot be read at all (too big, empty, not CSV/XLSX, bad encoding, bad
    header). Nothing is stored or changed; the message says what to do."""


class CellError(Exception):
    """One cell's value is not acceptable; the message names the value."""


@dataclass(frozen=True)
class Problem:
    """An error in the file: `row` is the row number in the spreadsheet (the header is
    row 1), `column` the header name; both are None for a problem with the whole file."""

    message: str
    row: int | None = None
    column: str | None = None

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = [f"row {self.row}" if self.row else "", self.column or ""]
        prefix = ", ".join(w for w in where if w)
        return f"{prefix}: {self.message}" if prefix else self.message


def _show(value: Any) -> str:
    text = str(value)
    return f"“{text if len(text) <= 60 else text[:57] + '...'}”"


# ==========================================================================
# Reading a file into a table
# ==========================================================================


@dataclass
class Table:
    """The cells of an upload: the header and the data rows, each with its row number
    in the file. Blank rows are left out (their numbers are skipped)."""

    header: list[str]
    rows: list[tuple[int, list[Any]]]
    format: str
    header_row: int = 1


_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc: Office 97-2003
_UTF8_BOM = b"\xef\xbb\xbf"


def read_upload(upload, *, kind: str | None = None) -> Table:
    """Read an uploaded file (a Django UploadedFile) into a Table, or raise ImportFileError.

    The size is checked against settings.UPLOAD_MAX_BYTES before a byte is read.
    """
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ImportFileError(
            f"The file is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)}. "
            "Split it into smaller files and import them one after the other."
        )
    if upload.size == 0:
        raise ImportFileError("The file is empty.")
    name = upload.name or ""
    suffix = PurePath(name).suffix.lower()
    upload.seek(0)
    data = upload.read()
    if suffix not in (".csv", ".xlsx"):
        shown = f"a {suffix} file" if suffix else "a file without an extension"
        raise ImportFileError(
            f"Only CSV (.csv) and Excel workbook (.xlsx) files can be imported, not {shown}."
        )
    if data.startswith(_OLE_MAGIC):
        raise ImportFileError(
            "This is an Excel 97-2003 (.xls) file, which cannot be read. "
            "Save it as an Excel workbook (.xlsx) or as “CSV UTF-8”."
        )
    if suffix == ".xlsx":
        if not data.startswith(_XLSX_MAGIC):
            raise ImportFileError(
                "The file is named .xlsx but is not an Excel workbook. "
                "Save it from your spreadsheet program as .xlsx or as “CSV UTF-8”."
            )
        return _read_xlsx(data, kind=kind)
    if data.startswith(_XLSX_MAGIC):
        raise ImportFileError(
            "The file is named .csv but is an Excel workbook: rename it to .xlsx."
        )
    return _read_csv(data)


def _limits() -> tuple[int, int]:
    """(rows, columns) one file may hold, from the settings (IMPORT_MAX_ROWS and
    IMPORT_MAX_COLUMNS): the upload size alone does not bound the work, since a small
    workbook can hold a million cells in one row."""
    return settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS


# The characters XML 1.0 cannot hold (so an XLSX export of them would fail), NUL
# (PostgreSQL text cannot hold it) and lone surrogates (not text at all). A spreadsheet
# never means them: they come from a damaged or hostile file.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def _control_problem(value: Any) -> str | None:
    if isinstance(value, str) and (found := _CONTROL.search(value)):
        return f"holds the control character U+{ord(found.group()):04X}, which no text can hold"
    return None


def _decode(data: bytes) -> str:
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    # Anywhere in the file, not only at the start: a NUL byte reaches the database
    # otherwise, and PostgreSQL refuses it (a 500 instead of a message).
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise ImportFileError(
            f"The file is not text: it contains a NUL byte (line {line}), so it is not a CSV "
            "file. If it is UTF-16 text, save it again as “CSV UTF-8”."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex().upper()
        guess = ""
        try:
            sample = data[max(0, error.start - 20) : error.start + 20].decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            guess = f" It looks like Windows-1252 (“…{sample.strip()}…”)."
        raise ImportFileError(
            f"The file is not UTF-8 text: byte 0x{byte} on line {line} is not valid UTF-8."
            f"{guess} Save it as “CSV UTF-8” (UTF-8 with or without a BOM is accepted)."
        ) from None


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    max_rows, max_columns = _limits()
    first_line = text.split("\n", 1)[0]
    # Excel writes ";" where the decimal separator is a comma; pick what the header uses.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    # Scanning the whole text once is cheap; the cells are looked at one by one only
    # when it holds a control character, to say where.
    controls = _CONTROL.search(text) is not None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[Any]]] = []
    start = 1
    try:
        for cells in reader:
            if len(cells) > max_columns:
                raise ImportFileError(
                    f"Line {start} has {len(cells):,} cells; an import reads at most "
                    f"{max_columns:,} columns. Delete what is right of the last column."
                )
            if controls:
                _check_controls(start, cells)
            if not all(_blank(c) for c in cells):
                records.append((start, cells))
                _check_row_count(len(records), max_rows)
            start = reader.line_num + 1
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise ImportFileError(
                f"The CSV file cannot be read at line {start}: a cell is longer than "
                f"{csv.field_size_limit():,} characters."
            ) from None
        raise ImportFileError(f"The CSV file cannot be read at line {start}: {error}.") from None
    return _table(records, "csv")


def _check_controls(row: int, cells: Sequence[Any]) -> None:
    for index, value in enumerate(cells, start=1):
        if problem := _control_problem(value):
            raise ImportFileError(
                f"Row {row}, column {_column_letter(index)}: the cell {problem}. "
                "The file is damaged: save it again from your spreadsheet program."
            )


def _column_letter(index: int) -> str:
    return openpyxl.utils.get_column_letter(index) if 1 <= index <= 18278 else str(index)


def _check_row_count(count: int, max_rows: int) -> None:
    if count > max_rows + 1:  # and the header
        raise ImportFileError(
            f"The file has more than {max_rows:,} rows. "
            "Split it into smaller files and import them one after the other."
        )


# --- XLSX ----------------------------------------------------------------------------
# openpyxl reads a workbook well but trusts it: it unpacks whatever the zip says,
# builds every cell of a row in memory before the caller can stop it (a row of a
# million cells: 30 s and a gigabyte), takes shared-string index -1 as the last string
# (Python indexing: a cell silently shows another cell's text), and raises whatever
# its XML parser or int() raise while the rows are iterated. So a workbook goes
# through three gates before openpyxl iterates its rows:
#
# 1. the zip's directory: the parts' unpacked sizes summed against
#    IMPORT_MAX_UNPACKED_BYTES (zipfile never unpacks more than a part's declared
#    size, so the check holds even when the directory lies: the CRC check fails);
# 2. the sheet's XML streamed once through expat, holding no cells: rows, cells per
#    row, positions and shared-string indexes are checked as they go by, and the scan
#    stops at the first problem (the million-cell row is refused at its 101st cell);
# 3. then openpyxl reads the sheet, bounded to the rows and columns the scan found
#    holding values, and any error it still raises becomes a message.
#
# A pre-scan rather than a patched openpyxl: it depends on nothing inside openpyxl
# but the sheet's part name and the shared strings it loaded.

_XLSX_MAX_PARTS = 10_000
_EXCEL_MAX_ROW = 1_048_576
_EXCEL_MAX_COLUMN = 16_384
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+)")


def _unreadable(error: BaseException | str) -> ImportFileError:
    reason = error if isinstance(error, str) else type(error).__name__
    return ImportFileError(
        f"The file is not a readable Excel workbook (.xlsx) ({reason}). "
        "Save it again from your spreadsheet program as .xlsx."
    )


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise _unreadable(error) from None
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    unpacked = sum(part.file_size for part in parts)
    if len(parts) > _XLSX_MAX_PARTS or unpacked > limit:
        raise ImportFileError(
            f"The workbook unpacks to {filesizeformat(unpacked)} in {len(parts):,} parts; "
            f"the limit is {filesizeformat(limit)}. Split it into smaller files, or save "
            "it as “CSV UTF-8”."
        )
    return archive


class _SheetRefused(Exception):
    """Raised from the expat handlers to stop the scan at the first problem."""


@dataclass
class _SheetScan:
    """What the scan of a sheet's XML found: the rows holding a value (their numbers as
    openpyxl numbers them) and the rightmost column holding one."""

    rows: set[int] = field(default_factory=set)
    max_column: int = 0


class _SheetScanner:
    """Streams a worksheet's XML through expat and checks it the way openpyxl will read
    it (row numbers from <row r>, else the previous one plus one; a cell's column from
    its <c r>, else the previous one plus one), without keeping any cell.

    The handlers run for every element of the sheet, so they dispatch on the depth
    (worksheet 1, sheetData 2, row 3, cell 4, a cell's v/is/f 5) and return at once for
    anything deeper: the scan adds a fraction of what openpyxl's own read costs."""

    def __init__(self, *, strings: int, max_rows: int, max_columns: int):
        self.strings = strings
        self.max_rows = max_rows
        self.max_columns = max_columns
        self.scan = _SheetScan()
        self.depth = 0
        self.in_data = False  # inside <sheetData>
        self.row = 0
        self.cells = 0
        self.column = 0
        self.columns_seen: set[int] = set()
        self.ref: str | None = None
        self.shared = False  # the cell is a shared string (t="s", no formula)
        self.valued = False  # the cell has a <v>, <is> or <f>
        self.in_v = False
        self.text: list[str] = []

    def run(self, source) -> _SheetScan:
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters
        while chunk := source.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
        return self.scan

    def refuse(self, message: str):
        raise _SheetRefused(message)

    def where(self) -> str:
        return self.ref or f"{_column_letter(self.column)}{self.row}"

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth = depth = self.depth + 1
        if depth > 5 or depth < 2:
            return
        if depth == 2:
            self.in_data = name.rpartition(":")[2] == "sheetData"
        elif not self.in_data:
            return
        elif depth == 3:
            self.start_row(attrs.get("r"))
        elif depth == 4:
            self.start_cell(attrs)
        else:
            local = name.rpartition(":")[2]
            if local == "v":
                self.valued = self.in_v = True
                self.text = []
            elif local == "f":
                self.valued = True
                self.shared = False  # openpyxl reads the formula, not the index
            elif local == "is":
                self.valued = True

    def start_row(self, number: str | None) -> None:
        previous = self.row
        if number is None:
            self.row += 1
        else:
            try:
                self.row = int(float(number))
            except (ValueError, OverflowError):
                self.refuse(f"a row is numbered {_show(number)}, which is not a row number")
        if not 1 <= self.row <= _EXCEL_MAX_ROW:
            self.refuse(f"a row is numbered {self.row:,}, outside 1 to {_EXCEL_MAX_ROW:,}")
        if self.row <= previous:  # openpyxl would drop it, or mix two rows
            self.refuse(f"row {self.row} comes after row {previous}")
        self.cells = 0
        self.column = 0
        self.columns_seen = set()

    def start_cell(self, attrs: dict[str, str]) -> None:
        self.cells += 1
        if self.cells > self.max_columns:
            self.refuse(
                f"row {self.row} has more than {self.max_columns:,} cells; an import reads "
                f"at most {self.max_columns:,} columns. Delete what is right of the last column"
            )
        ref = attrs.get("r")
        if ref is None:
            self.column += 1
        else:
            match = _CELL_REF.fullmatch(ref)
            if match is None:
                self.refuse(f"row {self.row} has a cell at {_show(ref)}, which is no address")
            self.column = openpyxl.utils.column_index_from_string(match.group(1).upper())
        if self.column > _EXCEL_MAX_COLUMN:
            self.refuse(f"cell {ref} lies beyond the last column of a sheet")
        if self.column in self.columns_seen:  # openpyxl would keep only the last one
            self.refuse(f"row {self.row} has two cells in column {_column_letter(self.column)}")
        self.columns_seen.add(self.column)
        self.ref = ref
        self.shared = attrs.get("t") == "s"
        self.valued = False

    def characters(self, data: str) -> None:
        if self.in_v:
            self.text.append(data)

    def end(self, name: str) -> None:
        depth = self.depth
        self.depth = depth - 1
        if depth == 5 and self.in_v:
            self.in_v = False
            if self.shared:
                self.check_shared_string("".join(self.text).strip())
        elif depth == 4 and self.in_data and self.valued:
            self.end_valued_cell()
        elif depth == 2:
            self.in_data = False

    def end_valued_cell(self) -> None:
        if self.column > self.max_columns:
            self.refuse(
                f"cell {self.where()} holds a value beyond column "
                f"{_column_letter(self.max_columns)}; an import reads at most "
                f"{self.max_columns:,} columns"
            )
        if self.column > self.scan.max_column:
            self.scan.max_column = self.column
        if self.row not in self.scan.rows:
            self.scan.rows.add(self.row)
            if len(self.scan.rows) > self.max_rows + 1:  # and the header
                self.refuse(
                    f"the sheet has more than {self.max_rows:,} rows. Split it into smaller "
                    "files and import them one after the other"
                )

    def check_shared_string(self, text: str) -> None:
        # openpyxl takes the index as a Python index: -1 would be the last string.
        if not text:
            return
        if not (text.isascii() and text.isdigit()) or int(text) >= self.strings:
            self.refuse(
                f"cell {self.where()} refers to shared text number {_show(text)}, but the "
                f"workbook holds {self.strings:,} (numbered from 0): the file is damaged. "
                "Save it again from your spreadsheet program"
            )


def _scan_sheet(archive: zipfile.ZipFile, sheet, *, title: str) -> _SheetScan:
    max_rows, max_columns = _limits()
    # Two names from openpyxl's read-only sheet: the part it will read and the shared
    # strings it loaded (the scan must judge exactly what openpyxl will index).
    scanner = _SheetScanner(
        strings=len(sheet._shared_strings), max_rows=max_rows, max_columns=max_columns
    )
    try:
        with archive.open(sheet._worksheet_path) as source:
            return scanner.run(source)
    except _SheetRefused as error:
        raise ImportFileError(f"The sheet “{title}” cannot be imported: {error}.") from None
    except expat.ExpatError as error:
        after = f" near row {scanner.row}" if scanner.row else ""
        raise ImportFileError(
            f"The sheet “{title}” is damaged{after}: its XML breaks off or holds a character "
            f"XML cannot hold (line {error.lineno}, column {error.offset}: "
            f"{expat.ErrorString(error.code)}). Save it again from your spreadsheet program."
        ) from None
    except KeyError:
        raise ImportFileError(
            f"The sheet “{title}” has no data in the workbook (a part is missing): the file is "
            "damaged. Save it again from your spreadsheet program."
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise _unreadable(error) from None


def _read_xlsx(data: bytes, *, kind: str | None) -> Table:
    archive = _open_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except KeyError as error:  # zipfile's, for a part the workbook lists but lacks
        raise _unreadable(f"a part is missing: {error.args[0] if error.args else error}") from None
    except Exception as error:  # openpyxl raises many kinds of errors on a foreign zip
        raise _unreadable(error) from None
    try:
        sheet = _pick_sheet(workbook, kind)
        scan = _scan_sheet(archive, sheet, title=sheet.title)
        return _table(_xlsx_records(sheet, scan), "xlsx")
    finally:
        workbook.close()
        archive.close()


def _xlsx_records(sheet, scan: _SheetScan) -> list[tuple[int, list[Any]]]:
    if not scan.rows:
        return []
    sheet.reset_dimensions()  # some writers store a wrong size: the scan measured it
    records = []
    number = 0
    rows = sheet.iter_rows(max_col=scan.max_column, max_row=max(scan.rows))
    try:
        for number, row in enumerate(rows, start=1):
            if number not in scan.rows:  # blank (openpyxl fills gaps with empty rows)
                continue
            cells = []
            for index, cell in enumerate(row, start=1):
                value = cell.value
                if problem := _control_problem(value):
                    raise ImportFileError(
                        f"Cell {_column_letter(index)}{number} {problem}. "
                        "The file is damaged: save it again from your spreadsheet program."
                    )
                if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
                    value = _XlsxFormula(str(value))
                elif cell.data_type == "e":
                    value = _XlsxErrorValue(str(value))
                cells.append(value)
            if not all(_blank(c) for c in cells):
                records.append((number, cells))
    except ImportFileError:
        raise
    except Exception as error:  # whatever the XML parser, int() or a date conversion raise
        raise ImportFileError(
            f"The sheet “{sheet.title}” cannot be read at row {number + 1} "
            f"({type(error).__name__}): the file is damaged. "
            "Save it again from your spreadsheet program."
        ) from None
    return records


class _XlsxFormula(str):
    """A cell holding a formula: refused, since its value is whatever the formula says."""


class _XlsxErrorValue(str):
    """A cell that shows an error such as #N/A or #REF!."""


def _pick_sheet(workbook, kind: str | None):
    """The sheet named after the kind of import, when there is one, else the first one."""
    if kind:
        for sheet in workbook.worksheets:
            if sheet.title.strip().lower() in {kind, ImportKind(kind).label.lower()}:
                return sheet
    if not workbook.worksheets:  # openpyxl skips a sheet whose part is missing
        raise ImportFileError(
            "The workbook has no readable sheet (a part is missing): the file is damaged. "
            "Save it again from your spreadsheet program."
        )
    return workbook.worksheets[0]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(records: list[tuple[int, list[Any]]], fmt: str) -> Table:
    records = [(n, cells) for n, cells in records if not all(_blank(c) for c in cells)]
    if not records:
        raise ImportFileError("The file is empty: it has no header row and no data.")
    header_row, header_cells = records[0]
    while header_cells and _blank(header_cells[-1]):
        header_cells = header_cells[:-1]
    formulas = [cell for cell in header_cells if isinstance(cell, _XlsxFormula)]
    if formulas:
        raise ImportFileError(
            f"The header row holds a formula ({formulas[0]}): type the column names instead."
        )
    header = [_header_name(cell) for cell in header_cells]
    return Table(header=header, rows=records[1:], format=fmt, header_row=header_row)


def _header_name(cell: Any) -> str:
    text = "" if cell is None else str(cell)
    return "_".join(text.strip().lower().replace("-", " ").split())


# ==========================================================================
# Cell parsers: a non-empty cell in, a clean value out, or CellError
# ==========================================================================


def _cell_text(value: Any) -> str:
    """The text of a cell. A leading apostrophe before = + - @ is removed: it is how an
    export neutralises formulas, so exported files import back unchanged."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time.min else value
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    text = text.strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        text = text[1:]
    return text


def _judged(rule: Callable[..., Any], value: Any, **options) -> Any:
    try:
        return rule(value, **options)
    except rules.Invalid as error:
        raise CellError(error.message) from None


def ruled(rule: Callable[..., Any], **options) -> Callable[[Any], Any]:
    """A parser: the cell's text judged by a rule of stakeholders.rules, whose message
    is the one the web forms, the API and the bundle give."""

    def parse(value: Any) -> Any:
        return _judged(rule, _cell_text(value), **options)

    return parse


parse_text = _cell_text
parse_email = ruled(rules.clean_email)


def parse_integer(value: Any) -> int:
    """A whole number: a number cell with no fraction, or text as rules.whole_number
    reads it."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return _judged(rules.whole_number, _cell_text(value))


def count_parser(label: str) -> Callable[[Any], int]:
    return lambda value: _judged(rules.clean_count, parse_integer(value), label=label)


def rating_parser(label: str) -> Callable[[Any], int]:
    return lambda value: _judged(rules.clean_rating, parse_integer(value), label=label)


_TRUE = {"true", "yes", "y", "1", "x", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


def parse_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _cell_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"{_show(text)} is not yes/no (use true or false)")


def parse_date(value: Any) -> dt.date:
    """A date cell, or text written YYYY-MM-DD (rules.iso_date)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _judged(rules.iso_date, _cell_text(value))


def choice_parser(choices: type[models.TextChoices], label: str) -> Callable[[Any], str]:
    """A value of the enumeration, given as its value or its label, in any case: a
    spreadsheet is typed by people, who write what the pages show ("LinkedIn",
    "Customer support"). What is not one of them is refused by rules.clean_choice."""
    lookup: dict[str, str] = {}
    for value, display in choices.choices:
        for alias in (value, display):
            lookup["_".join(str(alias).lower().replace("-", " ").split())] = value

    def parse(value: Any) -> str:
        text = _cell_text(value)
        found = lookup.get("_".join(text.lower().replace("-", " ").split()), text)
        return _judged(rules.clean_choice, found, choices=choices.values, label=label)

    return parse


def parse_tags(value: Any) -> list[str]:
    return _judged(rules.clean_tags, rules.split_list(_cell_text(value)))


def parse_emails(value: Any) -> list[str]:
    return list(dict.fromkeys(parse_email(item) for item in rules.split_list(_cell_text(value))))


def parse_user_name(value: Any) -> str:
    """A user named by e-mail or username (resolved against the registry later)."""
    return _cell_text(value).lower()


def parse_key(value: Any) -> str:
    """A department key as a key (stakeholders.rules); whether it may be a new one is
    checked against the registry (_DepartmentImporter)."""
    text = _cell_text(value)
    if problem := rules.key_format_problem(text):
        raise CellError(problem)
    return text


def parse_handle(value: Any) -> str:
    """The handle without its @; the platform's rule is checked with the row's platform
    (_check_handle)."""
    handle = rules.strip_handle(_cell_text(value))
    if not handle:
        _judged(rules.clean_handle, handle, platform="")
    return handle


def _check_handle(row: Row, problems: _Problems) -> None:
    if "platform" in row.values and "handle" in row.values:
        try:
            rules.clean_handle(row.values["handle"], platform=row.values["platform"])
        except rules.Invalid as error:
            problems.add(error.message, row, "handle")


# ==========================================================================
# The three files
# ==========================================================================


@dataclass(frozen=True)
class Column:
    """A column of an import file.

    required: the column must be in the file and every cell filled.
    clears: an empty cell sets `empty` (no parent, no tags...); otherwise an empty cell
        leaves the field alone (or takes the default, for a new row).
    """

    name: str
    parse: Callable[[Any], Any]
    doc: str
    required: bool = False
    clears: bool = False
    empty: Any = None


@dataclass(frozen=True)
class Sheet:
    kind: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    key_columns: tuple[str, ...]
    # Checks of a row that read several of its cells.
    check_row: Callable[[Row, _Problems], None] | None = None

    @property
    def label(self) -> str:
        return ImportKind(self.kind).label

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


SHEETS: dict[str, Sheet] = {
    ImportKind.DEPARTMENTS: Sheet(
        kind=ImportKind.DEPARTMENTS,
        model=Department,
        key_columns=("key",),
        columns=(
            Column("key", parse_key, "unique key: " + rules.KEY_HELP, True),
            Column("name", ruled(rules.clean_name), "display name", True),
            Column(
                "parent",
                parse_text,
                "key of the parent department (in this file or already registered); "
                "empty: top level",
                clears=True,
            ),
            Column(
                "kind",
                choice_parser(DepartmentKind, "kind"),
                "one of " + ", ".join(DepartmentKind.values) + " (default function)",
            ),
            Column(
                "function",
                choice_parser(Function, "function"),
                "one of " + ", ".join(Function.values) + " (default other)",
            ),
            Column(
                "headcount",
                count_parser("headcount"),
                "own staff, not counting sub-departments, 0 or more (default 0)",
            ),
            Column("customer_facing", parse_boolean, "true or false (default false)"),
            Column("influence", rating_parser("influence"), "1 to 5 (default 3)"),
            Column("interest", rating_parser("interest"), "1 to 5 (default 3)"),
            Column(
                "head",
                parse_user_name,
                "the head: e-mail of a registered person, or e-mail or username of a user; "
                "empty: no head",
                clears=True,
            ),
            Column("active", parse_boolean, "true, or false for archived (default true)"),
        ),
    ),
    ImportKind.PEOPLE: Sheet(
        kind=ImportKind.PEOPLE,
        model=Person,
        key_columns=("email",),
        columns=(
            Column("email", parse_email, "e-mail, unique (any case)", True),
            Column("name", ruled(rules.clean_name), "full name", True),
            Column(
                "title",
                ruled(rules.clean_text, label="title", max_length=rules.NAME_MAX_LENGTH),
                "job title",
                clears=True,
                empty="",
            ),
            Column(
                "seniority",
                choice_parser(Seniority, "seniority"),
                "one of " + ", ".join(Seniority.values) + "; empty: unknown",
                clears=True,
            ),
            Column(
                "department",
                parse_text,
                "key of a registered department; empty: outside the company",
                clears=True,
            ),
            Column(
                "expertise",
                parse_tags,
                "tags separated by ; or , (they replace the person's tags)",
                clears=True,
                empty=[],
            ),
            Column("active", parse_boolean, "true, or false once the person has left"),
        ),
    ),
    ImportKind.ACCOUNTS: Sheet(
        kind=ImportKind.ACCOUNTS,
        model=SocialAccount,
        key_columns=("platform", "handle"),
        columns=(
            Column(
                "platform",
                choice_parser(Platform, "platform"),
                "one of " + ", ".join(Platform.values),
                True,
            ),
            Column(
                "handle",
                parse_handle,
                "the handle, with or without @ (unique per platform, any case)",
                True,
            ),
            Column("url", ruled(rules.clean_url), "profile URL", clears=True, empty=""),
            Column(
                "owner",
                parse_text,
                "key of the owning department; empty: no owner",
                clears=True,
            ),
            Column(
                "status",
                choice_parser(AccountStatus, "status"),
                "one of " + ", ".join(AccountStatus.values) + " (default active)",
            ),
            Column("followers", count_parser("number of followers"), "0 or more (default 0)"),
            Column(
                "purpose",
                choice_parser(AccountPurpose, "purpose"),
                "one of " + ", ".join(AccountPurpose.values) + " (default other)",
            ),
            Column(
                "last_post_at",
                parse_date,
                "date of the last post, YYYY-MM-DD",
                clears=True,
            ),
            Column(
                "managers",
                parse_emails,
                "e-mails of registered people, separated by ; or , (they replace the managers)",
                clears=True,
                empty=[],
            ),
        ),
        check_row=_check_handle,
    ),
}


# ==========================================================================
# Checking rows
# ==========================================================================


@dataclass
class Row:
    """A data row: its number in the file and the values of the columns it sets."""

    number: int
    values: dict[str, Any]
    key: Any = None
    ok: bool = True
    # The key cell's text even when it is not a valid key, so that rows referring to
    # it are not also reported.
    raw_key: str | None = None


class _Problems:
    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, message: str, row: Row | int | None = None, column: str | None = None):
        number = row.number if isinstance(row, Row) else row
        if isinstance(row, Row):
            row.ok = False
        self.items.append(Problem(message=message, row=number, column=column))

    def __bool__(self) -> bool:
        return bool(self.items)


def check_header(sheet: Sheet, header: list[str]) -> None:
    """Every required column present, no unknown or repeated column; else ImportFileError."""
    problems = []
    seen: set[str] = set()
    for index, name in enumerate(header, start=1):
        if not name:
            problems.append(f"column {index} has no name in the header row")
        elif name in seen:
            problems.append(f"column {_show(name)} appears twice")
        seen.add(name)
    unknown = [n for n in header if n and n not in sheet.names]
    missing = [n for n in sheet.required if n not in header]
    if missing:
        problems.append("missing column" + ("s " if len(missing) > 1 else " ") + ", ".join(missing))
    if unknown:
        problems.append("unknown column" + ("s " if len(unknown) > 1 else " ") + ", ".join(unknown))
    if problems:
        hint = ""
        for other in SHEETS.values():
            if other.kind != sheet.kind and set(other.required) <= set(header):
                hint = f" It looks like a {other.model._meta.verbose_name_plural} file."
        raise ImportFileError(
            "The header row does not fit a "
            f"{sheet.model._meta.verbose_name_plural} file: {'; '.join(problems)}. "
            f"The columns are: {', '.join(sheet.names)} "
            f"(required: {', '.join(sheet.required)}).{hint}"
        )


def parse_rows(sheet: Sheet, table: Table, problems: _Problems) -> list[Row]:
    """Cell values and the model's field rules, then duplicate keys. Rows with a problem
    are kept (flagged) so that references to their keys do not add noise."""
    check_header(sheet, table.header)
    if not table.rows:
        raise ImportFileError("The file has a header row but no data rows.")
    columns = [sheet.column(name) for name in table.header]
    width = len(columns)
    rows = []
    for number, cells in table.rows:
        row = Row(number=number, values={})
        extra = [c for c in cells[width:] if not _blank(c)]
        if extra:
            problems.add(
                f"{len(extra)} cell(s) beyond the last column of the header ({_show(extra[0])})",
                row,
            )
        for index, column in enumerate(columns):
            raw = cells[index] if index < len(cells) else None
            _parse_cell(row, column, raw, problems)
        if sheet.check_row is not None:
            sheet.check_row(row, problems)
        if all(k in row.values for k in sheet.key_columns):
            row.key = _natural_key(sheet, row.values)
        elif sheet.key_columns[0] in table.header:
            index = table.header.index(sheet.key_columns[0])
            if index < len(cells) and not _blank(cells[index]):
                row.raw_key = _cell_text(cells[index])
        rows.append(row)

    first: dict[Any, int] = {}
    for row in rows:
        if row.key is None:
            continue
        if row.key in first:
            column = sheet.key_columns[-1]
            problems.add(
                f"duplicate {_describe_key(sheet, row.key)} (also row {first[row.key]})",
                row,
                column,
            )
        else:
            first[row.key] = row.number
    return rows


def _parse_cell(row: Row, column: Column, raw: Any, problems: _Problems) -> None:
    if isinstance(raw, _XlsxFormula):
        problems.add(
            f"formula {_show(raw)} is not allowed: paste the value instead", row, column.name
        )
        return
    if isinstance(raw, _XlsxErrorValue):
        problems.add(f"the cell shows the error {raw}", row, column.name)
        return
    if _blank(raw):
        if column.required:
            problems.add("required: the cell is empty", row, column.name)
        elif column.clears:
            row.values[column.name] = column.empty
        return
    try:
        value = column.parse(raw)
    except CellError as error:
        problems.add(str(error), row, column.name)
    else:
        row.values[column.name] = value


def _natural_key(sheet: Sheet, values: dict[str, Any]) -> Any:
    if sheet.kind == ImportKind.ACCOUNTS:
        return (values["platform"], values["handle"].lower())
    if sheet.kind == ImportKind.PEOPLE:
        return values["email"].lower()
    return values["key"]


def _describe_key(sheet: Sheet, key: Any) -> str:
    if sheet.kind == ImportKind.ACCOUNTS:
        return f"account {key[0]}:{key[1]}"
    if sheet.kind == ImportKind.PEOPLE:
        return f"e-mail {_show(key)}"
    return f"key {_show(key)}"


# ==========================================================================
# The registry as the rows see it, the checks against it, and the diff
# ==========================================================================


@dataclass
class Change:
    action: str  # create | update | unchanged
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # column, old, new


def display_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | set):
        return "; ".join(sorted(str(v) for v in value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _diff(current: dict[str, Any] | None, values: dict[str, Any]) -> Change:
    """Compare a row with the record it matches (None: no record yet)."""
    if current is None:
        return Change("create")
    changes = []
    for name, new in values.items():
        old = current.get(name)
        same = set(new) == set(old or ()) if isinstance(new, list) else old == new
        if not same:
            changes.append((name, display_value(old), display_value(new)))
    return Change("update" if changes else "unchanged", changes)


# Columns stored as they are on the model; the others are references or lists.
_PLAIN_FIELDS = {
    ImportKind.DEPARTMENTS: (
        "name",
        "kind",
        "function",
        "headcount",
        "customer_facing",
        "influence",
        "interest",
        "active",
    ),
    ImportKind.PEOPLE: ("name", "title", "seniority", "active"),
    ImportKind.ACCOUNTS: ("handle", "url", "status", "followers", "purpose", "last_post_at"),
}


class _Importer:
    """What differs between the three files: loading the part of the registry the rows
    touch (a fixed number of queries, chunked), checking references against it, each
    record's current values in the file's terms, and the bulk write."""

    sheet: Sheet
    model: type[models.Model]
    # Model fields a record is rebuilt from for a bulk update (all tracked fields, so
    # that the history row of the update is complete).
    record_fields: tuple[str, ...]

    def __init__(self, rows: list[Row]):
        self.rows = rows

    @property
    def kind(self) -> str:
        return self.sheet.kind

    def load(self) -> None:
        raise NotImplementedError

    def check(self, problems: _Problems) -> None:
        raise NotImplementedError

    def current(self, row: Row) -> dict[str, Any] | None:
        raise NotImplementedError

    def compared(self, row: Row, current: dict[str, Any] | None) -> dict[str, Any]:
        """The row's values as they compare with `current` (references resolved)."""
        return row.values

    def model_values(self, row: Row) -> dict[str, Any]:
        """The model fields the row sets (references as ids)."""
        raise NotImplementedError

    def diff(self) -> list[tuple[Row, Change]]:
        plan = []
        for row in self.rows:
            if row.ok:
                current = self.current(row)
                plan.append((row, _diff(current, self.compared(row, current))))
        return plan

    def new_record(self, row: Row) -> models.Model:
        values = {
            name: self.model._meta.get_field(name).get_default()
            for name in _PLAIN_FIELDS[self.kind]
        }
        values.update(self._identity(row))
        values.update(self.model_values(row))
        return self.model(**values)

    def _identity(self, row: Row) -> dict[str, Any]:
        raise NotImplementedError

    def write_records(self, plan: list[tuple[Row, Change]], user) -> dict[Any, int]:
        """Create and update the records; return every row's record id by natural key."""
        ids = {key: record["id"] for key, record in self.existing.items()}
        created = _writer(user).create(
            self.model, [self.new_record(row) for row, c in plan if c.action == "create"]
        )
        ids.update({self.key_of_record(record): record.pk for record in created})
        self._update(plan, user)
        return ids

    def key_of_record(self, record: models.Model) -> Any:
        raise NotImplementedError

    def existing_record(self, key: Any) -> models.Model:
        """A record as it stands, rebuilt from the values loaded (no query)."""
        current = self.existing[key]
        return self.model(**{name: current[name] for name in self.record_fields})

    def changed_records(self, plan: list[tuple[Row, Change]]) -> list[tuple[Any, set[str]]]:
        """The records whose fields the rows change, changed, each with the fields."""
        changed = []
        for row, change in plan:
            if change.action != "update":
                continue
            record = self.existing_record(row.key)
            names = set()
            for name, value in self.model_values(row).items():
                if getattr(record, name) != value:
                    setattr(record, name, value)
                    names.add(name)
            if names:
                changed.append((record, names))
        return changed

    def _update(self, plan: list[tuple[Row, Change]], user) -> None:
        _writer(user).update(self.model, self.changed_records(plan))

    def write(self, plan: list[tuple[Row, Change]], user) -> None:
        self.write_records(plan, user)


class _DepartmentImporter(_Importer):
    sheet = SHEETS[ImportKind.DEPARTMENTS]
    model = Department
    record_fields = ("id", "key", "parent_id", "head_id", *_PLAIN_FIELDS[ImportKind.DEPARTMENTS])

    def load(self) -> None:
        # Every department: the cycle check needs the whole tree.
        self.existing = {d["key"]: d for d in Department.objects.values(*self.record_fields)}
        self.key_of = {d["id"]: key for key, d in self.existing.items()}
        heads = {row.values["head"] for row in self.rows if row.values.get("head") is not None}
        self.heads = HeadUsers(heads)
        self.head_names = _user_names({d["head_id"] for d in self.existing.values()})
        self.ids: dict[str, int] = {}
        self.head_ids: dict[str, int] = {}

    def check(self, problems: _Problems) -> None:
        keys = {row.key or row.raw_key for row in self.rows} | set(self.existing)
        self._check_new_keys(problems)
        for row in self.rows:
            parent = row.values.get("parent")
            if parent is not None and parent not in keys:
                problems.add(f"unknown department {_show(parent)}", row, "parent")
            head = row.values.get("head")
            if head is not None and head in self.heads.problems:
                problems.add(self.heads.problems[head], row, "head")
        self._check_cycles(problems)

    def _check_new_keys(self, problems: _Problems) -> None:
        """The key of a department the file adds follows the rule of the web form, the
        API and the bundle (stakeholders.rules); a row that updates one keeps its key."""
        lowered = {key.lower(): key for key in self.existing}
        for row in self.rows:
            if row.key is None or row.key in self.existing:
                continue
            taken = [lowered[row.key.lower()]] if row.key.lower() in lowered else []
            problem = rules.key_problem(row.key) or rules.key_taken(row.key, taken)
            if problem:
                problems.add(problem, row, "key")

    def _check_cycles(self, problems: _Problems) -> None:
        parent_of = {key: self.key_of.get(d["parent_id"]) for key, d in self.existing.items()}
        in_file = {}
        for row in self.rows:
            if row.key is not None and "parent" in row.values:
                parent_of[row.key] = row.values["parent"]
                in_file[row.key] = row
        settled: set[str] = set()  # known to reach the top
        reported: set[str] = set()
        for key in in_file:
            walk, cycle = walk_up(key, parent_of, settled)
            if not cycle:
                continue
            text = " → ".join([*cycle, cycle[0]])
            for member in cycle:
                if member in in_file and member not in reported:
                    reported.add(member)
                    message = (
                        "a department cannot be its own parent"
                        if len(cycle) == 1
                        else f"cycle: {text}"
                    )
                    problems.add(message, in_file[member], "parent")
            settled.update(walk)  # reported once; do not walk this loop again

    def current(self, row: Row) -> dict[str, Any] | None:
        found = self.existing.get(row.key)
        if found is None:
            return None
        return {
            **found,
            "parent": self.key_of.get(found["parent_id"]),
            "head": self.head_names.get(found["head_id"]),
        }

    def compared(self, row: Row, current: dict[str, Any] | None) -> dict[str, Any]:
        head = row.values.get("head")
        if head is None or current is None:
            return row.values
        # The same user named another way (username, person's e-mail) is no change.
        resolved = self.heads.resolved.get(head)
        same = resolved is not None and resolved == current["head_id"]
        return {**row.values, "head": current["head"] if same else head}

    def _identity(self, row: Row) -> dict[str, Any]:
        return {"key": row.key, "parent_id": None, "head_id": None}

    def key_of_record(self, record: Department) -> str:
        return record.key

    def model_values(self, row: Row) -> dict[str, Any]:
        values = {k: v for k, v in row.values.items() if k in _PLAIN_FIELDS[self.kind]}
        if "parent" in row.values:
            parent = row.values["parent"]
            values["parent_id"] = self.ids[parent] if parent is not None else None
        if "head" in row.values:
            head = row.values["head"]
            values["head_id"] = self.head_ids[head] if head is not None else None
        return values

    def write(self, plan: list[tuple[Row, Change]], user) -> None:
        self.head_ids = self.heads.write(_writer(user))
        self.ids = {key: d["id"] for key, d in self.existing.items()}
        # New departments parents first, one statement per tree level, so that each is
        # inserted with its parent and its history says so.
        new = {row.key: row for row, change in plan if change.action == "create"}
        for level in bulk.parents_first(new, lambda row: row.values.get("parent")):
            created = _writer(user).create(Department, [self.new_record(row) for row in level])
            self.ids.update({d.key: d.pk for d in created})
        self._update(plan, user)
        # Heads the file names without a password are invited, once each, on confirm.
        heads = [
            self.head_ids[row.values["head"]]
            for row, change in plan
            if change.action != "unchanged" and row.values.get("head") is not None
        ]
        accounts_services.invitations_send_new(user_ids=heads, invited_by=user)


def _user_names(user_ids: Iterable[int | None]) -> dict[int, str]:
    """How the files name a user: the e-mail, else the username (lower case)."""
    names = {}
    users = get_user_model().objects.values_list("pk", "username", "email")
    for pk, username, email in bulk.in_chunks(users, "pk", [i for i in set(user_ids) if i]):
        names[pk] = (email or username).lower()
    return names


def _department_ids() -> dict[str, int]:
    return dict(Department.objects.values_list("key", "id"))


class _PersonImporter(_Importer):
    sheet = SHEETS[ImportKind.PEOPLE]
    model = Person
    record_fields = (
        "id",
        "email",
        "department_id",
        "user_id",
        *_PLAIN_FIELDS[ImportKind.PEOPLE],
    )

    def load(self) -> None:
        self.department_ids = _department_ids()
        self.department_key = {pk: key for key, pk in self.department_ids.items()}
        people = Person.objects.annotate(lower_email=Lower("email")).values(
            "lower_email", *self.record_fields
        )
        emails = [row.key for row in self.rows if row.key is not None]
        self.existing = {p["lower_email"]: p for p in bulk.in_chunks(people, "lower_email", emails)}
        self.tags: dict[int, dict[str, int]] = defaultdict(dict)  # person → tag → through id
        through = Person.expertise.through.objects.values_list(
            "id", "person_id", "expertisetag__name"
        )
        person_ids = [p["id"] for p in self.existing.values()]
        for row_id, person_id, name in bulk.in_chunks(through, "person_id", person_ids):
            self.tags[person_id][name] = row_id

    def check(self, problems: _Problems) -> None:
        for row in self.rows:
            department = row.values.get("department")
            if department is not None and department not in self.department_ids:
                problems.add(
                    f"unknown department {_show(department)} (import the departments first)",
                    row,
                    "department",
                )

    def current(self, row: Row) -> dict[str, Any] | None:
        found = self.existing.get(row.key)
        if found is None:
            return None
        return {
            **found,
            "email": found["email"].lower(),
            "department": self.department_key.get(found["department_id"]),
            "expertise": sorted(self.tags.get(found["id"], {})),
        }

    def _identity(self, row: Row) -> dict[str, Any]:
        return {"email": row.key, "department_id": None}

    def key_of_record(self, record: Person) -> str:
        return record.email.lower()

    def model_values(self, row: Row) -> dict[str, Any]:
        values = {k: v for k, v in row.values.items() if k in _PLAIN_FIELDS[self.kind]}
        if "department" in row.values:
            key = row.values["department"]
            values["department_id"] = self.department_ids[key] if key is not None else None
        return values

    def write(self, plan: list[tuple[Row, Change]], user) -> None:
        ids = self.write_records(plan, user)
        wanted = {
            ids[row.key]: row.values["expertise"] for row, _ in plan if "expertise" in row.values
        }
        names = sorted({name for tags in wanted.values() for name in tags})
        tags = ExpertiseTag.objects.values_list("name", "id")
        tag_ids = dict(bulk.in_chunks(tags, "name", names))
        ExpertiseTag.objects.bulk_create(
            [ExpertiseTag(name=name) for name in names if name not in tag_ids],
            batch_size=BATCH_SIZE,
        )
        tag_ids = dict(bulk.in_chunks(tags, "name", names))
        bulk.replace_links(
            Person.expertise.through,
            owner="person",
            target="expertisetag",
            wanted={person: {tag_ids[name] for name in names} for person, names in wanted.items()},
            current=self.tags,
        )


class _AccountImporter(_Importer):
    sheet = SHEETS[ImportKind.ACCOUNTS]
    model = SocialAccount
    record_fields = ("id", "platform", "owner_id", *_PLAIN_FIELDS[ImportKind.ACCOUNTS])

    def load(self) -> None:
        self.department_ids = _department_ids()
        self.department_key = {pk: key for key, pk in self.department_ids.items()}
        accounts = SocialAccount.objects.annotate(lower_handle=Lower("handle")).values(
            "lower_handle", *self.record_fields
        )
        handles: dict[str, list[str]] = defaultdict(list)
        for platform, handle in (row.key for row in self.rows if row.key is not None):
            handles[platform].append(handle)
        self.existing: dict[tuple[str, str], dict] = {}
        for platform, names in handles.items():
            for account in bulk.in_chunks(
                accounts.filter(platform=platform), "lower_handle", names
            ):
                self.existing[(platform, account["lower_handle"])] = account
        # account → person → through row id
        self.managers: dict[int, dict[int, int]] = defaultdict(dict)
        through = SocialAccount.managers.through.objects.values_list(
            "id", "socialaccount_id", "person_id"
        )
        account_ids = [a["id"] for a in self.existing.values()]
        for row_id, account_id, person_id in bulk.in_chunks(
            through, "socialaccount_id", account_ids
        ):
            self.managers[account_id][person_id] = row_id
        emails = sorted({e for row in self.rows for e in row.values.get("managers") or ()})
        people = Person.objects.annotate(lower_email=Lower("email")).values_list(
            "lower_email", "id"
        )
        self.person_ids: dict[str, int] = dict(bulk.in_chunks(people, "lower_email", emails))
        self.email_of = {pk: email for email, pk in self.person_ids.items()}
        others = {p for have in self.managers.values() for p in have} - set(self.email_of)
        emails_of_others = Person.objects.values_list("id", Lower("email"))
        self.email_of.update(bulk.in_chunks(emails_of_others, "id", sorted(others)))

    def check(self, problems: _Problems) -> None:
        for row in self.rows:
            owner = row.values.get("owner")
            if owner is not None and owner not in self.department_ids:
                problems.add(
                    f"unknown department {_show(owner)} (import the departments first)",
                    row,
                    "owner",
                )
            unknown = [e for e in row.values.get("managers") or () if e not in self.person_ids]
            if unknown:
                names = ", ".join(_show(e) for e in unknown)
                problems.add(f"unknown person {names} (import the people first)", row, "managers")

    def current(self, row: Row) -> dict[str, Any] | None:
        found = self.existing.get(row.key)
        if found is None:
            return None
        managers = self.managers.get(found["id"], {})
        return {
            **found,
            "owner": self.department_key.get(found["owner_id"]),
            "managers": sorted(self.email_of[p] for p in managers),
        }

    def _identity(self, row: Row) -> dict[str, Any]:
        return {"platform": row.values["platform"], "owner_id": None}

    def key_of_record(self, record: SocialAccount) -> tuple[str, str]:
        return (record.platform, record.handle.lower())

    def model_values(self, row: Row) -> dict[str, Any]:
        values = {k: v for k, v in row.values.items() if k in _PLAIN_FIELDS[self.kind]}
        if "owner" in row.values:
            key = row.values["owner"]
            values["owner_id"] = self.department_ids[key] if key is not None else None
        return values

    def write(self, plan: list[tuple[Row, Change]], user) -> None:
        """Accounts are written without history first, then given one history record
        each, carrying its managers (what simple-history's signals record for a save
        followed by `managers.set()`, in one pass instead of two)."""
        created = SocialAccount.objects.bulk_create(
            [self.new_record(row) for row, change in plan if change.action == "create"],
            batch_size=BATCH_SIZE,
        )
        ids = {key: account["id"] for key, account in self.existing.items()}
        ids.update({self.key_of_record(account): account.pk for account in created})
        changed = self.changed_records(plan)
        writer = _writer(user)
        writer.update(SocialAccount, changed, history=False)

        keys = {ids[row.key]: row.key for row, _ in plan if "managers" in row.values}
        managers_changed = bulk.replace_links(
            SocialAccount.managers.through,
            owner="socialaccount",
            target="person",
            wanted={
                ids[row.key]: {self.person_ids[email] for email in row.values["managers"]}
                for row, _ in plan
                if "managers" in row.values
            },
            current=self.managers,
        )
        updated = {self.key_of_record(account): account for account, _ in changed}
        for key in (keys[account_id] for account_id in managers_changed):
            if key in self.existing and key not in updated:
                updated[key] = self.existing_record(key)
        writer.account_history(created=created, updated=list(updated.values()))


def _writer(user) -> bulk.HistoryWriter:
    return bulk.HistoryWriter(reason=CHANGE_REASON, user=user)


IMPORTERS: dict[str, type[_Importer]] = {
    ImportKind.DEPARTMENTS: _DepartmentImporter,
    ImportKind.PEOPLE: _PersonImporter,
    ImportKind.ACCOUNTS: _AccountImporter,
}


# ==========================================================================
# Batches: preview, then confirm
# ==========================================================================


@dataclass
class Preview:
    """A checked file: every problem, or (when there is none) what each row will do."""

    kind: str
    columns: list[str]
    row_count: int
    problems: list[Problem]
    plan: list[tuple[Row, Change]]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for _, change in self.plan:
            counts[change.action] += 1
        return counts


def preview_table(kind: str, table: Table) -> Preview:
    """Check a table and compare it with the registry; raises ImportFileError for a file
    that cannot be checked row by row (bad header, no rows)."""
    sheet = SHEETS[kind]
    problems = _Problems()
    rows = parse_rows(sheet, table, problems)
    importer = IMPORTERS[kind](rows)
    importer.load()
    importer.check(problems)
    plan = importer.diff()  # the rows without a problem
    return Preview(
        kind=kind,
        columns=list(table.header),
        row_count=len(rows),
        problems=sorted(problems.items, key=lambda p: (p.row or 0, _column_rank(sheet, p))),
        plan=plan,
    )


def _column_rank(sheet: Sheet, problem: Problem) -> int:
    return sheet.names.index(problem.column) if problem.column in sheet.names else -1


def batch_create(*, kind: str, upload, user) -> ImportBatch:
    """Read, check and preview an upload; store it as a batch. Raises ImportFileError (and
    stores nothing) when the file cannot be read at all."""
    table = read_upload(upload, kind=kind)
    preview = preview_table(kind, table)
    problems = preview.problems
    return ImportBatch.objects.create(
        kind=kind,
        filename=(upload.name or "upload")[:255],
        uploaded_by=user,
        status=ImportStatus.INVALID if problems else ImportStatus.READY,
        row_count=preview.row_count,
        columns=preview.columns,
        counts={**preview.counts, "problems": len(problems)},
        problems=[p.as_dict() for p in problems[:MAX_PROBLEMS]],
        plan=[_stored_row(row, change) for row, change in preview.plan],
    )


def _stored_row(row: Row, change: Change) -> dict:
    return {
        "row": row.number,
        "key": _key_text(row.key),
        "action": change.action,
        "changes": [list(c) for c in change.changes],
        "values": {k: _json_value(v) for k, v in row.values.items()},
    }


def _key_text(key: Any) -> str:
    return f"{key[0]}:{key[1]}" if isinstance(key, tuple) else str(key)


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _stored_rows(batch: ImportBatch) -> list[Row]:
    sheet = SHEETS[batch.kind]
    date_columns = {c.name for c in sheet.columns if c.parse is parse_date}
    rows = []
    for stored in batch.plan:
        values = dict(stored["values"])
        for name in date_columns & set(values):
            if values[name] is not None:
                values[name] = dt.date.fromisoformat(values[name])
        rows.append(Row(number=stored["row"], values=values, key=_natural_key(sheet, values)))
    return rows


class BatchNotReady(Exception):
    """The batch was applied already, or has problems."""


@dataclass
class ApplyResult:
    counts: dict[str, int]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def batch_apply(*, batch_id: int, user) -> ApplyResult:
    """Write a previewed batch in one transaction, from its stored rows.

    The registry is reloaded and the references and cycles checked again: when someone
    changed it since the preview so that a row no longer fits, nothing is written, the
    batch is marked invalid and the problems are returned.
    """
    with signals.registry_write():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status == ImportStatus.APPLIED:
            raise BatchNotReady("This import was applied already.")
        if batch.status != ImportStatus.READY:
            raise BatchNotReady("This import has errors: fix the file and upload it again.")
        rows = _stored_rows(batch)
        importer = IMPORTERS[batch.kind](rows)
        importer.load()
        problems = _Problems()
        importer.check(problems)
        if not problems:
            plan = importer.diff()
            importer.write(plan, user)
            counts = {"create": 0, "update": 0, "unchanged": 0}
            for _, change in plan:
                counts[change.action] += 1
            if counts["create"] or counts["update"]:
                signals.registry_changed_announce()
                # People the file marks as left may still manage accounts in use.
                handovers.handovers_open(actor=user)
            batch.status = ImportStatus.APPLIED
            batch.applied_at = timezone.now()
            batch.result = counts
            batch.save(update_fields=["status", "applied_at", "result"])
            return ApplyResult(counts=counts, problems=[])
    # Nothing was written. The batch cannot be confirmed any more: say why.
    stale = [
        Problem(f"the registry changed since the preview: {p.message}", p.row, p.column)
        for p in problems.items
    ]
    ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.READY).update(
        status=ImportStatus.INVALID,
        problems=[p.as_dict() for p in stale[:MAX_PROBLEMS]],
        counts={**batch.counts, "problems": len(stale)},
    )
    return ApplyResult(counts={}, problems=stale)


# ==========================================================================
# Exports
# ==========================================================================


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def render(dataset: tablib.Dataset, fmt: str) -> bytes:
    """The dataset as CSV (UTF-8 with a BOM, which Excel needs to see UTF-8) or XLSX,
    every text cell neutralised against formula injection."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        cells = [neutralise(value) for value in row]
        if fmt == "csv":  # true/false, as the import reads them, not Python's True/False
            cells = [display_value(v) if isinstance(v, bool) else v for v in cells]
        safe.append(cells)
    if fmt == "csv":
        return ("\ufeff" + safe.export("csv")).encode("utf-8")
    return safe.export("xlsx")


def template_dataset(kind: str) -> tablib.Dataset:
    """An empty file of a kind of import: the header row only."""
    return tablib.Dataset(headers=SHEETS[kind].names, title=kind)


def departments_dataset(queryset) -> tablib.Dataset:
    """The departments file: the import columns, so that an export imports back unchanged."""
    sheet = SHEETS[ImportKind.DEPARTMENTS]
    data = tablib.Dataset(headers=sheet.names, title="departments")
    rows = queryset.order_by("key").values(
        "key", "name", "parent__key", *_PLAIN_FIELDS[ImportKind.DEPARTMENTS][1:], "head_id"
    )
    rows = list(rows)
    heads = _user_names({r["head_id"] for r in rows})
    for r in rows:
        data.append(
            [
                r["key"],
                r["name"],
                r["parent__key"] or "",
                r["kind"],
                r["function"],
                r["headcount"],
                r["customer_facing"],
                r["influence"],
                r["interest"],
                heads.get(r["head_id"], ""),
                r["active"],
            ]
        )
    return data


def people_dataset(queryset) -> tablib.Dataset:
    sheet = SHEETS[ImportKind.PEOPLE]
    data = tablib.Dataset(headers=sheet.names, title="people")
    rows = list(
        queryset.order_by(Lower("email")).values(
            "id", "email", "name", "title", "seniority", "department__key", "active"
        )
    )
    tags: dict[int, list[str]] = defaultdict(list)
    through = Person.expertise.through
    for chunk in bulk.chunks([r["id"] for r in rows]):
        for person_id, name in through.objects.filter(person_id__in=chunk).values_list(
            "person_id", "expertisetag__name"
        ):
            tags[person_id].append(name)
    for r in rows:
        data.append(
            [
                r["email"].lower(),
                r["name"],
                r["title"],
                r["seniority"] or "",
                r["department__key"] or "",
                "; ".join(sorted(tags[r["id"]])),
                r["active"],
            ]
        )
    return data


def accounts_dataset(queryset) -> tablib.Dataset:
    sheet = SHEETS[ImportKind.ACCOUNTS]
    data = tablib.Dataset(headers=sheet.names, title="accounts")
    rows = list(
        queryset.order_by("platform", Lower("handle")).values(
            "id",
            "platform",
            "handle",
            "url",
            "owner__key",
            "status",
            "followers",
            "purpose",
            "last_post_at",
        )
    )
    managers: dict[int, list[str]] = defaultdict(list)
    through = SocialAccount.managers.through
    for chunk in bulk.chunks([r["id"] for r in rows]):
        for account_id, email in through.objects.filter(socialaccount_id__in=chunk).values_list(
            "socialaccount_id", "person__email"
        ):
            managers[account_id].append(email.lower())
    for r in rows:
        data.append(
            [
                r["platform"],
                r["handle"],
                r["url"],
                r["owner__key"] or "",
                r["status"],
                r["followers"],
                r["purpose"],
                r["last_post_at"] or "",
                "; ".join(sorted(managers[r["id"]])),
            ]
        )
    return data


ROSTER_HEADERS = [
    "person",
    "email",
    "title",
    "seniority",
    "person_department",
    "constituency_type",
    "constituency",
    "constituency_name",
    "role",
    "status",
    "nominated_at",
    "decided_at",
    "term_start",
    "term_end",
    "person_active",
]


def _date_text(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localdate(value).isoformat()
    return value.isoformat()


def roster_dataset(queryset) -> tablib.Dataset:
    """Seats, one row each, with their person and constituency."""
    data = tablib.Dataset(headers=ROSTER_HEADERS, title="roster")
    seats = queryset.select_related("person", "person__department", "department", "group")
    for seat in seats:
        person = seat.person
        constituency = seat.department or seat.group
        data.append(
            [
                person.name,
                person.email.lower(),
                person.title,
                person.seniority or "",
                person.department.key if person.department_id else "",
                "department" if seat.department_id else "group",
                constituency.key,
                constituency.name,
                seat.role,
                seat.status,
                _date_text(seat.nominated_at),
                _date_text(seat.decided_at),
                _date_text(seat.term_start),
                _date_text(seat.term_end),
                person.active,
            ]
        )
    return data


FINDING_HEADERS = ["severity", "code", "subject", "message", "action"]


def findings_dataset(findings: Iterable[dict]) -> tablib.Dataset:
    data = tablib.Dataset(headers=FINDING_HEADERS, title="findings")
    for finding in findings:
        data.append([finding.get(name, "") for name in FINDING_HEADERS])
    return data
