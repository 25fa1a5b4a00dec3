"""`sitrep extract PATH...`: code articles and print their records.

Inputs come from `sitrep.readers` (files, directories, `-`), results from
`sitrep.pipeline.extract_many`; output is JSON, JSON Lines (streamed) or a
table for people. Unreadable inputs and failed documents each get one line
`sitrep: SOURCE: reason` on stderr, and the exit status is 1 at the end.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import chain
from typing import TextIO

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from sitrep.article.published import parse_published
from sitrep.errors import InputError
from sitrep.models import DocumentResult, Event, InputDocument
from sitrep.pipeline import extract_many
from sitrep.readers import read_inputs

FORMATS = ("json", "jsonl", "table")
# Exit status when sitrep itself failed (1 is for inputs and documents that failed).
INTERNAL_ERROR = 3


class DateParam(click.ParamType[date, str]):
    """A command-line date: YYYY-MM-DD (or full ISO 8601)."""

    name = "date"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_published(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD)", param, ctx)


@click.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="jsonl",
    show_default=True,
    help="json: pretty, one object or a list; jsonl: one line per document, streamed; "
    "table: for people.",
)
@click.option(
    "--published",
    type=DateParam(),
    default=None,
    help="Publication date of every input, over the one a file or page gives.",
)
@click.option(
    "--today",
    type=DateParam(),
    default=None,
    help="The day to reason from (years of datelines without one); default: the real today.",
)
def command(
    paths: tuple[str, ...], output_format: str, published: date | None, today: date | None
) -> None:
    """Code the articles in PATH... (.txt, .html, .jsonl, .warc, .rss, folders; - for stdin)."""
    failures = FailureLog(sys.stderr)
    documents = _documents(paths, published, failures)
    results = failures.watch(extract_many(documents, today=today))
    try:
        if output_format == "jsonl":
            write_jsonl(results, sys.stdout)
        elif output_format == "json":
            write_json(results, sys.stdout)
        else:
            write_table(results, sys.stdout)
    except BrokenPipeError:  # `sitrep extract ... | head`: the reader left, nothing to report
        sys.stderr.close()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # a bug in a stage: one line, not a traceback, and a distinct status
        sys.stderr.write(f"sitrep: internal error: {type(error).__name__}: {error}\n")
        sys.exit(INTERNAL_ERROR)
    sys.exit(failures.exit_status)


class FailureLog:
    """Prints each failure as one line on stderr and remembers that one happened."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.count = 0
        # The input each document still in the pipeline came from (its file, or the
        # argument naming it), in order.
        self.origins: deque[str] = deque()

    def report(self, source: str, reason: str) -> None:
        self.count += 1
        self.stream.write(f"sitrep: {source}: {reason}\n")
        self.stream.flush()

    def watch(self, results: Iterable[DocumentResult]) -> Iterator[DocumentResult]:
        """Pass results on, reporting the errors of failed documents."""
        for result in results:
            # Results come in input order, so the oldest origin noted is this result's.
            origin = self.origins.popleft() if self.origins else result.id
            for error in result.errors:
                reason = error.removeprefix(f"{result.id}: ")
                # A JSONL document's id is the caller's; the line names the file too.
                source = result.id if origin == result.id else f"{origin}: {result.id}"
                self.report(source, reason)
            yield result

    @property
    def exit_status(self) -> int:
        return 1 if self.count else 0


def _documents(
    paths: Iterable[str], published: date | None, failures: FailureLog
) -> Iterator[InputDocument]:
    for path in paths:
        for item in read_inputs([path]):
            if isinstance(item, InputError):
                failures.report(item.source, item.reason)
                continue
            if published is not None:
                item = item.model_copy(update={"published": published.isoformat()})
            failures.origins.append(path if path != "-" else "<stdin>")
            yield item


def write_jsonl(results: Iterable[DocumentResult], out: TextIO) -> None:
    """One compact JSON object a line, written as each document is done."""
    for result in results:
        out.write(result.model_dump_json() + "\n")
        out.flush()


def write_json(results: Iterable[DocumentResult], out: TextIO) -> None:
    """Pretty JSON: the object itself for one document, a list for several (streamed)."""
    iterator = iter(results)
    first = next(iterator, None)
    if first is None:
        out.write("[]\n")
        return
    second = next(iterator, None)
    if second is None:
        out.write(first.model_dump_json(indent=2) + "\n")
        return
    out.write("[\n" + _indented(first))
    for item in chain([second], iterator):
        out.write(",\n" + _indented(item))
    out.write("\n]\n")


def _indented(result: DocumentResult) -> str:
    return "\n".join("  " + line for line in result.model_dump_json(indent=2).splitlines())


def write_table(results: Iterable[DocumentResult], out: TextIO) -> None:
    """For each document: its title, id, dateline and date, then a table of its events."""
    console = Console(file=out, highlight=False)
    for result in results:
        heading, table = document_table(result)
        console.print(heading)
        console.print(table)
        console.print()


def document_table(result: DocumentResult) -> tuple[Text, Table]:
    """The heading lines and the events table of one document."""
    article = result.article
    dateline = article.dateline
    where = "none"
    if dateline:
        where = ", ".join(p for p in (dateline.place, dateline.agency, dateline.date_text) if p)
    published = article.published.isoformat() if article.published else "unknown"
    if article.published_inferred:
        published += " (year inferred)"
    heading = Text(article.title or "(no title)", style="bold")
    heading.append(f"\n{result.id} · dateline: {where} · published: {published}", style="dim")
    table = Table(expand=False)
    table.add_column("#", justify="right")
    table.add_column("event type")
    table.add_column("sub-event type")
    table.add_column("date")
    table.add_column("place")
    table.add_column("fatalities", justify="right")
    for number, event in enumerate(result.events, start=1):
        table.add_row(str(number), *_event_cells(event))
    if result.errors:
        table.add_row("", "failed", "; ".join(result.errors), "", "", "", style="red")
    elif not result.events:
        table.add_row("", "(no events)", "", "", "", "")
    return heading, table


def _event_cells(event: Event) -> tuple[str, str, str, str, str]:
    event_type = event.event_type or event.plover_type
    if event.date:
        when = event.date.isoformat()
    elif event.date_earliest and event.date_latest:
        when = f"{event.date_earliest.isoformat()} – {event.date_latest.isoformat()}"
    else:
        when = "unknown"
    place = "unknown"
    if event.location:
        place = ", ".join(p for p in (event.location.name, event.location.country) if p)
    fatalities = "unknown" if event.fatalities is None else str(event.fatalities)
    return event_type, event.sub_event_type or "", when, place, fatalities
