"""Who did it, to whom, and how sure the text is (sitrep.events.participants)."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Token

from sitrep.events.participants import (
    Mention,
    Participants,
    find_participants,
    is_vague_text,
    outranks,
)
from sitrep.nlp import load_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def read(nlp: Language, text: str) -> tuple[Doc, Participants]:
    doc = nlp(text)
    return doc, find_participants(doc[:])


def text_of(doc: Doc, mention: Mention | None) -> str | None:
    """The mention's words, read back from the document by its offsets."""
    if mention is None:
        return None
    assert doc.text[mention.start : mention.end] == mention.text
    return mention.text


def test_passive_without_agent_is_unknown_and_keeps_the_target(nlp: Language) -> None:
    doc, found = read(
        nlp,
        "Two rockets were fired early Thursday against Baghdad's fortified Green Zone which "
        "houses the US embassy, without causing any casualties or damage, an Iraqi security "
        "source said.",
    )
    assert found.actor1 is None
    assert found.attribution == "unknown"
    assert text_of(doc, found.target) == "Baghdad's fortified Green Zone"


def test_claim_names_the_claimer(nlp: Language) -> None:
    doc, found = read(nlp, "Al-Shabaab claimed responsibility for the incident.")
    assert found.attribution == "claimed"
    assert text_of(doc, found.actor1) == "Al-Shabaab"
    assert text_of(doc, found.attribution_cue) == "claimed responsibility"


def test_no_group_claimed_is_no_claim(nlp: Language) -> None:
    _, found = read(nlp, "No group claimed responsibility for the incident.")
    assert found.attribution == "unknown"
    assert found.actor1 is None


@pytest.mark.parametrize(
    ("text", "actor1"),
    [
        (
            "No group claimed responsibility for the incident; however, Yemeni authorities "
            "attributed the attack to Houthi extremists (Ansar Allah).",
            "Houthi extremists (Ansar Allah)",
        ),
        (
            "Attacks on US interests in Iraq had been launched almost daily in recent months, "
            "blamed on pro-Iran armed groups within the security apparatus.",
            "pro-Iran armed groups",
        ),
        ("Police suspect that Boko Haram militants attacked the village.", "Boko Haram militants"),
        ("Suspected Boko Haram militants attacked the village.", "Suspected Boko Haram militants"),
        (
            "The Green Zone is regularly the target of rockets fired by groups that US and Iraqi "
            "officials say are backed by Iran.",
            "groups",
        ),
    ],
)
def test_suspicions_stay_suspicions(nlp: Language, text: str, actor1: str) -> None:
    doc, found = read(nlp, text)
    assert found.attribution == "suspected"
    assert text_of(doc, found.actor1) == actor1
    assert found.attribution_cue is not None


@pytest.mark.parametrize(
    ("text", "actor1", "actor2", "target"),
    [
        (
            "Taliban fighters attacked a police checkpoint in Kunduz.",
            "Taliban fighters",
            None,
            "a police checkpoint",
        ),
        (
            "Militants of Boko Haram stormed the village and killed five soldiers.",
            "Militants of Boko Haram",
            "five soldiers",
            "the village",
        ),
        (
            "Al shabaab militants attacked Jubaland security forces near Bar-Sanguun village.",
            "Al shabaab militants",
            "Jubaland security forces",
            "Jubaland security forces",
        ),
        ("Protesters clashed with police in Nairobi.", "Protesters", "police", "police"),
    ],
)
def test_asserted_doers_are_stated(
    nlp: Language, text: str, actor1: str, actor2: str | None, target: str | None
) -> None:
    doc, found = read(nlp, text)
    assert found.attribution == "stated"
    assert text_of(doc, found.actor1) == actor1
    assert text_of(doc, found.actor2) == actor2
    assert text_of(doc, found.target) == target


