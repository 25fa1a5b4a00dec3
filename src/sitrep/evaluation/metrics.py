"""The figures of `sitrep eval` as pure functions over one gold/prediction pair at a time.

Each function compares a gold value (evaluation/gold.py) with what sitrep
predicted (models.py) and returns a count, a truth value or a score; scoring.py
adds them up per dataset. Nothing here reads files or runs the pipeline.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sitrep.actors import actor_matches
from sitrep.evaluation import names
from sitrep.evaluation.gold import GoldEvent, GoldLocation
from sitrep.models import Actor, Event, Location

EARTH_RADIUS_KM = 6371.0088
NEAR_KM = 25.0
# 100 miles: the geoparsing literature's "accuracy at 161 km".
REGION_KM = 161.0
# The class of a classification-set document for which no ACLED sub-event is coded.
NO_SUB_EVENT = "none"
# Actor names that name no group (ACLED's generic actors); anything else counts as named.
UNNAMED_ACTOR_HEADS = (
    "unidentified",
    "unknown",
    "unnamed",
    "unspecified",
    "civilians",
    "protesters",
    "rioters",
)


@dataclass
class Rate:
    """A share: `hits` of `n` cases (hits may be fractional for mean scores)."""

    hits: float = 0.0
    n: int = 0

    def add(self, hit: bool | float) -> None:
        self.hits += float(hit)
        self.n += 1

    @property
    def value(self) -> float | None:
        return self.hits / self.n if self.n else None


@dataclass
class PRF:
    """True positives, false positives and false negatives with their precision, recall, F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """2TP / (2TP + FP + FN): the harmonic mean, 0 when nothing is right."""
        cases = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / cases if cases else None


@dataclass
class LabelPairs:
    """(gold, predicted) labels of a single-label classification, for macro and weighted F1."""

    pairs: list[tuple[str, str]] = field(default_factory=list)

    def add(self, gold: str, predicted: str) -> None:
        self.pairs.append((gold, predicted))


# ---------------------------------------------------------------- detection


def document_detection(gold_has_event: bool, predicted_has_event: bool) -> PRF:
    """Per-document detection: any gold event against any predicted event."""
    return PRF(
        tp=int(gold_has_event and predicted_has_event),
        fp=int(predicted_has_event and not gold_has_event),
        fn=int(gold_has_event and not predicted_has_event),
    )


def match_events(gold: Sequence[GoldEvent], predicted: Sequence[Event]) -> list[int | None]:
    """For each gold event, the index of the predicted event that stands for it, or None.

    One gold event takes at most one predicted event and the other way round.
    Required gold events choose first (MUC-4 optional templates last), in their
    order; each takes the unused predicted event ranked by: same sub_event_type,
    then same event_type, then same plover_type, then how far the arguments
    agree (`argument_agreement`: tells apart the several incidents of one
    message), then highest confidence, then earliest in the document.
    """
    order = sorted(range(len(gold)), key=lambda index: gold[index].optional)
    used: set[int] = set()
    assignment: list[int | None] = [None] * len(gold)
    for gold_index in order:
        candidates = [index for index in range(len(predicted)) if index not in used]
        if not candidates:
            break
        best = max(candidates, key=lambda index: _match_rank(gold[gold_index], predicted, index))
        assignment[gold_index] = best
        used.add(best)
    return assignment


def _match_rank(gold: GoldEvent, predicted: Sequence[Event], index: int) -> tuple[int, ...]:
    event = predicted[index]
    return (
        int(_same_label(gold.sub_event_type, event.sub_event_type)),
        int(_same_label(gold.event_type, event.event_type)),
        int(plover_matches(gold.plover_type, event.plover_type)),
        round(argument_agreement(gold, event) * 1000),
        round(event.confidence * 1000),
        -index,
    )


def argument_agreement(gold: GoldEvent, event: Event) -> float:
    """How far a predicted event's date, place, actors, target and counts agree with gold's."""
    score = 0.0
    if gold.date is not None:
        score += day_within(gold.date, predicted_range(event))
    if gold.location is not None and event.location is not None:
        place, location = gold.location, event.location
        if place.lat is not None and place.lon is not None:
            distance = distance_km(place.lat, place.lon, location.lat, location.lon)
            score += distance <= NEAR_KM
        elif place.name:
            score += token_f1(place.name, location.name)
    if gold.actor1:
        score += token_f1(gold.actor1, actor_name(event.actor1))
    if gold.target:
        score += token_f1(gold.target, event.target)
    for gold_count, count in ((gold.fatalities, event.fatalities), (gold.injuries, event.injuries)):
        score += gold_count is not None and gold_count == count
    return score


