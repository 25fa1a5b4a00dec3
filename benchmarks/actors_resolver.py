"""Resolver-only figures for the actors stage on the ACLED and GTD gold notes.

Until the event stage supplies mentions, this takes a plausible raw mention
from each gold text (the subject and object of the first sentence's main verb
for ACLED; the group a GTD summary names, else its subject) and resolves it with
the gold country and event type. These are figures for the resolver, not for
the pipeline end to end (that is `sitrep eval`).

    PYTHONPATH=src python benchmarks/actors_resolver.py [--split train|test|all] [--misses N]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path

from spacy.tokens import Span, Token

from sitrep.actors import actor_matches, is_named_actor, resolve_event_actors, resolve_mention
from sitrep.evaluation.split import split_of
from sitrep.models import ACTOR_TYPES, Actor, Event, Location
from sitrep.nlp import load_pipeline

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
SUBJECTS = {"nsubj", "nsubjpass"}
GTD_GROUP = (
    re.compile(r"attributed the (?:attacks?|incident) to (?:the )?(?P<group>[^.;]+?)(?:[.;]|, )"),
    re.compile(r"(?:^|\. )(?P<group>[A-Z][^.;]*?) claimed responsibility"),
    re.compile(
        r"(?:suspected|believed to be|identified as) (?:members of |of )?(?:the )?"
        r"(?P<group>[A-Z][^.;,]+)"
    ),
)


def _phrase(token: Token) -> str:
    """The noun phrase a token heads, without relative or participle clauses."""
    kept = [
        t
        for t in token.subtree
        if t.i <= token.i or t.dep_ in {"compound", "amod", "prep", "pobj", "appos"}
    ]
    span = token.doc[min(t.i for t in kept) : max(t.i for t in kept) + 1]
    return span.text


def acled_mentions(sentence: Span) -> tuple[str | None, str | None]:
    root = sentence.root
    subject = next((t for t in root.children if t.dep_ in SUBJECTS), None)
    obj = next((t for t in root.children if t.dep_ == "dobj"), None)
    if obj is None:
        for prep in root.children:
            if prep.dep_ == "prep" and prep.lower_ in {"with", "against", "at", "on"}:
                obj = next((t for t in prep.children if t.dep_ == "pobj"), None)
                if obj is not None:
                    break
    if subject is not None and subject.dep_ == "nsubjpass":
        agent = next((t for t in root.children if t.dep_ == "agent"), None)
        by = (
            next((t for t in agent.children if t.dep_ == "pobj"), None)
            if agent is not None
            else None
        )
        return (_phrase(by) if by is not None else None, _phrase(subject))
    return (
        _phrase(subject) if subject is not None else None,
        _phrase(obj) if obj is not None else None,
    )


def gtd_mention(text: str, sentence: Span) -> str | None:
    for pattern in GTD_GROUP:
        match = pattern.search(text)
        if match and not match.group("group").lower().startswith("no group"):
            return match.group("group").strip()
    subject = next((t for t in sentence.root.children if t.dep_ in SUBJECTS), None)
    return _phrase(subject) if subject is not None and subject.dep_ == "nsubj" else None


def _event(
    gold: dict[str, object], actor1: str | None, actor2: str | None, event_type: str | None
) -> Event:
    place = gold.get("location") or {}
    assert isinstance(place, dict)
    event = Event(
        plover_type="ASSAULT",
        event_type=event_type,
        actor1=Actor(name=actor1, raw=actor1) if actor1 else None,
        actor2=Actor(name=actor2, raw=actor2) if actor2 else None,
        location=Location(
            name=place.get("name") or "?", country=place.get("country"), admin1=place.get("admin1")
        ),
    )
    resolve_event_actors(event)
    return event


def _first_sentence(doc: object) -> Span:
    sentences = list(doc.sents)  # type: ignore[attr-defined]
    # GTD summaries open with "01/01/2021:", which spaCy may split off as its own sentence.
    return next((s for s in sentences if len(s) > 3), sentences[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=["train", "test", "all"], default="test")
    parser.add_argument("--misses", type=int, default=0)
    args = parser.parse_args()
    nlp = load_pipeline()

    def documents(name: str) -> list[dict[str, object]]:
        rows = [json.loads(line) for line in (EVAL / f"{name}.dev.jsonl").read_text().splitlines()]
        return [r for r in rows if args.split == "all" or split_of(r["id"]) == args.split]

    acled = documents("acled")
    counts: Counter[str] = Counter()
    misses: Counter[tuple[str, str, str]] = Counter()
    for row, doc in zip(acled, nlp.pipe(r["text"] for r in acled), strict=True):
        gold = row["events"][0]  # type: ignore[index]
        actor1, actor2 = acled_mentions(_first_sentence(doc))
        event = _event(gold, actor1, actor2, gold["event_type"])
        counts["events"] += 1
        got1 = event.actor1.name if event.actor1 else None
        got2 = event.actor2.name if event.actor2 else None
        counts["actor1 exact"] += got1 == gold["actor1"]
        if gold["actor2"]:
            counts["with actor2"] += 1
            counts["actor2 exact"] += got2 == gold["actor2"]
        code = gold["raw"].get("inter1", "0")
        gold_type = ACTOR_TYPES.get(int(code)) if str(code).isdigit() else None
        counts["actor1 type"] += (event.actor1.type if event.actor1 else None) == gold_type
        if got1 != gold["actor1"]:
            misses[(str(actor1), str(got1), str(gold["actor1"]))] += 1
    print(f"ACLED ({args.split}, {counts['events']} notes; resolver only, mentions from the parse)")
    print(f"  actor1 canonical exact   {counts['actor1 exact'] / counts['events']:.3f}")
    print(f"  actor1 type (inter1)     {counts['actor1 type'] / counts['events']:.3f}")
    print(
        f"  actor2 canonical exact   {counts['actor2 exact'] / max(counts['with actor2'], 1):.3f}"
        f" (of {counts['with actor2']} with a gold actor2)"
    )
    for (mention, got, want), n in misses.most_common(args.misses):
        print(f"    {n:3d}  {mention!r} -> {got!r}, gold {want!r}")

    gtd = documents("gtd")
    counts = Counter()
    misses = Counter()
    for row, doc in zip(gtd, nlp.pipe(r["text"] for r in gtd), strict=True):
        gold = row["events"][0]  # type: ignore[index]
        mention = gtd_mention(str(row["text"]), _first_sentence(doc))
        event = _event(gold, mention, None, None)
        got = event.actor1.name if event.actor1 else None
        if gold["actor1"]:
            counts["named"] += 1
            hit = actor_matches(got, gold["actor1"])
            counts["named hit"] += hit
            if not hit:
                misses[(str(mention), str(got), str(gold["actor1"]))] += 1
        else:
            counts["unknown"] += 1
            counts["unknown kept"] += not is_named_actor(got)
            if is_named_actor(got):
                misses[(str(mention), str(got), "Unknown")] += 1
    print(f"GTD ({args.split}; resolver only, group named in the summary or its subject)")
    named, unknown = max(counts["named"], 1), max(counts["unknown"], 1)
    print(f"  named group exact-or-alias      {counts['named hit'] / named:.3f} (of {named})")
    print(
        f"  Unknown not given a named group {counts['unknown kept'] / unknown:.3f} (of {unknown})"
    )
    for (mention, got, want), n in misses.most_common(args.misses):
        print(f"    {n:3d}  {mention!r} -> {got!r}, gold {want!r}")
    _speed()


def _speed() -> None:
    """Mentions resolved per second, the dictionary already loaded."""
    mentions = ["IS jihadists", "two policemen", "unidentified gunmen", "medical interns"] * 2500
    started = time.perf_counter()
    for mention in mentions:
        resolve_mention(mention, "Iraq")
    elapsed = time.perf_counter() - started
    print(f"speed: {len(mentions) / elapsed:,.0f} mentions a second")


if __name__ == "__main__":
    main()
