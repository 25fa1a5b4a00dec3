"""Cross-source merge: near-duplicate articles and one canonical event per happening."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, create_engine, insert, select, update

from sitrep.cli import main
from sitrep.merge import joining_matches, match_events, sign_body
from sitrep.merge.events import STRONGEST_JOINS_AT_MOST, _place_relation
from sitrep.merge.near_duplicates import estimated_similarity, is_near_duplicate
from sitrep.models import Actor, Article, DocumentResult, Event, InputDocument, Location
from sitrep.store import (
    EventFilter,
    explain_event,
    input_hash,
    open_store,
    query_events,
    write_document,
)
from sitrep.store.records import CodedDocument
from sitrep.store.repository import (
    _PLACE_TEST,
    _folded,
    _place_reach,
    event_uid,
    representative_rank,
)
from sitrep.store.schema import events
from store_corpus import mosul_attack_reports, synthetic_coder, unrelated_reports
from store_fixtures import postgres_store_url, store_rows

MOSUL = Location(name="Mosul", admin1="Nineveh", country="Iraq", iso3="IRQ", lat=36.335, lon=43.119)
MOSUL_EAST = Location(
    name="Mosul al-Jadida", admin1="Nineveh", country="Iraq", lat=36.36, lon=43.16
)
NINEVEH = Location(name="Nineveh", admin1="Nineveh", country="Iraq", geo_precision=3)
BAGHDAD = Location(name="Baghdad", admin1="Baghdad", country="Iraq", lat=33.34, lon=44.40)


def bombing(**changes: object) -> Event:
    event = Event(
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        plover_type="ASSAULT",
        date=date(2024, 3, 12),
        date_earliest=date(2024, 3, 12),
        date_latest=date(2024, 3, 12),
        location=MOSUL,
        actor1=Actor(name="Islamic State"),
    )
    return event.model_copy(update=changes)


def test_places_a_few_km_apart_on_the_same_day_are_one_happening() -> None:
    match = match_events(bombing(), bombing(location=MOSUL_EAST), near_duplicate_documents=False)
    assert match is not None
    assert match.rule == "same_happening"
    assert match.distance_km is not None and 3 < match.distance_km < 6
    assert match.overlap_days == 1


def test_a_town_inside_a_province_level_report_is_one_happening() -> None:
    match = match_events(bombing(), bombing(location=NINEVEH), near_duplicate_documents=False)
    assert match is not None
    assert "inside" in match.detail["place"]


def test_other_city_other_week_other_family_or_other_actor_stay_apart() -> None:
    assert match_events(bombing(), bombing(location=BAGHDAD), False) is None
    later = date(2024, 3, 19)
    assert (
        match_events(bombing(), bombing(date=later, date_earliest=later, date_latest=later), False)
        is None
    )
    protest = bombing(
        event_type="Protests", sub_event_type="Peaceful protest", plover_type="PROTEST"
    )
    assert match_events(bombing(), protest, False) is None
    assert match_events(bombing(), bombing(actor1=Actor(name="Peshmerga")), False) is None


def test_overlapping_date_ranges_match_and_the_rule_is_symmetric() -> None:
    week = bombing(date=None, date_earliest=date(2024, 3, 10), date_latest=date(2024, 3, 16))
    forward = match_events(bombing(), week, False)
    backward = match_events(week, bombing(), False)
    assert forward is not None and backward is not None
    assert forward.detail == backward.detail


def test_wire_copies_are_near_duplicates_and_other_stories_are_not() -> None:
    reports = {report.id: sign_body(report.text) for report in mosul_attack_reports()}
    other = sign_body(unrelated_reports()[0].text)
    assert all(signature is not None for signature in reports.values()) and other is not None
    wire = estimated_similarity(reports["reuters-1"], reports["ap-1"])  # type: ignore[arg-type]
    assert is_near_duplicate(wire)
    assert not is_near_duplicate(estimated_similarity(reports["reuters-1"], other))  # type: ignore[arg-type]
    assert not is_near_duplicate(estimated_similarity(reports["reuters-1"], reports["rudaw-1"]))  # type: ignore[arg-type]


def coded_documents(reports: list[InputDocument]) -> list[CodedDocument]:
    """`reports` coded with the synthetic coder and signed, the way ingest does."""
    coded = []
    for report, result in zip(reports, synthetic_coder(reports), strict=True):
        signature = sign_body(result.article.body)
        coded.append(
            CodedDocument(
                input_hash=input_hash(report),
                input_name="test",
                source=report.source,
                url=report.url,
                result=result,
                minhash=signature.to_bytes() if signature else None,
            )
        )
    return coded


def store_documents(engine: Engine, reports: list[InputDocument]) -> None:
    """Code `reports` with the synthetic coder and write them one at a time."""
    for coded in coded_documents(reports):
        write_document(engine, coded)


def mosul_cluster(engine: Engine) -> tuple[str, list[str], list[int | None]]:
    with engine.connect() as connection:
        page = query_events(
            connection,
            EventFilter(
                admin1="Nineveh", event_type="Explosions/Remote violence", until=date(2024, 3, 13)
            ),
        )
        assert page.total == 1, [e.event.sentence for e in page.events]
        stored = page.events[0]
        explanation = explain_event(connection, stored.uid)
    assert explanation is not None
    fatalities = sorted(
        (m.event.fatalities for m in explanation.members), key=lambda value: value or -1
    )
    return stored.canonical_uid, stored.sources, fatalities


def mosul_joins(engine: Engine) -> list[tuple[str, str, str, dict[str, object]]]:
    """The matches `events show` gives for the Mosul bombing: (uid, uid, rule, detail)."""
    canonical_uid, _, _ = mosul_cluster(engine)
    with engine.connect() as connection:
        explanation = explain_event(connection, canonical_uid)
    assert explanation is not None
    return [(m.uid_a, m.uid_b, m.rule, m.detail) for m in explanation.matches]


def test_wire_copies_and_rewrites_of_one_attack_become_one_canonical_event(tmp_path: Path) -> None:
    engine = open_store(str(tmp_path / "store.db"))
    store_documents(engine, mosul_attack_reports() + unrelated_reports())
    _, sources, fatalities = mosul_cluster(engine)
    assert sources == sorted(
        ["Reuters", "Associated Press", "Al Arabiya", "Rudaw", "Kurdistan24", "NINA"]
    )
    # Each report keeps its own figures: the update's nine, the province report's none.
    assert fatalities == [None, 7, 7, 7, 7, 9]
    with engine.connect() as connection:
        everything = query_events(connection, EventFilter(limit=None))
    # The Mosul bombing, plus the Baghdad bombing, the protest, the later bombing and the clash.
    assert everything.total == 5
    baghdad = [
        e for e in everything.events if e.event.location and e.event.location.name == "Baghdad"
    ]
    assert len(baghdad) == 1 and baghdad[0].members == 1


def test_the_merge_is_the_same_under_any_input_order(tmp_path: Path) -> None:
    reports = mosul_attack_reports() + unrelated_reports()[:2]
    outcomes = []
    orders = [reports, reports[::-1], [reports[i] for i in (3, 0, 6, 5, 1, 7, 2, 4)]]
    for index, order in enumerate(itertools.islice(orders, 3)):
        engine = open_store(str(tmp_path / f"order{index}.db"))
        store_documents(engine, order)
        rows = store_rows(engine)
        outcomes.append((mosul_cluster(engine), rows["events"], mosul_joins(engine)))
        engine.dispose()
    assert outcomes[0] == outcomes[1] == outcomes[2]


def test_events_show_explains_which_rule_merged_the_reports(tmp_path: Path) -> None:
    database = str(tmp_path / "store.db")
    engine = open_store(database)
    store_documents(engine, mosul_attack_reports())
    canonical_uid, _, _ = mosul_cluster(engine)
    engine.dispose()
    result = CliRunner().invoke(main, ["events", "show", canonical_uid, "--db", database])
    assert result.exit_code == 0, result.output
    assert "6 report(s) from 6 source(s)" in result.output
    assert "by rule near_duplicate_documents" in result.output
    assert "by rule same_happening" in result.output
    assert "inside Nineveh" in result.output
    assert "dates overlap 1 day(s)" in result.output
    assert "MinHash Jaccard" in result.output


@pytest.mark.postgres
def test_wire_copies_merge_the_same_way_on_postgresql(tmp_path: Path) -> None:
    with postgres_store_url() as url:
        engine = open_store(url)
        store_documents(engine, mosul_attack_reports() + unrelated_reports())
        on_postgres = mosul_cluster(engine)
        engine.dispose()
    sqlite = open_store(str(tmp_path / "store.db"))
    store_documents(sqlite, mosul_attack_reports() + unrelated_reports())
    assert mosul_cluster(sqlite) == on_postgres


def test_ranges_too_vague_to_place_the_happening_do_not_merge() -> None:
    quarter = bombing(date=None, date_earliest=date(2024, 1, 1), date_latest=date(2024, 3, 31))
    assert match_events(bombing(), quarter, near_duplicate_documents=False) is None


def coded_report(number: int, event: Event) -> CodedDocument:
    """A one-event document, unlike every other in wording (so no near-duplicate)."""
    result = DocumentResult(
        id=f"report-{number}", article=Article(body=f"report {number}"), events=[event]
    )
    return CodedDocument(input_hash=f"{number:064d}", input_name="test", result=result)


def bridged_reports() -> list[CodedDocument]:
    """Two one-day reports two days apart, and a week-long report spanning both."""
    day = {number: date(2024, 3, number) for number in (10, 12, 14, 16)}
    return [
        coded_report(1, bombing(date=day[12], date_earliest=day[12], date_latest=day[12])),
        coded_report(2, bombing(date=day[14], date_earliest=day[14], date_latest=day[14])),
        coded_report(
            3,
            bombing(date=None, date_earliest=day[10], date_latest=day[16], location=NINEVEH),
        ),
        coded_report(4, bombing(date=day[14], date_earliest=day[14], date_latest=day[14])),
    ]


def cluster_rows(engine: Engine) -> list[tuple[str, str, bool]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(events.c.uid, events.c.canonical_uid, events.c.represents_cluster)
        )
        return sorted((str(uid), str(canonical), bool(flag)) for uid, canonical, flag in rows)


def test_a_report_that_bridges_two_happenings_joins_them_under_any_input_order(
    tmp_path: Path,
) -> None:
    outcomes = []
    # Every fifth of the 24 orders: the bridge comes first, between and last.
    orders = list(itertools.permutations(bridged_reports()))[::5]
    for index, order in enumerate(orders):
        engine = open_store(str(tmp_path / f"order{index}.db"))
        for coded in order:
            write_document(engine, coded)
        outcomes.append(cluster_rows(engine))
        engine.dispose()
    assert all(outcome == outcomes[0] for outcome in outcomes)
    rows = outcomes[0]
    uids = [uid for uid, _, _ in rows]
    # One happening: the smallest uid is canonical, and the most precise report stands for it.
    assert {canonical for _, canonical, _ in rows} == {min(uids)}
    representatives = [uid for uid, _, flag in rows if flag]
    reports = {
        event_uid(coded.input_hash, ""): coded.result.events[0] for coded in bridged_reports()
    }
    assert representatives == [min(uids, key=lambda uid: representative_rank(uid, reports[uid]))]


def test_a_cluster_left_with_several_representatives_is_repaired_by_the_next_match(
    tmp_path: Path,
) -> None:
    engine = open_store(str(tmp_path / "store.db"))
    first, second, bridge, later = bridged_reports()
    for coded in (first, bridge, second):
        write_document(engine, coded)
    with engine.begin() as connection:
        connection.execute(update(events).values(represents_cluster=True))
    write_document(engine, later)
    assert sum(flag for _, _, flag in cluster_rows(engine)) == 1


def _reach_places() -> list[Location]:
    """Places around Mosul at many distances, precisions, names, cases and ids."""
    places = []
    for number, (dlat, dlon) in enumerate(
        [(0, 0), (0.05, 0.05), (0.08, 0), (0, 0.11), (0.0899, 0), (0.2, 0.2), (1.0, 0)]
    ):
        for precision in (1, 2, 3):
            for admin1 in ("Nineveh", "NINEVEH", "Ninawá", "NINAWÁ", None):
                places.append(
                    Location(
                        name="Mosul" if number % 2 else "MOSUL",
                        admin1=admin1,
                        country="Iraq",
                        lat=36.335 + dlat,
                        lon=43.119 + dlon,
                        geonameid=99 if number == 6 else None,
                        geo_precision=precision,
                    )
                )
    places.append(Location(name="Mosul", admin1="Nineveh", country="Iraq", geo_precision=1))
    places.append(Location(name="mosul", country="Iraq", geo_precision=2, geonameid=99))
    return places


def test_the_candidate_place_test_keeps_every_stored_place_the_merge_could_relate() -> None:
    engine = create_engine("sqlite://")
    events.create(engine)
    stored = _reach_places()
    legacy = f"u{len(stored)}"  # a place stored before its folded columns were
    with engine.begin() as connection:
        connection.execute(
            insert(events),
            [
                {
                    "uid": f"u{number}",
                    "document_id": 1,
                    "canonical_uid": f"u{number}",
                    "represents_cluster": True,
                    "event_id": f"e{number}",
                    "plover_type": "ASSAULT",
                    "actor1_attribution": "unknown",
                    "status": "occurred",
                    "sentence": "",
                    "confidence": 1.0,
                    "record": {},
                    **{f"location_{key}": value for key, value in place.model_dump().items()},
                    "location_name_folded": None if number == len(stored) else _folded(place.name),
                    "location_admin1_folded": (
                        None if number == len(stored) else _folded(place.admin1)
                    ),
                }
                for number, place in enumerate([*stored, MOSUL])
            ],
        )
        for new in stored:
            reach = _place_reach([new], max_km=10.0)
            # Names and admin1s are compared on their folded columns: no place needs
            # every stored one kept.
            assert reach is not None, new
            passing = set(
                connection.execute(select(events.c.uid).where(_PLACE_TEST), reach).scalars()
            )
            related = {
                f"u{number}"
                for number, place in enumerate(stored)
                if _place_relation(new, place, 10.0) is not None
            }
            assert related <= passing, new
            assert legacy in passing
            # Every place leaves some out, region-level ones and ones without a point too.
            assert len(passing) < len(stored) + 1, new


def scattered_bombings(count: int, seed: int) -> list[CodedDocument]:
    """One-event reports of bombings around Mosul over a fortnight: many happen to
    chain into happenings, some stay alone (a few days or more than 10 km apart)."""
    rng = random.Random(seed)
    reports = []
    for number in range(count):
        first = date(2024, 3, 1) + timedelta(days=rng.randrange(14))
        last = first + timedelta(days=rng.choice([0, 0, 0, 1, 3]))
        place = MOSUL.model_copy(
            update={
                "lat": MOSUL.lat + rng.uniform(-0.15, 0.15),  # type: ignore[operator]
                "lon": MOSUL.lon + rng.uniform(-0.15, 0.15),  # type: ignore[operator]
                "geonameid": None,
                "geo_precision": rng.choice([1, 1, 2]),
            }
        )
        if rng.random() < 0.1:
            place = NINEVEH
        event = bombing(date=first, date_earliest=first, date_latest=last, location=place)
        reports.append(coded_report(1000 + number, event))
    return reports


def parts(uids: list[str], pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Each uid's part, named by its smallest uid, when `pairs` join them."""
    parent = {uid: uid for uid in uids}

    def root(node: str) -> str:
        while parent[node] != node:
            node = parent[node]
        return node

    for uid_a, uid_b in pairs:
        low, high = sorted((root(uid_a), root(uid_b)))
        parent[high] = low
    return {uid: root(uid) for uid in uids}


