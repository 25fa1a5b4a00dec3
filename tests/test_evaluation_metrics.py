"""The metric functions of `sitrep eval` on tiny hand-made gold/prediction pairs."""

from __future__ import annotations

import math
from datetime import date

import pytest

from sitrep.evaluation import metrics
from sitrep.evaluation.gold import GoldEvent, GoldLocation
from sitrep.evaluation.names import actor_aliases, actor_key
from sitrep.models import ACTOR_TYPES, Actor, Event, Location


def event(**fields: object) -> Event:
    return Event.model_validate({"plover_type": "ASSAULT", **fields})


def gold(**fields: object) -> GoldEvent:
    return GoldEvent.model_validate(fields)


# ---------------------------------------------------------------- detection and matching


@pytest.mark.parametrize(
    ("gold_has", "predicted_has", "expected"),
    [
        (True, True, (1, 0, 0)),
        (True, False, (0, 0, 1)),
        (False, True, (0, 1, 0)),
        (False, False, (0, 0, 0)),
    ],
)
def test_document_detection_counts_each_case(
    gold_has: bool, predicted_has: bool, expected: tuple[int, int, int]
) -> None:
    counts = metrics.document_detection(gold_has, predicted_has)
    assert (counts.tp, counts.fp, counts.fn) == expected


def test_prf_perfect_empty_and_undefined() -> None:
    perfect = metrics.PRF(tp=3)
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    nothing_predicted = metrics.PRF(fn=4)
    assert nothing_predicted.precision is None
    assert nothing_predicted.recall == 0.0
    assert nothing_predicted.f1 == 0.0
    assert metrics.PRF().f1 is None
    half = metrics.PRF(tp=1, fp=1, fn=1)
    assert half.f1 == pytest.approx(0.5)


def test_match_prefers_same_sub_event_type_over_confidence() -> None:
    gold_events = [gold(event_type="Protests", sub_event_type="Peaceful protest")]
    predicted = [
        event(sub_event_type="Armed clash", event_type="Battles", confidence=0.9),
        event(sub_event_type="Peaceful protest", event_type="Protests", confidence=0.4),
    ]
    assert metrics.match_events(gold_events, predicted) == [1]


def test_match_falls_back_to_highest_confidence_then_document_order() -> None:
    gold_events = [gold(sub_event_type="Attack")]
    predicted = [event(confidence=0.3), event(confidence=0.8), event(confidence=0.8)]
    assert metrics.match_events(gold_events, predicted) == [1]


def test_match_tells_incidents_of_one_message_apart_by_their_arguments() -> None:
    bombing = gold(plover_type="ASSAULT", target="ELECTRIC TOWERS", location={"name": "USULUTAN"})
    kidnapping = gold(plover_type="ASSAULT", target="MAYOR", date="1990-01-09")
    predicted = [
        event(target="the mayor", date=date(1990, 1, 9), confidence=0.9),
        event(target="two electric towers", location=Location(name="Usulutan"), confidence=0.5),
    ]
    assert metrics.match_events([bombing, kidnapping], predicted) == [1, 0]


def test_match_is_one_to_one_so_duplicates_do_not_find_two_gold_events() -> None:
    gold_events = [gold(sub_event_type="Attack"), gold(sub_event_type="Attack")]
    assert metrics.match_events(gold_events, [event(sub_event_type="Attack")]) == [0, None]
    assert metrics.match_events(gold_events, []) == [None, None]


def test_match_lets_required_templates_choose_before_optional_ones() -> None:
    optional = gold(plover_type="ASSAULT", raw={"MESSAGE: TEMPLATE": "1 (OPTIONAL)"})
    required = gold(plover_type="ASSAULT", raw={"MESSAGE: TEMPLATE": "2"})
    assert metrics.match_events([optional, required], [event()]) == [None, 0]


def test_plover_types_compare_in_current_spelling() -> None:
    assert metrics.plover_matches("FIGHT", "ASSAULT")
    assert metrics.plover_matches("DEMAND", "REQUEST")
    assert metrics.plover_matches("DISAPPROVE", "ACCUSE")
    assert not metrics.plover_matches("AGREE", "ASSAULT")
    assert not metrics.plover_matches(None, "ASSAULT")


