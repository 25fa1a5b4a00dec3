"""The ingest on a Dask distributed cluster, one task per input file or feed URL.

Each task reads its file on a worker, leaves out the documents the store
already holds, codes the rest and hands the coded documents back; the client
writes them through `store.write_document`, one transaction each, which skips
any input already stored. So a task retried after a worker dies, or a rerun
after an interruption, neither loses nor doubles a record.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from sqlalchemy import Engine

from sitrep.errors import InputError
from sitrep.ingest.inputs import expand_inputs, read_input
from sitrep.ingest.progress import IngestProgress, IngestTotals
from sitrep.ingest.runner import (
    BATCH_SIZE,
    Coder,
    PendingDocument,
    code_documents,
    default_workers,
    error_hash,
    write_coded,
)
from sitrep.pipeline import extract_many
from sitrep.store import CodedDocument, input_hash, known_inputs, open_store, record_error

LOCAL = "local"


def code_input_file(
    unit: str, target: str, coder: Coder = extract_many
) -> tuple[list[CodedDocument], list[tuple[str, str]]]:
    """On a worker: the coded new documents of one input, and its read errors (name, reason)."""
    engine = open_store(target, migrate=False)
    coded: list[CodedDocument] = []
    errors: list[tuple[str, str]] = []
    try:
        documents = iter(read_input(unit))
        while chunk := list(islice(documents, BATCH_SIZE)):
            pending = []
            for item in chunk:
                if isinstance(item, InputError):
                    errors.append((item.source, item.reason))
                else:
                    pending.append(PendingDocument(unit, input_hash(item), item))
            with engine.connect().execution_options(sitrep_read_only=True) as connection:
                stored = known_inputs(connection, (p.input_hash for p in pending))
            fresh = [p for p in pending if p.input_hash not in stored]
            if fresh:
                coded.extend(code_documents(fresh, coder))
    finally:
        engine.dispose()
    return coded, errors


def run_dask_ingest(
    arguments: Iterable[str],
    engine: Engine,
    target: str,
    scheduler: str,
    workers: int | None = None,
    progress: IngestProgress | None = None,
    totals: IngestTotals | None = None,
    coder: Coder = extract_many,
) -> IngestTotals:
    """Ingest on the cluster at `scheduler` (an address, or 'local' to start one here)."""
    from distributed import Client, LocalCluster, as_completed

    totals = totals or IngestTotals()
    units = []
    for unit in expand_inputs(list(arguments)):
        if isinstance(unit, InputError):
            totals.errors += 1
            record_error(engine, error_hash(unit.source, unit.reason), None, unit.source, str(unit))
        else:
            units.append(unit)
    cluster = None
    if scheduler == LOCAL:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers or default_workers(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client = Client(cluster)  # type: ignore[no-untyped-call]
    else:
        client = Client(scheduler)  # type: ignore[no-untyped-call]
    try:
        futures = client.map(code_input_file, units, target=target, coder=coder, pure=False)
        unit_of = {future.key: unit for future, unit in zip(futures, units, strict=True)}
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            try:
                coded_documents, errors = future.result()
            except Exception as error:
                # A task that failed outright (after Dask's retries): record its
                # input and go on; a rerun codes whatever of it is not stored.
                unit = unit_of[future.key]
                errors, coded_documents = [(unit, f"{type(error).__name__}: {error}")], []
            future.release()
            for name, reason in errors:
                totals.errors += 1
                record_error(engine, error_hash(name, reason), None, name, f"{name}: {reason}")
            for coded in coded_documents:
                write_coded(engine, coded, totals, progress)
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()
    return totals
