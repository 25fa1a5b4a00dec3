"""`sitrep extract PATH...`: code articles and print their records."""

from __future__ import annotations

import sys

import click

from sitrep.models import InputDocument
from sitrep.pipeline import extract_many


@click.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(["json", "jsonl"]), default="jsonl")
def command(paths: tuple[str, ...], output_format: str) -> None:
    """Interface placeholder: reads one plain-text file per PATH."""
    documents = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            documents.append(InputDocument(id=path, text=handle.read()))
    for result in extract_many(documents):
        indent = 2 if output_format == "json" else None
        sys.stdout.write(result.model_dump_json(indent=indent) + "\n")
