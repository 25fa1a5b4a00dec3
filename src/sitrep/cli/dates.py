"""`sitrep dates PATH...`: the date expressions of each document and their resolution.

Reads what `sitrep extract` reads (files, folders, JSONL, HTML, feeds, WARC; `-`
for standard input). Per input document it writes `{"id", "anchor", "timexes":
[...]}` with offsets into the input `text` (`--format jsonl`, what `sitrep eval`
scores) or a short table. A bad input is one line on stderr; the rest go on.
"""

from __future__ import annotations

import json
import sys
from datetime import date

import click

from sitrep.article import build_article
from sitrep.dates import anchor_date, find_timexes
from sitrep.errors import DocumentError, InputError
from sitrep.models import InputDocument
from sitrep.readers import read_inputs


@click.command("dates")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(["jsonl", "text"]), default="text")
def command(paths: tuple[str, ...], output_format: str) -> None:
    """Find and resolve the date expressions of PATH... (- for standard input)."""
    failed = False
    for item in read_inputs(paths):
        if isinstance(item, InputError):
            sys.stderr.write(f"sitrep: {item.source}: {item.reason}\n")
            failed = True
            continue
        _write(item, output_format)
    sys.exit(1 if failed else 0)


def _write(document: InputDocument, output_format: str) -> None:
    anchor = _anchor(document)
    timexes = find_timexes(document.text, anchor)
    if output_format == "jsonl":
        record = {
            "id": document.id,
            "anchor": anchor.isoformat() if anchor else None,
            "timexes": [timex.model_dump(mode="json") for timex in timexes],
        }
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    click.echo(f"{document.id}  anchor {anchor.isoformat() if anchor else '-'}")
    for timex in timexes:
        span = f"{timex.earliest or '?'}..{timex.latest or '?'}"
        click.echo(f"  {timex.start:>6}  {timex.text!r:<32} {timex.value or '-':<12} {span}")


def _anchor(document: InputDocument) -> date | None:
    """The anchor of the document's article: its dateline's day, else `published`."""
    try:
        return anchor_date(build_article(document))
    except DocumentError:
        return None
