"""`sitrep events --db URL [filters]`: query and export stored events; `events show ID` explains."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy import Connection

from sitrep.store import EventFilter, Near, explain_event, open_store, query_events
from sitrep.store.export import write_csv, write_geojson, write_json, write_parquet
from sitrep.store.query import EventExplanation
from sitrep.store.records import StoredEvent

FORMATS = ("table", "json", "csv", "geojson", "parquet")
PAGE_SIZE = 1000
TABLE_LIMIT = 50


def parse_near(value: str) -> Near:
    """`LAT,LON,KM`, or `PLACE` / `PLACE,KM` resolved with the gazetteer (default 25 km)."""
    parts = [part.strip() for part in value.split(",")]
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if len(numbers) == 3:
        return Near(lat=numbers[0], lon=numbers[1], km=numbers[2])
    from sitrep.places import resolve_place_name

    km = 25.0
    if len(parts) > 1:
        try:
            km = float(parts[-1])
            parts = parts[:-1]
        except ValueError:
            pass
    name = ", ".join(parts)
    place = resolve_place_name(name)
    if place is None or place.lat is None or place.lon is None:
        raise click.BadParameter(f"unknown place {name!r}; give LAT,LON,KM", param_hint="--near")
    return Near(lat=place.lat, lon=place.lon, km=km)


def _all_pages(connection: Connection, event_filter: EventFilter) -> Iterator[StoredEvent]:
    """Every matching event up to the filter's limit, fetched a page at a time."""
    remaining = event_filter.limit
    offset = event_filter.offset
    while remaining is None or remaining > 0:
        size = PAGE_SIZE if remaining is None else min(PAGE_SIZE, remaining)
        page = query_events(
            connection, event_filter.model_copy(update={"offset": offset, "limit": size})
        )
        yield from page.events
        if len(page.events) < size:
            return
        offset += size
        if remaining is not None:
            remaining -= size


def _print_table(stored_events: list[StoredEvent], total: int) -> None:
    table = Table(show_lines=False)
    # Ids and dates are what a reader copies from the table: never wrapped or cut.
    table.add_column("id", no_wrap=True, min_width=16)
    table.add_column("date", no_wrap=True, min_width=10)
    for heading in ("type", "place", "actors", "fatal.", "sources"):
        table.add_column(heading)
    for stored in stored_events:
        event = stored.event
        place = event.location
        actors = " / ".join(actor.name for actor in (event.actor1, event.actor2) if actor)
        table.add_row(
            stored.canonical_uid,
            str(event.date or event.date_earliest or ""),
            event.sub_event_type or event.event_type or event.plover_type,
            ", ".join(p for p in (place.name, place.admin1, place.country) if p) if place else "",
            actors,
            "" if event.fatalities is None else str(event.fatalities),
            str(len(stored.sources) or 1),
        )
    console = Console()
    console.print(table)
    console.print(f"{len(stored_events)} of {total} events")


