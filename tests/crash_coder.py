"""A coder for crash tests: `synthetic_coder`, slowed down, telling the test which process codes.

Dask workers import it by name (tests/ is on their PYTHONPATH). Before coding a
batch it writes its process id into the folder named by SITREP_TEST_CODING_DIR,
so a test can SIGKILL exactly the worker that is in the middle of a partition.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

from sitrep.models import DocumentResult, InputDocument
from store_corpus import synthetic_coder

MARKER_VARIABLE = "SITREP_TEST_CODING_DIR"
# Per document: long enough that a partition takes seconds, so a kill lands inside one.
DELAY_SECONDS = 0.1


def marking_coder(documents: list[InputDocument]) -> Iterator[DocumentResult]:
    folder = os.environ.get(MARKER_VARIABLE)
    if folder:
        (Path(folder) / str(os.getpid())).touch()
    for result in synthetic_coder(documents):
        time.sleep(DELAY_SECONDS)
        yield result
