"""Places: an offline gazetteer, toponym recognition and resolution, event-place linking.

`geoparse` finds and resolves the place mentions of an article; `locate_events`
sets each event's `location` from the places its own sentences name.
`geocode_text` and `resolve_place_name` serve `sitrep geocode` and `sitrep eval`.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry
from spacy.tokens import Doc

from sitrep.models import Article, Event, Toponym
from sitrep.places.fold import fold
from sitrep.places.gazetteer import Place, country_name, load_gazetteer, toponym_of
from sitrep.places.link import TentativeToponym, locate_event
from sitrep.places.recognize import Mention, find_mentions, place_cues
from sitrep.places.resolve import Resolution, prior, resolve_mentions

__all__ = [
    "country_name",
    "geocode_text",
    "geoparse",
    "locate_events",
    "resolve_place_name",
    "resolve_text",
]


def resolve_text(
    text: str, doc: Doc | None = None, dateline: str | None = None
) -> list[Resolution]:
    """Every place mention of `text` with its scored candidates (for `--explain`)."""
    if doc is None:
        from sitrep.nlp import load_pipeline

        doc = load_pipeline()(text)
    gazetteer = load_gazetteer()
    return resolve_mentions(text, find_mentions(text, doc, gazetteer), gazetteer, dateline)


def geocode_text(text: str, doc: Doc | None = None, dateline: str | None = None) -> list[Toponym]:
    """Toponyms of `text` with offsets into it; `doc` is spaCy's parse of the same text."""
    return [
        as_toponym(resolution)
        for resolution in resolve_text(text, doc, dateline)
        if resolution.place is not None
    ]


def geoparse(article: Article, doc: Doc) -> list[Toponym]:
    """The toponyms of `article.body` (offsets into it), read with its dateline as context.

    Besides the resolved toponyms, a mention the resolver would not assert
    alone comes as a `TentativeToponym` of its likeliest entry: an event note
    that names only "Sidi Bouzid" or "Coquimbo (Coquimbo)" is still somewhere,
    and event-place linking decides whether the reading may stand.
    """
    dateline = article.dateline.place if article.dateline else None
    toponyms: list[Toponym] = []
    for resolution in resolve_text(article.body, doc, dateline):
        if resolution.place is not None:
            toponyms.append(as_toponym(resolution))
        elif resolution.candidates:
            best, score = resolution.candidates[0]
            reading = as_toponym(Resolution(resolution.mention, best, score))
            toponyms.append(TentativeToponym(**reading.model_dump(), margin=resolution.margin))
    return toponyms


def locate_events(events: list[Event], article: Article, toponyms: list[Toponym]) -> None:
    """Set each event's `location` from the toponyms of its own sentences."""
    dateline = _dateline_toponym(article)
    for event in events:
        locate_event(event, article, toponyms, dateline)


def _dateline_toponym(article: Article) -> Toponym | None:
    if article.dateline is None or not article.dateline.place:
        return None
    resolved = resolve_place_name(article.dateline.place)
    return resolved


_KIND_SUFFIX = re.compile(r"\s+([A-Za-z]+)$")
# UCDP's district and sub-district prefixes ("Qaḑā’ al Fallūjah", "Nāḩiyat Yathrib").
_DISTRICT_PREFIX = re.compile(r"^(?:qada|nahiyat|nahiya|markaz|mintaqat)\s+", re.IGNORECASE)


def resolve_place_name(name: str, country: str | None = None) -> Toponym | None:
    """One place name ("Al Fallūjah town", "Arbīl province") to its best gazetteer entry."""
    kind = None
    bare = " ".join(name.split())
    if prefix := _DISTRICT_PREFIX.match(fold(bare)):
        kind = "admin2"
        bare = bare.split(maxsplit=len(prefix.group(0).split()))[-1]
    if (suffix := _KIND_SUFFIX.search(bare)) and suffix.group(1).lower() in place_cues():
        kind = place_cues()[suffix.group(1).lower()]
        bare = bare[: suffix.start()]
    gazetteer = load_gazetteer()
    candidates = gazetteer.candidates(bare) or gazetteer.candidates(name)
    code = country_code(country) if country else None
    if code:
        # A same-named place abroad is not an answer for a name the caller placed.
        candidates = tuple(c for c in candidates if c.country == code)
    if not candidates:
        return None
    mention = Mention(0, len(name), name, "name", kind=kind)
    resolution = resolve_mentions(name, [mention], gazetteer)[0]
    if code:
        # The caller's country outweighs every other prior.
        best = max(
            candidates,
            key=lambda p: (
                prior(p)
                + (10.0 if p.country == code else 0.0)
                + (3.0 if _fits_kind(p, kind) else 0.0)
            ),
        )
        resolution = Resolution(mention, best, prior(best))
    return as_toponym(resolution)


def _fits_kind(place: Place, kind: str | None) -> bool:
    return (
        (kind == "admin" and place.feature in ("ADM1", "RGN"))
        or (kind == "admin2" and place.feature == "ADM2")
        or (kind == "town" and place.feature.startswith("PPL"))
    )


def as_toponym(resolution: Resolution) -> Toponym:
    """The shared record of a resolved mention."""
    mention, place = resolution.mention, resolution.place
    if place is None:
        return Toponym(start=mention.start, end=mention.end, text=mention.text)
    return toponym_of(place, mention.start, mention.end, mention.text)


@lru_cache(maxsize=512)
def country_code(name: str) -> str | None:
    """A country's name or code -> ISO 3166-1 alpha-2, when pycountry knows it."""
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        matches = [p for p in load_gazetteer().candidates(name) if p.feature == "PCLI"]
        return matches[0].country if matches else None
