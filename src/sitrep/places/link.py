"""Event-place linking: each event takes the most specific place its own sentences name.

Skipped: places the sentence names as an origin or a trip ("flying home from
Washington"), a name its own place chain contradicts ("Tieba (Bankass,
Mopti)" is not the Tieba of China), a town of a country the story never names
outside a place phrase ("a Boko Haram attack" is no Haram of Norway), the head
word of an Arabic name alone ("Al", "Abu"), a country naming a currency. When
the event's sentences name no place, the dateline place is the fallback if the
story stays in the dateline's country, else the places of the nearest earlier
sentence of the same paragraph ("On 8 May, in Petrolina, Pernambuco, police
raided a lab. A man was arrested."). The result is `event.location` with
ACLED's `geo_precision` and its evidence.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pycountry

from sitrep.models import Article, Event, GeoPrecision, Location, Toponym
from sitrep.places.fold import fold, spelling_key
from sitrep.places.gazetteer import Place, country_name, load_gazetteer, toponym_of
from sitrep.places.recognize import demonym_pattern, is_near, is_not_here, names_a_currency
from sitrep.places.resolve import distance_km, prior

DATA_DIR = Path(__file__).parent / "data"

# Features that are never where an event happened: a continent, an organisation.
NOT_EVENT_PLACES = frozenset({"CONT", "ORG"})
# Lower is more specific: a site or a town beats a district, a region, a country.
SPECIFICITY = {"PPL": 1, "PPLC": 1, "PPLX": 1, "ADM2": 2, "ADM1": 3, "RGN": 3, "PCLI": 4, "CONT": 5}
SITE_SPECIFICITY = 0


class TentativeToponym(Toponym):
    """A mention the resolver would not assert on its own, read as its likeliest entry.

    `margin` is how far that entry led the runner-up. Only event-place linking
    uses such a reading, for an event whose own sentences name no surer place.
    """

    margin: float = 0.0


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
    """Set `event.location` (and its evidence) from the places of the event's sentences.

    Asserted toponyms come first (the event's own sentences, then the dateline,
    then the sentence before); a tentative reading only when none of them
    places the event, and only in a country the story's asserted places are in.
    """
    body = article.body
    usable = _read_in_chains(body, _usable(body, _with_addresses(body, toponyms)))
    usable = _read_in_story_countries(body, usable)
    usable = _read_without_currency_countries(body, toponyms, usable)
    usable = _read_before_containers(
        body, usable, [t for t in toponyms if not isinstance(t, TentativeToponym)]
    )
    asserted = [t for t in usable if not isinstance(t, TentativeToponym)]
    story = [t for t in toponyms if not isinstance(t, TentativeToponym)]
    if _locate(event, body, asserted, story, dateline):
        return
    countries = {_iso3(t.country) for t in asserted if t.country} | _actors_countries(body)
    readings = [
        t
        for t in usable
        if not isinstance(t, TentativeToponym) or not countries or _iso3(t.country) in countries
    ]
    if _locate(event, body, readings, story, None):
        return
    _locate_in_country(event, body, toponyms)


def _usable(body: str, toponyms: list[Toponym]) -> list[Toponym]:
    """The toponyms that may be an event's place at all."""
    return [
        t
        for t in toponyms
        if t.lat is not None
        and not is_not_here(body, t.start)
        # "an Iraqi security source" says whose source, not where the event was;
        # "Somali region" is a region of its own name.
        and (t.feature == "ADM1" or not demonym_pattern().fullmatch(t.text))
        # A continent, or an organisation at its seat ("the EU" is not Brussels).
        and t.feature not in NOT_EVENT_PLACES
        # "Al" of "Al Shabaab", "Abu" of "Abu Kershola": the head of a longer name,
        # unless written with its address ("Beni, North Kivu" is the Congo's city).
        and (t.text.casefold() not in _name_heads() or bool(_ADDRESS_AFTER.match(body, t.end)))
        # "the high US dollar exchange rate" names a currency, not a place.
        and not (t.feature == "PCLI" and names_a_currency(body, t.end))
        # "elements of Zambia's Army were spotted in Moliro": whose forces, not where.
        and not (t.feature == "PCLI" and _FORCES_OF.match(body, t.end))
        # "a mosque in Shinwari neighborhood" of Jalalabad is no town of Parwan; "the
        # Shufat neighbourhood of Jerusalem" is Shu'fat beside it.
        and not (_a_quarter(body, t) and not _beside_another(t, toponyms))
    ]


def _a_quarter(body: str, toponym: Toponym) -> bool:
    """Whether the text calls a name read as a town a quarter ("Shinwari neighborhood")."""
    return toponym.feature in ("PPL", "PPLC") and bool(_QUARTER_WORD.match(body, toponym.end))


def _beside_another(toponym: Toponym, toponyms: list[Toponym]) -> bool:
    """Whether another town of the text lies within a quarter's reach of the toponym."""
    lat, lon = toponym.lat, toponym.lon
    if lat is None or lon is None:
        return False
    return any(
        t is not toponym
        and specificity(t) == 1
        and t.lat is not None
        and t.lon is not None
        and distance_km(t.lat, t.lon, lat, lon) < QUARTER_KM
        for t in toponyms
    )


# A chain link after a name: "Beni, North Kivu", "Beni (North Kivu)".
_ADDRESS_AFTER = re.compile(r"\s*[,(]\s*[A-Z]")
# A country's name with the possessive before its forces: "Zambia's Army", "Israel's military".
_FORCES_OF = re.compile(
    r"(?:'s|’s)\s+(?:[a-z]+\s+)?(?:army|armed\s+forces|forces|military|troops|soldiers|"
    r"navy|air\s+force|police|security\s+forces|militia|coast\s+guard)\b",
    re.IGNORECASE,
)


def _locate(
    event: Event,
    body: str,
    usable: list[Toponym],
    story: list[Toponym],
    dateline: Toponym | None,
) -> bool:
    """Locate the event from `usable`; whether a place was found."""
    # The links of written chains ("(Mayo-Sava, Extreme-Nord)") are the story's places too.
    placed = [
        *story,
        *(t for t in usable if t not in story and not isinstance(t, TentativeToponym)),
    ]
    usable = _consistent_with_chains(body, _without_strays(body, usable, placed))
    spans = [(start, _sentence_end(body, end)) for start, end in event.sentence_spans]
    own = [t for t in usable if any(start <= t.start and t.end <= end for start, end in spans)]
    if own:
        _set_location(event, body, _refined(body, own, usable, event))
        return True
    if dateline is not None and _story_stays_in(dateline, story):
        # The story is about the dateline city, but the event's own sentences
        # do not say where in or around it: "near it" is the honest precision.
        event.location = as_location(dateline, 2)
        if dateline.name and (found := body.find(dateline.text)) >= 0:
            event.add_evidence("location", body, found, found + len(dateline.text))
        return True
    if earlier := _earlier_sentence_places(body, usable, event):
        _set_location(event, body, earlier)
        return True
    return False


