"""Who did it, to whom, and how sure the text is: actor1 with its attribution, actor2 and target.

`find_participants` reads one sentence's dependency parse around the event's
trigger; events/__init__.py puts the mentions on the `Event` record (the actors
stage then names them) with their spans as evidence. Cue words live in
participant_cues.tsv.

Attribution, strongest first (a suspicion is never promoted to a fact):
- `claimed`: "X claimed responsibility" (actor1 = X); "No group claimed
  responsibility" is no claim;
- `stated`: the sentence asserts the doer, as subject of the trigger ("Taliban
  fighters attacked") or its passive agent ("were killed by Boko Haram");
- `suspected`: the doer is blamed, alleged, attributed or inferred ("blamed
  on X", "attributed the attack to X", "suspected X militants", "allegedly",
  a subject inside what officials "say" or "believe", "groups that officials
  say are backed by Iran");
- `unknown`: passive voice without an agent, or nothing said.
A vague doer ("gunmen", "unidentified assailants") is kept as actor1's raw text
with `stated` when the text asserts that they did it: the text does say who
acted, only not their identity; the actors stage maps the mention to an
unidentified armed group. A named suspect beats a vague stated doer (GTD:
"Assailants attacked ...; sources attributed the attack to the Taliban").
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from spacy.tokens import Span, Token

CUES_FILE = Path(__file__).with_name("participant_cues.tsv")
Attribution = Literal["stated", "claimed", "suspected", "unknown"]

# Dependents that end a mention: the rest of the clause, not the name.
MENTION_STOP_DEPS = frozenset({"relcl", "acl", "punct", "cc", "conj", "appos", "advcl"})
TARGET_PREPOSITIONS = frozenset({"against", "on", "at", "into", "upon"})
ACTOR2_PREPOSITIONS = frozenset({"with", "against", "on", "at"})
ACTOR_ENTITY_TYPES = frozenset({"ORG", "NORP", "PERSON", "GPE"})
# Entities that may modify an event noun without saying who did it.
NOT_DOER_ENTITY_TYPES = frozenset({"DATE", "TIME", "GPE", "LOC", "FAC", "CARDINAL", "ORDINAL"})
# Attribution strength: a later sentence may raise a happening's attribution, never lower it.
ATTRIBUTION_RANK: dict[Attribution, int] = {"unknown": 0, "suspected": 1, "stated": 2, "claimed": 3}
PLACE_ENTITY_TYPES = frozenset({"GPE", "LOC", "FAC"})
# the dash that closes a dateline: "BAGHDAD, July 29 (AFP) —"
DATELINE_DASHES = frozenset({"—", "–", "--"})
# Verbs done to another's weapon: who intercepts a missile did not fire it.
TURNED_AWAY = frozenset({"intercept", "repel", "thwart", "foil", "down", "shoot"})
# Tags of a finite verb, which has a subject ("clashed", "attacks").
FINITE_VERB_TAGS = frozenset({"VBD", "VBZ", "VBP"})
# Tags of the words of a plain noun phrase ("the Myanmar military and AA", "a Taliban sniper").
NOUN_PHRASE_TAGS = frozenset({"DT", "JJ", "NN", "NNS", "NNP", "NNPS", "CC", "CD", "HYPH", "POS"})
# Nouns of a happening that a passive verb may be told in ("killed during an operation by X").
RELATED_EVENTS = frozenset({"operation", "offensive", "raid", "ambush", "assault", "airstrike"})
# Suspicion cues that tie an actor to another ("backed by Iran", "linked to IS").
TIES = frozenset({"back", "link", "affiliate"})
# Capitalised words that open a vague mention without naming anyone.
VAGUE_OPENERS = frozenset(
    {
        "the",
        "a",
        "an",
        "some",
        "several",
        "many",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "dozens",
        "unknown",
        "unidentified",
        "armed",
        "suspected",
        "masked",
        "alleged",
        "other",
        "more",
        "at",
        "least",
    }
)


@dataclass(frozen=True)
class Mention:
    """A stretch of the sentence naming a participant; offsets into `doc.text`."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Participants:
    actor1: Mention | None
    attribution: Attribution
    attribution_cue: Mention | None
    actor2: Mention | None
    target: Mention | None


@lru_cache(maxsize=1)
def participant_cues() -> dict[str, frozenset[str]]:
    """Word (lemma, lower case) -> the kinds it has in participant_cues.tsv."""
    kinds: dict[str, set[str]] = {}
    with CUES_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for row in rows:
            kinds.setdefault(row["cue"], set()).add(row["kind"])
    return {word: frozenset(found) for word, found in kinds.items()}


