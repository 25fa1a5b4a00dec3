"""`sitrep geocode TEXT|FILE.jsonl`: the place names of a text and what they resolved to.

A thin layer over `sitrep.places`: a quoted text prints one line per toponym
(`--explain` adds the scored candidates); a JSONL file of input documents
writes one `{"id", "toponyms": [...]}` line per document with offsets into its
`text`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from sitrep.models import InputDocument
from sitrep.places import as_toponym, country_name, resolve_text


@click.command("geocode")
@click.argument("source")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "jsonl"]),
    default=None,
    help="jsonl for a JSONL file of documents; text for a quoted text (the default).",
)
@click.option("--explain", is_flag=True, help="Show the candidates and their scores.")
@click.option("--dateline", default=None, help="The story's dateline place, as context.")
def command(source: str, output_format: str | None, explain: bool, dateline: str | None) -> None:
    """Find and resolve the place names of SOURCE (a text, or a JSONL file of documents)."""
    path = Path(source)
    is_file = len(source) < 4096 and path.suffix == ".jsonl" and path.is_file()
    if is_file or output_format == "jsonl":
        if not is_file:
            raise click.UsageError(f"{source!r} is not a JSONL file")
        _geocode_file(path)
        return
    _print_text(source, explain, dateline)


def _geocode_file(path: Path) -> None:
    from sitrep.nlp import load_pipeline

    nlp = load_pipeline()
    with path.open(encoding="utf-8") as handle:
        documents = [InputDocument.model_validate_json(line) for line in handle if line.strip()]
    for document, doc in zip(documents, nlp.pipe(d.text for d in documents), strict=True):
        toponyms = [as_toponym(r) for r in resolve_text(document.text, doc) if r.place]
        record = {"id": document.id, "toponyms": [t.model_dump() for t in toponyms]}
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def _print_text(text: str, explain: bool, dateline: str | None) -> None:
    resolutions = resolve_text(text, dateline=dateline)
    if not resolutions:
        click.echo("no place names found")
    for resolution in resolutions:
        mention, place = resolution.mention, resolution.place
        where = f"{mention.start}-{mention.end} {mention.text!r} ({mention.source})"
        if place is None:
            click.echo(f"{where} -> unresolved")
        else:
            region = ", ".join(v for v in (place.admin1, country_name(place.country)) if v)
            click.echo(
                f"{where} -> {place.name} [{place.feature}] {region} "
                f"({place.lat:.4f}, {place.lon:.4f}) geonameid={place.geonameid} "
                f"score={resolution.score:.2f} margin={resolution.margin:.2f}"
            )
        if explain:
            cues = [c for c, on in (("near", mention.near), ("not here", mention.not_here)) if on]
            if mention.kind:
                cues.append(f"kind={mention.kind}")
            if cues:
                click.echo(f"    cues: {', '.join(cues)}")
            for candidate, score in resolution.candidates:
                region = ", ".join(v for v in (candidate.admin1, candidate.country) if v)
                click.echo(
                    f"    {score:6.2f}  {candidate.name} [{candidate.feature}] {region} "
                    f"pop={candidate.population} ({candidate.lat:.3f}, {candidate.lon:.3f})"
                )
