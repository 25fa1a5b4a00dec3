"""`sitrep actors`: list the actor dictionary, or explain how one mention resolves.

A thin layer over `sitrep.actors`: the listing reads `load_dictionary()`,
`--match` uses the same query expansion as the store's `--actor`, and
`--resolve` shows which table decided a mention's canonical name.
"""

from __future__ import annotations

import json
import sys

import click

from sitrep.actors import canonical_names_matching, load_dictionary, resolve_mention
from sitrep.models import ACTOR_TYPES


@click.command("actors")
@click.option("--match", "query", help="Only actors whose name or an alias contains these words.")
@click.option(
    "--country", help="Only actors of this country (with --resolve: the event's country)."
)
@click.option("--type", "actor_type", type=click.Choice(list(ACTOR_TYPES.values())))
@click.option("--resolve", "mention", help="Explain how this mention resolves (with --country).")
@click.option("--admin1", help="With --resolve: the event's first-level region.")
@click.option("--format", "output_format", type=click.Choice(["table", "jsonl"]), default="table")
def command(
    query: str | None,
    country: str | None,
    actor_type: str | None,
    mention: str | None,
    admin1: str | None,
    output_format: str,
) -> None:
    """List canonical actors (name, type, country, number of aliases), or resolve one mention."""
    dictionary = load_dictionary()
    place = dictionary.countries.canonical(country) if country else None
    if country and place is None:
        raise click.BadParameter(f"unknown country {country!r}", param_hint="--country")
    if mention is not None:
        resolution = resolve_mention(mention, place, admin1, dictionary)
        actor = resolution.actor
        record = {
            "mention": mention,
            "name": actor.name if actor else None,
            "type": actor.type if actor else None,
            "country": actor.country if actor else None,
            "rule": resolution.rule,
            "matched": resolution.matched,
        }
        if output_format == "jsonl":
            sys.stdout.write(json.dumps(record) + "\n")
        else:
            for key, value in record.items():
                sys.stdout.write(f"{key:8} {value if value is not None else '-'}\n")
        return

    names = canonical_names_matching(query, dictionary) if query else set(dictionary.entries)
    entries = [
        dictionary.entries[name]
        for name in names
        if (place is None or dictionary.entries[name].country == place)
        and (actor_type is None or dictionary.entries[name].type == actor_type)
    ]
    entries.sort(key=lambda entry: (entry.country or "", entry.name))
    for entry in entries:
        aliases = len(dictionary.aliases_of(entry.name) - {entry.name})
        if output_format == "jsonl":
            row = {
                "name": entry.name,
                "type": entry.type,
                "country": entry.country,
                "aliases": sorted(dictionary.aliases_of(entry.name) - {entry.name}),
                "source": entry.source,
            }
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(
                f"{entry.name}\t{entry.type}\t{entry.country or '-'}\t{aliases} aliases\n"
            )
