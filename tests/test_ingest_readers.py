"""The WARC and RSS/Atom readers that `sitrep ingest` streams documents from."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sitrep.errors import InputError
from sitrep.fetch import FetchPolicy
from sitrep.ingest import run_ingest
from sitrep.models import InputDocument
from sitrep.readers.feeds import markup_text, read_feed
from sitrep.readers.warc import read_warc
from sitrep.store import open_store
from store_fixtures import store_rows

ARTICLE = """<html><head><title>Rockets hit Baghdad base | Example News</title>{meta}</head>
<body><nav>Home | World | Sport</nav><article><h1>Rockets hit Baghdad base</h1>
<p>Two rockets struck a military base near Baghdad airport on Tuesday, the security
media cell said in a statement, adding that nobody was hurt in the attack.</p>
<p>No group claimed responsibility for the attack, the latest in a series of strikes
on bases hosting foreign troops in the Iraqi capital this year.</p></article>
<footer>Copyright Example News</footer></body></html>"""


def add_response(
    writer: WARCWriter, url: str, body: bytes, content_type: str, status: str = "200 OK"
) -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=BytesIO(body),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": "2024-03-05T08:30:00Z"},
    )
    writer.write_record(record)


@pytest.fixture
def warc_file(tmp_path: Path) -> Path:
    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        dated = '<meta property="article:published_time" content="2024-03-04T21:00:00Z">'
        add_response(
            writer,
            "https://www.example.com/news/rockets",
            ARTICLE.format(meta=dated).encode(),
            "text/html; charset=utf-8",
        )
        add_response(
            writer,
            "https://news.example.org/rockets-again",
            ARTICLE.format(meta="").encode(),
            "text/html",
        )
        add_response(writer, "https://www.example.com/logo.png", b"\x89PNG", "image/png")
        add_response(
            writer, "https://www.example.com/gone", b"<html></html>", "text/html", "404 Not Found"
        )
        add_response(
            writer, "https://www.example.com/empty", b"<html><body></body></html>", "text/html"
        )
    return path


def test_a_warc_gives_one_document_per_html_page_dated_by_the_page_or_the_crawl(
    warc_file: Path,
) -> None:
    items = list(read_warc(warc_file))
    documents = [item for item in items if isinstance(item, InputDocument)]
    errors = [item for item in items if isinstance(item, InputError)]
    assert [d.url for d in documents] == [
        "https://www.example.com/news/rockets",
        "https://news.example.org/rockets-again",
    ]
    assert documents[0].published == "2024-03-04"
    # Without a date in the page, the crawl's WARC-Date is the fallback.
    assert documents[1].published == "2024-03-05"
    assert documents[1].source == "news.example.org"
    assert "Two rockets struck a military base" in documents[0].text
    assert "Copyright" not in documents[0].text
    assert documents[0].title is not None and "Rockets hit Baghdad base" in documents[0].title
    # The empty page is an error; the image and the 404 are not pages at all.
    assert len(errors) == 1 and "no article text" in str(errors[0])


def test_a_corrupt_warc_yields_an_error_instead_of_stopping_the_ingest(tmp_path: Path) -> None:
    path = tmp_path / "broken.warc"
    path.write_bytes(b"this is not a WARC file at all\r\n\r\n")
    items = list(read_warc(path))
    assert len(items) == 1 and isinstance(items[0], InputError)


RSS = """<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Iraq Desk</title><link>https://desk.example.net</link>
<item><title>Blast in Kirkuk</title><link>https://desk.example.net/kirkuk</link>
<guid>kirkuk-1</guid><pubDate>Tue, 05 Mar 2024 09:15:00 GMT</pubDate>
<description>Short teaser.</description>
<content:encoded><![CDATA[<p>A roadside bomb exploded in <b>Kirkuk</b> on Monday.</p>
<p>Two soldiers were wounded.</p>]]></content:encoded>
</item>
<item><title>Protest in Basra</title><link>https://desk.example.net/basra</link>
<description>&lt;p&gt;Hundreds protested in Basra over power cuts.&lt;/p&gt;</description>
</item>
<item><title>Photo gallery</title><link>https://desk.example.net/gallery</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Erbil Wire</title>
<entry><title>Drone strike near Erbil</title><id>urn:erbil:1</id>
<link href="https://wire.example.com/erbil-drone"/>
<updated>2024-03-06T10:00:00Z</updated><published>2024-03-06T07:45:00Z</published>
<summary>A drone struck a base near Erbil airport, officials said.</summary></entry>
</feed>"""


def test_rss_entries_become_documents_with_their_published_dates(tmp_path: Path) -> None:
    path = tmp_path / "desk.rss"
    path.write_text(RSS)
    items = list(read_feed(path))
    kirkuk, basra, gallery = items
    assert isinstance(kirkuk, InputDocument) and isinstance(basra, InputDocument)
    assert kirkuk.id == "kirkuk-1"
    assert (
        kirkuk.text == "A roadside bomb exploded in Kirkuk on Monday.\nTwo soldiers were wounded."
    )
    assert kirkuk.published == "2024-03-05T09:15:00Z"
    assert kirkuk.source == "Iraq Desk"
    assert basra.text == "Hundreds protested in Basra over power cuts."
    assert basra.published is None
    assert isinstance(gallery, InputError)


def test_atom_entries_prefer_published_over_updated(tmp_path: Path) -> None:
    path = tmp_path / "wire.atom"
    path.write_text(ATOM)
    (entry,) = read_feed(path)
    assert isinstance(entry, InputDocument)
    assert entry.published == "2024-03-06T07:45:00Z"
    assert entry.url == "https://wire.example.com/erbil-drone"
    assert entry.source == "Erbil Wire"


def test_a_file_that_is_no_feed_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.xml"
    path.write_text("<notes><note>hello</note></notes>")
    (error,) = read_feed(path)
    assert isinstance(error, InputError)
    assert "not a readable RSS/Atom feed" in str(error)


def test_markup_text_keeps_paragraphs_apart() -> None:
    assert markup_text("<div>One<br>two</div><p>three</p>") == "One\ntwo\nthree"
    assert markup_text("plain text ") == "plain text"


class FeedHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = ATOM.encode() if self.path == "/feed" else b""
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/atom+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def feed_server() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), FeedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_feed_url_is_fetched_within_a_size_cap(feed_server: str) -> None:
    local = FetchPolicy(allow_private=True, retries=0)
    (entry,) = read_feed(f"{feed_server}/feed", local)
    assert isinstance(entry, InputDocument) and entry.id == "urn:erbil:1"
    (missing,) = read_feed(f"{feed_server}/nothing", local)
    assert isinstance(missing, InputError) and "404" in str(missing)
    capped = FetchPolicy(allow_private=True, retries=0, max_bytes=100)
    (too_big,) = read_feed(f"{feed_server}/feed", capped)
    assert isinstance(too_big, InputError) and "100 byte cap" in str(too_big)


def test_a_feed_url_on_an_internal_address_is_refused_by_default(feed_server: str) -> None:
    (refused,) = read_feed(f"{feed_server}/feed")
    assert isinstance(refused, InputError) and "non-public address" in str(refused)


def test_ingest_reads_warc_and_feed_files_into_the_store(warc_file: Path, tmp_path: Path) -> None:
    feed = tmp_path / "desk.rss"
    feed.write_text(RSS)
    engine = open_store(str(tmp_path / "store.db"))
    totals = run_ingest([str(warc_file), str(feed)], engine, workers=1)
    rows = store_rows(engine)
    assert totals.documents == 4 and totals.errors == 2
    assert sorted((url, source) for *_, url, source in rows["documents"]) == [
        ("https://desk.example.net/basra", "Iraq Desk"),
        ("https://desk.example.net/kirkuk", "Iraq Desk"),
        ("https://news.example.org/rockets-again", "news.example.org"),
        ("https://www.example.com/news/rockets", "example.com"),
    ]
