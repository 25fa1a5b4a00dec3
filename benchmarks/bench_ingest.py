"""Ingest throughput and memory against extraction alone, on a generated news corpus.

    PYTHONPATH=src python benchmarks/bench_ingest.py [--docs 20000] [--workers N]

Generates news-like articles (events in many cities, wire copies sent on by
other outlets, a few exact re-sends), then in one run: codes them with the
pipeline alone (worker processes, no store), and ingests them into a fresh
SQLite store with the same workers. Prints documents/s, events/s and peak
memory (main process plus workers) for both, the ingest/extraction ratio
(the target is >= 0.80) and the memory at each quarter of the ingest (flat
memory means the later quarters stay near the first).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date, timedelta
from multiprocessing import get_context
from pathlib import Path

import psutil

from sitrep.ingest.inputs import read_input
from sitrep.ingest.progress import IngestProgress, IngestTotals
from sitrep.ingest.runner import BATCH_SIZE, BATCHES_PER_WORKER, default_workers, run_ingest
from sitrep.models import InputDocument
from sitrep.nlp import load_pipeline
from sitrep.pipeline import extract_many
from sitrep.store import open_store

CITIES = [
    ("Baghdad", "Iraq"),
    ("Mosul", "Iraq"),
    ("Kirkuk", "Iraq"),
    ("Aleppo", "Syria"),
    ("Idlib", "Syria"),
    ("Kabul", "Afghanistan"),
    ("Kandahar", "Afghanistan"),
    ("Mogadishu", "Somalia"),
    ("Maiduguri", "Nigeria"),
    ("Goma", "DR Congo"),
    ("Khartoum", "Sudan"),
    ("Sanaa", "Yemen"),
    ("Aden", "Yemen"),
    ("Bamako", "Mali"),
    ("Kharkiv", "Ukraine"),
    ("Donetsk", "Ukraine"),
    ("Peshawar", "Pakistan"),
    ("Quetta", "Pakistan"),
    ("Tripoli", "Libya"),
    ("Port-au-Prince", "Haiti"),
]
OUTLETS = ["Reuters", "AP", "AFP", "Al Jazeera", "BBC", "Xinhua", "Anadolu", "DPA", "NINA"]
LEADS = [
    "A car bomb exploded near a checkpoint in {city} on {day}, killing {n} people and "
    "wounding {m} others, police said.",
    "Gunmen attacked an army post outside {city} on {day}, killing {n} soldiers before "
    "fleeing, a military spokesman said.",
    "Thousands of protesters marched through {city} on {day} to demand the release of "
    "detained activists, witnesses said.",
    "Two rockets struck a residential district of {city} on {day}, killing {n} civilians, "
    "according to local health officials.",
    "Security forces clashed with militants in the hills near {city} on {day}; at least "
    "{n} fighters were killed, officials said.",
    "A drone strike hit a vehicle on the road to {city} on {day}, killing {n} suspected "
    "militants, the {country} defence ministry said.",
]
BODY = [
    "The attack was the deadliest in the area since the start of the year.",
    "No group immediately claimed responsibility, but suspicion fell on insurgents "
    "active in the province.",
    "Residents said they heard heavy gunfire for more than an hour before reinforcements arrived.",
    "The governor ordered an investigation and declared three days of mourning.",
    "Aid agencies warned that the fighting had displaced hundreds of families in recent weeks.",
    "The United Nations envoy condemned the violence and called for restraint.",
    "Hospitals in {city} appealed for blood donations as the wounded were brought in.",
    "Officials in {country} said security would be stepped up ahead of the holiday.",
    "Analysts said the attack showed the group could still strike despite months of "
    "military operations.",
]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "12", "15"]


def news_corpus(count: int, seed: int = 2024) -> Iterator[InputDocument]:
    """`count` articles: ~15% wire copies by other outlets, ~3% exact re-sends."""
    rng = random.Random(seed)
    recent: list[InputDocument] = []
    for index in range(count):
        roll = rng.random()
        if recent and roll < 0.03:
            yield rng.choice(recent)  # the same input sent again
            continue
        if recent and roll < 0.18:
            original = rng.choice(recent)
            outlet = rng.choice(OUTLETS)
            text = original.text.replace("said.", "said on Tuesday.", 1) + (
                f" ({outlet} contributed reporting.)"
            )
            yield original.model_copy(
                update={
                    "id": f"wire-{index}",
                    "source": outlet,
                    "text": text,
                    "url": f"https://{outlet.lower().replace(' ', '')}.example/{index}",
                }
            )
            continue
        city, country = rng.choice(CITIES)
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(120))
        values = {
            "city": city,
            "country": country,
            "day": f"{day:%d %B %Y}",
            "n": rng.choice(NUMBERS),
            "m": rng.choice(NUMBERS),
        }
        paragraphs = [rng.choice(LEADS).format(**values)]
        paragraphs += [rng.choice(BODY).format(**values) for _ in range(rng.randrange(3, 8))]
        outlet = rng.choice(OUTLETS)
        document = InputDocument(
            id=f"article-{index}",
            title=f"Violence in {city}",
            text=f"{city.upper()} ({outlet}) - " + "\n\n".join(paragraphs),
            published=day.isoformat(),
            source=outlet,
            url=f"https://{outlet.lower().replace(' ', '')}.example/{index}",
        )
        recent = [*recent, document][-200:]
        yield document


class PeakMemory:
    """Samples the resident memory of this process and its children every 0.2 s."""

    def __init__(self) -> None:
        self.peak = 0
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self) -> int:
        process = psutil.Process()
        total = process.memory_info().rss
        for child in process.children(recursive=True):
            with contextlib.suppress(psutil.Error):  # a worker that just exited
                total += child.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            rss = self._rss()
            self.samples.append(rss)
            self.peak = max(self.peak, rss)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def quarters(self) -> list[float]:
        """Peak MB in each quarter of the run."""
        if len(self.samples) < 4:
            return [self.peak / 2**20] * 4
        size = len(self.samples) // 4
        return [max(self.samples[i * size : (i + 1) * size]) / 2**20 for i in range(4)]


def _extract_batch(batch: list[InputDocument]) -> tuple[int, int]:
    results = list(extract_many(batch))
    return len(results), sum(len(result.events) for result in results)


def extraction_only(corpus: Path, workers: int) -> tuple[int, int]:
    """Code every document of `corpus` on `workers` processes, storing nothing."""
    documents = (item for item in read_input(str(corpus)) if isinstance(item, InputDocument))
    done = events = 0
    context = get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=load_pipeline) as pool:
        window: list[Future[tuple[int, int]]] = []
        batch: list[InputDocument] = []
        for document in documents:
            batch.append(document)
            if len(batch) == BATCH_SIZE:
                window.append(pool.submit(_extract_batch, batch))
                batch = []
            while len(window) >= workers * BATCHES_PER_WORKER:
                count, coded = window.pop(0).result()
                done, events = done + count, events + coded
        if batch:
            window.append(pool.submit(_extract_batch, batch))
        for future in window:
            count, coded = future.result()
            done, events = done + count, events + coded
    return done, events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=default_workers())
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "corpus.jsonl"
        with open(corpus, "w", encoding="utf-8") as stream:
            for document in news_corpus(arguments.docs):
                stream.write(document.model_dump_json() + "\n")
        print(
            f"corpus: {arguments.docs} documents, {corpus.stat().st_size / 2**20:.1f} MB, "
            f"{arguments.workers} workers",
            flush=True,
        )

        with PeakMemory() as memory:
            started = time.monotonic()
            extracted, extracted_events = extraction_only(corpus, arguments.workers)
            extract_seconds = time.monotonic() - started
        extract_rate = extracted / extract_seconds
        print(
            f"extraction only: {extracted} documents in {extract_seconds:.1f} s = "
            f"{extract_rate:.1f} docs/s, {extracted_events / extract_seconds:.1f} events/s, "
            f"peak memory {memory.peak / 2**20:.0f} MB",
            flush=True,
        )

        database = Path(scratch) / "store.db"
        engine = open_store(str(database))
        totals = IngestTotals()
        with PeakMemory() as memory:
            run_ingest(
                [str(corpus)], engine, arguments.workers, IngestProgress(totals, live=False), totals
            )
            ingest_seconds = totals.seconds
        engine.dispose()
        handled = totals.documents + totals.skipped + totals.errors
        ingest_rate = handled / ingest_seconds
        print(
            f"ingest into SQLite: {handled} documents ({totals.documents} stored, "
            f"{totals.skipped} already stored, {totals.errors} errors) in "
            f"{ingest_seconds:.1f} s = {ingest_rate:.1f} docs/s, "
            f"{totals.events / ingest_seconds:.1f} events/s, "
            f"peak memory {memory.peak / 2**20:.0f} MB, "
            f"store {database.stat().st_size / 2**20:.1f} MB",
            flush=True,
        )
        quarters = ", ".join(f"{mb:.0f}" for mb in memory.quarters())
        print(f"ingest memory by quarter of the run (MB): {quarters}")
        ratio = ingest_rate / extract_rate
        verdict = "meets" if ratio >= 0.8 else "BELOW"
        print(f"ingest / extraction rate: {ratio:.2f} ({verdict} the 0.80 target)")
        if ratio < 0.8:
            sys.exit(1)


if __name__ == "__main__":
    main()
