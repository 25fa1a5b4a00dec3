"""`sitrep eval` end to end on small gold files, with the stages replaced by perfect,
empty, adversarial or failing stand-ins, and once with the real pipeline."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sitrep.cli import main
from sitrep.evaluation import runner
from sitrep.evaluation.gold import GoldEvent, read_gold
from sitrep.evaluation.runner import DatasetReport, evaluate_file
from sitrep.evaluation.split import split_of
from sitrep.models import (
    Actor,
    Article,
    DocumentResult,
    Event,
    InputDocument,
    Location,
    Timex,
    Toponym,
)

# Ids chosen so that the fixed split puts some in each half.
TEST_IDS = [f"doc-{index}" for index in range(40) if split_of(f"doc-{index}") == "test"][:3]
TRAIN_IDS = [f"doc-{index}" for index in range(40) if split_of(f"doc-{index}") == "train"][:3]

# The read-only gold data beside the checkout (tests/conftest.py).
EVAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


def acled_line(document_id: str, fatalities: int = 0) -> dict[str, Any]:
    return {
        "id": document_id,
        "dataset": "acled",
        "text": f"On 9 May 2020, interns protested in Haifa ({document_id}).",
        "published": "2020-05-09",
        "events": [
            {
                "event_type": "Protests",
                "sub_event_type": "Peaceful protest",
                "date": "2020-05-09",
                "location": {
                    "name": "Haifa",
                    "admin1": "Haifa",
                    "country": "Israel",
                    "lat": 32.8184,
                    "lon": 34.9885,
                },
                "actor1": "Protesters (Israel)",
                "fatalities": fatalities,
                "raw": {"inter1": "6"},
            }
        ],
    }


def write_jsonl(path: Path, lines: Iterable[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def perfect_event(gold: GoldEvent) -> Event:
    location = gold.location
    return Event(
        event_type=gold.event_type,
        sub_event_type=gold.sub_event_type,
        plover_type=gold.plover_type or "PROTEST",
        date=gold.date,
        location=Location(
            name=location.name or "",
            admin1=location.admin1,
            country=location.country,
            lat=location.lat,
            lon=location.lon,
        )
        if location
        else None,
        actor1=Actor(name=gold.actor1, type="Protesters") if gold.actor1 else None,
        fatalities=gold.fatalities,
        confidence=0.9,
    )


def fake_pipeline(
    monkeypatch: pytest.MonkeyPatch, code: Any, seen: list[str] | None = None
) -> None:
    """Replace extract_many by `code(gold_id) -> list[Event]`, lazily, one document at a time."""

    def extract_many(documents: Iterable[InputDocument]) -> Iterator[DocumentResult]:
        for document in documents:
            if seen is not None:
                seen.append(document.id)
            yield DocumentResult(
                id=document.id, article=Article(body=document.text), events=code(document.id)
            )

    monkeypatch.setattr(runner, "extract_many", extract_many)


def figures(report: DatasetReport) -> dict[str, tuple[float | None, int]]:
    return {figure.name: (figure.value, figure.n) for figure in report.figures}


def test_perfect_predictions_score_one_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_jsonl(tmp_path / "acled.jsonl", [acled_line(i, 2) for i in TEST_IDS])
    gold_by_id = {document.id: document for document in read_gold(path)}
    fake_pipeline(monkeypatch, lambda i: [perfect_event(e) for e in gold_by_id[i].events or []])
    (report,) = evaluate_file(path, split="test")
    assert report.error is None and report.documents == len(TEST_IDS)
    rows = figures(report)
    for name in (
        "detection (per document) recall",
        "detection (per document) F1",
        "event_type accuracy (matched pairs)",
        "sub_event_type accuracy (matched pairs)",
        "sub-event macro-F1 (one label a document)",
        "fatalities exact",
        "date exact day",
        "gold day within predicted range",
        "country accuracy",
        "admin1 accuracy",
        "within 25 km",
        "actor1 token F1",
        "canonical actor1 exact",
        "actor1 type vs ACLED inter1",
    ):
        assert rows[name] == (1.0, len(TEST_IDS)), name


def test_empty_predictions_score_zero_and_say_precision_is_undefined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_jsonl(tmp_path / "acled.jsonl", [acled_line(i, 2) for i in TEST_IDS])
    fake_pipeline(monkeypatch, lambda i: [])
    rows = figures(evaluate_file(path)[0])
    assert rows["detection (per document) precision"] == (None, 0)
    assert rows["detection (per document) recall"] == (0.0, len(TEST_IDS))
    assert rows["fatalities exact"] == (0.0, len(TEST_IDS))
    assert rows["within 161 km"] == (0.0, len(TEST_IDS))
    assert rows["event_type accuracy (matched pairs)"] == (None, 0)
    assert "plover_type accuracy (matched pairs)" not in rows


def test_acled_zero_fatalities_accept_null_but_a_missing_event_is_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_jsonl(tmp_path / "acled.jsonl", [acled_line(i, 0) for i in TEST_IDS])
    found = TEST_IDS[:2]
    fake_pipeline(
        monkeypatch,
        lambda i: [Event(plover_type="PROTEST", fatalities=None)] if i in found else [],
    )
    (report,) = evaluate_file(path)
    assert figures(report)["fatalities exact"] == (2 / len(TEST_IDS), len(TEST_IDS))
    assert any("ACLED writes 0" in note for note in report.notes)


def test_adversarial_predictions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_jsonl(tmp_path / "acled.jsonl", [acled_line(TEST_IDS[0], 3)])

    def code(document_id: str) -> list[Event]:
        wrong = Event(
            event_type="Battles",
            sub_event_type="Armed clash",
            plover_type="ASSAULT",
            date=date(2020, 5, 8),
            date_earliest=date(2020, 5, 3),
            date_latest=date(2020, 5, 9),
            location=Location(name="Haifa", country="Iran", lat=32.8184, lon=35.3),
            fatalities=0,
            confidence=0.99,
        )
        return [wrong, wrong.model_copy()]

    fake_pipeline(monkeypatch, code)
    rows = figures(evaluate_file(path)[0])
    assert rows["detection (per document) precision"] == (1.0, 1)
    assert rows["predicted events per document"] == (2.0, 1)
    assert rows["sub_event_type accuracy (matched pairs)"] == (0.0, 1)
    assert rows["fatalities exact"] == (0.0, 1)
    assert rows["date exact day"] == (0.0, 1)
    assert rows["gold day within predicted range"] == (1.0, 1)
    assert rows["country accuracy"] == (0.0, 1)
    # 0.31 degrees of longitude at 32.8 N is about 29 km.
    assert rows["within 25 km"] == (0.0, 1)
    assert rows["within 161 km"] == (1.0, 1)


def test_split_selects_the_fixed_halves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_jsonl(tmp_path / "acled.jsonl", [acled_line(i) for i in TEST_IDS + TRAIN_IDS])
    seen: list[str] = []
    fake_pipeline(monkeypatch, lambda i: [], seen)
    assert evaluate_file(path, split="test")[0].documents == len(TEST_IDS)
    assert set(seen) == set(TEST_IDS)
    assert evaluate_file(path, split="train")[0].documents == len(TRAIN_IDS)
    assert evaluate_file(path, split="all")[0].documents == len(TEST_IDS + TRAIN_IDS)
    assert evaluate_file(path, split="all", limit=2)[0].documents == 2


def test_documents_stream_through_the_pipeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Gold lines are read as the pipeline asks for documents, not all up front."""
    ids = [f"stream-{index}" for index in range(200)]
    path = write_jsonl(tmp_path / "acled.jsonl", [acled_line(i) for i in ids])
    read: list[str] = []
    scored: list[str] = []
    ahead = 0
    original_read_gold = runner.read_gold

    def read_gold(*args: Any) -> Iterator[Any]:
        for document in original_read_gold(*args):
            read.append(document.id)
            yield document

    def extract_many(documents: Iterable[InputDocument]) -> Iterator[DocumentResult]:
        nonlocal ahead
        for document in documents:
            ahead = max(ahead, len(read) - len(scored))
            yield DocumentResult(id=document.id, article=Article())
            scored.append(document.id)

    monkeypatch.setattr(runner, "read_gold", read_gold)
    monkeypatch.setattr(runner, "extract_many", extract_many)
    (report,) = evaluate_file(path, split="all")
    assert report.documents == len(ids)
    assert scored == ids
    # The first pass peeks at one line to learn the kind; then one document at a time.
    assert ahead <= 2


