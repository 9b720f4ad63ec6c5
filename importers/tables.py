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

    A BOM decides (UTF-8 or UTF-16); otherwise UTF-8 unless most lines with non-ASCII
    bytes fail it (then cp1256). See ``inspect_encoding`` for the lines that fail.
    """
    found = inspect_encoding(binary)
    return found.encoding, found.newlines


@dataclass(frozen=True)
class EncodingCheck:
    """What the encoding check found: the encoding, newline count and the lines that are not valid UTF-8."""

    encoding: str
    newlines: int
    bad_lines: tuple[int, ...] = ()  # physical line numbers (1 = first) with bytes that are not UTF-8


def inspect_encoding(binary: IO[bytes]) -> EncodingCheck:
    """Decide the encoding as ``detect_encoding`` does, keeping the lines with invalid UTF-8 bytes.

    One bad byte in a UTF-8 file must not turn its Arabic into cp1256 mojibake: the file
    is read as UTF-8 with those bytes replaced, unless most non-ASCII lines fail UTF-8.
    """
    start = binary.tell()
    head = binary.read(4)
    binary.seek(start)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        newlines = sum(block.count(b"\n") for block in iter(lambda: binary.read(_BLOCK), b""))
        binary.seek(start)
        return EncodingCheck("utf-16", newlines)
    encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines, valid = 0, True
    while block := binary.read(_BLOCK):
        newlines += block.count(b"\n")
        if valid:
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                valid = False
    if valid:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            valid = False
    binary.seek(start)
    if valid:
        return EncodingCheck(encoding, newlines)
    bad_lines, non_ascii = _lines_not_utf8(binary)
    binary.seek(start)
    if len(bad_lines) * 2 > non_ascii:
        return EncodingCheck(FALLBACK_ENCODING, newlines)
    return EncodingCheck(encoding, newlines, tuple(bad_lines))


def _lines_not_utf8(binary: IO[bytes]) -> tuple[list[int], int]:
    """The physical lines that fail UTF-8, and how many lines hold non-ASCII bytes."""
    bad: list[int] = []
    non_ascii = 0
    for number, line in enumerate(binary, start=1):
        if line.isascii():
            continue
        non_ascii += 1
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(number)
    return bad, non_ascii


def encoding_warning(name: str, bad_lines: tuple[int, ...]) -> str:
    """The warning for a UTF-8 file with a few invalid bytes.

    >>> encoding_warning("a.csv", (7,))
    'a.csv: line 7 holds bytes that are not UTF-8; they were replaced with \ufffd. Check those cells.'
    """
    shown = ", ".join(map(str, bad_lines[:10])) + (f" and {len(bad_lines) - 10} more" if len(bad_lines) > 10 else "")
    noun = "line" if len(bad_lines) == 1 else "lines"
    verb = "holds" if len(bad_lines) == 1 else "hold"
    return f"{name}: {noun} {shown} {verb} bytes that are not UTF-8; they were replaced with \ufffd. Check those cells."


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
        widths = [len(r) for r in rows]
        width = max(set(widths), key=lambda w: (widths.count(w), w))  # the usual width: a preamble line is not
        consistent = widths.count(width) / len(rows)
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


PREAMBLE_MAX_LINES = 20  # disclaimer or title lines before the header are looked for this far


def preamble_records(records: list[list[str]]) -> int:
    """How many leading records are a preamble (a title or disclaimer) rather than the header.

    A preamble record has fewer than half the fields the sample's records usually have.

    >>> preamble_records([["ACLED data, accessed 2024"], ["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]])
    1
    """
    widths = [len(r) for r in records if any(f.strip() for f in r)]
    if len(widths) < 2:
        return 0
    usual = max(set(widths), key=widths.count)
    skipped = 0
    for record in records[:PREAMBLE_MAX_LINES]:
        if any(f.strip() for f in record) and len(record) * 2 > usual:
            return skipped
        skipped += 1
    return 0


class _LineRecorder:
    """An iterator over a text file's lines that keeps the lines of the record being read."""

    def __init__(self, lines: Iterator[str]):
        self._lines = lines
        self.current: list[str] = []

    def __iter__(self) -> "_LineRecorder":
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.current.append(line)
        return line


UNCLOSED_QUOTE = (
    "an unclosed quote (\") here swallowed lines {first} to {last}; those lines were read on their own. "
    "Close the quote, or remove the stray \" from this row, and import the row again."
)


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
    _lines: "_LineRecorder | None" = None
    warnings: list[str] = field(default_factory=list)  # things the user should know that reject no row

    def _records(self) -> Iterator[tuple[int, list[str], str | None]]:
        """(line, fields, problem) per record; a record an unclosed quote made of many lines is split up.

        Without this, one stray quote swallows the rest of the file into one cell and the
        import reports a single bad row for thousands of lost ones.
        """
        reader = self._reader
        while True:
            start = reader.line_num + 1  # type: ignore[attr-defined]
            if self._lines is not None:
                self._lines.current = []
            try:
                record = next(reader)
            except StopIteration:
                return
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
            lines = self._lines.current if self._lines is not None else []
            if len(lines) > 1 and '"' in lines[0]:
                # A quoted note may span lines, its quotes paired ("" inside counts twice); a
                # stray quote that swallowed rows leaves one unpaired, however far it reached.
                if sum(line.count('"') for line in lines) % 2:
                    alone = [next(csv.reader([line], delimiter=self.delimiter), []) for line in lines]
                    yield start, alone[0], UNCLOSED_QUOTE.format(first=start + 1, last=start + len(lines) - 1)
                    for offset, fields in enumerate(alone[1:], start=1):
                        yield start + offset, fields, None
                    continue
            yield start, record, None

    def chunks(self, size: int = CHUNK_ROWS) -> Iterator[Chunk]:
        """The rows in chunks; blank rows are skipped, line numbers are physical."""
        width = len(self.header)
        fields: dict[int, list[str]] = {}
        rows: list[list[str]] = []
        lines: list[int] = []
        ragged: dict[int, int] = {}
        oversize: list[dict[str, object]] = []
        quote_problems: list[dict[str, object]] = []
        for start, record, problem in self._records():
            if problem is not None:
                quote_problems.append({"line": start, "column": "(whole row)", "value": "", "reason": problem})
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
                yield self._chunk(rows, lines, fields, ragged, quote_problems + oversize)
                fields, rows, lines, ragged, oversize, quote_problems = {}, [], [], {}, [], []
        if rows:
            yield self._chunk(rows, lines, fields, ragged, quote_problems + oversize)
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
    from importers.containers import csv_member, is_zip

    name = source_name(source, name)
    binary = open_binary(source, name, limit_bytes)
    owned = binary is not source
    if is_zip(binary):
        inner = csv_member(binary, name, limit_bytes)
        _release(binary, owned)
        binary, owned = inner, True
    start = binary.tell()
    check = inspect_encoding(binary) if encoding is None else EncodingCheck(encoding, 0)
    newlines = check.newlines if encoding is None else sum(block.count(b"\n") for block in iter(lambda: binary.read(_BLOCK), b""))
    binary.seek(start)
    encoding = encoding or check.encoding
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
    text = io.TextIOWrapper(binary, encoding=encoding, errors="replace" if check.bad_lines else "strict", newline="")
    lines = _LineRecorder(iter(text))
    reader = csv.reader(lines, delimiter=delimiter)
    skip = preamble_records(list(csv.reader(sample.lstrip("\ufeff").splitlines()[:PREAMBLE_MAX_LINES * 3], delimiter=delimiter)))
    header: list[str] | None = None
    try:
        for record in reader:
            if skip:
                skip -= 1
                continue
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
        header_line=reader.line_num, _binary=binary, _text=text, _reader=reader, _owned=owned, _lines=lines,
    )
    if reader.line_num > 1 and len(header) > 1 and header_was_after_preamble(reader.line_num, sample):
        opened.warnings.append(f"{name}: the header is on line {reader.line_num}; the {reader.line_num - 1} line(s) before it were skipped.")
    if check.bad_lines:
        opened.warnings.append(encoding_warning(name, check.bad_lines))
    return opened


def header_was_after_preamble(header_line: int, sample: str) -> bool:
    """True when non-blank lines stand before the header line (a preamble, not blank lines)."""
    return any(line.strip() for line in sample.lstrip("\ufeff").splitlines()[: header_line - 1])


def _release(binary: IO[bytes], owned: bool, text: io.TextIOWrapper | None = None) -> None:
    if text is not None:
        text.detach()  # else the wrapper closes a caller's file object when collected
    if owned:
        binary.close()