@lru_cache(maxsize=1)
def _name_heads() -> frozenset[str]:
    """Words that head Arabic place names ("Al", "Abu", "Wadi") and name no place alone."""
    with (DATA_DIR / "name_heads.tsv").open(encoding="utf-8") as f:
        return frozenset(row["word"].casefold() for row in csv.DictReader(f, delimiter="\t"))


_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|near|outside|into|inside|around|across|toward|towards|to|from|of|between|and)"
    r"\s+(?:the\s+)?|[(\[]\s*|(?<![0-9]),\s*)$",
    re.IGNORECASE,
)
# "Al Watiyah airbase" goes on as a longer name; "Zahle City" is the town with its kind word.
# The words that put an event in a place: "held a protest in Kuhbanan" (not
# the "Kerman" of "Kerman Coal Mine Company").
_EVENT_PREPOSITION = re.compile(
    r"\b(?:in|at|near|outside|inside|into|around|on)\s+(?:the\s+)?"
    r"(?:(?:city|town|village|area|outskirts|district|province|region)\s+of\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)
_NAME_GOES_ON = re.compile(
    r"\s+(?!(?:City|Town|Village|District|Province|Governorate|State|Region|County)\b)[A-Z]"
)


def _without_strays(body: str, usable: list[Toponym], toponyms: list[Toponym]) -> list[Toponym]:
    """Drop a town of a country nothing else in the story names, when its towns are elsewhere.

    Only where the text does not put it as a place: "Al Shabaab militants",
    "a Boko Haram attack" (Ål of Norway, Haram of Norway), or where it is the
    head of a longer name the gazetteer lacks ("at Al Watiyah airbase"). The
    other country must be where a town or region of the story is: "the US
    dollar" says nothing of where a Lebanese protest was.
    """
    support: dict[str, set[str]] = {}
    areas: dict[str, set[str]] = {}
    for t in toponyms:
        if t.feature != "CONT" and t.country:
            support.setdefault(t.country, set()).add(t.text.casefold())
            if specificity(t) <= 3:
                areas.setdefault(t.country, set()).add(t.text.casefold())
    kept = []
    for t in usable:
        name = t.text.casefold()
        backed = t.country is not None and bool(support.get(t.country, set()) - {name})
        elsewhere = any(names - {name} for c, names in areas.items() if c != t.country)
        stray = (
            specificity(t) <= 2
            and not backed
            and elsewhere
            and (
                not _LOCATIVE.search(body, max(0, t.start - 20), t.start)
                or bool(_NAME_GOES_ON.match(body, t.end))
            )
        )
        if not stray:
            kept.append(t)
    return kept


def _refined(body: str, own: list[Toponym], usable: list[Toponym], event: Event) -> list[Toponym]:
    """A region or country of the event's sentences, narrowed by the sentence before.

    "... in Muqdadiyah, Diyala, Iraq. Two were killed in an attack the
    Islamic State of Iraq claimed": the later sentence's Iraq is where the
    earlier sentence's town already is.
    """
    narrowest = min(specificity(t) for t in own)
    if narrowest < 3:
        return own
    inside = [
        t
        for t in _earlier_sentence_places(body, usable, event)
        if specificity(t) < narrowest
        # A world region ("West Africa" of "Islamic State West Africa
        # Province") has no country: any earlier place may narrow it.
        and any(
            o.country is None
            or (t.country == o.country and (o.feature == "PCLI" or t.admin1 == o.admin1))
            for o in own
        )
    ]
    return inside or own


def _set_location(event: Event, body: str, places: list[Toponym]) -> None:
    # "in Police District 5, Mazari Sharif, Balkh, Afghanistan": when a place
    # chain of the sentences ends in a country, the event's place is in it.
    stated = {
        t.country for t in places if t.feature == "PCLI" and body[: t.start].rstrip().endswith(",")
    }
    if stated:
        countries = [t for t in places if t.feature == "PCLI" and t.country in stated]
        # "Kagara (Rafi LGA, Niger)": a country's name may also name a region of the town's.
        places = [
            t
            for t in places
            if t.country in stated or any(_could_hold(c, t, same_region=False) for c in countries)
        ] or places
    # "Haftanin region of Dahuk, Northern Iraq": a compass-named region of
    # another country than the other places is a misreading of the direction.
    compass_free = [
        t
        for t in places
        if not (
            is_compass_name(t.text)
            and any(o.country != t.country and not is_compass_name(o.text) for o in places)
        )
    ]
    places = compass_free or places
    # "in Tijuana, Baja California, a man was found dead in La Presa": a region
    # the chain names holds the event; a namesake town in another region does not.
    regions = {
        (t.country, t.admin1)
        for t in places
        if t.feature == "ADM1"
        and _CHAIN_BEFORE.search(body, 0, t.start)
        and not is_compass_name(t.text)
        # "in Tripoli, el Marj, Bekaa Valley and Sidon": an item of a list holds no other.
        and not _LIST_GOES_ON.match(body, t.end)
    }
    if len(regions) == 1:
        places = [
            t
            for t in places
            if (t.country, t.admin1) in regions
            or (
                _city_of_its_own_district(body, t)
                and any(t.country == country for country, _ in regions)
            )
        ] or places
    addressed = _addressed(body, places)
    # A town the sentence puts the event in ("held a protest in Kuhbanan")
    # beats one it names otherwise ("miners of Kerman Coal Mine Company").
    chosen = min(
        places,
        key=lambda t: (
            id(t) not in addressed,
            min(specificity(t), 2),
            not _EVENT_PREPOSITION.search(body, max(0, t.start - 40), t.start),
            specificity(t),
            t.start,
        ),
    )
    precision = geo_precision(chosen, is_near(body, chosen.start))
    if precision == 1 and (
        _DISTRICT_WORD.match(body, chosen.end) or _after_unknown_place(body, chosen, places)
    ):
        # "Maywand district", "Tieba (Bankass, Mopti)" with no Tieba known: the
        # town stands for its district, not for the event's own spot.
        precision = 2
    event.location = as_location(chosen, precision)
    if chosen.feature == "ADM1":
        _at_seat(event.location)
    elif chosen.feature == "PCLI" and (code := _alpha2(event.location.iso3)):
        _at_capital(event.location, code)
    event.add_evidence("location", body, chosen.start, chosen.end)


# ACLED's "(District, Region)" after a village: "Urdu Bazar, Srinagar" is
# still in the city, "Tieba (Bankass, Mopti)" only in the district.
_UNKNOWN_HEAD = re.compile(r"[A-Z][\w'’`\-]*\s*[(\[]\s*$")


def _after_unknown_place(body: str, chosen: Toponym, places: list[Toponym]) -> bool:
    """Whether a bracketed chain link follows a name no toponym covers ("Tieba (Bankass")."""
    found = _UNKNOWN_HEAD.search(body, max(0, chosen.start - 60), chosen.start)
    if found is None:
        return False
    return not any(t.end <= chosen.start and t.end > found.start() for t in places)


def _addressed(body: str, places: list[Toponym]) -> set[int]:
    """Towns and districts written with their address ("Tarin Kot, Uruzgan, Afghanistan").

    GTD and ACLED close a note's place with its chain of larger places; a
    town named elsewhere in the sentence ("near Ghazni Amanullah roundabout,
    Tarin Kot, ...", "between Bannu and Mir Ali, Khyber Pakhtunkhwa") is not
    the event's place when another is so addressed.
    """
    heads: set[int] = set()
    ordered = sorted(places, key=lambda t: t.start)
    for chain in _chains(body, places):
        for index, toponym in enumerate(chain[:-1]):
            if specificity(toponym) <= 2 and any(
                specificity(t) > specificity(toponym) for t in chain[index + 1 :]
            ):
                heads.add(id(toponym))
                heads.update(id(t) for t in _list_items_before(body, toponym, ordered))
    return heads


# "between Sousa and Uirauna, Paraiba", "from Al Mayadin to Al-Bukamal", "the Damboa -
# Maiduguri road": the items of a list of towns before the one written with its address.
_LIST_ITEM = re.compile(r"\s*(?:,\s*)?(?:and|to|or|-|–)\s*")


def _list_items_before(body: str, head: Toponym, ordered: list[Toponym]) -> list[Toponym]:
    """The towns of the head's country listed right before it: its address holds them too."""
    items: list[Toponym] = []
    following = head
    for toponym in reversed([t for t in ordered if t.end <= head.start]):
        if not _LIST_ITEM.fullmatch(body, toponym.end, following.start):
            break
        if specificity(toponym) != specificity(head) or _iso3(toponym.country) != _iso3(
            head.country
        ):
            break
        items.append(toponym)
        following = toponym
    return items


_CHAIN_BEFORE = re.compile(r"[,(]\s*$")
_LIST_GOES_ON = re.compile(r"\s*,?\s*(?:and|or|&)\s+[A-Za-z]")
# "Nord-Ouest", "Northern", "Sud": many countries have a region of that name
# and the gazetteer does not spell every one of them, so such a name never
# overrules the town it follows.
_COMPASS_WORDS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "centre",
        "center",
        "nord",
        "sud",
        "ouest",
        "est",
        "norte",
        "sur",
        "oeste",
        "este",
        "centro",
        "extreme",
        "far",
    ]
)


