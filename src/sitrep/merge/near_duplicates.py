"""Near-duplicate articles (wire copies, updates) by MinHash over word shingles.

`sign_body` runs in the ingest workers; the store keeps each signature and its
LSH `band_keys`, and links two documents whose `estimated_similarity` reaches
the threshold in settings.yaml.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from datasketch import MinHash
from datasketch.lsh import _optimal_param

SETTINGS_PATH = Path(__file__).with_name("settings.yaml")
WORD = re.compile(r"\w+")
# A fixed seed makes signatures comparable across processes, runs and machines.
MINHASH_SEED = 1


@dataclass(frozen=True)
class NearDuplicateSettings:
    num_perm: int
    shingle_words: int
    threshold: float


@dataclass(frozen=True)
class MinHashSignature:
    """A body's MinHash hash values (uint64), as stored in `documents.minhash`."""

    hashvalues: tuple[int, ...]

    def to_bytes(self) -> bytes:
        return np.asarray(self.hashvalues, dtype=np.uint64).tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> MinHashSignature:
        return cls(tuple(int(v) for v in np.frombuffer(data, dtype=np.uint64)))


@lru_cache(maxsize=1)
def near_duplicate_settings() -> NearDuplicateSettings:
    data = yaml.safe_load(SETTINGS_PATH.read_text(encoding="utf-8"))["near_duplicate"]
    return NearDuplicateSettings(
        num_perm=int(data["num_perm"]),
        shingle_words=int(data["shingle_words"]),
        threshold=float(data["threshold"]),
    )


@lru_cache(maxsize=1)
def _band_layout() -> tuple[int, int]:
    """(bands, rows per band) minimising false positives and negatives at the threshold."""
    settings = near_duplicate_settings()
    bands, rows = _optimal_param(settings.threshold, settings.num_perm, 0.5, 0.5)
    return int(bands), int(rows)


def shingles(body: str, width: int) -> set[str]:
    words = [word.lower() for word in WORD.findall(body)]
    if len(words) <= width:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + width]) for i in range(len(words) - width + 1)}


def sign_body(body: str) -> MinHashSignature | None:
    """The MinHash of `body`'s word shingles; None for an empty body."""
    settings = near_duplicate_settings()
    grams = shingles(body, settings.shingle_words)
    if not grams:
        return None
    minhash = MinHash(num_perm=settings.num_perm, seed=MINHASH_SEED)
    minhash.update_batch([gram.encode("utf-8") for gram in sorted(grams)])
    return MinHashSignature(tuple(int(v) for v in minhash.hashvalues))


def band_keys(signature: MinHashSignature | bytes) -> list[str]:
    """One key per LSH band: documents sharing any key are near-duplicate candidates.

    Takes a signature or its stored bytes (`MinHashSignature.to_bytes`), which the
    store reads without decoding each value into a Python int.
    """
    bands, rows = _band_layout()
    if isinstance(signature, bytes):
        values = np.frombuffer(signature, dtype=np.uint64)
    else:
        values = np.asarray(signature.hashvalues, dtype=np.uint64)
    keys = []
    for band in range(bands):
        chunk = values[band * rows : (band + 1) * rows].tobytes()
        keys.append(f"{band}:{hashlib.sha1(chunk).hexdigest()[:24]}")
    return keys


def estimated_similarity(a: MinHashSignature, b: MinHashSignature) -> float:
    """MinHash estimate of the Jaccard similarity of two bodies' shingles."""
    left = np.asarray(a.hashvalues, dtype=np.uint64)
    right = np.asarray(b.hashvalues, dtype=np.uint64)
    return float(np.count_nonzero(left == right)) / len(left)


def signature_similarities(signature: bytes, others: Sequence[bytes]) -> list[float]:
    """`estimated_similarity` of a stored signature to each of `others`, compared as
    they are stored, in one array comparison for all of a document's band candidates."""
    if not others:
        return []
    values = np.frombuffer(signature, dtype=np.uint64)
    stored = np.frombuffer(b"".join(others), dtype=np.uint64).reshape(len(others), -1)
    agreeing = np.count_nonzero(stored == values, axis=1)
    return [float(count) / len(values) for count in agreeing]


def is_near_duplicate(similarity: float) -> bool:
    return similarity >= near_duplicate_settings().threshold