def test_trigger_must_occur_as_whole_words() -> None:
    assert metrics.trigger_in_sentences("attack", ["The attack killed two."])
    assert not metrics.trigger_in_sentences("attack", ["They were attacked."])
    assert not metrics.trigger_in_sentences("", ["anything"])


# ---------------------------------------------------------------- classification


def test_document_label_is_the_most_confident_acled_event_whatever_the_gold() -> None:
    predicted = [
        event(sub_event_type="Attack", confidence=0.5),
        event(sub_event_type=None, confidence=0.99),
        event(sub_event_type="Grenade", confidence=0.7),
    ]
    assert metrics.document_label(predicted) == "Grenade"
    assert metrics.document_label([event(sub_event_type=None)]) == metrics.NO_SUB_EVENT
    assert metrics.document_label([]) == metrics.NO_SUB_EVENT


def test_classification_f1_perfect_and_all_wrong() -> None:
    assert metrics.classification_f1([("a", "a"), ("b", "b")]) == (1.0, 1.0)
    assert metrics.classification_f1([("a", "b"), ("b", "a")]) == (0.0, 0.0)
    assert metrics.classification_f1([]) == (None, None)


def test_classification_f1_macro_counts_spurious_classes_and_weighted_follows_support() -> None:
    pairs = [("a", "a"), ("a", "a"), ("a", "c"), ("b", "b")]
    macro, weighted = metrics.classification_f1(pairs)
    f1_a = 2 * 1.0 * (2 / 3) / (1.0 + 2 / 3)
    assert macro == pytest.approx((f1_a + 1.0 + 0.0) / 3)
    assert weighted == pytest.approx((f1_a * 3 + 1.0) / 4)


def test_muc4_incident_type_from_sub_event_and_incendiary_weapon() -> None:
    assert metrics.muc4_type_matches(
        "BOMBING", event(sub_event_type="Remote explosive/landmine/IED")
    )
    assert metrics.muc4_type_matches(
        "KIDNAPPING", event(sub_event_type="Abduction/forced disappearance")
    )
    assert metrics.muc4_type_matches(
        "ARSON", event(sub_event_type="Attack", weapon="molotov cocktail")
    )
    assert metrics.muc4_type_matches("BOMBING / ATTACK", event(sub_event_type="Armed clash"))
    assert not metrics.muc4_type_matches("BOMBING", event(sub_event_type="Armed clash"))


# ---------------------------------------------------------------- casualties and dates


def test_null_and_zero_differ_except_where_zero_means_none_reported() -> None:
    assert metrics.count_matches(0, 0, zero_means_none_reported=False)
    assert not metrics.count_matches(0, None, zero_means_none_reported=False)
    assert metrics.count_matches(0, None, zero_means_none_reported=True)
    assert not metrics.count_matches(3, None, zero_means_none_reported=True)
    assert not metrics.count_matches(3, 0, zero_means_none_reported=True)
    assert not metrics.count_matches(3, 4, zero_means_none_reported=False)


def test_predicted_range_and_day_within() -> None:
    one_day = event(date=date(2021, 7, 29))
    assert metrics.predicted_range(one_day) == (date(2021, 7, 29), date(2021, 7, 29))
    week = event(date_earliest=date(2021, 7, 1), date_latest=date(2021, 7, 7))
    assert metrics.day_within(date(2021, 7, 7), metrics.predicted_range(week))
    assert not metrics.day_within(date(2021, 7, 8), metrics.predicted_range(week))
    assert metrics.predicted_range(event()) is None
    assert not metrics.day_within(date(2021, 7, 8), None)
    reversed_range = event(date_earliest=date(2021, 7, 7), date_latest=date(2021, 7, 1))
    assert metrics.day_within(date(2021, 7, 3), metrics.predicted_range(reversed_range))


# ---------------------------------------------------------------- places


