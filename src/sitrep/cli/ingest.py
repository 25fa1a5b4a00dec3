"""`sitrep ingest INPUT... --db URL`: code inputs into an event store, in parallel or on Dask."""

from __future__ import annotations

import sys

import click

from sitrep.ingest.progress import IngestProgress, IngestTotals
from sitrep.store import open_store


@click.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--db",
    "target",
    required=True,
    envvar="SITREP_DB",
    help="SQLite file (path or sqlite:///...) or PostgreSQL URL.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: every core).",
)
@click.option(
    "--dask",
    "dask_scheduler",
    default=None,
    help="Run on a Dask cluster: a scheduler address, or 'local' for a local cluster.",
)
def command(
    inputs: tuple[str, ...], target: str, workers: int | None, dask_scheduler: str | None
) -> None:
    """Read files, folders, globs, JSONL, WARC and RSS/Atom feeds (files or URLs) into a store.

    Inputs already stored are skipped, so a rerun after an interruption resumes.
    """
    engine = open_store(target)
    totals = IngestTotals()
    progress = IngestProgress(totals)
    try:
        if dask_scheduler is not None:
            from sitrep.ingest.distributed import run_dask_ingest

            run_dask_ingest(inputs, engine, target, dask_scheduler, workers, progress, totals)
        else:
            from sitrep.ingest.runner import run_ingest

            run_ingest(inputs, engine, workers, progress, totals)
    except KeyboardInterrupt:
        progress.close(interrupted=True)
        sys.exit(130)
    finally:
        engine.dispose()
    progress.close()
