"""JSON Lines of input documents (RECORDS.md, "Input document"), read as a stream.

One line at a time, so a file of any size runs in flat memory: a line longer
than `sitrep.limits` allows is skipped without being held whole. A bad line is
one `InputError` naming `file:line`; the lines after it go on. Keys other than
RECORDS.md's are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from sitrep.errors import InputError
from sitrep.limits import current_limits
from sitrep.models import InputDocument
from sitrep.readers.files import describe_os_error

OPTIONAL_TEXT_FIELDS = ("title", "published", "url", "source")
# Bytes read at a time while skipping the rest of an over-long line.
SKIP_CHUNK_BYTES = 1 << 20


def read_jsonl_file(path: Path) -> Iterator[InputDocument | InputError]:
    source = str(path)
    try:
        handle = path.open("rb")
    except OSError as error:
        yield InputError(source, describe_os_error(error))
        return
    with handle:
        yield from jsonl_documents(handle, source)


def jsonl_documents(stream: BinaryIO, source: str) -> Iterator[InputDocument | InputError]:
    """Documents of a JSONL stream; blank lines are skipped, an empty stream is an error."""
    limits = current_limits()
    seen_any = False
    records = 0
    try:
        for number, raw, complete in bounded_lines(stream, limits.document_bytes):
            if not complete:
                seen_any = True
                yield InputError(
                    f"{source}:{number}",
                    f"line longer than {limits.document_bytes:,} bytes "
                    "(SITREP_MAX_DOCUMENT_BYTES); skipped",
                )
                continue
            if not raw.strip():
                continue
            seen_any = True
            records += 1
            if records > limits.records_per_file:
                yield InputError(
                    source,
                    f"more than {limits.records_per_file:,} lines "
                    "(SITREP_MAX_RECORDS_PER_FILE); the rest of the file is not read",
                )
                return
            try:
                yield document_from_line(raw, f"{source}:{number}")
            except InputError as error:
                yield error
    except OSError as error:
        yield InputError(source, describe_os_error(error))
        return
    if not seen_any:
        yield InputError(source, "empty file (no JSON lines)")


def bounded_lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, line, complete) for each line; a line over `limit` bytes comes back empty.

    Iterating a file object would hold a 100 MB line whole; here at most
    `limit` bytes of it are, and the rest is read past in chunks.
    """
    number = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) <= limit or raw.endswith(b"\n"):
            yield number, raw, True
            continue
        while raw and not raw.endswith(b"\n"):
            raw = stream.readline(SKIP_CHUNK_BYTES)
        yield number, b"", False


def document_from_line(raw: bytes, where: str) -> InputDocument:
    """One input document from one line; `where` (`file:line`) names it in errors."""
    if b"\x00" in raw:
        raise InputError(where, "binary data, not a JSON line")
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(where, f"not valid UTF-8 (byte 0x{raw[error.start]:02x})") from error
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(where, f"not valid JSON ({error.msg} at column {error.colno})") from error
    except RecursionError as error:  # [[[[...]]]] nested deeper than Python's stack
        raise InputError(where, "JSON nested too deeply to read") from error
    if not isinstance(record, dict):
        raise InputError(where, f"a JSON object was expected, not {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(where, 'no "text" string')
    if not text.strip():
        raise InputError(where, '"text" is empty')
    document_id = record.get("id")
    if isinstance(document_id, int | float) and not isinstance(document_id, bool):
        document_id = str(document_id)  # numeric ids are common in exports; echo them as text
    elif document_id is None:
        document_id = where
    fields: dict[str, object] = {"id": document_id, "text": text}
    for name in OPTIONAL_TEXT_FIELDS:
        fields[name] = record.get(name)
    try:
        return InputDocument.model_validate(fields)
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(part) for part in problem["loc"])
        raise InputError(where, f'field "{field}": {problem["msg"].lower()}') from error