def find_participants(sentence: Span, trigger: Token | None = None) -> Participants:
    """actor1 and its attribution, actor2 and target of the event `trigger` names."""
    event = trigger if trigger is not None else main_predicate(sentence)
    claim = _claim(sentence)
    suspicion = _suspicion(sentence)
    if suspicion is not None and event is not None and _acted_on_by(event, suspicion[0]):
        # "three LeT members were arrested in connection with the attack": suspects of the
        # attack, but what the arrest acted on.
        suspicion = None
    # "sources attributed the attack to X": whoever claims or blames is not the doer.
    # "the OSCE SMM observed explosions": whoever saw it is not the doer either.
    doer = (
        _doer(event)
        if event is not None and not _is_attribution(event) and "witness" not in _kinds(event)
        else None
    )
    before = (
        _doer_before(event)
        if doer is None
        and event is not None
        and not _is_attribution(event)
        and "witness" not in _kinds(event)
        else []
    )
    actor1: Mention | None = None
    attribution: Attribution = "unknown"
    cue: Mention | None = None
    if claim is not None:
        actor1, cue = claim
        attribution = "claimed"
    elif doer is not None and not _is_vague(doer[0]) and doer[1] is None:
        actor1 = _mention(doer[0])
        attribution = "stated"
    elif doer is not None and doer[1] is not None:
        suspect = _identity(doer[1]) or doer[0]
        actor1, attribution, cue = _mention(suspect), "suspected", _mention_of_token(doer[1])
    elif suspicion is not None:
        actor1, cue = suspicion
        attribution = "suspected"
    elif doer is not None:
        actor1 = _mention(doer[0])
        attribution = "stated"
    elif before and event is not None:
        first_side = _sides(before)[0]
        actor1 = _span_mention(first_side)
        hedge = _hedge(event, first_side[-1])
        attribution = "suspected" if hedge is not None else "stated"
        cue = _mention_of_token(hedge) if hedge is not None else None
    actor2, target = _acted_on(event, sentence) if event is not None else (None, None)
    if actor2 is None and event is not None and "reciprocal" in _kinds(event):
        # "Myanmar military and AA clashed": the second of the two sides is actor2.
        if actor1 is not None and before:
            other = _sides(before)[1]
            actor2 = _span_mention(other) if other else None
        elif doer is not None and actor1 is not None and attribution == "stated":
            conj = next((c for c in doer[0].children if c.dep_ == "conj"), None)
            actor2 = _mention(conj) if conj is not None and _actor_like(conj) else None
    return Participants(actor1, attribution, cue, actor2, target)


def outranks(found: Participants, current: str | None, current_attribution: Attribution) -> bool:
    """Whether a sentence's actor1 takes the place of the one a happening has so far.

    A stronger attribution wins (a suspicion never replaces a fact); and a named
    suspect or claimer wins over a vague stated doer, whose identity the text did
    not give ("Assailants attacked ...; sources attributed the attack to the Taliban").
    """
    if found.actor1 is None:
        return False
    if (
        current is None
        or ATTRIBUTION_RANK[found.attribution] > ATTRIBUTION_RANK[current_attribution]
    ):
        return True
    return (
        found.attribution in ("suspected", "claimed")
        and is_vague_text(current)
        and not is_vague_text(found.actor1.text)
    )


def is_vague_text(text: str) -> bool:
    """ "Assailants", "two unidentified gunmen", "A suicide bomber": no name in the words."""
    cues = participant_cues()
    words = [word.strip("(),.;:'\"") for word in text.split()]
    words = [word for word in words if word]
    if not any("vague" in cues.get(_singular(word.lower()), ()) for word in words):
        return False
    return all(
        not word[:1].isupper()
        or word.lower() in VAGUE_OPENERS
        or "vague" in cues.get(_singular(word.lower()), ())
        for word in words
    )


def _singular(word: str) -> str:
    cues = participant_cues()
    if word in cues or not word.endswith("s"):
        return word
    return word[:-1]


def main_predicate(sentence: Span) -> Token | None:
    """The event verb or noun of a sentence: the first event cue, else the root verb."""
    cues = participant_cues()
    verbs = [t for t in sentence if t.pos_ == "VERB" and "event_verb" in cues.get(t.lemma_, ())]
    if verbs:
        return verbs[0]
    nouns = [t for t in sentence if t.pos_ == "NOUN" and "event_verb" in cues.get(t.lemma_, ())]
    if nouns:
        return nouns[0]
    root = sentence.root
    # "sources suspected ...", "the outcome is unknown": no happening to read a doer from
    if root.pos_ != "VERB" or _kinds(root) & {"report", "suspect"}:
        return None
    return root


