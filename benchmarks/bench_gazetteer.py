"""Gazetteer speed and memory: load time, resolutions per second, peak RSS of a process using it.

Run: `PYTHONPATH=src python benchmarks/bench_gazetteer.py`. Prints figures only
(targets from issue 4: load < 1 s, a loaded process < 400 MB).
"""

from __future__ import annotations

import resource
import time

from sitrep.places import resolve_place_name
from sitrep.places.gazetteer import Gazetteer, load_gazetteer, unpacked_gazetteer

NAMES = [
    "Baghdad",
    "Erbil",
    "Hewler",
    "Al Fallūjah town",
    "Arbīl province",
    "Kazimiyah",
    "Green Zone",
    "Alexandria",
    "Springfield",
    "Georgia",
    "Kabul",
    "Mosul",
    "Aleppo",
    "Paris",
    "Lagos",
    "Maiduguri",
    "Kandahar",
    "Tel Aviv",
    "Gaza",
    "Sanaa",
]


def main() -> None:
    unpacked_gazetteer()  # the one-off unpack into the user cache is not the load
    started = time.perf_counter()
    gazetteer = Gazetteer(unpacked_gazetteer())
    gazetteer.candidates("Baghdad")
    print(f"gazetteer load + first look-up: {time.perf_counter() - started:.3f} s")

    load_gazetteer()
    rounds = 50
    started = time.perf_counter()
    for round_number in range(rounds):
        for name in NAMES:
            # A fresh suffix defeats the look-up cache on every other round.
            resolve_place_name(name if round_number % 2 else f"{name} ", None)
    elapsed = time.perf_counter() - started
    print(f"resolve_place_name: {rounds * len(NAMES) / elapsed:,.0f} resolutions/s")

    fresh = Gazetteer(unpacked_gazetteer())
    started = time.perf_counter()
    count = 0
    for name in NAMES * 20:
        count += len(fresh.candidates(name + "x" * (count % 3)))
    print(
        f"uncached candidate look-ups: {len(NAMES) * 20 / (time.perf_counter() - started):,.0f}/s"
    )

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS of this process: {peak_kb / 1024:.0f} MB")


if __name__ == "__main__":
    main()
