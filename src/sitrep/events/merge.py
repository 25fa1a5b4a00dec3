"""One happening, one record: which mentions of a story are the same happening.

A story names its main attack in the lead, then comes back to it ("The dawn
attack came as ...", "the blast", "the bombing") with casualty updates, quotes
and claims. A later mention joins an earlier record when it is of the same
family (the same ACLED event type, or the same PLOVER type outside ACLED) and
refers back to it: a definite or demonstrative determiner on its trigger, no
sub-event of its own that contradicts the earlier one, and no new count word
("another attack", "a second blast") that announces a new happening.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

# Determiners that point back to a happening already named.
ANAPHORIC = frozenset({"the", "this", "that", "these", "those", "its"})
# Words that announce a further, distinct happening.
NEW_HAPPENING = frozenset({"another", "second", "third", "separate", "other", "new", "further"})


@dataclass
class Mention:
    """A trigger in one sentence, typed, with the sentence it stands in."""

    sentence: Span
    trigger: Token
    plover_type: str
    plover_mode: str | None
    event_type: str | None
    sub_event_type: str | None
    type_confidence: float
    type_span: tuple[int, int]
    status: str


@dataclass
class Happening:
    """The mentions merged into one record, in story order."""

    mentions: list[Mention] = field(default_factory=list)

    @property
    def first(self) -> Mention:
        return self.mentions[0]

    @property
    def family(self) -> str:
        return self.first.event_type or self.first.plover_type


def family_of(mention: Mention) -> str:
    return mention.event_type or mention.plover_type


def refers_back(mention: Mention) -> bool:
    """True when the trigger reads as a return to a happening already told."""
    trigger = mention.trigger
    words = {child.lower_ for child in trigger.children if child.dep_ in ("det", "amod", "poss")}
    if words & NEW_HAPPENING:
        return False
    if words & ANAPHORIC or any(child.dep_ == "poss" for child in trigger.children):
        return True
    # A verb trigger whose subject is a pronoun ("it killed", "they fired") continues the story.
    return any(
        child.dep_ in ("nsubj", "nsubjpass") and child.pos_ == "PRON" for child in trigger.children
    )


def compatible(happening: Happening, mention: Mention, explicit: float) -> bool:
    """Same family, and the sub-event types do not contradict each other.

    A mention typed by the model alone (confidence below `explicit`) that shares the
    happening's PLOVER type takes the happening's type rather than contradicting it.
    """
    first = happening.first
    if mention.plover_type == first.plover_type and mention.type_confidence < explicit:
        return True
    if family_of(mention) != happening.family:
        return False
    if first.sub_event_type is None or mention.sub_event_type is None:
        return True
    return first.sub_event_type == mention.sub_event_type


def continues(happening: Happening, mention: Mention) -> bool:
    """A later sentence that tells more of the same happening rather than a new one."""
    words = {c.lower_ for c in mention.trigger.subtree if c.dep_ in ("det", "amod")}
    if words & NEW_HAPPENING and mention.trigger.i == next(iter(mention.trigger.subtree)).i:
        return False
    if refers_back(mention):
        return True
    first = happening.first
    # Outside ACLED's scope (talks, announcements, support), a story tells of one such
    # interaction per type; an explicit sub-event repeated (a second rocket) is the same attack.
    if first.event_type is None and mention.event_type is None:
        return not ({c.lower_ for c in mention.trigger.children} & NEW_HAPPENING)
    return mention.sub_event_type is not None and mention.sub_event_type == first.sub_event_type


def _announces_new(mention: Mention) -> bool:
    """ "another attack", "in a separate incident": the sentence tells of a new happening."""
    return bool({c.lower_ for c in mention.trigger.children} & NEW_HAPPENING)


def group_mentions(mentions: list[Mention], explicit: float) -> list[Happening]:
    """Merge mentions into happenings: same sentence and same family, or a continuation."""
    happenings: list[Happening] = []
    # A sentence one of whose triggers points back tells more of a happening already told,
    # whichever trigger comes first: "One employee was killed in the blast".
    referring = {m.sentence.start for m in mentions if refers_back(m)}
    referring -= {m.sentence.start for m in mentions if _announces_new(m)}
    for mention in mentions:
        target = None
        for happening in reversed(happenings):
            same_sentence = happening.mentions[-1].sentence.start == mention.sentence.start
            if compatible(happening, mention, explicit) and (
                same_sentence
                or continues(happening, mention)
                or mention.sentence.start in referring
            ):
                target = happening
                break
        if target is None:
            happenings.append(Happening([mention]))
        else:
            target.mentions.append(mention)
    return happenings