def _acted_on_by(event: Token, mention: Mention) -> bool:
    return any(_mention(c) == mention for c in event.children if c.dep_ in ("dobj", "nsubjpass"))


def _is_attribution(token: Token) -> bool:
    """A claim or blame word ("claimed", "attributed", "suspected"): it tells who did it."""
    return token.lemma_ == "claim" or "suspect" in _kinds(token)


def _kinds(token: Token) -> frozenset[str]:
    cues = participant_cues()
    return cues.get(token.lemma_.lower(), frozenset()) | cues.get(token.lower_, frozenset())


def _claim(sentence: Span) -> tuple[Mention, Mention] | None:
    """ "X claimed responsibility (for ...)": the claimer and the claim's words."""
    for token in sentence:
        if token.lemma_ != "claim" or token.pos_ != "VERB":
            continue
        objects = [
            c for c in token.children if c.dep_ == "dobj" and c.lemma_ in ("responsibility",)
        ]
        if not objects or _negated(token):
            continue
        subjects = [c for c in token.children if c.dep_ == "nsubj"]
        if not subjects or _negated(subjects[0]) or subjects[0].lower_ in ("nobody", "none"):
            continue
        claimer = subjects[0]
        if "non_agent" in _kinds(claimer):
            continue
        words = [token, objects[0]]
        return _mention(claimer), _span_mention(words)
    return None


def _suspicion(sentence: Span) -> tuple[Mention, Mention] | None:
    """A doer the text only blames or suspects: "blamed the attack on X", "suspected X"."""
    for token in sentence:
        if "suspect" not in _kinds(token) or token.pos_ not in ("VERB", "ADJ", "NOUN"):
            continue
        if _negated(token):
            continue
        suspect = _suspect_of(token)
        if suspect is None or "non_agent" in _kinds(suspect):
            continue
        return _mention(suspect), _mention_of_token(token)
    return None


def _suspect_of(cue: Token) -> Token | None:
    """The actor a suspicion cue points at."""
    lemma = cue.lemma_
    children = list(cue.children)
    if lemma == "connection":
        # "three LeT members were arrested in connection with the attack"
        verb = cue.head.head if cue.head.lower_ == "in" else None
        if verb is None or verb.lemma_ not in ("arrest", "detain", "apprehend"):
            return None
        held = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        return held[0] if held else None
    if lemma in TIES and not _about_the_doer(cue):
        # "officials affiliated with the Sadrist movement", "the Turkish-backed Syrian
        # National Army" (a victim): a tie of someone else, not a suspicion of the doer.
        return None
    if cue.dep_ == "amod" and cue.head.pos_ in ("NOUN", "PROPN"):
        # "suspected Boko Haram militants", not "a suspected military informant" (a victim)
        return cue.head if _actor_like(cue.head) else None
    # "attributed the attack to Maoists" with "to" parsed under "attack"
    objects_preps = [p for c in children if c.dep_ == "dobj" for p in c.children]
    preps = children + (objects_preps if lemma in ("blame", "attribute") else [])
    for child in preps:
        # "blamed on X", "attributed to X", "backed by X", "linked to X"
        if child.dep_ in ("prep", "agent") and child.lower_ in ("on", "to", "by", "with"):
            objects = [o for o in child.children if o.dep_ == "pobj"]
            if objects and lemma in ("blame", "attribute", *TIES):
                return objects[0]
    if lemma == "accuse" and not any(_tells_the_happening(c) for c in children if c.dep_ == "prep"):
        # "the assailants accused Khashan of insulting ...": a charge, not the attack's doer.
        return None
    if lemma in ("suspect", "accuse", "blame", "suspicion", "involvement"):
        # "police suspected the Taliban", "suspected the involvement of X", "accused X of"
        for child in children:
            if child.dep_ == "dobj":
                return _owner_of(child)
            if child.dep_ == "prep" and child.lower_ == "of":
                objects = [o for o in child.children if o.dep_ == "pobj"]
                if objects:
                    return objects[0]
    if lemma in ("suspect", "believe"):
        # "sources suspected that X was involved", "... that the attack was carried out by X"
        for clause in (c for c in children if c.dep_ == "ccomp" and not _is_attribution(c)):
            named = _subjects(clause) or [
                c for c in clause.children if c.dep_ == "nsubjpass" and clause.lemma_ == "involve"
            ]
            if named and not _negated(named[0]):
                return named[0]
    if lemma in ("believe", "suspect", "presume") and cue.tag_ == "VBN":
        # "X, believed to be ..., ", "militants suspected of" -> the noun described
        subjects = [c for c in children if c.dep_ in ("nsubjpass", "nsubj")]
        if subjects:
            return subjects[0]
        if cue.dep_ == "acl":
            return cue.head
    return None


