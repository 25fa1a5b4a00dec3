"""Memory of `sitrep extract --format jsonl` over a long JSONL input: does it stay flat?

Writes N generated input lines (default 100,000), runs the real command on
them in a subprocess with its output thrown away, samples the process's
resident memory as it goes and prints it at each tenth of the run, plus the
documents per second. Flat means the late samples are about the early ones.

    PYTHONPATH=src python benchmarks/bench_extract_stream.py [N]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

TEMPLATES = (
    "KABUL, March {day} (Wire) — A roadside bomb killed {n} soldiers on Tuesday in {place}, "
    "officials said.\n\nNo group claimed the attack.",
    "Hundreds of people protested on Friday in {place} against rising prices, and police "
    "arrested {n} of them.",
    "Gunmen abducted {n} passengers from a bus near {place} late on Sunday, police said.",
)
PLACES = ("Kandahar", "Jalalabad", "Herat", "Kunduz", "Ghazni", "Mazar-i-Sharif")


def write_input(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for number in range(lines):
            text = TEMPLATES[number % len(TEMPLATES)].format(
                day=number % 28 + 1, n=number % 9 + 2, place=PLACES[number % len(PLACES)]
            )
            handle.write(json.dumps({"id": f"bench-{number}", "text": text}) + "\n")


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "input.jsonl"
        output = Path(folder) / "output.jsonl"
        write_input(source, lines)
        command = [sys.executable, "-m", "sitrep", "extract", str(source), "--format", "jsonl"]
        started = time.monotonic()
        with output.open("wb") as sink, output.open("rb") as written:
            process = subprocess.Popen(command, stdout=sink)
            watched = psutil.Process(process.pid)
            samples: list[tuple[int, float]] = []  # (documents written, RSS in MB)
            done = 0
            while process.poll() is None:
                try:
                    rss = watched.memory_info().rss / 1e6
                except psutil.NoSuchProcess:
                    break
                done += written.read().count(b"\n")  # only what was added since the last look
                samples.append((done, rss))
                time.sleep(1.0)
        elapsed = time.monotonic() - started
        with output.open("rb") as written:
            total = sum(1 for _ in written)
    print(f"input lines: {lines:,}  output lines: {total:,}  exit status: {process.returncode}")
    print(f"time: {elapsed:.0f} s  ({total / elapsed:.0f} documents/s)")
    print("documents done -> resident memory (MB)")
    for tenth in range(1, 11):
        threshold = lines * tenth // 10
        sample = next((s for s in samples if s[0] >= threshold), samples[-1] if samples else None)
        if sample:
            print(f"  {sample[0]:>9,}  {sample[1]:8.1f}")
    if samples:
        print(f"peak: {max(rss for _, rss in samples):.1f} MB")


if __name__ == "__main__":
    main()
