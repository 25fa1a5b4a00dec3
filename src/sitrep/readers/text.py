"""Plain-text articles (`.txt`, or text on standard input): one file, one document.

The text goes in whole; the article layer (sitrep.article) finds its title
line, dateline and page chrome.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sitrep.errors import InputError
from sitrep.models import InputDocument
from sitrep.readers.files import decode_utf8, read_document_bytes


def read_text_file(path: Path) -> Iterator[InputDocument | InputError]:
    try:
        yield text_document(read_document_bytes(path), str(path))
    except InputError as error:
        yield error


def text_document(data: bytes, source: str) -> InputDocument:
    return InputDocument(id=source, text=decode_utf8(data, source))