def _about_the_doer(cue: Token) -> bool:
    """Whether a tie ("backed by", "linked to") describes a vague doer or the happening itself.

    "groups that officials say are backed by Iran", "the attack was linked to X".
    """
    described = [c for c in cue.children if c.dep_ in ("nsubjpass", "nsubj") and c.pos_ != "PRON"]
    if not described and cue.dep_ == "xcomp":
        # "Gunmen believed to be linked to IS": the subject of "believed"
        described = [c for c in cue.head.children if c.dep_ in ("nsubjpass", "nsubj")]
    if not described:
        described = [a for a in cue.ancestors if a.pos_ in ("NOUN", "PROPN")][:1]
    return any(
        "vague" in _kinds(token) or "non_agent" in _kinds(token) or "event_verb" in _kinds(token)
        for token in described
    )


def _actor_like(token: Token) -> bool:
    """An actor noun ("militants") or a noun with a name in it ("Boko Haram militants")."""
    if _kinds(token) & {"vague", "person"}:
        return True
    return any(t.pos_ == "PROPN" or t.ent_type_ in ACTOR_ENTITY_TYPES for t in token.subtree)


def _tells_the_happening(prep: Token) -> bool:
    """ "of the attack", "of carrying out the bombing": the charge is the happening."""
    return prep.lower_ == "of" and any(
        _kinds(t) & {"non_agent", "event_verb"} or t.lemma_ in ("involvement", "responsibility")
        for t in prep.subtree
    )


def _owner_of(token: Token) -> Token:
    # "suspected the involvement of X" names X, not the involvement.
    if token.lemma_ in ("involvement", "hand", "role"):
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return obj
    return token


def _doer(event: Token) -> tuple[Token, Token | None] | None:
    """The subject or passive agent of the event, and the cue that hedges it (or None)."""
    verb = event
    subjects = _subjects(verb)
    if not subjects and (event.pos_ == "NOUN" or event.dep_ == "dobj"):
        subjects = _nominal_doers(event)
    if not subjects and verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ == "VERB":
        # "militants stormed the village and killed five": the shared subject.
        verb = verb.head
        subjects = _subjects(verb)
        # "X thwarted an attack ..., coded at Y, killing and injuring fighters": up the list
        for _ in range(3):
            if subjects or verb.dep_ != "conj" or verb.head.pos_ != "VERB":
                break
            verb = verb.head
            subjects = _subjects(verb)
    if not subjects and event.tag_ == "VBN":
        # "8 militants were killed following an operation by ANDSF forces"
        subjects = _doers_of_related_event(event)
    if not subjects:
        return None
    doer = subjects[0]
    if "event_verb" in _kinds(doer) and doer.pos_ == "NOUN":
        # "clashes took place between X and Y", "an attack by X left two dead"
        doer = next(iter(_nominal_doers(doer)), doer)
    doer = _operation_of(doer) or doer
    # "No group attacked", "nobody": no doer at all; "the blast killed": a thing, unless
    # it names whose it was ("Israeli airstrikes", "a Turkish drone", "a Taliban attack").
    if doer.pos_ == "PRON" or _negated(doer):
        return None
    if _kinds(doer) & {"non_agent", "thing"} and not _named_modifier(doer):
        # "a landmine allegedly planted by pro-Houthi forces exploded": the planter
        planter = _agent_of_thing(doer)
        return (planter, _hedge(event, planter)) if planter is not None else None
    return doer, _hedge(event, doer)


