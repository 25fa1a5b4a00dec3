"""The actors stage: the dictionary, alias and generic resolution, role rules, queries, CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.actors import (
    actor_matches,
    actor_name_matches,
    canonical_names_matching,
    is_named_actor,
    load_dictionary,
    resolve_actors,
    resolve_mention,
)
from sitrep.actors.build import actor_rows
from sitrep.cli import main
from sitrep.evaluation.split import split_of
from sitrep.models import ACTOR_TYPES, Actor, Article, DocumentResult, Event, Location
from sitrep.store import CodedDocument, open_store, write_document


def _event(
    event_type: str | None,
    actor1: str | None,
    actor2: str | None = None,
    country: str = "Iraq",
    attribution: str = "unknown",
) -> Event:
    return Event(
        plover_type="ASSAULT",
        event_type=event_type,
        actor1=Actor(name=actor1, raw=actor1) if actor1 else None,
        actor1_attribution=attribution,  # type: ignore[arg-type]
        actor2=Actor(name=actor2, raw=actor2) if actor2 else None,
        location=Location(name="somewhere", country=country),
    )


# --- the dictionary as data -------------------------------------------------------------


def test_every_actor_has_an_acled_interaction_type() -> None:
    dictionary = load_dictionary()
    assert set(entry.type for entry in dictionary.entries.values()) <= set(ACTOR_TYPES.values())


def test_every_actor_country_is_spelled_as_acled_spells_it() -> None:
    dictionary = load_dictionary()
    known = dictionary.countries.names() | {"Artsakh"}
    strays = {
        e.country for e in dictionary.entries.values() if e.country and e.country not in known
    }
    assert strays == set()


def test_country_rules_name_actors_of_the_dictionary() -> None:
    dictionary = load_dictionary()
    assert set(dictionary.country_rules.values()) <= set(dictionary.entries)


def test_state_force_periods_come_from_acled_names() -> None:
    dictionary = load_dictionary()
    assert dictionary.state_periods["Iraq"] == "(2018-)"
    assert dictionary.state_periods["India"] == "(2014-)"
    # The Houthi authority's "(2016-)" is a sub-unit's period, not the Yemeni state's.
    assert dictionary.state_periods["Yemen"] == "(2012-)"


def test_builder_keeps_names_and_majority_codes_of_train_notes_only() -> None:
    ids = [f"acled-T{n}" for n in range(40)]
    train = [i for i in ids if split_of(i) == "train"][:2]
    test = [i for i in ids if split_of(i) == "test"][:1]

    def note(doc_id: str, actor1: str, inter1: str) -> str:
        event = {
            "actor1": actor1,
            "actor2": None,
            "location": {"country": "Iraq"},
            "raw": {"inter1": inter1, "inter2": "0"},
        }
        return json.dumps({"id": doc_id, "events": [event]})

    lines = [
        note(train[0], "Military Forces of Iraq (2018-)", "1"),
        note(train[1], "Military Forces of Iraq (2018-)", "1"),
        note(test[0], "Unseen Test Actor", "3"),
    ]
    assert actor_rows(lines) == [("Military Forces of Iraq (2018-)", "State Forces", "Iraq", 2)]


# --- mentions resolved in context -------------------------------------------------------


@pytest.mark.parametrize(
    ("mention", "country", "expected"),
    [
        ("ISIS", "Iraq", "Islamic State (Iraq)"),
        ("Daesh", "Iraq", "Islamic State (Iraq)"),
        ("IS jihadists", "Iraq", "Islamic State (Iraq)"),
        ("Islamic State militants", "Syria", "Islamic State (Syria)"),
        ("ISIS", "Nigeria", "Islamic State (West Africa)"),
        ("Hashed al-Shaabi", "Iraq", "Military Forces of Iraq (2018-) Popular Mobilization Forces"),
        (
            "the Popular Mobilisation Forces",
            "Iraq",
            "Military Forces of Iraq (2018-) Popular Mobilization Forces",
        ),
        ("PMF", "Iraq", "Military Forces of Iraq (2018-) Popular Mobilization Forces"),
        ("Taliban fighters", "Afghanistan", "Taliban"),
        ("Al shabaab militants", "Somalia", "Al Shabaab"),
        ("al-Shabaab", "Mozambique", "Islamist Militia (Mozambique)"),
        ("Houthi rebels", "Yemen", "Military Forces of Yemen (2016-) Supreme Political Council"),
        ("Al-Qaeda", "Yemen", "AQAP: Al Qaeda in the Arabian Peninsula"),
        ("the Maoists", "Nepal", "CPN-M-C: Communist Party of Nepal (Maoist-Chand)"),
        ("Fulani herdsmen", "Nigeria", "Fulani Ethnic Militia (Nigeria)"),
        ("military forces of Artsakh", "Azerbaijan", "Military Forces of Artsakh (2007-)"),
    ],
)
def test_aliases_resolve_to_the_canonical_name_of_the_events_country(
    mention: str, country: str, expected: str
) -> None:
    assert resolve_mention(mention, country).actor == Actor(
        name=expected,
        type=resolve_mention(mention, country).actor.type,  # type: ignore[union-attr]
        country=resolve_mention(mention, country).actor.country,  # type: ignore[union-attr]
        raw=mention,
    )
    assert resolve_mention(mention, country).rule in ("alias", "acronym")


@pytest.mark.parametrize(
    ("mention", "country", "expected", "actor_type"),
    [
        ("police", "Iraq", "Police Forces of Iraq (2018-)", "State Forces"),
        (
            "two policemen",
            "Philippines",
            "Police Forces of the Philippines (2016-)",
            "State Forces",
        ),
        ("Two security force members", "Egypt", "Military Forces of Egypt (2014-)", "State Forces"),
        ("gunmen", "Iraq", "Unidentified Armed Group (Iraq)", "Political Militias"),
        (
            "unidentified assailants",
            "Iraq",
            "Unidentified Armed Group (Iraq)",
            "Political Militias",
        ),
        ("armed men", "Mexico", "Unidentified Armed Group (Mexico)", "Political Militias"),
        ("a criminal group", "Mexico", "Unidentified Gang (Mexico)", "Political Militias"),
        ("villagers", "India", "Civilians (India)", "Civilians"),
        ("a group of protesters", "Iraq", "Protesters (Iraq)", "Protesters"),
        ("Afghan forces", "Afghanistan", "Military Forces of Afghanistan (2014-)", "State Forces"),
        ("Turkish troops", "Syria", "Military Forces of Turkey (2016-)", "External/Other Forces"),
        ("pro-Iran armed groups", "Iraq", "Unidentified Armed Group (Iraq)", "Political Militias"),
        ("soldiers", "Palestine", "Military Forces of Israel (2009-)", "External/Other Forces"),
        (
            "militiamen from the Leelkayse clan",
            "Somalia",
            "Unidentified Clan Militia (Somalia)",
            "Identity Militias",
        ),
        # airstrikes and drones are a state's forces; a period ACLED never gave still types it
        (
            "Israeli airstrikes",
            "Syria",
            "Military Forces of Israel (2009-)",
            "External/Other Forces",
        ),
        ("a Turkish drone", "Syria", "Military Forces of Turkey (2016-)", "External/Other Forces"),
        ("Saudi forces", "Syria", "Military Forces of Saudi Arabia", "External/Other Forces"),
        ("Norwegian soldiers", "Norway", "Military Forces of Norway", "State Forces"),
    ],
)
def test_generic_mentions_take_the_family_of_their_noun_in_the_country(
    mention: str, country: str, expected: str, actor_type: str
) -> None:
    resolution = resolve_mention(mention, country)
    assert resolution.rule == "generic"
    assert resolution.actor is not None
    assert (resolution.actor.name, resolution.actor.type) == (expected, actor_type)


def test_a_relative_clause_does_not_lend_its_country_or_nouns() -> None:
    resolution = resolve_mention(
        "groups that US and Iraqi officials say are backed by Iran", "Iraq"
    )
    assert resolution.actor is not None
    assert resolution.actor.name == "Unidentified Armed Group (Iraq)"


def test_an_apposition_does_not_lend_its_names() -> None:
    mention = (
        "the Conquest Alliance, the political wing of Iraq's Hashed-al-Shaabi paramilitary network"
    )
    assert resolve_mention(mention, "Iraq").rule == "unresolved"


def test_an_apposition_naming_the_group_of_a_person_gives_that_group() -> None:
    actor = resolve_mention(
        "Abu Sakib, a member of Al-Qaida in the Indian Subcontinent,", "India"
    ).actor
    assert actor is not None
    assert actor.name == "AQIS: Al Qaeda in the Indian Subcontinent"


def test_a_leading_date_kept_in_the_mention_is_passed_over() -> None:
    actor = resolve_mention("On 7 May 2020, presumed ISGS militants", "Burkina Faso").actor
    assert actor is not None
    assert actor.name == "Islamic State (Greater Sahara)"


@pytest.mark.parametrize(
    ("mention", "country", "expected"),
    [
        ("Jamaat Nusrat", "Mali", "JNIM: Group for Support of Islam and Muslims"),
        (
            "the Coalition of Patriots",
            "Central African Republic",
            "CPC: Coalition of Patriots for Change",
        ),
    ],
)
def test_a_name_cut_short_still_opens_one_alias(mention: str, country: str, expected: str) -> None:
    actor = resolve_mention(mention, country).actor
    assert actor is not None and actor.name == expected


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("Al Hayash tribesmen", "Al Hayash Tribal Militia (Yemen)"),
        ("Security forces", "Military Forces of Yemen (2012-)"),
    ],
)
def test_a_name_before_a_generic_noun_opens_its_actor(mention: str, expected: str) -> None:
    resolution = resolve_mention(mention, "Yemen")
    assert resolution.actor is not None
    assert resolution.actor.name == expected


def test_a_cut_short_name_opening_several_aliases_stays_unresolved() -> None:
    assert resolve_mention("the Islamic", "Iraq").rule == "unresolved"


def test_acronyms_match_in_capitals_only() -> None:
    assert resolve_mention("what is left", "Iraq").rule == "unresolved"
    assert resolve_mention("IS", "Iraq").rule == "acronym"


def test_a_state_sub_unit_alias_holds_in_its_own_country_only() -> None:
    in_brazil = resolve_mention("the Federal Police", "Brazil").actor
    in_india = resolve_mention("the Federal Police", "India").actor
    assert in_brazil is not None and in_india is not None
    assert in_brazil.name == "Police Forces of Brazil (2019-) Federal Police"
    assert in_india.name == "Police Forces of India (2014-)"


def test_the_event_country_may_be_spelled_another_way() -> None:
    actor = resolve_mention("soldiers", "Democratic Republic of the Congo").actor
    assert actor is not None
    assert actor.name == "Military Forces of the Democratic Republic of Congo (2019-)"


def test_an_unknown_mention_is_kept_as_written_and_names_no_known_group() -> None:
    resolution = resolve_mention("the Committee of Nowhere", "Iraq")
    assert resolution.rule == "unresolved"
    assert resolution.actor == Actor(
        name="the Committee of Nowhere", raw="the Committee of Nowhere"
    )
    assert not is_named_actor(resolution.actor.name)


# --- the pipeline stage: role rules and attribution --------------------------------------


def test_protesters_are_protesters_of_the_country_whatever_the_mention() -> None:
    event = _event("Protests", "medical interns", country="Israel")
    resolve_actors([event])
    assert event.actor1 == Actor(
        name="Protesters (Israel)", type="Protesters", country="Israel", raw="medical interns"
    )


def test_protesters_without_a_country_are_still_protesters() -> None:
    event = Event(
        plover_type="PROTEST",
        event_type="Protests",
        actor1=Actor(name="medical interns", raw="medical interns"),
    )
    resolve_actors([event])
    assert event.actor1 == Actor(name="Protesters", type="Protesters", raw="medical interns")


def test_riots_and_victims_of_violence_against_civilians_follow_acled_roles() -> None:
    riot = _event("Riots", "a mob", "the police", country="India")
    attack = _event("Violence against civilians", "gunmen", "a police officer", country="Nigeria")
    resolve_actors([riot, attack])
    assert riot.actor1 is not None and riot.actor2 is not None
    assert (riot.actor1.name, riot.actor2.name) == (
        "Rioters (India)",
        "Police Forces of India (2014-)",
    )
    assert attack.actor1 is not None and attack.actor2 is not None
    assert attack.actor1.name == "Unidentified Armed Group (Nigeria)"
    assert attack.actor2.name == "Civilians (Nigeria)"
    assert attack.actor2.raw == "a police officer"


@pytest.mark.parametrize(
    ("event_type", "mention"),
    [
        ("Violence against civilians", "a man"),
        ("Battles", "four men"),
        ("Explosions/Remote violence", "unknown people"),
    ],
)
def test_people_who_commit_violence_are_an_unidentified_armed_group_not_civilians(
    event_type: str, mention: str
) -> None:
    event = _event(event_type, mention, "a police officer", country="Puerto Rico")
    resolve_actors([event])
    assert event.actor1 is not None
    assert event.actor1.name == "Unidentified Armed Group (Puerto Rico)"
    assert event.actor1.type == "Political Militias"
    assert event.actor1.raw == mention


def test_people_in_a_non_violent_event_stay_civilians() -> None:
    event = _event("Strategic developments", "a man", country="Mexico")
    resolve_actors([event])
    assert event.actor1 is not None and event.actor1.name == "Civilians (Mexico)"


def test_an_attack_without_a_named_actor_gets_an_unidentified_group_and_no_attribution() -> None:
    event = _event("Explosions/Remote violence", None)
    resolve_actors([event])
    assert event.actor1 == Actor(
        name="Unidentified Armed Group (Iraq)", type="Political Militias", country="Iraq"
    )
    assert event.actor1_attribution == "unknown"


@pytest.mark.parametrize(
    ("country", "sentence", "expected"),
    [
        ("Mexico", "A man was shot dead in a drive-by incident.", "Unidentified Gang (Mexico)"),
        (
            "Brazil",
            "The body of a man was found with the hands tied.",
            "Unidentified Gang and/or Police Militia",
        ),
        # armed men without the marks of gang violence, or gang marks where ACLED has no rule
        ("Mexico", "Two armed men attacked a man.", "Unidentified Armed Group (Mexico)"),
        ("Iraq", "A man was shot dead in a drive-by incident.", "Unidentified Armed Group (Iraq)"),
    ],
)
def test_unnamed_organised_crime_violence_is_a_gangs_where_acled_says_so(
    country: str, sentence: str, expected: str
) -> None:
    event = _event("Violence against civilians", None, country=country)
    event.sentence = sentence
    resolve_actors([event])
    assert event.actor1 is not None
    assert event.actor1.name == expected
    assert event.actor1_attribution == "unknown"


@pytest.mark.parametrize(
    "sentence",
    [
        "On 9 May 2020, the OSCE SMM observed 6 explosions near Lozove.",
        "On 9 May 2020, 6 explosions were heard near Lozove.",
    ],
)
def test_a_monitors_count_of_fire_with_no_side_named_names_no_side(sentence: str) -> None:
    # Which party fired is not in the text: a base rate of who usually fires is not evidence.
    event = _event("Explosions/Remote violence", None, country="Ukraine")
    event.sentence = sentence
    resolve_actors([event])
    assert event.actor1 is not None
    assert (event.actor1.name, event.actor1.type) == (
        "Unidentified Armed Group (Ukraine)",
        "Political Militias",
    )


def test_a_side_the_monitor_names_is_kept() -> None:
    event = _event("Battles", "the NAF rebel forces", "the Ukrainian Forces", country="Ukraine")
    event.sentence = "On 9 May 2020, the OSCE SMM observed 2 shots; the NAF rebel forces fired."
    resolve_actors([event])
    assert event.actor1 is not None
    assert event.actor1.name == "NAF: United Armed Forces of Novorossiya"


@pytest.mark.parametrize(
    ("actor1", "actor2", "sentence", "country", "expected"),
    [
        # a thing in the slot: the sentence names the group by name
        (
            "a second one",
            None,
            "IS militants mortar shelled an Iraqi army unit.",
            "Iraq",
            "Islamic State (Iraq)",
        ),
        # an empty slot: actor2 (the Taliban) is the other side
        (
            None,
            "2 Taliban militants",
            "Taliban and IS fighters clashed in Khogyani.",
            "Afghanistan",
            "Islamic State (Afghanistan)",
        ),
        # a state's forces named by their country before the act of violence
        (
            None,
            None,
            "Afghan military commandos killed 3 militants in Nusay.",
            "Afghanistan",
            "Military Forces of Afghanistan (2014-)",
        ),
        # the army or the police as the sentence's subject
        (
            None,
            None,
            "On 2 May 2020, police in Burgersfort assaulted a taxi driver.",
            "South Africa",
            "Police Forces of South Africa (1994-)",
        ),
        # ... but not a source, a victim or the side answering an attack
        (
            None,
            None,
            "On 2 May 2020, police said gunmen shot a driver.",
            "South Africa",
            "Unidentified Armed Group (South Africa)",
        ),
        (
            None,
            None,
            "Two policemen were killed near Soweto.",
            "South Africa",
            "Unidentified Armed Group (South Africa)",
        ),
        (
            None,
            None,
            "Police responded with gunfire.",
            "Somalia",
            "Unidentified Armed Group (Somalia)",
        ),
        # the target of the attack is not its agent
        (
            None,
            None,
            "An explosive device detonated targeting a convoy of the Global Coalition.",
            "Iraq",
            "Unidentified Armed Group (Iraq)",
        ),
        (
            None,
            None,
            "Assailants attacked an SDF checkpoint in Raqqa.",
            "Syria",
            "Unidentified Armed Group (Syria)",
        ),
        (
            None,
            None,
            "An assailant attacked guards near Ras Karkar, West Bank.",
            "Palestine",
            "Unidentified Armed Group (Palestine)",
        ),
        (
            None,
            None,
            "A Military Police car was shot by suspects.",
            "Brazil",
            "Unidentified Armed Group (Brazil)",
        ),
        (
            None,
            None,
            "Unknown men killed two Afghan soldiers.",
            "Afghanistan",
            "Unidentified Armed Group (Afghanistan)",
        ),
        # the group opposed is not the actor
        (
            None,
            None,
            "Anti-Houthi National Resistance forces repelled an attack.",
            "Yemen",
            "National Resistance Forces",
        ),
    ],
)
def test_an_empty_perpetrator_slot_takes_the_group_the_sentence_names_as_agent(
    actor1: str | None, actor2: str | None, sentence: str, country: str, expected: str
) -> None:
    event = _event("Explosions/Remote violence", actor1, actor2, country=country)
    event.sentence = sentence
    resolve_actors([event])
    assert event.actor1 is not None and event.actor1.name == expected


def test_a_strategic_development_without_an_actor_takes_the_one_its_sentence_names() -> None:
    event = _event("Strategic developments", None, country="Syria")
    event.sentence = "On 4 May 2020, Turkish forces brought reinforcements to Idleb."
    resolve_actors([event])
    assert event.actor1 is not None
    assert (event.actor1.name, event.actor1.type) == (
        "Military Forces of Turkey (2016-)",
        "External/Other Forces",
    )


@pytest.mark.parametrize(
    ("mention", "country", "expected"),
    [
        ("prison guards", "Cuba", "Police Forces of Cuba (1959-)"),
        ("Govt forces", "Somalia", "Military Forces of Somalia (2017-)"),
        ("LDU paramilitaries", "Uganda", "Military Forces of Uganda (1986-) Local Defense Unit"),
        ("RR", "India", "Military Forces of India (2014-) Rashtriya Rifles"),
        ("Tiv and Ichen Ethnic Militias", "Nigeria", "Unidentified Communal Militia (Nigeria)"),
        ("two armed families", "Syria", "Unidentified Communal Militia (Syria)"),
    ],
)
def test_state_services_and_militias_by_their_common_names(
    mention: str, country: str, expected: str
) -> None:
    resolution = resolve_mention(mention, country)
    assert resolution.actor is not None and resolution.actor.name == expected


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("Baja California", "Unidentified Armed Group (Mexico)"),
        ("Ah Lel Sa Khan village", "Unidentified Armed Group (Mexico)"),
        # a name the dictionary lacks is still kept as written
        ("the Katibat Nowhere Brigade", "the Katibat Nowhere Brigade"),
    ],
)
def test_a_place_in_the_perpetrator_slot_names_nobody(mention: str, expected: str) -> None:
    event = _event("Battles", mention, country="Mexico")
    assert event.location is not None
    event.location.admin1 = "Baja California"
    event.sentence = f"On 6 May 2020, in Tijuana, {mention}, armed men attacked an officer."
    resolve_actors([event])
    assert event.actor1 is not None and event.actor1.name == expected


@pytest.mark.parametrize(
    ("mention", "sentence", "expected"),
    [
        (
            "militias",
            "On 6 May 2020, militias from Umumubu and Omor clashed over land ownership.",
            ("Unidentified Communal Militia (Nigeria)", "Identity Militias"),
        ),
        (
            None,
            "On 3 May 2020, inter-clan violence erupted in Afdere zone.",
            ("Unidentified Clan Militia (Nigeria)", "Identity Militias"),
        ),
        (
            "militias",
            "On 6 May 2020, militias attacked a police station in Anambra.",
            ("Unidentified Armed Group (Nigeria)", "Political Militias"),
        ),
    ],
)
def test_unnamed_groups_in_communal_fights_are_communal_militias(
    mention: str | None, sentence: str, expected: tuple[str, str]
) -> None:
    event = _event("Battles", mention, country="Nigeria")
    event.sentence = sentence
    resolve_actors([event])
    assert event.actor1 is not None
    assert (event.actor1.name, event.actor1.type) == expected


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("two unidentified forces", "Unidentified Armed Group (Yemen)"),
        ("a former military police officer", "Civilians (Yemen)"),
        ("an unknown number of soldiers", "Military Forces of Yemen (2012-)"),
    ],
)
def test_unnamed_and_former_forces_serve_no_state(mention: str, expected: str) -> None:
    resolution = resolve_mention(mention, "Yemen")
    assert resolution.actor is not None and resolution.actor.name == expected


def test_a_named_perpetrator_is_not_replaced_by_another_name_of_the_sentence() -> None:
    event = _event("Battles", "Taliban militants", "police", country="Afghanistan")
    event.sentence = "Taliban militants attacked a police post held by ANDSF."
    resolve_actors([event])
    assert event.actor1 is not None and event.actor1.name == "Taliban"


def test_the_opposed_group_in_a_mention_is_not_the_actor() -> None:
    resolution = resolve_mention("anti-Houthi forces", "Yemen")
    assert resolution.actor is not None
    assert resolution.actor.name == "Military Forces of Yemen (2012-)"
    assert resolve_mention("pro-Houthi forces", "Yemen").actor == Actor(
        name="Military Forces of Yemen (2016-) Supreme Political Council",
        type="State Forces",
        country="Yemen",
        raw="pro-Houthi forces",
    )


@pytest.mark.parametrize(
    ("country", "police", "expected"),
    [
        (
            "Brazil",
            "military police forces",
            (
                "Military Forces of Brazil (2019-) Military Police",
                "Unidentified Armed Group (Brazil)",
            ),
        ),
        # elsewhere the text's order holds
        (
            "Mexico",
            "police officers",
            ("Unidentified Armed Group (Mexico)", "Police Forces of Mexico (2018-)"),
        ),
    ],
)
def test_battle_sides_follow_the_order_acled_gives_them_in_the_country(
    country: str, police: str, expected: tuple[str, str]
) -> None:
    event = _event("Battles", "armed men", police, country=country)
    resolve_actors([event])
    assert event.actor1 is not None and event.actor2 is not None
    assert (event.actor1.name, event.actor2.name) == expected


def test_private_security_guards_are_private_security_forces() -> None:
    resolution = resolve_mention("private security guards", "Liberia")
    assert resolution.actor == Actor(
        name="Private Security Forces (Liberia)",
        type="External/Other Forces",
        country="Liberia",
        raw="private security guards",
    )


def test_a_named_group_places_an_unplaced_event() -> None:
    event = _event("Violence against civilians", "the NAF rebel forces")
    event.location = None
    resolve_actors([event])
    assert event.actor1 is not None and event.actor1.name.startswith("NAF")
    assert event.actor2 is not None
    assert event.actor2.name == "Civilians (Ukraine)"


def test_a_perpetrator_slot_holding_a_thing_names_nobody() -> None:
    device = _event("Explosions/Remote violence", "An explosive device", country="Egypt")
    unknown_group = _event("Battles", "the Katibat Nowhere Brigade", country="Syria")
    resolve_actors([device, unknown_group])
    assert device.actor1 == Actor(
        name="Unidentified Armed Group (Egypt)",
        type="Political Militias",
        country="Egypt",
        raw="An explosive device",
    )
    # A proper name the dictionary lacks is kept as written, not replaced by a guess.
    assert unknown_group.actor1 == Actor(
        name="the Katibat Nowhere Brigade", raw="the Katibat Nowhere Brigade"
    )


def test_a_thing_in_the_perpetrator_slot_was_never_a_stated_perpetrator() -> None:
    event = _event("Explosions/Remote violence", "a second one", attribution="stated")
    resolve_actors([event])
    assert event.actor1 is not None and event.actor1.name == "Unidentified Armed Group (Iraq)"
    assert event.actor1_attribution == "unknown"


def test_seed_story_rocket_attack_is_an_unidentified_group_suspected_never_a_militia() -> None:
    mention = "groups that US and Iraqi officials say are backed by Iran"
    event = _event("Explosions/Remote violence", mention, attribution="suspected")
    resolve_actors([event])
    assert event.actor1 is not None
    assert event.actor1.name == "Unidentified Armed Group (Iraq)"
    assert event.actor1.raw == mention
    assert event.actor1_attribution == "suspected"
    assert not is_named_actor(event.actor1.name)


def test_a_suspected_named_perpetrator_keeps_its_attribution() -> None:
    event = _event("Explosions/Remote violence", "Islamic State militants", attribution="suspected")
    resolve_actors([event])
    assert event.actor1 is not None and event.actor1.name == "Islamic State (Iraq)"
    assert event.actor1_attribution == "suspected"


def test_the_country_may_come_as_an_iso3_code_or_another_spelling() -> None:
    event = Event(
        plover_type="PROTEST",
        event_type="Protests",
        actor1=Actor(name="workers", raw="workers"),
        location=Location(name="Goma", country="DR Congo"),
    )
    resolve_actors([event])
    assert event.actor1 is not None
    assert event.actor1.name == "Protesters (Democratic Republic of Congo)"


# --- queries for the store and the evaluation ---------------------------------------------


def test_an_actor_query_expands_to_canonical_names_by_name_and_alias() -> None:
    assert {"Islamic State (Iraq)", "Islamic State (Syria)"} <= canonical_names_matching("isis")
    assert canonical_names_matching("Hashed al-Shaabi") == {
        "Military Forces of Iraq (2018-) Popular Mobilization Forces"
    }
    assert "Taliban" in canonical_names_matching("taliban")
    assert "Taliban" not in canonical_names_matching("Pakistani Taliban")
    assert canonical_names_matching("  ") == set()


def test_a_stored_name_outside_the_dictionary_answers_by_its_familys_aliases() -> None:
    assert actor_name_matches("ISIS", "Islamic State (Mali)")
    assert actor_name_matches("police iraq", "Police Forces of Iraq (2018-)")
    assert not actor_name_matches("ISIS", "Taliban")
    assert not actor_name_matches("", "Taliban")


def test_gtd_group_names_match_as_aliases_of_the_coded_name() -> None:
    assert actor_matches("Islamic State (Iraq)", "Islamic State of Iraq and the Levant (ISIL)")
    assert actor_matches(
        "Military Forces of Yemen (2016-) Supreme Political Council",
        "Houthi extremists (Ansar Allah)",
    )
    assert actor_matches("Al Shabaab", "Al-Shabaab")
    assert not actor_matches("Al Shabaab", "Taliban")
    assert not actor_matches(None, "Taliban")


def test_named_and_generic_actors_are_told_apart() -> None:
    assert is_named_actor("Taliban")
    assert is_named_actor("Islamic State (Iraq)")
    assert not is_named_actor("Unidentified Armed Group (Iraq)")
    assert not is_named_actor("Protesters (Iraq)")
    assert not is_named_actor(None)


# --- the command line ----------------------------------------------------------------------


def test_cli_lists_actors_matching_a_query() -> None:
    result = CliRunner().invoke(main, ["actors", "--match", "PMF"])
    assert result.exit_code == 0, result.output
    name, actor_type, country, aliases = result.output.strip().split("\t")
    assert (name, actor_type, country) == (
        "Military Forces of Iraq (2018-) Popular Mobilization Forces",
        "State Forces",
        "Iraq",
    )
    assert aliases.endswith(" aliases")


def test_cli_explains_a_resolution() -> None:
    result = CliRunner().invoke(
        main, ["actors", "--resolve", "IS jihadists", "--country", "Iraq", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "mention": "IS jihadists",
        "name": "Islamic State (Iraq)",
        "type": "Rebel Groups",
        "country": "Iraq",
        "rule": "alias",
        "matched": "is jihadist",
    }


def test_cli_rejects_an_unknown_country() -> None:
    result = CliRunner().invoke(main, ["actors", "--country", "Atlantis"])
    assert result.exit_code != 0
    assert "unknown country" in result.output


# --- counts from a real store ----------------------------------------------------------------


def _stored_event(
    event_id: str, event_type: str, actor1: str, actor2: str | None, day: int, place: str
) -> Event:
    return Event(
        event_id=event_id,
        event_type=event_type,
        plover_type="ASSAULT",
        date=dt.date(2020, 5, day),
        actor1=Actor(name=actor1, raw=actor1),
        actor2=Actor(name=actor2, raw=actor2) if actor2 else None,
        location=Location(name=place, country="Iraq", iso3="IRQ"),
    )


def test_cli_counts_stored_happenings_per_canonical_actor(tmp_path: Path) -> None:
    store = str(tmp_path / "events.db")
    engine = open_store(store)
    documents = [
        [
            _stored_event(
                "a",
                "Battles",
                "Islamic State (Iraq)",
                "Military Forces of Iraq (2018-)",
                1,
                "Mosul",
            )
        ],
        [
            _stored_event("b", "Protests", "Protesters (Iraq)", None, 3, "Baghdad"),
            _stored_event(
                "c",
                "Violence against civilians",
                "Islamic State (Iraq)",
                "Civilians (Iraq)",
                20,
                "Kirkuk",
            ),
        ],
    ]
    for number, coded_events in enumerate(documents):
        body = f"Report number {number} about events in Iraq."
        article = Article(body=body, content_hash=f"{number:064d}")
        result = DocumentResult(id=f"doc{number}", article=article, events=coded_events)
        write_document(engine, CodedDocument(input_hash=f"{number}" * 64, result=result))
    engine.dispose()

    result = CliRunner().invoke(main, ["actors", "--db", store, "--country", "Iraq"])
    assert result.exit_code == 0, result.output
    counted = {
        line.split("\t")[0]: line.split("\t")[4]
        for line in result.output.splitlines()
        if not line.endswith("\t0 events")
    }
    assert counted == {
        "Islamic State (Iraq)": "2 events",
        "Military Forces of Iraq (2018-)": "1 events",
        "Protesters (Iraq)": "1 events",
        "Civilians (Iraq)": "1 events",
    }
    first = result.output.splitlines()[0].split("\t")
    assert first[:3] == ["Islamic State (Iraq)", "Rebel Groups", "Iraq"]


@pytest.mark.parametrize(
    ("mention", "country", "name", "actor_type"),
    [
        (
            "a new Turkish column",
            "Syria",
            "Military Forces of Turkey (2016-)",
            "External/Other Forces",
        ),
        ("a Russian patrol", "Syria", "Military Forces of Russia (2000-)", "External/Other Forces"),
        ("Nigeria Customs", "Nigeria", "Police Forces of Nigeria (2015-)", "State Forces"),
        ("the bomb disposal squad", "India", "Police Forces of India (2014-)", "State Forces"),
    ],
)
def test_a_force_s_units_and_services_are_its_state_forces(
    mention: str, country: str, name: str, actor_type: str
) -> None:
    actor = resolve_mention(mention, country).actor
    assert actor is not None
    assert (actor.name, actor.type) == (name, actor_type)
