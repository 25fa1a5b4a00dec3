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

    gazetteer = load_gazetteer()
    # Distinct names, every 100th entry: no look-up is answered from the cache.
    names = [
        row[0]
        for row in gazetteer._connection.execute(
            "SELECT name FROM place WHERE id % 100 = 0 LIMIT 2000"
        )
    ]
    started = time.perf_counter()
    for name in names:
        resolve_place_name(name, None)
    elapsed = time.perf_counter() - started
    print(f"resolve_place_name, uncached: {len(names) / elapsed:,.0f} resolutions/s")

    started = time.perf_counter()
    for _ in range(20):
        for name in NAMES:
            resolve_place_name(name, None)
    elapsed = time.perf_counter() - started
    print(f"resolve_place_name, common names: {20 * len(NAMES) / elapsed:,.0f} resolutions/s")

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS of this process: {peak_kb / 1024:.0f} MB")


if __name__ == "__main__":
    main()
