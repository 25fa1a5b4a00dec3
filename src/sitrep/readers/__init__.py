"""Readers: files, directories and standard input become `InputDocument`s.

`read_inputs(paths)` streams documents and `InputError`s in a stable order;
`sitrep extract` and `sitrep ingest` feed its documents to the pipeline and
print its errors. A format is one reader function and one row of `READERS`.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, cast

from sitrep.errors import InputError
from sitrep.models import InputDocument
from sitrep.readers.feeds import read_feed
from sitrep.readers.files import describe_os_error, read_stream_bytes
from sitrep.readers.html import html_document, read_html_file
from sitrep.readers.jsonl import jsonl_documents, read_jsonl_file
from sitrep.readers.text import read_text_file, text_document
from sitrep.readers.warc import read_warc

Reader = Callable[[Path], Iterator[InputDocument | InputError]]

# File suffix (lower case; may be compound, ".warc.gz") -> reader. Directories
# are walked for these suffixes.
READERS: dict[str, Reader] = {
    ".txt": read_text_file,
    ".html": read_html_file,
    ".htm": read_html_file,
    ".jsonl": read_jsonl_file,
    ".warc": read_warc,
    ".warc.gz": read_warc,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,
}

STDIN = "-"
STDIN_NAME = "<stdin>"

__all__ = ["READERS", "Reader", "read_inputs", "read_path", "read_stdin", "reader_for"]


def read_inputs(
    paths: Iterable[str | Path], stdin: BinaryIO | None = None
) -> Iterator[InputDocument | InputError]:
    """Every document of every path, in order; a failing path yields its error, the rest go on.

    A directory is read recursively in sorted order, skipping hidden entries and
    files of unknown suffix; `-` reads standard input (or `stdin` when given).
    """
    for path in paths:
        if str(path) == STDIN:
            yield from read_stdin(stdin if stdin is not None else sys.stdin.buffer)
        else:
            yield from read_path(Path(path))


def read_path(path: Path) -> Iterator[InputDocument | InputError]:
    """The documents of one file or directory named by the user."""
    if path.is_dir():
        yield from _read_directory(path, seen=set())
        return
    if not path.exists():
        reason = "broken symbolic link" if path.is_symlink() else "no such file or directory"
        yield InputError(str(path), reason)
        return
    reader = reader_for(path)
    if reader is None:
        known = ", ".join(sorted(READERS))
        kind = f"'{path.suffix}'" if path.suffix else "without a suffix"
        yield InputError(str(path), f"unsupported file type {kind} (sitrep reads {known})")
        return
    yield from reader(path)


def reader_for(path: Path) -> Reader | None:
    """The reader of the longest suffix of `path` in `READERS` (`.warc.gz` before `.gz`)."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    for start in range(len(suffixes)):
        reader = READERS.get("".join(suffixes[start:]))
        if reader is not None:
            return reader
    return None


def read_stdin(stream: BinaryIO) -> Iterator[InputDocument | InputError]:
    """Standard input: JSONL when it starts with `{`, HTML when with `<`, else plain text."""
    # Peeking needs a buffered reader; sys.stdin.buffer already is one.
    if not isinstance(stream, io.BufferedReader):
        stream = io.BufferedReader(cast(io.RawIOBase, stream))
    first = stream.peek(512).lstrip()[:1]
    if first == b"{":
        yield from jsonl_documents(stream, STDIN_NAME)
        return
    try:
        data = read_stream_bytes(stream, STDIN_NAME)
        if first == b"<":
            yield html_document(data, STDIN_NAME)
        else:
            yield text_document(data, STDIN_NAME)
    except InputError as error:
        yield error


def _read_directory(directory: Path, seen: set[Path]) -> Iterator[InputDocument | InputError]:
    resolved = directory.resolve()
    if resolved in seen:  # a symbolic link back up the tree
        return
    seen.add(resolved)
    try:
        entries = sorted(directory.iterdir(), key=lambda entry: entry.name)
    except OSError as error:
        yield InputError(str(directory), describe_os_error(error))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _read_directory(entry, seen)
        elif reader_for(entry) is not None:
            yield from read_path(entry)
