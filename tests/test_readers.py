"""Readers: every input shape becomes documents or one-line errors, in a stable order."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path

import pytest

from conftest import REPO
from sitrep.errors import InputError
from sitrep.models import InputDocument
from sitrep.readers import READERS, read_inputs, read_stdin
from sitrep.readers.files import MAX_DOCUMENT_BYTES
from sitrep.readers.text import read_text_file

PAGE = """<html><head><meta charset="utf-8"><title>Page title | Site</title>
<meta property="og:title" content="Clashes erupt in the north">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2022-03-05T10:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Clashes erupt in the north</h1>
<p>GAO, Mali (EXN) — Fighting broke out on Saturday between the army and an armed group near the
town of Gao, residents said, and at least four soldiers were killed in the clashes.</p>
<p>The army said it had repelled the attack and that the situation was under control by evening,
while residents reported gunfire until late at night in several districts of the town.</p>
</article><footer>Copyright 2022 Example News. All rights reserved.</footer></body></html>
"""


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def documents(items: list[InputDocument | InputError]) -> list[InputDocument]:
    return [item for item in items if isinstance(item, InputDocument)]


def errors(items: list[InputDocument | InputError]) -> list[InputError]:
    return [item for item in items if isinstance(item, InputError)]


def test_text_file_is_one_document_named_by_its_path(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", "Headline\n\nBody text.\n")
    [document] = list(read_inputs([path]))
    assert isinstance(document, InputDocument)
    assert document.id == str(path)
    assert document.text == "Headline\n\nBody text.\n"


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", "\ufeffBody text.".encode())
    [document] = documents(list(read_inputs([path])))
    assert document.text == "Body text."


def test_html_gives_main_text_and_metadata(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", PAGE)
    [document] = documents(list(read_inputs([path])))
    assert document.title == "Clashes erupt in the north"
    assert document.published == "2022-03-05"
    assert document.source == "Example News"
    assert "GAO, Mali (EXN) — Fighting broke out on Saturday" in document.text
    assert "\n\nThe army said" in document.text  # paragraphs kept apart
    assert "Home" not in document.text
    assert "All rights reserved" not in document.text


def test_htm_suffix_and_upper_case_suffix_are_html(tmp_path: Path) -> None:
    items = list(read_inputs([write(tmp_path / "a.htm", PAGE), write(tmp_path / "b.HTML", PAGE)]))
    assert [d.title for d in documents(items)] == ["Clashes erupt in the north"] * 2


def test_html_without_article_text_is_an_error(tmp_path: Path) -> None:
    page = "<html><head><title>T</title></head><body><script>var a = 1;</script></body></html>"
    path = write(tmp_path / "empty.html", page)
    [error] = list(read_inputs([path]))
    assert isinstance(error, InputError)
    assert error.reason == "no article text found in the HTML"


def test_jsonl_reads_records_fields_and_ignores_other_keys(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "text": "First.", "title": "T", "published": "2021-07-29", "extra": [1]},
        {"id": 7, "text": "Second.", "url": "https://x.example", "source": "Wire"},
        {"text": "Third, no id."},
    ]
    path = write(tmp_path / "docs.jsonl", "\n".join(json.dumps(line) for line in lines) + "\n")
    first, second, third = documents(list(read_inputs([path])))
    assert (first.id, first.title, first.published) == ("a", "T", "2021-07-29")
    assert (second.id, second.url, second.source) == ("7", "https://x.example", "Wire")
    assert third.id == f"{path}:3"


def test_bad_jsonl_lines_are_one_error_each_and_the_others_go_on(tmp_path: Path) -> None:
    content = (
        b'{"id": "ok-1", "text": "Fine."}\n'
        b"{not json\n"
        b"\n"
        b'["a list"]\n'
        b'{"id": "no-text"}\n'
        b'{"id": "bad-bytes", "text": "caf\xe9"}\n'
        b'{"id": "bad-title", "text": "x", "title": 5}\n'
        b'{"id": "ok-2", "text": "Also fine."}\n'
    )
    path = write(tmp_path / "mixed.jsonl", content)
    items = list(read_inputs([path]))
    assert [d.id for d in documents(items)] == ["ok-1", "ok-2"]
    found = {(e.source, e.reason.split(" (")[0]) for e in errors(items)}
    assert found == {
        (f"{path}:2", "not valid JSON"),
        (f"{path}:4", "a JSON object was expected, not list"),
        (f"{path}:5", 'no "text" string'),
        (f"{path}:6", "not valid UTF-8"),
        (f"{path}:7", 'field "title": input should be a valid string'),
    }
    # errors come where their lines are, between the documents
    assert isinstance(items[0], InputDocument) and isinstance(items[-1], InputDocument)


def test_directory_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "B.")
    write(tmp_path / "a" / "z.txt", "AZ.")
    write(tmp_path / "a" / "c.jsonl", '{"id": "ac", "text": "AC."}\n')
    write(tmp_path / "c.pdf", b"%PDF-1.4")
    write(tmp_path / "notes.md", "# not an article")
    write(tmp_path / ".hidden" / "x.txt", "hidden")
    write(tmp_path / ".draft.txt", "hidden")
    items = list(read_inputs([tmp_path]))
    assert errors(items) == []
    assert [d.text for d in documents(items)] == ["AC.", "AZ.", "B."]
    assert list(read_inputs([tmp_path])) == items


def test_directory_symlink_loop_is_read_once(tmp_path: Path) -> None:
    write(tmp_path / "a" / "story.txt", "Story.")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    assert [d.text for d in documents(list(read_inputs([tmp_path])))] == ["Story."]


def test_a_reader_is_added_by_one_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(READERS, ".md", read_text_file)
    write(tmp_path / "notes.md", "Markdown story.")
    assert [d.text for d in documents(list(read_inputs([tmp_path])))] == ["Markdown story."]


def test_compound_suffixes_find_their_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(READERS, ".warc.gz", read_text_file)
    write(tmp_path / "crawl.2024.WARC.GZ", "From the archive.")
    write(tmp_path / "other.gz", b"\x1f\x8b")
    assert [d.text for d in documents(list(read_inputs([tmp_path])))] == ["From the archive."]
    [error] = list(read_inputs([tmp_path / "other.gz"]))
    assert isinstance(error, InputError) and error.reason.startswith("unsupported file type '.gz'")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("scan.pdf", b"%PDF-1.4", "unsupported file type '.pdf'"),
        ("README", b"text", "unsupported file type without a suffix"),
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n\t", "file holds only whitespace"),
        ("empty.jsonl", b"\n\n", "empty file (no JSON lines)"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text"),
        ("image.html", b"GIF89a\x00\x01\x00", "binary file, not text"),
        ("latin1.txt", "Bogotá, café".encode("latin-1"), "not valid UTF-8 (byte 0xe1 at offset 5)"),
    ],
)
def test_unusable_file_is_one_error_naming_it(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = write(tmp_path / name, content)
    [error] = list(read_inputs([path]))
    assert isinstance(error, InputError)
    assert error.source == str(path)
    assert error.reason.startswith(reason)
    assert "\n" not in str(error)


def test_missing_and_dangling_paths_are_errors(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    items = list(read_inputs([tmp_path / "missing.txt", tmp_path / "dangling.txt"]))
    assert [(e.source, e.reason) for e in errors(items)] == [
        (str(tmp_path / "missing.txt"), "no such file or directory"),
        (str(tmp_path / "dangling.txt"), "broken symbolic link"),
    ]


def test_unreadable_file_is_an_error_and_the_next_input_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = write(tmp_path / "locked.txt", "Secret.")
    fine = write(tmp_path / "fine.txt", "Fine.")
    real_open = Path.open

    def open_unless_locked(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "locked.txt":  # tests run as root, where chmod 000 does not stop reading
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", open_unless_locked)
    items = list(read_inputs([locked, fine]))
    assert [(e.source, e.reason) for e in errors(items)] == [(str(locked), "permission denied")]
    assert [d.text for d in documents(items)] == ["Fine."]


def test_fifty_megabyte_text_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: costs no disk, and no memory if not read
    tracemalloc.start()
    [error] = list(read_inputs([path]))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert isinstance(error, InputError)
    assert error.reason.startswith("file too large for one article (52,428,800 bytes")
    assert peak < MAX_DOCUMENT_BYTES // 10


@pytest.mark.slow
def test_fifty_megabyte_jsonl_file_streams_in_flat_memory(tmp_path: Path) -> None:
    line = json.dumps({"id": "x", "text": "Protesters gathered in the square. " * 14}) + "\n"
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        count = 0
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(line)
            count += 1
    tracemalloc.start()
    seen = 0
    for item in read_inputs([path]):
        assert isinstance(item, InputDocument)
        seen += 1
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert seen == count > 100_000
    assert peak < 2 * 1024 * 1024  # a few lines' worth, not the 50 MB file


def stdin_of(data: bytes) -> io.BufferedReader:
    return io.BufferedReader(io.BytesIO(data))  # type: ignore[arg-type]


def test_stdin_plain_text_is_one_document() -> None:
    [document] = list(read_stdin(stdin_of(b"Headline\n\nBody.")))
    assert isinstance(document, InputDocument)
    assert (document.id, document.text) == ("<stdin>", "Headline\n\nBody.")


def test_stdin_starting_with_a_brace_is_jsonl() -> None:
    data = b'\n{"id": "1", "text": "One."}\n{"id": "2", "text": "Two."}\n'
    assert [d.id for d in documents(list(read_stdin(stdin_of(data))))] == ["1", "2"]


def test_stdin_starting_with_a_tag_is_html() -> None:
    [document] = documents(list(read_stdin(stdin_of(PAGE.encode()))))
    assert document.title == "Clashes erupt in the north"


def test_stdin_empty_is_an_error() -> None:
    [error] = list(read_stdin(stdin_of(b"")))
    assert isinstance(error, InputError)
    assert str(error) == "<stdin>: empty file"


def test_dash_reads_the_given_stdin_among_other_paths(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "From a file.")
    items = list(read_inputs([path, "-"], stdin=stdin_of(b"From stdin.")))
    assert [d.text for d in documents(items)] == ["From a file.", "From stdin."]


def test_examples_directory_reads_without_errors() -> None:
    items = list(read_inputs([REPO / "examples"]))
    assert errors(items) == []
    assert len(documents(items)) == 5