def _same_label(gold: str | None, predicted: str | None) -> bool:
    return gold is not None and predicted is not None and names.fold(gold) == names.fold(predicted)


def label_matches(gold: str | None, predicted: str | None) -> bool:
    """An ACLED type or sub-event type, compared without case or spacing differences."""
    return _same_label(gold, predicted)


def plover_matches(gold: str | None, predicted: str | None) -> bool:
    """PLOVER types in current spelling (older gold FIGHT, DEMAND, ... mapped)."""
    if gold is None or predicted is None:
        return False
    return names.plover_type(gold) == names.plover_type(predicted)


def trigger_in_sentences(trigger: str, sentences: Sequence[str]) -> bool:
    """A gold trigger mention is found when it occurs as whole words in one of the sentences."""
    wanted = names.fold(trigger)
    if not wanted:
        return False
    return any(f" {wanted} " in f" {names.fold(sentence)} " for sentence in sentences)


# ---------------------------------------------------------------- classification


def document_label(predicted: Sequence[Event]) -> str:
    """The one label of a document: the sub-event type of its most confident ACLED event.

    Chosen without looking at the gold label, so coding many events does not help.
    """
    typed = [event for event in predicted if event.sub_event_type]
    if not typed:
        return NO_SUB_EVENT
    best = max(typed, key=lambda event: event.confidence)  # first wins a tie
    return best.sub_event_type or NO_SUB_EVENT


def classification_f1(pairs: Sequence[tuple[str, str]]) -> tuple[float | None, float | None]:
    """Macro-F1 over every class seen in gold or prediction, and F1 weighted by gold support."""
    if not pairs:
        return None, None
    gold_counts = Counter(gold for gold, _ in pairs)
    predicted_counts = Counter(predicted for _, predicted in pairs)
    correct = Counter(gold for gold, predicted in pairs if gold == predicted)
    classes = sorted(set(gold_counts) | set(predicted_counts))
    f1_of: dict[str, float] = {}
    for label in classes:
        tp = correct[label]
        precision = tp / predicted_counts[label] if predicted_counts[label] else 0.0
        recall = tp / gold_counts[label] if gold_counts[label] else 0.0
        total = precision + recall
        f1_of[label] = 2 * precision * recall / total if total else 0.0
    macro = sum(f1_of.values()) / len(classes)
    weighted = sum(f1_of[label] * gold_counts[label] for label in gold_counts) / len(pairs)
    return macro, weighted


def muc4_incident_type(event: Event) -> str:
    """The MUC-4 incident type a predicted event amounts to (data/muc4_incident_types.tsv)."""
    if event.weapon and names.weapon_class(event.weapon) == "Incendiary":
        return "ARSON"
    if event.sub_event_type:
        mapped = names.muc4_incident_types().get(names.fold(event.sub_event_type))
        if mapped:
            return mapped
    return "ATTACK" if event.plover_type == "ASSAULT" else "OTHER"


def muc4_type_matches(gold_type: str, event: Event) -> bool:
    """A gold "BOMBING / ATTACK" accepts either type."""
    allowed = {part.strip().upper() for part in gold_type.split("/")}
    return muc4_incident_type(event) in allowed


# ---------------------------------------------------------------- counts, dates, status


def count_matches(gold: int, predicted: int | None, zero_means_none_reported: bool) -> bool:
    """Exact match of a casualty count; null and 0 differ unless 0 means "none reported"."""
    if predicted is None:
        return zero_means_none_reported and gold == 0
    return predicted == gold


def predicted_range(event: Event) -> tuple[date, date] | None:
    """The days a predicted event may have happened on: its range, else its one day."""
    earliest = event.date_earliest or event.date
    latest = event.date_latest or event.date
    if earliest is None or latest is None:
        return None
    return (earliest, latest) if earliest <= latest else (latest, earliest)


def day_within(day: date, span: tuple[date, date] | None) -> bool:
    return span is not None and span[0] <= day <= span[1]


def status_matches(gold: str, predicted: str) -> bool:
    return names.fold(gold) == names.fold(predicted)


# ---------------------------------------------------------------- places


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distance_km(gold_lat: float, gold_lon: float, lat: float | None, lon: float | None) -> float:
    """Distance of a predicted point from gold; infinite when nothing was predicted."""
    if lat is None or lon is None:
        return math.inf
    return haversine_km(gold_lat, gold_lon, lat, lon)


def country_matches(gold: str, predicted: Location | None) -> bool:
    """Country by ISO3 where either side's name is known to pycountry or our table."""
    if predicted is None:
        return False
    allowed = names.country_keys(gold)
    keys = {names.country_key(value) for value in (predicted.iso3, predicted.country) if value}
    return bool(allowed & keys)