def _doer_before(event: Token) -> list[Token]:
    """The noun phrase right before an active verb the parser left without a subject.

    "Myanmar military and AA clashed" (the names parsed as a list of places before them),
    "a Taliban sniper shot and killed" ("shot" taken for a noun), "an operation by Afghan
    commandos killed 8 militants" (the verb taken for a reduced relative), "Boko Haram/IS
    attacked" ("IS" taken for the verb "is"): in English the words right before a finite
    verb are its subject. Passive verbs ("was killed") have none there.
    """
    first = event
    while first.dep_ == "conj" and first.head.i < first.i:
        first = first.head  # "shot and killed": the subject comes before the first verb
    # "commandos killed 8 militants" parsed as a reduced relative: an object shows it active
    active_participle = event.tag_ == "VBN" and event.dep_ == "acl"
    finite = (
        event.tag_ in FINITE_VERB_TAGS
        or (active_participle and any(c.dep_ == "dobj" for c in event.children))
        # a sentence has a verb: "ISWAP militants abducted ..." parsed as a noun root
        or (active_participle and event.head.dep_ == "ROOT" and event.head.pos_ == "NOUN")
        or any(c.dep_ == "auxpass" and _stray_acronym(c) for c in event.children)
    )
    passive = any(c.dep_ == "auxpass" and not _stray_acronym(c) for c in event.children)
    # A subject the parser found, even a thing ("A RCIED explosion targeted"), is the answer.
    has_subject = any(
        c.dep_ in ("nsubj", "csubj", "agent", "expl")
        for verb in {event, first}
        for c in verb.children
    )
    # A "verb" inside a name ("Moinho dos Ventos") is no verb.
    if event.pos_ != "VERB" or event.ent_type_ or not finite or passive or has_subject:
        return []
    doc = first.doc
    run: list[Token] = []
    index = first.i - 1
    while index >= first.sent.start:
        token = doc[index]
        # "members of El Senoron Gang delivered": "of" after a noun goes on with the phrase
        of_a_noun = (
            token.lower_ == "of"
            and bool(run)
            and index > first.sent.start
            and doc[index - 1].tag_ in ("NN", "NNS")
        )
        if token.ent_type_ in ("DATE", "TIME") or not (
            token.tag_ in NOUN_PHRASE_TAGS
            or _stray_acronym(token)
            or token.text == "/"
            or of_a_noun
        ):
            break
        run.insert(0, token)
        index -= 1
    while run and (run[0].tag_ in ("CC", "HYPH", "POS") or run[0].text == "/"):
        run.pop(0)
    nouns = [token for token in run if token.tag_.startswith("NN")]
    if not nouns or all(token.ent_type_ in PLACE_ENTITY_TYPES for token in nouns):
        return []  # "in Paletwa Town, Chin State reported": a place is no doer
    # A subject opens its clause: "the vehicle of a former MP detonated", "intended to target
    # a checkpoint detonated" hold an object there ("an operation by X killed" is X's).
    opener = doc[run[0].i - 1] if run[0].i > first.sent.start else None
    if opener is not None and not (opener.is_punct or opener.lower_ == "by"):
        return []
    # "An explosive device detonated": a thing is no doer, unless it names whose it was.
    if _kinds(run[-1]) & {"non_agent", "thing"} and not _named_modifier(run[-1]):
        return []
    return run


def _sides(run: list[Token]) -> tuple[list[Token], list[Token]]:
    """A noun phrase cut at its first "and": "Myanmar military and AA" -> the army, AA."""
    for index, token in enumerate(run):
        if token.tag_ == "CC" and 0 < index < len(run) - 1:
            return run[:index], run[index + 1 :]
    return run, []


def _operation_of(doer: Token) -> Token | None:
    """ "Turkish forces and opposition rebels under OPS", "JWS factions, operating under OPS":
    forces that act under a named operation act as that operation."""
    for token in doer.subtree:
        if token.dep_ != "prep" or token.lower_ != "under" or token.i <= doer.i:
            continue
        names = [o for o in token.children if o.dep_ == "pobj" and o.pos_ == "PROPN"]
        if names:
            return names[0]
    return None


def _doers_of_related_event(verb: Token) -> list[Token]:
    """The doer of the happening a passive verb is told in: "killed following an operation
    by X", "wounded during an attack by X"; "7 were killed and 3 arrested during an
    operation by X" (the operation hangs on the last verb of the list)."""
    links = [link for coordinated in _verb_list(verb) for link in coordinated.children]
    for link in links:
        if link.lower_ not in ("following", "during", "in", "after", "amid"):
            continue
        for clause in (c for c in link.children if c.dep_ == "pcomp"):
            # "a man was killed after exchanging fire with military police forces"
            if "reciprocal" in _kinds(clause):
                sides = [
                    o
                    for prep in clause.children
                    if prep.dep_ == "prep" and prep.lower_ == "with"
                    for o in prep.children
                    if o.dep_ == "pobj" and _actor_like(o)
                ]
                if sides:
                    return sides[:1]
        for noun in (o for o in link.children if o.dep_ == "pobj" and o.pos_ == "NOUN"):
            if noun.lemma_ in RELATED_EVENTS or "event_verb" in _kinds(noun):
                found = [
                    o
                    for prep in noun.children
                    if prep.dep_ == "prep" and prep.lower_ == "by"
                    for o in prep.children
                    if o.dep_ == "pobj"
                ]
                # "during the security operations carried out by the Gendarmerie forces"
                found = found or [
                    o
                    for clause in noun.children
                    if clause.dep_ == "acl"
                    for agent in clause.children
                    if agent.dep_ == "agent"
                    for o in agent.children
                    if o.dep_ == "pobj"
                ]
                # "killed during a police raid": the force that names the raid
                found = found or [
                    c
                    for c in noun.children
                    if c.dep_ in ("compound", "amod", "nmod")
                    and c.i < noun.i
                    and "person" in _kinds(c)
                ]
                # "killed during General Command of Police Special Units operations"
                found = found or [
                    c
                    for c in noun.children
                    if c.dep_ in ("compound", "nmod")
                    and c.i < noun.i
                    and c.pos_ == "PROPN"
                    and c.ent_type_ not in NOT_DOER_ENTITY_TYPES
                ]
                if found:
                    return found
    return []


