"""sitrep: raw news in, coded, geocoded, deduplicated political and security events out.

The public surface: `extract` (one text) and `extract_many` (a stream of
documents) return `DocumentResult` records; `read_inputs` turns paths into
input documents; errors are in `sitrep.errors`. The pipeline (and spaCy) is
imported on first use, so `import sitrep` and `sitrep --help` stay quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sitrep.errors import DocumentError, InputError, SitrepError
from sitrep.models import Article, Dateline, DocumentResult, Event, InputDocument

if TYPE_CHECKING:
    from sitrep.pipeline import extract, extract_many
    from sitrep.readers import read_inputs

# name -> module that defines it, imported when the name is first used
_LAZY = {
    "extract": "sitrep.pipeline",
    "extract_many": "sitrep.pipeline",
    "read_inputs": "sitrep.readers",
}

__all__ = [
    "Article",
    "Dateline",
    "DocumentError",
    "DocumentResult",
    "Event",
    "InputDocument",
    "InputError",
    "SitrepError",
    "extract",
    "extract_many",
    "read_inputs",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sitrep' has no attribute {name!r}")
