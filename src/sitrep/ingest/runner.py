"""The ingest runner: read inputs, code new documents in parallel, store each in one transaction.

Workers (one process per core, spaCy loaded once in each) run the pipeline and
sign each body with MinHash; the main process skips inputs already stored
(content hash), writes the coded batches with `store.write_documents` (one
transaction for the batches waiting) and records the ones that fail. Killed at
any point, a rerun picks up where it stopped, because a transaction's documents
are either all stored or none.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from multiprocessing import get_context

from sqlalchemy import Engine

from sitrep.errors import InputError
from sitrep.ingest.inputs import expand_inputs, read_input
from sitrep.ingest.progress import IngestProgress, IngestTotals
from sitrep.merge.near_duplicates import sign_body
from sitrep.models import Article, DocumentResult, InputDocument
from sitrep.nlp import load_pipeline
from sitrep.pipeline import extract_many
from sitrep.store import (
    CodedDocument,
    WriteOutcome,
    input_hash,
    known_inputs,
    record_error,
)
from sitrep.store.repository import write_documents, write_or_record_failure

# Documents per task sent to a worker: large enough for spaCy's batching,
# small enough that an interrupted run loses little work.
BATCH_SIZE = 32
# Batches in flight per worker: keeps every worker busy while memory stays flat.
BATCHES_PER_WORKER = 2
# Coded batches already waiting are written in one transaction, up to this many
# documents: a commit writes every index page the batch touched, so fewer, larger
# commits cost the single writer less CPU per document.
WRITE_GROUP_DOCUMENTS = 128


@dataclass(frozen=True)
class PendingDocument:
    """An input document not yet in the store, with where it came from."""

    input_name: str
    input_hash: str
    document: InputDocument


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# The coding function: the pipeline's `extract_many`, or a stand-in with the same shape.
Coder = Callable[[list[InputDocument]], Iterable[DocumentResult]]


def code_documents(
    batch: list[PendingDocument], coder: Coder = extract_many
) -> list[CodedDocument]:
    """Run the pipeline over a batch (in a worker); a document that crashes it gets an error."""
    try:
        results = list(coder([pending.document for pending in batch]))
    except Exception as error:
        if len(batch) == 1:
            failed = DocumentResult(
                id=batch[0].document.id,
                article=Article(),
                errors=[f"{type(error).__name__}: {error}"],
            )
            return [_coded(batch[0], failed)]
        # Find the culprit: code the batch one document at a time.
        return [coded for pending in batch for coded in code_documents([pending], coder)]
    return [_coded(pending, result) for pending, result in zip(batch, results, strict=True)]


def _coded(pending: PendingDocument, result: DocumentResult) -> CodedDocument:
    signature = None if result.errors else sign_body(result.article.body)
    return CodedDocument(
        input_hash=pending.input_hash,
        input_name=pending.input_name,
        source=pending.document.source,
        url=pending.document.url,
        result=result,
        minhash=signature.to_bytes() if signature else None,
    )


def _load_worker() -> None:
    load_pipeline()


def error_hash(name: str, reason: str) -> str:
    """Idempotency key of an unreadable input, so a rerun does not record it twice."""
    return hashlib.sha256(f"error\x1f{name}\x1f{reason}".encode()).hexdigest()


def pending_documents(
    units: Iterable[str], engine: Engine, totals: IngestTotals
) -> Iterator[PendingDocument]:
    """Every document of `units`, input errors recorded on the way."""
    for unit in units:
        for item in read_input(unit):
            if isinstance(item, InputError):
                totals.errors += 1
                record_error(engine, error_hash(item.source, item.reason), None, unit, str(item))
                continue
            yield PendingDocument(input_name=unit, input_hash=input_hash(item), document=item)


def new_batches(
    documents: Iterator[PendingDocument],
    engine: Engine,
    totals: IngestTotals,
    in_flight: set[str],
    batch_size: int,
) -> Iterator[list[PendingDocument]]:
    """Batches of documents neither stored already nor on their way to the store."""
    while chunk := list(islice(documents, batch_size)):
        with engine.connect().execution_options(sitrep_read_only=True) as connection:
            stored = known_inputs(connection, (pending.input_hash for pending in chunk))
        batch = []
        for pending in chunk:
            if pending.input_hash in stored or pending.input_hash in in_flight:
                totals.skipped += 1
                continue
            in_flight.add(pending.input_hash)
            batch.append(pending)
        if batch:
            yield batch


def write_coded(
    engine: Engine, coded: CodedDocument, totals: IngestTotals, progress: IngestProgress | None
) -> None:
    """Store one coded document; a failure to store it is recorded and the run goes on."""
    _count(write_or_record_failure(engine, coded), totals)
    if progress is not None:
        progress.update(1)


def write_coded_batch(
    engine: Engine,
    batch: list[CodedDocument],
    totals: IngestTotals,
    progress: IngestProgress | None,
) -> None:
    """Store a worker's batch in one transaction (`store.write_documents`)."""
    outcomes = write_documents(engine, batch)
    for outcome in outcomes:
        _count(outcome, totals)
    if progress is not None:
        progress.update(len(outcomes))


