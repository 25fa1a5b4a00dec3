"""Event-place linking: each event takes the most specific place its own sentences name.

Places the sentence names as an origin or a trip ("flying home from
Washington") are skipped; the dateline place is a fallback only when the
event's sentences name no place and the story stays in the dateline's country.
The result is `event.location` with ACLED's `geo_precision` and its evidence.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

from sitrep.models import Article, Event, GeoPrecision, Location, Toponym
from sitrep.places.recognize import demonym_pattern, is_near, is_not_here

# Lower is more specific: a site or a town beats a district, a region, a country.
SPECIFICITY = {"PPL": 1, "PPLC": 1, "PPLX": 1, "ADM2": 2, "ADM1": 3, "RGN": 3, "PCLI": 4, "CONT": 5}
SITE_SPECIFICITY = 0


def specificity(toponym: Toponym) -> int:
    """How narrow a resolved toponym is (0 a curated site … 4 a country)."""
    return SPECIFICITY.get(toponym.feature or "", SITE_SPECIFICITY)


def geo_precision(toponym: Toponym, near: bool) -> GeoPrecision:
    """ACLED's code: 1 the named town or site, 2 near it or its district, 3 the region."""
    level = specificity(toponym)
    if level <= 1:
        return 2 if near else 1
    return 2 if level == 2 else 3


def locate_event(
    event: Event, article: Article, toponyms: list[Toponym], dateline: Toponym | None
) -> None:
    """Set `event.location` (and its evidence) from the places of the event's sentences."""
    body = article.body
    own = [
        t
        for t in toponyms
        if t.lat is not None
        and any(start <= t.start and t.end <= end for start, end in event.sentence_spans)
        and not is_not_here(body, t.start)
        # "an Iraqi security source" says whose source, not where the event was.
        and not demonym_pattern().fullmatch(t.text)
        and t.feature != "CONT"
    ]
    # "in Atlanta, Georgia, United States": when a place chain ends in a
    # country, the event's place is in it; a same-named town abroad is a misreading.
    stated = {
        t.country for t in own if t.feature == "PCLI" and body[: t.start].rstrip().endswith(",")
    }
    if stated:
        own = [t for t in own if t.country in stated] or own
    if own:
        chosen = min(own, key=lambda t: (specificity(t), t.start))
        event.location = as_location(chosen, geo_precision(chosen, is_near(body, chosen.start)))
        event.add_evidence("location", body, chosen.start, chosen.end)
        return
    if dateline is not None and _story_stays_in(dateline, toponyms):
        # The story is about the dateline city, but the event's own sentences
        # do not say where in or around it: "near it" is the honest precision.
        event.location = as_location(dateline, 2)
        if dateline.name and (found := body.find(dateline.text)) >= 0:
            event.add_evidence("location", body, found, found + len(dateline.text))


def _story_stays_in(dateline: Toponym, toponyms: list[Toponym]) -> bool:
    return all(t.country == dateline.country for t in toponyms if specificity(t) <= 3)


def as_location(toponym: Toponym, precision: GeoPrecision) -> Location:
    """The event record's location of a resolved toponym."""
    return Location(
        name=toponym.name or toponym.text,
        admin1=toponym.admin1,
        country=toponym.country,
        iso3=_iso3(toponym.country),
        lat=toponym.lat,
        lon=toponym.lon,
        geonameid=toponym.geonameid,
        geo_precision=precision,
    )


@lru_cache(maxsize=512)
def _iso3(country: str | None) -> str | None:
    if not country:
        return None
    try:
        return str(pycountry.countries.lookup(country).alpha_3)
    except LookupError:
        return None
