"""Invariants every `DocumentResult` must satisfy, shared by property tests and the fuzzer."""

from __future__ import annotations

from sitrep.models import DocumentResult


def check_result(result: DocumentResult) -> None:
    """Raise AssertionError naming the first broken invariant of `result`."""
    body = result.article.body
    for event in result.events:
        for item in event.evidence:
            assert 0 <= item.start <= item.end <= len(body), f"evidence {item} outside the body"
            assert body[item.start : item.end] == item.text, (
                f"evidence text is not the slice: {item}"
            )
        for start, end in event.sentence_spans:
            assert 0 <= start <= end <= len(body), f"sentence span {start}-{end} outside the body"
        if event.date_earliest is not None and event.date_latest is not None:
            assert event.date_earliest <= event.date_latest, "date range out of order"
            if event.date is not None:
                assert event.date_earliest <= event.date <= event.date_latest, "date outside range"
            days = (event.date_latest - event.date_earliest).days + 1
            expected = 1 if days == 1 else 2 if days <= 7 else 3
            assert event.time_precision == expected, (
                f"precision {event.time_precision} for {days} days"
            )
        for count in (event.fatalities, event.injuries, event.weapon_count):
            assert count is None or count >= 0, "negative count"
        if event.location is not None and event.location.lat is not None:
            assert -90 <= event.location.lat <= 90 and -180 <= (event.location.lon or 0) <= 180
        assert 0.0 <= event.confidence <= 1.0
    ids = [event.event_id for event in result.events]
    assert len(ids) == len(set(ids)), "duplicate event ids"
