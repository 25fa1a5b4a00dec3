"""How often find_weapon's weapon falls in GTD's weapon class, per split.

Each GTD summary is one happening: the most specific weapon over its sentences
(lowest cue rank, first mention on ties) is mapped to a GTD class with the
evaluation's table (sitrep/evaluation/data/weapon_classes.tsv) and compared
with GTD's weaptype1, on summaries where GTD knows the weapon.

    PYTHONPATH=src python benchmarks/weapons_gtd.py [--split test]
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path

from sitrep.evaluation.split import split_of
from sitrep.events.weapons import WeaponMention, find_weapon, weapon_cues
from sitrep.nlp import load_pipeline

REPO = Path(__file__).resolve().parents[1]
EVAL_DIR = REPO.parent / "shared" / "eval"
CLASSES_FILE = REPO / "src" / "sitrep" / "evaluation" / "data" / "weapon_classes.tsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "test", "all"), default="test")
    args = parser.parse_args()
    with CLASSES_FILE.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        classes = {row[0]: row[1] for row in csv.reader(lines, delimiter="\t") if len(row) > 1}
    ranks = {cue.weapon: cue.rank for cues in weapon_cues().values() for cue in cues}
    nlp = load_pipeline()
    rows = [json.loads(line) for line in (EVAL_DIR / "gtd.dev.jsonl").open(encoding="utf-8")]
    rows = [r for r in rows if args.split == "all" or split_of(r["id"]) == args.split]
    rows = [r for r in rows if r["events"][0]["weapon"] not in (None, "Unknown")]
    scores: Counter[str] = Counter()
    for row, doc in zip(rows, nlp.pipe([r["text"] for r in rows], batch_size=64), strict=True):
        found = [m for m in (find_weapon(s) for s in doc.sents) if m is not None]
        best: WeaponMention | None = min(found, key=lambda m: ranks[m.weapon], default=None)
        gold = row["events"][0]["weapon"]
        predicted = classes.get(best.weapon.lower()) if best else None
        scores["documents"] += 1
        scores["found"] += best is not None
        scores["class hit"] += predicted is not None and gold.startswith(predicted)
    total = scores["documents"]
    print(f"gtd ({args.split}, {total} documents where GTD knows the weapon)")
    print(f"  a weapon found     {scores['found'] / total:.3f}")
    print(f"  GTD class matches  {scores['class hit'] / total:.3f}")


if __name__ == "__main__":
    main()