def is_compass_name(name: str) -> bool:
    """Whether a region's name is only compass words ("Nord-Ouest", "Far North")."""
    words = re.findall(r"[a-z]+", name.lower())
    return bool(words) and all(word in _COMPASS_WORDS for word in words)


# What may stand between the links of a place chain: "Tieba (Bankass, Mopti)",
# "Zari district center, Balkh",
# "Zibane [Ziban] (Anzourou, Tillaberi)", "Al-Kasra neighborhood, Baghdad, Iraq".
_CHAIN_LINK = re.compile(
    r"(?:\s+(?:province|governorate|state|region|district(?:\s+cent(?:er|re))?|sub-?district|"
    r"county|city|town|"
    r"village|neighbou?rhood|area|commune|municipality|subdivision|department|camp))?"
    r"(?:\s*[,(\[\])]+(?:\s*[,(\[\])]+)*\s*|\s+in\s+(?:the\s+)?(?:rural\s+)?)",
    re.IGNORECASE,
)


_HOLDS = re.compile(r"\(|\bin\b")


def _chains(body: str, toponyms: list[Toponym]) -> list[list[Toponym]]:
    """Runs of toponyms joined only by commas and brackets, in text order."""
    chains: list[list[Toponym]] = []
    for toponym in sorted(toponyms, key=lambda t: t.start):
        if chains:
            previous = chains[-1][-1]
            between = body[previous.end : toponym.start]
            if previous.end <= toponym.start and _CHAIN_LINK.fullmatch(between):
                chains[-1].append(toponym)
                continue
        chains.append([toponym])
    return chains


def _consistent_with_chains(body: str, toponyms: list[Toponym]) -> list[Toponym]:
    """Drop a name its chain contradicts: no larger link of the chain could hold it.

    "Tieba (Bankass, Mopti)", "Al-Kasra neighborhood, Baghdad, Iraq": the later
    links are larger places that hold the first; when none of them is known in
    the first name's country (or, in its country, in its region), the first is a
    namesake misread ("Tieba" of China, "Kesra" of Tunisia). A link misread
    itself ("Bamenda (Mezam, Nord-Ouest)" with the Nord-Ouest of Haiti) still
    holds the name when its words also name a region of the name's country.
    """
    dropped: set[int] = set()
    for chain in _chains(body, toponyms):
        for index, toponym in enumerate(chain[:-1]):
            # Larger places hold the name; a bracket or "in" says so of any
            # place ("Tieba (Bankass, Mopti)", "Tall Sakhr in rural Ras al Ain");
            # peers in a list ("Paris, London") do not.
            holders = [
                t
                for t in chain[index + 1 :]
                if specificity(t) > specificity(toponym)
                or _HOLDS.search(body, toponym.end, t.start)
            ]
            if (
                holders
                and toponym.country
                and not any(_could_hold(t, toponym, same_region=False) for t in holders)
            ):
                dropped.add(id(toponym))
                continue
            regional = [t for t in holders if t.country == toponym.country and t.admin1]
            if (
                regional
                and specificity(toponym) < 3
                and toponym.admin1
                and not any(_could_hold(t, toponym, same_region=True) for t in regional)
                and not _city_of_its_own_district(body, toponym)
            ):
                dropped.add(id(toponym))
    return [t for t in toponyms if id(t) not in dropped]


# "in Nawabshah city (Nawabshah, Punjab)": a city written with its own district
# is that city, and the region is the misstated link (Nawabshah is in Sindh). A
# city written with another district or none ("Ilorin (Borgu LGA, Niger)",
# "Benito Juarez, Nuevo Leon") may be a namesake, and the chain's region holds.
CITY_POPULATION = 100_000
_OWN_DISTRICT = r"(?:\s+(?:city|town))?\s*[(,]\s*{name}(?:\s+district)?\s*,"


