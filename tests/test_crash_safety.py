"""Crash safety: SIGKILLed ingests, at many seeded points, resume to the rows of an unbroken run.

One store is ingested into by a chain of `run_ingest(workers=1)` processes,
each killed (SIGKILL) once the store has grown by a random number of documents
plus a random delay, so kills land before, inside and between the write
transactions. After every kill the store is checked: each stored document has
exactly the events the unbroken run gave it, and nothing else is there. The
last run finishes, and its rows must equal the unbroken run's. The Dask test
kills the worker process that is in the middle of coding a partition.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from crash_coder import MARKER_VARIABLE, marking_coder
from sitrep.ingest import run_ingest
from sitrep.store import open_store
from sitrep.store.schema import documents, ingest_errors
from store_corpus import synthetic_coder, synthetic_corpus, write_jsonl
from store_fixtures import store_rows

TESTS = Path(__file__).parent
SRC = TESTS.parent / "src"
KILLED_RUNS = 20
SEED = 20261128

SINGLE_PROCESS_INGEST = """
import sys
from sitrep.ingest import run_ingest
from sitrep.store import open_store
from store_corpus import synthetic_coder

run_ingest([sys.argv[1]], open_store(sys.argv[2]), workers=1, batch_size=4, coder=synthetic_coder)
"""


def count_rows(database: str, table: Any) -> int:
    engine = open_store(database)
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(table)).scalar_one())
    finally:
        engine.dispose()


def events_by_document(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """Each stored document's events (without the cluster id, which later documents may change)."""
    grouped: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for uid, _canonical, input_hash, *rest in rows["events"]:
        grouped[input_hash].append((uid, *rest))
    return {key: sorted(value) for key, value in grouped.items()}


def check_no_half_written_document(
    database: str, complete: dict[str, list[tuple[Any, ...]]]
) -> int:
    rows = store_rows(open_store(database))
    assert set(rows["documents"]) <= set(complete["documents"]), "a document the full run lacks"
    expected = events_by_document(complete)
    stored = events_by_document(rows)
    for document in rows["documents"]:
        input_hash = document[0]
        assert stored.get(input_hash, []) == expected.get(input_hash, []), (
            f"document {document[1]} stored without all its events"
        )
    assert set(stored) <= {document[0] for document in rows["documents"]}, "orphan events"
    assert count_rows(database, ingest_errors) == 0, "a kill was recorded as a document error"
    return len(rows["documents"])


def start_ingest(corpus: Path, database: str) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(TESTS)])}
    return subprocess.Popen(
        [sys.executable, "-c", SINGLE_PROCESS_INGEST, str(corpus), database],
        env=environment,
        start_new_session=True,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_ingests_killed_at_random_points_resume_to_the_rows_of_an_unbroken_run(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    write_jsonl(synthetic_corpus(60, seed=5), corpus)
    complete_db = str(tmp_path / "complete.db")
    engine = open_store(complete_db)
    run_ingest([str(corpus)], engine, workers=1, batch_size=4, coder=synthetic_coder)
    complete = store_rows(engine)
    engine.dispose()
    total = len(complete["documents"])
    assert total == 60 and complete["events"]

    database = str(tmp_path / "killed.db")
    open_store(database).dispose()
    chooser = random.Random(SEED)
    stored = 0
    kills = 0
    for _ in range(KILLED_RUNS):
        if stored >= total:
            break
        # Kill once the store has grown by 0-3 documents, then after up to 0.15 s more
        # (about one batch of 4): 20 kills spread over the 60 documents.
        target = min(stored + chooser.randint(0, 3), total - 1)
        delay = chooser.uniform(0, 0.15)
        process = start_ingest(corpus, database)
        try:
            deadline = time.monotonic() + 300
            while count_rows(database, documents) < target and process.poll() is None:
                assert time.monotonic() < deadline, "the ingest made no progress"
                time.sleep(0.02)
            time.sleep(delay)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.wait()
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        now = check_no_half_written_document(database, complete)
        assert now >= stored, "documents disappeared after a kill"
        stored = now
    assert kills >= KILLED_RUNS // 2, f"only {kills} runs were killed before they finished"
    print(f"\n{kills} ingests SIGKILLed; {stored} of {total} documents stored before the last run")
    final = start_ingest(corpus, database)
    assert final.wait(timeout=600) == 0
    assert store_rows(open_store(database)) == complete


@pytest.mark.slow
def test_a_dask_worker_killed_mid_partition_loses_and_doubles_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitrep.ingest.distributed import run_dask_ingest

    markers = tmp_path / "coding"
    markers.mkdir()
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(SRC), str(TESTS)]))
    monkeypatch.setenv(MARKER_VARIABLE, str(markers))
    corpus = synthetic_corpus(40, seed=9)
    files = []
    for part in range(4):
        path = tmp_path / f"part{part}.jsonl"
        write_jsonl(corpus[part::4], path)
        files.append(str(path))
    local_db = str(tmp_path / "local.db")
    local = open_store(local_db)
    run_ingest(files, local, workers=1, coder=synthetic_coder)
    expected = store_rows(local)
    local.dispose()

    killed: list[int] = []

    def kill_first_coding_worker() -> None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            coding = sorted(markers.iterdir())
            if coding:
                time.sleep(0.3)  # well inside the partition (10 documents, 0.1 s each)
                pid = int(coding[0].name)
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.05)

    import threading

    killer = threading.Thread(target=kill_first_coding_worker, daemon=True)
    killer.start()
    database = str(tmp_path / "dask.db")
    engine = open_store(database)
    totals = run_dask_ingest(files, engine, database, "local", workers=2, coder=marking_coder)
    killer.join(timeout=5)
    assert killed, "no worker was seen coding"
    rows = store_rows(engine)
    engine.dispose()
    assert totals.documents == len(expected["documents"]) == 40
    assert rows == expected
