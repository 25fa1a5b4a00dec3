"""`sitrep eval FILE...`: score sitrep on gold files and print a table per dataset (or JSON).

A thin layer over sitrep.evaluation.runner: every file is scored even when
another fails (its error is printed as one line), and the run ends with the
elapsed time. Exit status 1 when any file failed.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from sitrep.evaluation.runner import DatasetReport, SplitChoice, evaluate_file
from sitrep.evaluation.split import TEST_SHARE_PERCENT

SPLIT_WORDS = {
    "test": f"test split: the unseen {TEST_SHARE_PERCENT}%",
    "train": f"train split: the {100 - TEST_SHARE_PERCENT}% learners may see",
    "all": "all documents, train and test",
}


@click.command("eval")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@click.option(
    "--split",
    type=click.Choice(["test", "train", "all"]),
    default="test",
    show_default=True,
    help="Which documents of sitrep.evaluation.split to score.",
)
@click.option("--limit", type=click.IntRange(min=1), help="Score at most N documents per file.")
def command(files: tuple[str, ...], as_json: bool, split: SplitChoice, limit: int | None) -> None:
    """Score the pipeline on gold FILEs (format of ../shared/eval/README.md)."""
    started = time.perf_counter()
    errors = Console(stderr=True)
    console = Console(width=None if sys.stdout.isatty() else 120)
    reports: list[DatasetReport] = []
    for path in files:
        file_reports = _evaluate_with_progress(path, split, limit, errors)
        for report in file_reports:
            if report.error:
                click.echo(f"sitrep eval: {report.error}", err=True)
            if not as_json:
                # Each table as soon as its file is scored: a full run takes minutes.
                _print_table(console, report, split)
        reports += file_reports
    elapsed = time.perf_counter() - started
    if as_json:
        sys.stdout.write(json.dumps(_as_json(reports, split, elapsed), indent=2) + "\n")
    else:
        console.print(f"elapsed {elapsed:.1f} s ({SPLIT_WORDS[split]})", highlight=False)
    if any(report.error for report in reports):
        sys.exit(1)


def _evaluate_with_progress(
    path: str, split: SplitChoice, limit: int | None, errors: Console
) -> list[DatasetReport]:
    if not errors.is_terminal:
        return evaluate_file(path, split, limit)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    ) as progress:
        task = progress.add_task(path, total=limit)
        return evaluate_file(path, split, limit, lambda done: progress.advance(task, done))


def _format(value: float | None, kind: str) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" if kind == "mean" else f"{value:.3f}"


def _print_table(console: Console, report: DatasetReport, split: SplitChoice) -> None:
    title = f"{report.dataset} — {SPLIT_WORDS[split]} — {report.documents} documents"
    if report.error:
        console.print(
            f"[bold]{escape(title)}[/bold]: failed: {escape(report.error)}", highlight=False
        )
        return
    table = Table(title=escape(title), caption=escape(f"{report.file}, {report.seconds:.1f} s"))
    table.add_column("section")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("n", justify="right")
    previous = None
    for figure in report.figures:
        section = figure.section if figure.section != previous else ""
        previous = figure.section
        table.add_row(section, figure.name, _format(figure.value, figure.kind), str(figure.n))
    console.print(table)
    for note in report.notes:
        console.print(f"  note: {note}", markup=False, highlight=False)
    console.print()


def _as_json(reports: list[DatasetReport], split: SplitChoice, elapsed: float) -> dict[str, Any]:
    return {
        "split": split,
        "elapsed_seconds": round(elapsed, 3),
        "datasets": [
            {
                "dataset": report.dataset,
                "file": report.file,
                "documents": report.documents,
                "seconds": round(report.seconds, 3),
                "error": report.error,
                "figures": [
                    {
                        "section": figure.section,
                        "name": figure.name,
                        "value": None if figure.value is None else round(figure.value, 6),
                        "n": figure.n,
                    }
                    for figure in report.figures
                ],
                "notes": report.notes,
            }
            for report in reports
        ],
    }
