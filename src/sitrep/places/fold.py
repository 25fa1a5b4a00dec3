"""Accent- and punctuation-folded lookup keys, shared by the gazetteer builder and its readers.

"Al Fallūjah", "al-Fallujah" and "AL FALLUJAH" all fold to "al fallujah"; the
Arabic article is also dropped to give a second key ("fallujah"). A spelling
key (the consonant skeleton) is the same for the transliterations of one name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = re.compile(r"[’'ʼʻʿʾ`‘´]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.,/()]+")
# Romanised Arabic articles that news copy writes or leaves out at will.
_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ath)\s+(?=\S{3})")


def fold(name: str) -> str:
    """The lookup key of a place name: no accents, no punctuation, lower case."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("ß", "ss").replace("ı", "i").replace("ł", "l").replace("ø", "o")
    stripped = _APOSTROPHES.sub("", stripped)
    return _SEPARATORS.sub(" ", stripped).strip().lower()


def fold_keys(name: str) -> list[str]:
    """Every key a name is filed under: the folded name, and without its article."""
    key = fold(name)
    keys = [key] if key else []
    bare = _ARTICLE.sub("", key)
    if bare != key and bare:
        keys.append(bare)
    return keys


def is_latin(key: str) -> bool:
    """Whether a folded key is written in plain Latin letters (news copy's script)."""
    return key.isascii() and any(ch.isalpha() for ch in key)


# Arabic articles and the letters transliterations spell differently: vowels,
# doubled letters, h of digraphs, q/k ("Shoqra" / "Shuqrah", "Bossaso" / "Bosaso").
_ARTICLES = frozenset({"al", "el", "ash", "as", "ad", "an", "ar", "at", "az", "ath", "adh"})
_DIGRAPHS = (("ph", "f"), ("kh", "k"), ("gh", "g"), ("sh", "s"), ("th", "t"), ("dh", "d"))


@lru_cache(maxsize=65536)
def spelling_key(name: str) -> str:
    """A name's consonant skeleton: the same for the transliterations of one name."""
    words = re.sub(r"[^a-z ]", " ", fold(name)).split()
    letters = "".join(word for word in words if word not in _ARTICLES)
    if not letters:
        return ""
    first = letters[0]
    letters = letters.replace("q", "k")
    for digraph, letter in _DIGRAPHS:
        letters = letters.replace(digraph, letter)
    letters = re.sub(r"[aeiouyhw]", "", letters)
    return first + re.sub(r"(.)\1+", r"\1", letters)