def test_haversine_known_distances() -> None:
    assert metrics.haversine_km(33.3, 44.4, 33.3, 44.4) == 0.0
    # Baghdad to Erbil is about 320 km.
    assert metrics.haversine_km(33.3152, 44.3661, 36.1911, 44.0092) == pytest.approx(321, abs=5)
    # One degree of latitude is about 111 km.
    assert metrics.haversine_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(111.2, abs=0.2)
    assert math.isinf(metrics.distance_km(33.3, 44.4, None, 44.4))


def test_country_matches_names_codes_and_alternates() -> None:
    assert metrics.country_matches("Ivory Coast", Location(name="x", country="Côte d'Ivoire"))
    assert metrics.country_matches("EL SALVADOR", Location(name="x", iso3="SLV"))
    assert metrics.country_matches("COLOMBIA / VENEZUELA", Location(name="x", country="Venezuela"))
    assert metrics.country_matches(
        "Democratic Republic of Congo", Location(name="x", country="DR Congo")
    )
    assert not metrics.country_matches("Iraq", Location(name="x", country="Iran"))
    assert not metrics.country_matches("Iraq", None)


def test_admin1_matches_across_suffixes_accents_articles_and_alternates() -> None:
    assert metrics.admin1_matches(
        "Nīnawá province", Location(name="x", admin1="Nineveh Governorate")
    )
    assert metrics.admin1_matches("Al Anbār province", Location(name="x", admin1="Anbar"))
    assert metrics.admin1_matches("Arbīl province", Location(name="x", admin1="Erbil"))
    assert not metrics.admin1_matches("Baghdad", Location(name="x", admin1="Basra"))
    assert not metrics.admin1_matches("Baghdad", Location(name="x", admin1=None))


def test_admin1_matches_across_kind_words_before_the_name() -> None:
    # GeoNames writes the kind in the region's own language before its name.
    assert metrics.admin1_matches("Al Hudaydah", Location(name="x", admin1="Muhafazat al Hudaydah"))
    assert metrics.admin1_matches("Baghlan", Location(name="x", admin1="Wilayat-e Baghlan"))
    assert metrics.admin1_matches("Baghdad", Location(name="x", admin1="Mayorality of Baghdad"))
    assert metrics.admin1_matches("Gadabay", Location(name="x", admin1="Gadabay Rayon"))
    assert metrics.admin1_matches("North Kivu", Location(name="x", admin1="Nord Kivu"))
    assert not metrics.admin1_matches("Al Jawf", Location(name="x", admin1="Muhafazat al Bayda'"))


def test_place_name_f1_for_sets_without_coordinates() -> None:
    place = GoldLocation(name="SAN SALVADOR")
    assert metrics.place_name_f1(place, Location(name="San Salvador")) == 1.0
    assert metrics.place_name_f1(place, None) == 0.0


# ---------------------------------------------------------------- actors and weapons


def test_token_f1_perfect_partial_empty_and_case() -> None:
    assert metrics.token_f1("Islamic State", "islamic STATE") == 1.0
    assert metrics.token_f1("Military Forces of Iraq", "Iraq") == pytest.approx(2 * 1 * 0.25 / 1.25)
    assert metrics.token_f1("Taliban", None) == 0.0
    assert metrics.token_f1("Taliban", "") == 0.0
    # Repeating a token does not earn it twice.
    assert metrics.token_f1("police", "police police") == pytest.approx(2 * 0.5 * 1 / 1.5)


def test_canonical_actor_ignores_acled_government_period() -> None:
    assert metrics.canonical_actor_matches(
        "Military Forces of Ukraine (2019-)", Actor(name="Military Forces of Ukraine")
    )
    assert not metrics.canonical_actor_matches(
        "Military Forces of Ukraine (2019-)", Actor(name="Police Forces of Ukraine")
    )
    assert not metrics.canonical_actor_matches("Taliban", None)


