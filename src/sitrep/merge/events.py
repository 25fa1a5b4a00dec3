"""Whether two events from different documents report the same happening.

Rules, in the order tried (settings.yaml holds the thresholds):
  near_duplicate_documents  the two articles are near-duplicates and the events
                            agree on type family, with no conflicting date, place
                            or actor;
  same_happening            same type family, overlapping date ranges (neither
                            longer than max_range_days), places
                            within a few km or one inside the other (same admin1
                            with a precision-3 side), compatible actors.
A match carries its reasons, so `sitrep events show ID` can explain the merge.
The store turns matches into clusters whose canonical id is the smallest uid.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import yaml

FAMILIES_PATH = Path(__file__).with_name("type_families.tsv")
SETTINGS_PATH = Path(__file__).with_name("settings.yaml")
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class MergeSettings:
    max_distance_km: float
    date_slack_days: int
    max_range_days: int


@dataclass(frozen=True)
class EventMatch:
    """Why two events were merged: the rule and the figures it looked at."""

    rule: str
    distance_km: float | None
    overlap_days: int | None
    detail: dict[str, Any]


class NamedActor(Protocol):
    """What the merge reads of an actor (`sitrep.models.Actor` is one)."""

    @property
    def name(self) -> str: ...


class MergeablePlace(Protocol):
    """What the merge reads of a place (`sitrep.models.Location` is one)."""

    @property
    def name(self) -> str: ...
    @property
    def admin1(self) -> str | None: ...
    @property
    def country(self) -> str | None: ...
    @property
    def iso3(self) -> str | None: ...
    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...
    @property
    def geonameid(self) -> int | None: ...
    @property
    def geo_precision(self) -> int: ...


class MergeableEvent(Protocol):
    """What the merge reads of an event (`sitrep.models.Event` is one; the store
    compares its stored events as rows of these fields, without decoding records)."""

    @property
    def event_type(self) -> str | None: ...
    @property
    def sub_event_type(self) -> str | None: ...
    @property
    def plover_type(self) -> str: ...
    @property
    def date(self) -> dt.date | None: ...
    @property
    def date_earliest(self) -> dt.date | None: ...
    @property
    def date_latest(self) -> dt.date | None: ...
    @property
    def actor1(self) -> NamedActor | None: ...
    @property
    def actor2(self) -> NamedActor | None: ...
    @property
    def location(self) -> MergeablePlace | None: ...


@lru_cache(maxsize=1)
def merge_settings() -> MergeSettings:
    data = yaml.safe_load(SETTINGS_PATH.read_text(encoding="utf-8"))["same_happening"]
    return MergeSettings(
        max_distance_km=float(data["max_distance_km"]),
        date_slack_days=int(data["date_slack_days"]),
        max_range_days=int(data["max_range_days"]),
    )


@lru_cache(maxsize=1)
def type_families() -> dict[str, str]:
    families: dict[str, str] = {}
    for line in FAMILIES_PATH.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, family = line.split("\t")
        families[key.strip()] = family.strip()
    return families


def event_family(event: MergeableEvent) -> str | None:
    """The disorder family of an event: its ACLED type's, else its PLOVER type's."""
    families = type_families()
    if event.event_type is not None and event.event_type in families:
        return families[event.event_type]
    return families.get(event.plover_type)


def date_range(event: MergeableEvent) -> tuple[dt.date, dt.date] | None:
    earliest = event.date_earliest or event.date or event.date_latest
    latest = event.date_latest or event.date or event.date_earliest
    if earliest is None or latest is None:
        return None
    return earliest, latest


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def _overlap_days(
    range_a: tuple[dt.date, dt.date] | None,
    range_b: tuple[dt.date, dt.date] | None,
    settings: MergeSettings,
) -> int | None:
    """Days the two ranges share (>= 1), or None when apart, undated or too vague."""
    if range_a is None or range_b is None:
        return None
    for start, end in (range_a, range_b):
        if (end - start).days + 1 > settings.max_range_days:
            return None
    shared = (min(range_a[1], range_b[1]) - max(range_a[0], range_b[0])).days + 1
    return shared if shared >= 1 - settings.date_slack_days else None


def _same_text(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.casefold() == b.casefold()


def _place_relation(
    a: MergeablePlace, b: MergeablePlace, max_km: float
) -> tuple[str, float | None] | None:
    """How two places fit together ('within 3.2 km', 'same place', containment) or None."""
    distance = None
    if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
        distance = haversine_km(a.lat, a.lon, b.lat, b.lon)
    same_country = _same_text(a.country, b.country) or _same_text(a.iso3, b.iso3)
    if (a.country or b.country) and not same_country:
        return None
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return "same place (geonameid)", distance
    precise = a.geo_precision < 3 and b.geo_precision < 3
    if precise and distance is not None:
        if distance <= max_km:
            return f"within {distance:.1f} km", distance
        return None
    if precise and _same_text(a.name, b.name):
        return "same place name", distance
    if _same_text(a.admin1, b.admin1) and not precise:
        inner, outer = (a, b) if a.geo_precision <= b.geo_precision else (b, a)
        return f"{inner.name} inside {outer.name} (admin1 {outer.admin1})", distance
    return None


def _actors_compatible(a: NamedActor | None, b: NamedActor | None) -> tuple[bool, str]:
    if a is None or b is None:
        return True, "one side unnamed"
    left, right = a.name.casefold(), b.name.casefold()
    if left == right:
        return True, f"same ({a.name})"
    if left in right or right in left:
        return True, f"{a.name} ~ {b.name}"
    return False, f"{a.name} vs {b.name}"


def match_events(
    a: MergeableEvent,
    b: MergeableEvent,
    near_duplicate_documents: bool,
    settings: MergeSettings | None = None,
) -> EventMatch | None:
    """The rule under which `a` and `b` are one happening, or None.

    Symmetric in `a` and `b`, so the merge does not depend on input order.
    """
    settings = settings or merge_settings()
    family = event_family(a)
    if family is None or family != event_family(b):
        return None
    detail: dict[str, Any] = {"family": family}
    for role in ("actor1", "actor2"):
        compatible, note = _actors_compatible(getattr(a, role), getattr(b, role))
        if not compatible:
            return None
        detail[role] = note
    range_a, range_b = date_range(a), date_range(b)
    overlap = _overlap_days(range_a, range_b, settings)
    dated = range_a is not None and range_b is not None
    detail["date_overlap_days"] = overlap
    relation = None
    if a.location is not None and b.location is not None:
        relation = _place_relation(a.location, b.location, settings.max_distance_km)
    located = a.location is not None and b.location is not None
    distance = relation[1] if relation else None
    detail["place"] = relation[0] if relation else None
    detail["distance_km"] = None if distance is None else round(distance, 3)

    if near_duplicate_documents:
        # Wire copies: agreeing types suffice unless a date or place says otherwise.
        if (dated and overlap is None) or (located and relation is None):
            return None
        if a.sub_event_type != b.sub_event_type:
            return None
        detail["rule"] = "near_duplicate_documents"
        return EventMatch("near_duplicate_documents", distance, overlap, detail)
    if overlap is None or relation is None:
        return None
    detail["rule"] = "same_happening"
    return EventMatch("same_happening", distance, overlap, detail)


# A member of a happening to explain: (uid, document key, event).
Member = tuple[str, int, MergeableEvent]
# Whether two members match, and how (`joining_matches`).
Pairing = Callable[[Member, Member], EventMatch | None]

# Up to this many members a happening is explained by its strongest matches (every
# pair tested); a larger one breadth-first, swept in time (`_breadth_first_tree`).
STRONGEST_JOINS_AT_MOST = 100


def joining_matches(
    members: Sequence[Member],
    near_duplicate_documents: Collection[tuple[int, int]],
    settings: MergeSettings | None = None,
) -> list[tuple[str, str, EventMatch]]:
    """Why a happening's members are one: a match for each member but one.

    `members` are (uid, document key, event); `near_duplicate_documents` the pairs of
    their documents that are near-duplicates. The matches kept are a spanning tree
    of the members: the strongest (`join_strength`) when the happening has up to
    STRONGEST_JOINS_AT_MOST members, else those found breadth-first from the
    smallest uid. Either way the answer depends on the members alone, never on the
    order they were stored in. Events of one document never match each other, as
    when they were stored; a member that no longer matches (the rules changed since
    it was merged) is left without one. Returns (uid, uid, match), the smaller uid
    first, in uid order.
    """
    near = {frozenset(pair) for pair in near_duplicate_documents}
    ordered = sorted(members, key=lambda member: member[0])

    def match(a: Member, b: Member) -> EventMatch | None:
        if a[1] == b[1]:
            return None
        return match_events(a[2], b[2], frozenset((a[1], b[1])) in near, settings)

    if len(ordered) <= STRONGEST_JOINS_AT_MOST:
        joins = _strongest_tree(ordered, match)
    else:
        joins = _breadth_first_tree(ordered, match, settings or merge_settings())
    return sorted(joins, key=lambda join: (join[0], join[1]))


def join_strength(match: EventMatch) -> tuple[int, int, float]:
    """How telling a match is, the strongest least: wire copies, then two places
    located apart by a distance (nearest first), then one place inside the other."""
    inside = match.distance_km is None or " inside " in str(match.detail.get("place"))
    distance = match.distance_km if match.distance_km is not None else math.inf
    return int(match.rule != "near_duplicate_documents"), int(inside), distance


def _strongest_tree(ordered: list[Member], match: Pairing) -> list[tuple[str, str, EventMatch]]:
    # Kruskal: every matching pair, strongest first, kept when it joins two parts.
    pairs = []
    for index, a in enumerate(ordered):
        for b in ordered[index + 1 :]:
            found = match(a, b)
            if found is not None:
                pairs.append((join_strength(found), a[0], b[0], found))
    pairs.sort(key=lambda pair: pair[:3])
    parent = {uid: uid for uid, _, _ in ordered}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = node = parent[parent[node]]
        return node

    joins = []
    for _, uid_a, uid_b, found in pairs:
        low, high = sorted((root(uid_a), root(uid_b)))
        if low != high:
            parent[high] = low
            joins.append((uid_a, uid_b, found))
    return joins


def _breadth_first_tree(
    ordered: list[Member], match: Pairing, settings: MergeSettings
) -> list[tuple[str, str, EventMatch]]:
    """Each member reached is tested against those not yet reached that its dates may
    share days with (two dated events match under no rule when their ranges are apart):
    a happening of thousands of reports spread over months is explained in a sweep of
    the reports near each in time, not in a test of every pair."""
    slack = dt.timedelta(days=settings.date_slack_days)
    earliest = slack + dt.timedelta(days=max(settings.max_range_days - 1, 0))
    # Each member's range, None when undated or reversed: such a member is tested by all.
    spans = {}
    for member in ordered:
        span = date_range(member[2])
        spans[member[0]] = None if span is None or span[0] > span[1] else span
    # The dated members by range start, with their ends.
    unreached_dated: list[tuple[dt.date, str, Member, dt.date]] = []
    unreached_undated: list[Member] = []
    for member in ordered[1:]:
        if (span := spans[member[0]]) is None:
            unreached_undated.append(member)
        else:
            unreached_dated.append((span[0], member[0], member, span[1]))
    unreached_dated.sort(key=lambda entry: (entry[0], entry[1]))
    frontier = deque(ordered[:1])
    joins: list[tuple[str, str, EventMatch]] = []
    while frontier and (unreached_dated or unreached_undated):
        member = frontier.popleft()
        if (span := spans[member[0]]) is None:
            near = range(len(unreached_dated))
            ends_from = dt.date.min
        else:
            # A range shares days with this one only if it starts no later than this one
            # ends and, being at most max_range_days long, not long before it starts.
            low = bisect_left(unreached_dated, span[0] - earliest, key=lambda entry: entry[0])
            high = bisect_right(unreached_dated, span[1] + slack, key=lambda entry: entry[0])
            near = range(low, high)
            ends_from = span[0] - slack
        reached = [
            index
            for index in near
            if unreached_dated[index][3] >= ends_from
            and _join(member, unreached_dated[index][2], match, joins)
        ]
        frontier.extend(unreached_dated[index][2] for index in reached)
        for index in reversed(reached):
            del unreached_dated[index]
        still = []
        for other in unreached_undated:
            if _join(member, other, match, joins):
                frontier.append(other)
            else:
                still.append(other)
        unreached_undated = still
    return joins


def _join(
    member: Member, other: Member, match: Pairing, joins: list[tuple[str, str, EventMatch]]
) -> bool:
    found = match(member, other)
    if found is not None:
        low, high = sorted((member[0], other[0]))
        joins.append((low, high, found))
    return found is not None
