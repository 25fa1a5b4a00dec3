"""WARC archives (`.warc`, `.warc.gz`, e.g. Common Crawl's CC-NEWS): one document per HTML page.

Only HTTP 200 responses with an HTML content type are read; the HTML reader
(trafilatura) takes the main text, title and site name from the page, and the
page's own date wins
over the crawl's `WARC-Date`, which is the fallback `published`. Records are
streamed, so an archive of any size is read with flat memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

from sitrep.errors import InputError
from sitrep.models import InputDocument
from sitrep.readers.html import html_document

# Pages larger than this are not news articles (or not worth the parse).
MAX_PAGE_BYTES = 5_000_000


def read_warc(path: Path | str) -> Iterator[InputDocument | InputError]:
    """Every HTML page of a WARC file; a page without article text yields an `InputError`."""
    name = str(path)
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is drained
    except OSError as error:
        yield InputError(name, error.strerror or str(error))
        return
    with stream:
        records = 0
        try:
            for record in ArchiveIterator(stream):
                # warcio reads any text as a legacy ARC record; only WARC records count.
                if record.format != "warc":
                    continue
                records += 1
                document = _page_of_record(record, name)
                if document is not None:
                    yield document
        except Exception as error:  # warcio raises bare exceptions on a corrupt archive
            yield InputError(name, f"unreadable WARC: {error}")
            return
        if records == 0:
            yield InputError(name, "no WARC records found")


def _page_of_record(record: object, name: str) -> InputDocument | InputError | None:
    """The document of one response record, None for records that are not HTML pages."""
    if getattr(record, "rec_type", None) != "response":
        return None
    http = record.http_headers  # type: ignore[attr-defined]
    if http is None or http.get_statuscode() != "200":
        return None
    if "html" not in (http.get_header("Content-Type") or "").lower():
        return None
    headers = record.rec_headers  # type: ignore[attr-defined]
    url = headers.get_header("WARC-Target-URI")
    warc_date = headers.get_header("WARC-Date")
    data = record.content_stream().read(MAX_PAGE_BYTES + 1)  # type: ignore[attr-defined]
    if len(data) > MAX_PAGE_BYTES:
        return InputError(f"{name}: {url}", f"page larger than {MAX_PAGE_BYTES} bytes")
    return page_document(data, url, warc_date)


def page_document(
    data: bytes | str, url: str | None, fallback_published: str | None
) -> InputDocument | InputError:
    """One article from a page's HTML, dated by its metadata or else `fallback_published`."""
    try:
        page = html_document(data, url or "page")
    except InputError as error:
        return error
    host = urlsplit(url).hostname if url else None
    return page.model_copy(
        update={
            "url": url or page.url,
            "published": page.published
            or (fallback_published[:10] if fallback_published else None),
            "source": page.source or (host.removeprefix("www.") if host else None),
        }
    )
