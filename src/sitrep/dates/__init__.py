"""Time: date expressions in the body, resolved against the article's anchor date.

`find_timexes` finds and resolves expressions; `date_events` sets each event's
`date`, `date_earliest`, `date_latest` and `time_precision` from its own sentences.
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc

from sitrep.models import Article, Event, Timex


def anchor_date(article: Article) -> date | None:
    """The reference date: the dateline's date, else `published`, else None."""
    return article.published


def find_timexes(text: str, anchor: date | None, doc: Doc | None = None) -> list[Timex]:
    """Interface of the time issue (issue 5)."""
    return []


def date_events(
    events: list[Event], article: Article, timexes: list[Timex], anchor: date | None
) -> None:
    """Interface of the time issue (issue 5)."""
