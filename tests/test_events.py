"""Event coding: the seed story as the analyst codes it, and the rules on tiny texts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from spacy.tokens import Doc

from invariants import check_result
from sitrep import extract
from sitrep.article import build_article
from sitrep.events import code_events
from sitrep.events.classify import (
    FEATURES,
    NO_SUB_EVENT,
    SubEventModel,
    lemma_tokens,
    load_model,
    parse_tokens,
    reported_label,
)
from sitrep.events.plover import rule_sub_event
from sitrep.models import DocumentResult, Event, InputDocument
from sitrep.nlp import load_pipeline

TODAY = date(2026, 11, 28)
SEED = Path(__file__).resolve().parents[2] / "shared" / "examples" / "baghdad-rockets.txt"


@pytest.fixture(scope="module")
def seed() -> DocumentResult:
    lines = SEED.read_text(encoding="utf-8").split("\n", 1)
    return extract(lines[1], title=lines[0], today=TODAY)


def _of(result: DocumentResult, sub_event_type: str) -> Event:
    (event,) = [e for e in result.events if e.sub_event_type == sub_event_type]
    return event


def test_seed_rocket_attack(seed: DocumentResult) -> None:
    rockets = _of(seed, "Shelling/artillery/missile attack")
    assert rockets.event_type == "Explosions/Remote violence"
    assert rockets.plover_type == "ASSAULT" and rockets.status == "occurred"
    assert rockets.date == date(2021, 7, 29) and rockets.time_precision == 1
    assert rockets.location is not None and rockets.location.geo_precision == 1
    assert abs(rockets.location.lat - 33.30) < 0.05 and abs(rockets.location.lon - 44.39) < 0.05
    assert (rockets.weapon, rockets.weapon_count) == ("rocket", 2)
    assert rockets.fatalities == 0 and rockets.injuries == 0
    assert rockets.actor1_attribution not in ("stated", "claimed")
    assert rockets.actor1 is None or rockets.actor1.name.startswith("Unidentified Armed Group")
    assert rockets.target is not None and "Green Zone" in rockets.target


def test_seed_drone_strike_has_a_range_not_a_day(seed: DocumentResult) -> None:
    drone = _of(seed, "Air/drone strike")
    assert drone.fatalities == 0
    assert drone.location is not None and drone.location.geo_precision == 3
    assert drone.location.admin1 != "Baghdad"
    assert drone.date_earliest is not None and drone.date_latest is not None
    assert date(2021, 7, 1) <= drone.date_earliest <= date(2021, 7, 10)
    assert date(2021, 7, 24) <= drone.date_latest <= date(2021, 7, 28)
    assert drone.time_precision in (2, 3)


def test_seed_has_the_diplomatic_events_and_no_background_records(seed: DocumentResult) -> None:
    types = sorted(e.plover_type for e in seed.events)
    assert types == ["ASSAULT", "ASSAULT", "CONSULT", "RETREAT", "SUPPORT"]
    for event in seed.events:
        assert "almost daily" not in event.sentence
        assert "regularly the target" not in event.sentence
        assert not event.sentence.startswith("Amid the threat")
    consult = next(e for e in seed.events if e.plover_type == "CONSULT")
    assert consult.event_type is None
    assert consult.location is not None and consult.location.admin1 == "District of Columbia"


def test_seed_result_keeps_every_invariant(seed: DocumentResult) -> None:
    check_result(seed)
    for event in seed.events:
        fields = {item.field for item in event.evidence}
        assert "plover_type" in fields and "sentence" in fields
        if event.fatalities is not None:
            assert "fatalities" in fields


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        (
            "A suicide bomber blew himself up at a checkpoint in Kabul, killing four guards.",
            "Suicide bomb",
        ),
        ("Gunmen opened fire on a bus in Maiduguri on Monday, killing six passengers.", None),
        (
            "Hundreds of teachers protested outside parliament in Nairobi over unpaid wages.",
            "Peaceful protest",
        ),
        (
            "A roadside bomb exploded near a police patrol in Mosul, wounding two officers.",
            "Remote explosive/landmine/IED",
        ),
    ],
)
def test_short_reports_are_one_typed_event(text: str, sub_event_type: str | None) -> None:
    result = extract(text, published="2021-03-01")
    assert len(result.events) == 1
    event = result.events[0]
    if sub_event_type is not None:
        assert event.sub_event_type == sub_event_type
    assert event.event_type is not None


def test_casualty_update_in_a_later_sentence_is_the_same_happening() -> None:
    text = (
        "MOSUL, Iraq, March 2 (Wire) — A car bomb exploded at a market in Mosul on Tuesday, "
        "killing five people. The death toll from the bombing later rose to nine, police said. "
        "Officials said the attack was the deadliest this year. Markets reopened on Wednesday."
    )
    result = extract(text, published="2021-03-02")
    violent = [e for e in result.events if e.plover_type == "ASSAULT"]
    assert len(violent) == 1
    assert violent[0].fatalities == 9
    assert len(violent[0].sentence_spans) >= 2


def test_claim_in_a_later_sentence_is_claimed_attribution() -> None:
    text = (
        "KABUL, June 3 (Wire) — A bomb exploded at a mosque in Kabul on Friday, killing three "
        "worshippers and wounding 12 others. The Islamic State group claimed responsibility "
        "for the bombing in a statement on its news agency. Police were investigating."
    )
    result = extract(text, published="2021-06-04")
    (bombing,) = [e for e in result.events if e.plover_type == "ASSAULT"]
    assert bombing.actor1_attribution == "claimed"
    assert bombing.fatalities == 3 and bombing.injuries == 12


def test_habitual_and_hypothetical_statements_are_not_events() -> None:
    text = (
        "LONDON, May 5 (Wire) — The minister spoke to reporters on Tuesday about the budget. "
        "Rockets are regularly fired at the base by militias. "
        "Attacks had been launched almost daily in recent months. "
        "Officials said militants could attack the airport if talks fail."
    )
    result = extract(text, published="2021-05-05")
    assert all(e.plover_type != "ASSAULT" for e in result.events)


def _label(result: DocumentResult) -> str | None:
    """The document's label as the classification sets read it: its most confident typed event."""
    typed = [e for e in result.events if e.sub_event_type]
    return max(typed, key=lambda e: e.confidence).sub_event_type if typed else None