def _city_of_its_own_district(body: str, toponym: Toponym) -> bool:
    if toponym.geonameid is None or specificity(toponym) != 1:
        return False
    own = re.compile(_OWN_DISTRICT.format(name=re.escape(toponym.text)), re.IGNORECASE)
    if not own.match(body, toponym.end):
        return False
    return any(
        p.geonameid == toponym.geonameid and p.population >= CITY_POPULATION
        for p in load_gazetteer().candidates(toponym.text)
    )


def _could_hold(holder: Toponym, toponym: Toponym, same_region: bool) -> bool:
    """Whether some reading of the holder's name lies in the toponym's country (region)."""
    if holder.country == toponym.country and (not same_region or holder.admin1 == toponym.admin1):
        return True
    country = _iso3(toponym.country)
    for place in load_gazetteer().candidates(holder.text):
        if _iso3_of_code(place.country) != country:
            continue
        if not same_region or place.admin1 == toponym.admin1:
            return True
    return False


@lru_cache(maxsize=512)
def _iso3_of_code(code: str | None) -> str | None:
    record = pycountry.countries.get(alpha_2=code) if code else None
    return str(record.alpha_3) if record is not None else None


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])")


def _sentence_end(body: str, end: int) -> int:
    """Where the sentence of a span ends: the parser may stop one at a bracket.

    "... killed nine civilians in the village of Zibane [Ziban] (Anzourou,
    Tillaberi)." is one sentence with its place chain.
    """
    if not body[end:].lstrip().startswith(("[", "(")):
        return end
    paragraph_end = body.find("\n", end)
    limit = paragraph_end if paragraph_end >= 0 else len(body)
    found = _SENTENCE_END.search(body, end, limit)
    return found.start() + 1 if found else limit


def _earlier_sentence_places(body: str, toponyms: list[Toponym], event: Event) -> list[Toponym]:
    """The places of the nearest earlier sentence of the event's paragraph that names one."""
    if not event.sentence_spans:
        return []
    first = min(start for start, _ in event.sentence_spans)
    paragraph_start = body.rfind("\n", 0, first) + 1
    earlier = [t for t in toponyms if paragraph_start <= t.start and t.end <= first]
    if not earlier:
        return []
    last = earlier[-1]
    ends = [m.end() for m in _SENTENCE_END.finditer(body, paragraph_start, last.start)]
    sentence_start = ends[-1] if ends else paragraph_start
    return [t for t in earlier if t.start >= sentence_start]


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


# A later link of a chain that names the region a town lies in, so "Para" of
# "Santarem, Para" is Brazil's state and "(Coquimbo)" after a town is its region.
_AREA_FEATURES = ("ADM1", "ADM2", "RGN")


def _read_in_chains(body: str, toponyms: list[Toponym]) -> list[Toponym]:
    """Read each link of a place chain as an entry inside the links after it.

    "Concepcion (Biobio)", "Santarem, Para", "Hays city (Al Hudaydah)": the
    later links are the larger places that hold the first, so a link the
    resolver read as a namesake elsewhere (Concepción of Paraguay, Santarém of
    Portugal, Hays of Kansas) is read again among the entries of the same name
    in the holder's region or country. A link the chain confirms stands even
    when the resolver would not assert it alone.
    """
    replaced: dict[int, Toponym] = {}
    for chain in _chains(body, toponyms):
        if len(chain) < 2:
            continue
        read: list[Toponym] = list(chain)
        for index in range(len(chain) - 1, -1, -1):
            toponym = read[index]
            later = read[index + 1 :]
            holder = next(
                (
                    t
                    for t in later
                    if specificity(t) > specificity(toponym)
                    or _HOLDS.search(body, toponym.end, t.start)
                ),
                None,
            )
            if holder is None:
                if index > 0 and (area := _area_reading(toponym)) is not None:
                    read[index] = area
                continue
            if _inside(toponym, holder):
                if isinstance(toponym, TentativeToponym):
                    read[index] = _asserted(toponym)
                continue
            if (inside := _reading_inside(toponym, holder, prefer_area=index > 0)) is not None:
                read[index] = inside
        for original, new in zip(chain, read, strict=True):
            if new is not original:
                replaced[id(original)] = new
    return [replaced.get(id(t), t) for t in toponyms]


def _inside(toponym: Toponym, holder: Toponym) -> bool:
    """Whether the holder's reading holds the toponym's (same country, same region)."""
    if toponym.country is None or _iso3(toponym.country) != _iso3(holder.country):
        return False
    if holder.feature in ("ADM1", "ADM2") and holder.admin1 and toponym.admin1:
        return holder.admin1 == toponym.admin1
    return True


def _reading_inside(toponym: Toponym, holder: Toponym, prefer_area: bool) -> Toponym | None:
    """The likeliest entry of the toponym's name inside the holder, if there is one."""
    country = _iso3(holder.country)
    if country is None:
        return None
    regional = holder.feature in ("ADM1", "ADM2") and holder.admin1
    fits = [
        p
        for p in load_gazetteer().candidates(toponym.text)
        if _iso3_of_code(p.country) == country
        and (not regional or p.admin1 == holder.admin1)
        and p.feature != "PCLI"
        and specificity_of_feature(p.feature) <= specificity(holder)
    ]
    if not fits:
        return None
    best = max(fits, key=lambda p: (prefer_area and p.feature in _AREA_FEATURES, prior(p)))
    return toponym_of(best, toponym.start, toponym.end, toponym.text)


def _area_reading(toponym: Toponym) -> Toponym | None:
    """A town-read last link of a chain as the region of the same name, when its country has one."""
    if specificity(toponym) != 1 or toponym.country is None:
        return None
    country = _iso3(toponym.country)
    areas = [
        p
        for p in load_gazetteer().candidates(toponym.text)
        if p.feature in ("ADM1", "ADM2")
        and _iso3_of_code(p.country) == country
        and (toponym.admin1 is None or p.admin1 == toponym.admin1)
    ]
    if not areas:
        return None
    return toponym_of(max(areas, key=prior), toponym.start, toponym.end, toponym.text)


def specificity_of_feature(feature: str) -> int:
    return SPECIFICITY.get(feature, SITE_SPECIFICITY)


def _asserted(toponym: Toponym) -> Toponym:
    return Toponym(**toponym.model_dump(exclude={"margin"}))


# ------------------------------------------------------------- written addresses

