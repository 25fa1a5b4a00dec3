"""Ingest: fill an event store from files, folders, WARC archives and feeds.

`runner.run_ingest` codes inputs on local worker processes, `distributed`
does the same on a Dask cluster; both write through `sitrep.store`.
"""

from sitrep.ingest.progress import IngestProgress, IngestTotals
from sitrep.ingest.runner import run_ingest

__all__ = ["IngestProgress", "IngestTotals", "run_ingest"]
