"""`sitrep ingest`: parallel, idempotent, resumable after kill -9, errors recorded, on Dask too."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from sitrep.cli import main
from sitrep.ingest import IngestProgress, IngestTotals, run_ingest
from sitrep.models import InputDocument
from sitrep.store import open_store
from sitrep.store.schema import documents
from store_corpus import (
    mosul_attack_reports,
    synthetic_coder,
    synthetic_corpus,
    unrelated_reports,
    write_jsonl,
)
from store_fixtures import postgres_store_url, store_rows

TESTS = Path(__file__).parent
SRC = TESTS.parent / "src"


def ingest(inputs: list[Path], database: str, workers: int = 2) -> IngestTotals:
    engine = open_store(database)
    try:
        return run_ingest([str(p) for p in inputs], engine, workers, coder=synthetic_coder)
    finally:
        engine.dispose()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.jsonl"
    write_jsonl(synthetic_corpus(60) + mosul_attack_reports() + unrelated_reports(), path)
    return path


def test_the_same_ingest_twice_gives_the_same_rows(corpus: Path, tmp_path: Path) -> None:
    database = str(tmp_path / "store.db")
    first = ingest([corpus], database)
    rows = store_rows(open_store(database))
    second = ingest([corpus], database)
    assert store_rows(open_store(database)) == rows
    assert first.documents == len(rows["documents"]) and first.events > 50
    assert second.documents == 0 and second.events == 0
    assert second.skipped == first.documents + first.skipped
    # The corpus's wire copies are found and their events merged.
    assert rows["document_links"]
    assert any(uid != canonical for uid, canonical, *_ in rows["events"])


def test_parallel_and_single_process_ingests_store_the_same_rows(
    corpus: Path, tmp_path: Path
) -> None:
    ingest([corpus], str(tmp_path / "one.db"), workers=1)
    ingest([corpus], str(tmp_path / "two.db"), workers=2)
    assert store_rows(open_store(str(tmp_path / "one.db"))) == store_rows(
        open_store(str(tmp_path / "two.db"))
    )


KILLABLE_INGEST = """
import sys
from sitrep.ingest import run_ingest
from sitrep.store import open_store
from store_corpus import synthetic_coder