_PARTICLE = (
    r"(?:al|el|ad|ash|as|an|ar|at|az|de|del|da|do|dos|das|di|du|la|las|le|les|los|wa|e|i|y|of)"
)
# "Leon de los Aldama", "Khabb wa ash Shaaf", "al Bab".
# "J&K": an abbreviated region of `data/admin1_abbreviations.tsv`.
# A kind written in capitals ends the name: "Sagbama LGA (Bayelsa)" is the area of Sagbama.
_CAPITAL_KIND = r"(?!LGA\b)"
_NAME = (
    r"(?:[A-Z]&[A-Z]\b|"
    rf"(?:(?:al|el)[ -])?[A-Z][\w'’`\-]*"
    rf"(?:[ -](?:{_PARTICLE}[ -]){{0,2}}{_CAPITAL_KIND}[A-Z][\w'’`\-]*){{0,4}})"
)
_KIND = (
    r"(?:\s+(?:province|governorate|state|region|district(?:\s+cent(?:er|re))?|sub-?district|"
    r"county|city|town|"
    r"village|commune|municipality|subdivision|department|LGA|division|parish|cercle|"
    r"prefecture|zone|(?:sector\s+)?area|sector))?"
)
_LINK = rf"({_NAME}){_KIND}"
# "Kolofata subdivision (Mayo-Sava, Extreme-Nord)", "in Beir al-Abd, North Sinai, Egypt".
_BRACKETED = re.compile(rf"{_LINK}\s*\(\s*{_LINK}(?:\s*,\s*{_LINK})?(?:\s*,\s*{_LINK})?\s*\)")
# "Daret Azza in Aleppo", "Ash-Shajara town in Dar'a countryside".
_WITHIN = re.compile(rf"{_LINK}\s+in\s+(?:the\s+)?(?:rural\s+)?{_LINK}")
_COMMAS = re.compile(
    r"(?:\b(?:in|at|near|of|outside|on|attacked|targeting)\s+(?:the\s+)?"
    # or a chain of three links after any word: "the General Aung San statue, Pyapone, ..."
    r"|(?<=[a-z] )(?=[A-Z][^,.]*,[^,.]*,))"
    rf"{_LINK}(?:\s*,\s*{_LINK})(?:\s*,\s*{_LINK})?"
    rf"(?:\s*,\s*{_LINK})?(?=\s*[,.;)]|\s+(?:on|in|and|after|during|where|when|to|against)\b)"
)
_REGION_WORD = re.compile(r"\s+(?:province|governorate|state|region|oblast)\b", re.IGNORECASE)
# A town written before one of these is named as its district: precision 2.
_DISTRICT_WORD = re.compile(
    r"\s+(?:district|sub-?district|county|LGA|commune|municipality|subdivision|cercle)\b"
)


def _with_addresses(body: str, toponyms: list[Toponym]) -> list[Toponym]:
    """The toponyms, with the links of written addresses in place of what they overlap.

    A name the text puts the event in ("near Svitlodarsk") that no toponym
    covers comes as a tentative reading: inside a country the story's places
    are in when it names one, else the likeliest entry of that name.
    """
    links = []
    for link in written_addresses(body):
        covered = [t for t in toponyms if t.start < link.end and link.start < t.end]
        if _town_of_its_district(link, covered):
            continue
        if not isinstance(link, TentativeToponym):
            links.append(link)
        elif not covered or (
            # "in Macuto Bay, Vargas state" of a story that names Venezuela is
            # not the Vargas of the Philippines.
            not any(_iso3(t.country) == _iso3(link.country) for t in covered)
            # "Saudi-led air raids ... in northern Yemen (Al Jawf)": a demonym says
            # whose forces, not that the story is in their country.
            and any(
                _iso3(t.country) == _iso3(link.country)
                for t in toponyms
                if t not in covered and not demonym_pattern().fullmatch(t.text)
            )
        ):
            links.append(_asserted(link))
    kept = [t for t in toponyms if not any(t.start < a.end and a.start < t.end for a in links)]
    found = sorted(kept + links, key=lambda t: t.start)
    return sorted(found + _locative_readings(body, found), key=lambda t: t.start)


def _town_of_its_district(link: Toponym, covered: list[Toponym]) -> bool:
    """Whether the link reads as a district the toponym it covers is a town of, by the same name.

    "in Maywand district, Kandahar": the town Maywand, read as the toponym,
    stands for its district (ACLED's precision 2 at the district's seat).
    """
    return (
        link.feature == "ADM2"
        and len(covered) == 1
        and specificity(covered[0]) == 1
        and covered[0].admin1 == link.admin1
        and _iso3(covered[0].country) == _iso3(link.country)
    )


_LOCATIVE_NAME = re.compile(
    rf"\b(?:in|at|near|outside|around)\s+(?:the\s+)?"
    rf"(?:(?:city|town|village|area|outskirts|district|province)\s+of\s+)?{_LINK}"
)
_CALENDAR = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)


def _locative_readings(body: str, toponyms: list[Toponym]) -> list[Toponym]:
    from sitrep.places.recognize import common_word_places

    # A nationality ("accompanied by Russian forces") says nothing of where.
    countries = {
        _iso3(t.country)
        for t in toponyms
        if t.country
        and not isinstance(t, TentativeToponym)
        and not demonym_pattern().fullmatch(t.text)
    }
    countries |= _actors_countries(body)
    readings: list[Toponym] = []
    for match in _LOCATIVE_NAME.finditer(body):
        start, end = match.span(1)
        name = match.group(1)
        if _CALENDAR.match(name) or fold(name) in common_word_places():
            continue
        if any(t.start < end and start < t.end for t in toponyms):
            continue
        candidates = [
            p for p in load_gazetteer().candidates(name) if p.feature not in NOT_EVENT_PLACES
        ]
        if countries:
            candidates = [p for p in candidates if _iso3_of_code(p.country) in countries]
        if not candidates and not _QUARTER_WORD.match(body, end):
            candidates = _only_spelling(name, countries, _next_link(body, end, toponyms))
        if not candidates:
            continue
        best = max(candidates, key=prior)
        reading = toponym_of(best, start, end, name)
        readings.append(TentativeToponym(**reading.model_dump()))
    return readings


# "in Sorob neighborhood, Kabul City": a quarter of the city, no town of its own.
_QUARTER_WORD = re.compile(r"\s+(?:neighbou?rhood|quarter|suburb)\b", re.IGNORECASE)


def _next_link(body: str, end: int, toponyms: list[Toponym]) -> Toponym | None:
    """The toponym written right after `end` as the next link of a chain ("Singhu, Delhi")."""
    return next(
        (t for t in toponyms if t.start >= end and _CHAIN_LINK.fullmatch(body, end, t.start)),
        None,
    )


def _only_spelling(name: str, countries: set[str | None], next_link: Toponym | None) -> list[Place]:
    """The one town or area of the story's countries (or anywhere) spelled like `name`.

    "protests in Jandairis" with no Jandairis known: GeoNames' Jindayris has the
    same consonants. Only where a single entry has them: a short skeleton fits
    many names, and a guess among them is no reading. The next link of a chain
    the name heads must hold it ("Singhu, Delhi" is no Sangau of Mizoram,
    "Cabas-an, Aroroy" no Cabusao a hundred kilometres from Aroroy).
    """
    spelled = [
        p
        for p in load_gazetteer().spelled(name)
        if not countries or _iso3_of_code(p.country) in countries
    ]
    if len(spelled) != 1:
        return []
    if next_link is not None and not _link_holds(next_link, spelled[0]):
        return []
    return spelled


