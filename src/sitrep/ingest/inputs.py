"""What `sitrep ingest` reads: INPUT arguments expanded into input files and feed URLs.

Folders and globs expand into the files they hold (sorted, so every run sees
the same order); each file or URL is one unit of work, the partition the Dask
ingest hands to a worker. `read_input` streams the documents of one unit.
"""

from __future__ import annotations

import glob
from collections.abc import Iterator
from pathlib import Path

from sitrep.errors import InputError
from sitrep.models import InputDocument
from sitrep.readers.feeds import FEED_SUFFIXES, is_url, read_feed
from sitrep.readers.html import read_html_file
from sitrep.readers.jsonl import read_jsonl_file
from sitrep.readers.text import read_text_file
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
        # The same readers as `sitrep extract`: size limits, strict UTF-8, one error a line.
        yield from read_jsonl_file(Path(unit))
    elif suffix in HTML_SUFFIXES:
        yield from read_html_file(Path(unit))
    elif suffix in TEXT_SUFFIXES:
        yield from read_text_file(Path(unit))
    else:
        yield InputError(unit, f"unsupported file type (sitrep reads {', '.join(KNOWN_SUFFIXES)})")