def admin1_matches(gold: str, predicted: Location | None) -> bool:
    if predicted is None or predicted.admin1 is None:
        return False
    return names.admin1_key(gold) == names.admin1_key(predicted.admin1)


def place_name_f1(gold: GoldLocation, predicted: Location | None) -> float:
    """Token F1 of the place name (for sets that give a name but no coordinates)."""
    return token_f1(gold.name or "", predicted.name if predicted else None)


# ---------------------------------------------------------------- actors, weapons


def token_f1(gold: str, predicted: str | None) -> float:
    """Case-insensitive token-overlap F1 (each token counted as often as it occurs)."""
    gold_tokens = names.tokens(gold)
    predicted_tokens = names.tokens(predicted or "")
    if not gold_tokens and not predicted_tokens:
        return 1.0
    common = sum((Counter(gold_tokens) & Counter(predicted_tokens)).values())
    if not common:
        return 0.0
    precision = common / len(predicted_tokens)
    recall = common / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def actor_name(actor: Actor | None) -> str | None:
    return actor.name if actor is not None else None


def canonical_actor_matches(gold: str, predicted: Actor | None) -> bool:
    """Exact canonical name after case, accents, spacing and ACLED's "(2019-)" period."""
    return predicted is not None and names.actor_key(gold) == names.actor_key(predicted.name)


def actor_type_matches(gold_code: str, predicted: Actor | None, types: dict[int, str]) -> bool:
    """ACLED interaction code (gold `inter1`) against the predicted actor type name."""
    if predicted is None or predicted.type is None or not gold_code.strip().isdigit():
        return False
    expected = types.get(int(gold_code))
    return expected is not None and names.fold(expected) == names.fold(predicted.type)


def is_named_group(actor: Actor | None) -> bool:
    """True when the actor is a named group, not "Unidentified Armed Group (Iraq)" or nothing."""
    if actor is None or not actor.name.strip():
        return False
    return not names.fold(actor.name).startswith(UNNAMED_ACTOR_HEADS)


def perpetrator_matches(gold: str, predicted: Actor | None) -> bool:
    """GTD group name: exact or alias match.

    Aliases are the name's parts outside and inside brackets ("ISIL"), and the
    aliases the actor dictionary knows for the coded name (`sitrep.actors`).
    """
    if predicted is None:
        return False
    predicted_keys = names.actor_aliases(predicted.name)
    if predicted.raw:
        predicted_keys |= names.actor_aliases(predicted.raw)
    if names.actor_aliases(gold) & predicted_keys:
        return True
    gold_forms = {gold, *re.findall(r"\(([^()]*)\)", gold), re.sub(r"\([^()]*\)", " ", gold)}
    return any(actor_matches(predicted.name, form.strip()) for form in gold_forms if form.strip())


def known_weapon_classes(gold: str) -> set[str]:
    """The weapon classes a gold weapon allows; empty when the set does not know the weapon."""
    classes = set()
    for part in gold.split("/"):
        weapon_class = names.weapon_class(part)
        if weapon_class is not None:
            classes.add(weapon_class)
    return classes


def weapon_matches(gold_classes: set[str], predicted: str | None) -> bool:
    return predicted is not None and names.weapon_class(predicted) in gold_classes


# ---------------------------------------------------------------- spans


Span = tuple[int, int]


def overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(gold: Sequence[Span], predicted: Sequence[Span], exact: bool) -> list[Span]:
    """One-to-one (gold index, predicted index) pairs; duplicates of a prediction do not count.

    `exact` pairs identical offsets only; otherwise any overlap pairs, largest overlap first.
    """
    if exact:
        free: dict[Span, list[int]] = {}
        for index, span in enumerate(predicted):
            free.setdefault(span, []).append(index)
        pairs = []
        for gold_index, span in enumerate(gold):
            if free.get(span):
                pairs.append((gold_index, free[span].pop(0)))
        return pairs
    candidates = sorted(
        (
            (overlap(gold_span, predicted_span), gold_index, predicted_index)
            for gold_index, gold_span in enumerate(gold)
            for predicted_index, predicted_span in enumerate(predicted)
            if overlap(gold_span, predicted_span) > 0
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs = []
    for _, gold_index, predicted_index in candidates:
        if gold_index in used_gold or predicted_index in used_predicted:
            continue
        used_gold.add(gold_index)
        used_predicted.add(predicted_index)
        pairs.append((gold_index, predicted_index))
    return sorted(pairs)


def span_counts(gold: Sequence[Span], predicted: Sequence[Span], exact: bool) -> PRF:
    matched = len(match_spans(gold, predicted, exact))
    return PRF(tp=matched, fp=len(predicted) - matched, fn=len(gold) - matched)
