"""Page chrome removal: share buttons, bylines, prompts and navigation out of the body.

The cues are data (chrome.yaml beside this file); `find_chrome` marks which
lines of a text are chrome so that `build_article` can leave them out of the
body and list them under `removed`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml

CUES_FILE = "chrome.yaml"
# A line repeated this often is navigation (menus, tag lists) when it is short
# and not a sentence.
REPEATS_FOR_NAVIGATION = 2
NAVIGATION_MAX_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")

Action = Literal["line", "tail"]


@dataclass(frozen=True)
class ChromeCue:
    group: str
    action: Action
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def load_cues() -> tuple[ChromeCue, ...]:
    """The cue patterns of chrome.yaml, compiled once."""
    text = resources.files("sitrep.article").joinpath(CUES_FILE).read_text(encoding="utf-8")
    cues: list[ChromeCue] = []
    for group in yaml.safe_load(text):
        flags = 0 if group.get("case_sensitive") else re.IGNORECASE
        for pattern in group["patterns"]:
            compiled = re.compile(rf"(?:{pattern})", flags)
            cues.append(ChromeCue(group["group"], group["action"], compiled))
    return tuple(cues)


def matching_cue(line: str) -> ChromeCue | None:
    """The first cue whose pattern covers the whole (stripped) line."""
    stripped = line.strip()
    if not stripped:
        return None
    for cue in load_cues():
        if cue.pattern.fullmatch(stripped):
            return cue
    return None


def find_chrome(lines: list[str]) -> set[int]:
    """Indexes of the lines that are page chrome.

    A `tail` cue in the second half of the text (by characters) takes every line
    after it too; short non-sentence lines repeated through the page are
    navigation.
    """
    total = sum(len(line) + 1 for line in lines)
    chrome: set[int] = set()
    offset = 0
    for index, line in enumerate(lines):
        cue = matching_cue(line)
        if cue is not None:
            chrome.add(index)
            if cue.action == "tail" and offset >= total / 2:
                chrome.update(range(index, len(lines)))
                break
        offset += len(line) + 1
    chrome.update(_navigation_lines(lines))
    return chrome


def _navigation_lines(lines: list[str]) -> set[int]:
    keys = [" ".join(line.split()).casefold() for line in lines]
    counts = Counter(key for key in keys if key)
    return {
        index
        for index, key in enumerate(keys)
        if key
        and counts[key] >= REPEATS_FOR_NAVIGATION
        and len(key.split()) <= NAVIGATION_MAX_WORDS
        and not _SENTENCE_END.search(key)
    }