def test_vague_doer_is_kept_raw_and_stated(nlp: Language) -> None:
    doc, found = read(nlp, "Gunmen opened fire on a wedding hall, killing 6 civilians.")
    assert found.attribution == "stated"
    assert text_of(doc, found.actor1) == "Gunmen"
    assert text_of(doc, found.actor2) == "6 civilians"
    assert text_of(doc, found.target) == "a wedding hall"


def test_named_suspect_beats_vague_doer(nlp: Language) -> None:
    doc = nlp(
        "Assailants attacked security positions in Marib. No group claimed responsibility; "
        "however, sources attributed the attack to the Houthis."
    )
    sentences = list(doc.sents)
    assert find_participants(sentences[0]).attribution == "stated"
    assert find_participants(sentences[-1]).attribution == "suspected"


def test_trigger_given_by_the_caller(nlp: Language) -> None:
    doc = nlp("Soldiers arrested two men after gunmen attacked a checkpoint.")
    trigger = next(t for t in doc if t.lemma_ == "attack")
    found = find_participants(doc[:], trigger)
    assert text_of(doc, found.actor1) == "gunmen"
    assert text_of(doc, found.target) == "a checkpoint"


def test_seed_story_rockets_have_no_stated_doer(nlp: Language, seed_story_text: str) -> None:
    # The body from its first sentence on, as article.body holds it (no title or dateline).
    doc = nlp(seed_story_text[seed_story_text.index("Two rockets were fired") :])
    rockets = next(s for s in doc.sents if "Two rockets were fired" in s.text)
    trigger = next(t for t in rockets if t.lower_ == "fired")
    found = find_participants(rockets, trigger)
    assert found.attribution not in ("stated", "claimed")
    assert text_of(doc, found.target) == "Baghdad’s fortified Green Zone"


def claim_trigger(doc: Doc, lemma: str) -> Token:
    return next(t for t in doc if t.lemma_ == lemma)


@pytest.mark.parametrize(
    ("text", "lemma", "actor1"),
    [
        (
            "No group claimed responsibility for the incident; however, sources attributed "
            "the attack to the Taliban.",
            "attribute",
            "the Taliban",
        ),
        (
            "No group claimed responsibility for the incident; however, sources attributed "
            "the attack to the Taliban.",
            "claim",
            "the Taliban",
        ),
        (
            "No group claimed responsibility; however, sources suspected that the incidents "
            "were carried out by the Indigenous People of Biafra.",
            "claim",
            "the Indigenous People of Biafra",
        ),
    ],
)
def test_who_blames_is_not_the_doer(nlp: Language, text: str, lemma: str, actor1: str) -> None:
    # The claim or blame verb is the trigger: its subject ("sources", "No group") did nothing.
    doc = nlp(text)
    found = find_participants(doc[:], claim_trigger(doc, lemma))
    assert found.attribution == "suspected"
    assert text_of(doc, found.actor1) == actor1


def test_suspected_that_x_was_involved(nlp: Language) -> None:
    doc, found = read(
        nlp,
        "No group claimed responsibility; however, sources suspected that the Bangsamoro "
        "Islamic Freedom Movement was involved in the attack.",
    )
    assert found.attribution == "suspected"
    assert text_of(doc, found.actor1) == "the Bangsamoro Islamic Freedom Movement"


@pytest.mark.parametrize(
    ("text", "actor1"),
    [
        ("Assailants suspected to be ISWAP militants attacked a base.", "ISWAP militants"),
        (
            "Assailants, believed to be members of Boko Haram, attacked a village.",
            "members of Boko Haram",
        ),
    ],
)
def test_a_hedged_doer_is_who_they_are_thought_to_be(nlp: Language, text: str, actor1: str) -> None:
    doc, found = read(nlp, text)
    assert found.attribution == "suspected"
    assert text_of(doc, found.actor1) == actor1


