"""Weapon and weapon count from one sentence (sitrep.events.weapons)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from sitrep.events.weapons import find_weapon
from sitrep.nlp import load_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


@pytest.mark.parametrize(
    ("text", "weapon", "count"),
    [
        ("Two rockets were fired early Thursday against the Green Zone.", "rocket", 2),
        ("A car bomb exploded near the market.", "VBIED", 1),
        ("Gunmen opened fire on a bus.", "firearm", None),
        ("A policeman was shot dead.", "firearm", None),
        ("An explosive device detonated targeting the vehicle of security forces.", "IED", 1),
        ("A suicide bomber detonated an explosive vest.", "suicide vest", 1),
        ("Two soldiers were killed in a drone strike.", "drone", 1),
        ("Assailants set fire to a school.", "arson", None),
        ("Three mortar shells landed in the camp.", "mortar", 3),
        ("The farmer was stabbed to death.", "knife", None),
        ("A ballistic missile struck a residential neighborhood.", "missile", 1),
        ("Assailants threw a grenade at the checkpoint.", "grenade", 1),
        ("A landmine exploded under the truck.", "landmine", 1),
        ("Warplanes bombed the town.", "airstrike", None),
    ],
)
def test_weapons(nlp: Language, text: str, weapon: str, count: int | None) -> None:
    mention = find_weapon(nlp(text)[:])
    assert mention is not None
    assert (mention.weapon, mention.count) == (weapon, count)


def test_span_points_at_the_cue(nlp: Language) -> None:
    doc = nlp("On Monday, two rockets hit the base.")
    mention = find_weapon(doc[:])
    assert mention is not None
    assert doc.text[mention.start : mention.end] == "rockets"


@pytest.mark.parametrize(
    "text", ["Protesters gathered in the square.", "The minister met his counterpart in Doha."]
)
def test_no_weapon(nlp: Language, text: str) -> None:
    assert find_weapon(nlp(text)[:]) is None


def test_seed_story_rockets(nlp: Language, seed_story_text: str) -> None:
    # The body from its first sentence on, as article.body holds it (no title or dateline).
    doc = nlp(seed_story_text[seed_story_text.index("Two rockets were fired") :])
    rockets = next(s for s in doc.sents if "Two rockets were fired" in s.text)
    drone = next(s for s in doc.sents if "drone strike" in s.text)
    mention = find_weapon(rockets)
    assert mention is not None
    assert (mention.weapon, mention.count) == ("rocket", 2)
    strike = find_weapon(drone)
    assert strike is not None
    assert strike.weapon == "drone"
