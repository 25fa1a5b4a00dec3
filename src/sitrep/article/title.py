"""The title of an article: the caller's, or a headline standing on the first line.

A scraped story often opens with its headline; `find_title_line` decides
whether the first line is one so that `build_article` can take it out of the body.
"""

from __future__ import annotations

import re

from sitrep.article.chrome import matching_cue
from sitrep.article.dateline import find_dateline

HEADLINE_MAX_WORDS = 20
HEADLINE_MAX_CHARS = 200
# A headline does not end like a sentence or an introduction: no full stop or
# colon (quotes and brackets aside), and is not wholly in brackets ("(Undated)").
_SENTENCE_PERIOD = re.compile(r"[.:;][\"'”’)\]]*$")
_BRACKETED = re.compile(r"^[(\[].*[)\]]$")


def find_title_line(lines: list[str], given_title: str | None) -> int | None:
    """Index of the line that is the title, or None.

    With a given title, the first non-blank line when it repeats that title.
    Without one, the first non-blank line when it looks like a headline: short,
    followed by a blank line, no sentence-final period, not a dateline, not
    chrome, and with text after it.
    """
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    line = lines[first].strip()
    if given_title is not None:
        return first if _same_text(line, given_title) else None
    followed_by_blank = first + 1 < len(lines) and not lines[first + 1].strip()
    has_text_after = any(rest.strip() for rest in lines[first + 1 :])
    looks_like_headline = (
        followed_by_blank
        and has_text_after
        and len(line) <= HEADLINE_MAX_CHARS
        and len(line.split()) <= HEADLINE_MAX_WORDS
        and not _SENTENCE_PERIOD.search(line)
        and not _BRACKETED.match(line)
        and find_dateline(line) is None
        and matching_cue(line) is None
    )
    return first if looks_like_headline else None


def _same_text(line: str, title: str) -> bool:
    return " ".join(line.split()).casefold() == " ".join(title.split()).casefold()
