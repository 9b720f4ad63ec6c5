"""Files that hold a table inside something else: a .zip of a CSV, an Excel .xlsx sheet, an API's JSON.

Each is turned into CSV bytes (UTF-8, comma-separated, a header then one row per record),
so every format is read, checked and reported by the one CSV path. Line numbers in the
reject report are then the sheet's row numbers (header = 1) or the JSON record's number + 1.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime, time
from typing import IO, Any, Iterable

from importers.errors import UnreadableFile

ZIP_MAGIC = b"PK\x03\x04"
TABLE_SUFFIXES = (".csv", ".tsv", ".txt")


def peek(binary: IO[bytes], size: int = 512) -> bytes:
    """The first ``size`` bytes of a seekable file; the position is left where it was."""
    start = binary.tell()
    head = binary.read(size)
    binary.seek(start)
    return head


def is_zip(binary: IO[bytes]) -> bool:
    """True for a zip archive (an .xlsx is one too: see ``is_xlsx``)."""
    return peek(binary, 4) == ZIP_MAGIC


def is_xlsx(binary: IO[bytes]) -> bool:
    """True for an Excel 2007+ workbook (a zip holding xl/workbook.xml)."""
    if not is_zip(binary):
        return False
    start = binary.tell()
    try:
        with zipfile.ZipFile(binary) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        binary.seek(start)


def looks_like_json(binary: IO[bytes]) -> bool:
    """True when the file's first non-blank character opens a JSON object or array."""
    head = peek(binary, 64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")


def csv_member(binary: IO[bytes], name: str, limit_bytes: int) -> IO[bytes]:
    """The one CSV inside a zip archive (UCDP ships GED zipped), as a file of its bytes."""
    start = binary.tell()
    try:
        archive = zipfile.ZipFile(binary)
    except zipfile.BadZipFile as error:
        raise UnreadableFile(f"{name} looks like a zip archive but cannot be opened ({error}). Unzip it and import the CSV.") from error
    with archive:
        tables = [i for i in archive.infolist() if i.filename.lower().endswith(TABLE_SUFFIXES) and not i.is_dir()]
        if not tables:
            found = ", ".join(archive.namelist()[:10]) or "nothing"
            raise UnreadableFile(f"{name} is a zip archive without a CSV file in it (found: {found}). Zip the CSV itself.")
        member = max(tables, key=lambda i: i.file_size)  # GED zips hold the CSV and sometimes a codebook
        if member.file_size > limit_bytes:
            from importers.tables import too_large

            raise too_large(f"{name} ({member.filename})", member.file_size, limit_bytes)
        data = archive.read(member)
    binary.seek(start)
    return io.BytesIO(data)


def cell_text(value: Any) -> str:
    """A spreadsheet or JSON value as the text a CSV cell would hold (dates as YYYY-MM-DD).

    >>> [cell_text(v) for v in (None, 35.4724, 3.0, 7, datetime(2024, 7, 14), True, "Daquq")]
    ['', '35.4724', '3', '7', '2024-07-14', 'true', 'Daquq']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def rows_to_csv_bytes(rows: Iterable[list[Any]]) -> bytes:
    """Rows of values as UTF-8 CSV bytes (CR and LF inside a cell are quoted)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell_text(v) for v in row])
    return out.getvalue().encode("utf-8")


def xlsx_to_csv_bytes(binary: IO[bytes], name: str) -> bytes:
    """The first sheet of an .xlsx workbook as CSV bytes (openpyxl, read-only and values only)."""
    import openpyxl  # a dependency of .xlsx imports only

    try:
        workbook = openpyxl.load_workbook(binary, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several types for damaged workbooks
        raise UnreadableFile(f"{name} cannot be read as an Excel workbook ({error}). Save it again from Excel, or as CSV.") from error
    try:
        sheet = workbook.worksheets[0]
        return rows_to_csv_bytes(list(row) for row in sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def json_records(data: Any, name: str) -> list[Any]:
    """The records of an API answer: ``{"status": 200, "data": [...]}`` or a bare list."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        status = data.get("status", 200)
        if status not in (200, "200", None):
            raise UnreadableFile(f"{name} is an API answer with status {status!r}, not data. Download it again.")
        return data["data"]
    if isinstance(data, dict) and ("error" in data or "message" in data):
        message = str(data.get("error") or data.get("message"))[:200]
        raise UnreadableFile(f"{name} is an API error, not data: {message}. Check the request and download it again.")
    keys = ", ".join(list(map(str, data))[:10]) if isinstance(data, dict) else type(data).__name__
    raise UnreadableFile(f"{name} is JSON without a 'data' list of records (found: {keys}). Use the API's JSON answer as it is.")


def json_to_csv_bytes(binary: IO[bytes], name: str) -> bytes:
    """An API's JSON records as CSV bytes: the header is every key, in first-seen order."""
    try:
        data = json.loads(binary.read().decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"{name} is not UTF-8 text ({error.reason}); JSON must be UTF-8.") from error
    except json.JSONDecodeError as error:
        raise UnreadableFile(f"{name} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.") from error
    records = json_records(data, name)
    keys: dict[str, None] = {}
    for record in records:
        if isinstance(record, dict):
            keys.update(dict.fromkeys(map(str, record)))
    header = list(keys)
    if not header:
        raise UnreadableFile(f"{name} holds no records with fields. Expected {{\"status\": 200, \"data\": [{{...}}]}}.")
    # A record that is not an object keeps its line (its JSON in the first cell): the checks reject it.
    rows = [[r.get(k) for k in header] if isinstance(r, dict) else [json.dumps(r)] + [""] * (len(header) - 1) for r in records]
    return rows_to_csv_bytes([header, *rows])
