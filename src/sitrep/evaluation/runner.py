"""Run sitrep over one gold file and score it: the engine behind `sitrep eval`.

Event sets go through `sitrep.pipeline.extract_many`, geoparsing sets through
`sitrep.places.geocode_text`, TempEval through `sitrep.dates.find_timexes` and
UCDP names through `sitrep.places.resolve_place_name`. Documents stream through
in batches and only counts are kept, so memory stays flat on any file size.
The result is one `DatasetReport` per dataset in the file, for cli/evaluate.py.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Literal

from sitrep.dates import find_timexes
from sitrep.errors import GoldFormatError
from sitrep.evaluation.gold import GoldDocument, GoldKind, read_gold
from sitrep.evaluation.scoring import (
    EventScorer,
    Figure,
    PlaceNameScorer,
    TimexScorer,
    ToponymScorer,
    conventions_of,
)
from sitrep.evaluation.split import split_of
from sitrep.models import InputDocument
from sitrep.nlp import load_pipeline
from sitrep.pipeline import extract_many
from sitrep.places import geocode_text, resolve_place_name

SplitChoice = Literal["test", "train", "all"]
Progress = Callable[[int], None]
# spaCy batch for the geoparsing sets (the pipeline batches event sets itself).
NLP_BATCH_SIZE = 64

Scorer = EventScorer | ToponymScorer | TimexScorer | PlaceNameScorer


@dataclass
class DatasetReport:
    """The figures of one dataset of one gold file, or the error that stopped it."""

    dataset: str
    file: str
    split: SplitChoice
    documents: int = 0
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None


@dataclass
class _Run:
    """Scorers by dataset, and what went wrong on single documents, for one file."""

    scorers: dict[str, Scorer] = field(default_factory=dict)
    stage_errors: dict[str, int] = field(default_factory=dict)
    first_stage_error: dict[str, str] = field(default_factory=dict)

    def scorer(self, document: GoldDocument) -> Scorer:
        if document.dataset not in self.scorers:
            self.scorers[document.dataset] = _new_scorer(document)
        return self.scorers[document.dataset]

    def stage_failed(self, document: GoldDocument, error: Exception) -> None:
        self.stage_errors[document.dataset] = self.stage_errors.get(document.dataset, 0) + 1
        self.first_stage_error.setdefault(
            document.dataset, f"{document.id}: {type(error).__name__}: {error}"
        )


def _new_scorer(document: GoldDocument) -> Scorer:
    kind = document.kind
    if kind == "events":
        return EventScorer(conventions_of(document.dataset))
    if kind == "toponyms":
        return ToponymScorer()
    if kind == "timexes":
        return TimexScorer()
    return PlaceNameScorer()


def selected_documents(
    path: str | Path,
    split: SplitChoice,
    limit: int | None,
    warn: Callable[[str], None] | None = None,
) -> Iterator[GoldDocument]:
    """The gold documents of the chosen split, at most `limit` of them."""
    documents: Iterable[GoldDocument] = (
        document
        for document in read_gold(path, warn)
        if split == "all" or split_of(document.id) == split
    )
    return iter(islice(documents, limit) if limit is not None else documents)


def evaluate_file(
    path: str | Path,
    split: SplitChoice = "test",
    limit: int | None = None,
    progress: Progress | None = None,
) -> list[DatasetReport]:
    """Score sitrep on one gold file; a broken file gives a report holding its error."""
    started = time.perf_counter()
    warnings: dict[str, None] = {}
    run = _Run()
    error: str | None = None
    try:
        first = next(selected_documents(path, split, limit, warnings.setdefault), None)
        to_do: list[GoldKind] = [first.kind] if first is not None else []
        done: set[GoldKind] = set()
        while to_do:
            kind = to_do.pop(0)
            done.add(kind)
            others: set[GoldKind] = set()
            documents = _of_kind(
                selected_documents(path, split, limit, warnings.setdefault), kind, others
            )
            RUNNERS[kind](documents, run, progress)
            to_do += sorted(other for other in others if other not in done and other not in to_do)
    except GoldFormatError as failure:
        error = str(failure)
    except Exception as failure:  # a stage bug stops this file, never the others
        error = f"{path}: {type(failure).__name__}: {failure}"
    seconds = time.perf_counter() - started
    file = str(path)
    if error is not None:
        name = next(iter(run.scorers), Path(path).name.split(".")[0])
        return [DatasetReport(dataset=name, file=file, split=split, seconds=seconds, error=error)]
    reports = []
    for dataset, scorer in run.scorers.items():
        notes = list(warnings)
        if isinstance(scorer, EventScorer):
            notes = list(scorer.conventions.notes) + notes
            if scorer.pipeline_errors:
                notes.append(f"{scorer.pipeline_errors} documents failed in the pipeline")
        if run.stage_errors.get(dataset):
            notes.append(
                f"{run.stage_errors[dataset]} documents raised in the stage, scored as empty; "
                f"first: {run.first_stage_error[dataset]}"
            )
        reports.append(
            DatasetReport(
                dataset=dataset,
                file=file,
                split=split,
                documents=scorer.documents,
                figures=scorer.figures(),
                notes=notes,
                seconds=seconds,
            )
        )
    if not reports:
        name = Path(path).name.split(".")[0]
        reports.append(
            DatasetReport(
                dataset=name, file=file, split=split, seconds=seconds, notes=list(warnings)
            )
        )
    return reports


def _of_kind(
    documents: Iterator[GoldDocument], kind: GoldKind, others: set[GoldKind]
) -> Iterator[GoldDocument]:
    """The documents of one kind; the kinds of the rest go to `others` for a later pass."""
    for document in documents:
        if document.kind == kind:
            yield document
        else:
            others.add(document.kind)


def _run_events(documents: Iterator[GoldDocument], run: _Run, progress: Progress | None) -> None:
    pending: deque[GoldDocument] = deque()

    def inputs() -> Iterator[InputDocument]:
        for document in documents:
            pending.append(document)
            yield InputDocument(
                id=document.id,
                text=document.text or "",
                title=document.title,
                published=document.published.isoformat() if document.published else None,
            )

    for result in extract_many(inputs()):
        document = pending.popleft()
        scorer = run.scorer(document)
        assert isinstance(scorer, EventScorer)
        scorer.add(document, result)
        if progress:
            progress(1)


def _run_toponyms(documents: Iterator[GoldDocument], run: _Run, progress: Progress | None) -> None:
    texts = ((document.text or "", document) for document in documents)
    for doc, document in load_pipeline().pipe(texts, as_tuples=True, batch_size=NLP_BATCH_SIZE):
        scorer = run.scorer(document)
        assert isinstance(scorer, ToponymScorer)
        try:
            toponyms = geocode_text(document.text or "", doc)
        except Exception as error:  # scored as finding nothing, counted in the notes
            run.stage_failed(document, error)
            toponyms = []
        scorer.add(document, toponyms)
        if progress:
            progress(1)


def _run_timexes(documents: Iterator[GoldDocument], run: _Run, progress: Progress | None) -> None:
    for document in documents:
        scorer = run.scorer(document)
        assert isinstance(scorer, TimexScorer)
        try:
            timexes = find_timexes(document.text or "", document.published, None)
        except Exception as error:  # scored as finding nothing, counted in the notes
            run.stage_failed(document, error)
            timexes = []
        scorer.add(document, timexes)
        if progress:
            progress(1)


def _run_places(documents: Iterator[GoldDocument], run: _Run, progress: Progress | None) -> None:
    for document in documents:
        scorer = run.scorer(document)
        assert isinstance(scorer, PlaceNameScorer)
        place = document.place
        assert place is not None  # a `place` document always has one (gold.py)
        try:
            resolved = resolve_place_name(place.name, place.country)
        except Exception as error:  # scored as unresolved, counted in the notes
            run.stage_failed(document, error)
            resolved = None
        scorer.add(place, resolved)
        if progress:
            progress(1)


RUNNERS: dict[GoldKind, Callable[[Iterator[GoldDocument], _Run, Progress | None], None]] = {
    "events": _run_events,
    "toponyms": _run_toponyms,
    "timexes": _run_timexes,
    "place": _run_places,
}
