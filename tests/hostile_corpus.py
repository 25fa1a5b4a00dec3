"""A hostile-input corpus, generated (never downloaded): each case is files that attack a reader.

`CASES` names every case with the command that reads it (`extract` for the
one-document readers, `ingest` for WARC and feeds too), the files it writes
and what sitrep must do: code the hostile document, or record one error that
names the file and the problem. Every case also carries `GOOD_STORY`, an
ordinary article that must come through whatever its neighbour does.
tests/test_hostile_inputs.py and benchmarks/hostile_inputs.py both run them.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

GOOD_STORY = (
    "KABUL, March 3 (Reuters) - Gunmen killed five people and wounded two others "
    "in an attack on a checkpoint in Kabul on Monday, police said.\n\n"
    "The Taliban denied any role in the attack."
)
GOOD_NAME = "good.txt"
MEGABYTE = 1 << 20


def story_html(title: str, story: str = GOOD_STORY, extra: str = "") -> bytes:
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in story.split("\n\n"))
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{paragraphs}{extra}</article></body></html>"
    ).encode()


@dataclass(frozen=True)
class Case:
    """One hostile input: its files, the command that reads them, and the required outcome."""

    name: str
    command: str  # "extract" or "ingest"
    files: Callable[[Path], list[Path]]  # writes the hostile files into a folder, returns them
    outcome: str  # "error": one error naming the file; "coded": the document is coded
    # Words the error must carry (any of them), to show it names the problem.
    problem: tuple[str, ...] = ()
    # Documents the hostile files must still yield (good records beside the bad ones).
    kept: int = 0
    # Text that must appear nowhere in the output or store (leaked file contents, scripts).
    absent: tuple[str, ...] = ()
    environment: dict[str, str] = field(default_factory=dict)
    slow: bool = False


def _write(path: Path, data: bytes) -> list[Path]:
    path.write_bytes(data)
    return [path]


def latin1_text(folder: Path) -> list[Path]:
    story = "SÃO PAULO, March 3 - Gunmen killed five people near the café, police said."
    return _write(folder / "latin1.txt", story.encode("latin-1"))


def mixed_encoding(folder: Path) -> list[Path]:
    data = GOOD_STORY.encode() + " Le café brûlé.".encode("cp1252") + " 東京".encode("shift_jis")
    return _write(folder / "mixed.txt", data)


def nul_bytes(folder: Path) -> list[Path]:
    return _write(folder / "nul.txt", GOOD_STORY.encode().replace(b" ", b"\x00 ", 3))


def late_nul_bytes(folder: Path) -> list[Path]:
    # Past the binary sniff: a NUL deep inside an otherwise good article.
    padding = ("The council met again on Tuesday. " * 300).encode()
    return _write(folder / "late_nul.txt", GOOD_STORY.encode() + b"\n\n" + padding + b"\x00 end.")


def utf16_text(folder: Path) -> list[Path]:
    return _write(folder / "utf16.txt", GOOD_STORY.encode("utf-16"))


def huge_line_text(folder: Path) -> list[Path]:
    path = folder / "huge_line.txt"
    with path.open("wb") as handle:
        chunk = b"killed " * (MEGABYTE // 7)
        for _ in range(100):
            handle.write(chunk)
    return [path]


def huge_line_jsonl(folder: Path) -> list[Path]:
    path = folder / "huge_line.jsonl"
    with path.open("wb") as handle:
        handle.write(json.dumps({"id": "before", "text": GOOD_STORY}).encode() + b"\n")
        handle.write(b'{"id": "huge", "text": "')
        chunk = b"killed " * (MEGABYTE // 7)
        for _ in range(100):
            handle.write(chunk)
        handle.write(b'"}\n')
        handle.write(json.dumps({"id": "after", "text": GOOD_STORY}).encode() + b"\n")
    return [path]


def wrong_types_jsonl(folder: Path) -> list[Path]:
    lines: list[bytes] = [
        json.dumps({"id": "ok", "text": GOOD_STORY}).encode(),
        json.dumps({"id": "int text", "text": 12345}).encode(),
        json.dumps({"id": ["a", "list"], "text": GOOD_STORY}).encode(),
        json.dumps({"id": "dict title", "text": GOOD_STORY, "title": {"x": 1}}).encode(),
        json.dumps({"id": "bad date", "text": GOOD_STORY, "published": 20240101}).encode(),
        json.dumps([GOOD_STORY]).encode(),
        b'"just a string"',
        b"null",
        b"{not json at all",
        b"[" * 100_000 + b"]" * 100_000,
        json.dumps({"id": "deep", "text": GOOD_STORY, "source": {"a": [[[[[[1]]]]]]}}).encode(),
        b"\xff\xfe\x00garbage",
        json.dumps({"id": "ok too", "text": GOOD_STORY}).encode(),
    ]
    return _write(folder / "wrong_types.jsonl", b"\n".join(lines) + b"\n")


def huge_field_jsonl(folder: Path) -> list[Path]:
    huge_title = "Breaking " * (30 * MEGABYTE // 9)
    lines = [
        json.dumps({"id": "huge title", "text": GOOD_STORY, "title": huge_title}),
        json.dumps({"id": "long text", "text": "Gunmen attacked a market. " * 400_000}),
        json.dumps({"id": "ok", "text": GOOD_STORY}),
    ]
    return _write(folder / "huge_field.jsonl", "\n".join(lines).encode() + b"\n")


def nested_html(folder: Path) -> list[Path]:
    depth = 100_000
    extra = "<div>" * depth + "<p>Deep inside.</p>" + "</div>" * depth
    return _write(folder / "nested.html", story_html("Nested", extra=extra))


def unclosed_nested_html(folder: Path) -> list[Path]:
    return _write(folder / "unclosed.html", story_html("Unclosed") + b"<div><span>" * 200_000)


BIDI_STORY = (
    "\u202eKABUL\u202c, March 3 (Reuters) - Gun\u200bmen killed five\u200d people in "
    "Ka\u2066bul\u2069 on Monday, police said.\u200f\n\n"
    "\ufeffThe attack\u00ad was \u061cclaimed by no group. "
    "\u0645\u0642\u062a\u0644 \u062e\u0645\u0633\u0629."
)


def bidi_zero_width(folder: Path) -> list[Path]:
    return _write(folder / "bidi.txt", BIDI_STORY.encode())


SCRIPT = "<script>alert(document.cookie)</script>"
JAVASCRIPT_URL = "javascript:alert(1)"


def script_html(folder: Path) -> list[Path]:
    extra = (
        f'{SCRIPT}<p>Read more <a href="{JAVASCRIPT_URL}">here</a>.</p>'
        '<img src=x onerror="alert(2)"><iframe src="javascript:alert(3)"></iframe>'
    )
    return _write(folder / "script.html", story_html(f"Attack {SCRIPT}", extra=extra))


def script_jsonl(folder: Path) -> list[Path]:
    record = {
        "id": "script",
        "title": f"Gunmen attack {SCRIPT}",
        "text": f"{GOOD_STORY}\n\nMore at {JAVASCRIPT_URL} and {SCRIPT}.",
        "url": JAVASCRIPT_URL,
    }
    return _write(folder / "script.jsonl", json.dumps(record).encode() + b"\n")


def feed(items: str, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>Wire</title>'
        f"{items}</channel></rss>"
    ).encode()


def feed_item(title: str, text: str, link: str) -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link>"
        f"<description>{text}</description><pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate></item>"
    )


def billion_laughs(folder: Path) -> list[Path]:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    ]
    doctype = f"<!DOCTYPE rss [{''.join(entities)}]>"
    item = feed_item("&lol9;", f"&lol9; {GOOD_STORY}", "https://example.org/laughs")
    return _write(folder / "laughs.rss", feed(item, doctype))


def external_entity(folder: Path) -> list[Path]:
    doctype = '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    item = feed_item("&xxe;", f"&xxe; {GOOD_STORY}", "https://example.org/xxe")
    return _write(folder / "xxe.rss", feed(item, doctype))


def parameter_entity(folder: Path) -> list[Path]:
    doctype = '<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>'
    item = feed_item("t", GOOD_STORY, "https://example.org/pe")
    return _write(folder / "parameter.atom", feed(item, doctype))


def script_feed(folder: Path) -> list[Path]:
    escaped = SCRIPT.replace("<", "&lt;").replace(">", "&gt;")
    items = feed_item(
        f"Attack {escaped}", f"{escaped}&lt;p&gt;{GOOD_STORY}&lt;/p&gt;", JAVASCRIPT_URL
    )
    return _write(folder / "script.rss", feed(items))


def warc_record(writer: WARCWriter, url: str, html: bytes, encoding: str | None = None) -> None:
    headers = [("Content-Type", "text/html; charset=utf-8")]
    if encoding:
        headers.append(("Content-Encoding", encoding))
    http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(html),
        http_headers=http,
        warc_headers_dict={"WARC-Date": "2025-03-03T10:00:00Z"},
    )
    writer.write_record(record)


def good_warc_pages(writer: WARCWriter, count: int) -> None:
    for number in range(count):
        warc_record(writer, f"https://news.example.org/{number}", story_html(f"Story {number}"))


def gzip_bomb_payload(folder: Path) -> list[Path]:
    """A page sent gzip-encoded that inflates to 1 GB, between good pages."""
    bomb = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip framing
    chunks = [bomb.compress(b"<p>" + b"\0" * MEGABYTE) for _ in range(1024)]
    chunks.append(bomb.flush())
    path = folder / "bomb.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        good_warc_pages(writer, 2)
        warc_record(writer, "https://bomb.example.org/", b"".join(chunks), encoding="gzip")
        warc_record(writer, "https://news.example.org/after", story_html("After"))
    return [path]


class RepeatedBytes(io.RawIOBase):
    """`size` bytes of one byte value, made as they are read (a 1 GB page never held whole)."""

    def __init__(self, size: int, byte: bytes = b"a") -> None:
        self.left = size
        self.block = byte * MEGABYTE

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = min(len(buffer), self.left, len(self.block))
        buffer[:count] = self.block[:count]
        self.left -= count
        return count


def gzip_bomb_record(folder: Path) -> list[Path]:
    """A WARC record whose own gzip member inflates to 1 GB of page."""
    size = 1024 * MEGABYTE
    path = folder / "bomb_record.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        good_warc_pages(writer, 2)
        http = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html"), ("Content-Length", str(size))],
            protocol="HTTP/1.1",
        )
        record = writer.create_warc_record(
            "https://bomb.example.org/record",
            "response",
            payload=io.BufferedReader(RepeatedBytes(size)),
            length=size,
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2025-03-03T10:00:00Z"},
        )
        writer.write_record(record)
        warc_record(writer, "https://news.example.org/after", story_html("After"))
    return [path]


def truncated_warc(folder: Path) -> list[Path]:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    good_warc_pages(writer, 3)
    complete = buffer.tell()
    warc_record(writer, "https://news.example.org/cut", story_html("Cut"))
    data = buffer.getvalue()
    cut = complete + (len(data) - complete) // 2
    return _write(folder / "truncated.warc.gz", data[:cut])


def garbage_warc(folder: Path) -> list[Path]:
    return _write(folder / "garbage.warc.gz", gzip.compress(b"\xff" * 100_000))


def many_records_warc(folder: Path) -> list[Path]:
    path = folder / "many.warc.gz"
    with path.open("wb") as handle:
        good_warc_pages(WARCWriter(handle, gzip=True), 5)
    return [path]


CASES: list[Case] = [
    Case("latin-1 text file", "extract", latin1_text, "error", ("UTF-8",)),
    Case("mixed encodings in one file", "extract", mixed_encoding, "error", ("UTF-8",)),
    Case("UTF-16 text file", "extract", utf16_text, "error", ("binary", "UTF-8")),
    Case("NUL bytes at the start", "extract", nul_bytes, "error", ("binary",)),
    Case("NUL byte deep inside", "extract", late_nul_bytes, "coded"),
    Case(
        "100 MB single line (.txt)", "extract", huge_line_text, "error", ("too large",), slow=True
    ),
    Case(
        "100 MB single line (.jsonl)",
        "extract",
        huge_line_jsonl,
        "error",
        ("longer than",),
        kept=2,
        slow=True,
    ),
    Case(
        "JSONL: wrong types, deep nesting, junk",
        "extract",
        wrong_types_jsonl,
        "error",
        ("text", "JSON", "UTF-8", "field"),
        kept=2,
    ),
    Case(
        "JSONL: 30 MB title, 10 MB text",
        "extract",
        huge_field_jsonl,
        "error",
        ("longer than", "too long"),
        kept=1,
        slow=True,
    ),
    Case("100,000 nested <div>", "extract", nested_html, "coded"),
    Case("200,000 unclosed tags", "extract", unclosed_nested_html, "coded"),
    Case("right-to-left and zero-width characters", "extract", bidi_zero_width, "coded"),
    Case("<script>, javascript: in HTML", "extract", script_html, "coded", absent=("<script",)),
    Case("<script>, javascript: in JSONL", "extract", script_jsonl, "coded"),
    Case(
        "feed: billion laughs", "ingest", billion_laughs, "error", ("ENTITY",), absent=("lollol",)
    ),
    Case(
        "feed: external entity file:///etc/passwd",
        "ingest",
        external_entity,
        "error",
        ("ENTITY",),
        absent=("root:",),
    ),
    Case("feed: parameter entity to a URL", "ingest", parameter_entity, "error", ("ENTITY",)),
    Case("feed: <script>, javascript: link", "ingest", script_feed, "coded", absent=("<script",)),
    Case(
        "WARC: gzip-encoded page inflating to 1 GB",
        "ingest",
        gzip_bomb_payload,
        "error",
        ("larger than",),
        kept=3,
        slow=True,
    ),
    Case(
        "WARC: record inflating to 1 GB",
        "ingest",
        gzip_bomb_record,
        "error",
        ("larger than",),
        kept=3,
        slow=True,
    ),
    Case("WARC: truncated last record", "ingest", truncated_warc, "error", ("WARC",), kept=3),
    Case("WARC: gzip of garbage", "ingest", garbage_warc, "error", ("WARC",)),
    Case(
        "WARC: more records than allowed",
        "ingest",
        many_records_warc,
        "error",
        ("more than",),
        kept=3,
        environment={"SITREP_MAX_RECORDS_PER_FILE": "3"},
    ),
]


@dataclass
class Outcome:
    """What one run of sitrep over a case did, and the peak memory it took."""

    returncode: int
    stdout: str
    stderr: str
    peak_mb: float
    seconds: float
    # Documents coded, by the input they came from: (input file name, document id).
    coded: list[tuple[str, str]]
    # Errors recorded: one line each, as the user sees it.
    errors: list[str]
    # Everything sitrep wrote out (stdout, or the store's rows), to look for leaks.
    output: str


SRC = Path(__file__).resolve().parents[1] / "src"


def run_case(case: Case, folder: Path, python: str = sys.executable) -> Outcome:
    """Write the case's files and GOOD_STORY into `folder`, run sitrep over them in a subprocess."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = case.files(folder) + _write(folder / GOOD_NAME, GOOD_STORY.encode())
    return run_sitrep(case.command, paths, folder, python, case.environment)


