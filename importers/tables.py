"""Open an imported file: size limit, encoding, CSV dialect, header, and rows in chunks.

Rows keep the file's physical line numbers (the header is line 1 when it is the first
line), so a reject report can send the user to the exact line. Files are streamed: a
chunk of rows at a time is in memory, never the whole decoded text.
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator, Union

import pandas as pd

from importers.errors import EmptyFile, FileTooLarge, UnreadableFile

MAX_IMPORT_BYTES = 200 * 1024 * 1024  # 200 MB: about a million ACLED rows
# A cell over this is a rejected row, not stored: no note or report sentence is that long,
# and one such cell would make every page that shows the incident heavy.
MAX_CELL_BYTES = 1024 * 1024  # 1 MB
_CELL_PREVIEW_CHARS = 80  # what the reject report keeps of a cell that is too large
CHUNK_ROWS = 20_000
DELIMITERS = (",", ";", "\t", "|")
FALLBACK_ENCODING = "cp1256"  # Arabic Windows: what Excel writes for Arabic text on Iraqi machines
SNIFF_BYTES = 64 * 1024
_BLOCK = 1024 * 1024

Source = Union[str, os.PathLike, bytes, IO[bytes], IO[str]]


def source_name(source: Source, name: str | None = None) -> str:
    """A name for messages: the given name, the path's file name, or the file object's name."""
    if name:
        return name
    if isinstance(source, (str, os.PathLike)):
        return Path(source).name
    return Path(str(getattr(source, "name", "") or "the uploaded file")).name


def describe_size(size_bytes: int) -> str:
    """Bytes in MB with one decimal.

    >>> describe_size(314_572_800)
    '300.0 MB'
    """
    return f"{size_bytes / 1024 / 1024:.1f} MB"


def too_large(name: str, size_bytes: int | None, limit_bytes: int) -> FileTooLarge:
    """The error for a file over the size limit."""
    size = f"is {describe_size(size_bytes)}" if size_bytes is not None else "is larger than that"
    return FileTooLarge(
        f"{name} {size}; an import takes at most {describe_size(limit_bytes)}. "
        "Split it into smaller files (for example one per year) and import each; "
        "importing overlapping parts twice adds nothing."
    )


def open_binary(source: Source, name: str, limit_bytes: int = MAX_IMPORT_BYTES) -> IO[bytes]:
    """A seekable binary file for a path, bytes or file object, after checking the size limit.

    Unseekable streams and text objects are spooled to a temporary file first.
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise UnreadableFile(f"{path} does not exist or is not a file. Check the path.")
        size = path.stat().st_size
        if size > limit_bytes:
            raise too_large(name, size, limit_bytes)
        return open(path, "rb")
    if isinstance(source, bytes):
        if len(source) > limit_bytes:
            raise too_large(name, len(source), limit_bytes)
        return io.BytesIO(source)
    if isinstance(source, io.TextIOBase) or isinstance(getattr(source, "read", lambda n: b"")(0), str):
        text = source.read(limit_bytes + 1)
        data = text.encode("utf-8")
        if len(data) > limit_bytes:
            raise too_large(name, None, limit_bytes)
        return io.BytesIO(data)
    if getattr(source, "seekable", lambda: False)():
        start = source.tell()
        size = source.seek(0, io.SEEK_END) - start
        source.seek(start)
        if size > limit_bytes:
            raise too_large(name, size, limit_bytes)
        return source  # type: ignore[return-value]
    spool = tempfile.TemporaryFile()
    copied = 0
    while block := source.read(_BLOCK):
        copied += len(block)
        if copied > limit_bytes:
            spool.close()
            raise too_large(name, None, limit_bytes)
        spool.write(block)
    spool.seek(0)
    return spool


def detect_encoding(binary: IO[bytes]) -> tuple[str, int]:
    """The file's text encoding and its count of newline bytes; the file is left at its start.

    A BOM decides (UTF-8 or UTF-16); otherwise UTF-8 when every byte decodes, else cp1256.
    """
    start = binary.tell()
    head = binary.read(4)
    binary.seek(start)
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8")() if encoding == "utf-8" else None
    newlines = 0
    while block := binary.read(_BLOCK):
        newlines += block.count(b"\n")
        if decoder is not None:
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                encoding, decoder = FALLBACK_ENCODING, None
    if decoder is not None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = FALLBACK_ENCODING
    binary.seek(start)
    return encoding, newlines


