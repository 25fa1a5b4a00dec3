"""How often find_participants agrees with GTD on who did it and how sure the summary is, per split.

Each GTD summary is one happening: every sentence is read with `find_participants`
and the strongest reading kept (claimed > a named stated doer > suspected > a
vague stated doer > unknown). GTD names a group (gname) or says Unknown; we
"name a group" when the kept reading is claimed, suspected or a stated doer
that is not vague ("assailants"). Printed: how often we name a group exactly
when GTD does, the token F1 of our raw mention against GTD's group name (before
the actors stage names it), and our attribution on summaries that say
"<group> claimed responsibility" (GTD's own wording, so the gold is `claimed`).

    PYTHONPATH=src python benchmarks/participants_gtd.py [--split test]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from sitrep.evaluation.split import split_of
from sitrep.events.participants import Participants, find_participants
from sitrep.nlp import load_pipeline

EVAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
STRENGTH = {"claimed": 4, "stated": 3, "suspected": 2, "unknown": 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "test", "all"), default="test")
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    nlp = load_pipeline()
    lines = (EVAL_DIR / "gtd.dev.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    rows = [r for r in rows if args.split == "all" or split_of(r["id"]) == args.split]
    scores: Counter[str] = Counter()
    overlap_sum = 0.0
    shown = 0
    for row, doc in zip(rows, nlp.pipe([r["text"] for r in rows], batch_size=64), strict=True):
        best = max((find_participants(s) for s in doc.sents), key=_strength)
        gold = row["events"][0]["actor1"]
        named = best.attribution in ("claimed", "suspected") or (
            best.attribution == "stated" and not _vague(best)
        )
        expected = "named" if gold else "unknown"
        scores[f"gold {expected}"] += 1
        scores[f"gold {expected} hit"] += named == bool(gold)
        if gold:
            overlap_sum += _token_f1(gold, best.actor1.text if best.actor1 else "")
        claims = re.search(r"(?<!No group) claimed responsibility", row["text"]) and not re.search(
            r"No group (has )?claimed", row["text"]
        )
        if claims:
            scores["claim"] += 1
            scores["claim hit"] += best.attribution == "claimed"
        if named != bool(gold) and shown < args.show:
            shown += 1
            mention = best.actor1.text if best.actor1 else None
            print(f"  gold={gold} got={best.attribution} ({mention}) | {row['text'][:300]}")
    print(f"gtd ({args.split}, {len(rows)} documents)")
    for name in ("named", "unknown"):
        if scores[f"gold {name}"]:
            rate = scores[f"gold {name} hit"] / scores[f"gold {name}"]
            print(f"  GTD {name:8s} -> we agree  {rate:.3f}  ({scores[f'gold {name}']} documents)")
    if scores["gold named"]:
        print(f"  actor1 token F1 on named  {overlap_sum / scores['gold named']:.3f}")
    if scores["claim"]:
        print(
            f"  'X claimed responsibility' -> claimed  {scores['claim hit'] / scores['claim']:.3f}"
        )


def _strength(found: Participants) -> int:
    score = STRENGTH[found.attribution]
    return 1 if found.attribution == "stated" and _vague(found) else score


def _vague(found: Participants) -> bool:
    words = set(_tokens(found.actor1.text)) if found.actor1 else set()
    return bool(words) and words <= {
        "assailants",
        "assailant",
        "an",
        "the",
        "gunmen",
        "unidentified",
        "unknown",
        "attackers",
        "armed",
        "men",
        "two",
        "three",
        "suspected",
    }


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _token_f1(gold: str, predicted: str) -> float:
    gold_tokens, predicted_tokens = Counter(_tokens(gold)), Counter(_tokens(predicted))
    common = sum((gold_tokens & predicted_tokens).values())
    if not common:
        return 0.0
    precision = common / sum(predicted_tokens.values())
    recall = common / sum(gold_tokens.values())
    return 2 * precision * recall / (precision + recall)


if __name__ == "__main__":
    main()
