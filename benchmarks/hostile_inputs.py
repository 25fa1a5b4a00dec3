"""Hostile inputs: what sitrep does with each case of tests/hostile_corpus.py, and its peak memory.

Runs every case (the real `sitrep extract` or `sitrep ingest` in a subprocess,
beside an ordinary article) and prints a table: the case, what sitrep did
(documents coded from the hostile file, the first error line), whether the
ordinary article came through, the run's peak RSS and its wall time. A first
row gives the same figures for the ordinary article alone.

    PYTHONPATH=src python benchmarks/hostile_inputs.py [--only WORD]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hostile_corpus import CASES, GOOD_NAME, GOOD_STORY, Outcome, run_case, run_sitrep


def did(outcome: Outcome) -> str:
    """What sitrep did with the hostile file, in a few words."""
    hostile = sum(1 for name, _ in outcome.coded if name != GOOD_NAME)
    if "Traceback" in outcome.stderr:
        return "TRACEBACK"
    parts = [f"coded {hostile}"] if hostile else []
    if outcome.errors:
        first = outcome.errors[0].split(": ", 2)[-1]
        more = f" (+{len(outcome.errors) - 1} more)" if len(outcome.errors) > 1 else ""
        parts.append(f"error: {first[:70]}{more}")
    return "; ".join(parts) or "nothing"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only the cases whose name holds this word")
    options = parser.parse_args()
    rows: list[tuple[str, str, str, str, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="sitrep-hostile-") as scratch:
        for command in ("extract", "ingest"):
            folder = Path(scratch) / f"baseline-{command}"
            folder.mkdir()
            (folder / GOOD_NAME).write_text(GOOD_STORY, encoding="utf-8")
            base = run_sitrep(command, [folder / GOOD_NAME], folder)
            good = "yes" if any(name == GOOD_NAME for name, _ in base.coded) else "LOST"
            rows.append(
                ("(ordinary article alone)", command, "coded it", good, base.peak_mb, base.seconds)
            )
        for number, case in enumerate(CASES):
            if options.only and options.only.lower() not in case.name.lower():
                continue
            outcome = run_case(case, Path(scratch) / f"case{number}")
            good = "yes" if any(name == GOOD_NAME for name, _ in outcome.coded) else "LOST"
            rows.append(
                (case.name, case.command, did(outcome), good, outcome.peak_mb, outcome.seconds)
            )
            print(f"done: {case.name}", file=sys.stderr, flush=True)
    print("| case | command | what sitrep did | ordinary article | peak RSS (MB) | seconds |")
    print("|---|---|---|---|---:|---:|")
    for name, command, what, good, peak, seconds in rows:
        print(
            f"| {name} | {command} | {what.replace('|', '/')} | {good} "
            f"| {peak:.0f} | {seconds:.1f} |"
        )


if __name__ == "__main__":
    main()
