"""Killed and wounded counts from one sentence and from one happening (sitrep.events.casualties)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from sitrep.events.casualties import CasualtyCount, combine_counts, count_casualties
from sitrep.nlp import load_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def count(nlp: Language, text: str) -> CasualtyCount:
    return count_casualties(nlp(text)[:])


@pytest.mark.parametrize(
    ("text", "fatalities", "injuries"),
    [
        ("Two security force members were killed and five others were injured.", 2, 5),
        ("Three soldiers and five militants were killed.", 8, None),
        ("Gunmen opened fire on a bus, killing 6 civilians, including 2 women.", 6, None),
        ("The bomber was killed along with 4 others.", 5, None),
        ("A suicide bomber blew himself up, killing himself and two guards.", 3, None),
        ("Nur, a member of the state parliament, was killed in the blast.", 1, None),
        ("A policeman was shot dead.", 1, None),
        ("Scores of people were wounded.", None, 40),
        ("A dozen civilians were hospitalised.", None, 12),
        ("Five to seven people died.", 5, None),
        ("At least 12 people were killed.", 12, None),
        ("The attack left 5 people dead and 12 wounded.", 5, 12),
        ("The death toll rose to 12.", 12, None),
        (
            "At least two soldiers and three assailants were killed while one soldier and one "
            "assailant were injured in the ensuing clash.",
            5,
            2,
        ),
    ],
)
def test_counts(nlp: Language, text: str, fatalities: int | None, injuries: int | None) -> None:
    counted = count(nlp, text)
    assert (counted.fatalities, counted.injuries) == (fatalities, injuries)


@pytest.mark.parametrize(
    "text",
    [
        "Two rockets were fired against the Green Zone, without causing any casualties or damage.",
        "No one was hurt.",
        "There were no casualties or damage.",
        "The drone strike caused no casualties.",
    ],
)
def test_denied_casualties_are_zero_killed_and_zero_wounded(nlp: Language, text: str) -> None:
    counted = count(nlp, text)
    assert (counted.fatalities, counted.injuries) == (0, 0)


def test_no_deaths_says_nothing_of_the_wounded(nlp: Language) -> None:
    counted = count(nlp, "No deaths were reported.")
    assert (counted.fatalities, counted.injuries) == (0, None)


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen kidnapped 12 people and fired 3 rockets on 5 May.",
        "Police arrested 40 protesters and 2,000 people were displaced.",
        "Civilians were killed in the attack.",
        "An unknown number of civilians were injured in the attack.",
    ],
)
def test_silence_and_non_casualties_are_null(nlp: Language, text: str) -> None:
    counted = count(nlp, text)
    assert (counted.fatalities, counted.injuries) == (None, None)


def test_span_points_at_the_phrase(nlp: Language) -> None:
    doc = nlp("On Monday, five soldiers were killed near the border.")
    counted = count_casualties(doc[:])
    assert counted.fatalities_span is not None
    start, end = counted.fatalities_span
    assert doc.text[start:end] == "five soldiers were killed"


def test_later_toll_supersedes_earlier_count(nlp: Language) -> None:
    doc = nlp("Ten people were killed in the blast. The death toll later rose to 14.")
    combined = combine_counts([count_casualties(s) for s in doc.sents])
    assert combined.fatalities == 14


def test_restated_parts_are_not_double_counted(nlp: Language) -> None:
    doc = nlp("Six civilians were killed in the attack. Two women were killed in the attack.")
    combined = combine_counts([count_casualties(s) for s in doc.sents])
    assert combined.fatalities == 6


def test_additional_victims_are_added(nlp: Language) -> None:
    doc = nlp("Three soldiers were killed in the blast. The attacker was also killed.")
    combined = combine_counts([count_casualties(s) for s in doc.sents])
    assert combined.fatalities == 4


def test_zero_then_silence_stays_zero() -> None:
    zero = CasualtyCount(0, 0, (0, 5), (0, 5))
    silent = CasualtyCount(None, None, None, None)
    assert combine_counts([zero, silent]) == CasualtyCount(0, 0, (0, 5), (0, 5))


def test_seed_story_attacks_caused_no_casualties(nlp: Language, seed_story_text: str) -> None:
    # The body from its first sentence on, as article.body holds it (no title or dateline).
    doc = nlp(seed_story_text[seed_story_text.index("Two rockets were fired") :])
    rockets = next(s for s in doc.sents if "Two rockets were fired" in s.text)
    drone = next(s for s in doc.sents if "drone strike" in s.text)
    for sentence in (rockets, drone):
        counted = combine_counts([count_casualties(sentence)])
        assert (counted.fatalities, counted.injuries) == (0, 0)
        assert counted.fatalities_span is not None
        start, end = counted.fatalities_span
        assert doc.text[start:end].startswith(("without causing any casualties", "no casualties"))


@pytest.mark.parametrize(
    ("text", "fatalities", "injuries"),
    [
        ("Three soldiers were injured in the blast.", 0, 3),
        ("A police officer was killed in the blast.", 1, 0),
        ("An unknown number of civilians were injured in the attack.", 0, None),
        ("Five people were killed and an unknown number were injured.", 5, None),
        ("Assailants abducted a reporter in Qamishli.", None, None),
    ],
)
def test_a_reported_outcome_implies_none_of_the_unmentioned_side(
    nlp: Language, text: str, fatalities: int | None, injuries: int | None
) -> None:
    doc = nlp(text)
    combined = combine_counts([count_casualties(s) for s in doc.sents])
    assert (combined.fatalities, combined.injuries) == (fatalities, injuries)


@pytest.mark.parametrize(
    "text", ["Khan was unharmed in the attack.", "The activist was released unharmed."]
)
def test_unharmed_is_zero_and_zero(nlp: Language, text: str) -> None:
    counted = count(nlp, text)
    assert (counted.fatalities, counted.injuries) == (0, 0)


def test_in_addition_to_the_assailant(nlp: Language) -> None:
    counted = count(
        nlp, "In addition to the assailant, at least two people were killed in the blast."
    )
    assert counted.fatalities == 3


@pytest.mark.parametrize(
    "text",
    [
        "A woman was shot to death by an armed man.",
        "A local leader was beaten to death by four men.",
        "Police fired on demonstrators, leading to the death of one demonstrator.",
        "Unknown fatalities coded as 1.",
    ],
)
def test_one_death_in_other_words(nlp: Language, text: str) -> None:
    assert count(nlp, text).fatalities == 1


@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        ("The two hostages were shot and killed a short time later.", 2),
        ("The soldier was injured and the assailant was shot and killed by another soldier.", 1),
        ("Kyaw's body was discovered five days later.", 1),
        ("The bodies of three men were found in a ditch.", 3),
    ],
)
def test_victims_of_chained_verbs_and_found_bodies(
    nlp: Language, text: str, fatalities: int
) -> None:
    assert count(nlp, text).fatalities == fatalities


@pytest.mark.parametrize(
    "text",
    [
        "Security forces discovered and defused an explosive device in Kismayo.",
        "A missile targeting civilians was intercepted by the coalition.",
    ],
)
def test_a_defused_or_intercepted_weapon_harmed_no_one(nlp: Language, text: str) -> None:
    counted = count(nlp, text)
    assert (counted.fatalities, counted.injuries) == (0, 0)


def test_a_figure_elsewhere_beats_the_intercepted_missile(nlp: Language) -> None:
    doc = nlp("The missile was intercepted. Falling debris injured three people.")
    combined = combine_counts([count_casualties(s) for s in doc.sents])
    assert (combined.fatalities, combined.injuries) == (0, 3)


def last_sentence(nlp: Language, text: str) -> CasualtyCount:
    return count_casualties(list(nlp(text).sents)[-1])


@pytest.mark.parametrize(
    ("text", "fatalities", "injuries"),
    [
        (
            "This was one of three related attacks. "
            "At least 18 people were killed and 7 were injured across the attacks.",
            6,
            2,
        ),
        ("This was one of two attacks. Nine soldiers were killed across both attacks.", 5, 0),
        (
            "This was one of six attacks. "
            "At least 53 people were killed and 10 others were injured between two of the attacks.",
            27,
            5,
        ),
        (
            "This was one of four attacks. One civilian was killed in this attack while at "
            "least 20 assailants were killed across the four attacks.",
            6,
            0,
        ),
        ("This was one of three attacks. Five people were killed in the attack.", 5, 0),
    ],
)
def test_a_total_across_several_attacks_is_shared_between_them(
    nlp: Language, text: str, fatalities: int, injuries: int
) -> None:
    combined = combine_counts([last_sentence(nlp, text)])
    assert (combined.fatalities, combined.injuries) == (fatalities, injuries)


@pytest.mark.parametrize(
    "text",
    [
        "The group said it carried out the attack to avenge the death of a civilian.",
        "The attack came in retaliation for the killing of two fighters.",
        "He wrote that hundreds of officers should be killed daily.",
        "He stated that he wanted to kill as many officers as possible.",
    ],
)
def test_deaths_named_as_motive_or_wish_are_not_counted(nlp: Language, text: str) -> None:
    assert count(nlp, text).fatalities is None


def test_a_pronoun_victim_is_one_already_counted(nlp: Language) -> None:
    counted = count(nlp, "Enejor was killed and his body was discovered on February 2, 2021.")
    assert counted.fatalities == 1


def test_a_pronoun_victim_alone_still_counts(nlp: Language) -> None:
    assert count(nlp, "He was shot dead near his home.").fatalities == 1


def test_a_name_tagged_as_a_place_is_a_victim(nlp: Language) -> None:
    text = "Assailants shot and killed Carmen Ofelia Cumbalaza, an indigenous leader, in Tasma."
    assert count(nlp, text).fatalities == 1


def test_an_event_noun_is_no_victim(nlp: Language) -> None:
    text = (
        "The coal miners were shot and beheaded shortly after their abduction "
        "and four others were injured in the attack."
    )
    assert count(nlp, text).injuries == 4


def coded(text: str) -> list[tuple[str, int | None, int | None]]:
    from sitrep.pipeline import extract_many

    (result,) = extract_many([{"id": "t", "text": text}])
    return [(e.plover_type, e.fatalities, e.injuries) for e in result.events]


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        (
            "Assailants detonated an explosive device targeting a liquor store in Baghdad, Iraq. "
            "No casualties were reported.",
            (0, 0),
        ),
        (
            "Assailants abducted activist Haider Khashan outside his house in Samawah, Iraq. "
            "Khashan was released unharmed a short time later.",
            (0, 0),
        ),
        (
            "An explosive device targeting a liquor store detonated in Rusafa, Baghdad, Iraq. "
            "One employee was killed in the blast. The storefront was also damaged. "
            "No group claimed responsibility for the attack.",
            (1, 0),
        ),
    ],
)
def test_the_casualty_report_of_a_story_reaches_its_event(
    text: str, counts: tuple[int, int]
) -> None:
    events = coded(text)
    assert events[0][1:] == counts
    # The casualty sentence is no happening of its own.
    assert [e for e in events if e[0] == "ASSAULT"] == events[:1]


def combined(nlp: Language, text: str) -> tuple[int | None, int | None]:
    counted = combine_counts([count_casualties(s) for s in nlp(text).sents])
    return counted.fatalities, counted.injuries


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("Assailants abducted a technician. The technician was released on May 2.", (0, 0)),
        ("Assailants abducted four villagers. The hostages were rescued on March 31.", (0, 0)),
        (
            "Assailants abducted the mayor and five workers. The five workers were released "
            "shortly after. The fate of the mayor is unknown.",
            (None, None),
        ),
        ("The ministry released a statement on the attack.", (None, None)),
    ],
)
def test_hostages_set_free_came_out_unhurt_unless_some_fate_is_unknown(
    nlp: Language, text: str, counts: tuple[int | None, int | None]
) -> None:
    assert combined(nlp, text) == counts


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("One NDS officer was killed, and another was injured in the attack.", (1, 1)),
        (
            "One NDS officer was killed in the attack. "
            "One NDS officer was killed, and another was injured in the attack.",
            (1, 1),
        ),
        (
            "Assailants abducted two police officers in Laman. "
            "The police officers were shot and killed a short time later.",
            (2, 0),
        ),
        (
            "Assailants abducted two people in Babonga. The hostages were brought back to "
            "their village and publicly executed in front of the mosque.",
            (2, 0),
        ),
    ],
)
def test_another_and_people_told_of_before(
    nlp: Language, text: str, counts: tuple[int | None, int | None]
) -> None:
    assert combined(nlp, text) == counts


@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        (
            "Security forces shot and killed the assailant before he could detonate the "
            "explosives. At least three soldiers were killed in the blast.",
            4,
        ),
        (
            "At least three soldiers were killed in the blast. "
            "The assailant was shot dead by security forces.",
            4,
        ),
        (
            "Five soldiers and two assailants were killed in the clash. "
            "The assailants were shot dead by security forces.",
            7,
        ),
        (
            "A suicide bomber blew himself up, killing himself and two guards. "
            "The bomber was killed instantly.",
            3,
        ),
    ],
)
def test_attackers_who_died_are_counted_in_once(nlp: Language, text: str, fatalities: int) -> None:
    assert combined(nlp, text)[0] == fatalities


@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        (
            "Forces exchanged artillery, incurring fatalities. "
            "Unclear fatalities coded as 10 and spread between 3 locations.",
            3,
        ),
        (
            "6 Taliban militants were killed during operations in two districts. "
            "Fatalities are split across 2 events (3).",
            3,
        ),
        (
            "At least three soldiers were killed and three others were injured. "
            "Total fatalities divided equally across three events.",
            1,
        ),
        ("Two soldiers were killed by a sniper. Fatalities coded as 0 (VoJ reported 2).", 0),
        ("Fatalities coded as 3 (VoJ reported 6 fatalities).", 3),
        ("Clashes killed at least 31 and wounded dozens.", 31),
    ],
)
def test_coders_notes_spread_and_code_the_fatalities(
    nlp: Language, text: str, fatalities: int
) -> None:
    assert combined(nlp, text)[0] == fatalities


@pytest.mark.parametrize(
    "text",
    [
        "Residents demonstrated over the killing of a taxi driver by a local militiaman.",
        "Activists staged a demonstration to condemn the killing of an official.",
        "Prisoners demonstrated after the death of a fellow prisoner from the coronavirus.",
        "3 PKK militants were killed, injured or captured during the operations.",
        "Militants burned down 20 huts and killed 15 livestock.",
    ],
)
def test_deaths_a_protest_is_about_and_uncounted_lists_give_no_figure(
    nlp: Language, text: str
) -> None:
    assert combined(nlp, text)[0] in (None, 0)


@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        ("Nine fighters were reported killed and 8 others injured in the explosion.", 9),
        ("On 8 May 2020, in Sinop, Mato Grosso, a man was killed in a drive-by shooting.", 1),
        ("At least 4 people as well as 2 policemen were killed in the clashes.", 6),
        (
            "2 policemen were killed in the attack. "
            "2 other policemen were killed when they arrived as reinforcement.",
            4,
        ),
    ],
)
def test_reported_deaths_and_other_victims(nlp: Language, text: str, fatalities: int) -> None:
    assert combined(nlp, text)[0] == fatalities


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("Nine people were killed and at least seven others were injured.", (9, 7)),
        ("Two people were killed and at least two more were injured.", (2, 2)),
        (
            "Shahin, a former police chief, his son, and two other security personnel were "
            "killed in the attack.",
            (4, 0),
        ),
        ("Ahmed, a teacher and activist, was killed in the attack.", (1, 0)),
        ("Three gendarmes were killed. Two of the three killed were decapitated.", (3, 0)),
        (
            "Al-Magusi was not harmed, but two of his guards and one assailant were injured.",
            (0, 3),
        ),
        (
            "Security forces opened fire on the two assailants, detonating their vests and "
            "killing them.",
            (2, 0),
        ),
    ],
)
def test_lists_parts_and_plural_pronouns(
    nlp: Language, text: str, counts: tuple[int | None, int | None]
) -> None:
    assert combined(nlp, text) == counts


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        (
            "The Government stated that 25 people were killed, while 51 were injured, but "
            "other sources reported at least 37 were killed.",
            (25, 51),
        ),
        (
            "An IED detonated, killing 1 soldier and injuring 1 other. "
            "Other sources report that 2 soldiers were killed and 3 injured.",
            (1, 1),
        ),
        (
            "Officials said two soldiers were killed and residents said three civilians died.",
            (5, 0),
        ),
        ("Police said five people were killed and ten were injured.", (5, 10)),
    ],
)
def test_another_sources_figure_is_an_alternative_not_more_victims(
    nlp: Language, text: str, counts: tuple[int | None, int | None]
) -> None:
    assert combined(nlp, text) == counts