def _verb_list(verb: Token) -> list[Token]:
    """The verb and the verbs coordinated with it ("killed, wounded, and arrested")."""
    first = verb
    while first.dep_ == "conj" and first.head.pos_ == "VERB":
        first = first.head
    found = [first]
    for token in found:
        found.extend(c for c in token.children if c.dep_ == "conj" and c.pos_ == "VERB")
    return [verb, *(token for token in found if token is not verb)]


def _agent_of_thing(thing: Token) -> Token | None:
    """Who placed, fired or sent a thing: "an IED planted by Al Shabaab"."""
    for clause in thing.children:
        if clause.dep_ != "acl" or clause.pos_ != "VERB":
            continue
        for agent in (c for c in clause.children if c.dep_ == "agent"):
            objects = [o for o in agent.children if o.dep_ == "pobj" and o.pos_ != "PRON"]
            if objects:
                return objects[0]
    return None


def _nominal_doers(noun: Token) -> list[Token]:
    """Who did what an event noun names: "an attack by Taliban militants", "clashes between X
    and Y", "Saudi-led coalition airstrikes", "X carried out an arson attack"."""
    if noun.dep_ == "compound" and _kinds(noun.head) & {"event_verb", "reciprocal"}:
        noun = noun.head  # "a fire fight with X": the fight
    preps = list(noun.children)
    if noun.dep_ == "nsubj":
        # "clashes erupted between X and Y"
        preps += [c for c in noun.head.children if c.lower_ == "between"]
    for prep in preps:
        if prep.dep_ == "prep" and prep.lower_ in ("by", "between"):
            objects = [o for o in prep.children if o.dep_ == "pobj" and o.pos_ != "PRON"]
            if objects:
                return objects[:1]
    if _named_modifier(noun):
        return [noun]
    head = noun.head
    owner = _owner_pronoun_antecedent(noun)
    if owner is not None:
        return [owner]
    if noun.dep_ == "dobj" and head.pos_ == "VERB" and "light_verb" in _kinds(head):
        return _subjects(head)
    if (
        noun.dep_ == "dobj"
        and head.pos_ == "VERB"
        and "thing" in _kinds(noun)
        and head.lemma_ not in TURNED_AWAY
        and not _kinds(head) & {"witness", "report"}
        and not _is_attribution(head)
    ):
        return _subjects(head)  # "Al Shabaab militants threw a hand grenade at police"
    if (
        noun.dep_ == "pobj"
        and head.lower_ == "in"
        and head.head.pos_ == "VERB"
        and "light_verb" in _kinds(head.head)
    ):
        return _subjects(head.head)  # "the military forces engaged in a fire fight with X"
    return []


def _owner_pronoun_antecedent(noun: Token) -> Token | None:
    """ "2 Taliban militants were killed when Afghan forces repulsed their attack": "their"
    is the main clause's subject, the attackers."""
    if not any(c.dep_ == "poss" and c.lower_ in ("their", "its") for c in noun.children):
        return None
    verb = noun.head
    if noun.dep_ != "dobj" or verb.dep_ != "advcl" or verb.head.pos_ != "VERB":
        return None
    clause = verb.head
    for _ in range(3):
        main = [c for c in clause.children if c.dep_ in ("nsubjpass", "nsubj") and c.pos_ != "PRON"]
        # "... were killed and 1 was wounded when ...": the number stands for the same men
        if main and not _is_time(main[0]):
            return main[0]
        if clause.dep_ != "conj":
            return None
        clause = clause.head
    return None


def _named_modifier(noun: Token) -> bool:
    """A name or nationality before the noun: "Israeli airstrikes", "an IS-planted landmine"."""
    return any(
        t.i < noun.i
        and t.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod")
        and (t.pos_ == "PROPN" or t.ent_type_ in ACTOR_ENTITY_TYPES)
        # "a Saturday drone strike", "the Baghdad bombing": a day or a place, not its doer
        and t.ent_type_ not in NOT_DOER_ENTITY_TYPES
        and not _kinds(t) & {"non_agent", "thing"}
        for t in noun.subtree
    )


