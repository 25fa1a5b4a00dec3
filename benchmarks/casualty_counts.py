"""Exact-match rates of the casualty counter on the GTD and ACLED gold summaries, per split.

Each gold document is one happening: every sentence of its text is read with
`count_casualties` and folded with `combine_counts`. ACLED writes 0 when no
fatalities are reported, so for ACLED a null reading matches a gold 0. GTD is
scored strictly, as `sitrep eval` scores it. Documents whose gold count is
null (the dataset does not know it) are left out of that field's rate.

    PYTHONPATH=src python benchmarks/casualty_counts.py [--split test] [--show 20]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from sitrep.evaluation.split import split_of
from sitrep.events.casualties import CasualtyCount, combine_counts, count_casualties
from sitrep.nlp import load_pipeline

EVAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "test", "all"), default="test")
    parser.add_argument("--show", type=int, default=0, help="print this many misses per field")
    parser.add_argument("--dataset", choices=("gtd", "acled", "both"), default="both")
    args = parser.parse_args()
    nlp = load_pipeline()
    datasets = ("gtd", "acled") if args.dataset == "both" else (args.dataset,)
    for dataset in datasets:
        rows = [
            json.loads(line)
            for line in (EVAL_DIR / f"{dataset}.dev.jsonl").read_text(encoding="utf-8").splitlines()
        ]
        rows = [r for r in rows if args.split == "all" or split_of(r["id"]) == args.split]
        texts = [_strip_size(r["text"]) for r in rows]
        scores: Counter[str] = Counter()
        misses: dict[str, list[str]] = {"fatalities": [], "injuries": []}
        for row, doc in zip(rows, nlp.pipe(texts, batch_size=64), strict=True):
            counted = combine_counts([count_casualties(sentence) for sentence in doc.sents])
            gold = row["events"][0]
            _score(dataset, "fatalities", gold["fatalities"], counted, scores, misses, row)
            if dataset == "gtd":
                _score(dataset, "injuries", gold["injuries"], counted, scores, misses, row)
        print(f"{dataset} ({args.split}, {len(rows)} documents)")
        for field in ("fatalities", "injuries"):
            scored = scores[f"{field} scored"]
            if scored:
                rate = scores[f"{field} exact"] / scored
                print(f"  {field} exact  {rate:.3f}  ({scored} documents with a gold count)")
        for field, items in misses.items():
            for item in items[: args.show]:
                print(f"  miss {field}: {item}")


def _score(
    dataset: str,
    field: str,
    gold: int | None,
    counted: CasualtyCount,
    scores: Counter[str],
    misses: dict[str, list[str]],
    row: dict[str, object],
) -> None:
    if gold is None:
        return
    value: int | None = getattr(counted, field)
    hit = value == gold or (dataset == "acled" and value is None and gold == 0)
    scores[f"{field} scored"] += 1
    scores[f"{field} exact"] += hit
    if not hit:
        misses[field].append(f"gold={gold} got={value} | {row['text']}")


def _strip_size(text: str) -> str:
    # ACLED notes end with a crowd-size tag ("[size=2500]") that is not prose.
    return text.split(" [size=")[0]


if __name__ == "__main__":
    main()
