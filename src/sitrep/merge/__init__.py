"""Cross-source merge: near-duplicate articles and same-happening events.

`near_duplicates` signs article bodies with MinHash and finds wire copies and
updates through LSH bands kept in the store; `events` decides, with readable
rules, whether two events from different documents are one happening. The
store (`sitrep.store.repository`) applies both on every document it writes.
"""

from sitrep.merge.events import (
    EventMatch,
    MergeSettings,
    event_family,
    joining_matches,
    match_events,
)
from sitrep.merge.near_duplicates import (
    MinHashSignature,
    band_keys,
    estimated_similarity,
    sign_body,
)

__all__ = [
    "EventMatch",
    "MergeSettings",
    "MinHashSignature",
    "band_keys",
    "estimated_similarity",
    "event_family",
    "joining_matches",
    "match_events",
    "sign_body",
]
