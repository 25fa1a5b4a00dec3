"""`sitrep actors`: list the actor dictionary, count stored events per actor, explain a mention.

A thin layer over `sitrep.actors`: the listing reads `load_dictionary()`,
`--match` uses the same query expansion as `--actor` queries, `--db` counts the
happenings of a store (SQLite file or URL) per canonical actor, and `--resolve`
shows which table decided a mention's canonical name.
"""

from __future__ import annotations

import json
import sys

import click

from sitrep.actors import actor_name_matches, load_dictionary, resolve_mention
from sitrep.actors.dictionary import ActorDictionary
from sitrep.models import ACTOR_TYPES


@click.command("actors")
@click.option("--match", "query", help="Only actors whose name or an alias contains these words.")
@click.option(
    "--country", help="Only actors of this country (with --resolve: the event's country)."
)
@click.option("--type", "actor_type", type=click.Choice(list(ACTOR_TYPES.values())))
@click.option("--db", "target", envvar="SITREP_DB", help="Count events per actor in this store.")
@click.option("--resolve", "mention", help="Explain how this mention resolves (with --country).")
@click.option("--admin1", help="With --resolve: the event's first-level region.")
@click.option("--format", "output_format", type=click.Choice(["table", "jsonl"]), default="table")
def command(
    query: str | None,
    country: str | None,
    actor_type: str | None,
    target: str | None,
    mention: str | None,
    admin1: str | None,
    output_format: str,
) -> None:
    """List canonical actors (name, type, country, aliases; events with --db), or resolve one."""
    dictionary = load_dictionary()
    place = dictionary.countries.canonical(country) if country else None
    if country and place is None:
        raise click.BadParameter(f"unknown country {country!r}", param_hint="--country")
    if mention is not None:
        _explain(mention, place, admin1, dictionary, output_format)
        return

    counts = _events_per_actor(target) if target else {}
    # Stored names formed at run time ("Protesters (Chad)") are listed beside the dictionary's.
    names = set(dictionary.entries) | set(counts)
    rows = []
    for name in names:
        if query and not actor_name_matches(query, name, dictionary):
            continue
        home, kind = dictionary.country_of(name), dictionary.type_of(name)
        if (place and home != place) or (actor_type and kind != actor_type):
            continue
        aliases = sorted(dictionary.aliases_of(name) - {name})
        rows.append((name, kind, home, aliases, counts.get(name, 0)))
    if target:
        rows.sort(key=lambda row: (-row[4], row[0]))
    else:
        rows.sort(key=lambda row: (row[2] or "", row[0]))
    for name, kind, home, aliases, events in rows:
        if output_format == "jsonl":
            record: dict[str, object] = {
                "name": name,
                "type": kind,
                "country": home,
                "aliases": aliases,
            }
            if target:
                record["events"] = events
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            cells = [name, kind or "-", home or "-", f"{len(aliases)} aliases"]
            if target:
                cells.append(f"{events} events")
            sys.stdout.write("\t".join(cells) + "\n")


def _explain(
    mention: str,
    country: str | None,
    admin1: str | None,
    dictionary: ActorDictionary,
    output_format: str,
) -> None:
    resolution = resolve_mention(mention, country, admin1, dictionary)
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
        return
    for key, value in record.items():
        sys.stdout.write(f"{key:8} {value if value is not None else '-'}\n")


def _events_per_actor(target: str) -> dict[str, int]:
    # The store (SQLAlchemy, migrations) loads only when a count is asked for.
    from sitrep.actors.counts import events_per_actor
    from sitrep.store import open_store

    engine = open_store(target)
    try:
        with engine.connect().execution_options(sitrep_read_only=True) as connection:
            return events_per_actor(connection)
    finally:
        engine.dispose()
