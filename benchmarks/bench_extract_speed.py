"""Extraction speed against the bare spaCy pass, on the GTD and ACLED development texts.

    PYTHONPATH=src python benchmarks/bench_extract_speed.py [--limit N] [--eval-dir DIR]

In one run, each phase in a fresh child process (so that its peak memory is its
own): `nlp.pipe` of the same spaCy pipeline over the same texts, then
`sitrep.extract_many` (article layer, spaCy, events, dates, places, actors).
Prints documents per second, CPU seconds and peak RSS of each, and the ratio of
the two CPU costs (issue 3's target: coding costs no more than 2x the spaCy
pass). CPU seconds are the fair measure on a shared machine; wall time is
printed too.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections.abc import Callable
from multiprocessing import get_context
from pathlib import Path

DEFAULT_EVAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
GOLD_FILES = ("gtd.dev.jsonl", "acled.dev.jsonl")


def read_documents(eval_dir: Path, limit: int | None) -> list[dict[str, object]]:
    documents: list[dict[str, object]] = []
    for name in GOLD_FILES:
        with (eval_dir / name).open(encoding="utf-8") as lines:
            for number, line in enumerate(lines):
                if limit is not None and number >= limit:
                    break
                record = json.loads(line)
                documents.append(
                    {
                        "id": record["id"],
                        "text": record["text"],
                        "title": record.get("title"),
                        "published": record.get("published"),
                    }
                )
    return documents


def spacy_pass(documents: list[dict[str, object]]) -> int:
    from sitrep.nlp import load_pipeline

    nlp = load_pipeline()
    return sum(len(doc) for doc in nlp.pipe(str(d["text"]) for d in documents))


def coding_pass(documents: list[dict[str, object]]) -> int:
    from sitrep.nlp import load_pipeline
    from sitrep.pipeline import extract_many

    load_pipeline()
    return sum(len(result.events) for result in extract_many(documents))


def _timed(
    phase: Callable[[list[dict[str, object]]], int], documents: list[dict[str, object]]
) -> dict[str, float]:
    """Run in the child: load first (not timed), then the pass itself."""
    from sitrep.nlp import load_pipeline

    load_pipeline()
    if phase is coding_pass:
        # Warm the other loaders (gazetteer, model, dictionaries) outside the clock too.
        from sitrep.pipeline import extract

        extract("Gunmen killed two people in Baghdad on Monday.")
    wall = time.perf_counter()
    cpu = time.process_time()
    count = phase(documents)
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "count": count,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_phase(
    phase: Callable[[list[dict[str, object]]], int], documents: list[dict[str, object]]
) -> dict[str, float]:
    with get_context("spawn").Pool(1) as pool:
        return pool.apply(_timed, (phase, documents))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="documents per gold file (default all)")
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    args = parser.parse_args()
    documents = read_documents(args.eval_dir, args.limit)
    n = len(documents)
    print(f"{n} documents ({', '.join(GOLD_FILES)})")
    rows = [("spaCy nlp.pipe", run_phase(spacy_pass, documents), "tokens")]
    rows.append(("sitrep extract_many", run_phase(coding_pass, documents), "events"))
    print(f"{'phase':22} {'docs/s':>8} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}  output")
    for name, figures, unit in rows:
        print(
            f"{name:22} {n / figures['wall']:8.1f} {figures['wall']:8.1f} "
            f"{figures['cpu']:8.1f} {figures['peak_mb']:8.0f}  {int(figures['count'])} {unit}"
        )
    spacy_cpu, coding_cpu = rows[0][1]["cpu"], rows[1][1]["cpu"]
    print(f"coding / spaCy CPU cost: {coding_cpu / spacy_cpu:.2f}x (target <= 2.00x)")
    spacy_wall, coding_wall = rows[0][1]["wall"], rows[1][1]["wall"]
    print(f"coding / spaCy wall time: {coding_wall / spacy_wall:.2f}x")


if __name__ == "__main__":
    main()
