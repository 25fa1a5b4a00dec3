"""A synthetic news corpus with known events, and a coder that codes it, for the store's tests.

The coding stages are written elsewhere, so the store is tested through the
same ingest path with `synthetic_coder`: the real pipeline builds each article,
then a small rule table (trigger words, five Iraqi places, "On D Month YYYY")
codes the events the corpus was written to contain.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from sitrep.models import Actor, DocumentResult, Event, InputDocument, Location
from sitrep.pipeline import extract_many

PLACES: dict[str, Location] = {
    "Mosul": Location(
        name="Mosul",
        admin1="Nineveh",
        country="Iraq",
        iso3="IRQ",
        lat=36.335,
        lon=43.119,
        geonameid=99072,
        geo_precision=1,
    ),
    "Nineveh province": Location(
        name="Nineveh",
        admin1="Nineveh",
        country="Iraq",
        iso3="IRQ",
        lat=36.2,
        lon=42.6,
        geonameid=98228,
        geo_precision=3,
    ),
    "Baghdad": Location(
        name="Baghdad",
        admin1="Baghdad",
        country="Iraq",
        iso3="IRQ",
        lat=33.3406,
        lon=44.4009,
        geonameid=98182,
        geo_precision=1,
    ),
    "Erbil": Location(
        name="Erbil",
        admin1="Erbil",
        country="Iraq",
        iso3="IRQ",
        lat=36.19,
        lon=44.0089,
        geonameid=95446,
        geo_precision=1,
    ),
    "Kirkuk": Location(
        name="Kirkuk",
        admin1="Kirkuk",
        country="Iraq",
        iso3="IRQ",
        lat=35.4681,
        lon=44.3922,
        geonameid=94787,
        geo_precision=1,
    ),
}
# trigger -> (event_type, sub_event_type, plover_type, weapon)
TRIGGERS: dict[str, tuple[str, str, str, str | None]] = {
    "car bomb": ("Explosions/Remote violence", "Remote explosive/landmine/IED", "ASSAULT", "IED"),
    "rockets": (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        "ASSAULT",
        "rocket",
    ),
    "clashed": ("Battles", "Armed clash", "ASSAULT", "firearm"),
    "protested": ("Protests", "Peaceful protest", "PROTEST", None),
}
ACTORS = {
    "Islamic State": Actor(name="Islamic State", type="Rebel Groups", raw="Islamic State"),
    "Police clashed": Actor(name="Police Forces of Iraq", type="State Forces", raw="Police"),
}
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "nine": 9}
DATE = re.compile(r"\bon (\d{1,2} [A-Z][a-z]+ \d{4})")
DEATHS = re.compile(
    r"\b(?:killing|killed) (\d+|two|three|four|five|six|seven|nine) (?:people|soldiers)"
)
SENTENCE = re.compile(r"[^.]+\.")


def synthetic_events(document: InputDocument, body: str, content_hash: str) -> list[Event]:
    """The events the corpus sentences state, coded by the rule table above."""
    events = []
    for match in SENTENCE.finditer(body):
        sentence = match.group().strip()
        trigger = next((word for word in TRIGGERS if word in sentence), None)
        place = next((name for name in PLACES if name in sentence), None)
        day = DATE.search(sentence)
        if trigger is None or place is None or day is None:
            continue
        event_type, sub_event_type, plover_type, weapon = TRIGGERS[trigger]
        when = datetime.strptime(day.group(1), "%d %B %Y").date()
        deaths = DEATHS.search(sentence)
        actor = next((ACTORS[name] for name in ACTORS if name in sentence), None)
        key = f"{content_hash}|{match.start()}|{sub_event_type}"
        events.append(
            Event(
                event_id=hashlib.sha1(key.encode()).hexdigest()[:16],
                event_type=event_type,
                sub_event_type=sub_event_type,
                plover_type=plover_type,
                date=when,
                date_earliest=when,
                date_latest=when,
                time_precision=1,
                actor1=actor,
                location=PLACES[place],
                weapon=weapon,
                fatalities=(int(NUMBERS.get(deaths.group(1), deaths.group(1))) if deaths else None),
                sentence=sentence,
                confidence=0.9,
            )
        )
    return events


def synthetic_coder(documents: list[InputDocument]) -> Iterator[DocumentResult]:
    """The real pipeline, plus the corpus's known events; 'POISON' in a text crashes it."""
    if any("POISON" in document.text for document in documents):
        raise RuntimeError("poisoned document")
    for document, result in zip(documents, extract_many(documents), strict=True):
        result.events = synthetic_events(document, result.article.body, result.article.content_hash)
        yield result


MOSUL_WIRE = (
    "A car bomb exploded at a crowded market in Mosul on 12 March 2024, killing 7 people, "
    "police said. The Islamic State claimed the attack in a statement on its Amaq channel. "
    "Security forces sealed off the area and ambulances took the wounded to the city's "
    "main hospital, officials said."
)