def test_actor_type_against_interaction_code() -> None:
    assert metrics.actor_type_matches("6", Actor(name="x", type="Protesters"), ACTOR_TYPES)
    assert not metrics.actor_type_matches("6", Actor(name="x", type="Rioters"), ACTOR_TYPES)
    assert not metrics.actor_type_matches("6", Actor(name="x"), ACTOR_TYPES)
    assert not metrics.actor_type_matches("0", Actor(name="x", type="Protesters"), ACTOR_TYPES)


def test_perpetrator_exact_or_alias_and_unknown_groups() -> None:
    gname = "Islamic State of Iraq and the Levant (ISIL)"
    assert metrics.perpetrator_matches(gname, Actor(name="ISIL"))
    assert metrics.perpetrator_matches(gname, Actor(name="islamic state of iraq and the levant"))
    assert metrics.perpetrator_matches(gname, Actor(name="Islamic State", raw="ISIL"))
    # The actor dictionary knows "Islamic State (Iraq)" goes by ISIL.
    assert metrics.perpetrator_matches(gname, Actor(name="Islamic State (Iraq)"))
    assert not metrics.perpetrator_matches(gname, Actor(name="Taliban"))
    assert not metrics.perpetrator_matches("Taliban", Actor(name="Tehrik-i-Taliban Pakistan"))
    assert not metrics.perpetrator_matches(gname, None)
    assert metrics.is_named_group(Actor(name="Taliban"))
    assert not metrics.is_named_group(Actor(name="Unidentified Armed Group (Iraq)"))
    assert not metrics.is_named_group(Actor(name="Civilians (Afghanistan)"))
    assert not metrics.is_named_group(None)


def test_weapon_classes_from_gtd_and_muc4_vocabularies() -> None:
    assert metrics.known_weapon_classes("Explosives") == {"Explosives"}
    assert metrics.known_weapon_classes("Unknown") == set()
    assert metrics.known_weapon_classes("explosive / bomb") == {"Explosives"}
    assert metrics.weapon_matches({"Explosives"}, "rocket")
    assert metrics.weapon_matches({"Firearms"}, "machine gun")
    assert not metrics.weapon_matches({"Firearms"}, "rocket")
    assert not metrics.weapon_matches({"Firearms"}, None)


# ---------------------------------------------------------------- spans


def test_exact_spans_perfect_empty_off_by_one_and_duplicates() -> None:
    gold_spans = [(0, 10), (20, 26)]
    assert metrics.span_counts(gold_spans, gold_spans, exact=True) == metrics.PRF(tp=2)
    assert metrics.span_counts(gold_spans, [], exact=True) == metrics.PRF(fn=2)
    assert metrics.span_counts([], gold_spans, exact=True) == metrics.PRF(fp=2)
    off_by_one = [(1, 10), (20, 27)]
    assert metrics.span_counts(gold_spans, off_by_one, exact=True) == metrics.PRF(fp=2, fn=2)
    assert metrics.span_counts(gold_spans, off_by_one, exact=False) == metrics.PRF(tp=2)
    duplicated = [(0, 10), (0, 10)]
    assert metrics.span_counts(gold_spans, duplicated, exact=True) == metrics.PRF(tp=1, fp=1, fn=1)


def test_overlap_matching_is_one_to_one_and_prefers_the_larger_overlap() -> None:
    # One long prediction covering two gold toponyms finds only one of them.
    assert metrics.match_spans([(0, 5), (6, 12)], [(0, 12)], exact=False) == [(1, 0)]
    assert metrics.match_spans([(0, 5)], [(4, 9), (0, 4)], exact=False) == [(0, 1)]
    assert metrics.match_spans([(0, 5)], [(5, 9)], exact=False) == []


def test_a_leading_article_names_no_different_group() -> None:
    assert actor_key("The Sabiqun Battalion") == actor_key("Sabiqun Battalion")
    assert actor_key("Islamic State (Iraq) (2014-)") == actor_key("islamic  state (iraq)")
    assert actor_key("The") == "the"  # a lone word is a name, not an article
    assert actor_key("Sabiqun Battalion") in actor_aliases("The Sabiqun Battalion (TSB)")
