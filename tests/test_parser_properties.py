"""Property-based tests of the parsers on arbitrary text: they never crash, and their spans hold.

Invariants: a dateline's span lies inside the first line and covers the place,
agency and date it reports; a dateline date has a month 1-12 and a day 1-31, or is nothing;
an article built from any text gives a body its dateline and spans fit; the
event invariants of tests/invariants.py hold for whatever the pipeline codes.
"""

from __future__ import annotations

import io
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invariants import check_result
from sitrep.article import build_article
from sitrep.article.dateline import MONTHS, find_dateline, parse_date_text
from sitrep.errors import DocumentError, InputError
from sitrep.models import InputDocument
from sitrep.readers.feeds import markup_text
from sitrep.readers.jsonl import jsonl_documents

TODAY = date(2026, 11, 28)
MONTH_WORDS = sorted(MONTHS) + [name.upper() for name in MONTHS]
# Pieces datelines are made of, so generated lines come near the patterns often.
PIECES = st.one_of(
    st.sampled_from(["BAGHDAD", "SAN SALVADOR", "Washington", "NO CITY", "(AP)", "(Reuters)"]),
    st.sampled_from(MONTH_WORDS),
    st.integers(min_value=0, max_value=3000).map(str),
    st.sampled_from([",", " ", " — ", " -- ", " - ", " _ ", "(", ")", "\n", "\u200b", "\u202e"]),
    st.text(max_size=6),
)
LINES = st.lists(PIECES, max_size=12).map("".join)


@given(LINES)
def test_a_dateline_span_lies_inside_the_first_line_and_covers_what_it_reports(
    text: str,
) -> None:
    match = find_dateline(text)
    if match is None:
        return
    first_line = text.split("\n", 1)[0]
    assert 0 <= match.start <= match.end <= len(first_line)
    covered = first_line[match.start : match.end]
    dateline = match.dateline
    if dateline.date_text is not None:
        assert dateline.date_text in covered
    if dateline.agency is not None:
        assert all(word in covered for word in dateline.agency.split())


@given(
    st.one_of(
        LINES,
        st.builds(
            "{} {} {}".format,
            st.integers(min_value=-5, max_value=99).map(str),
            st.sampled_from(MONTH_WORDS),
            st.integers(min_value=0, max_value=9999).map(str),
        ),
    )
)
def test_a_dateline_date_is_a_month_and_day_of_the_calendar_or_nothing(text: str) -> None:
    parsed = parse_date_text(text, TODAY)
    if parsed is None:
        return
    assert 1 <= parsed.month <= 12 and 1 <= parsed.day <= 31
    assert parsed.year is None or parsed.year >= 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES, st.text(max_size=200), st.one_of(st.none(), st.dates().map(date.isoformat)))
def test_an_article_from_any_text_is_built_or_refused_with_a_document_error(
    first_line: str, rest: str, published: str | None
) -> None:
    document = InputDocument(id="doc", text=f"{first_line}\n{rest}", published=published)
    try:
        article = build_article(document, today=TODAY)
    except DocumentError:
        return
    assert article.body.strip(), "an article with an empty body"
    if article.published is not None:
        assert article.published <= max(TODAY, date.fromisoformat(published or "0001-01-01"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES, st.sampled_from(["killed five people", "wounded 2", "fired rockets at"]))
def test_the_pipeline_keeps_its_invariants_on_dateline_shaped_text(line: str, verb: str) -> None:
    from sitrep.pipeline import extract

    text = f"{line} Gunmen {verb} in Kabul on Monday, police said.\n\nNo group claimed it."
    check_result(extract(text, today=TODAY))


@settings(deadline=None)
@given(st.lists(st.binary(max_size=300) | st.text(max_size=300).map(str.encode), max_size=8))
def test_a_jsonl_stream_of_any_bytes_gives_documents_and_errors_only(lines: list[bytes]) -> None:
    items = list(jsonl_documents(io.BytesIO(b"\n".join(lines)), "any.jsonl"))
    assert items, "an empty stream must still give its error"
    for item in items:
        assert isinstance(item, InputDocument | InputError)
        if isinstance(item, InputError):
            assert item.source.startswith("any.jsonl") and "\n" not in item.reason


@settings(deadline=None)
@given(st.text(max_size=400))
def test_feed_markup_of_any_text_becomes_text_without_scripts(markup: str) -> None:
    text = markup_text(f"<p>{markup}</p><script>alert(1)</script>")
    assert "alert(1)" not in text or "alert(1)" in markup