@pytest.mark.parametrize(
    "text",
    [
        # the victims' ties, a charge against the victim, a victim under suspicion
        "One member of the Turkish-backed Syrian National Army was killed in the blast.",
        "Sources noted that the protestors were demanding the resignation of local officials "
        "that are affiliated with the Sadrist movement.",
        "The assailants accused Khashan of insulting Qasem Soleimani.",
    ],
)
def test_ties_and_charges_of_others_are_no_suspicion(nlp: Language, text: str) -> None:
    _, found = read(nlp, text)
    assert found.attribution != "suspected"


def test_a_dateline_is_no_doer(nlp: Language) -> None:
    doc, found = read(nlp, "01/22/2021: Assailants attacked a police post in Mandimba.")
    assert text_of(doc, found.actor1) == "Assailants"


def test_named_suspect_outranks_a_vague_stated_doer(nlp: Language) -> None:
    doc = nlp("No group claimed responsibility; however, sources attributed the attack to ISIL.")
    found = find_participants(doc[:], claim_trigger(doc, "attribute"))
    assert outranks(found, "Assailants", "stated")
    assert outranks(found, None, "unknown")
    assert not outranks(found, "Taliban fighters", "stated")
    assert not outranks(found, "ISIL", "claimed")


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("Assailants", True),
        ("The assailants", True),
        ("two unidentified gunmen", True),
        ("A suicide bomber", True),
        ("Taliban gunmen", False),
        ("the Taliban", False),
        ("sources", False),
    ],
)
def test_vague_mentions(text: str, vague: bool) -> None:
    assert is_vague_text(text) is vague


@pytest.mark.parametrize(
    ("text", "lemma", "actor1"),
    [
        (
            "Afghan security forces repelled an attack by Taliban militants in Paktika.",
            "attack",
            "Taliban militants",
        ),
        ("Israeli airstrikes were reported on the town.", "airstrike", "Israeli airstrikes"),
        (
            "Armed clashes erupted between Bani Ali and Al Badi tribesmen in the market.",
            "clash",
            "Bani Ali",
        ),
        ("The HBDH carried out an arson attack targeting a hotel.", "attack", "The HBDH"),
        ("Pro-Houthi forces were killed by Saudi airstrikes.", "kill", "Saudi airstrikes"),
    ],
)
def test_whose_attack_an_event_noun_names(
    nlp: Language, text: str, lemma: str, actor1: str
) -> None:
    doc = nlp(text)
    found = find_participants(doc[:], claim_trigger(doc, lemma))
    assert found.attribution == "stated"
    assert text_of(doc, found.actor1) == actor1


@pytest.mark.parametrize(
    ("text", "lemma"),
    [
        ("An explosives-laden motorcycle detonated near a checkpoint.", "detonate"),
        ("A RCIED explosion targeted soldiers in Mogadishu.", "target"),
        ("The airstrikes killed four civilians.", "kill"),
    ],
)
def test_a_thing_that_names_no_one_is_no_doer(nlp: Language, text: str, lemma: str) -> None:
    doc = nlp(text)
    found = find_participants(doc[:], claim_trigger(doc, lemma))
    assert found.actor1 is None


@pytest.mark.parametrize(
    ("text", "actor1", "attribution"),
    [
        ("An IED planted by Al Shabaab exploded near the base.", "Al Shabaab", "stated"),
        (
            "A landmine allegedly planted by pro-Houthi forces exploded near a car.",
            "pro-Houthi forces",
            "suspected",
        ),
    ],
)
def test_who_planted_the_thing_that_exploded(
    nlp: Language, text: str, actor1: str, attribution: str
) -> None:
    doc = nlp(text)
    found = find_participants(doc[:], claim_trigger(doc, "explode"))
    assert text_of(doc, found.actor1) == actor1
    assert found.attribution == attribution