def test_a_weapon_named_in_passing_does_not_make_a_clash_a_grenade_attack() -> None:
    text = (
        "On 5 May 2020, Taliban militants clashed with Afghan army soldiers in Qaisar district "
        "of Faryab, using rocket-propelled grenades and machine guns. Three soldiers were killed."
    )
    assert _label(extract(text, published="2020-05-06")) == "Armed clash"


def test_a_protest_note_is_a_peaceful_protest() -> None:
    text = (
        "On 4 May 2020, nurses demonstrated outside the regional hospital in Kumasi, "
        "demanding protective equipment. [size=no report]"
    )
    assert _label(extract(text, published="2020-05-06")) == "Peaceful protest"


def test_the_model_reads_a_short_note_with_no_trigger_word() -> None:
    text = "On 3 May 2020, army reinforcements reportedly reached the frontline north of the town."
    result = extract(text, published="2020-05-06")
    assert [e.plover_type for e in result.events] == ["MOBILIZE"]
    assert result.events[0].event_type == "Strategic developments"


def test_what_a_concession_acts_on_is_no_happening_of_its_own() -> None:
    result = extract("The government lifted the night curfew in the capital on Sunday.")
    assert [e.plover_type for e in result.events] == ["CONCEDE"]


@pytest.mark.parametrize(
    ("text", "plover_type"),
    [
        ("Ecuador granted political asylum to three opposition activists on Friday.", "AID"),
        ("The two leaders promised to restore direct flights between their countries.", "AGREE"),
        ("Villagers blocked the main highway on Monday over the lack of water.", "PROTEST"),
        ("The union called off the strike after talks with the ministry.", "CONCEDE"),
    ],
)
def test_plover_acts_of_the_lexicon(text: str, plover_type: str) -> None:
    assert plover_type in {e.plover_type for e in extract(text).events}