def mosul_attack_reports() -> list[InputDocument]:
    """Wire copies, rewrites and an update of one Mosul car bombing, from six outlets."""
    return [
        InputDocument(
            id="reuters-1",
            source="Reuters",
            published="2024-03-12",
            title="Car bomb kills seven in Mosul market",
            url="https://www.reuters.com/world/mosul-bomb",
            text="MOSUL, Iraq (Reuters) - " + MOSUL_WIRE,
        ),
        InputDocument(
            id="ap-1",
            source="Associated Press",
            published="2024-03-12",
            title="Car bomb kills 7 in Iraq's Mosul",
            url="https://apnews.com/article/mosul-bomb",
            text="MOSUL, Iraq (AP) - " + MOSUL_WIRE.replace("officials said", "a doctor said"),
        ),
        InputDocument(
            id="arabiya-1",
            source="Al Arabiya",
            published="2024-03-12",
            title="Seven killed in Mosul car bombing",
            url="https://english.alarabiya.net/mosul-bomb",
            text=MOSUL_WIRE + " The city was retaken from the group in 2017.",
        ),
        InputDocument(
            id="rudaw-1",
            source="Rudaw",
            published="2024-03-12",
            title="Deadly blast in Mosul",
            url="https://www.rudaw.net/english/mosul-blast",
            text=(
                "Seven people died when a car bomb went off in a busy market in Mosul on "
                "12 March 2024, killing 7 people according to the city's health office. "
                "Witnesses described thick smoke over the old city."
            ),
        ),
        InputDocument(
            id="k24-1",
            source="Kurdistan24",
            published="2024-03-13",
            title="Mosul bombing toll rises to nine",
            url="https://www.kurdistan24.net/en/mosul-toll",
            text=(
                "The death toll from the car bomb that struck Mosul on 12 March 2024 rose, "
                "with the blast killing 9 people in all, hospital sources said. The Islamic "
                "State had claimed the bombing."
            ),
        ),
        InputDocument(
            id="nina-1",
            source="NINA",
            published="2024-03-12",
            title="Explosion in Nineveh",
            url="https://ninanews.com/nineveh-explosion",
            text=(
                "A car bomb struck a market in Nineveh province on 12 March 2024, killing "
                "several people, a security source said."
            ),
        ),
    ]


def unrelated_reports() -> list[InputDocument]:
    """Reports that share a day, a place or a type with the Mosul bombing, but not all."""
    return [
        InputDocument(
            id="baghdad-bomb",
            source="Reuters",
            published="2024-03-12",
            text=(
                "A car bomb exploded in Baghdad on 12 March 2024, killing 3 people, police said."
            ),
        ),
        InputDocument(
            id="mosul-protest",
            source="Rudaw",
            published="2024-03-12",
            text=(
                "Hundreds protested in Mosul on 12 March 2024 against power cuts, organisers said."
            ),
        ),
        InputDocument(
            id="mosul-bomb-later",
            source="NINA",
            published="2024-03-20",
            text=("A second car bomb hit Mosul on 19 March 2024, killing 2 people, police said."),
        ),
        InputDocument(
            id="kirkuk-clash",
            source="Kurdistan24",
            published="2024-03-12",
            text=(
                "Police clashed with gunmen in Kirkuk on 12 March 2024, killing 4 "
                "soldiers, an officer said."
            ),
        ),
    ]


def synthetic_corpus(count: int, seed: int = 7) -> list[InputDocument]:
    """`count` short reports over five places and sixty days, a fifth of them wire copies."""
    rng = random.Random(seed)
    outlets = ["Reuters", "AP", "AFP", "Rudaw", "NINA", "Shafaq", "Kurdistan24"]
    documents: list[InputDocument] = []
    for index in range(count):
        if documents and rng.random() < 0.2:
            original = rng.choice(documents)
            documents.append(
                original.model_copy(
                    update={
                        "id": f"copy-{index}",
                        "source": rng.choice(outlets),
                        "url": f"https://example.org/copy/{index}",
                        "text": original.text + " Reporting by staff; editing by the desk.",
                    }
                )
            )
            continue
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(60))
        place = rng.choice([name for name in PLACES if name != "Nineveh province"])
        trigger = rng.choice(list(TRIGGERS))
        deaths = rng.randrange(0, 12)
        if trigger == "protested":
            sentence = f"Hundreds protested in {place} on {day:%d %B %Y} over unpaid salaries."
        elif trigger == "clashed":
            sentence = (
                f"Police clashed with gunmen in {place} on {day:%d %B %Y}, killing "
                f"{deaths} soldiers."
            )
        else:
            sentence = (
                f"Three {trigger} hit {place} on {day:%d %B %Y}, killing {deaths} people."
                if trigger == "rockets"
                else f"A {trigger} exploded in {place} on {day:%d %B %Y}, killing {deaths} people."
            )
        filler = rng.choice(
            [
                "Officials gave no further details.",
                "No group immediately claimed responsibility.",
                "The area has seen repeated violence this year.",
            ]
        )
        documents.append(
            InputDocument(
                id=f"doc-{index}",
                source=rng.choice(outlets),
                url=f"https://example.org/news/{index}",
                published=day.isoformat(),
                text=f"{sentence} {filler} Report number {index}.",
            )
        )
    return documents


def write_jsonl(documents: Iterable[InputDocument], path: object) -> None:
    with open(str(path), "w", encoding="utf-8") as stream:
        for document in documents:
            stream.write(document.model_dump_json() + "\n")
