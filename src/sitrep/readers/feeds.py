"""RSS and Atom feeds, from files or URLs: one document per entry.

An entry's text is its full content when the feed carries it, else its
summary, with the markup stripped; its `published` (or `updated`) date is the
document's. URLs are fetched through `sitrep.fetch` (timeouts, size cap, no
internal addresses); files are read up to `sitrep.limits`' feed size.

A feed that declares its own XML entities is refused before it is parsed:
no news feed needs them, and they are how a feed reads local files
(external entities, `file:///etc/passwd`) or expands a few kilobytes into
gigabytes ("billion laughs"). A plain DOCTYPE line is harmless and allowed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import lxml.html
from lxml.etree import ParserError

from sitrep.errors import InputError
from sitrep.fetch import FetchPolicy, fetch
from sitrep.limits import current_limits
from sitrep.models import InputDocument

FEED_SUFFIXES = (".rss", ".atom", ".xml")
# An entity declaration anywhere (in a DOCTYPE's internal subset or a parameter
# entity); feeds are matched as bytes, in UTF-8, UTF-16 and UTF-32 spellings.
ENTITY_DECLARATIONS = [
    re.compile(re.escape("<!ENTITY".encode(encoding)), re.IGNORECASE)
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
]


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def read_feed(
    path_or_url: Path | str, policy: FetchPolicy | None = None
) -> Iterator[InputDocument | InputError]:
    """Every entry of a feed file or URL; an unreadable feed yields one `InputError`.

    URLs are fetched by `sitrep.fetch` under `policy` (public addresses only,
    timeouts, a size cap and retries by default).
    """
    name = str(path_or_url)
    limits = current_limits()
    try:
        data = (
            fetch(name, policy).body if is_url(name) else _read_feed_file(name, limits.feed_bytes)
        )
    except InputError as error:
        yield error
        return
    except OSError as error:
        yield InputError(name, error.strerror or str(error))
        return
    if declares_entities(data):
        yield InputError(
            name,
            "feed declares XML entities (<!ENTITY>); refused unread, as entities can "
            "expand without bound or read local files",
        )
        return
    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = parsed.get("bozo_exception") or "no entries"
        yield InputError(name, f"not a readable RSS/Atom feed ({reason})")
        return
    feed_title = parsed.feed.get("title")
    for index, entry in enumerate(parsed.entries):
        if index >= limits.records_per_file:
            yield InputError(
                name,
                f"more than {limits.records_per_file:,} entries "
                "(SITREP_MAX_RECORDS_PER_FILE); the rest are not read",
            )
            return
        yield _entry_document(entry, index, name, feed_title)


def declares_entities(data: bytes) -> bool:
    """Whether a feed declares XML entities (which sitrep never expands)."""
    return any(pattern.search(data) for pattern in ENTITY_DECLARATIONS)


def _read_feed_file(name: str, limit: int) -> bytes:
    with open(name, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError(name, f"feed larger than {limit:,} bytes (SITREP_MAX_FEED_BYTES)")
    return data


def _entry_document(
    entry: Any, index: int, feed_name: str, feed_title: str | None
) -> InputDocument | InputError:
    link = entry.get("link")
    if link is not None and not is_url(link):
        link = None  # a javascript: or data: link is no article's address
    entry_id = entry.get("id") or link or f"{feed_name}#{index}"
    contents = entry.get("content") or []
    markup = contents[0].get("value", "") if contents else entry.get("summary", "")
    text = markup_text(markup or "")
    if not text:
        return InputError(f"{feed_name}: {entry_id}", "feed entry has no text")
    return InputDocument(
        id=entry_id,
        text=text,
        # A title is plain text; markup in it (a <script>) is dropped like the body's.
        title=markup_text(entry.get("title") or "") or None,
        published=_entry_date(entry),
        url=link,
        source=feed_title,
    )


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed: time.struct_time | None = entry.get(key)
        if parsed is not None:
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
    return None


def markup_text(markup: str) -> str:
    """Plain text of an entry's HTML, one paragraph a line."""
    if "<" not in markup:
        return markup.strip()
    try:
        root = lxml.html.fromstring(markup)
    except (ParserError, ValueError):
        return markup.strip()
    # Scripts and styles are code, not text: text_content() would keep them.
    for code in list(root.iter("script", "style", "noscript")):
        code.drop_tree()
    for block in root.iter("p", "br", "div", "li", "h1", "h2", "h3"):
        block.tail = "\n" + (block.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)