def _subjects(verb: Token) -> list[Token]:
    # A dateline parsed as a second subject ("01/22/2021: Assailants attacked") is no doer.
    active = [
        c
        for c in verb.children
        if c.dep_ == "nsubj"
        and not _is_time(c)
        and not _is_heading(c)
        and c.text != "-"  # "pro-Hadi snipers" split at its hyphen: the noun is the subject
    ]
    if active:
        return active
    return [
        obj
        for agent in verb.children
        if agent.dep_ == "agent"
        for obj in agent.children
        if obj.dep_ == "pobj"
    ]


def _is_heading(token: Token) -> bool:
    """ "Looting: On 9 May ...", "Movement of forces: ...": a note's heading, not its subject."""
    doc = token.doc
    return token.left_edge.i == token.sent.start and any(
        doc[i].text == ":"
        for i in (token.i + 1, token.right_edge.i, token.right_edge.i + 1)
        if i < len(doc)
    )


def _is_dateline(token: Token) -> bool:
    """ "BAGHDAD, July 29 (NNN-AGENCIES) — Two rockets were fired": the story's dateline, which
    the parser hangs on the verb as a second (passive) subject, is not what was acted on."""
    doc = token.doc
    after = token.right_edge.i + 1
    closing = [token.right_edge, *([doc[after]] if after < len(doc) else [])]
    return token.left_edge.i == token.sent.start and any(t.text in DATELINE_DASHES for t in closing)


def _is_time(token: Token) -> bool:
    return token.pos_ == "NUM" or token.like_num or token.ent_type_ in ("DATE", "TIME")


def _hedge(event: Token, doer: Token) -> Token | None:
    """A cue that turns the asserted doer into a suspicion, if the text has one."""
    for child in event.children:
        if child.dep_ == "advmod" and "suspect" in _kinds(child):
            return child  # "allegedly attacked"
    for token in doer.subtree:
        # "suspected Boko Haram militants"
        if token.i < doer.i and token.dep_ in ("amod", "compound") and "suspect" in _kinds(token):
            return token
    if doer.dep_ == "pobj" and doer.head.dep_ == "agent" and doer.head.head.dep_ == "acl":
        # "a landmine allegedly planted by X"
        for child in doer.head.head.children:
            if child.dep_ == "advmod" and "suspect" in _kinds(child):
                return child
    for relcl in (c for c in doer.children if c.dep_ in ("relcl", "acl")):
        for token in relcl.subtree:
            if "suspect" in _kinds(token) and token.pos_ in ("VERB", "ADJ"):
                return token
    for ancestor in event.ancestors:
        if "suspect" in _kinds(ancestor) and ancestor.pos_ == "VERB":
            return ancestor
    return None


def _identity(cue: Token) -> Token | None:
    """Who a hedged doer is thought to be: "Assailants suspected to be ISWAP militants"."""
    for clause in cue.children:
        if clause.dep_ == "xcomp" and clause.lemma_ == "be":
            for attr in clause.children:
                if attr.dep_ == "attr" and attr.pos_ in ("NOUN", "PROPN"):
                    return attr
    return None


def _acted_on(event: Token, sentence: Span) -> tuple[Mention | None, Mention | None]:
    """actor2 (people or force acted on) and target (as the text names it)."""
    candidates: list[Token] = []
    for token in sentence:
        # "... targeting the vehicle of security forces"
        if token.lemma_ == "target" and token.pos_ == "VERB":
            candidates.extend(c for c in token.children if c.dep_ in ("dobj",))
    for verb in _same_doer_verbs(event):
        for child in verb.children:
            if child.dep_ in ("dobj", "nsubjpass"):
                candidates.append(child)
            places = [child, *(c for c in child.children if c.dep_ == "prep")]
            for prep in places:
                if prep.dep_ == "prep" and prep.lower_ in TARGET_PREPOSITIONS | ACTOR2_PREPOSITIONS:
                    candidates.extend(o for o in prep.children if o.dep_ == "pobj")
    candidates = [
        c
        for c in candidates
        if "non_agent" not in _kinds(c)
        and c.pos_ != "PRON"
        and not _is_dateline(c)
        # a possessor cut off by the parser ("against Baghdad’s ... Zone") is not the object
        and not any(child.dep_ == "case" for child in c.children)
    ]
    target = next((c for c in candidates if c.ent_type_ not in ("DATE", "TIME")), None)
    actor2 = next((c for c in candidates if _is_people(c)), None)
    return (
        _mention(actor2) if actor2 is not None else None,
        _mention(target) if target is not None else None,
    )


def _same_doer_verbs(event: Token) -> list[Token]:
    """The event and the verbs that continue it without a subject of their own.

    "stormed the village and killed five soldiers", "opened fire, killing 6".
    """
    verbs = [event]
    for child in event.children:
        continues = child.dep_ in ("conj", "advcl", "xcomp") and child.pos_ == "VERB"
        own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
        if continues and not own_subject and "suspect" not in _kinds(child):
            verbs.append(child)
    return verbs


