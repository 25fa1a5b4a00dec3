"""Event coding: which sentences report a specific happening, and its fields.

`code_events` reads top to bottom: triggers with their status (`detect.py`),
their types (the learned sub-event model of `classify.py`, which reads a short
note whole and may propose its happening, and the explicit phrases of `plover.py`),
one record per happening (`merge.py`), then the arguments of
each happening's sentences (`participants.py`, `weapons.py`, `casualties.py`) and
the codebook's rules on who did what to whom (an armed clash done to civilians
alone, mob violence by state forces: attacks on civilians),
claims and blame attached to the happening they speak of, evidence for every
filled field and a confidence. Dates, places and canonical actors are filled by
later stages from the sentences listed in each event's `sentence_spans`.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from sitrep.actors import resolve_mention
from sitrep.events.casualties import (
    COUNTED_PLOVER_TYPES,
    CasualtyCount,
    combine_counts,
    count_casualties,
    report_sentences,
)
from sitrep.events.classify import SubEventModel, load_model, participant_classes
from sitrep.events.detect import Candidate, dismissed_types, find_candidates
from sitrep.events.merge import Happening, Mention, group_mentions
from sitrep.events.participants import (
    Participants,
    find_participants,
    is_vague_text,
    outranks,
    participant_cues,
)
from sitrep.events.plover import (
    ACLED_SCOPE,
    ATTRIBUTION,
    RuleMatch,
    plover_of_intention,
    plover_of_sub_event,
    rule_sub_events,
)
from sitrep.events.weapons import find_weapon
from sitrep.models import ACTOR_TYPES, EVENT_TYPE_OF_SUB_EVENT, Actor, Article, Event

NO_EVENT = "none"
# A document this short is one happening told in a note or snippet, the register the
# sub-event model learned from: the model reads the whole text.
SHORT_DOCUMENT_SENTENCES = 6
# The model alone may propose a happening of a short text above this confidence;
# above the higher one if no trigger of the text reports anything (a diplomatic or
# aid story the model half reads as a strategic development).
MODEL_ONLY_CONFIDENCE = 0.1
TRIGGERLESS_MODEL_ONLY_CONFIDENCE = 0.15
# A short text whose best label is `none` at this confidence reports no ACLED event.
NONE_CONFIDENCE = 0.15
# The share of its probability `none` keeps when the model reads a short text whole:
# `none` is learned as six classes (CASE's non-ACLED classes apart) and their summed
# probability would outweigh a sub-event the text does report.
NONE_WEIGHT = 0.4
VIOLENT_EVENT_TYPES = frozenset(
    {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}
)
FORCE_ON_PROTEST = "Excessive force against protesters"
ARMED_CLASH = "Armed clash"
ATTACK = "Attack"
MOB_VIOLENCE = "Mob violence"
REMOTE_VIOLENCE = "Explosions/Remote violence"
# A change of territory is coded by who gained it: state forces regain territory, anyone
# else (a rebel group, a militia, a foreign state's forces) overtakes it.
GOVERNMENT_REGAINS = "Government regains territory"
NON_STATE_OVERTAKES = "Non-state actor overtakes territory"
STATE_FORCES = ACTOR_TYPES[1]
# Words of a fight between two sides beside the reciprocal verbs of participant_cues.tsv:
# an armed clash that tells one is not turned into an attack on its civilian victims.
FIGHTING = frozenset({"battle", "firefight", "gunfight", "shootout", "operation", "crossfire"})
# Civilian nouns (participant_classes.tsv) that do not say the victims were unarmed: "a
# man" names no role (the gang member of many notes), "12 people" may count both sides'
# dead, and a house or a village may be where a fight took place.
NOT_SURELY_UNARMED = frozenset(
    {"man", "woman", "people", "person", "village", "house", "home", "school", "hospital"}
    | {"market", "church", "mosque"}
)
# Below this probability the model's sub-event for a non-violent trigger of a long story,
# read one sentence at a time, is left out; a short note read whole always takes one.
UNSURE = 0.3
# Confidence of a type by how it was obtained.
RULE_CONFIDENCE = 0.9
# A rule's sub-event stands when the model gives it at least this share of the
# probability of the model's own choice for the trigger.
RULE_AGREEMENT = 0.3
TRIGGER_ONLY_CONFIDENCE = 0.6


def code_events(article: Article, doc: Doc, model: SubEventModel | None = None) -> list[Event]:
    """Every specific happening of the article's body, one `Event` each, in story order.

    `model` types them in place of the shipped sub-event model (cross-validation
    codes each fold with the model fitted on the others)."""
    candidates = find_candidates(doc)
    claims = [c for c in candidates if c.entry.plover_type == ATTRIBUTION]
    told = [c for c in candidates if c.entry.plover_type != ATTRIBUTION]
    mentions = _typed_mentions(doc, told, dismissed_types(doc, candidates), model or load_model())
    happenings = group_mentions(mentions, explicit=RULE_CONFIDENCE)
    reports = _casualty_reports(doc, happenings)
    events = [
        _event(article, happening, report)
        for happening, report in zip(happenings, reports, strict=True)
    ]
    _attach_claims(article, happenings, events, claims)
    return events


# ---- typing ----------------------------------------------------------------


def _typed_mentions(
    doc: Doc, candidates: list[Candidate], dismissed: set[str], model: SubEventModel
) -> list[Mention]:
    """Each candidate with its ACLED and PLOVER type: explicit phrases, then the model.

    A short document is read whole by the model; when the model is sure of a
    sub-event that no trigger reports, it proposes that happening itself, unless
    a trigger of its kind was dismissed as habitual, hypothetical or background.
    """
    sentences = list(doc.sents)
    if not sentences:
        return []
    if len(sentences) > SHORT_DOCUMENT_SENTENCES:
        ranked = model.rank([c.sentence for c in candidates])
        return [_type_mention(c, r, False) for c, r in zip(candidates, ranked, strict=True)]
    whole = _weigh_none(model.rank([doc])[0])
    label, probability = whole[0]
    if label == NO_EVENT and probability >= NONE_CONFIDENCE:
        # The model, sure the text reports no ACLED event (an accident, a disaster, a
        # diplomatic exchange), leaves its triggers their PLOVER types alone.
        whole = [(NO_EVENT, 1.0)]
    mentions = [_type_mention(candidate, whole, True) for candidate in candidates]
    if _model_proposes(label, probability, mentions, dismissed):
        plover_type = plover_of_sub_event(label)[0]
        defining = [
            rule
            for rule in rule_sub_events(doc.text)
            if rule.binding and _fits_rule(plover_type, rule)
        ]
        if defining:
            # "workers barricaded roads ... to denounce": the protest the model reads is a riot.
            label = defining[0].sub_event
        mentions.insert(0, _model_mention(sentences[0], label, probability))
    return mentions


def _model_proposes(
    label: str, probability: float, mentions: list[Mention], dismissed: set[str]
) -> bool:
    """Whether the model's best label for a short text is a happening no trigger reports."""
    floor = MODEL_ONLY_CONFIDENCE if mentions else TRIGGERLESS_MODEL_ONLY_CONFIDENCE
    return (
        label != NO_EVENT
        and probability >= floor
        and all(mention.sub_event_type != label for mention in mentions)
        and not any(_fits_trigger(plover_type, label) for plover_type in dismissed)
    )


