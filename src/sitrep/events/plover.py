"""Event types from the lexicons: PLOVER type and mode of a trigger, explicit ACLED sub-events.

`trigger_entry` reads `triggers.tsv` (lemma -> PLOVER type/mode), `rule_sub_event`
reads `sub_event_rules.tsv` (phrases that make an ACLED sub-event explicit; the
orchestrator lets the learned model veto them in a short note, except the `binding`
ones that are the codebook's definition of the sub-event), `plover_of_sub_event`
reads `plover_of_sub_event.tsv`, `plover_of_intention` `plover_of_intention.tsv`.
The orchestrator (`sitrep.events`) combines them with `classify.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

HERE = Path(__file__).parent
ATTRIBUTION = "ATTRIBUTION"
# PLOVER types whose happenings ACLED codes (violence, protest, arrests,
# mobilisation); diplomatic and political interactions get a null ACLED type.
ACLED_SCOPE = frozenset({"ASSAULT", "PROTEST", "COERCE", "MOBILIZE"})


@dataclass(frozen=True)
class TriggerEntry:
    lemma: str
    pos: str
    plover_type: str
    plover_mode: str | None
    requires: frozenset[str]


def _rows(name: str) -> list[list[str]]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def trigger_lexicon() -> dict[str, tuple[TriggerEntry, ...]]:
    """Trigger lemma -> its entries (a lemma may have one per part of speech or context)."""
    lexicon: dict[str, list[TriggerEntry]] = {}
    for row in _rows("triggers.tsv"):
        row += [""] * (5 - len(row))
        entry = TriggerEntry(
            lemma=row[0],
            pos=row[1],
            plover_type=row[2],
            plover_mode=row[3] or None,
            requires=frozenset(filter(None, row[4].split("|"))),
        )
        lexicon.setdefault(entry.lemma, []).append(entry)
    return {lemma: tuple(entries) for lemma, entries in lexicon.items()}


def _context_lemmas(token: Token) -> set[str]:
    """Lemmas of the trigger's dependents (one level down through prepositions) and its head."""
    lemmas = {token.head.lemma_.lower()}
    for child in token.children:
        lemmas.add(child.lemma_.lower())
        lemmas.update(grandchild.lemma_.lower() for grandchild in child.children)
    if token.dep_ == "compound":
        lemmas.update(child.lemma_.lower() for child in token.head.children)
    return lemmas


def trigger_entry(token: Token) -> TriggerEntry | None:
    """The lexicon entry that `token` fires, if any; entries with context requirements first."""
    if token.pos_ not in ("VERB", "NOUN", "PROPN"):
        return None
    entries = trigger_lexicon().get(token.lemma_.lower()) or trigger_lexicon().get(
        token.text.lower()
    )
    if not entries:
        return _demand_entry(token)
    pos = "VERB" if token.pos_ == "VERB" else "NOUN"
    context: set[str] | None = None
    for entry in sorted(entries, key=lambda e: not e.requires):
        if entry.pos not in ("*", pos):
            continue
        if entry.requires:
            context = context if context is not None else _context_lemmas(token)
            if not entry.requires & context:
                continue
        return entry
    return _demand_entry(token)


# "declared that China must drop its barriers": what a speaker says another must do is
# a demand (PLOVER REQUEST), whatever the verb.
DEMAND = TriggerEntry(
    lemma="must", pos="VERB", plover_type="REQUEST", plover_mode=None, requires=frozenset()
)
DECLARING = frozenset(
    {"say", "declare", "reiterate", "insist", "conclude", "state", "stress", "tell", "repeat"}
)


def _demand_entry(token: Token) -> TriggerEntry | None:
    if token.pos_ != "VERB" or token.dep_ != "ccomp" or token.head.lemma_.lower() not in DECLARING:
        return None
    if any(child.dep_ == "aux" and child.lower_ == "must" for child in token.children):
        return DEMAND
    return None


@dataclass(frozen=True)
class RuleMatch:
    """An explicit phrase of `sub_event_rules.tsv` found in a text, with its span.

    `binding`: the phrase is the codebook's own definition of the sub-event
    (demonstrators who barricade roads or burn tyres riot), which the learned
    model may not veto."""

    sub_event: str
    start: int
    end: int
    binding: bool = False


@lru_cache(maxsize=1)
def _sub_event_rules() -> tuple[tuple[re.Pattern[str], str, bool], ...]:
    return tuple(
        (re.compile(row[0], re.I), row[1], len(row) > 2 and row[2] == "binding")
        for row in _rows("sub_event_rules.tsv")
    )


def rule_sub_event(text: str) -> RuleMatch | None:
    """The ACLED sub-event the text makes explicit, with the span of the phrase."""
    found = rule_sub_events(text)
    return found[0] if found else None


def rule_sub_events(text: str) -> list[RuleMatch]:
    """Every ACLED sub-event the text makes explicit, in the order of the rules."""
    found = []
    for pattern, sub_event, binding in _sub_event_rules():
        match = pattern.search(text)
        if match:
            found.append(RuleMatch(sub_event, match.start(), match.end(), binding))
    return found


@lru_cache(maxsize=1)
def _plover_of_sub_event() -> dict[str, tuple[str, str | None]]:
    return {
        row[0]: (row[1], row[2] if len(row) > 2 and row[2] else None)
        for row in _rows("plover_of_sub_event.tsv")
    }


def plover_of_sub_event(sub_event_type: str) -> tuple[str, str | None]:
    """PLOVER type and mode of an ACLED sub-event (for happenings found by the model alone)."""
    return _plover_of_sub_event()[sub_event_type]


@lru_cache(maxsize=1)
def _plover_of_intention() -> dict[str, str]:
    return {row[0]: row[1] for row in _rows("plover_of_intention.tsv")}


def plover_of_intention(plover_type: str) -> str:
    """What a statement that an act of this PLOVER type will be done amounts to: a promise
    of a cooperative act is an AGREE, an announced hostile act a THREATEN; other types
    keep their own."""
    return _plover_of_intention().get(plover_type, plover_type)
