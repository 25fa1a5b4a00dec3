"""The learned sub-event classifier: ACLED sub-event type (or `none`) of a text.

A linear model over hashed word and character n-grams, trained by
`python -m sitrep.events.train` and shipped as `model/sub_event.joblib`; the
orchestrator asks it for the sub-event type of each violence or protest
happening (reading a short note whole, a long story's sentences one at a time),
and the explicit phrases of `plover.py` type it where the model does not find
them far less likely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

MODEL_PATH = Path(__file__).with_name("model") / "sub_event.joblib"
NO_SUB_EVENT = "none"
HASHED_FEATURES = 2**16

# ACLED notes open with the date and close with a size tag; news snippets
# never do, so both are removed to keep the two registers alike.
_NOTE_DATE = re.compile(r"^\s*(?:on|around|between|during)?\s*\d{1,2}\s+\w+\s+\d{4},?\s*", re.I)
_GTD_DATE = re.compile(r"^\s*\d{2}/\d{2}/\d{4}:\s*")
_SIZE_TAG = re.compile(r"\[size=[^\]]*\]", re.I)
_DIGITS = re.compile(r"\d")


def normalise(text: str) -> str:
    """The text as the model sees it: no note date or size tag, digits folded."""
    text = _SIZE_TAG.sub(" ", _GTD_DATE.sub("", _NOTE_DATE.sub("", text)))
    return _DIGITS.sub("0", text.lower())


_WORDS = HashingVectorizer(
    n_features=HASHED_FEATURES,
    ngram_range=(1, 2),
    alternate_sign=False,
    norm="l2",
    token_pattern=r"(?u)\b\w+\b",
)
_CHARS = HashingVectorizer(
    n_features=HASHED_FEATURES,
    analyzer="char_wb",
    ngram_range=(3, 5),
    alternate_sign=False,
    norm="l2",
)


def features(texts: list[str]) -> sparse.csr_matrix:
    """Hashed word 1-2-grams and character 3-5-grams of the normalised texts."""
    cleaned = [normalise(text) for text in texts]
    return sparse.hstack([_WORDS.transform(cleaned), _CHARS.transform(cleaned)]).tocsr()


@dataclass(frozen=True)
class SubEventModel:
    """Weights of a one-vs-rest linear classifier, stored as float32 to stay small."""

    classes: tuple[str, ...]
    coef: Any  # float32 array (classes x features)
    intercept: Any  # float32 array (classes,)

    def scores(self, texts: list[str]) -> np.ndarray:
        matrix = features(texts)
        result: np.ndarray = np.asarray(matrix @ self.coef.T) + self.intercept
        return result

    def predict(self, texts: list[str]) -> list[tuple[str, float]]:
        """The best label of each text and a 0..1 confidence (softmax over margins)."""
        if not texts:
            return []
        scores = self.scores(texts)
        results = []
        for row in scores:
            best = int(np.argmax(row))
            shifted = np.exp((row - row[best]) * 2.0)
            results.append((self.classes[best], float(1.0 / shifted.sum())))
        return results


@lru_cache(maxsize=1)
def load_model() -> SubEventModel:
    """The shipped model, loaded once per process."""
    stored = joblib.load(MODEL_PATH)
    return SubEventModel(
        classes=tuple(stored["classes"]), coef=stored["coef"], intercept=stored["intercept"]
    )


def classify_sub_event(texts: list[str]) -> list[tuple[str, float]]:
    """ACLED sub-event type (or `none`) and confidence for each text."""
    return load_model().predict(texts)
