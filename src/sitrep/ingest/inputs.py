"""What `sitrep ingest` reads: INPUT arguments expanded into input files and feed URLs.

Folders and globs expand into the files `sitrep.readers` can read (sorted, so
every run sees the same order); each file or URL is one unit of work, the
partition the Dask ingest hands to a worker. `read_input` streams the
documents of one unit through the readers' suffix table, or a feed URL
through the feed reader.
"""

from __future__ import annotations

import glob
from collections.abc import Iterator
from pathlib import Path

from sitrep.errors import InputError
from sitrep.models import InputDocument
from sitrep.readers import read_path, reader_for
from sitrep.readers.feeds import is_url, read_feed


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
            yield from _folder_files(Path(argument))
        elif Path(argument).is_file():
            yield argument
        else:
            yield InputError(argument, "no such file, folder or URL")


def _folder_files(folder: Path) -> Iterator[str]:
    for path in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if not hidden and path.is_file() and reader_for(path) is not None:
            yield str(path)


def read_input(unit: str) -> Iterator[InputDocument | InputError]:
    """The documents of one file (by its suffix) or feed URL."""
    if is_url(unit):
        yield from read_feed(unit)
    else:
        yield from read_path(Path(unit))
