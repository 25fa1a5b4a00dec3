"""Per-dataset tallies: add one gold document and its prediction at a time, read the figures.

The scorers keep counts only (never the documents), so `sitrep eval` runs in
flat memory; `figures()` turns the counts into the rows of the eval table.
How each set departs from the defaults is in data/datasets.yaml.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

from sitrep.evaluation import metrics, names
from sitrep.evaluation.gold import (
    GoldDocument,
    GoldEvent,
    GoldPlace,
    GoldTimex,
    GoldToponym,
)
from sitrep.evaluation.metrics import PRF, LabelPairs, Rate
from sitrep.models import ACTOR_TYPES, DocumentResult, Event, Timex, Toponym

Matching = Literal["records", "mentions"]


@dataclass(frozen=True)
class Figure:
    """One row of the eval table: a value and the number of cases it is over."""

    section: str
    name: str
    value: float | None  # None: undefined, such as precision when nothing was predicted
    n: int
    kind: Literal["rate", "mean"] = "rate"


@dataclass(frozen=True)
class DatasetConventions:
    zero_means_none_reported: bool = False
    classification: bool = False
    matching: Matching = "records"
    canonical_actors: bool = False
    perpetrator: bool = False
    incident_type: str | None = None
    notes: tuple[str, ...] = ()


@cache
def _conventions_table() -> dict[str, Any]:
    text = resources.files("sitrep.evaluation").joinpath("data", "datasets.yaml").read_text("utf-8")
    loaded = yaml.safe_load(text) or {}
    return dict(loaded)


def conventions_of(dataset: str) -> DatasetConventions:
    entry = dict(_conventions_table().get(dataset) or {})
    entry["notes"] = tuple(entry.get("notes") or ())
    return DatasetConventions(**entry)


def _rate(section: str, name: str, rate: Rate) -> list[Figure]:
    value = rate.value
    return [] if value is None else [Figure(section, name, value, rate.n)]


def _prf(section: str, name: str, counts: PRF) -> list[Figure]:
    """Precision, recall and F1 rows; precision is undefined (n 0) when nothing was predicted."""
    if counts.tp + counts.fp + counts.fn == 0:
        return []
    return [
        Figure(section, f"{name} precision", counts.precision, counts.tp + counts.fp),
        Figure(section, f"{name} recall", counts.recall, counts.tp + counts.fn),
        Figure(section, f"{name} F1", counts.f1, counts.tp + counts.fp + counts.fn),
    ]


@dataclass
class EventScorer:
    """Event sets: detection, types, casualties, dates, places, actors, weapons, status."""

    conventions: DatasetConventions
    documents: int = 0
    pipeline_errors: int = 0
    predicted_events: Rate = field(default_factory=Rate)
    detection: PRF = field(default_factory=PRF)
    event_recall: Rate = field(default_factory=Rate)
    mention_recall: Rate = field(default_factory=Rate)
    attack_mention_recall: Rate = field(default_factory=Rate)
    event_type: Rate = field(default_factory=Rate)
    sub_event_type: Rate = field(default_factory=Rate)
    plover_type: Rate = field(default_factory=Rate)
    incident_type: Rate = field(default_factory=Rate)
    labels: LabelPairs = field(default_factory=LabelPairs)
    status: Rate = field(default_factory=Rate)
    fatalities: Rate = field(default_factory=Rate)
    injuries: Rate = field(default_factory=Rate)
    date_exact: Rate = field(default_factory=Rate)
    date_in_range: Rate = field(default_factory=Rate)
    date_in_gold_range: Rate = field(default_factory=Rate)
    country: Rate = field(default_factory=Rate)
    admin1: Rate = field(default_factory=Rate)
    within_near: Rate = field(default_factory=Rate)
    within_region: Rate = field(default_factory=Rate)
    place_name: Rate = field(default_factory=Rate)
    actor1: Rate = field(default_factory=Rate)
    actor2: Rate = field(default_factory=Rate)
    target: Rate = field(default_factory=Rate)
    canonical_actor1: Rate = field(default_factory=Rate)
    actor1_type: Rate = field(default_factory=Rate)
    named_perpetrator: Rate = field(default_factory=Rate)
    unknown_perpetrator: Rate = field(default_factory=Rate)
    weapon: Rate = field(default_factory=Rate)
    # Type fields the gold gives: shown (undefined, n 0) even before any pair matches.
    types_given: set[str] = field(default_factory=set)

    def add(self, gold: GoldDocument, result: DocumentResult) -> None:
        gold_events = gold.events or []
        predicted = result.events
        self.documents += 1
        self.pipeline_errors += bool(result.errors)
        self.predicted_events.hits += len(predicted)
        self.predicted_events.n += 1
        required = [event for event in gold_events if not event.optional]
        if required or not gold_events:
            self.detection.add(**vars(metrics.document_detection(bool(required), bool(predicted))))
        if self.conventions.matching == "mentions":
            assignment = self._match_mentions(gold_events, result)
        else:
            assignment = metrics.match_events(gold_events, predicted)
            for gold_event, index in zip(gold_events, assignment, strict=True):
                if not gold_event.optional:
                    self.event_recall.add(index is not None)
        for gold_event, index in zip(gold_events, assignment, strict=True):
            event = predicted[index] if index is not None else None
            if gold_event.optional and event is None:
                continue
            self._score_event(gold_event, event)
        if self.conventions.classification and len(gold_events) == 1:
            gold_label = gold_events[0].sub_event_type or metrics.NO_SUB_EVENT
            self.labels.add(gold_label, metrics.document_label(predicted))

    def _match_mentions(
        self, gold_events: Sequence[GoldEvent], result: DocumentResult
    ) -> list[int | None]:
        """Mention-level gold: a mention takes the best event whose sentences hold its trigger."""
        body = result.article.body
        sentences = [
            [event.sentence, *(body[start:end] for start, end in event.sentence_spans)]
            for event in result.events
        ]
        assignment: list[int | None] = []
        for gold_event in gold_events:
            found = [
                index
                for index in range(len(result.events))
                if gold_event.trigger
                and metrics.trigger_in_sentences(gold_event.trigger, sentences[index])
            ]
            best = max(
                found,
                key=lambda index: (
                    metrics.plover_matches(
                        gold_event.plover_type, result.events[index].plover_type
                    ),
                    result.events[index].confidence,
                    -index,
                ),
                default=None,
            )
            assignment.append(best)
            self.mention_recall.add(best is not None)
            if gold_event.plover_type == "ASSAULT":
                self.attack_mention_recall.add(
                    best is not None and result.events[best].plover_type == "ASSAULT"
                )
        return assignment

    def _score_event(self, gold: GoldEvent, event: Event | None) -> None:
        """Every field the gold event gives; no matched event is wrong on each of them."""
        for type_field in ("event_type", "sub_event_type", "plover_type"):
            if getattr(gold, type_field):
                self.types_given.add(type_field)
        if self.conventions.incident_type == "muc4" and gold.source_type:
            self.types_given.add("incident_type")
        if event is not None:
            if gold.event_type:
                self.event_type.add(metrics.label_matches(gold.event_type, event.event_type))
            if gold.sub_event_type:
                self.sub_event_type.add(
                    metrics.label_matches(gold.sub_event_type, event.sub_event_type)
                )
            if gold.plover_type:
                self.plover_type.add(metrics.plover_matches(gold.plover_type, event.plover_type))
            if self.conventions.incident_type == "muc4" and gold.source_type:
                self.incident_type.add(metrics.muc4_type_matches(gold.source_type, event))
        if gold.status:
            self.status.add(event is not None and metrics.status_matches(gold.status, event.status))
        zero_is_none = self.conventions.zero_means_none_reported
        if gold.fatalities is not None:
            self.fatalities.add(
                event is not None
                and metrics.count_matches(gold.fatalities, event.fatalities, zero_is_none)
            )
        if gold.injuries is not None:
            self.injuries.add(
                event is not None
                and metrics.count_matches(gold.injuries, event.injuries, zero_is_none)
            )
        self._score_date(gold, event)
        self._score_place(gold, event)
        self._score_actors(gold, event)
        if gold.weapon:
            classes = metrics.known_weapon_classes(gold.weapon)
            if classes:
                self.weapon.add(metrics.weapon_matches(classes, event.weapon if event else None))

    def _score_date(self, gold: GoldEvent, event: Event | None) -> None:
        if gold.date is not None:
            self.date_exact.add(event is not None and event.date == gold.date)
            span = metrics.predicted_range(event) if event else None
            self.date_in_range.add(metrics.day_within(gold.date, span))
        if gold.date_earliest is not None and gold.date_latest is not None:
            self.date_in_gold_range.add(
                event is not None
                and event.date is not None
                and metrics.day_within(event.date, (gold.date_earliest, gold.date_latest))
            )

    def _score_place(self, gold: GoldEvent, event: Event | None) -> None:
        place = gold.location
        if place is None:
            return
        location = event.location if event else None
        if place.country:
            self.country.add(metrics.country_matches(place.country, location))
        if place.admin1:
            self.admin1.add(metrics.admin1_matches(place.admin1, location))
        if place.lat is not None and place.lon is not None:
            distance = metrics.distance_km(
                place.lat,
                place.lon,
                location.lat if location else None,
                location.lon if location else None,
            )
            self.within_near.add(distance <= metrics.NEAR_KM)
            self.within_region.add(distance <= metrics.REGION_KM)
        elif place.name:
            self.place_name.add(metrics.place_name_f1(place, location))

    def _score_actors(self, gold: GoldEvent, event: Event | None) -> None:
        actor1 = event.actor1 if event else None
        # A gold name without a word in it (MUC-4 has "\\") names nobody: not scored.
        if gold.actor1 and names.tokens(gold.actor1):
            self.actor1.add(metrics.token_f1(gold.actor1, metrics.actor_name(actor1)))
            if self.conventions.canonical_actors:
                self.canonical_actor1.add(metrics.canonical_actor_matches(gold.actor1, actor1))
            if self.conventions.perpetrator:
                self.named_perpetrator.add(metrics.perpetrator_matches(gold.actor1, actor1))
        elif self.conventions.perpetrator and not gold.actor1:
            self.unknown_perpetrator.add(event is not None and not metrics.is_named_group(actor1))
        if gold.actor2 and names.tokens(gold.actor2):
            actor2 = event.actor2 if event else None
            self.actor2.add(metrics.token_f1(gold.actor2, metrics.actor_name(actor2)))
        if gold.target and names.tokens(gold.target):
            self.target.add(metrics.token_f1(gold.target, event.target if event else None))
        inter1 = str((gold.raw or {}).get("inter1", "")).strip()
        if inter1.isdigit() and int(inter1) in ACTOR_TYPES:
            self.actor1_type.add(metrics.actor_type_matches(inter1, actor1, ACTOR_TYPES))

    def _type_rate(self, name: str, type_field: str) -> list[Figure]:
        rate: Rate = getattr(self, type_field)
        if rate.n == 0 and type_field in self.types_given:
            return [Figure("types", name, None, 0)]
        return _rate("types", name, rate)

    def figures(self) -> list[Figure]:
        rows = [
            *_prf("events", "detection (per document)", self.detection),
            *_rate("events", "gold events found (one-to-one)", self.event_recall),
            *_rate(
                "events",
                "gold mentions found (trigger in an event's sentences)",
                self.mention_recall,
            ),
            *_rate(
                "events", "attack mentions found in an ASSAULT event", self.attack_mention_recall
            ),
        ]
        if self.predicted_events.n:
            rows.append(
                Figure(
                    "events",
                    "predicted events per document",
                    self.predicted_events.value or 0.0,
                    self.predicted_events.n,
                    "mean",
                )
            )
        rows += [
            *self._type_rate("event_type accuracy (matched pairs)", "event_type"),
            *self._type_rate("sub_event_type accuracy (matched pairs)", "sub_event_type"),
            *self._type_rate("plover_type accuracy (matched pairs)", "plover_type"),
            *self._type_rate("MUC-4 incident type accuracy (matched pairs)", "incident_type"),
        ]
        macro, weighted = metrics.classification_f1(self.labels.pairs)
        if macro is not None and weighted is not None:
            n = len(self.labels.pairs)
            rows.append(Figure("types", "sub-event macro-F1 (one label a document)", macro, n))
            rows.append(
                Figure("types", "sub-event weighted F1 (one label a document)", weighted, n)
            )
        rows += [
            *_rate("status", "status accuracy", self.status),
            *_rate("casualties", "fatalities exact", self.fatalities),
            *_rate("casualties", "injuries exact", self.injuries),
            *_rate("dates", "date exact day", self.date_exact),
            *_rate("dates", "gold day within predicted range", self.date_in_range),
            *_rate("dates", "predicted day within gold range", self.date_in_gold_range),
            *_rate("places", "country accuracy", self.country),
            *_rate("places", "admin1 accuracy", self.admin1),
            *_rate("places", f"within {metrics.NEAR_KM:g} km", self.within_near),
            *_rate("places", f"within {metrics.REGION_KM:g} km", self.within_region),
            *_rate("places", "place name token F1 (no gold coordinates)", self.place_name),
            *_rate("actors", "actor1 token F1", self.actor1),
            *_rate("actors", "actor2 token F1", self.actor2),
            *_rate("actors", "target token F1", self.target),
            *_rate("actors", "canonical actor1 exact", self.canonical_actor1),
            *_rate("actors", "actor1 type vs ACLED inter1", self.actor1_type),
            *_rate("actors", "named perpetrator exact or alias", self.named_perpetrator),
            *_rate(
                "actors", "Unknown perpetrator not given a named group", self.unknown_perpetrator
            ),
            *_rate("weapons", "weapon class accuracy", self.weapon),
        ]
        return rows


def _spans(
    items: Sequence[Toponym | Timex] | Sequence[GoldToponym] | Sequence[GoldTimex],
) -> list[metrics.Span]:
    return [(item.start, item.end) for item in items]


@dataclass
class ToponymScorer:
    """Geoparsing sets: span precision/recall/F1 and distance of the recalled toponyms."""

    documents: int = 0
    exact: PRF = field(default_factory=PRF)
    overlapping: PRF = field(default_factory=PRF)
    exact_within: Rate = field(default_factory=Rate)
    overlapping_within: Rate = field(default_factory=Rate)

    def add(self, gold: GoldDocument, predicted: Sequence[Toponym]) -> None:
        self.documents += 1
        gold_toponyms = gold.toponyms or []
        gold_spans, predicted_spans = _spans(gold_toponyms), _spans(predicted)
        for exact, counts, within in (
            (True, self.exact, self.exact_within),
            (False, self.overlapping, self.overlapping_within),
        ):
            pairs = metrics.match_spans(gold_spans, predicted_spans, exact)
            counts.add(
                tp=len(pairs),
                fp=len(predicted_spans) - len(pairs),
                fn=len(gold_spans) - len(pairs),
            )
            for gold_index, predicted_index in pairs:
                toponym, guess = gold_toponyms[gold_index], predicted[predicted_index]
                if toponym.lat is None or toponym.lon is None:
                    continue
                distance = metrics.distance_km(toponym.lat, toponym.lon, guess.lat, guess.lon)
                within.add(distance <= metrics.REGION_KM)

    def figures(self) -> list[Figure]:
        region = f"{metrics.REGION_KM:g} km"
        return [
            *_prf("toponyms", "exact spans", self.exact),
            *_rate("toponyms", f"within {region} (exact spans recalled)", self.exact_within),
            *_prf("toponyms", "overlapping spans", self.overlapping),
            *_rate(
                "toponyms", f"within {region} (overlapping spans recalled)", self.overlapping_within
            ),
        ]


@dataclass
class TimexScorer:
    """TempEval-3: recall of gold date expressions and exact TIMEX3 values."""

    documents: int = 0
    predicted: PRF = field(default_factory=PRF)
    date_recall: Rate = field(default_factory=Rate)
    date_exact_recall: Rate = field(default_factory=Rate)
    date_value_of_gold: Rate = field(default_factory=Rate)
    date_value_of_recalled: Rate = field(default_factory=Rate)
    all_recall: Rate = field(default_factory=Rate)

    def add(self, gold: GoldDocument, predicted: Sequence[Timex]) -> None:
        self.documents += 1
        timexes = gold.timexes or []
        gold_spans, predicted_spans = _spans(timexes), _spans(predicted)
        pairs = dict(metrics.match_spans(gold_spans, predicted_spans, exact=False))
        exact_pairs = dict(metrics.match_spans(gold_spans, predicted_spans, exact=True))
        self.predicted.add(
            tp=len(pairs), fp=len(predicted_spans) - len(pairs), fn=len(gold_spans) - len(pairs)
        )
        for index, timex in enumerate(timexes):
            found = pairs.get(index)
            self.all_recall.add(found is not None)
            if timex.type != "DATE":
                continue
            self.date_recall.add(found is not None)
            self.date_exact_recall.add(index in exact_pairs)
            right_value = found is not None and predicted[found].value == timex.value
            self.date_value_of_gold.add(right_value)
            if found is not None:
                self.date_value_of_recalled.add(right_value)

    def figures(self) -> list[Figure]:
        return [
            *_rate("timexes", "DATE recall (overlapping span)", self.date_recall),
            *_rate("timexes", "DATE recall (exact span)", self.date_exact_recall),
            *_rate("timexes", "DATE value exact (of all gold DATE)", self.date_value_of_gold),
            *_rate("timexes", "DATE value exact (of recalled DATE)", self.date_value_of_recalled),
            *_rate("timexes", "all types recall (overlapping span)", self.all_recall),
            *_prf("timexes", "all types spans (overlapping)", self.predicted),
        ]


@dataclass
class PlaceNameScorer:
    """UCDP place names: the resolved point's distance from UCDP's coordinates."""

    documents: int = 0
    resolved: Rate = field(default_factory=Rate)
    within_near: Rate = field(default_factory=Rate)
    within_region: Rate = field(default_factory=Rate)
    exact_places_within_near: Rate = field(default_factory=Rate)

    def add(self, gold: GoldPlace, predicted: Toponym | None) -> None:
        self.documents += 1
        lat = predicted.lat if predicted else None
        lon = predicted.lon if predicted else None
        distance = metrics.distance_km(gold.lat, gold.lon, lat, lon)
        self.resolved.add(not math.isinf(distance))
        self.within_near.add(distance <= metrics.NEAR_KM)
        self.within_region.add(distance <= metrics.REGION_KM)
        if gold.where_prec == 1:
            self.exact_places_within_near.add(distance <= metrics.NEAR_KM)

    def figures(self) -> list[Figure]:
        near = f"{metrics.NEAR_KM:g} km"
        return [
            *_rate("places", "resolved to a point", self.resolved),
            *_rate("places", f"within {near}", self.within_near),
            *_rate("places", f"within {metrics.REGION_KM:g} km", self.within_region),
            *_rate(
                "places",
                f"within {near} (where_prec 1: the exact place)",
                self.exact_places_within_near,
            ),
        ]
