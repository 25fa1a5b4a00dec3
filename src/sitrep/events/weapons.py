"""Which weapon a sentence says was used, and how many: "two rockets" -> rocket, 2.

`find_weapon` matches the cue table weapons.tsv (words and phrases as lemmas)
against one sentence; events/__init__.py puts the result on the `Event` record
as `weapon` and `weapon_count`, with the span as evidence.

Counts come from the number that modifies the weapon noun ("two rockets" -> 2,
"a car bomb" -> 1: the article states one); a bare plural ("rockets"), a
definite reference back ("the rocket") or a verb cue ("shot dead", "opened
fire") gives no count (None).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from sitrep.events.numbers import is_number_word, parse_count

WEAPONS_FILE = Path(__file__).with_name("weapons.tsv")
COUNTING_DETERMINERS = frozenset({"a", "an", "one", "single"})


@dataclass(frozen=True)
class WeaponMention:
    """A weapon named in a sentence; `start`/`end` are character offsets into `doc.text`."""

    weapon: str
    count: int | None
    start: int
    end: int


@dataclass(frozen=True)
class WeaponCue:
    words: tuple[str, ...]
    weapon: str
    pos: str
    rank: int


@lru_cache(maxsize=1)
def weapon_cues() -> dict[str, list[WeaponCue]]:
    """The cue table, indexed by each cue's first word, longest cues first."""
    with WEAPONS_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        cues = [
            WeaponCue(tuple(row["cue"].split()), row["weapon"], row["pos"], int(row["rank"]))
            for row in rows
        ]
    index: dict[str, list[WeaponCue]] = {}
    for cue in sorted(cues, key=lambda c: -len(c.words)):
        index.setdefault(cue.words[0], []).append(cue)
    return index


def find_weapon(sentence: Span) -> WeaponMention | None:
    """The most specific weapon the sentence names (first mention on ties), or None."""
    best: tuple[int, int, WeaponMention] | None = None
    position = 0
    tokens = list(sentence)
    while position < len(tokens):
        match = _match_at(tokens, position)
        if match is None:
            position += 1
            continue
        cue, length = match
        words = tokens[position : position + length]
        mention = WeaponMention(
            weapon=cue.weapon,
            count=_count(words[-1], cue),
            start=words[0].idx,
            end=words[-1].idx + len(words[-1]),
        )
        if best is None or (cue.rank, position) < best[:2]:
            best = (cue.rank, position, mention)
        position += length
    return best[2] if best else None


def _match_at(tokens: list[Token], position: int) -> tuple[WeaponCue, int] | None:
    first = tokens[position]
    for form in dict.fromkeys((first.lemma_.lower(), first.lower_)):
        for cue in weapon_cues().get(form, []):
            length = len(cue.words)
            window = tokens[position : position + length]
            if len(window) < length or not all(
                word in (token.lemma_.lower(), token.lower_)
                for word, token in zip(cue.words, window, strict=True)
            ):
                continue
            if cue.pos != "*" and window[-1].pos_ != cue.pos:
                continue
            return cue, length
    return None


def _count(head: Token, cue: WeaponCue) -> int | None:
    """How many of the weapon the text states, from the head noun's modifiers."""
    while head.dep_ in ("compound", "nmod") and head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head  # "three mortar shells": the count sits on the shells
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    for child in head.children:
        if child.dep_ in ("nummod", "quantmod") or (
            child.dep_ == "amod" and is_number_word(child.text)
        ):
            return parse_count(" ".join(t.text for t in child.subtree))
        if child.dep_ == "det" and child.lower_ in COUNTING_DETERMINERS:
            return 1
    return None
