"""Saved web pages (`.html`, `.htm`): main text and metadata through trafilatura.

trafilatura drops navigation, footers and comments and reads the title, date,
URL and site name from the page's markup; the date becomes the document's
`published` (the article layer prefers a caller's date over it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import trafilatura

from sitrep.errors import InputError
from sitrep.models import InputDocument
from sitrep.readers.files import read_document_bytes

# Only dates the page states in its markup (meta tags, <time>, the URL): the
# extensive search would guess from any date in the text, which is the
# article layer's job and must not pass for metadata.
DATE_EXTRACTION = {"extensive_search": False, "original_date": True}


def read_html_file(path: Path) -> Iterator[InputDocument | InputError]:
    try:
        yield html_document(read_document_bytes(path), str(path))
    except InputError as error:
        yield error


def html_document(data: bytes | str, source: str) -> InputDocument:
    """One document from a page's HTML (bytes are decoded by the page's own charset)."""
    extracted = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params=DATE_EXTRACTION,
    )
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        raise InputError(source, "no article text found in the HTML")
    # trafilatura puts one paragraph a line; a blank line between paragraphs
    # gives the body the same shape as a plain-text article's.
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    return InputDocument(
        id=source,
        text="\n\n".join(paragraphs),
        title=getattr(extracted, "title", None) or None,
        published=getattr(extracted, "date", None) or None,
        url=getattr(extracted, "url", None) or None,
        source=getattr(extracted, "sitename", None) or None,
    )
