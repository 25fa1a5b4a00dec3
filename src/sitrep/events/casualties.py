"""How many people a sentence says were killed and wounded, read from its dependency parse.

`count_casualties` reads one sentence; `combine_counts` folds the sentences of
one happening into the event's `fatalities` and `injuries` (events/__init__.py
puts them on the `Event` record, with the spans as evidence). Cue words live in
casualty_cues.tsv; number phrases are read by numbers.py.

Counting rules, as ACLED and GTD count:
- the victims of a cue are its passive subject ("five people were killed"),
  its object ("killing 6 civilians"), the subject of intransitive cues
  ("two soldiers died") or the noun it modifies ("12 wounded soldiers");
  conjoined victims are summed ("three soldiers and five militants" -> 8),
  people added with "along with"/"together with" are counted in ("the bomber
  was killed along with 4 others" -> 5), but "including 2 women" is a part of
  the total, not an addition;
- a named or singular victim counts 1 ("Nur was killed", "killing himself");
  a bare plural ("civilians were killed") or a vague quantity ("several")
  gives no figure (None), never a guess;
- negation gives 0: "no one was hurt", "were not injured", "no deaths were
  reported" (fatalities only); "without causing any casualties", "caused no
  casualties" set both fatalities and injuries to 0;
- people kidnapped, arrested or displaced are not casualties (no cue), and
  numbers that do not modify a victim (rockets, dates) are never read.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from spacy.tokens import Doc, Span, Token

from sitrep.events.numbers import is_number_word, parse_count
from sitrep.events.plover import trigger_entry

CasualtyField = Literal["fatalities", "injuries", "casualties", "unharmed", "freed"]
CUES_FILE = Path(__file__).with_name("casualty_cues.tsv")
# PLOVER types of the happenings whose dead and wounded are counted (with any ACLED type).
COUNTED_PLOVER_TYPES = frozenset({"ASSAULT", "COERCE"})

VICTIM_DEPS = ("nsubjpass", "dobj", "nsubj")
COMPANION_PREPOSITIONS = frozenset({"with", "alongside", "besides"})
SINGLE_PRONOUNS = frozenset(
    {"himself", "herself", "he", "she", "him", "her", "i", "me", "myself", "one", "another"}
)
# Nouns that name people already told of: "abducted two people ... the hostages were killed".
REFERRING_NOUNS = frozenset({"victim", "hostage", "captive", "abductee"})
NONE_WORDS = frozenset({"nobody", "none", "noone"})
# Pronouns that point back to a victim the story has already named.
ANAPHORIC_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "they", "them", "their"})
# Words whose object is a motive ("avenge the death of"), not the happening's toll.
MOTIVE_WORDS = frozenset(
    {
        "avenge", "vengeance", "revenge", "retaliation", "retaliate", "reprisal", "response",
        "memoriam", "justice", "vigil",
    }
)  # fmt: skip
# Words whose object is the death a protest is about: "condemn the killing of".
PROTEST_WORDS = frozenset({"protest", "demonstrate", "condemn", "denounce", "mourn", "commemorate"})
# Verbs that may stand in a list with a casualty cue: "killed, injured or captured".
TAKEN_VERBS = frozenset({"capture", "arrest", "abduct", "kidnap", "detain", "miss"})
# "demonstrated over the death of", "after the death of a colleague": a death as the cause.
MOTIVE_PREPOSITIONS = frozenset({"over", "against", "after", "for", "about"})
# Victims who are not people: "killed 15 livestock".
NOT_PEOPLE = frozenset(
    {"livestock", "cattle", "cow", "goat", "sheep", "camel", "animal", "dog", "horse", "donkey"}
)
MODALS = frozenset({"should", "would", "could", "might", "must", "shall"})
# How the verbs of a list hang together ("killed, injured or captured").
LIST_DEPS = frozenset({"conj", "advcl"})
# Verbs that report what a source says.
SPEECH_VERBS = frozenset({"say", "state", "report", "claim", "confirm", "tell", "announce"})
# Verbs of hearsay whose subject is the victim of their complement: "were reported killed".
HEARSAY_VERBS = frozenset({"report", "confirm", "believe", "fear", "presume", "say", "declare"})
# Verbs whose infinitive is a wish or a plan: "wanted to kill as many officers as possible".
WISH_VERBS = frozenset(
    {"want", "plan", "threaten", "vow", "intend", "seek", "aim", "wish", "try", "attempt"}
)
# Head verbs whose subject suffered the injury or death named by their object
# ("a soldier sustained injuries", "two people lost their lives").
SUFFERING_VERBS = frozenset({"sustain", "suffer", "receive", "lose", "succumb"})
# Verbs that restate a running total ("the death toll rose to 12").
UPDATE_VERBS = frozenset({"rise", "climb", "increase", "reach", "bring", "mount", "jump", "stand"})
ADDITION_WORDS = frozenset({"also", "additionally", "another", "additional", "further", "other"})
VAGUE_WORDS = frozenset(
    {"several", "many", "numerous", "some", "unknown", "multiple", "unspecified"}
)
# Cues whose subject is the victim ("two soldiers died").
INTRANSITIVE_CUES = frozenset({"die", "perish", "succumb"})
# Named things that are never victims ("on 9 May", "in Lashkar Gah").
NOT_VICTIM_ENTITIES = frozenset(
    {"DATE", "TIME", "GPE", "LOC", "FAC", "MONEY", "PERCENT", "ORDINAL"}
)
# A date the parser takes for a subject ("On 8 May 2020, ... was killed") is no victim.
MONTHS = frozenset(
    {
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    }
)  # fmt: skip
# "killed a short time later": a span of time the parser takes for an object.
TIME_NOUNS = frozenset({"time", "minute", "hour", "day", "night", "week", "month", "year"})
# Nouns that count only by the figures attached to them.
NUMBER_NOUNS = frozenset({"number", "toll", "total"})
# What a coder's note spreads a total over: "Fatalities split between 2 events".
SPLIT_UNITS = frozenset({"event", "location", "incident", "area", "front", "district"})
SPLIT_VERBS = frozenset({"split", "spread", "distribute", "divide"})
# Attackers, counted in with the dead and wounded (ACLED and GTD include them).
PERPETRATOR_NOUNS = frozenset(
    {"assailant", "attacker", "bomber", "gunman", "perpetrator", "shooter", "assassin"}
)
# "The fate of the hostages is unknown": what is not known of people taken.
FATE_NOUNS = frozenset({"fate", "outcome", "whereabouts"})
# Nouns naming happenings: a count "across the three attacks" is spread over them.
HAPPENING_NOUNS = frozenset(
    {
        "attack", "incident", "clash", "raid", "blast", "bombing", "assault", "explosion",
        "strike", "airstrike", "shooting", "ambush", "operation", "event", "battle",
        "attempt", "kidnapping", "abduction", "massacre", "skirmish",
    }
)  # fmt: skip
SHARE_PREPOSITIONS = frozenset({"across", "between", "in", "during", "throughout", "over"})
# "This was one of three related attacks": how many happenings a story's totals cover.
RELATED_HAPPENINGS = re.compile(
    r"\bone of (?:at least |the |about |approximately )?([a-z]+|\d+)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:attacks|incidents|clashes|raids|blasts|bombings|assaults|explosions|strikes|"
    r"airstrikes|shootings|ambushes|operations|events|battles|attempts|kidnappings|"
    r"abductions|massacres)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CasualtyCount:
    """Killed and wounded as one sentence (or one happening) reports them.

    Spans are character offsets into `doc.text` of the phrase that set each
    value. `update` marks a restated running total ("the toll rose to 12"),
    `additional` a count on top of those already reported ("another soldier
    was also killed"); `fatalities_unknown`/`injuries_unknown` say the text
    names dead or wounded without a figure ("an unknown number were injured").
    `freed` marks zeros that come only from hostages set free ("were released"),
    `fate_unknown` a sentence that says the fate of some is not known ("the fate
    of the remaining hostages is unknown"), which undoes such zeros.
    `perpetrators_only` says every victim of the sentence is an attacker ("the
    assailant was shot dead"), `perpetrators_named` that some are ("five
    soldiers and two assailants"). `shared` says a figure was already divided
    over several happenings ("across the three attacks"); `split_by` and
    `split_share` hold a coder's note that spreads the total ("Fatalities split
    between 2 events (3)"); `alternative` marks another source's account ("other
    sources report ..."). `combine_counts` reads them all.
    """

    fatalities: int | None
    injuries: int | None
    fatalities_span: tuple[int, int] | None
    injuries_span: tuple[int, int] | None
    update: bool = False
    additional: bool = False
    fatalities_unknown: bool = False
    injuries_unknown: bool = False
    freed: bool = False
    fate_unknown: bool = False
    perpetrators_only: bool = False
    perpetrators_named: bool = False
    shared: bool = False
    split_by: int | None = None
    split_share: int | None = None
    alternative: bool = False


@lru_cache(maxsize=1)
def casualty_cues() -> dict[str, CasualtyField]:
    """Cue word -> the field its victims fill (casualty_cues.tsv)."""
    with CUES_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {row["cue"]: _field(row["field"]) for row in rows}


def _field(name: str) -> CasualtyField:
    if name == "fatalities":
        return "fatalities"
    if name == "injuries":
        return "injuries"
    if name == "casualties":
        return "casualties"
    if name == "unharmed":
        return "unharmed"
    if name == "freed":
        return "freed"
    raise ValueError(f"unknown casualty field {name!r} in {CUES_FILE.name}")


def count_casualties(sentence: Span) -> CasualtyCount:
    """Fatalities and injuries this sentence reports; None where it says nothing."""
    totals: dict[str, int | None] = {"fatalities": None, "injuries": None}
    spans: dict[str, tuple[int, int] | None] = {"fatalities": None, "injuries": None}
    counted: set[int] = set()
    unknown: set[str] = set()
    update = additional = freed = harmed = shared = False
    coded: int | None = None  # "Fatalities coded as 3 (VoJ reported 6)": the coder's figure
    perpetrator_readings: list[bool] = []
    # The speech verb each field's figures are reported under: another source's figure
    # in the same sentence is an alternative account, not more victims.
    sources: dict[str, tuple[int | None, str]] = {}
    # "Enejor was killed and his body was found": a pronoun's victim is one already counted.
    pronoun_readings: list[tuple[tuple[str, ...], int, int, int]] = []
    for cue in sentence:
        field = _cue_field(cue)
        if field is None or _inside_other_cue(cue, field) or _not_a_happening(cue):
            continue
        reading = _read_cue(cue, field, counted)
        if reading is None:
            continue
        value, tokens = reading
        if field == "freed":
            freed = True
        elif value:
            harmed = True
        if field in ("unharmed", "freed"):
            value, field = 0, "casualties"
        share = _share(cue, sentence)
        if value and share > 1:
            value, shared = _divided(value, share), True
        if value is not None and field == "fatalities" and cue.head.lower_ == "coded":
            coded = value
        if value is None and field != "casualties":
            unknown.add(field)
            continue
        if field == "casualties" and value != 0:
            continue
        # Nobody hurt means nobody killed either; "no deaths" says nothing of the wounded.
        both = field == "casualties" or (field == "injuries" and value == 0)
        fields = ("fatalities", "injuries") if both else (field,)
        start = min(t.idx for t in tokens)
        end = max(t.idx + len(t) for t in tokens)
        if value and _by_pronoun(cue, tokens):
            pronoun_readings.append((fields, value, start, end))
            continue
        source = (_source(cue), _victim_kind(cue, tokens))
        if value and any(_another_account(sources.get(n), source) for n in fields):
            continue  # "the Government stated 25 were killed, but others reported 37"
        if value:
            perpetrator_readings.append(_names_perpetrators(cue, tokens))
        for name in fields:
            if value:
                sources.setdefault(name, source)
            totals[name] = _add(totals[name], value)
            current = spans[name]
            spans[name] = (
                (start, end) if current is None else (min(current[0], start), max(current[1], end))
            )
        update = update or _is_update(cue)
        additional = additional or _is_addition(cue, tokens)
    for pronoun_fields, value, start, end in pronoun_readings:
        for name in pronoun_fields:
            if not totals[name]:  # none yet, or only someone else unharmed
                totals[name], spans[name] = value, (start, end)
    if coded is not None:
        totals["fatalities"] = coded
    split_by, split_share = _split_note(sentence)
    return CasualtyCount(
        totals["fatalities"],
        totals["injuries"],
        spans["fatalities"],
        spans["injuries"],
        update=update,
        additional=additional,
        fatalities_unknown="fatalities" in unknown and totals["fatalities"] is None,
        injuries_unknown="injuries" in unknown and totals["injuries"] is None,
        freed=freed and not harmed,
        fate_unknown=_fate_unknown(sentence),
        perpetrators_only=bool(perpetrator_readings) and all(perpetrator_readings),
        perpetrators_named=any(perpetrator_readings) or _names_reflexive(sentence),
        shared=shared,
        split_by=split_by,
        split_share=split_share,
        alternative=_alternative(sentence),
    )


def _source(cue: Token) -> int | None:
    """The speech verb a cue is reported under ("sources reported 37 were killed"), if any."""
    for ancestor in cue.ancestors:
        if ancestor.lemma_.lower() in SPEECH_VERBS and ancestor.pos_ == "VERB":
            return ancestor.i
    return None


def _victim_kind(cue: Token, tokens: Sequence[Token]) -> str:
    """What the victims are called: "person" for people or a bare figure, else the noun."""
    for token in tokens:
        if token.i != cue.i and token.dep_ in VICTIM_DEPS:
            lemma = token.lemma_.lower()
            return "person" if token.pos_ == "NUM" or lemma in ("people", "person") else lemma
    return "person"


def _another_account(first: tuple[int | None, str] | None, later: tuple[int | None, str]) -> bool:
    # Two sources give figures for the same people, not two groups of victims.
    if first is None or first[0] is None or later[0] is None or first[0] == later[0]:
        return False
    return first[1] == later[1] or "person" in (first[1], later[1])


def _alternative(sentence: Span) -> bool:
    """ "Other sources report that 2 soldiers were killed": another account of the same toll."""
    return any(
        t.lemma_.lower() in SPEECH_VERBS
        and any(
            c.dep_ == "nsubj" and any(a.lower_ in ("other", "separate") for a in c.children)
            for c in t.children
        )
        for t in sentence
    )


def _divided(value: int, parts: int) -> int:
    """One part of `value` spread evenly over `parts`, rounded half up."""
    return (2 * value + parts) // (2 * parts)


def _split_note(sentence: Span) -> tuple[int | None, int | None]:
    """A coder's note spreading the fatalities: "Fatalities split between 2 events (3)",
    "coded as 10 and spread across three locations" -> (parts, the share it states)."""
    for token in sentence:
        if token.lemma_.lower() not in SPLIT_VERBS:
            continue
        for prep in token.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("between", "across", "among", "over"):
                continue
            for unit in prep.children:
                if unit.dep_ != "pobj" or unit.lemma_.lower() not in SPLIT_UNITS:
                    continue
                parts = _np_count(unit)
                if parts is None or parts < 2:
                    continue
                following = sentence.doc[unit.i + 1 : unit.i + 4]
                share = None
                if len(following) == 3 and following[0].text == "(" and following[2].text == ")":
                    share = parse_count(following[1].text)
                return parts, share
    return None, None


def _names_perpetrators(cue: Token, tokens: Sequence[Token]) -> bool:
    """Whether a reading's victims are all attackers: "the assailant was shot dead"."""
    heads = [
        t
        for t in tokens
        if t.i != cue.i
        and t.dep_ in ("nsubj", "nsubjpass", "dobj", "conj", "pobj", "appos")
        and t.pos_ in ("NOUN", "PROPN", "PRON")
    ]
    return bool(heads) and all(t.lemma_.lower() in PERPETRATOR_NOUNS for t in heads)


def _names_reflexive(sentence: Span) -> bool:
    # "killing himself and five others": the attacker is among the sentence's dead.
    return any(
        t.lower_ in ("himself", "herself", "themselves") or t.lemma_.lower() in PERPETRATOR_NOUNS
        for t in sentence
        if t.dep_ in ("dobj", "conj", "pobj", "nsubjpass")
    )


def _fate_unknown(sentence: Span) -> bool:
    """ "The fate of the mayor is unknown", "their whereabouts remain unclear"."""
    return any(
        token.lemma_.lower() in FATE_NOUNS
        and token.dep_ == "nsubj"
        and any(c.lower_ in ("unknown", "unclear") for c in token.head.children)
        for token in sentence
    )


def reports_casualties(count: CasualtyCount) -> bool:
    """Whether a sentence's reading says anything of killed or wounded, a zero included."""
    return (
        count.fatalities is not None
        or count.injuries is not None
        or count.fatalities_unknown
        or count.injuries_unknown
        or count.fate_unknown
        or count.split_by is not None
    )


def report_sentences(doc: Doc, taken: set[int]) -> list[Span]:
    """Sentences outside every happening that report the outcome of one.

    "No casualties were reported.", "Four people were hurt.", "The death toll
    rose to 12.", "The hostage was released unharmed.": a sentence with no
    trigger of a violent happening that gives killed or wounded tells of a
    happening named before it. A sentence that holds such a trigger is never
    one of these: the detector has read it and kept or dropped its mention (a
    background "30 were killed last year" stays out). `taken` holds the start
    tokens of the sentences already in a happening whose casualties are counted.
    """
    return [
        sentence
        for sentence in doc.sents
        if sentence.start not in taken
        and not any(_violent_trigger(token) for token in sentence)
        and reports_casualties(count_casualties(sentence))
    ]


def _violent_trigger(token: Token) -> bool:
    entry = trigger_entry(token)
    return entry is not None and entry.plover_type in COUNTED_PLOVER_TYPES


def combine_counts(counts: Sequence[CasualtyCount]) -> CasualtyCount:
    """The counts of one happening's sentences (in story order) as one count.

    Per field: the first figure stands; a later restated total (`update`)
    replaces it; a later `additional` count is added to it; any other later
    figure is taken as a restatement of the same dead or wounded, so the larger
    of the two is kept (a lead "10 killed" and a later "10 people, including 2
    women, were killed" stay 10, and a fuller later figure wins over an early
    partial one).

    A happening whose report names dead or wounded (a figure above zero, or
    "an unknown number") and says nothing at all of the other reads as
    reporting none of the other (0), as ACLED and GTD code a reported outcome
    ("three soldiers were injured" -> fatalities 0, injuries 3; "an unknown
    number were injured" -> fatalities 0, injuries null). A happening that
    reports no outcome at all stays null on both.

    A coder's note that spreads the fatalities over several events ("Fatalities
    split between 2 events") divides the total, unless a figure was already
    given per happening; a share it states ("(3)") is taken as it is.

    Attackers who died are counted in, as ACLED and GTD count them: when one
    sentence reports only attackers ("the assailant was killed by police") and
    no other count names any, the attackers are added to the other dead, not
    taken as a restatement of them.

    Hostages set free came out alive and unhurt (0 and 0, as GTD codes a
    kidnapping that ends in release), unless the story says the fate of some
    is unknown: then the release says nothing of the others.
    """
    if any(c.fate_unknown for c in counts):
        counts = [c for c in counts if not c.freed]
    # "Other sources report that 2 were killed": the story's own account comes first.
    if any(c.alternative for c in counts) and any(
        not c.alternative and (c.fatalities or c.injuries) for c in counts
    ):
        counts = [c for c in counts if not c.alternative]
    groups = [list(counts)]
    if any(c.perpetrators_only for c in counts) and not any(
        c.perpetrators_named and not c.perpetrators_only for c in counts
    ):
        groups = [
            [c for c in counts if not c.perpetrators_only],
            [c for c in counts if c.perpetrators_only],
        ]
    fatalities, fatalities_span = _combine_groups(
        [[(c.fatalities, c.fatalities_span, c.update, c.additional) for c in g] for g in groups]
    )
    note = next((c for c in counts if c.split_by), None)
    if note is not None and note.split_by and fatalities is not None:
        if note.split_share is not None:
            fatalities = note.split_share
        elif not any(c.shared for c in counts):
            fatalities = _divided(fatalities, note.split_by)
    injuries, injuries_span = _combine_groups(
        [[(c.injuries, c.injuries_span, c.update, c.additional) for c in g] for g in groups]
    )
    fatalities_unknown = any(c.fatalities_unknown for c in counts)
    injuries_unknown = any(c.injuries_unknown for c in counts)
    # The report of one side is the evidence for the none of the other.
    if fatalities is None and not fatalities_unknown and (injuries or injuries_unknown):
        fatalities, fatalities_span = 0, injuries_span
    if injuries is None and not injuries_unknown and (fatalities or fatalities_unknown):
        injuries, injuries_span = 0, fatalities_span
    return CasualtyCount(
        fatalities,
        injuries,
        fatalities_span,
        injuries_span,
        fatalities_unknown=fatalities is None and fatalities_unknown,
        injuries_unknown=injuries is None and injuries_unknown,
    )


Reading = tuple[int | None, tuple[int, int] | None, bool, bool]


def _combine_groups(
    groups: Sequence[Sequence[Reading]],
) -> tuple[int | None, tuple[int, int] | None]:
    """The sum over groups of different victims, each group folded by `_combine`."""
    value: int | None = None
    span: tuple[int, int] | None = None
    for group in groups:
        figure, figure_span = _combine(group)
        value = _add(value, figure)
        span = span or figure_span
    return value, span


def _combine(readings: Iterable[Reading]) -> tuple[int | None, tuple[int, int] | None]:
    value: int | None = None
    span: tuple[int, int] | None = None
    for figure, figure_span, update, additional in readings:
        if figure is None:
            continue
        if value is None or update:
            value, span = figure, figure_span
        elif additional:
            value, span = value + figure, figure_span
        elif figure > value:
            value, span = figure, figure_span
    return value, span


def _cue_field(token: Token) -> CasualtyField | None:
    cues = casualty_cues()
    for form in (token.lemma_.lower(), token.lower_):
        if form in cues:
            field = cues[form]
            if form == "life" and token.head.lemma_ not in ("claim", "take", "lose", "cost"):
                return None
            if form in ("body", "corpse") and not _found(token):
                return None
            if form == "fatal" and token.dep_ == "amod":
                return None
            if field == "freed" and not any(c.dep_ == "auxpass" for c in token.children):
                return None  # "the hostages were released", not "released a statement"
            return field
    return None


def _share(cue: Token, sentence: Span) -> int:
    """Over how many happenings the sentence spreads the count of `cue` (1: its own).

    ACLED and GTD divide a total reported "across the attacks" evenly between
    the events, each coded with its share rounded half up ("18 killed across
    the three raids" -> 6 for each). The phrase on the cue itself decides; one
    elsewhere in the sentence ("5 killed and 8 injured across both attacks")
    holds for the cues before it; a sentence may single out one happening and
    then share the rest ("1 killed in this attack while 20 were killed across
    the four attacks" -> 1 + 5).
    """
    found_own = [_share_of(prep, sentence) for prep in cue.children if prep.dep_ == "prep"]
    own = [s for s in found_own if s is not None]
    if own:
        return own[0]
    found = [(t.i, _share_of(t, sentence)) for t in sentence if t.dep_ == "prep"]
    shares = [(i, s) for i, s in found if s is not None]
    after = [s for i, s in shares if i > cue.i]
    if after:
        return after[0]
    return shares[-1][1] if shares else 1


def _share_of(prep: Token, sentence: Span) -> int | None:
    """The happenings a prepositional phrase names: "across both attacks" 2, "in this attack"
    1, "across the attacks" as many as the story says are related; None for any other."""
    if prep.lower_ not in SHARE_PREPOSITIONS:
        return None
    for obj in prep.children:
        if obj.dep_ != "pobj":
            continue
        noun, figure = obj, None
        if obj.lower_ == "all" or obj.pos_ == "NUM":  # "two of the attacks", "all of the attacks"
            inner = [o for p in obj.children if p.lower_ == "of" for o in p.children]
            if not inner:
                return None
            noun = inner[0]
            figure = None if obj.lower_ == "all" else parse_count(obj.text)
        if noun.lemma_.lower() not in HAPPENING_NOUNS:
            return None
        if noun.tag_ != "NNS":
            return 1
        for child in noun.children:
            if child.dep_ == "nummod" or child.lower_ == "both":
                figure = parse_count(child.text)
        return figure or _related_happenings(sentence.doc.text)
    return None


@lru_cache(maxsize=8)
def _related_happenings(text: str) -> int | None:
    """How many related happenings the story says it is one of ("one of three attacks")."""
    match = RELATED_HAPPENINGS.search(text)
    if match is None:
        return None
    count = parse_count(match.group(1))
    return count if count is not None and count > 1 else None


def _by_pronoun(cue: Token, tokens: Sequence[Token]) -> bool:
    """The reading names its victim only by a pronoun ("he was killed", "his body") or as a
    part of a group ("two of the three"): the victims are counted elsewhere in the sentence."""
    if cue.lemma_ in ("body", "corpse"):
        return any(c.dep_ == "poss" and c.lower_ in ANAPHORIC_PRONOUNS for c in cue.children)
    victims = [t for t in tokens if t.i != cue.i]
    if len(victims) == 1 and victims[0].lower_ in ANAPHORIC_PRONOUNS:
        return True
    # "Two of the three killed were decapitated": a part of people counted in the sentence.
    return any(
        t.pos_ in ("NUM", "PRON")
        and any(
            p.lower_ == "of" and any(o.dep_ == "pobj" and _has_figure(o) for o in p.children)
            for p in t.children
        )
        for t in victims
        if t.dep_ in VICTIM_DEPS
    )


def _not_a_happening(cue: Token) -> bool:
    """A death named as a motive or a wish, not as what happened: "to avenge the death of",
    "in retaliation for the killing of", "hundreds of you should be killed"."""
    if any(c.dep_ == "aux" and c.lemma_ in MODALS for c in cue.children):
        return True
    if cue.dep_ == "xcomp" and cue.head.lemma_ in WISH_VERBS:
        return True
    if cue.lemma_ in ("death", "killing"):
        if cue.dep_ == "pobj" and cue.head.lower_ in MOTIVE_PREPOSITIONS:
            return True
        if any(a.lemma_.lower() in PROTEST_WORDS for a in cue.ancestors):
            return True
    # "3 militants were killed, injured or captured": no figure for the dead.
    if cue.pos_ == "VERB":
        listed = [cue, *(c for c in cue.children if c.pos_ == "VERB" and c.dep_ in LIST_DEPS)]
        if cue.dep_ in LIST_DEPS:
            listed.append(cue.head)
        for token in listed:
            if any(c.dep_ == "cc" and c.lower_ == "or" for c in token.children):
                others = [token, *(c for c in token.children if c.dep_ in LIST_DEPS)]
                if any(
                    o.i != cue.i and (_cue_field(o) is not None or o.lemma_ in TAKEN_VERBS)
                    for o in others
                ):
                    return True
    return any(a.lemma_.lower() in MOTIVE_WORDS for a in cue.ancestors)


def _found(token: Token) -> bool:
    return any(a.lemma_ in ("find", "discover", "recover", "retrieve") for a in token.ancestors)


def _inside_other_cue(cue: Token, field: CasualtyField) -> bool:
    # "died of his injuries": the injury noun describes the death, it is no second count.
    for ancestor in cue.ancestors:
        other = _cue_field(ancestor)
        if other is not None and other != field and ancestor.pos_ in ("VERB", "ADJ"):
            return cue.dep_ == "pobj" or cue.head.dep_ == "prep"
        if ancestor.dep_ in ("ROOT", "ccomp", "advcl", "relcl"):
            break
    return False


def _read_cue(
    cue: Token, field: CasualtyField, counted: set[int]
) -> tuple[int | None, list[Token]] | None:
    """(count, tokens of the phrase) for one cue; None when the cue counts nobody."""
    if field in ("unharmed", "freed"):
        # "Khan was unharmed", "released unharmed", "defused an explosive device"
        holder = cue if cue.pos_ == "VERB" else cue.head
        return 0, [*_arguments(holder, active_object=True)[:1], cue]
    negation = _negation(cue)
    if negation is not None:
        return 0, [negation, *negation.subtree, cue]
    if cue.pos_ in ("NOUN", "PROPN") and _cue_field(cue) is not None and not _is_participle(cue):
        return _read_noun_cue(cue, counted)
    victims = [v for v in _victims(cue) if v.i not in counted]
    if not victims:
        return None
    value: int | None = None
    tokens: list[Token] = [cue]
    for victim in victims:
        group = _group(victim)
        counted.update(t.i for t in group)
        count = _sum_counts(group)
        if count is not None:
            value = _add(value, count)
        tokens.extend(_phrase(group))
    if value is not None and value == 0:
        return 0, tokens
    return value, tokens


def _is_participle(token: Token) -> bool:
    # "the wounded", "the dead" parsed as nouns still name people, not a figure.
    return token.lower_ in ("wounded", "injured", "dead", "killed", "slain")


def _read_noun_cue(cue: Token, counted: set[int]) -> tuple[int | None, list[Token]] | None:
    """Noun cues: "12 deaths", "the toll rose to 12", "the lives of 5", "sustained injuries"."""
    if cue.lemma_ == "fatality":
        coded = _figure_near(cue)
        if coded is not None and coded[0] is not None:
            return coded  # "Unknown fatalities coded as 10"
    quantity = cue.head.head if cue.head.dep_ == "prep" else cue
    if any(c.lower_ in VAGUE_WORDS for c in [*cue.children, *quantity.children]):
        return None, [cue]  # "an unknown number of injuries", "several casualties"
    for child in cue.children:
        if child.dep_ in ("nummod", "quantmod") or (
            child.dep_ == "amod" and is_number_word(child.text)
        ):
            return parse_count(_text(child.subtree)), [child, cue]
    if cue.lemma_ in ("death", "killing") and cue.dep_ == "pobj":
        verb = cue.head.head
        if cue.head.lower_ == "to" and verb.pos_ == "VERB" and _cue_field(verb) is None:
            # "was shot to death", "beaten to death by four men"
            sufferers = [v for v in _arguments(verb, active_object=True) if v.i not in counted]
            if sufferers:
                group = _group(sufferers[0])
                counted.update(t.i for t in group)
                return _sum_counts(group), [*_phrase(group), cue]
    if cue.lemma_ in ("body", "corpse") and not any(p.lower_ == "of" for p in cue.children):
        return _np_count(cue), [cue]  # "Kyaw's body was discovered"
    if cue.lemma_ in ("death", "killing", "body", "corpse"):
        # "leading to the death of a bystander", "the bodies of three men were found"
        of_objects = [
            o for p in cue.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"
        ]
        if of_objects and of_objects[0].i not in counted:
            group = _group(of_objects[0])
            counted.update(t.i for t in group)
            return _sum_counts(group), [cue, *_phrase(group)]
    if cue.lemma_ in ("toll", "life", "fatality"):
        figure = _figure_near(cue)
        if figure is not None:
            return figure
    if cue.lemma_ in ("life",) or cue.head.lemma_ in SUFFERING_VERBS:
        sufferers = [c for c in cue.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if cue.lemma_ == "life" and cue.head.lemma_ in ("claim", "take", "cost"):
            sufferers = [
                p for prep in cue.children if prep.dep_ == "prep" for p in prep.children
            ] or [c for c in cue.head.children if c.dep_ == "dative"]
        if sufferers and sufferers[0].i not in counted:
            group = _group(sufferers[0])
            counted.update(t.i for t in group)
            return _sum_counts(group), [*_phrase(group), cue]
    return None


def _figure_near(cue: Token) -> tuple[int | None, list[Token]] | None:
    """The figure of a toll: "toll rose to 12", "toll of 12", "lives of 5", "coded as 12"."""
    places = [cue]
    for ancestor in cue.ancestors:
        places.append(ancestor)
        if ancestor.pos_ in ("VERB", "AUX"):
            break
    for place in places:
        for child in place.children:
            if child.dep_ == "prep":
                for obj in child.children:
                    if (
                        obj.dep_ == "pobj"
                        and _has_figure(obj)
                        and obj.lemma_.lower() not in SPLIT_UNITS
                    ):
                        return _np_count(obj), [cue, *obj.subtree]
            if (
                child.dep_ in ("attr", "dobj", "npadvmod")
                and child is not cue
                and _has_figure(child)
            ):
                return _np_count(child), [cue, *child.subtree]
    return None


def _has_figure(token: Token) -> bool:
    return is_number_word(token.text) or any(c.dep_ == "nummod" for c in token.children)


def _victims(cue: Token) -> list[Token]:
    """The head tokens of the people a verb or adjective cue says were killed or hurt."""
    modifies_noun = cue.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM")
    has_object = any(c.dep_ == "dobj" for c in cue.children)
    if cue.dep_ in ("amod", "acl") and modifies_noun and not has_object:
        return [cue.head]  # "12 wounded soldiers", "1 person being killed"
    before = cue.doc[cue.i - 1] if cue.i > 0 else None
    if (
        cue.pos_ == "ADJ"
        and before is not None
        and before.pos_ in ("NOUN", "NUM")
        and before.dep_ not in ("nsubj", "nsubjpass", "dobj")
    ):
        return [before]  # "resulted in 23 rebels dead"
    if cue.pos_ == "ADJ" or (cue.pos_ != "VERB" and cue.dep_ in ("oprd", "acomp", "advmod")):
        if cue.dep_ in ("oprd", "acomp", "xcomp", "advmod", "conj", "ccomp"):
            own = [c for c in cue.children if c.dep_ in ("nummod", "nsubj")]
            return own or _arguments(cue.head, active_object=True)
        own = [c for c in cue.children if c.dep_ in ("nummod", "npadvmod")]
        return own
    found = _arguments(cue, active_object=cue.lemma_ not in INTRANSITIVE_CUES)
    if not found and cue.dep_ in ("xcomp", "oprd") and cue.head.lemma_ in HEARSAY_VERBS:
        # "nine fighters were reported killed", "two are feared dead"
        found = [c for c in cue.head.children if c.dep_ in ("nsubjpass", "nsubj")][:1]
    companions = [
        obj
        for prep in cue.children
        if prep.lower_ in COMPANION_PREPOSITIONS and prep.dep_ == "prep"
        for obj in prep.children
        if obj.dep_ == "pobj"
    ] + _in_addition_to(cue)
    # A verb with an object of its own ("killed 15 livestock") does not share the first one's.
    own_object = any(c.dep_ == "dobj" and c.lemma_ not in TIME_NOUNS for c in cue.children)
    if not found and cue.dep_ == "conj" and not own_object:
        # "five were killed and seven wounded", "was abducted, shot and killed": the later
        # verbs share the first one's arguments.
        passive = any(c.dep_ == "auxpass" for c in cue.children)
        first = cue
        while (
            first.dep_ == "conj"
            and first.head.pos_ in ("VERB", "AUX")
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in first.children)
        ):
            first = first.head  # up to the nearest verb that has a subject of its own
        if first is not cue:
            found = (
                [c for c in cue.children if c.dep_ in ("nummod",)]
                or _subject_left_behind(cue, first)
                or _arguments(first, active_object=not passive)
            )
    return found + companions


def _subject_left_behind(cue: Token, first: Token) -> list[Token]:
    """ "Two people were killed and at least two more were injured": the parser hangs the
    second subject on the first clause; it stands right before the cue's own "were"."""
    auxiliary = next((c for c in cue.children if c.dep_ == "auxpass"), None)
    if auxiliary is None or auxiliary.i == 0:
        return []
    before = cue.doc[auxiliary.i - 1]
    if before.i > first.i and before.dep_ in ("conj", "appos") and _has_figure(before):
        return [before]
    return []


def _in_addition_to(cue: Token) -> list[Token]:
    """ "In addition to the assailant, two people were killed": the assailant is counted too."""
    found: list[Token] = []
    for prep in cue.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "besides", "apart"):
            continue
        for obj in prep.children:
            if prep.lower_ == "in" and obj.lower_ != "addition":
                continue
            if prep.lower_ == "besides":
                found.append(obj)
                continue
            found.extend(
                inner
                for to in obj.children
                if to.dep_ == "prep" and to.lower_ in ("to", "from")
                for inner in to.children
                if inner.dep_ == "pobj"
            )
    return found


def _arguments(verb: Token, active_object: bool) -> list[Token]:
    children = [
        c
        for c in verb.children
        if (c.ent_type_ not in NOT_VICTIM_ENTITIES or _person_taken_for_place(c))
        and c.lower_ not in MONTHS
        and c.lemma_ not in TIME_NOUNS
        and not (c.pos_ == "NOUN" and trigger_entry(c) is not None)
        and c.lemma_.lower() not in NOT_PEOPLE
    ]
    for dep in ("nsubjpass", "dobj") if active_object else ("nsubjpass", "nsubj"):
        found = [c for c in children if c.dep_ == dep]
        if len(found) > 1 and not _added(found):
            # Two subjects of one verb is a misparse ("in Sinop, Mato Grosso, a man was
            # killed"): the nearest is the victim.
            return [min(found, key=lambda c: abs(c.i - verb.i))]
        if found:
            return found
    if not active_object:
        return []
    # "Clashes killed at least 31": a bare figure the parser hangs as an adverbial.
    figures = [c for c in children if c.dep_ == "npadvmod" and c.pos_ == "NUM"]
    if figures and verb.pos_ == "VERB":
        return figures
    # "two people are dead", "two soldiers were found dead", "and 12 wounded"
    return [
        c
        for c in children
        if c.dep_ == "nsubj" and (verb.lemma_ in ("be", "remain", "lie") or verb.tag_ == "VBN")
    ]


def _added(heads: list[Token]) -> bool:
    # "4 people as well as 2 policemen were killed": the parser's two subjects add up.
    doc = heads[0].doc
    first, last = min(h.i for h in heads), max(h.i for h in heads)
    between = {t.lower_ for t in doc[first:last]}
    return bool(between & {"well", "plus", "and", "besides"})


def _person_taken_for_place(token: Token) -> bool:
    # "shot and killed Carmen Ofelia Cumbalaza" (tagged GPE): a name a cue acts on directly
    # is a person; places come in prepositional phrases.
    return (
        token.ent_type_ in ("GPE", "LOC", "FAC")
        and token.pos_ == "PROPN"
        and token.dep_ in ("dobj", "nsubjpass")
    )


def _group(head: Token) -> list[Token]:
    """The victim head and the heads conjoined with it ("three soldiers and five militants")."""
    group = [head]
    # A list of victims is joined by "and"; a bare comma chain is a place or title.
    listed = any(c.dep_ == "cc" for c in head.children) or any(
        c.dep_ == "cc" for conj in head.children if conj.dep_ == "conj" for c in conj.children
    )
    for child in head.children:
        if (
            listed
            and child.dep_ == "conj"
            and child.pos_ in ("NOUN", "PROPN", "PRON", "NUM")
            and child.ent_type_ not in NOT_VICTIM_ENTITIES
            and not (child.pos_ == "NOUN" and trigger_entry(child) is not None)
        ):
            group.extend(_group(child))
        if child.dep_ == "prep" and child.lower_ in COMPANION_PREPOSITIONS:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    group.extend(_group(obj))
        if listed and child.dep_ == "appos":
            # "Shahin, a former police chief, his son, and two others": the title is Shahin,
            # the people listed after it (each with its own determiner) are others.
            group.extend(
                other
                for other in child.children
                if other.dep_ == "conj"
                and other.pos_ == "NOUN"
                and any(c.dep_ in ("det", "poss", "nummod") for c in other.children)
            )
    return group


def _sum_counts(group: Sequence[Token]) -> int | None:
    total: int | None = None
    for head in group:
        total = _add(total, _np_count(head))
    return total


def _np_count(head: Token) -> int | None:
    """How many people a noun phrase headed by `head` names; None when it gives no figure."""
    lower = head.lower_
    if lower in NONE_WORDS:
        return 0
    if lower in ("they", "them") and head.pos_ == "PRON":
        return _pronoun_antecedent(head)
    if head.pos_ == "NUM" or (is_number_word(head.text) and head.pos_ != "DET"):
        return parse_count(_text(t for t in head.subtree if not _in_part_clause(t, head)))
    modifiers = [
        c for c in head.children if c.dep_ in ("nummod", "quantmod", "det", "amod", "advmod")
    ]
    if head.lemma_ in NUMBER_NOUNS or any(m.lower_ in VAGUE_WORDS for m in modifiers):
        return None
    for modifier in modifiers:
        if modifier.dep_ == "nummod" or is_number_word(modifier.text):
            return parse_count(_text(modifier.subtree))
    if head.tag_ == "NNS" and any(m.lower_ in ("the", "these", "those") for m in modifiers):
        return _antecedent_count(head)
    if lower in SINGLE_PRONOUNS:
        return 1
    if head.pos_ == "PROPN":
        return 1
    if head.tag_ in ("NN",) and head.pos_ == "NOUN":
        return 1
    return None


def _antecedent_count(head: Token) -> int | None:
    """The figure of the people a definite plural points back to, told in an earlier sentence:
    "abducted two police officers. The police officers were shot" -> 2; "The hostages",
    "the victims": the people of the latest counted object of a trigger verb."""
    generic = head.lemma_.lower() in REFERRING_NOUNS
    for token in reversed(head.doc[: head.sent.start]):
        if token.lemma_ == head.lemma_ and token.tag_ == "NNS":
            if any(c.dep_ == "nummod" for c in token.children):
                return _np_count(token)
        elif generic and token.dep_ == "dobj" and trigger_entry(token.head) is not None:
            counted = _sum_counts(_group(token))
            if counted is not None:
                return counted
    return None


def _pronoun_antecedent(pronoun: Token) -> int | None:
    """ "opened fire on the two assailants, ... killing them": the figure of the nearest
    counted plural before the pronoun, in its sentence or the one before."""
    sentence = pronoun.sent
    previous_start = sentence.start
    if sentence.start > 0:
        previous_start = pronoun.doc[sentence.start - 1].sent.start
    for token in reversed(pronoun.doc[previous_start : pronoun.i]):
        if (
            token.tag_ == "NNS"
            and trigger_entry(token) is None
            and token.lemma_ not in NOT_PEOPLE
            and any(c.dep_ == "nummod" for c in token.children)
        ):
            return _np_count(token)
    return None


def _in_part_clause(token: Token, head: Token) -> bool:
    # "6 civilians, including 2 women": the part is inside the total.
    if token == head:
        return False
    for ancestor in token.ancestors:
        if ancestor == head:
            return False
        if ancestor.dep_ == "prep":
            return True
    return False


def _negation(cue: Token) -> Token | None:
    """The word by which the text denies the casualties this cue names, if it does."""
    for child in cue.children:
        if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
            return child
    if cue.pos_ in ("VERB", "AUX", "ADJ"):
        victims = _arguments(cue, active_object=True) + [
            c for c in cue.children if c.dep_ == "nsubj"
        ]
        return next((v for v in victims if _np_count(v) == 0 and _says_none(v)), None)
    # Nouns: "without causing any casualties", "there were no reports of casualties".
    for ancestor in cue.ancestors:
        if ancestor.lower_ == "without":
            return ancestor
        for child in ancestor.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
                return child
        if ancestor.pos_ in ("VERB", "AUX") and ancestor.dep_ != "pcomp":
            break
    return None


def _says_none(victim: Token) -> bool:
    return victim.lower_ in NONE_WORDS or any(
        c.lower_ in ("no", "none") for c in victim.children if c.dep_ == "det"
    )


def _is_update(cue: Token) -> bool:
    # A toll, and the coder's own "fatalities coded as N" in ACLED notes, restate the total.
    restated = cue.head.lemma_ in UPDATE_VERBS and cue.dep_ in ("nsubj", "dobj")
    return cue.lemma_ in ("toll", "fatality") or restated


def _is_addition(cue: Token, tokens: Sequence[Token]) -> bool:
    # "One was killed and another injured": "another" standing for the victim is a contrast
    # inside the sentence, not a count on top of the story's earlier ones.
    words = {c.lower_ for c in cue.children if c.dep_ not in VICTIM_DEPS} | {
        c.lower_ for t in tokens for c in t.children if c.dep_ in ("det", "amod", "advmod")
    }
    return bool(words & ADDITION_WORDS)


def _phrase(group: Sequence[Token]) -> list[Token]:
    return [t for head in group for t in head.subtree]


def _text(tokens: Iterable[Token]) -> str:
    return " ".join(t.text for t in tokens)


def _add(total: int | None, value: int | None) -> int | None:
    if value is None:
        return total
    return value if total is None else total + value