@pytest.mark.parametrize(
    ("text", "lemma"),
    [
        ("The OSCE SMM observed 20 explosions near Troitske.", "observe"),
        ("Looting: On 9 May 2020, rebels looted crops in Tall Sakhr.", "loot"),
    ],
)
def test_witnesses_and_headings_are_no_doers(nlp: Language, text: str, lemma: str) -> None:
    doc = nlp(text)
    found = find_participants(doc[:], claim_trigger(doc, lemma))
    assert found.actor1 is None or "OSCE" not in found.actor1.text
    assert found.actor1 is None or found.actor1.text != "Looting"


@pytest.mark.parametrize(
    ("text", "lemma", "actor1"),
    [
        # "IS" read as the verb "is" by the parser
        ("IS fighters fired a RPG at a checkpoint.", "fire", "IS fighters"),
        (
            "Eight militants were wounded following an operation by ANDSF forces in Ghazni.",
            "wound",
            "ANDSF forces",
        ),
        (
            "Clashes took place between opposition rebels and regime forces in Dar'a.",
            "take",
            "opposition rebels",
        ),
    ],
)
def test_doers_the_parse_hides(nlp: Language, text: str, lemma: str, actor1: str) -> None:
    doc = nlp(text)
    found = find_participants(doc[:], claim_trigger(doc, lemma))
    assert text_of(doc, found.actor1) == actor1


def test_a_claim_names_the_doer_of_the_attack_a_later_sentence_summed_up() -> None:
    from sitrep.pipeline import extract

    result = extract(
        "06/29/2021: Assailants attacked a security checkpoint in Esfanda, Ghazni, Afghanistan. "
        "The outcome of the attack is unknown. This was one of five related attacks in the area "
        "on this date. The Taliban claimed responsibility for the incident."
    )
    attack = result.events[0]
    assert attack.actor1 is not None and attack.actor1.name == "Taliban"
    assert attack.actor1_attribution == "claimed"


def test_a_suspect_named_later_replaces_vague_assailants_and_stays_suspected() -> None:
    from sitrep.pipeline import extract

    result = extract(
        "05/28/2021: Assailants shot and killed an officer in Muqur district, Badghis, "
        "Afghanistan. No group claimed responsibility for the incident; however, sources "
        "attributed the attack to the Taliban."
    )
    attack = result.events[0]
    assert attack.actor1 is not None and attack.actor1.name == "Taliban"
    assert attack.actor1_attribution == "suspected"


def test_arrested_in_connection_with_the_attack_are_its_suspects(nlp: Language) -> None:
    doc = nlp(
        "No group claimed responsibility for the incident; however, authorities arrested three "
        "Lashkar-e-Taiba members in connection with the attack."
    )
    claim = find_participants(doc[:], claim_trigger(doc, "claim"))
    assert claim.attribution == "suspected"
    assert text_of(doc, claim.actor1) == "three Lashkar-e-Taiba members"
    arrest = find_participants(doc[:], claim_trigger(doc, "arrest"))
    assert text_of(doc, arrest.actor1) == "authorities"


def test_a_sniper_is_vague() -> None:
    assert is_vague_text("A sniper")


def test_their_attack_is_the_attack_of_the_main_clauses_subject(nlp: Language) -> None:
    doc = nlp(
        "Two Taliban militants were killed and one was wounded when Afghan forces repulsed "
        "their attack on a convoy in Balkh."
    )
    found = find_participants(doc[:], claim_trigger(doc, "attack"))
    assert text_of(doc, found.actor1) == "Two Taliban militants"


def test_forces_under_a_named_operation_act_as_it(nlp: Language) -> None:
    doc = nlp("Turkish forces and opposition rebels under OPS shelled Dardara in al-Hasakeh.")
    found = find_participants(doc[:], claim_trigger(doc, "shell"))
    assert text_of(doc, found.actor1) == "OPS"


def test_a_day_or_a_place_before_an_event_noun_names_no_doer(nlp: Language) -> None:
    doc = nlp(
        "There had been just one attack since the first week of July, a Saturday drone strike "
        "targeting an air base in Iraqi Kurdistan."
    )
    found = find_participants(doc[:], claim_trigger(doc, "strike"))
    assert found.actor1 is None