def sniff_delimiter(sample: str) -> str:
    """The separator that splits the sample's lines into the most, most consistent fields.

    >>> sniff_delimiter("a;b;c\\n1;2,5;3\\n")
    ';'
    """
    lines = sample.splitlines()[:50]
    if len(sample) >= SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line of a cut sample may be cut too
    best, best_score = ",", (False, 0.0, 0)
    for delimiter in DELIMITERS:
        rows = [r for r in csv.reader(lines, delimiter=delimiter) if r]
        if not rows:
            continue
        width = len(rows[0])
        consistent = sum(len(r) == width for r in rows) / len(rows)
        score = (width > 1, consistent, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def cell_bytes_over_limit(text: str, limit_bytes: int = MAX_CELL_BYTES) -> int | None:
    """The cell's size in UTF-8 bytes when it is over ``limit_bytes``, else None.

    >>> cell_bytes_over_limit("Daquq"), cell_bytes_over_limit("د" * 600, limit_bytes=1000)
    (None, 1200)
    """
    if len(text) * 4 <= limit_bytes:  # no UTF-8 character takes more than 4 bytes: no need to encode
        return None
    size = len(text.encode("utf-8", errors="surrogatepass"))
    return size if size > limit_bytes else None


def oversize_problem(line: int, column: str, text: str, size_bytes: int) -> dict[str, object]:
    """The reject of a row whose cell is over MAX_CELL_BYTES: the start of the cell, its size and the fix."""
    return {
        "line": line,
        "column": column,
        "value": text[:_CELL_PREVIEW_CHARS] + "…",
        "reason": f"the cell is {size_bytes:,} bytes; a cell may hold at most {describe_size(MAX_CELL_BYTES)} ({MAX_CELL_BYTES:,} bytes). "
        "Shorten it and import the row again.",
    }


def clip_oversize_cell(text: str, size_bytes: int) -> str:
    """What the reject report's original row keeps of a cell over the limit."""
    return f"{text[:_CELL_PREVIEW_CHARS]}… [{describe_size(size_bytes)} cut]"


_HXL_TAG = re.compile(r"#[A-Za-z][A-Za-z0-9_]*(\s*\+[A-Za-z][A-Za-z0-9_]*)*")


def is_hxl_row(fields: list[str]) -> bool:
    """True for an HXL hashtag row: every non-empty cell is a hashtag such as #geo+lat.

    A data row that merely holds a "#" or "#1" is data, never skipped.

    >>> is_hxl_row(["#date+occurred", "", "#geo+lat"]), is_hxl_row(["#1", "Daquq"]), is_hxl_row(["", "#"])
    (True, False, False)
    """
    cells = [f.strip() for f in fields if f.strip()]
    return bool(cells) and all(_HXL_TAG.fullmatch(c) for c in cells)


@dataclass
class Chunk:
    """Up to CHUNK_ROWS rows: a frame of raw strings (index = line number) and the raw fields."""

    frame: pd.DataFrame
    fields: dict[int, list[str]]
    delimiter: str
    ragged: dict[int, int] = field(default_factory=dict)  # line -> field count, where it differs from the header
    oversize: list[dict[str, object]] = field(default_factory=list)  # a reject per cell over MAX_CELL_BYTES

    def original_row(self, line: int) -> str:
        """The row as it stood in the file (re-joined with the file's separator)."""
        out = io.StringIO()
        csv.writer(out, delimiter=self.delimiter, lineterminator="").writerow(self.fields[line])
        return out.getvalue()


@dataclass
class DelimitedFile:
    """An opened delimited text file: its dialect, header and a stream of rows."""

    name: str
    encoding: str
    delimiter: str
    header: list[str]
    header_line: int
    rows_estimate: int | None
    _binary: IO[bytes]
    _text: io.TextIOWrapper
    _reader: Iterator[list[str]]
    _owned: bool

    def chunks(self, size: int = CHUNK_ROWS) -> Iterator[Chunk]:
        """The rows in chunks; blank rows are skipped, line numbers are physical."""
        width = len(self.header)
        fields: dict[int, list[str]] = {}
        rows: list[list[str]] = []
        lines: list[int] = []
        ragged: dict[int, int] = {}
        oversize: list[dict[str, object]] = []
        reader = self._reader
        while True:
            start = reader.line_num + 1  # type: ignore[attr-defined]
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                self.close()
                raise UnreadableFile(
                    f"{self.name} cannot be read as CSV near line {start}: {error}. "
                    "Check for an unclosed quote (\") in that row."
                ) from error
            except UnicodeDecodeError as error:
                self.close()
                raise UnreadableFile(
                    f"{self.name} is not valid {self.encoding} near line {start} ({error.reason}). "
                    "Import it without an encoding option to let the importer detect it, or name the right one."
                ) from error
            if not any(f.strip() for f in record):
                continue
            if start == self.header_line + 1 and is_hxl_row(record):
                continue  # HDX files carry an HXL hashtag row under the header
            if len(record) != width:
                ragged[start] = len(record)
            if max(map(len, record)) * 4 > MAX_CELL_BYTES:  # a fast check first: most rows are short
                record = self._cut_oversize(start, record, oversize)
            fields[start] = record
            lines.append(start)
            rows.append((record + [""] * width)[:width])
            if len(rows) >= size:
                yield self._chunk(rows, lines, fields, ragged, oversize)
                fields, rows, lines, ragged, oversize = {}, [], [], {}, []
        if rows:
            yield self._chunk(rows, lines, fields, ragged, oversize)
        self.close()

    def _cut_oversize(self, line: int, record: list[str], oversize: list[dict[str, object]]) -> list[str]:
        """The record with each cell over MAX_CELL_BYTES cut to a preview, and a reject for each."""
        cut = list(record)
        for index, text in enumerate(record):
            size = cell_bytes_over_limit(text)
            if size is not None:
                column = self.header[index] if index < len(self.header) else f"column {index + 1}"
                oversize.append(oversize_problem(line, column, text, size))
                cut[index] = clip_oversize_cell(text, size)
        return cut

    def _chunk(
        self, rows: list[list[str]], lines: list[int], fields: dict[int, list[str]], ragged: dict[int, int],
        oversize: list[dict[str, object]],
    ) -> Chunk:
        # Plain Python strings (object columns): the parsers work cell by cell, and
        # Arrow-backed strings are slow to iterate. Blank cells become None.
        cells = [[c if c.strip() else None for c in row] for row in rows]
        frame = pd.DataFrame(cells, index=pd.Index(lines, name="line"), columns=range(len(self.header)), dtype="object")
        frame.columns = self.header
        return Chunk(frame=frame, fields=fields, delimiter=self.delimiter, ragged=ragged, oversize=oversize)

    def close(self) -> None:
        """Release the file (a file object the caller passed in stays open)."""
        if not self._text.closed:
            self._text.detach()
        if self._owned:
            self._binary.close()


def open_delimited(
    source: Source, name: str | None = None, encoding: str | None = None, limit_bytes: int = MAX_IMPORT_BYTES
) -> DelimitedFile:
    """Open a CSV/TSV file of any common dialect and read its header.

    Raises FileTooLarge, EmptyFile or UnreadableFile with a message that names the fix.
    """
    name = source_name(source, name)
    binary = open_binary(source, name, limit_bytes)
    owned = binary is not source
    start = binary.tell()
    detected, newlines = detect_encoding(binary)
    encoding = encoding or detected
    try:
        sample = binary.read(SNIFF_BYTES).decode(encoding, errors="ignore")
    except LookupError as error:
        _release(binary, owned)
        raise UnreadableFile(f"Unknown encoding {encoding!r}. Use a Python codec name such as utf-8 or cp1256.") from error
    binary.seek(start)
    if not sample.lstrip("\ufeff").strip():
        _release(binary, owned)
        raise EmptyFile(f"{name} is empty. Expected a header line with column names, then one incident per line.")
    delimiter = sniff_delimiter(sample.lstrip("\ufeff"))
    # A cell may be as large as the file: the csv module must not stop on one (its default
    # limit is 128 KB); a cell over MAX_CELL_BYTES becomes a rejected row instead.
    csv.field_size_limit(max(csv.field_size_limit(), limit_bytes))
    text = io.TextIOWrapper(binary, encoding=encoding, errors="strict", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    header: list[str] | None = None
    try:
        for record in reader:
            if any(f.strip() for f in record):
                header = [f.replace("\ufeff", "").strip() for f in record]
                break
    except (csv.Error, UnicodeDecodeError) as error:
        _release(binary, owned, text)
        raise UnreadableFile(f"{name} cannot be read: {error}. Save it as CSV (UTF-8) and try again.") from error
    if header is None:
        _release(binary, owned, text)
        raise EmptyFile(f"{name} is empty. Expected a header line with column names, then one incident per line.")
    header = [h or f"column_{i + 1}" for i, h in enumerate(header)]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        _release(binary, owned, text)
        raise UnreadableFile(
            f"{name} has the column(s) {', '.join(duplicated)} more than once in its header. "
            "Rename or remove the repeats so each column name is unique."
        )
    estimate = max(newlines - reader.line_num, 0) if encoding != "utf-16" else None
    opened = DelimitedFile(
        name=name, encoding=encoding, delimiter=delimiter, header=header, rows_estimate=estimate,
        header_line=reader.line_num, _binary=binary, _text=text, _reader=reader, _owned=owned,
    )
    return opened


def _release(binary: IO[bytes], owned: bool, text: io.TextIOWrapper | None = None) -> None:
    if text is not None:
        text.detach()  # else the wrapper closes a caller's file object when collected
    if owned:
        binary.close()