def _weigh_none(ranking: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """The ranking with `none` at `NONE_WEIGHT` of its probability, renormalised."""
    weighted = [(label, p * NONE_WEIGHT if label == NO_EVENT else p) for label, p in ranking]
    total = sum(p for _, p in weighted)
    return sorted(((label, p / total) for label, p in weighted), key=lambda item: -item[1])


def _type_mention(
    candidate: Candidate, ranking: list[tuple[str, float]], read_whole: bool
) -> Mention:
    """The mention's types: the model's best sub-event for its trigger, or an explicit
    phrase of the sentence. The model, when it has read a whole short text (the
    register it learned from), may veto the phrase; in a long story it reads one
    sentence out of its context, and the phrase wins."""
    sentence, trigger, entry = candidate.sentence, candidate.trigger, candidate.entry
    trigger_span = (trigger.idx, trigger.idx + len(trigger.text))
    sub_event: str | None = None
    confidence = TRIGGER_ONLY_CONFIDENCE
    type_span = trigger_span
    if entry.plover_type in ACLED_SCOPE:
        floor = 0.0 if read_whole else UNSURE
        sub_event, confidence = _model_choice(entry.plover_type, ranking, floor)
        fitting = [
            (rule, sentence.start_char)
            for rule in rule_sub_events(sentence.text)
            if _fits_rule(entry.plover_type, rule)
        ]
        if read_whole:
            # A short note tells one happening: a defining phrase anywhere in it types it
            # ("demonstrated ... The group set barricades on fire").
            fitting += [
                (rule, 0)
                for rule in rule_sub_events(sentence.doc.text)
                if rule.binding and _fits_rule(entry.plover_type, rule)
            ]
        if fitting and _rule_stands(fitting[0][0], sub_event, ranking if read_whole else None):
            rule, offset = fitting[0]
            sub_event, confidence = rule.sub_event, RULE_CONFIDENCE
            type_span = (offset + rule.start, offset + rule.end)
    plover_type, plover_mode = entry.plover_type, entry.plover_mode
    if sub_event is not None:
        plover_type, mode = plover_of_sub_event(sub_event)
        plover_mode = plover_mode or mode
    elif candidate.status == "planned":
        plover_type = plover_of_intention(plover_type)
    return Mention(
        sentence=sentence,
        trigger=trigger,
        plover_type=plover_type,
        plover_mode=plover_mode,
        event_type=EVENT_TYPE_OF_SUB_EVENT.get(sub_event) if sub_event else None,
        sub_event_type=sub_event,
        type_confidence=confidence,
        type_span=type_span,
        status=candidate.status,
    )


def _fits_trigger(plover_type: str, label: str) -> bool:
    """Whether an ACLED sub-event can be what a trigger of this PLOVER type reports.

    An ASSAULT trigger takes any violent sub-event (battles, explosions, attacks on
    civilians, riots, force against protesters); any other trigger only the sub-events
    of its own PLOVER type.
    """
    if label == NO_EVENT:
        return False
    if plover_type == "ASSAULT":
        return EVENT_TYPE_OF_SUB_EVENT[label] in VIOLENT_EVENT_TYPES or label == FORCE_ON_PROTEST
    return plover_of_sub_event(label)[0] == plover_type


def _fits_rule(plover_type: str, rule: RuleMatch) -> bool:
    """Whether an explicit phrase can type a trigger of this PLOVER type. A defining
    phrase (`binding`) types only a trigger of its sub-event's own PLOVER type: burning
    tyres make a protest a riot, not a gang's killing ("killed ... gangs blocked roads
    with burning tyres")."""
    if rule.binding:
        return plover_of_sub_event(rule.sub_event)[0] == plover_type
    return _fits_trigger(plover_type, rule.sub_event)


def _rule_stands(
    rule: RuleMatch, choice: str | None, ranking: list[tuple[str, float]] | None
) -> bool:
    """An explicit phrase types the mention unless the model finds it far less likely
    than its own choice: a weapon named in passing ("rocket-propelled grenades" in a
    clash, "shells" of a battle) does not make the sub-event. A phrase that is the
    codebook's definition of the sub-event (`binding`) always stands."""
    if rule.binding or choice is None or ranking is None:
        return True
    probability = dict(ranking)
    best = max((p for label, p in ranking if label != NO_EVENT), default=1.0)
    return probability.get(rule.sub_event, 0.0) >= RULE_AGREEMENT * best


def _model_choice(
    plover_type: str, ranking: list[tuple[str, float]], floor: float
) -> tuple[str | None, float]:
    """The model's best ACLED sub-event that fits the trigger's PLOVER type.

    A non-violent trigger (protest, arrest, deployment) takes it only at `floor` or
    above: most such mentions in long news stories are not ACLED events.
    """
    for label, probability in ranking:
        if not _fits_trigger(plover_type, label):
            continue
        if plover_type == "ASSAULT" or probability >= floor:
            return label, probability
        break
    return None, TRIGGER_ONLY_CONFIDENCE


def _model_mention(sentence: Span, label: str, probability: float) -> Mention:
    """The happening the model reads in a short text, told by its first sentence."""
    root = sentence.root
    plover_type, plover_mode = plover_of_sub_event(label)
    return Mention(
        sentence=sentence,
        trigger=root,
        plover_type=plover_type,
        plover_mode=plover_mode,
        event_type=EVENT_TYPE_OF_SUB_EVENT[label],
        sub_event_type=label,
        type_confidence=probability,
        type_span=(root.idx, root.idx + len(root.text)),
        status="occurred",
    )


# ---- one record per happening ----------------------------------------------


def _casualty_reports(doc: Doc, happenings: list[Happening]) -> list[list[Span]]:
    """For each happening, the trigger-less sentences that report its dead or wounded
    ("No casualties were reported."): each goes to the latest violent happening told
    before it, else the latest one before it, else the first."""
    reports: list[list[Span]] = [[] for _ in happenings]
    if not happenings:
        return reports
    taken = {
        m.sentence.start
        for h in happenings
        if _counts_casualties(_typed(h).plover_type, _typed(h).event_type)
        for m in h.mentions
    }
    for sentence in report_sentences(doc, taken):
        before = [i for i, h in enumerate(happenings) if h.first.sentence.start < sentence.start]
        violent = [i for i in before if happenings[i].first.plover_type == "ASSAULT"]
        reports[(violent or before or [0])[-1]].append(sentence)
    return reports


def _typed(happening: Happening) -> Mention:
    """The mention whose types the happening's record takes."""
    return next((m for m in happening.mentions if m.sub_event_type), happening.first)


def _counts_casualties(plover_type: str, event_type: str | None) -> bool:
    return plover_type in COUNTED_PLOVER_TYPES or event_type is not None


def _event(article: Article, happening: Happening, reports: list[Span]) -> Event:
    body = article.body
    first = happening.first
    sentences = _unique_sentences(happening)
    typed = _typed(happening)
    event = Event(
        event_type=typed.event_type,
        sub_event_type=typed.sub_event_type,
        plover_type=typed.plover_type,
        plover_mode=typed.plover_mode,
        status=first.status,
        sentence=first.sentence.text,
    )
    event._sentence_spans = [(s.start_char, s.end_char) for s in sentences]
    for name in ("event_type", "sub_event_type", "plover_type"):
        if getattr(event, name) is not None:
            event.add_evidence(name, body, *typed.type_span)
    event.add_evidence("sentence", body, first.sentence.start_char, first.sentence.end_char)
    _fill_participants(event, body, happening)
    if event.sub_event_type == ARMED_CLASH:
        _retype_attack_on_civilians(event, body, first.sentence.doc, sentences)
    elif event.sub_event_type == MOB_VIOLENCE:
        _retype_attack_by_armed_actor(event, body, first.sentence.doc, sentences)
    elif event.sub_event_type in (GOVERNMENT_REGAINS, NON_STATE_OVERTAKES):
        _retype_territory_by_gainer(event, body, first.sentence.doc)
    _fill_weapon(event, body, sentences)
    _fill_casualties(event, body, sorted([*sentences, *reports], key=lambda s: s.start))
    event.confidence = round(_confidence(happening, event), 3)
    return event


def _retype_attack_by_armed_actor(event: Event, body: str, doc: Doc, sentences: list[Span]) -> None:
    """Mob violence done by state forces or an organised armed group is an attack: a mob
    is rioters, and "the police forces attacked one person" is no riot. A vague doer
    ("a group of assailants") may be a mob, and a fight ("police officers fought with
    market vendors") stays the riot it was read as."""
    doers = _evidence_span(event, "actor1", doc)
    if doers is None:
        return
    lemma = doers.root.lemma_.lower()
    if participant_classes().get(lemma) != "ARMED" or "vague" in participant_cues().get(
        lemma, frozenset()
    ):
        return
    if not _tells_a_fight(doc, sentences) and not _tells_a_crowd(doc, sentences):
        _retype(event, body, ATTACK, doers)


def _retype_territory_by_gainer(event: Event, body: str, doc: Doc) -> None:
    """A territory taken is the government's regaining it when state forces took it and a
    non-state actor's overtaking it when anyone else did ("Afghan security forces
    recaptured Kohistanat district", "Taliban militants captured a district"): the doer's
    actor type (the actor tables of `sitrep.actors`) decides. A doer the tables do not
    know leaves the model's reading."""
    doers = _evidence_span(event, "actor1", doc)
    if doers is None:
        return
    resolution = resolve_mention(doers.text)
    if resolution.rule == "unresolved" or resolution.actor is None or not resolution.actor.type:
        return
    gained = GOVERNMENT_REGAINS if resolution.actor.type == STATE_FORCES else NON_STATE_OVERTAKES
    if gained != event.sub_event_type:
        _retype(event, body, gained, doers)


def _retype(event: Event, body: str, sub_event: str, evidence: Span) -> None:
    """The event's ACLED types become `sub_event`'s, with `evidence` as their evidence."""
    event.event_type, event.sub_event_type = EVENT_TYPE_OF_SUB_EVENT[sub_event], sub_event
    event.evidence = [
        item for item in event.evidence if item.field not in ("event_type", "sub_event_type")
    ]
    for name in ("event_type", "sub_event_type"):
        event.add_evidence(name, body, evidence.start_char, evidence.end_char)


def _evidence_span(event: Event, field: str, doc: Doc) -> Span | None:
    """The words of the document that set `field` of the event."""
    evidence = next((item for item in event.evidence if item.field == field), None)
    if evidence is None:
        return None
    return doc.char_span(evidence.start, evidence.end, alignment_mode="expand")


def _retype_attack_on_civilians(event: Event, body: str, doc: Doc, sentences: list[Span]) -> None:
    """An armed clash done to civilians alone is an attack on them; the victims are its
    evidence."""
    victims = _civilian_target(event, doc, sentences)
    if victims is not None:
        _retype(event, body, ATTACK, victims)


def _civilian_target(event: Event, doc: Doc, sentences: list[Span]) -> Span | None:
    """The civilians an "armed clash" was done to, when they are the only side acted on
    and nothing tells of two sides fighting: ACLED codes violence by an armed group
    on unarmed people as an attack on civilians ("gunmen shot and killed 2 civilians").
    A short note is read whole for signs of a fight ("clashed", "exchanged fire")."""
    victims = _evidence_span(event, "target", doc)
    if victims is None:
        return None
    head, classes = victims.root, participant_classes()
    lemma = head.lemma_.lower()
    if lemma in NOT_SURELY_UNARMED or classes.get(lemma) != "CIVILIAN":
        return None
    if any(
        token.lower_ == "armed" or classes.get(token.lemma_.lower()) == "ARMED"
        for token in head.subtree
        if token is not head
    ):
        return None  # "an armed man", "members of the police"
    if _tells_a_fight(doc, sentences) or _names_remote_weapon(doc, sentences):
        return None
    return victims


def _names_remote_weapon(doc: Doc, sentences: list[Span]) -> bool:
    """Whether the happening's sentences (a short note whole) name an explosive or air
    weapon of `sub_event_rules.tsv`: civilians hurt by it ("shrapnel from the explosion
    ... injuring several civilians") are remote violence, never an attack on civilians."""
    return any(
        EVENT_TYPE_OF_SUB_EVENT[rule.sub_event] == REMOTE_VIOLENCE
        for span in _told(doc, sentences)
        for rule in rule_sub_events(span.text)
    )


def _tells_a_crowd(doc: Doc, sentences: list[Span]) -> bool:
    """Whether the happening's sentences (a short note whole) name a crowd (the CROWD
    nouns of participant_classes.tsv: protesters, rioters, a mob)."""
    classes = participant_classes()
    return any(
        classes.get(token.lemma_.lower()) == "CROWD"
        for span in _told(doc, sentences)
        for token in span
    )


def _told(doc: Doc, sentences: list[Span]) -> list[Span]:
    """What a happening's sentences are read in: a short note whole, else the sentences."""
    return [doc[:]] if len(list(doc.sents)) <= SHORT_DOCUMENT_SENTENCES else sentences


def _tells_a_fight(doc: Doc, sentences: list[Span]) -> bool:
    """Whether the happening's sentences (a short note whole) tell of two sides fighting
    ("clashed", "exchanged fire", "fought with", a battle)."""
    cues = participant_cues()
    return any(
        (lemma := token.lemma_.lower()) in FIGHTING or "reciprocal" in cues.get(lemma, frozenset())
        for span in _told(doc, sentences)
        for token in span
    )


def _unique_sentences(happening: Happening) -> list[Span]:
    seen: dict[int, Span] = {}
    for mention in happening.mentions:
        seen.setdefault(mention.sentence.start, mention.sentence)
    return [seen[start] for start in sorted(seen)]


def _fill_participants(event: Event, body: str, happening: Happening) -> None:
    for mention in happening.mentions:
        found = find_participants(mention.sentence, mention.trigger)
        _apply_participants(event, body, found)


def _apply_participants(event: Event, body: str, found: Participants) -> None:
    current = (event.actor1.raw or event.actor1.name) if event.actor1 else None
    if found.actor1 is not None and outranks(found, current, event.actor1_attribution):
        event.actor1 = Actor(name=found.actor1.text, raw=found.actor1.text)
        event.actor1_attribution = found.attribution
        event.add_evidence("actor1", body, found.actor1.start, found.actor1.end)
        if found.attribution_cue is not None:
            cue = found.attribution_cue
            event.add_evidence("actor1_attribution", body, cue.start, cue.end)
    if found.actor2 is not None and event.actor2 is None:
        event.actor2 = Actor(name=found.actor2.text, raw=found.actor2.text)
        event.add_evidence("actor2", body, found.actor2.start, found.actor2.end)
    if found.target is not None and event.target is None:
        event.target = found.target.text
        event.add_evidence("target", body, found.target.start, found.target.end)


def _fill_weapon(event: Event, body: str, sentences: list[Span]) -> None:
    for sentence in sentences:
        weapon = find_weapon(sentence)
        if weapon is not None:
            event.weapon, event.weapon_count = weapon.weapon, weapon.count
            event.add_evidence("weapon", body, weapon.start, weapon.end)
            return


def _fill_casualties(event: Event, body: str, sentences: list[Span]) -> None:
    if not _counts_casualties(event.plover_type, event.event_type):
        return
    counts: list[CasualtyCount] = [count_casualties(sentence) for sentence in sentences]
    combined = combine_counts(counts)
    event.fatalities, event.injuries = combined.fatalities, combined.injuries
    if combined.fatalities is not None and combined.fatalities_span is not None:
        event.add_evidence("fatalities", body, *combined.fatalities_span)
    if combined.injuries is not None and combined.injuries_span is not None:
        event.add_evidence("injuries", body, *combined.injuries_span)


def _attach_claims(
    article: Article, happenings: list[Happening], events: list[Event], claims: list[Candidate]
) -> None:
    """A claim or blame sentence speaks of the latest violent happening told before it,
    and of the earlier ones since the last claim whose doer the text has not named:
    "Assailants attacked ... This was one of two related attacks ... Al-Shabaab claimed
    responsibility for the attacks"."""
    after = -1  # happenings told after this token are since the last claim that named someone
    for claim in claims:
        start = claim.sentence.start
        told = [
            (happening, event)
            for happening, event in zip(happenings, events, strict=True)
            if happening.first.sentence.start <= start and event.plover_type == "ASSAULT"
        ]
        if not told:
            continue
        found = find_participants(claim.sentence, claim.trigger)
        if found.actor1 is None:
            continue
        targets = [
            event
            for happening, event in told[:-1]
            if happening.first.sentence.start > after and _doer_unnamed(event)
        ]
        for target in [*targets, told[-1][1]]:
            _apply_participants(target, article.body, found)
            span = (claim.sentence.start_char, claim.sentence.end_char)
            if span not in target._sentence_spans:
                target._sentence_spans.append(span)
                target._sentence_spans.sort()
        after = start - 1


def _doer_unnamed(event: Event) -> bool:
    actor1 = event.actor1
    return actor1 is None or is_vague_text(actor1.raw or actor1.name)


def _confidence(happening: Happening, event: Event) -> float:
    """How the type was obtained (rule, model, trigger), raised a little by each extra
    sentence that agrees, lowered when the happening is not an occurred one."""
    base = max(mention.type_confidence for mention in happening.mentions)
    support = min(0.1, 0.05 * (len(happening.mentions) - 1))
    status_factor = 1.0 if event.status == "occurred" else 0.8
    return max(0.05, min(0.99, (base + support) * status_factor))
