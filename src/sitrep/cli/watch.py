"""`sitrep watch INPUT... --db URL --rules RULES.toml`: ingest on a schedule and deliver alerts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from sitrep.errors import InputError


@click.command("watch")
@click.argument("inputs", nargs=-1)
@click.option(
    "--db", "target", required=True, envvar="SITREP_DB", help="SQLite file or PostgreSQL URL."
)
@click.option(
    "--rules",
    "rules_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML file of alert rules and destinations.",
)
@click.option("--every", default=300.0, show_default=True, help="Seconds between rounds.")
@click.option("--rounds", type=click.IntRange(min=1), default=None, help="Stop after N rounds.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Ingest workers.")
@click.option(
    "--backfill",
    is_flag=True,
    help="Also alert on happenings stored before the watch started.",
)
def command(
    inputs: tuple[str, ...],
    target: str,
    rules_path: Path,
    every: float,
    rounds: int | None,
    workers: int | None,
    backfill: bool,
) -> None:
    """Ingest INPUTs (folders, files, feed URLs) every --every seconds; alert on matches once."""
    from datetime import UTC, datetime

    from sitrep.alerts.rules import load_rules
    from sitrep.alerts.watch import watch
    from sitrep.ingest.progress import IngestTotals
    from sitrep.ingest.runner import run_ingest
    from sitrep.store import open_store

    try:
        rules = load_rules(rules_path)
    except InputError as error:
        raise click.ClickException(str(error)) from None
    engine = open_store(target)

    def ingest(paths: Sequence[str]) -> int:
        totals = run_ingest(paths, engine, workers, None, IngestTotals())
        return totals.documents

    since = datetime(1970, 1, 1, tzinfo=UTC) if backfill else None
    try:
        watch(
            engine,
            rules,
            list(inputs),
            every,
            rounds=rounds,
            since=since,
            ingest=ingest,
            on_round=lambda number, report: click.echo(report.summary(number), err=True),
        )
    except KeyboardInterrupt:
        click.echo("watch: stopped", err=True)
    finally:
        engine.dispose()
