"""WARC archives (`.warc`, `.warc.gz`, e.g. Common Crawl's CC-NEWS): one document per HTML page.

Only HTTP 200 responses with an HTML content type are read; the HTML reader
(trafilatura) takes the main text, title and site name from the page, and the
page's own date wins over the crawl's `WARC-Date`, which is the fallback `published`. Records are
streamed, so an archive of any size is read with flat memory: at most
`sitrep.limits`' record size of a page is decompressed and held (a gzip bomb
is one error), and a file stops after its record limit. A truncated or
corrupt record is one error; the pages before it are kept.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

from sitrep.errors import InputError
from sitrep.limits import current_limits
from sitrep.models import InputDocument
from sitrep.readers.html import html_document


def read_warc(path: Path | str) -> Iterator[InputDocument | InputError]:
    """Every HTML page of a WARC file; a page without article text yields an `InputError`."""
    name = str(path)
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is drained
    except OSError as error:
        yield InputError(name, error.strerror or str(error))
        return
    limits = current_limits()
    with stream:
        records = 0
        archive = ArchiveIterator(stream)
        try:
            for record in archive:
                # warcio reads any text as a legacy ARC record; only WARC records count.
                if record.format != "warc":
                    continue
                records += 1
                if records > limits.records_per_file:
                    yield InputError(
                        name,
                        f"more than {limits.records_per_file:,} records "
                        "(SITREP_MAX_RECORDS_PER_FILE); the rest are not read",
                    )
                    return
                document = _page_of_record(record, name, limits.record_bytes)
                if document is not None:
                    yield document
        except Exception as error:  # warcio raises bare exceptions on a corrupt archive
            reason = str(error) or type(error).__name__
            yield InputError(
                name, f"unreadable WARC after {records:,} records (truncated or corrupt): {reason}"
            )
            return
        if records == 0:
            yield InputError(name, "no WARC records found")
            return
        # warcio ends quietly at a gzip member cut short (a partial download):
        # the bytes after the last whole record are the record that was lost.
        size = os.fstat(stream.fileno()).st_size
        if archive.offset < size:
            yield InputError(
                name,
                f"truncated or corrupt WARC: {size - archive.offset:,} bytes after record "
                f"{records:,} (offset {archive.offset:,}) are not a whole record",
            )


def _page_of_record(record: object, name: str, max_bytes: int) -> InputDocument | InputError | None:
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
    # Decompressed (Content-Encoding) bytes, read no further than the limit.
    data = record.content_stream().read(max_bytes + 1)  # type: ignore[attr-defined]
    if len(data) > max_bytes:
        return InputError(
            f"{name}: {url}", f"page larger than {max_bytes:,} bytes (SITREP_MAX_RECORD_BYTES)"
        )
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
