"""The extraction pipeline: article -> nlp -> events -> dates -> places -> actors.

`extract` codes one text; `extract_many` streams documents through the same
stages with spaCy batching. Both return `DocumentResult` records (models.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

from spacy.tokens import Doc

from sitrep.actors import resolve_actors
from sitrep.article import build_article
from sitrep.dates import anchor_date, date_events, find_timexes
from sitrep.errors import DocumentError
from sitrep.events import code_events
from sitrep.models import Article, DocumentResult, Event, InputDocument
from sitrep.nlp import load_pipeline
from sitrep.places import geoparse, locate_events

BATCH_SIZE = 64


def extract(
    text: str,
    published: str | date | None = None,
    title: str | None = None,
    id: str = "doc",
    today: date | None = None,
) -> DocumentResult:
    """Code one article's text into a `DocumentResult`.

    `published` (a date or `YYYY-MM-DD`) and `title` are the caller's, used over
    what the text says; `today` bounds year inference (default: the real today).
    """
    published_text = published.isoformat() if isinstance(published, date) else published
    document = InputDocument(id=id, text=text, title=title, published=published_text)
    return next(extract_many([document], today=today))


def extract_many(
    documents: Iterable[InputDocument | dict[str, object]], today: date | None = None
) -> Iterator[DocumentResult]:
    """Stream documents through the pipeline in batches; memory stays flat.

    A document that fails yields a result with its error under `errors` and no
    events; it never stops the others.
    """
    nlp = load_pipeline()
    iterator = iter(documents)
    while batch := list(islice(iterator, BATCH_SIZE)):
        inputs = [_as_input(item) for item in batch]
        articles: list[Article | DocumentError] = []
        for item in inputs:
            try:
                articles.append(build_article(item, today=today))
            except DocumentError as error:
                articles.append(error)
        bodies = [a.body if isinstance(a, Article) else "" for a in articles]
        for item, article, doc in zip(inputs, articles, nlp.pipe(bodies), strict=True):
            if isinstance(article, DocumentError):
                yield DocumentResult(id=item.id, article=Article(), errors=[str(article)])
                continue
            try:
                yield code_article(item.id, article, doc)
            except DocumentError as error:
                yield DocumentResult(id=item.id, article=article, errors=[str(error)])


def code_article(document_id: str, article: Article, doc: Doc) -> DocumentResult:
    """Run the coding stages on one parsed article."""
    events = code_events(article, doc)
    anchor = anchor_date(article)
    date_events(events, article, find_timexes(article.body, anchor, doc), anchor)
    locate_events(events, article, geoparse(article, doc))
    resolve_actors(events)
    for event in events:
        event.event_id = _event_id(article, event)
    return DocumentResult(id=document_id, article=article, events=events)


def _as_input(item: InputDocument | dict[str, object]) -> InputDocument:
    return item if isinstance(item, InputDocument) else InputDocument.model_validate(item)


def _event_id(article: Article, event: Event) -> str:
    """Stable id: the same body and the same sentences give the same id."""
    spans = ",".join(f"{start}-{end}" for start, end in event.sentence_spans)
    key = f"{article.content_hash}|{spans}|{event.plover_type}|{event.sub_event_type}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
