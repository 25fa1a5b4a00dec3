"""Runs the atheris fuzz target of `sitrep.extract` for a bounded time (CI: FUZZ_SECONDS)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TARGET = Path(__file__).parent / "fuzz_extract.py"
SEEDS = [
    "BAGHDAD, July 29 (NNN-AGENCIES) — Two rockets were fired early Thursday, killing 3.",
    "SAN SALVADOR, 16 NOV 89 (RADIO VENCEREMOS) -- THREE SOLDIERS WERE KILLED YESTERDAY.",
    "01/01/2021: Gunmen killed five people and wounded 2 in Kabul, Afghanistan.",
    "On 9 May 2020, protesters gathered in Haifa. No one was hurt.\u200f\u202e",
]


@pytest.mark.slow
def test_fuzzing_extract_finds_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number, seed in enumerate(SEEDS):
        (corpus / f"seed{number}").write_bytes(seed.encode("utf-8"))
    seconds = int(os.environ.get("FUZZ_SECONDS", "60"))
    run = subprocess.run(
        [
            sys.executable,
            str(TARGET),
            f"-max_total_time={seconds}",
            "-rss_limit_mb=4096",
            f"-artifact_prefix={tmp_path}/",
            str(corpus),
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 300,
    )
    tail = "\n".join((run.stdout + run.stderr).splitlines()[-30:])
    assert run.returncode == 0, f"fuzzer found a failing input:\n{tail}"
    assert "Done" in run.stderr, tail