@pytest.mark.parametrize(
    ("text", "lemma", "actor1", "actor2"),
    [
        # a list of places before the names: the parser files the sides among the places
        (
            "On 8 May 2020, in Paletwa Town, Paletwa Township, Chin State, Myanmar military "
            "and AA clashed with small weapons.",
            "clash",
            "Myanmar military",
            "AA",
        ),
        # "shot" taken for a noun
        (
            "On 29 April 2020, a Taliban sniper shot and killed 2 Afghan soldiers in Kandahar.",
            "kill",
            "a Taliban sniper",
            "2 Afghan soldiers",
        ),
        # "IS" taken for the verb "is"
        (
            "On 3 May 2020, IS militants killed a soldier by sniping in Ayn Laylah.",
            "kill",
            "IS militants",
            "a soldier",
        ),
        (
            "On 6 May 2020, Boko Haram/IS attacked Debiro (Biu LGA, Borno) and burnt several "
            "public buildings, among them a church.",
            "attack",
            "Boko Haram/IS",
            "Debiro",
        ),
        # the verb taken for a reduced relative ("commandos [who were] killed"): it has an object
        (
            "Around 3 May 2020, an operation by Afghan military commandos killed at least 8 "
            "Taliban militants in Faryab.",
            "kill",
            "Afghan military commandos",
            "at least 8 Taliban militants",
        ),
    ],
)
def test_the_noun_phrase_before_a_verb_left_without_subject_is_its_doer(
    nlp: Language, text: str, lemma: str, actor1: str, actor2: str
) -> None:
    doc = nlp(text)
    found = find_participants(doc[:], claim_trigger(doc, lemma))
    assert text_of(doc, found.actor1) == actor1
    assert found.attribution == "stated"
    assert text_of(doc, found.actor2) == actor2


@pytest.mark.parametrize(
    ("text", "lemma"),
    [
        ("Two rockets were fired at the base in Baghdad.", "fire"),
        ("A RCIED explosion targeted soldiers in Mogadishu.", "target"),
        # a thing before the verb, even when the parser hangs the verb on it
        ("01/05/2021: An explosive device detonated targeting a well in Somalia.", "detonate"),
        # an object before the verb: no subject opens there
        (
            "02/12/2021: An explosive device attached to the vehicle of a former Wolesi "
            "Jirga member detonated in Sayyad, Parwan, Afghanistan.",
            "detonate",
        ),
    ],
)
def test_a_passive_or_a_subject_found_leaves_no_noun_phrase_to_take(
    nlp: Language, text: str, lemma: str
) -> None:
    doc = nlp(text)
    found = find_participants(doc[:], claim_trigger(doc, lemma))
    assert found.actor1 is None


def test_sides_of_a_clash_parsed_as_one_subject_are_actor1_and_actor2(nlp: Language) -> None:
    doc = nlp("Taliban militants and Afghan soldiers clashed in Ghazni.")
    found = find_participants(doc[:], claim_trigger(doc, "clash"))
    assert text_of(doc, found.actor1) == "Taliban militants"
    assert text_of(doc, found.actor2) == "Afghan soldiers"


@pytest.mark.parametrize(
    ("text", "lemma", "actor1"),
    [
        (
            "On 8 May 2020, a drug suspect was killed during a police raid in Cabanatuan.",
            "kill",
            "police",
        ),
        (
            "On 5 May 2020, 3 PKK militants were killed during the security operations carried "
            "out by the Gendarmerie forces in Agri.",
            "kill",
            "the Gendarmerie forces",
        ),
        (
            "On 7 May 2020, in Aracaju, a man was killed after exchanging fire with military "
            "police forces during a patrol.",
            "kill",
            "military police forces",
        ),
    ],
)
def test_a_passive_death_told_in_a_force_s_operation_names_the_force(
    nlp: Language, text: str, lemma: str, actor1: str
) -> None:
    doc = nlp(text)
    found = find_participants(doc[:], claim_trigger(doc, lemma))
    assert text_of(doc, found.actor1) == actor1
    assert found.attribution == "stated"


