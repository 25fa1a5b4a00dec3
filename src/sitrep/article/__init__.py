"""Article layer: title, dateline, chrome removal, publication date, hash, language.

`build_article` turns an `InputDocument` into the `Article` record that every
later stage reads; its `body` is the text all offsets point into. The body
keeps the dateline line (evidence may point into it) but not the title line
or page chrome.
"""

from __future__ import annotations

from datetime import date

from sitrep.article.body import assemble_body, content_hash, logical_lines
from sitrep.article.chrome import find_chrome
from sitrep.article.dateline import DatelineMatch, find_dateline, parse_date_text
from sitrep.article.language import detect_language
from sitrep.article.published import PublicationDate, date_from_day_month, parse_published
from sitrep.article.title import find_title_line
from sitrep.errors import DocumentError
from sitrep.models import Article, InputDocument

__all__ = ["MAX_BODY_CHARS", "build_article"]

# spaCy's own limit for one text (Language.max_length); a longer "article" is
# a dump or a mistake, and is refused rather than coded.
MAX_BODY_CHARS = 1_000_000


def build_article(document: InputDocument, today: date | None = None) -> Article:
    """The article record of one input document.

    `today` bounds year inference for datelines without a year (defaults to
    the real today; pass it for reproducible output). Raises `DocumentError`
    for a text too long, empty once cleaned, or with an unreadable `published`.
    """
    today = today or date.today()
    if len(document.text) > MAX_BODY_CHARS * 4:  # far too long even before cleaning
        raise _too_long(document.id, len(document.text))
    lines = logical_lines(document.text.splitlines())
    title_index = find_title_line(lines, document.title)
    title = document.title
    if title is None and title_index is not None:
        title = lines[title_index]
    candidates = [(i, line) for i, line in enumerate(lines) if i != title_index]
    chrome = find_chrome([line for _, line in candidates])
    chrome.discard(_first_dateline_line(candidates))
    kept = [line for position, (_, line) in enumerate(candidates) if position not in chrome]
    removed = [candidates[position][1] for position in sorted(chrome) if candidates[position][1]]
    body = assemble_body(kept)
    if not body:
        raise DocumentError(document.id, "no article text once the title and page chrome are out")
    if len(body) > MAX_BODY_CHARS:
        raise _too_long(document.id, len(body))
    dateline = find_dateline(body)
    published = publication_date(document, dateline, body, today)
    return Article(
        title=title,
        dateline=dateline.dateline if dateline else None,
        published=published.value,
        published_inferred=published.inferred,
        language=detect_language(body),
        body=body,
        removed=removed,
        content_hash=content_hash(body),
    )


def publication_date(
    document: InputDocument, dateline: DatelineMatch | None, body: str, today: date
) -> PublicationDate:
    """`published` from, in order: the caller (or the page's metadata), the dateline's date."""
    if document.published:
        try:
            return PublicationDate(parse_published(document.published))
        except ValueError as error:
            raise DocumentError(
                document.id,
                f"published {document.published!r} is not a date (YYYY-MM-DD or ISO 8601)",
            ) from error
    if dateline is None or dateline.dateline.date_text is None:
        return PublicationDate(None)
    day = parse_date_text(dateline.dateline.date_text, today)
    if day is None:
        return PublicationDate(None)
    return date_from_day_month(day.month, day.day, day.year, _lead(body, dateline.end), today)


def _lead(body: str, dateline_end: int) -> str:
    """The lead paragraph: the rest of the dateline's paragraph, or the next when it is empty."""
    paragraphs = body[dateline_end:].split("\n\n")
    first = paragraphs[0].strip()
    return first if first or len(paragraphs) == 1 else paragraphs[1]


def _first_dateline_line(candidates: list[tuple[int, str]]) -> int:
    """Position of the first non-blank line when it is a dateline (never chrome), else -1."""
    for position, (_, line) in enumerate(candidates):
        if line:
            return position if find_dateline(line) else -1
    return -1


def _too_long(document_id: str, length: int) -> DocumentError:
    return DocumentError(
        document_id,
        f"text too long for one article ({length:,} characters; at most {MAX_BODY_CHARS:,})",
    )
