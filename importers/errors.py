"""Named exceptions for imports that cannot start: each message says what was wrong and the fix."""
from __future__ import annotations
from errors import BadInput


class ImportFailed(BadInput, ValueError):
    """The file cannot be imported at all (bad rows never raise: they go to the reject report)."""


class FileTooLarge(ImportFailed):
    """The file is larger than the import size limit."""


class EmptyFile(ImportFailed):
    """The file holds no header and no rows."""


class MissingColumns(ImportFailed):
    """Columns the format needs are absent from the header."""


class UnreadableFile(ImportFailed):
    """The file is not the format it was said to be (bad JSON, a broken CSV quote, ...)."""


class BadColumnMapping(ImportFailed):
    """A user's column mapping names a column that is not in the file or not in the schema."""


class UnknownFormat(ImportFailed):
    """The format asked for is not one the importers know."""