def test_geoparsing_timex_and_place_sets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Fire in Alexandria and Pineville."
    toponyms = write_jsonl(
        tmp_path / "lgl.jsonl",
        [
            {
                "id": i,
                "dataset": "lgl",
                "text": text,
                "toponyms": [
                    {"start": 8, "end": 18, "text": "Alexandria", "lat": 31.31, "lon": -92.44},
                    {"start": 23, "end": 32, "text": "Pineville", "lat": 31.32, "lon": -92.43},
                ],
            }
            for i in TEST_IDS
        ],
    )
    # Alexandria exact and placed right; Pineville off by one character and placed in Egypt.
    monkeypatch.setattr(
        runner,
        "geocode_text",
        lambda text, doc=None: [
            Toponym(start=8, end=18, text="Alexandria", lat=31.3, lon=-92.4),
            Toponym(start=23, end=31, text="Pinevill", lat=31.2, lon=29.9),
        ],
    )
    rows = figures(evaluate_file(toponyms)[0])
    count = len(TEST_IDS)
    assert rows["exact spans precision"] == (0.5, 2 * count)
    assert rows["exact spans recall"] == (0.5, 2 * count)
    assert rows["within 161 km (exact spans recalled)"] == (1.0, count)
    assert rows["overlapping spans F1"] == (1.0, 2 * count)
    assert rows["within 161 km (overlapping spans recalled)"] == (0.5, 2 * count)

    timexes = write_jsonl(
        tmp_path / "tempeval3.jsonl",
        [
            {
                "id": TEST_IDS[0],
                "dataset": "tempeval3",
                "text": "Bombs exploded Friday, for two hours.",
                "published": "1998-08-07",
                "timexes": [
                    {
                        "start": 15,
                        "end": 21,
                        "text": "Friday",
                        "type": "DATE",
                        "value": "1998-08-07",
                    },
                    {
                        "start": 27,
                        "end": 36,
                        "text": "two hours",
                        "type": "DURATION",
                        "value": "PT2H",
                    },
                ],
            }
        ],
    )
    anchors: list[object] = []

    def find_timexes(text: str, anchor: object, doc: object = None) -> list[Timex]:
        anchors.append(anchor)
        return [Timex(start=15, end=22, text="Friday,", value="1998-08-06")]

    monkeypatch.setattr(runner, "find_timexes", find_timexes)
    rows = figures(evaluate_file(timexes)[0])
    assert anchors == [date(1998, 8, 7)]
    assert rows["DATE recall (overlapping span)"] == (1.0, 1)
    assert rows["DATE recall (exact span)"] == (0.0, 1)
    assert rows["DATE value exact (of all gold DATE)"] == (0.0, 1)
    assert rows["all types recall (overlapping span)"] == (0.5, 2)

    places = write_jsonl(
        tmp_path / "ucdp.jsonl",
        [
            {"id": TEST_IDS[0], "dataset": "ucdp_iraq_places", "name": "Hīt town",
             "country": "Iraq", "lat": 33.6366, "lon": 42.8277, "where_prec": 1},
            {"id": TEST_IDS[1], "dataset": "ucdp_iraq_places", "name": "Zab river",
             "country": "Iraq", "lat": 37.07, "lon": 43.66, "where_prec": 5},
        ],
    )  # fmt: skip
    asked: list[tuple[str, str | None]] = []

    def resolve_place_name(name: str, country: str | None = None) -> Toponym | None:
        asked.append((name, country))
        return Toponym(start=0, end=0, text=name, lat=33.64, lon=42.83) if "Hīt" in name else None

    monkeypatch.setattr(runner, "resolve_place_name", resolve_place_name)
    rows = figures(evaluate_file(places)[0])
    assert asked == [("Hīt town", "Iraq"), ("Zab river", "Iraq")]
    assert rows["within 25 km"] == (0.5, 2)
    assert rows["resolved to a point"] == (0.5, 2)
    assert rows["within 25 km (where_prec 1: the exact place)"] == (1.0, 1)


