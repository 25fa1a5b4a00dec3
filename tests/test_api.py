"""The Python API: `sitrep.extract` for one text, `sitrep.extract_many` as a stream."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from itertools import count, islice

import sitrep
from sitrep import DocumentResult, InputDocument, extract, extract_many

TODAY = date(2026, 11, 28)


def test_public_surface() -> None:
    assert set(sitrep.__all__) >= {"extract", "extract_many", "DocumentResult", "InputDocument"}


def test_extract_codes_one_text(seed_story_text: str) -> None:
    result = extract(seed_story_text, today=TODAY)
    assert isinstance(result, DocumentResult)
    assert result.id == "doc"
    assert result.article.title == "Two rockets fired near US embassy in Baghdad: security source"
    assert (result.article.published, result.article.published_inferred) == (
        date(2021, 7, 29),
        True,
    )
    assert result.errors == []


def test_extract_takes_the_callers_title_and_date() -> None:
    result = extract(
        "Rockets hit base\n\nThe base was hit overnight.",
        published=date(2022, 5, 1),
        title="Rockets hit base",
    )
    assert result.article.title == "Rockets hit base"
    assert result.article.body == "The base was hit overnight."
    assert (result.article.published, result.article.published_inferred) == (
        date(2022, 5, 1),
        False,
    )
    assert extract("Text here.", published="2022-05-01").article.published == date(2022, 5, 1)


def test_extract_is_deterministic(seed_story_text: str) -> None:
    first = extract(seed_story_text, today=TODAY).model_dump_json()
    assert extract(seed_story_text, today=TODAY).model_dump_json() == first


def test_extract_many_streams_from_an_endless_source() -> None:
    consumed: list[int] = []

    def endless() -> Iterator[dict[str, object]]:
        for number in count():
            consumed.append(number)
            yield {"id": f"d{number}", "text": f"Protest number {number} was held on Friday."}

    results = list(islice(extract_many(endless()), 3))
    assert [r.id for r in results] == ["d0", "d1", "d2"]
    assert len(consumed) <= 64 + 1  # one batch read ahead, not the whole source


def test_extract_many_records_a_bad_document_and_goes_on() -> None:
    documents = [
        InputDocument(id="a", text="The base was hit overnight."),
        InputDocument(id="b", text="Text.", published="not a date"),
        {"id": "c", "text": "Troops fired on a crowd.", "ignored": True},
    ]
    results = list(extract_many(documents))
    assert [r.id for r in results] == ["a", "b", "c"]
    assert results[1].errors == ["b: published 'not a date' is not a date (YYYY-MM-DD or ISO 8601)"]
    assert results[0].errors == results[2].errors == []


def test_import_sitrep_does_not_load_spacy() -> None:
    loaded = "print('spacy' in sys.modules)"
    code = f"import sys, sitrep; {loaded}; sitrep.extract; {loaded}"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "True"]
