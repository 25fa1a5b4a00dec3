"""The language of an article body, by py3langid (langid.py's model, no randomness).

`detect_language` returns the ISO 639 code (`en`; three letters for languages
without a two-letter code) for `Article.language`, or None when the text has
too little to go on. py3langid is deterministic and, on the ACLED notes, about
twenty times faster than langdetect (0.8 against 16 ms a document).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# The opening of a story says its language as well as the whole, much faster.
SAMPLE_CHARS = 1500
MIN_LETTERS = 20
# Below this normalised probability the model is guessing ("12 killed" -> en at 0.09).
MIN_PROBABILITY = 0.5


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """The model shipped inside the py3langid package, loaded once."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639 code of the text's language; None for too little or too unclear text."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    language, probability = _identifier().classify(sample)
    return str(language) if probability >= MIN_PROBABILITY else None
