"""What `sitrep ingest` reads: INPUT arguments expanded into input files and feed URLs.

Folders and globs expand into the files they hold (sorted, so every run sees
the same order); each file or URL is one unit of work, the partition the Dask
ingest hands to a worker. `read_input` streams the documents of one unit.
"""

from __future__ import annotations

import glob
import json
from collections.abc import Iterator
from pathlib import Path

import trafilatura

from sitrep.errors import InputError
from sitrep.models import InputDocument
from sitrep.readers.feeds import FEED_SUFFIXES, is_url, read_feed
from sitrep.readers.warc import read_warc

WARC_SUFFIXES = (".warc", ".warc.gz")
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
KNOWN_SUFFIXES = WARC_SUFFIXES + FEED_SUFFIXES + TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES


def _suffix(path: str) -> str:
    name = path.lower()
    return next((suffix for suffix in KNOWN_SUFFIXES if name.endswith(suffix)), "")


def expand_inputs(arguments: list[str] | tuple[str, ...]) -> Iterator[str | InputError]:
    """Files and URLs named by INPUT arguments, folders and globs expanded in sorted order."""
    for argument in arguments:
        if is_url(argument):
            yield argument
        elif glob.has_magic(argument):
            matches = sorted(glob.glob(argument, recursive=True))
            if not matches:
                yield InputError(argument, "the pattern matches no file")
            for match in matches:
                yield from expand_inputs([match])
        elif Path(argument).is_dir():
            for path in sorted(Path(argument).rglob("*")):
                if path.is_file() and _suffix(str(path)) and not path.name.startswith("."):
                    yield str(path)
        elif Path(argument).is_file():
            yield argument
        else:
            yield InputError(argument, "no such file, folder or URL")


def read_input(unit: str) -> Iterator[InputDocument | InputError]:
    """The documents of one file or URL, by its suffix (a URL is read as a feed)."""
    suffix = "" if is_url(unit) else _suffix(unit)
    if is_url(unit) or suffix in FEED_SUFFIXES:
        yield from read_feed(unit)
    elif suffix in WARC_SUFFIXES:
        yield from read_warc(unit)
    elif suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(unit)
    elif suffix in TEXT_SUFFIXES + HTML_SUFFIXES:
        yield _read_page(unit, html=suffix in HTML_SUFFIXES)
    else:
        yield InputError(unit, f"unsupported file type (sitrep reads {', '.join(KNOWN_SUFFIXES)})")


def _read_jsonl(path: str) -> Iterator[InputDocument | InputError]:
    with open(path, encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield InputDocument.model_validate(json.loads(line))
            except ValueError as error:
                yield InputError(f"{path}:{number}", f"not an input document: {error}")


def _read_page(path: str, html: bool) -> InputDocument | InputError:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        return InputError(path, error.strerror or str(error))
    if html:
        text = trafilatura.extract(text, include_comments=False) or ""
    if not text.strip():
        return InputError(path, "no text")
    return InputDocument(id=path, text=text)
