"""The time stage on the unseen `test` split of the gold sets: the targets of issue 5."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from conftest import EVAL_DIR
from sitrep.dates import date_events, find_timexes
from sitrep.evaluation.split import split_of
from sitrep.models import Article, Event

pytestmark = pytest.mark.slow


def _test_documents(name: str) -> Iterator[dict[str, Any]]:
    path = EVAL_DIR / name
    if not path.exists():
        pytest.skip(f"gold file {path} not present")
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            document: dict[str, Any] = json.loads(line)
            if split_of(document["id"]) == "test":
                yield document


def _anchor(document: dict[str, Any]) -> date | None:
    return date.fromisoformat(document["published"]) if document["published"] else None


def test_tempeval_date_expressions_are_found_and_normalised() -> None:
    gold = recalled = right = 0
    for document in _test_documents("tempeval3.dev.jsonl"):
        timexes = find_timexes(document["text"], _anchor(document))
        for timex in document["timexes"]:
            if timex["type"] != "DATE":
                continue
            gold += 1
            hit = next(
                (t for t in timexes if t.start < timex["end"] and timex["start"] < t.end), None
            )
            recalled += hit is not None
            right += hit is not None and hit.value == timex["value"]
    assert gold > 300
    assert recalled / gold >= 0.85
    assert right / gold >= 0.80


@pytest.mark.parametrize("name", ["acled.dev.jsonl", "gtd.dev.jsonl"])
def test_notes_and_summaries_date_their_event_exactly(name: str) -> None:
    total = exact = 0
    for document in _test_documents(name):
        text, anchor = document["text"], _anchor(document)
        timexes = find_timexes(text, anchor)
        for gold in document["events"]:
            if not gold.get("date"):
                continue
            # The event as the events stage takes it: the note's opening sentence.
            event = Event(plover_type="ASSAULT")
            first_end = text.find(". ")
            event._sentence_spans = [(0, first_end + 1 if first_end > 0 else len(text))]
            date_events([event], Article(body=text, published=anchor), timexes, anchor)
            total += 1
            exact += event.date is not None and event.date.isoformat() == gold["date"]
    assert total > 300
    assert exact / total >= 0.90
