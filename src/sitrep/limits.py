"""Resource limits on what sitrep reads: one place for every size and count cap.

The readers (sitrep.readers, sitrep.ingest.inputs) ask `current_limits()`
before reading, so a hostile input (a 100 MB line, a gzip bomb, a feed that
expands entities) costs bounded memory and ends as one `InputError`. Each
limit has a default here and an environment variable that overrides it, for
users whose inputs are legitimately larger.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

# Environment variable prefix: SITREP_MAX_DOCUMENT_BYTES overrides `document_bytes`, and so on.
ENV_PREFIX = "SITREP_MAX_"


@dataclass(frozen=True)
class Limits:
    """Upper bounds on one input; anything larger is refused with an error, never read whole."""

    # One article file (.txt, .html) or one JSONL line. A saved web page is far below this.
    document_bytes: int = 20_000_000
    # One feed file or feed response (RSS/Atom); feeds carry summaries, not archives.
    feed_bytes: int = 20_000_000
    # The decompressed payload of one WARC record (an HTML page).
    record_bytes: int = 5_000_000
    # Records (WARC records, JSONL lines, feed entries) read from one file.
    records_per_file: int = 1_000_000


def current_limits() -> Limits:
    """The defaults, with each one overridden by its `SITREP_MAX_<NAME>` variable when set."""
    overrides: dict[str, int] = {}
    for field in fields(Limits):
        variable = ENV_PREFIX + field.name.upper()
        value = os.environ.get(variable)
        if value is None or not value.strip():
            continue
        try:
            number = int(value.replace("_", ""))
        except ValueError as error:
            raise ValueError(f"{variable} must be a whole number, not {value!r}") from error
        if number < 1:
            raise ValueError(f"{variable} must be at least 1, not {number}")
        overrides[field.name] = number
    return Limits(**overrides)
