"""The event store: documents, events, sources, links and merges in SQLite or PostgreSQL.

`open_store` opens (and migrates) a store; `write_document` writes one coded
document in one transaction; `query_events` answers `sitrep events`, `sitrep
stats` and the HTTP API with the same `EventFilter`.
"""

from sitrep.store.engine import database_url, open_store
from sitrep.store.query import EventFilter, Near, explain_event, query_events
from sitrep.store.records import CodedDocument, EventPage, StoredEvent, input_hash
from sitrep.store.repository import WriteOutcome, known_inputs, record_error, write_document

__all__ = [
    "CodedDocument",
    "EventFilter",
    "EventPage",
    "Near",
    "StoredEvent",
    "WriteOutcome",
    "database_url",
    "explain_event",
    "input_hash",
    "known_inputs",
    "open_store",
    "query_events",
    "record_error",
    "write_document",
]