def _count(outcome: WriteOutcome, totals: IngestTotals) -> None:
    if not outcome.written:
        totals.skipped += 1
    elif outcome.error is not None:
        totals.errors += 1
    else:
        totals.documents += 1
        totals.events += outcome.events


def run_ingest(
    arguments: Iterable[str],
    engine: Engine,
    workers: int | None = None,
    progress: IngestProgress | None = None,
    totals: IngestTotals | None = None,
    batch_size: int = BATCH_SIZE,
    coder: Coder = extract_many,
) -> IngestTotals:
    """Ingest every document named by `arguments` into the store behind `engine`.

    `coder` must be a module-level function, so that worker processes can import it.
    """
    totals = totals or IngestTotals()
    workers = workers or default_workers()
    units = _units(arguments, engine, totals)
    in_flight: set[str] = set()
    batches = new_batches(
        pending_documents(units, engine, totals), engine, totals, in_flight, batch_size
    )
    if workers <= 1:
        load_pipeline()
        for batch in batches:
            coded_batch = code_documents(batch, coder)
            write_coded_batch(engine, coded_batch, totals, progress)
            in_flight.difference_update(coded.input_hash for coded in coded_batch)
        return totals
    context = get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_load_worker) as pool:
        window: deque[Future[list[CodedDocument]]] = deque()
        try:
            for batch in batches:
                window.append(pool.submit(code_documents, batch, coder))
                while len(window) >= workers * BATCHES_PER_WORKER:
                    _drain(window, engine, totals, progress, in_flight)
            while window:
                _drain(window, engine, totals, progress, in_flight)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return totals


def _drain(
    window: deque[Future[list[CodedDocument]]],
    engine: Engine,
    totals: IngestTotals,
    progress: IngestProgress | None,
    in_flight: set[str],
) -> None:
    """Wait for the oldest batch and write it, with the coded batches behind it that
    are done already (up to `WRITE_GROUP_DOCUMENTS`), in input order."""
    coded_batch = window.popleft().result()
    while window and window[0].done() and len(coded_batch) < WRITE_GROUP_DOCUMENTS:
        coded_batch = coded_batch + window.popleft().result()
    write_coded_batch(engine, coded_batch, totals, progress)
    in_flight.difference_update(coded.input_hash for coded in coded_batch)


def _units(arguments: Iterable[str], engine: Engine, totals: IngestTotals) -> Iterator[str]:
    for unit in expand_inputs(list(arguments)):
        if isinstance(unit, InputError):
            totals.errors += 1
            record_error(engine, error_hash(unit.source, unit.reason), None, unit.source, str(unit))
        else:
            yield unit