@click.group("events", invoke_without_command=True)
@click.option("--db", "target", envvar="SITREP_DB", help="SQLite file or PostgreSQL URL.")
@click.option("--type", "event_type", help="ACLED event type, e.g. Battles.")
@click.option("--sub-type", "sub_event_type", help="ACLED sub-event type, e.g. 'Armed clash'.")
@click.option("--plover", "plover_type", help="PLOVER event type, e.g. ASSAULT.")
@click.option("--country", help="Country name or ISO3 code.")
@click.option("--admin1", help="First-level region (province, governorate, state).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Events on or after YYYY-MM-DD.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Events on or before YYYY-MM-DD.")
@click.option("--near", help="LAT,LON,KM or a place name (PLACE or PLACE,KM).")
@click.option("--actor", help="Text in an actor's name or mention.")
@click.option("--text", "sentence_text", help="Words in the event's sentence (full-text).")
@click.option("--min-fatalities", type=click.IntRange(min=0), help="At least N deaths.")
@click.option("--members", is_flag=True, help="Every report, not one row per happening.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="table")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most N events.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to a file.")
@click.pass_context
def command(
    ctx: click.Context,
    target: str | None,
    event_type: str | None,
    sub_event_type: str | None,
    plover_type: str | None,
    country: str | None,
    admin1: str | None,
    since: object,
    until: object,
    near: str | None,
    actor: str | None,
    sentence_text: str | None,
    min_fatalities: int | None,
    members: bool,
    output_format: str,
    limit: int | None,
    output: str | None,
) -> None:
    """Stored events (one per happening, newest first) matching every filter given."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = target
        return
    if target is None:
        raise click.UsageError("give the store with --db PATH or URL")
    if output_format == "parquet" and output is None:
        raise click.UsageError("--format parquet needs --output FILE")
    event_filter = EventFilter(
        event_type=event_type,
        sub_event_type=sub_event_type,
        plover_type=plover_type,
        country=country,
        admin1=admin1,
        since=_day(since),
        until=_day(until),
        near=parse_near(near) if near else None,
        actor=actor,
        text=sentence_text,
        min_fatalities=min_fatalities,
        canonical=not members,
        limit=limit or (TABLE_LIMIT if output_format == "table" else None),
    )
    engine = open_store(target)
    try:
        with engine.connect().execution_options(sitrep_read_only=True) as connection:
            if output_format == "table":
                page = query_events(connection, event_filter)
                _print_table(page.events, page.total)
            elif output_format == "parquet":
                assert output is not None
                write_parquet(_all_pages(connection, event_filter), output)
            else:
                writer = {"json": write_json, "csv": write_csv, "geojson": write_geojson}
                if output is None:
                    writer[output_format](_all_pages(connection, event_filter), sys.stdout)
                else:
                    with open(output, "w", encoding="utf-8", newline="") as stream:
                        writer[output_format](_all_pages(connection, event_filter), stream)
    finally:
        engine.dispose()


def _day(value: object) -> date | None:
    return value.date() if hasattr(value, "date") else None


def format_explanation(explanation: EventExplanation) -> str:
    """What `events show` prints: the happening, each report, and why they were merged."""
    event = explanation.event
    lines = [
        f"event {event.canonical_uid}: {len(explanation.members)} report(s) from "
        f"{len(event.sources)} source(s): {', '.join(event.sources)}",
        "",
        json.dumps(event.event.model_dump(mode="json"), indent=2, ensure_ascii=False),
        "",
        "reports:",
    ]
    for member in explanation.members:
        e = member.event
        place = e.location.name if e.location else "-"
        lines.append(
            f"  {member.uid}  {member.source or '-'}  {member.url or member.document_id}  "
            f"{e.sub_event_type or e.event_type or e.plover_type}  {e.date or '-'}  {place}  "
            f"fatalities={e.fatalities}"
        )
        lines.append(f"      {e.sentence}")
    if explanation.matches:
        lines.append("why merged:")
    for match in explanation.matches:
        detail = match.detail
        figures = []
        if match.distance_km is not None:
            figures.append(f"{match.distance_km:.1f} km apart")
        if detail.get("place"):
            figures.append(f"place: {detail['place']}")
        if match.overlap_days is not None:
            figures.append(f"dates overlap {match.overlap_days} day(s)")
        figures.append(f"family: {detail.get('family')}")
        figures.append(f"actor1: {detail.get('actor1')}; actor2: {detail.get('actor2')}")
        lines.append(
            f"  {match.uid_a} = {match.uid_b}  by rule {match.rule}: " + "; ".join(figures)
        )
    if explanation.near_duplicates:
        lines.append("near-duplicate articles:")
    for first, second, similarity in explanation.near_duplicates:
        lines.append(f"  {first} ~ {second}  (MinHash Jaccard {similarity:.2f})")
    return "\n".join(lines)


@command.command("show")
@click.argument("event_id")
@click.option("--db", "target", envvar="SITREP_DB", help="SQLite file or PostgreSQL URL.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def show(ctx: click.Context, event_id: str, target: str | None, output_format: str) -> None:
    """One happening: every report of it and why they were merged."""
    target = target or ctx.obj
    if target is None:
        raise click.UsageError("give the store with --db PATH or URL")
    engine = open_store(target)
    try:
        with engine.connect().execution_options(sitrep_read_only=True) as connection:
            explanation = explain_event(connection, event_id)
    finally:
        engine.dispose()
    if explanation is None:
        raise click.ClickException(f"no event {event_id}")
    if output_format == "json":
        click.echo(explanation.model_dump_json(indent=2))
    else:
        click.echo(format_explanation(explanation))