def test_a_stage_that_raises_on_one_document_is_counted_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_jsonl(
        tmp_path / "ucdp.jsonl",
        [
            {"id": i, "dataset": "ucdp_iraq_places", "name": name, "lat": 33.0, "lon": 44.0}
            for i, name in zip(TEST_IDS, ["Baghdad", "Boom", "Baghdad"], strict=True)
        ],
    )

    def resolve_place_name(name: str, country: str | None = None) -> Toponym | None:
        if name == "Boom":
            raise ValueError("gazetteer hiccup")
        return Toponym(start=0, end=0, text=name, lat=33.0, lon=44.0)

    monkeypatch.setattr(runner, "resolve_place_name", resolve_place_name)
    (report,) = evaluate_file(path)
    assert report.error is None
    assert figures(report)["within 25 km"] == (2 / 3, 3)
    assert any("1 documents raised" in note and "gazetteer hiccup" in note for note in report.notes)


def test_cli_scores_every_file_prints_errors_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = write_jsonl(tmp_path / "acled.dev.jsonl", [acled_line(i) for i in TEST_IDS])
    bad = tmp_path / "broken.dev.jsonl"
    bad.write_text(json.dumps(acled_line(TEST_IDS[0])) + "\n{oops\n", encoding="utf-8")
    fake_pipeline(monkeypatch, lambda i: [])
    result = CliRunner().invoke(main, ["eval", str(bad), str(good)])
    assert result.exit_code == 1
    assert f"sitrep eval: {bad}:2: not JSON" in result.stderr
    assert "acled — test split: the unseen 20%" in result.stdout
    assert "fatalities exact" in result.stdout
    assert "ACLED writes 0 fatalities" in result.stdout
    assert "elapsed" in result.stdout

    result = CliRunner().invoke(main, ["eval", str(good), "--json", "--split", "all"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["split"] == "all"
    (dataset,) = payload["datasets"]
    assert dataset["dataset"] == "acled" and dataset["documents"] == len(TEST_IDS)
    recall = next(f for f in dataset["figures"] if f["name"] == "detection (per document) recall")
    assert recall == {"section": "events", "name": recall["name"], "value": 0.0, "n": len(TEST_IDS)}
    precision = next(
        f for f in dataset["figures"] if f["name"] == "detection (per document) precision"
    )
    assert precision["value"] is None and precision["n"] == 0


@pytest.mark.slow
@pytest.mark.skipif(not EVAL_DIR.is_dir(), reason="shared gold data not present")
def test_real_pipeline_on_a_slice_of_every_development_set() -> None:
    for path in sorted(EVAL_DIR.glob("*.dev.jsonl")):
        reports = evaluate_file(path, split="test", limit=15)
        for report in reports:
            assert report.error is None, report.error
            assert 0 < report.documents <= 15
            assert report.figures, path
            assert all(figure.n > 0 or figure.value is None for figure in report.figures)


def test_gold_names_without_words_are_not_scored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = {
        "id": TEST_IDS[0],
        "dataset": "muc4",
        "text": "BOMB IN LIMA.",
        "events": [{"plover_type": "ASSAULT", "actor1": "\\", "target": "EMBASSY"}],
    }
    path = write_jsonl(tmp_path / "muc4.jsonl", [line])
    fake_pipeline(monkeypatch, lambda i: [])
    rows = figures(evaluate_file(path)[0])
    assert "actor1 token F1" not in rows
    assert rows["target token F1"] == (0.0, 1)
