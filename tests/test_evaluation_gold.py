"""Reading gold files: every kind of line, the shapes the converted sets use, and clear errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sitrep.errors import GoldFormatError
from sitrep.evaluation.gold import read_gold

# The read-only gold data beside the checkout (tests/conftest.py).
EVAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


def write_lines(path: Path, *lines: object) -> Path:
    path.write_text(
        "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
        encoding="utf-8",
    )
    return path


EVENT_LINE = {
    "id": "acled-1",
    "dataset": "acled",
    "text": "On 9 May 2020, interns protested in Haifa.",
    "title": None,
    "published": "2020-05-09",
    "events": [
        {
            "event_type": "Protests",
            "sub_event_type": "Peaceful protest",
            "date": "2020-05-09",
            "date_end": None,
            "location": {"name": "Haifa", "country": "Israel", "lat": 32.8, "lon": 34.9},
            "fatalities": 0,
            "raw": {"inter1": "6"},
        }
    ],
}


def test_reads_each_kind_of_line(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "mixed.jsonl",
        EVENT_LINE,
        {
            "id": "lgl-1",
            "dataset": "lgl",
            "text": "Fire in Alexandria.",
            "toponyms": [{"start": 8, "end": 18, "text": "Alexandria", "lat": 31.3, "lon": -92.4}],
        },
        {
            "id": "te-1",
            "dataset": "tempeval3",
            "text": "Bombs exploded Friday.",
            "published": "1998-08-07",
            "timexes": [
                {"start": 15, "end": 21, "text": "Friday", "type": "DATE", "value": "1998-08-07"}
            ],
        },
        {
            "id": "ucdp-1",
            "dataset": "ucdp_iraq_places",
            "name": "Hīt town",
            "country": "Iraq",
            "lat": 33.6,
            "lon": 42.8,
            "where_prec": 1,
        },
    )
    documents = list(read_gold(path))
    assert [document.kind for document in documents] == ["events", "toponyms", "timexes", "place"]
    event = (documents[0].events or [])[0]
    assert event.date == date(2020, 5, 9)
    assert event.fatalities == 0 and event.injuries is None
    assert event.location is not None and event.location.lat == 32.8
    assert documents[2].published == date(1998, 8, 7)
    place = documents[3].place
    assert place is not None and place.name == "Hīt town" and place.where_prec == 1


def test_converted_shapes_plover_location_muc4_optional_and_wikievents_arguments(
    tmp_path: Path,
) -> None:
    path = write_lines(
        tmp_path / "shapes.jsonl",
        {
            "id": "p",
            "dataset": "plover_gsr",
            "text": "t",
            "events": [{"plover_type": "ASSAULT", "location": {"name": {"name": "Basra"}}}],
        },
        {
            "id": "m",
            "dataset": "muc4",
            "text": "t",
            "events": [
                {
                    "plover_type": "ASSAULT",
                    "location": {},
                    "raw": {"MESSAGE: TEMPLATE": "2 (OPTIONAL)"},
                },
                {"plover_type": "ASSAULT", "raw": {"MESSAGE: TEMPLATE": "1"}},
            ],
        },
        {
            "id": "w",
            "dataset": "wikievents",
            "text": "t",
            "events": [
                {
                    "plover_type": None,
                    "source_type": "Life.Die.Unspecified",
                    "trigger": "died",
                    "raw": {"arguments": [{"role": "Place", "text": "Paris"}]},
                },
                {
                    "plover_type": "ASSAULT",
                    "source_type": "Conflict.Attack.Unspecified",
                    "trigger": "attack",
                    "raw": {
                        "arguments": [
                            {"role": "Attacker", "text": "gunmen"},
                            {"role": "Target", "text": "church"},
                            {"role": "Target", "text": "priest"},
                            {"role": "Place", "text": "Nice"},
                        ]
                    },
                },
            ],
        },
    )
    plover, muc4, wikievents = read_gold(path)
    location = (plover.events or [])[0].location
    assert location is not None and location.name == "Basra"
    optional, required = muc4.events or []
    assert optional.optional and optional.location is None
    assert not required.optional
    death, attack = wikievents.events or []
    assert death.location is None
    assert attack.actor1 == "gunmen"
    assert attack.target == "church; priest"
    assert attack.location is not None and attack.location.name == "Nice"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "expected a JSON object"),
        (json.dumps({"dataset": "acled", "text": "x", "events": []}), "missing or empty `id`"),
        (json.dumps({"id": "x", "text": "x", "events": []}), "missing or empty `dataset`"),
        (json.dumps({"id": "x", "dataset": "d", "text": "x"}), "no `events`, `toponyms`"),
        (json.dumps({"id": "x", "dataset": "d", "events": []}), "`text` is missing"),
        (
            json.dumps(
                {"id": "x", "dataset": "d", "text": "x", "events": [{"fatalities": "many"}]}
            ),
            "`events.0.fatalities`",
        ),
        (
            json.dumps(
                {"id": "x", "dataset": "d", "text": "x", "published": "yesterday", "events": []}
            ),
            "`published`",
        ),
    ],
)
def test_malformed_line_is_one_error_naming_file_and_line(
    tmp_path: Path, line: str, message: str
) -> None:
    path = write_lines(tmp_path / "bad.jsonl", EVENT_LINE, "", line)
    with pytest.raises(GoldFormatError) as caught:
        list(read_gold(path))
    text = str(caught.value)
    assert text.startswith(f"{path}:3: ")
    assert message in text
    assert "\n" not in text


def test_broken_span_raises_without_warn_and_is_dropped_with_it(tmp_path: Path) -> None:
    line = {
        "id": "g",
        "dataset": "geowebnews",
        "text": "Rain in Paris today.",
        "toponyms": [
            {"start": 8, "end": 13, "text": "Paris"},
            {"start": -6, "end": -1, "text": "today"},
            {"start": 0, "end": 4, "text": "Snow"},
        ],
    }
    path = write_lines(tmp_path / "spans.jsonl", line)
    with pytest.raises(GoldFormatError, match=rf"{path}:1: span -6--1"):
        list(read_gold(path))
    warnings: list[str] = []
    (document,) = read_gold(path, warnings.append)
    assert [toponym.text for toponym in document.toponyms or []] == ["Paris"]
    assert len(warnings) == 2 and all(warning.startswith(f"{path}:1:") for warning in warnings)


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(GoldFormatError, match="cannot read"):
        list(read_gold(tmp_path / "missing.jsonl"))
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(json.dumps(EVENT_LINE).encode() + b"\n" + b'{"id": "caf\xe9"}\n')
    with pytest.raises(GoldFormatError, match=r"latin1.jsonl:2: not UTF-8"):
        list(read_gold(path))


@pytest.mark.skipif(not EVAL_DIR.is_dir(), reason="shared gold data not present")
def test_every_development_set_reads() -> None:
    counts = {}
    for path in sorted(EVAL_DIR.glob("*.dev.jsonl")):
        documents = list(read_gold(path, warn=lambda line: None))
        assert documents, path
        counts[path.name.split(".")[0]] = len(documents)
    assert counts["acled"] == 2601
    assert counts["muc4"] == 1500
    assert counts["ucdp_iraq_places"] == 261
