"""`sitrep stats --db URL`: counts of stored happenings by week, country and event type."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from sitrep.store import EventFilter, open_store
from sitrep.store.stats import count_events


@click.command("stats")
@click.option("--db", "target", required=True, envvar="SITREP_DB", help="SQLite file or URL.")
@click.option("--country", help="Only this country (name or ISO3).")
@click.option("--type", "event_type", help="Only this ACLED event type.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
def command(target: str, country: str | None, event_type: str | None, output_format: str) -> None:
    """Counts of happenings (canonical events) by ISO week, country and type."""
    engine = open_store(target)
    try:
        with engine.connect().execution_options(sitrep_read_only=True) as connection:
            counts = count_events(
                connection, EventFilter(country=country, event_type=event_type, limit=None)
            )
    finally:
        engine.dispose()
    if output_format == "json":
        click.echo(counts.model_dump_json(indent=2))
        return
    console = Console()
    console.print(f"{counts.total} events")
    for title, values in (
        ("week", counts.by_week),
        ("country", counts.by_country),
        ("type", counts.by_type),
    ):
        table = Table(title=f"by {title}")
        table.add_column(title)
        table.add_column("events", justify="right")
        for key, count in values.items():
            table.add_row(key, str(count))
        console.print(table)
