"""The time stage: anchors, date expressions and their resolution, and dating events."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.article import build_article
from sitrep.cli import main
from sitrep.dates import anchor_date, date_events, dateline_date, find_timexes
from sitrep.models import Article, Dateline, Event, InputDocument, Timex

THURSDAY = date(2021, 7, 29)


def _resolve(text: str, anchor: date | None = THURSDAY) -> dict[str, str | None]:
    return {timex.text: timex.value for timex in find_timexes(text, anchor)}


def _event(body: str, opening: str) -> Event:
    """An event whose one sentence starts with `opening` and runs to its full stop."""
    event = Event(plover_type="ASSAULT")
    start = body.index(opening)
    end = body.find(".", start + len(opening) - 1)
    event._sentence_spans = [(start, end + 1 if end >= 0 else len(body))]
    return event


def _dated(body: str, sentence: str, anchor: date | None = THURSDAY) -> Event:
    event = _event(body, sentence)
    article = Article(body=body, published=anchor)
    date_events([event], article, find_timexes(body, anchor), anchor_date(article))
    return event


# --- seed story ---------------------------------------------------------------------


@pytest.fixture()
def seed_article(seed_story_text: str) -> Article:
    document = InputDocument(id="baghdad-rockets", text=seed_story_text)
    article = build_article(document, today=date(2026, 11, 28))
    assert article.dateline is not None and article.dateline.date_text == "July 29"
    return article


def test_seed_story_anchor_is_the_dateline_day_in_the_year_its_thursday_names(
    seed_article: Article,
) -> None:
    assert anchor_date(seed_article, today=date(2026, 11, 28)) == THURSDAY


def test_seed_story_rocket_attack_is_dated_to_the_day(seed_article: Article) -> None:
    body = seed_article.body
    rockets = _event(body, "Two rockets were fired early Thursday against Baghdad’s fortified")
    anchor = anchor_date(seed_article, today=date(2026, 11, 28))
    date_events([rockets], seed_article, find_timexes(body, anchor), anchor)
    assert (rockets.date, rockets.date_earliest, rockets.date_latest) == (THURSDAY,) * 3
    assert rockets.time_precision == 1
    assert [e.text for e in rockets.evidence if e.field == "date"] == ["early Thursday"]


def test_seed_story_drone_strike_is_a_range_of_saturdays_never_one_invented_day(
    seed_article: Article,
) -> None:
    body = seed_article.body
    sentence = (
        "There had been just one attack since the first week of July, a Saturday drone strike"
    )
    drone = _event(body, sentence)
    # The background sentence of the story is its own event here: it must not leak.
    background = _event(body, "Attacks on US interests in Iraq")
    anchor = anchor_date(seed_article, today=date(2026, 11, 28))
    date_events([drone, background], seed_article, find_timexes(body, anchor), anchor)
    assert drone.date is None
    assert drone.date_earliest is not None and drone.date_latest is not None
    assert date(2021, 7, 1) <= drone.date_earliest <= drone.date_latest <= date(2021, 7, 28)
    for saturday in (date(2021, 7, 10), date(2021, 7, 17), date(2021, 7, 24)):
        assert drone.date_earliest <= saturday <= drone.date_latest
    assert drone.time_precision in (2, 3)
    evidence = {e.text for e in drone.evidence}
    assert evidence == {"since the first week of July", "a Saturday"}
    assert all("recent months" not in e.text for e in background.evidence)


# --- anchor -------------------------------------------------------------------------


def test_anchor_prefers_the_dateline_over_published() -> None:
    article = Article(
        body="KABUL, 3 May -- Gunmen attacked a checkpoint on Sunday.",
        dateline=Dateline(date_text="3 May"),
        published=date(2020, 5, 4),
    )
    assert anchor_date(article) == date(2020, 5, 3)


def test_anchor_falls_back_to_published_then_none() -> None:
    assert anchor_date(Article(body="x", published=date(2020, 5, 4))) == date(2020, 5, 4)
    assert anchor_date(Article(body="x")) is None


@pytest.mark.parametrize(
    ("date_text", "expected"),
    [("3 JAN 90", date(1990, 1, 3)), ("Aug. 7, 1998", date(1998, 8, 7)), ("July 29", None)],
)
def test_dateline_date_reads_wire_formats(date_text: str, expected: date | None) -> None:
    found = dateline_date(date_text, published=date(2021, 7, 30))
    assert found == (expected or date(2021, 7, 29))


def test_a_year_less_dateline_without_published_takes_the_year_of_its_weekday() -> None:
    body = "BEIRUT, March 4 (AP) -- Shells fell on Friday on the port."
    assert dateline_date("March 4", body, today=date(2026, 1, 1)) == date(2022, 3, 4)


# --- expressions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expression", "value"),
    [
        ("On 29 July 2021, troops moved in.", "29 July 2021", "2021-07-29"),
        ("It happened on July 29 in the city.", "July 29", "2021-07-29"),
        ("Aug. 7, 1998 was a Friday.", "Aug. 7, 1998", "1998-08-07"),
        ("SAN SALVADOR, 16 NOV 89 -- a bomb", "16 NOV 89", "1989-11-16"),
        ("01/02/2021: An explosive device detonated.", "01/02/2021", "2021-01-02"),
        ("Rebels attacked on Tuesday night.", "Tuesday night", "2021-07-27"),
        ("Police said yesterday that two died.", "yesterday", "2021-07-28"),
        ("Two days ago the convoy was hit.", "Two days ago", "2021-07-27"),
        ("Talks ended last week.", "last week", "2021-W29"),
        ("Prices rose last month.", "last month", "2021-06"),
        ("It was decided earlier this month.", "earlier this month", "2021-07"),
        ("Sales fell in the fourth quarter.", "the fourth quarter", "2020-Q4"),
        ("Sales rose in the second quarter.", "the second quarter", "2021-Q2"),
        ("Profit rose in the 1980s.", "the 1980s", "198X"),
        ("The plant closed in 1998.", "1998", "1998"),
        ("The company is now profitable.", "now", "PRESENT_REF"),
        ("Clashes erupted last fall.", "last fall", "2020-FA"),
    ],
)
def test_expressions_resolve_to_timex3_values(text: str, expression: str, value: str) -> None:
    assert _resolve(text)[expression] == value


def test_a_weekday_is_the_most_recent_one_unless_the_clause_is_future() -> None:
    assert _resolve("Gunmen attacked the village on Monday.")["Monday"] == "2021-07-26"
    assert _resolve("The leaders will meet on Monday.")["Monday"] == "2021-08-02"
    assert _resolve("Voting ends Thursday.")["Thursday"] == "2021-07-29"
    assert _resolve("A car exploded next to the base on Monday.")["Monday"] == "2021-07-26"
    assert _resolve("Talks were cancelled on Monday due to rain.")["Monday"] == "2021-07-26"


def test_a_day_without_a_year_takes_the_nearest_year_leaning_to_the_past() -> None:
    assert _resolve("It began on Dec. 30.", date(2021, 1, 4))["Dec. 30"] == "2020-12-30"
    assert _resolve("Talks resume on Jan. 2.", date(2020, 12, 30))["Jan. 2"] == "2021-01-02"
    assert _resolve("It began on June 2.", date(2021, 1, 4))["June 2"] == "2020-06-02"


def test_a_common_word_is_not_a_month() -> None:
    assert "may" not in _resolve("Officials said they may march on the capital.")
    assert "march" not in _resolve("Officials said they may march on the capital.")


def test_a_count_is_not_a_year() -> None:
    assert _resolve("About 2000 protesters and 1500 troops were there.") == {}
    assert _resolve("In 2000 the army left.") == {"2000": "2000"}
    assert _resolve("Leaders of the 1992 protests met.") == {"1992": "1992"}
    assert _resolve("Independence from Spain came in 1898.") == {"1898": "1898"}


def test_overnight_keeps_the_previous_night_in_range() -> None:
    (timex,) = find_timexes("Shelling continued overnight.", THURSDAY)
    assert (timex.earliest, timex.latest) == (date(2021, 7, 28), THURSDAY)


def test_vague_periods_are_past_references_with_a_range() -> None:
    (timex,) = find_timexes("Attacks were frequent in recent months.", THURSDAY)
    assert timex.value == "PAST_REF"
    assert timex.earliest is not None and timex.latest == date(2021, 7, 28)


def test_without_an_anchor_relative_dates_stay_unresolved_and_absolute_ones_resolve() -> None:
    found = {t.text: t for t in find_timexes("On 9 May 2020 and on Tuesday.", None)}
    assert found["9 May 2020"].earliest == date(2020, 5, 9)
    assert found["Tuesday"].earliest is None


def test_offsets_point_into_the_text() -> None:
    text = "\n\nNAIROBI (AP) _ Bombs exploded Friday, and on Aug. 8 more fell."
    for timex in find_timexes(text, date(1998, 8, 8)):
        assert text[timex.start : timex.end] == timex.text


# --- dating events ------------------------------------------------------------------


def test_an_event_takes_the_expression_in_its_own_sentence() -> None:
    body = "Gunmen killed two people on Tuesday. On Wednesday, police arrested a suspect."
    killed = _dated(body, "Gunmen killed two people on Tuesday.")
    arrest = _dated(body, "On Wednesday, police arrested a suspect.")
    assert killed.date == date(2021, 7, 27)
    assert arrest.date == date(2021, 7, 28)


def test_the_day_of_the_report_yields_to_the_day_of_the_event() -> None:
    body = "Police said on Wednesday that gunmen killed two people on Tuesday."
    assert _dated(body, body).date == date(2021, 7, 27)
    reported_only = "Two people were killed in the attack, police said on Wednesday."
    assert _dated(reported_only, reported_only).date == date(2021, 7, 28)


def test_a_present_perfect_report_without_a_time_phrase_is_the_anchor_day_in_a_week() -> None:
    event = _dated("Militants have killed three soldiers in the north.", "Militants have killed")
    assert event.date == THURSDAY
    assert event.date_earliest == date(2021, 7, 23)
    assert event.date_latest == THURSDAY
    assert event.time_precision == 2


def test_an_undated_report_points_at_the_dateline_date() -> None:
    body = "KABUL, July 29 (AP) -- Militants have killed three soldiers."
    article = Article(body=body, dateline=Dateline(date_text="July 29"), published=THURSDAY)
    event = _event(body, "Militants have killed")
    anchor = anchor_date(article)
    date_events([event], article, find_timexes(body, anchor), anchor)
    assert event.date == THURSDAY and event.time_precision == 2
    assert [e.text for e in event.evidence] == ["July 29"]


def test_a_span_between_two_days_is_one_range() -> None:
    body = "Fighting raged between Saturday and Monday in the town."
    event = _dated(body, body)
    assert (event.date_earliest, event.date_latest) == (date(2021, 7, 24), date(2021, 7, 26))
    assert event.date is None and event.time_precision == 2


def test_a_summary_lead_date_dates_its_later_sentences() -> None:
    body = "01/02/2021: An explosive device detonated. Two soldiers were killed in the blast."
    event = _dated(body, "Two soldiers were killed in the blast.", anchor=None)
    assert event.date == date(2021, 1, 2) and event.time_precision == 1
    assert event.evidence[0].text == "01/02/2021"


def test_with_no_anchor_and_no_absolute_date_everything_stays_null() -> None:
    event = _dated("Gunmen attacked a bus on Tuesday.", "Gunmen attacked a bus", anchor=None)
    assert (event.date, event.date_earliest, event.date_latest) == (None, None, None)
    assert event.time_precision is None
    assert event.evidence == []


def test_an_occurred_event_of_this_week_ends_on_the_anchor() -> None:
    event = _dated("Protests spread earlier this week.", "Protests spread earlier this week.")
    assert event.date_latest == THURSDAY
    assert event.date_earliest == date(2021, 7, 26)


# --- command line -------------------------------------------------------------------


def test_cli_writes_timexes_per_document_as_jsonl(tmp_path: Path) -> None:
    source = tmp_path / "docs.jsonl"
    text = "Gunmen attacked a bus on Tuesday, police said yesterday."
    source.write_text(json.dumps({"id": "a", "text": text, "published": "2021-07-29"}) + "\n")
    result = CliRunner().invoke(main, ["dates", str(source), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["id"] == "a" and record["anchor"] == "2021-07-29"
    spans = [(t["text"], t["value"]) for t in record["timexes"]]
    assert spans == [("Tuesday", "2021-07-27"), ("yesterday", "2021-07-28")]
    for timex in record["timexes"]:
        assert text[timex["start"] : timex["end"]] == timex["text"]
        Timex.model_validate(timex)


def test_cli_reads_the_dateline_of_a_plain_text(seed_story_text: str, tmp_path: Path) -> None:
    source = tmp_path / "story.txt"
    source.write_text(seed_story_text, encoding="utf-8")
    result = CliRunner().invoke(main, ["dates", str(source)])
    assert result.exit_code == 0, result.output
    assert "anchor 2021-07-29" in result.output
    assert "'early Thursday'" in result.output


def test_cli_reads_standard_input_and_reports_a_bad_path_in_one_line(tmp_path: Path) -> None:
    text = "Gunmen attacked a bus on Tuesday, police said yesterday."
    stdin = json.dumps({"id": "a", "text": text, "published": "2021-07-29"}) + "\n"
    missing = tmp_path / "missing.jsonl"
    result = CliRunner().invoke(
        main, ["dates", str(missing), "-", "--format", "jsonl"], input=stdin
    )
    assert result.exit_code == 1
    record = json.loads(result.stdout)
    assert record["id"] == "a" and [t["value"] for t in record["timexes"]] == [
        "2021-07-27",
        "2021-07-28",
    ]
    assert result.stderr == f"sitrep: {missing}: no such file or directory\n"
