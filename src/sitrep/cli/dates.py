"""`sitrep dates FILE`: the date expressions of a text or JSONL file and their resolution.

Per input document it writes `{"id", "anchor", "timexes": [...]}` with offsets into
the input `text` (`--format jsonl`, what `sitrep eval` scores) or a short table.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import click

from sitrep.article import build_article
from sitrep.dates import anchor_date, find_timexes
from sitrep.errors import DocumentError
from sitrep.models import InputDocument


@click.command("dates")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["jsonl", "text"]), default="text")
def command(path: Path, output_format: str) -> None:
    """Find and resolve the date expressions of a text or JSONL file."""
    for document in _documents(path):
        anchor = _anchor(document)
        timexes = find_timexes(document.text, anchor)
        if output_format == "jsonl":
            record = {
                "id": document.id,
                "anchor": anchor.isoformat() if anchor else None,
                "timexes": [timex.model_dump(mode="json") for timex in timexes],
            }
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            continue
        click.echo(f"{document.id}  anchor {anchor.isoformat() if anchor else '-'}")
        for timex in timexes:
            span = f"{timex.earliest or '?'}..{timex.latest or '?'}"
            click.echo(f"  {timex.start:>6}  {timex.text!r:<32} {timex.value or '-':<12} {span}")


def _documents(path: Path) -> Iterator[InputDocument]:
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        yield InputDocument.model_validate_json(line)
                    except ValueError as error:
                        raise click.ClickException(f"{path}:{number}: {error}") from error
        return
    yield InputDocument(id=str(path), text=path.read_text(encoding="utf-8"))


def _anchor(document: InputDocument) -> date | None:
    """The anchor of the document's article: its dateline's day, else `published`."""
    try:
        return anchor_date(build_article(document))
    except DocumentError:
        return None