@pytest.mark.parametrize(
    ("text", "plover_type"),
    [
        ("Japan says it is willing to provide aid to the flood victims.", "AGREE"),
        ("The minister said the government will freeze the assets of the company.", "THREATEN"),
    ],
)
def test_a_stated_intention_is_a_promise_or_a_threat(text: str, plover_type: str) -> None:
    assert plover_type in {e.plover_type for e in extract(text).events}


def test_an_accident_the_model_reads_as_no_acled_event_gets_no_acled_type() -> None:
    text = "A gas cylinder explosion at a restaurant in Karachi killed four people on Monday."
    assert all(e.sub_event_type is None for e in extract(text).events)


def test_what_a_speaker_says_another_must_do_is_a_demand() -> None:
    text = "The minister declared on Tuesday that the neighbours must open their border."
    assert "REQUEST" in {e.plover_type for e in extract(text).events}


def _parsed(text: str) -> Doc:
    return load_pipeline()(text)


def test_parse_features_name_who_a_verb_acts_on_and_its_class() -> None:
    tokens = parse_tokens(_parsed("Gunmen shot and killed two police officers in Kano."))
    assert "v:kill" in tokens
    assert "kill>obj:officer" in tokens and "kill>obj:ARMED" in tokens
    assert "shoot>subj:ARMED" in tokens


def test_parse_features_read_through_a_partitive_and_mark_negation() -> None:
    tokens = parse_tokens(_parsed("A member of the security forces was not harmed by the mob."))
    assert "harm>obj:force" in tokens
    assert "neg:harm" in tokens
    assert "harm>subj:CROWD" in tokens


def test_an_attack_on_a_village_names_civilians() -> None:
    tokens = parse_tokens(_parsed("The attack on the village lasted an hour."))
    assert "attack>on:village" in tokens and "on:CIVILIAN" in tokens


def test_classes_learned_apart_are_reported_as_one_label() -> None:
    model = SubEventModel(
        classes=("Attack", "none:DIPLO", "none:ORG_CRIME"),
        coef=np.zeros((3, FEATURES), dtype=np.float32),
        intercept=np.array([0.0, -0.1, -0.1], dtype=np.float32),
    )
    ((label, probability), (other, _)) = model.rank([_parsed("Talks were held.")])[0]
    assert (label, other) == ("none", "Attack")
    assert probability > 0.5
    assert reported_label("none:DIPLO") == NO_SUB_EVENT


def test_who_was_shot_moves_a_note_towards_a_battle_or_an_attack_on_civilians() -> None:
    officer = "On 3 May 2020, gunmen shot and killed a police officer at a checkpoint in Kano."
    teacher = "On 3 May 2020, gunmen shot and killed a teacher at his home in Kano."
    (of_officer, of_teacher) = (
        dict(r) for r in load_model().rank([_parsed(officer), _parsed(teacher)])
    )
    assert of_officer["Armed clash"] > 10 * of_teacher["Armed clash"]
    assert _label(extract(teacher, published="2020-05-06")) == "Attack"


def test_lemma_features_fold_inflections_and_pair_content_words() -> None:
    tokens = lemma_tokens(_parsed("Soldiers were shooting at the protesters."))
    assert "soldier" in tokens and "shoot" in tokens
    assert "shoot protester" in tokens


def _favouring(label: str) -> SubEventModel:
    """A model that reads every text as `label`."""
    classes = ("Armed clash", "Attack", "none:DIPLO")
    return SubEventModel(
        classes=classes,
        coef=np.zeros((len(classes), FEATURES), dtype=np.float32),
        intercept=np.array([5.0 if c == label else 0.0 for c in classes], dtype=np.float32),
    )


def test_the_model_given_types_the_events_in_place_of_the_shipped_one() -> None:
    text = "On 3 May 2020, gunmen attacked the village of Kawo in Kano."
    article = build_article(InputDocument(id="kawo", text=text, published="2020-05-06"))
    doc = load_pipeline()(article.body)
    for label in ("Armed clash", "Attack"):
        events = code_events(article, doc, _favouring(label))
        assert [e.sub_event_type for e in events] == [label]