@pytest.mark.parametrize(
    ("text", "lemma", "actor1"),
    [
        # the doer of the first of several verbs in a list
        (
            "On 28 April 2020, pro-Hadi forces reportedly thwarted an attack west of Taizz, "
            "coded at Bir Bashah front, killing and injuring a number of fighters.",
            "injure",
            "pro-Hadi forces",
        ),
        # "engaged in" a fight: the fight's doer is the verb's subject
        (
            "On 1 May 2020, the military forces engaged in a fire fight with Ambazonian "
            "separatists in Ntarikon village.",
            "fire",
            "the military forces",
        ),
        # "pro-" split off at its hyphen
        (
            "On 30 April 2020, pro-Hadi and affiliated snipers reportedly opened fire on "
            "Hadharan area, injuring a child.",
            "open",
            "pro-Hadi and affiliated snipers",
        ),
    ],
)
def test_the_doer_of_a_happening_the_parser_split_up(
    nlp: Language, text: str, lemma: str, actor1: str
) -> None:
    doc = nlp(text)
    found = find_participants(doc[:], claim_trigger(doc, lemma))
    assert text_of(doc, found.actor1) == actor1


def test_the_noun_phrase_before_a_verb_goes_on_through_of(nlp: Language) -> None:
    doc = nlp(
        "As reported on 28 April 2020, in Cuernavaca, Morelos, members of El Senoron Gang "
        "delivered boxes with food to families."
    )
    found = find_participants(doc[:], claim_trigger(doc, "deliver"))
    assert text_of(doc, found.actor1) == "members of El Senoron Gang"


def test_an_operation_on_the_last_verb_of_a_list_names_the_doer_of_the_first(
    nlp: Language,
) -> None:
    doc = nlp(
        "On 8 May 2020, 7 Taliban militants were killed and 3 were arrested during an "
        "operation by General Command of Police Special Units supported by Afghan military "
        "air force in the Borgi village of Ahmadabad district, Paktia."
    )
    found = find_participants(doc[:], claim_trigger(doc, "kill"))
    assert text_of(doc, found.actor1) == "General Command of Police Special Units"


@pytest.mark.parametrize(
    ("text", "word", "actor1"),
    [
        (
            "On 1 May 2020, Al Shabaab militants threw a hand grenade at police in Mogadishu.",
            "grenade",
            "Al Shabaab militants",
        ),
        ("Saudi air defences intercepted a missile over Jizan.", "missile", None),
    ],
)
def test_who_throws_a_weapon_an_event_is_named_by_did_it_not_who_intercepts_it(
    nlp: Language, text: str, word: str, actor1: str | None
) -> None:
    doc = nlp(text)
    found = find_participants(doc[:], next(t for t in doc if t.text == word))
    assert text_of(doc, found.actor1) == actor1


def test_a_verb_parsed_as_a_clause_of_a_noun_root_has_the_noun_before_it(nlp: Language) -> None:
    doc = nlp(
        "On 9 May 2020, ISWAP or Boko Haram militants abducted between two and four people, "
        "including one Fulani pastoralist, in the village of Kindjandi (Gueskerou, Diffa)."
    )
    found = find_participants(doc[:], claim_trigger(doc, "abduct"))
    assert text_of(doc, found.actor1) == "ISWAP"


def test_a_dateline_parsed_as_a_subject_is_no_target(nlp: Language) -> None:
    doc, found = read(
        nlp,
        "BAGHDAD, July 29 (NNN-AGENCIES) — Two rockets were fired early Thursday against "
        "Baghdad’s fortified Green Zone which houses the US embassy, without causing any "
        "casualties or damage, an Iraqi security source said.",
    )
    assert text_of(doc, found.target) == "Baghdad’s fortified Green Zone"
