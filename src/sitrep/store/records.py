"""What the store hands in and out: coded documents to write, stored events to read.

`CodedDocument` is what an ingest worker returns for one input (the pipeline's
`DocumentResult` plus the input's identity and its MinHash); `StoredEvent` is
one row of a query, the event record with its store ids and sources.
"""

from __future__ import annotations

import hashlib
from datetime import date

from pydantic import BaseModel, Field

from sitrep.models import DocumentResult, Event, InputDocument


def input_hash(document: InputDocument) -> str:
    """The idempotency key of an input: what was handed in, whitespace-normalised.

    The caller's `id` is left out, so the same article read again from another
    file or under another name is still the same input.
    """
    parts = [document.source or "", document.url or "", document.title or "", document.text]
    normalised = "\x1f".join(" ".join(part.split()) for part in parts)
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


class CodedDocument(BaseModel):
    """One input after extraction, ready for `store.write_document`."""

    input_hash: str
    input_name: str | None = None
    source: str | None = None
    url: str | None = None
    result: DocumentResult
    minhash: bytes | None = None


class StoredEvent(BaseModel):
    """An event as the store returns it: the record plus where it came from."""

    uid: str
    canonical_uid: str
    document_id: str
    source: str | None = None
    url: str | None = None
    published: date | None = None
    title: str | None = None
    members: int = 1
    sources: list[str] = Field(default_factory=list)
    event: Event


class EventPage(BaseModel):
    """One page of a query: `total` matching (canonical) events and this page of them."""

    total: int
    offset: int
    limit: int | None
    events: list[StoredEvent]
