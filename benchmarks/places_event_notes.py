"""Event places on single-event notes (ACLED notes, GTD summaries) until `sitrep eval` has events.

Each note is one event whose sentences are the whole note; the event's place
comes from `sitrep.places.locate_events` and is scored like `sitrep eval`
(within 25 km, admin1, country). Run:
`PYTHONPATH=src python benchmarks/places_event_notes.py acled gtd --split test`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sitrep.evaluation import metrics
from sitrep.evaluation.split import split_of
from sitrep.models import Article, Event
from sitrep.nlp import load_pipeline
from sitrep.places import geoparse, locate_events

EVAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("datasets", nargs="+")
    parser.add_argument("--split", choices=["train", "test"], default="test")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--misses", action="store_true", help="print the misses")
    arguments = parser.parse_args()
    nlp = load_pipeline()
    for dataset in arguments.datasets:
        lines = (EVAL_DIR / f"{dataset}.dev.jsonl").read_text(encoding="utf-8").splitlines()
        documents = [json.loads(line) for line in lines]
        documents = [d for d in documents if split_of(d["id"]) == arguments.split]
        if arguments.limit:
            documents = documents[: arguments.limit]
        near = admin1 = country = with_point = with_admin1 = total = 0
        for document, doc in zip(documents, nlp.pipe(d["text"] for d in documents), strict=True):
            gold = document["events"][0]["location"]
            if not gold:
                continue
            text = document["text"]
            event = Event(plover_type="ASSAULT")
            event._sentence_spans = [(0, len(text))]
            article = Article(body=text)
            # geoparse, as the pipeline calls it: tentative readings included.
            locate_events([event], article, geoparse(article, doc))
            location = event.location
            total += 1
            country += metrics.country_matches(gold["country"], location)
            if gold.get("admin1"):
                with_admin1 += 1
                admin1 += metrics.admin1_matches(gold["admin1"], location)
            if gold.get("lat") is not None:
                with_point += 1
                distance = metrics.distance_km(
                    gold["lat"],
                    gold["lon"],
                    location.lat if location else None,
                    location.lon if location else None,
                )
                near += distance <= metrics.NEAR_KM
                if arguments.misses and distance > metrics.NEAR_KM:
                    found = location and (location.name, location.admin1, location.country)
                    print(f"  miss {gold['name']!r} {gold['admin1']!r} -> {found} | {text[:150]}")
        print(
            f"{dataset} ({arguments.split}, {total} events): "
            f"within {metrics.NEAR_KM:g} km {near / max(with_point, 1):.3f} (n={with_point}), "
            f"admin1 {admin1 / max(with_admin1, 1):.3f} (n={with_admin1}), "
            f"country {country / max(total, 1):.3f}"
        )


if __name__ == "__main__":
    main()
