"""The cleaned body: whitespace made regular, hard-wrapped lines joined, its hash.

`logical_lines` turns raw lines into the lines the article layer judges
(title, chrome); `assemble_body` joins the kept ones into the `body` that
every later stage's offsets point into; `content_hash` fingerprints it.
"""

from __future__ import annotations

import hashlib
import re

# Wire and radio transcripts (MUC) wrap lines at a fixed width; a paragraph
# whose lines (all but its last) are this long and no longer is one wrapped
# paragraph, and its lines are joined so that sentences are not cut by
# newlines and a wrapped "BY THE TERRORISTS." is not taken for a byline.
WRAPPED_MIN_CHARS = 40
WRAPPED_MAX_CHARS = 100
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def logical_lines(raw_lines: list[str]) -> list[str]:
    """Lines with regular spaces, each wrapped paragraph as one line; blank lines kept as ""."""
    lines: list[str] = []
    paragraph: list[str] = []
    for raw in raw_lines:
        cleaned = _SPACES.sub(" ", raw).strip()
        if cleaned:
            paragraph.append(cleaned)
            continue
        lines.extend(_unwrap(paragraph))
        paragraph = []
        lines.append("")
    lines.extend(_unwrap(paragraph))
    return lines


def _unwrap(paragraph: list[str]) -> list[str]:
    wrapped = (
        len(paragraph) > 1
        and all(WRAPPED_MIN_CHARS <= len(line) <= WRAPPED_MAX_CHARS for line in paragraph[:-1])
        and len(paragraph[-1]) <= WRAPPED_MAX_CHARS
    )
    return [" ".join(paragraph)] if wrapped else paragraph


def assemble_body(lines: list[str]) -> str:
    """Paragraphs (runs of non-blank lines) separated by exactly one blank line."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\n".join(p) for p in paragraphs if p)


def content_hash(body: str) -> str:
    """sha256 of the body case-folded with whitespace collapsed: the same story
    scraped with other spacing or capitals gets the same hash."""
    normalised = " ".join(body.casefold().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()