def _link_holds(link: Toponym, place: Place) -> bool:
    """Whether a chain's next link holds a place: its region, or a town's surroundings."""
    if _iso3_of_code(place.country) != _iso3(link.country):
        return False
    if specificity(link) == 1 and link.lat is not None and link.lon is not None:
        return distance_km(place.lat, place.lon, link.lat, link.lon) < QUARTER_KM
    return not link.admin1 or place.admin1 == link.admin1


def written_addresses(body: str) -> list[Toponym]:
    """The links of the place chains the text writes out, each read inside the next.

    ACLED notes and GTD summaries close a place with its larger places, "in
    Tome (Biobio)", "in Santarem, Para", "in Sheikh Zuweid, North Sinai,
    Egypt"; the recogniser may miss a link ("Para", "Biobio"). A chain counts
    when at least two of its links have readings that hold one another.
    """
    found: list[Toponym] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_BRACKETED, _COMMAS, _WITHIN):
        for match in pattern.finditer(body):
            spans = [match.span(g) for g in range(1, (match.re.groups or 0) + 1)]
            spans = [s for s in spans if s[0] >= 0]
            if any(a < e and s < b for a, b in spans for s, e in taken):
                continue
            links = _read_address(body, spans)
            if links:
                found.extend(links)
                taken.extend(spans)
    return found


def _read_address(body: str, spans: list[tuple[int, int]]) -> list[Toponym]:
    """The readings of one chain's links: the best assignment where each holds the one before."""
    gazetteer = load_gazetteer()
    candidates = [
        gazetteer.candidates(body[s:e], chain_link=True)[:60] + _abbreviated_regions(body[s:e])
        for s, e in spans
    ]
    last = candidates[-1]
    if not last:
        return []
    best: tuple[tuple[int, float], list[tuple[int, Place]]] | None = None
    ordered = sorted(last, key=lambda p: (p.feature in (*_AREA_FEATURES, "PCLI"), prior(p)))
    likeliest = max(last, key=prior)
    for top in ordered[-8:]:
        chosen: list[tuple[int, Place]] = [(len(spans) - 1, top)]
        holder = top
        score = prior(top)
        for index in range(len(spans) - 2, -1, -1):
            inside = [p for p in candidates[index] if p.id != holder.id and _holds(holder, p)]
            if not inside:
                inside = _spelled_inside(body[slice(*spans[index])], holder)
            if not inside:
                continue
            # The first link is the town; the links after it are its areas.
            pick = max(
                inside, key=lambda p: ((p.feature in _AREA_FEATURES) == (index > 0), prior(p))
            )
            chosen.append((index, pick))
            score += prior(pick)
            holder = pick
        key = (len(chosen), score)
        # A lone region reading still counts where it is the name's likeliest
        # entry or the text calls it one: "in Macuto Bay, Vargas state". Not
        # where a city is likelier: "the Court of Justice in Sofia" is Bulgaria's.
        counts = len(chosen) >= 2 or (
            top.feature in ("ADM1", "RGN")
            and (top is likeliest or bool(_REGION_WORD.match(body, spans[-1][1])))
        )
        if counts and (best is None or key > best[0]):
            best = (key, chosen)
    if best is None:
        return []
    links = [
        toponym_of(place, spans[i][0], spans[i][1], body[slice(*spans[i])])
        for i, place in sorted(best[1], key=lambda pair: pair[0])
    ]
    if len(links) == 1:
        # A lone region reading only corrects a namesake abroad (_with_addresses).
        return [TentativeToponym(**links[0].model_dump())]
    return links


