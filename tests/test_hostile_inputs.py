"""Hostile inputs (tests/hostile_corpus.py): coded or one clear error, nothing else lost.

Every case runs the real command (`sitrep extract`, or `sitrep ingest` for
WARC and feeds) in a subprocess beside an ordinary article, and checks: no
traceback; the hostile document coded, or one error line naming its file and
the problem; the ordinary article and the good records of the hostile file
coded; nothing the attack aimed to leak in the output; and the run's peak
memory within a fixed margin of a run over the ordinary article alone. The
readers are also run in process, without the pipeline, for the fast suite.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hostile_corpus import CASES, GOOD_NAME, GOOD_STORY, Case, Outcome, run_case, run_sitrep
from sitrep.errors import InputError
from sitrep.ingest.inputs import read_input
from sitrep.limits import Limits, current_limits

# Peak memory a hostile input may add to an ordinary run (spaCy and the
# readers already loaded): far below the 100 MB to 1 GB the attacks carry.
MEMORY_MARGIN_MB = 200


@pytest.fixture(scope="module")
def baselines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    """Peak memory of each command over the ordinary article alone."""
    peaks = {}
    for command in ("extract", "ingest"):
        folder = tmp_path_factory.mktemp(f"baseline-{command}")
        good = folder / GOOD_NAME
        good.write_text(GOOD_STORY, encoding="utf-8")
        outcome = run_sitrep(command, [good], folder)
        assert outcome.returncode == 0, outcome.stderr
        peaks[command] = outcome.peak_mb
    return peaks


def check_outcome(case: Case, outcome: Outcome, hostile: list[str]) -> None:
    """The guarantees every case must keep, whatever the attack."""
    assert "Traceback" not in outcome.stderr, outcome.stderr[-3000:]
    allowed = (0, 1) if case.command == "extract" else (0,)
    assert outcome.returncode in allowed, outcome.stderr[-3000:]
    coded_inputs = [name for name, _ in outcome.coded]
    assert coded_inputs.count(GOOD_NAME) == 1, f"the ordinary article was lost: {outcome.coded}"
    # Everything else came from the hostile files (JSONL documents carry their own ids).
    from_hostile = [name for name in coded_inputs if name != GOOD_NAME]
    errors = [line for line in outcome.errors if any(name in line for name in hostile)]
    assert len(errors) == len(outcome.errors), f"an error names no hostile file: {outcome.errors}"
    if case.outcome == "coded":
        assert from_hostile, f"the hostile document was not coded: {outcome.errors}"
        assert not errors, errors
    else:
        assert errors, "no error recorded for the hostile input"
        assert any(word in line for line in errors for word in case.problem), errors
        assert len(from_hostile) == case.kept, (
            f"good records lost or bad ones kept: {outcome.coded}"
        )
        if case.kept == 0 and len(hostile) == 1 and case.command == "extract":
            assert len(errors) == 1, f"one error line per bad document: {errors}"
    for leak in case.absent:
        assert leak not in outcome.output, f"{leak!r} reached the output"


def _param(case: Case) -> object:
    return pytest.param(case, id=case.name, marks=[pytest.mark.slow])


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_a_hostile_input_is_coded_or_one_error_and_memory_stays_bounded(
    case: Case, tmp_path: Path, baselines: dict[str, float]
) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    hostile = [path.name for path in case.files(folder)]
    for path in folder.iterdir():
        path.unlink()
    outcome = run_case(case, folder)
    check_outcome(case, outcome, hostile)
    bound = baselines[case.command] + MEMORY_MARGIN_MB
    assert outcome.peak_mb <= bound, f"peak {outcome.peak_mb:.0f} MB over {bound:.0f} MB"


@pytest.mark.parametrize(
    "case", [pytest.param(case, id=case.name) for case in CASES if not case.slow]
)
def test_a_reader_turns_a_hostile_file_into_documents_and_errors_only(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in case.environment.items():
        monkeypatch.setenv(name, value)
    items = [item for path in case.files(tmp_path) for item in read_input(str(path))]
    documents = [item for item in items if not isinstance(item, InputError)]
    errors = [item for item in items if isinstance(item, InputError)]
    if case.outcome == "error":
        assert errors
        assert any(word in error.reason for error in errors for word in case.problem), errors
        assert len(documents) >= case.kept
    else:
        assert documents and not errors, errors
    for error in errors:
        assert str(tmp_path) in error.source and "\n" not in error.reason
    for document in documents:
        for leak in case.absent:
            assert leak not in document.model_dump_json()


def test_limits_are_overridden_by_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    assert current_limits() == Limits()
    monkeypatch.setenv("SITREP_MAX_RECORD_BYTES", "1_000")
    assert current_limits().record_bytes == 1000
    monkeypatch.setenv("SITREP_MAX_RECORD_BYTES", "lots")
    with pytest.raises(ValueError, match="SITREP_MAX_RECORD_BYTES"):
        current_limits()


def test_a_jsonl_line_over_the_document_limit_is_skipped_and_the_next_line_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITREP_MAX_DOCUMENT_BYTES", "1000")
    path = tmp_path / "lines.jsonl"
    long_line = json.dumps({"id": "long", "text": "x" * 5000})
    short_line = json.dumps({"id": "short", "text": GOOD_STORY})
    path.write_text(f"{long_line}\n{short_line}\n")
    items = list(read_input(str(path)))
    assert isinstance(items[0], InputError) and items[0].source == f"{path}:1"
    assert not isinstance(items[1], InputError) and items[1].id == "short"
