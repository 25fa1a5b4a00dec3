"""The `sitrep` command: a thin layer over the library, one module per subcommand.

Subcommands are imported only when run, so `sitrep --help` stays fast and a
command that needs spaCy or a database loads them itself.
"""

from __future__ import annotations

import importlib
import importlib.util

import click

# name -> (module under sitrep.cli, one-line help). Each module defines `command`.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("extract", "Code articles into documents and events (JSON, JSONL or a table)."),
    "eval": ("evaluate", "Score the pipeline on gold files and print per-dataset figures."),
    "geocode": ("geocode", "Find and resolve the place names of a text or JSONL file."),
    "dates": ("dates", "Find and resolve the date expressions of a text or JSONL file."),
    "ingest": ("ingest", "Code inputs into an event store (SQLite file or PostgreSQL URL)."),
    "events": ("events", "Query the events of a store; `events show ID` explains one."),
    "stats": ("stats", "Counts of stored events by week, country and type."),
    "actors": ("actors", "List the actor dictionary, with event counts from a store."),
    "serve": ("serve", "Serve the HTTP API and the map-and-timeline dashboard."),
    "watch": ("watch", "Ingest on a schedule and deliver alerts for matching events."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in SUBCOMMANDS if _module_exists(SUBCOMMANDS[name][0])]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in SUBCOMMANDS:
            return None
        module_name, _ = SUBCOMMANDS[cmd_name]
        if not _module_exists(module_name):
            return None
        module = importlib.import_module(f"sitrep.cli.{module_name}")
        command: click.Command = module.command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SUBCOMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _module_exists(module_name: str) -> bool:
    return importlib.util.find_spec(f"sitrep.cli.{module_name}") is not None


@click.group(cls=LazyGroup)
@click.version_option(package_name="sitrep")
def main() -> None:
    """sitrep: raw news in, coded political and security events out."""