def run_sitrep(
    command: str,
    paths: list[Path],
    folder: Path,
    python: str = sys.executable,
    environment: dict[str, str] | None = None,
) -> Outcome:
    """`sitrep extract` or `sitrep ingest --workers 1` over `paths`; peak RSS from wait4."""
    env = {**os.environ, "PYTHONPATH": str(SRC), **(environment or {})}
    store = folder / "store.db"
    arguments = [str(path) for path in paths]
    if command == "extract":
        argv = [python, "-m", "sitrep", "extract", "--today", "2025-03-10", *arguments]
    else:
        store.unlink(missing_ok=True)
        argv = [python, "-m", "sitrep", "ingest", *arguments, "--db", str(store), "--workers", "1"]
    out_path, err_path = folder / "stdout.txt", folder / "stderr.txt"
    started = time.monotonic()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        process = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        # wait4 reports this child's own peak (ru_maxrss, KiB on Linux), not the test's.
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    if command == "extract":
        results = [json.loads(line) for line in stdout.splitlines() if line.strip()]
        coded = [(_input_of(r["id"], paths), r["id"]) for r in results if not r["errors"]]
        errors = [line for line in stderr.splitlines() if line.startswith("sitrep: ")]
        output = stdout
    else:
        coded, errors, output = _store_contents(store)
    return Outcome(
        returncode=process.returncode,
        stdout=stdout,
        stderr=stderr,
        peak_mb=usage.ru_maxrss / 1024,
        seconds=seconds,
        coded=coded,
        errors=errors,
        output=output,
    )


def _input_of(document_id: str, paths: list[Path]) -> str:
    """The input file a document id came from (ids are paths, or `path:line` for JSONL)."""
    for path in paths:
        if document_id == str(path) or document_id.startswith(f"{path}:"):
            return path.name
    return document_id


def _store_contents(store: Path) -> tuple[list[tuple[str, str]], list[str], str]:
    with sqlite3.connect(store) as connection:
        documents = connection.execute(
            "SELECT input_name, document_id, title, url, body FROM documents"
        ).fetchall()
        errors = connection.execute("SELECT input_name, error FROM ingest_errors").fetchall()
        events = connection.execute("SELECT * FROM events").fetchall()
    coded = [(Path(row[0]).name, row[1]) for row in documents]
    lines = [f"{Path(name).name}: {error}" for name, error in errors]
    output = "\n".join(repr(row) for row in documents + events)
    return coded, lines, output