def every_matching_pair(members: list[tuple[str, Event]]) -> list[tuple[str, str]]:
    return [
        (uid_a, uid_b)
        for (uid_a, a), (uid_b, b) in itertools.combinations(members, 2)
        if match_events(a, b, near_duplicate_documents=False) is not None
    ]


def test_stored_happenings_are_the_parts_joined_by_every_matching_pair(tmp_path: Path) -> None:
    # The writer stops testing a happening's members at the first that matches;
    # the clusters must still be those every pair's match would join.
    reports = scattered_bombings(60, seed=7)
    engine = open_store(str(tmp_path / "store.db"))
    for coded in reports:
        write_document(engine, coded)
    members = [(event_uid(coded.input_hash, ""), coded.result.events[0]) for coded in reports]
    uids = [uid for uid, _ in members]
    expected = sorted(parts(uids, every_matching_pair(members)).items())
    stored = [(uid, canonical) for uid, canonical, _ in cluster_rows(engine)]
    assert stored == expected
    assert 1 < len({canonical for _, canonical in stored}) < len(uids) / 2


PROTEST = {
    "event_type": "Protests",
    "sub_event_type": "Peaceful protest",
    "plover_type": "PROTEST",
    "actor1": Actor(name="Protesters"),
}


def test_reports_of_many_events_in_two_countries_join_the_happenings_every_pair_would(
    tmp_path: Path,
) -> None:
    # A report's events are searched for together: each family in the window of its
    # own events, each event then held to its own window and country.
    rng = random.Random(11)
    aleppo = Location(
        name="Aleppo", admin1="Aleppo", country="Syria", iso3="SYR", lat=36.2, lon=37.16
    )
    reports = []
    for number in range(40):
        events_of_report = []
        for index in range(rng.choice([1, 2, 3, 5, 8, 9])):
            first = date(2024, 3, 1) + timedelta(days=rng.randrange(30))
            last = first + timedelta(days=rng.choice([0, 0, 1, 6]))
            centre = rng.choice([MOSUL, MOSUL, aleppo])
            place = centre.model_copy(
                update={
                    "lat": centre.lat + rng.uniform(-0.1, 0.1),  # type: ignore[operator]
                    "lon": centre.lon + rng.uniform(-0.1, 0.1),  # type: ignore[operator]
                    "geonameid": None,
                }
            )
            # Bombings and protests: a report's families have windows of their own.
            kind = rng.choice([{}, {}, PROTEST])
            events_of_report.append(
                bombing(
                    event_id=f"e{index}",
                    date=first,
                    date_earliest=first,
                    date_latest=last,
                    location=place,
                    **kind,
                )
            )
        result = DocumentResult(
            id=f"report-{number}", article=Article(body=f"report {number}"), events=events_of_report
        )
        reports.append(CodedDocument(input_hash=f"{number:064d}", input_name="test", result=result))
    engine = open_store(str(tmp_path / "store.db"))
    for coded in reports:
        write_document(engine, coded)
    members = [
        (coded.input_hash, event_uid(coded.input_hash, event.event_id), event)
        for coded in reports
        for event in coded.result.events
    ]
    # Events of one report never merge with each other, only through other reports.
    pairs = [
        (uid_a, uid_b)
        for (report_a, uid_a, a), (report_b, uid_b, b) in itertools.combinations(members, 2)
        if report_a != report_b and match_events(a, b, near_duplicate_documents=False) is not None
    ]
    expected = sorted(parts([uid for _, uid, _ in members], pairs).items())
    stored = [(uid, canonical) for uid, canonical, _ in cluster_rows(engine)]
    assert stored == expected
    assert 1 < len({canonical for _, canonical in stored}) < len(members) / 2


def test_every_member_of_a_large_happening_is_explained_by_one_match() -> None:
    members = [
        (event_uid(coded.input_hash, ""), number, coded.result.events[0])
        for number, coded in enumerate(scattered_bombings(150, seed=3))
    ]
    assert len(members) > STRONGEST_JOINS_AT_MOST
    for subset in (members[:40], members):  # strongest matches, then breadth-first
        uids = [uid for uid, _, _ in subset]
        joins = joining_matches(subset, near_duplicate_documents=[])
        assert joining_matches(subset[::-1], near_duplicate_documents=[]) == joins
        assert all(uid_a < uid_b for uid_a, uid_b, _ in joins)
        joined = parts(uids, [(uid_a, uid_b) for uid_a, uid_b, _ in joins])
        every = parts(uids, every_matching_pair([(uid, event) for uid, _, event in subset]))
        # A tree (one match fewer than members in each part) with every pair's parts.
        assert joined == every
        assert len(joins) == len(uids) - len(set(every.values()))