def _reading(label: str, *others: str) -> SubEventModel:
    """A model that reads every text as `label`, knowing `others` and `none` too."""
    classes = (label, *others, "none:DIPLO")
    return SubEventModel(
        classes=classes,
        coef=np.zeros((len(classes), FEATURES), dtype=np.float32),
        intercept=np.array([5.0 if c == label else 0.0 for c in classes], dtype=np.float32),
    )


def _sub_events(text: str, model: SubEventModel) -> list[str | None]:
    article = build_article(InputDocument(id="note", text=text, published="2020-05-06"))
    return [e.sub_event_type for e in code_events(article, load_pipeline()(article.body), model)]


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        ("On 3 May 2020, gunmen shot and killed two civilians in Kano.", "Attack"),
        ("On 3 May 2020, a militia fighter opened fire on two children in Kano.", "Attack"),
        # Two sides fought, or the victims may have been armed: the model's clash stands.
        (
            "On 3 May 2020, gunmen clashed with vigilantes in Kano. Two civilians were killed.",
            "Armed clash",
        ),
        ("On 3 May 2020, gunmen shot and killed an armed man in Kano.", "Armed clash"),
        ("On 3 May 2020, gunmen shot and killed a man in Kano.", "Armed clash"),
        # Civilians hurt by an explosive or air weapon are remote violence, not an attack.
        ("On 1 May 2020, gunmen killed two civilians with a roadside bomb in Homs.", "Armed clash"),
        ("On 3 May 2020, 12 people were killed in an attack by rebels in Kano.", "Armed clash"),
    ],
)
def test_an_armed_clash_done_to_civilians_alone_is_an_attack(
    text: str, sub_event_type: str
) -> None:
    assert _sub_events(text, _reading("Armed clash", "Attack")) == [sub_event_type]


def test_demonstrators_who_barricade_roads_riot_whatever_the_model_reads() -> None:
    protest = _reading("Peaceful protest", "Violent demonstration", "Attack")
    told_later = (
        "On 4 May 2020, traders demonstrated in Kumasi over new market taxes. "
        "The group set barricades on fire on the main road. [size=no report]"
    )
    assert "Violent demonstration" in _sub_events(told_later, protest)
    assert "Peaceful protest" not in _sub_events(told_later, protest)
    no_protest_word = "On 4 May 2020, residents barricaded roads in Kumasi to denounce power cuts."
    assert _sub_events(no_protest_word, protest)[0] == "Violent demonstration"


def test_burning_tyres_do_not_make_a_killing_a_riot() -> None:
    text = (
        "On 4 May 2020, gang members shot dead two men in Kumasi. "
        "Piles of burning tyres were seen near the market."
    )
    attack = _reading("Attack", "Violent demonstration", "Peaceful protest")
    assert _sub_events(text, attack) == ["Attack"]


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        ("On 3 May 2020, police forces beat a man in Conakry for not wearing a mask.", "Attack"),
        ("On 3 May 2020, soldiers beat up two traders at a market in Conakry.", "Attack"),
        # A crowd, or someone the text does not name, may be a mob; a fight stays a riot.
        ("On 3 May 2020, a group of assailants beat a man in Conakry.", "Mob violence"),
        ("On 3 May 2020, police officers fought with market vendors in Conakry.", "Mob violence"),
        ("On 3 May 2020, police beat a trader as a crowd gathered in Conakry.", "Mob violence"),
    ],
)
def test_mob_violence_by_state_forces_is_an_attack(text: str, sub_event_type: str) -> None:
    assert _sub_events(text, _reading("Mob violence", "Attack")) == [sub_event_type]


@pytest.mark.parametrize(
    "text",
    ["killed in the explosion of two IEDs", "an RCIED targeted a convoy", "a VBIED went off"],
)
def test_improvised_explosive_devices_are_explicit_in_every_spelling(text: str) -> None:
    found = rule_sub_event(text)
    assert found is not None and found.sub_event == "Remote explosive/landmine/IED"
