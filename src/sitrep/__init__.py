"""sitrep: raw news in, coded, geocoded, deduplicated political and security events out."""

from sitrep.models import Article, DocumentResult, Event, InputDocument
from sitrep.pipeline import extract, extract_many

__all__ = ["Article", "DocumentResult", "Event", "InputDocument", "extract", "extract_many"]
__version__ = "0.1.0"