def _is_people(token: Token) -> bool:
    if "person" in _kinds(token) or token.ent_type_ in ("NORP", "ORG", "PERSON"):
        return True
    return any(
        "person" in _kinds(obj)
        for prep in token.children
        if prep.dep_ == "prep" and prep.lower_ == "of"
        for obj in prep.children
        if obj.dep_ == "pobj"
    )


def _is_vague(token: Token) -> bool:
    """ "gunmen", "unidentified assailants": no name, no organisation in the mention."""
    if "vague" not in _kinds(token):
        return False
    return not any(t.pos_ == "PROPN" or t.ent_type_ in ACTOR_ENTITY_TYPES for t in token.subtree)


def _negated(token: Token) -> bool:
    return any(
        c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in ("no", "neither"))
        for c in token.children
    )


def _mention(head: Token) -> Mention:
    """The noun phrase of `head`: its own words, without relative clauses or trailing places."""
    tokens = [head, *_mention_tokens(head)]
    first = min(tokens, key=lambda t: t.i)
    if first.i > 0 and _stray_acronym(first.doc[first.i - 1]):
        # "IS fighters" with "IS" parsed as the verb "is": the acronym names the group.
        first = first.doc[first.i - 1]
        tokens.append(first)
    doc = first.doc
    if first.i > 1 and doc[first.i - 1].text == "-" and not doc[first.i - 2].whitespace_:
        # "pro-Hadi and affiliated snipers" parsed with "pro-" apart: the words are one
        first = doc[first.i - 2]
        tokens.extend([first, doc[first.i + 1]])
    if first.i > 1 and first.doc[first.i - 1].dep_ == "case":
        # "Baghdad’s fortified Green Zone" parsed with the possessor apart: keep it.
        tokens.append(first.doc[first.i - 1].head)
    return _span_mention(tokens)


def _stray_acronym(token: Token) -> bool:
    return (
        (token.dep_ in ("aux", "auxpass") or token.pos_ == "AUX")
        and token.text.isupper()
        and token.text.isalpha()
        and 2 <= len(token.text) <= 6
    )


def _mention_tokens(head: Token) -> list[Token]:
    found: list[Token] = []
    for child in head.children:
        if _bracketed_name(child):
            # "the People's Protection Units (YPG)": the acronym is part of the name
            found.extend([child, *_mention_tokens(child), child.doc[child.right_edge.i + 1]])
            continue
        if child.dep_ in MENTION_STOP_DEPS and not _inside_name(head, child):
            continue
        if child.dep_ == "prep" and child.lower_ != "of" and not _inside_name(head, child):
            continue
        found.append(child)
        found.extend(_mention_tokens(child))
    return found


def _bracketed_name(child: Token) -> bool:
    """A name in brackets right after its head's name: "(YPG)", "(Ansar Allah)"."""
    doc = child.doc
    left, right = child.left_edge.i, child.right_edge.i
    return (
        child.dep_ == "appos"
        and child.pos_ == "PROPN"
        and child.head.pos_ in ("PROPN", "NOUN")
        and left > 0
        and doc[left - 1].text == "("
        and right + 1 < len(doc)
        and doc[right + 1].text == ")"
        and right - left < 8
    )


def _inside_name(head: Token, child: Token) -> bool:
    """ "Islamic State of Iraq and the Levant", "Coalition of Patriots for Change": one name."""
    if head.pos_ != "PROPN":
        return False
    if child.dep_ == "cc":
        return any(c.dep_ == "conj" and _joined_name_part(c) for c in head.children)
    if child.dep_ == "conj":
        return _joined_name_part(child)
    if child.dep_ == "prep":
        return any(o.dep_ == "pobj" and o.pos_ == "PROPN" for o in child.children) and (
            child.lower_ in ("for", "of", "in")
        )
    return False


def _joined_name_part(conj: Token) -> bool:
    # "... of Iraq and the Levant": a lone "the <Name>" after "and" ends the same name.
    children = list(conj.children)
    return (
        conj.pos_ == "PROPN"
        and any(c.dep_ == "det" and c.lower_ == "the" for c in children)
        and not any(c.dep_ == "compound" for c in children)
    )


def _span_mention(tokens: list[Token]) -> Mention:
    # The contiguous stretch from the first to the last word kept.
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    doc = first.doc
    start, end = first.idx, last.idx + len(last)
    return Mention(doc.text[start:end], start, end)


def _mention_of_token(token: Token) -> Mention:
    return _span_mention([token])