run_ingest([sys.argv[1]], open_store(sys.argv[2]), workers=2, batch_size=4, coder=synthetic_coder)
"""


def stored_documents(database: str) -> int:
    engine = open_store(database)
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(documents)).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.slow
def test_an_ingest_killed_midway_resumes_to_the_same_rows(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    write_jsonl(synthetic_corpus(600, seed=11) + mosul_attack_reports(), corpus)
    complete = str(tmp_path / "complete.db")
    ingest([corpus], complete)
    interrupted = str(tmp_path / "interrupted.db")
    open_store(interrupted).dispose()
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(TESTS)])}
    process = subprocess.Popen(
        [sys.executable, "-c", KILLABLE_INGEST, str(corpus), interrupted],
        env=environment,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while stored_documents(interrupted) < 40:
            assert process.poll() is None, "the ingest ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        # The workers outlive a SIGKILLed parent briefly; end them too.
        os.killpg(process.pid, signal.SIGKILL)
    partial = stored_documents(interrupted)
    expected = store_rows(open_store(complete))
    assert 40 <= partial < len(expected["documents"])
    resumed = ingest([corpus], interrupted)
    assert resumed.skipped >= partial
    assert store_rows(open_store(interrupted)) == expected


def test_a_document_that_crashes_the_coder_is_recorded_and_the_run_goes_on(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    poisoned = InputDocument(id="poison", text="POISON in the text.", source="Nowhere")
    write_jsonl([*unrelated_reports()[:2], poisoned, *unrelated_reports()[2:]], corpus)
    database = str(tmp_path / "store.db")
    totals = ingest([corpus, tmp_path / "missing.jsonl"], database)
    rows = store_rows(open_store(database))
    assert totals.documents == 4 and totals.errors == 2
    errors = sorted(error for _, error in rows["ingest_errors"])
    assert errors[0].endswith("missing.jsonl: no such file, folder or URL")
    assert errors[1] == "RuntimeError: poisoned document"
    # The errors are not recorded again, and the poisoned document not retried, on a rerun.
    again = ingest([corpus, tmp_path / "missing.jsonl"], database)
    assert store_rows(open_store(database)) == rows
    assert again.skipped == 5


def test_folders_and_globs_expand_to_their_files_in_a_stable_order(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    (folder / "march").mkdir(parents=True)
    write_jsonl(unrelated_reports()[:2], folder / "a.jsonl")
    write_jsonl(unrelated_reports()[2:], folder / "march" / "b.jsonl")
    (folder / "notes.md").write_text("not an input")
    (folder / "march" / "story.txt").write_text(mosul_attack_reports()[3].text)
    database = str(tmp_path / "store.db")
    assert ingest([folder], database).documents == 5
    assert ingest([tmp_path / "news" / "**" / "*.jsonl"], database).skipped == 4


def test_the_cli_ingests_real_documents_and_logs_plain_lines_off_a_terminal(
    tmp_path: Path, seed_story_text: str
) -> None:
    corpus = tmp_path / "in.jsonl"
    write_jsonl(
        [
            InputDocument(id="baghdad", text=seed_story_text, published="2024-03-05"),
            *mosul_attack_reports(),
        ],
        corpus,
    )
    database = str(tmp_path / "store.db")
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", str(corpus), "--db", database, "--workers", "1"])
    assert first.exit_code == 0, first.output
    assert "ingest: done: 7 documents" in first.output
    second = runner.invoke(main, ["ingest", str(corpus), "--db", database, "--workers", "1"])
    assert "ingest: done: 0 documents" in second.output
    assert "7 already stored" in second.output


def test_progress_writes_a_log_line_when_not_on_a_terminal() -> None:
    stream = io.StringIO()
    totals = IngestTotals(documents=3, events=5, errors=1)
    progress = IngestProgress(totals, stream=stream)
    progress.close()
    assert stream.getvalue().startswith("ingest: done: 3 documents (")
    assert "5 events, 1 errors, 0 already stored" in stream.getvalue()


@pytest.mark.postgres
def test_a_parallel_ingest_into_postgresql_stores_what_sqlite_stores(
    corpus: Path, tmp_path: Path
) -> None:
    sqlite = str(tmp_path / "store.db")
    ingest([corpus], sqlite)
    with postgres_store_url() as url:
        ingest([corpus], url)
        ingest([corpus], url)
        on_postgres = store_rows(open_store(url))
    on_sqlite = store_rows(open_store(sqlite))
    # Similarities are floats: compare them rounded, the rest exactly.
    for rows in (on_postgres, on_sqlite):
        rows["document_links"] = [(a, b, round(s, 6)) for a, b, s in rows["document_links"]]
    assert on_postgres == on_sqlite


@pytest.mark.slow
def test_a_dask_local_cluster_ingest_loses_and_doubles_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitrep.ingest.distributed import run_dask_ingest

    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(SRC), str(TESTS)]))
    documents = synthetic_corpus(30, seed=3) + mosul_attack_reports()
    files = []
    for part in range(3):
        path = tmp_path / f"part{part}.jsonl"
        write_jsonl(documents[part::3], path)
        files.append(str(path))
    local = str(tmp_path / "local.db")
    ingest([Path(f) for f in files], local)
    database = str(tmp_path / "dask.db")
    engine = open_store(database)
    first = run_dask_ingest(files, engine, database, "local", workers=2, coder=synthetic_coder)
    second = run_dask_ingest(files, engine, database, "local", workers=2, coder=synthetic_coder)
    assert first.documents == len(store_rows(engine)["documents"])
    assert second.documents == 0
    assert store_rows(engine) == store_rows(open_store(local))


@pytest.mark.slow
def test_ctrl_c_stops_the_cli_cleanly_and_a_rerun_completes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    documents_in_corpus = synthetic_corpus(800, seed=5)
    write_jsonl(documents_in_corpus, corpus)
    database = str(tmp_path / "store.db")
    open_store(database).dispose()
    command = [sys.executable, "-m", "sitrep", "ingest", str(corpus), "--db", database]
    process = subprocess.Popen(
        command,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # A shell's background jobs ignore SIGINT; give the ingest the terminal's default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while stored_documents(database) < 20:
        assert process.poll() is None, "the ingest ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "ingest: interrupted after" in stderr
    assert stored_documents(database) < len(documents_in_corpus)
    rerun = CliRunner().invoke(main, ["ingest", str(corpus), "--db", database])
    assert rerun.exit_code == 0, rerun.output
    assert stored_documents(database) == len(documents_in_corpus)


def test_progress_on_a_terminal_is_a_bar_with_events_errors_and_rate() -> None:
    stream = io.StringIO()
    totals = IngestTotals()
    progress = IngestProgress(totals, stream=stream, live=True)
    for _ in range(3):
        totals.documents += 1
        totals.events += 2
        progress.update(1)
    totals.errors += 1
    progress.update(1)
    progress.close()
    bar = stream.getvalue()
    assert "ingest: 4doc" in bar
    assert "events=6" in bar and "errors=1" in bar and "doc/s" in bar
