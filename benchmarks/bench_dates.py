"""Figures of the time stage on gold data, until `sitrep eval` lands: TempEval-3 DATE
recall and value accuracy, ACLED/GTD event-date exactness, and the time it takes.

Usage: python benchmarks/bench_dates.py [train|test|all] [--errors N]
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

from sitrep.dates import date_events, find_timexes
from sitrep.evaluation.split import split_of
from sitrep.models import Article, Event

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


def _documents(name: str, split: str) -> list[dict[str, object]]:
    rows = []
    with (EVAL / name).open(encoding="utf-8") as handle:
        for line in handle:
            document = json.loads(line)
            if split == "all" or split_of(str(document["id"])) == split:
                rows.append(document)
    return rows


def tempeval(split: str, errors: int) -> None:
    documents = _documents("tempeval3.dev.jsonl", split)
    gold_dates = recalled = right = 0
    shown = 0
    started = time.perf_counter()
    for document in documents:
        published = document["published"]
        anchor = date.fromisoformat(str(published)) if published else None
        timexes = find_timexes(str(document["text"]), anchor)
        for gold in document["timexes"]:  # type: ignore[attr-defined]
            if gold["type"] != "DATE":
                continue
            gold_dates += 1
            hit = next(
                (t for t in timexes if t.start < gold["end"] and gold["start"] < t.end), None
            )
            recalled += hit is not None
            right += hit is not None and hit.value == gold["value"]
            if (hit is None or hit.value != gold["value"]) and shown < errors:
                shown += 1
                got = (hit.text, hit.value) if hit else None
                print(f"  {anchor} {gold['text']!r} gold={gold['value']} got={got}")
    elapsed = time.perf_counter() - started
    print(
        f"tempeval3 {split}: docs={len(documents)} DATE={gold_dates} "
        f"recall={recalled / gold_dates:.3f} value={right / gold_dates:.3f} "
        f"({elapsed:.2f}s, {1000 * elapsed / len(documents):.1f} ms/doc)"
    )


def event_dates(name: str, split: str, errors: int) -> None:
    documents = _documents(name, split)
    total = exact = shown = 0
    started = time.perf_counter()
    for document in documents:
        text = str(document["text"])
        published = document["published"]
        anchor = date.fromisoformat(str(published)) if published else None
        article = Article(body=text, published=anchor)
        for gold in document["events"]:  # type: ignore[attr-defined]
            if not gold.get("date"):
                continue
            event = Event(plover_type="ASSAULT")
            # Every sentence but the first: the event as the events stage would take it
            # from the note's first sentence.
            first_end = text.find(". ")
            event._sentence_spans = [(0, first_end + 1 if first_end > 0 else len(text))]
            date_events([event], article, find_timexes(text, anchor), anchor)
            total += 1
            ok = event.date is not None and event.date.isoformat() == gold["date"]
            exact += ok
            if not ok and shown < errors:
                shown += 1
                print(f"  {gold['date']} got={event.date} {text[:120]!r}")
    elapsed = time.perf_counter() - started
    print(f"{name} {split}: events={total} date exact={exact / max(total, 1):.3f} ({elapsed:.2f}s)")


if __name__ == "__main__":
    split = sys.argv[1] if len(sys.argv) > 1 else "train"
    errors = int(sys.argv[sys.argv.index("--errors") + 1]) if "--errors" in sys.argv else 0
    tempeval(split, errors)
    event_dates("acled.dev.jsonl", split, errors)
    event_dates("gtd.dev.jsonl", split, errors)
