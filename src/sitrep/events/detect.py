"""Which sentences report a specific happening, and with what status.

For each sentence, trigger words (`triggers.tsv`) propose happenings; the
dependency structure above each trigger, read against `status_cues.tsv`, drops
habitual, aggregate, background and hypothetical mentions and sets `status`
(occurred, attempted, threatened, planned, denied). The orchestrator merges the
candidates into event records (`merge.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from sitrep.events.plover import ACLED_SCOPE, ATTRIBUTION, TriggerEntry, trigger_entry
from sitrep.models import Status

CUES_PATH = Path(__file__).with_name("status_cues.tsv")
NOT_EVENT = frozenset({"habitual", "aggregate", "background", "hypothetical"})
# Verbs that report speech: cues above them belong to the reporter, not the happening.
REPORTING = frozenset({"say", "tell", "report", "state", "confirm", "add", "quote", "claim"})
# Time nouns that, modified by "recent"/"past", make a span of time rather than a day.
SPAN_NOUNS = frozenset({"day", "week", "month", "year", "decade"})
PRESENT_TAGS = frozenset({"VBZ", "VBP"})
STORY_SENTENCES = 3


@dataclass(frozen=True)
class Candidate:
    """A trigger in a sentence that reports a specific happening."""

    sentence: Span
    trigger: Token
    entry: TriggerEntry
    status: Status


@lru_cache(maxsize=1)
def status_cues() -> dict[str, tuple[str, frozenset[str]]]:
    """Cue lemma -> (what it signals, the dependency labels it must attach by)."""
    cues: dict[str, tuple[str, frozenset[str]]] = {}
    for line in CUES_PATH.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lemma, kind, deps = line.split("\t")
            cues[lemma] = (kind, frozenset(deps.split("|")))
    return cues


def _cue_kind(token: Token) -> str | None:
    cue = status_cues().get(token.lemma_.lower()) or status_cues().get(token.text.lower())
    if cue is None:
        return None
    kind, deps = cue
    if "*" in deps or token.dep_ in deps:
        return kind
    return None


def _is_span_of_time(token: Token) -> bool:
    """ "in recent months", "over the past weeks": a period, the mark of an aggregate."""
    return token.lemma_.lower() in SPAN_NOUNS and token.tag_ == "NNS"


def _signals(trigger: Token) -> list[str]:
    """Cues found on the trigger, its dependents and its governors up to a reporting verb."""
    signals: list[str] = []
    chain = [trigger]
    node = trigger
    while node.head.i != node.i and node.lemma_.lower() not in REPORTING:
        node = node.head
        if node.lemma_.lower() in REPORTING:
            break
        chain.append(node)
    for depth, node in enumerate(chain):
        if depth > 0:
            kind = _cue_kind(node)
            # A governing verb like "foil" or "plan" sets the status of what it governs.
            if kind and kind not in ("negation",) and (kind != "planned" or node.dep_ != "aux"):
                if kind == "planned" and node.lemma_.lower() == "announce":
                    if chain[depth - 1].dep_ == "dobj":
                        signals.append(kind)
                elif kind not in ("hypothetical",) or node.pos_ == "VERB":
                    signals.append(kind)
        for child in node.children:
            kind = _cue_kind(child)
            if (kind and kind != "planned") or (kind == "planned" and child.dep_ == "aux"):
                # Negation and modals belong to the clause of the trigger only.
                if kind in ("negation", "planned", "hypothetical") and depth > 1:
                    continue
                if kind == "negation" and depth > 0 and trigger.pos_ != "VERB":
                    continue
                signals.append(kind)
            if child.dep_ == "prep":
                for pobj in child.children:
                    if _is_span_of_time(pobj) and any(
                        _cue_kind(grand) == "aggregate" for grand in pobj.children
                    ):
                        signals.append("aggregate")
        if node.dep_ == "pobj" and _cue_kind(node.head) == "background":
            signals.append("background")
        # "pressure to secure a withdrawal": a goal, not a happening.
        if (
            node.dep_ in ("xcomp", "acl")
            and node.head.pos_ == "NOUN"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
        ):
            signals.append("hypothetical")
    return signals


def status_of(trigger: Token) -> Status | None:
    """The status of the happening the trigger reports, or None when it reports none."""
    signals = _signals(trigger)
    if NOT_EVENT & set(signals):
        return None
    future = "planned" in signals
    if "negation" in signals:
        # "won't be fighting": a statement about the future, not a denied happening.
        return None if future else "denied"
    for status in ("denied", "attempted", "threatened", "planned"):
        if status in signals:
            return status
    return "occurred"


def is_general_present(trigger: Token) -> bool:
    """ "The Green Zone hosts ...", "groups ... are backed by Iran": the simple present of a
    story's body states what is generally so, not what happened."""
    if trigger.tag_ in PRESENT_TAGS:
        return not any(child.dep_ == "aux" for child in trigger.children)
    auxiliaries = [c for c in trigger.children if c.dep_ in ("aux", "auxpass")]
    return bool(auxiliaries) and all(a.tag_ in PRESENT_TAGS for a in auxiliaries)


def _undone_by(token: Token, entry: TriggerEntry) -> bool:
    """ "lifted the curfew", "called off the strike", "rejected the protest": a protest,
    arrest or deployment named as what a concession, refusal or agreement acts on is
    the object of that act, not a happening of its own."""
    if entry.plover_type not in ACLED_SCOPE or token.dep_ != "dobj" or token.pos_ == "VERB":
        return False
    governing = trigger_entry(token.head)
    return governing is not None and governing.plover_type not in ACLED_SCOPE | {ATTRIBUTION}


def find_candidates(doc: Doc) -> list[Candidate]:
    """Every trigger in `doc` that reports a specific happening, in text order.

    In a story (more than STORY_SENTENCES sentences) a trigger in the general
    present is background; a headline-style snippet may report in the present.
    """
    candidates: list[Candidate] = []
    story = len(list(doc.sents)) > STORY_SENTENCES
    for sentence in doc.sents:
        for token in sentence:
            entry = trigger_entry(token)
            if entry is None:
                continue
            if story and entry.plover_type != ATTRIBUTION and is_general_present(token):
                continue
            if _undone_by(token, entry):
                continue
            status = status_of(token)
            if status is None:
                continue
            if entry.plover_type == "THREATEN" and status == "threatened":
                status = "occurred"
            if entry.plover_type == ATTRIBUTION:
                status = "occurred"
            candidates.append(Candidate(sentence, token, entry, status))
    return candidates


def dismissed_types(doc: Doc, candidates: list[Candidate]) -> set[str]:
    """PLOVER types of the trigger words that report no specific happening (habitual,
    hypothetical, background, the general present): what the text says is not so."""
    kept = {candidate.trigger.i for candidate in candidates}
    types = set()
    for token in doc:
        if token.i in kept:
            continue
        entry = trigger_entry(token)
        if entry is not None and entry.plover_type != ATTRIBUTION:
            types.add(entry.plover_type)
    return types