def _abbreviated_regions(name: str) -> tuple[Place, ...]:
    """The regions a chain's link abbreviates: "(Shopian district, J&K)", "(Kaushambi, UP)".

    Only as a link of a written chain, where a town or district must lie
    inside it for the reading to count: "UP" or "AP" alone is no place.
    """
    gazetteer = load_gazetteer()
    regions = (
        gazetteer.admin1(country, admin1) for country, admin1 in _abbreviations().get(name, ())
    )
    return tuple(region for region in regions if region is not None)


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, tuple[tuple[str, str], ...]]:
    found: dict[str, list[tuple[str, str]]] = {}
    with (DATA_DIR / "admin1_abbreviations.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            found.setdefault(row["abbreviation"], []).append((row["country"], row["admin1"]))
    return {name: tuple(regions) for name, regions in found.items()}


def _spelled_inside(name: str, holder: Place) -> list[Place]:
    """The towns of the holder's region whose name is `name` in another transliteration.

    "Ras al-Ain, Al Hasakah" is GeoNames' Ra's al 'Ayn, "Bardere, Gedo" its
    Baardheere, "Sheikh Zuweid, North Sinai" its Ash Shaykh Zuwayd: inside the
    region the chain names, the same consonants in the same order name the
    same town.
    """
    if holder.feature not in ("ADM1", "ADM2", "RGN") or not holder.country or not holder.admin1:
        return []
    russian = holder.country in RUSSIAN_SPELLED_COUNTRIES
    keys = spelling_keys(name, russian)
    if min(len(key) for key in keys) < 3:
        return []
    towns = load_gazetteer().towns(holder.country, holder.admin1)
    return [t for t in towns if spelling_keys(t.name, russian) & keys][:1]


# GeoNames spells many towns of Afghanistan and Central Asia in Russian
# transliteration, where kh inside a word stands for h: "Maydanshakhr" is
# "Maydan Shahr". Elsewhere an inner kh is a kh ("As Sukhnah" is no "Al-Shainah").
RUSSIAN_SPELLED_COUNTRIES = frozenset({"AF", "TJ", "UZ", "KG", "KZ", "TM"})
_INNER_KH = re.compile(r"(?<=[a-z])kh")


def spelling_keys(name: str, russian: bool) -> frozenset[str]:
    """A name's spelling keys; in Russian transliteration also with an inner kh read as h."""
    keys = {spelling_key(name)}
    if russian:
        keys.add(spelling_key(_INNER_KH.sub("h", name)))
    return frozenset(keys)


def _holds(holder: Place, place: Place) -> bool:
    """Whether a chain link's reading can hold the link before it."""
    if place.country != holder.country or place.feature in ("PCLI", "CONT"):
        return False
    if holder.feature == "PCLI":
        return True
    if holder.feature in ("ADM1", "RGN"):
        return place.admin1 == holder.admin1 and place.feature not in ("ADM1", "RGN")
    if holder.feature == "ADM2":
        return place.admin1 == holder.admin1 and specificity_of_feature(place.feature) <= 1
    return False


def _at_seat(location: Location) -> None:
    """Put a region-level location on its region's seat, as ACLED codes precision 3."""
    code = _alpha2(location.iso3)
    if code is None or location.admin1 is None:
        return
    seat = load_gazetteer().seat(code, location.admin1)
    if seat is not None:
        location.lat, location.lon = seat.lat, seat.lon


@lru_cache(maxsize=512)
def _alpha2(iso3: str | None) -> str | None:
    record = pycountry.countries.get(alpha_3=iso3) if iso3 else None
    return str(record.alpha_2) if record is not None else None


def _read_in_story_countries(body: str, toponyms: list[Toponym]) -> list[Toponym]:
    """Read a town or region of a country the story never names among the countries it does.

    "the OSCE SMM observed explosions near Komsomolets" is the Komsomolets of
    Ukraine's Donbas, not of Tambov; "pro-Houthi air defence ... over Al Jawf
    governorate" is Yemen's Al Jawf. The story's countries are those it names
    (not as a demonym: "Saudi-led" says whose aircraft) and those of the forces
    of one country it names (`data/actor_countries.tsv`, which may also give
    the regions such a force works in). A reading another place of the story
    backs (a second toponym of its country) stands.
    """
    named = {
        _iso3(t.country)
        for t in toponyms
        if t.feature == "PCLI" and not demonym_pattern().fullmatch(t.text)
    }
    areas: dict[str, set[str]] = {}
    for match in _actor_pattern().finditer(body):
        code, worked_in = _actor_countries()[match.group(1)]
        if (country := _iso3_of_code(code)) is not None:
            areas.setdefault(country, set()).update(worked_in)
    countries = ({c for c in named if c} | set(areas)) - {None}
    if not countries:
        return toponyms
    support: dict[str | None, set[str]] = {}
    for t in toponyms:
        if not demonym_pattern().fullmatch(t.text):
            support.setdefault(_iso3(t.country), set()).add(t.text.casefold())
    read = []
    for t in toponyms:
        country = _iso3(t.country)
        regions = areas.get(country or "", set())
        outside = country not in countries or bool(regions and t.admin1 not in regions)
        backed = bool(support.get(country, set()) - {t.text.casefold()})
        if t.feature in NOT_EVENT_PLACES or t.feature == "PCLI" or not outside or backed:
            read.append(t)
            continue
        fits = [
            p
            for p in load_gazetteer().candidates(t.text)
            if p.feature not in NOT_EVENT_PLACES
            and p.feature != "PCLI"
            and (inside := _iso3_of_code(p.country)) in countries
            and (not areas.get(inside or "") or p.admin1 in areas[inside or ""])
        ]
        if not fits and specificity(t) <= 2:
            # "near Viktorivka" of an OSCE report: no Viktorivka of the Donbas is known,
            # and the one of Odessa is not where the mission reports from.
            fits = _force_regions(areas)
        if not fits:
            read.append(t)
            continue
        best = toponym_of(max(fits, key=prior), t.start, t.end, t.text)
        read.append(
            TentativeToponym(**best.model_dump()) if isinstance(t, TentativeToponym) else best
        )
    return read


def _force_regions(areas: dict[str, set[str]]) -> list[Place]:
    """The region entries the story's forces work in (`data/actor_countries.tsv`)."""
    gazetteer = load_gazetteer()
    regions = (
        gazetteer.admin1(code, admin1)
        for country, names in areas.items()
        if (code := _alpha2(country)) is not None
        for admin1 in names
    )
    return [region for region in regions if region is not None]


# What may stand between a place and the larger place written after it as its
# surroundings: "Tabaj village in Jalawla district of Kirkuk province", "Daman in
# the eastern countryside of Deir-ez-Zor", "La Candelaria, Bogota". No list ("and",
# "or", ";") and no sentence end.
_TO_CONTAINER = re.compile(r"[^.;!?\n]{0,80}", re.DOTALL)
_NOT_TO_CONTAINER = re.compile(r"\b(?:and|or|to|from|towards?)\b|&")
# A town written before a town of another country is one of its quarters when it lies this near.
QUARTER_KM = 30.0


def _read_before_containers(
    body: str, usable: list[Toponym], story: list[Toponym]
) -> list[Toponym]:
    """Read a lone namesake abroad inside the place the text writes after it, or drop it.

    "IS militants shelled an Iraqi army unit in Tabaj village in Jalawla district of
    Kirkuk province": Tabaj is known only as Tabay of Venezuela, a country nothing
    else in the story is in, while the larger place after it is Iraq's. Such a town
    is read among the entries of its name in that place (the region of a region,
    the country of a country, within a few kilometres of a town: "La Candelaria,
    Bogota" is a quarter of Bogota); where there is none, it is an unknown place
    and the container stands for it. The container must be surer than the town:
    a country the text names, a region the text calls one ("Kirkuk province"), a
    place of a country another name of the story is in (a nationality counts),
    or a bigger place than a village.
    """
    names: dict[str | None, set[str]] = {}
    for t in [*story, *usable]:
        names.setdefault(_iso3(t.country), set()).add(t.text.casefold())

    def backed(t: Toponym) -> bool:
        return bool(names.get(_iso3(t.country), set()) - {t.text.casefold()})

    read: list[Toponym] = []
    for t in usable:
        lone = (
            (1 <= specificity(t) <= 2 or t.feature == "ADM1")
            and t.feature != "PPLC"
            and not backed(t)
        )
        container = _container(body, t, usable, backed) if lone else None
        if container is None:
            read.append(t)
            continue
        inside = _reading_in_container(t, container)
        if inside is not None:
            read.append(
                TentativeToponym(**inside.model_dump())
                if isinstance(t, TentativeToponym)
                else inside
            )
    return read


def _container(
    body: str, toponym: Toponym, usable: list[Toponym], backed: Callable[[Toponym], bool]
) -> Toponym | None:
    """The first sure place of another country written after the toponym in its clause."""
    country = _iso3(toponym.country)
    village = _population(toponym) < VILLAGE_POPULATION
    for later in sorted(usable, key=lambda t: t.start):
        if later.start < toponym.end or isinstance(later, TentativeToponym):
            continue
        between = body[toponym.end : later.start]
        if not _TO_CONTAINER.fullmatch(between) or _NOT_TO_CONTAINER.search(between):
            return None
        if not later.country or _iso3(later.country) == country:
            continue
        sure = (
            later.feature == "PCLI"
            or backed(later)
            # "of Kirkuk province": the text itself calls it a region.
            or (later.feature in _AREA_FEATURES and bool(_AREA_WORD.match(body, later.end)))
            or (village and _population(later) > _population(toponym))
            # "Daman in the eastern countryside of Deir-ez-Zor": the place around it.
            or bool(_COUNTRYSIDE_OF.search(body, max(0, later.start - 40), later.start))
        )
        if sure and specificity(later) >= specificity(toponym):
            return later
    return None


_COUNTRYSIDE_OF = re.compile(r"\b(?:countryside|outskirts|suburbs)\s+of\s+(?:the\s+)?$")
_AREA_WORD = re.compile(
    r"\s+(?:province|governorate|state|region|oblast|district)\b", re.IGNORECASE
)
# A place this small abroad is likelier a namesake than the larger place written after it.
VILLAGE_POPULATION = 10_000


def _population(toponym: Toponym) -> int:
    """The population of a toponym's gazetteer entry (0 when it is not found by its text)."""
    return next(
        (
            p.population
            for p in load_gazetteer().candidates(toponym.text, chain_link=True)
            if p.geonameid == toponym.geonameid and p.name == toponym.name
        ),
        0,
    )


def _reading_in_container(toponym: Toponym, container: Toponym) -> Toponym | None:
    """The likeliest entry of the toponym's name inside the container, if there is one."""
    country = _iso3(container.country)
    fits = [
        p
        for p in load_gazetteer().candidates(toponym.text)
        if _iso3_of_code(p.country) == country
        and p.feature not in ("PCLI", *NOT_EVENT_PLACES)
        and (
            container.feature == "PCLI"
            or (
                specificity(container) == 1
                and container.lat is not None
                and container.lon is not None
                and distance_km(p.lat, p.lon, container.lat, container.lon) < QUARTER_KM
            )
            or (specificity(container) > 1 and p.admin1 == container.admin1)
        )
    ]
    if not fits:
        return None
    return toponym_of(max(fits, key=prior), toponym.start, toponym.end, toponym.text)


def _read_without_currency_countries(
    body: str, toponyms: list[Toponym], usable: list[Toponym]
) -> list[Toponym]:
    """Read again a town that only a currency's country backs ("the US dollar" is no US place).

    "rioters demonstrating against the high US dollar exchange rate ... in
    Sidon": the resolver took the currency's country as the story's and read
    Sidon as the Sidon of Mississippi. A town or region of such a country that
    no other place of the story backs is read as its likeliest entry, when that
    entry lies elsewhere.
    """
    currencies = {
        _iso3(t.country)
        for t in toponyms
        if t.feature == "PCLI" and t.country and names_a_currency(body, t.end)
    }
    if not currencies:
        return usable
    support: dict[str | None, set[str]] = {}
    for t in usable:
        if not demonym_pattern().fullmatch(t.text):
            support.setdefault(_iso3(t.country), set()).add(t.text.casefold())
    read = []
    for t in usable:
        country = _iso3(t.country)
        backed = bool(support.get(country, set()) - {t.text.casefold()})
        if country not in currencies or t.feature in ("PCLI", *NOT_EVENT_PLACES) or backed:
            read.append(t)
            continue
        fits = [
            p
            for p in load_gazetteer().candidates(t.text)
            if p.feature not in NOT_EVENT_PLACES and p.feature != "PCLI"
        ]
        likeliest = max(fits, key=prior, default=None)
        # "the Lebanese pound ... in Sidon": where the likeliest entry is in the
        # currency's own country, the currency does not mislead.
        if likeliest is None or _iso3_of_code(likeliest.country) in currencies:
            read.append(t)
            continue
        best = toponym_of(likeliest, t.start, t.end, t.text)
        read.append(
            TentativeToponym(**best.model_dump()) if isinstance(t, TentativeToponym) else best
        )
    return read


def _actors_countries(body: str) -> set[str | None]:
    """The ISO alpha-3 codes of the countries whose forces the text names ("OSCE SMM")."""
    return {
        _iso3_of_code(_actor_countries()[m.group(1)][0]) for m in _actor_pattern().finditer(body)
    }


@lru_cache(maxsize=1)
def _actor_countries() -> dict[str, tuple[str, frozenset[str]]]:
    """Forces and missions of one country ("OSCE SMM", "Imbonerakure") -> its ISO alpha-2.

    With the gazetteer's first-level regions the force works in, where it is
    known to work in only a few ("OSCE SMM": Donetsk, Luhansk).
    """
    with (DATA_DIR / "actor_countries.tsv").open(encoding="utf-8") as f:
        return {
            row["actor"]: (row["country"], frozenset(filter(None, row["admin1"].split("|"))))
            for row in csv.DictReader(f, delimiter="\t")
        }


@lru_cache(maxsize=1)
def _actor_pattern() -> re.Pattern[str]:
    names = sorted(_actor_countries(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")


def _locate_in_country(event: Event, body: str, toponyms: list[Toponym]) -> None:
    """An event its text places nowhere: the country its own sentences' forces or nationals say.

    "the OSCE SMM observed ... near Trudovskiye" (a village the gazetteer
    lacks) is in Ukraine; "Iraqi lawmakers approved a new government" in
    Iraq. The point is the capital, precision 3.
    """
    from collections import Counter

    votes: Counter[str] = Counter()
    evidence: dict[str, tuple[int, int]] = {}
    worked_in: dict[str, set[str]] = {}
    for start, end in event.sentence_spans:
        for match in _actor_pattern().finditer(body, start, end):
            code, force_regions = _actor_countries()[match.group(1)]
            votes[code] += 2
            evidence.setdefault(code, match.span())
            worked_in.setdefault(code, set()).update(force_regions)
        for t in toponyms:
            if (
                t.feature == "PCLI"
                and start <= t.start
                and t.end <= end
                and not names_a_currency(body, t.end)
                and not is_not_here(body, t.start)
                and (national := _alpha2(_iso3(t.country)))
            ):
                votes[national] += 1
                evidence.setdefault(national, (t.start, t.end))
    if not votes:
        return
    code = votes.most_common(1)[0][0]
    if areas := _force_regions({_iso3_of_code(code) or "": worked_in.get(code, set())}):
        # "the OSCE SMM observed ... near Bolotene": in the region the mission works in.
        start, end = evidence[code]
        region = toponym_of(max(areas, key=prior), start, end, body[start:end])
        event.location = as_location(region, 3)
        _at_seat(event.location)
        event.add_evidence("location", body, start, end)
        return
    gazetteer = load_gazetteer()
    country = gazetteer.country(code)
    if country is None:
        return
    name = country_name(code) or country.name
    event.location = Location(
        name=name,
        country=name,
        iso3=_iso3(name),
        lat=country.lat,
        lon=country.lon,
        geonameid=country.geonameid,
        geo_precision=3,
    )
    _at_capital(event.location, code)
    event.add_evidence("location", body, *evidence[code])


def _at_capital(location: Location, code: str) -> None:
    capital = load_gazetteer().capital(code)
    if capital is not None:
        location.lat, location.lon = capital.lat, capital.lon
