"""`sitrep extract`: the seed story, the three formats, and one line per failure."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, SHARED_EXAMPLES
from sitrep.cli import main

TODAY = ["--today", "2026-11-28"]


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["extract", *args], input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_seed_story_as_json() -> None:
    # --today pins the inferred year: from 29 July 2027 (a Thursday) on, the
    # latest Thursday 29 July is no longer 2021.
    code, out, err = run(str(SHARED_EXAMPLES / "baghdad-rockets.txt"), "--format", "json", *TODAY)
    assert (code, err) == (0, "")
    record = json.loads(out)
    article = record["article"]
    assert article["title"] == "Two rockets fired near US embassy in Baghdad: security source"
    assert article["dateline"] == {
        "place": "Baghdad",
        "agency": "NNN-AGENCIES",
        "date_text": "July 29",
    }
    assert article["published"] == "2021-07-29"
    assert article["published_inferred"] is True
    for chrome in ("sharing button", "administrator", "Related Articles"):
        assert chrome not in article["body"]
    assert set(record) == {"id", "article", "events", "errors"}


def test_seed_story_without_today_takes_the_latest_thursday_29_july() -> None:
    _, out, _ = run(str(SHARED_EXAMPLES / "baghdad-rockets.txt"), "--format", "json")
    published = date.fromisoformat(json.loads(out)["article"]["published"])
    assert (published.month, published.day, published.weekday()) == (7, 29, 3)
    # a day and weekday recur within 11 years (28 across leap days: 2021 is within 7)
    assert date.today() - timedelta(days=366 * 11) < published <= date.today()


def test_jsonl_is_one_line_per_document_in_input_order() -> None:
    code, out, err = run(str(REPO / "examples"), "--format", "jsonl", *TODAY)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [
        str(REPO / "examples" / "lima-communique.txt"),
        str(REPO / "examples" / "mogadishu-car-bomb.txt"),
        str(REPO / "examples" / "nairobi-protest.html"),
        "wire-0001",
        "wire-0002",
    ]


def test_json_is_a_list_for_several_documents() -> None:
    code, out, _ = run(str(REPO / "examples" / "wire.jsonl"), "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert [r["id"] for r in records] == ["wire-0001", "wire-0002"]
    assert out.startswith('[\n  {\n    "id": "wire-0001"')


def test_table_shows_each_document() -> None:
    code, table, _ = run(str(REPO / "examples"), "--format", "table", *TODAY)
    assert code == 0
    out = " ".join(table.split())  # rich wraps to the width of the terminal
    assert "Car bomb kills three near checkpoint in Mogadishu, police say" in out
    assert "dateline: Mogadishu, HORN-WIRE, March 14" in out
    assert "published: 2023-03-14 (year inferred)" in out
    assert "fatalities" in out


def test_failures_are_one_line_each_the_rest_is_coded_and_the_status_is_one(
    tmp_path: Path,
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("KABUL (Reuters) - A bomb exploded at a market on Thursday.", encoding="utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    lines = tmp_path / "docs.jsonl"
    lines.write_text('{"id": "a", "text": "Fine."}\n{broken\n', encoding="utf-8")
    code, out, err = run(str(tmp_path / "missing.txt"), str(binary), str(good), str(lines))
    assert code == 1
    assert err.splitlines() == [
        f"sitrep: {tmp_path / 'missing.txt'}: no such file or directory",
        f"sitrep: {binary}: binary file, not text",
        f"sitrep: {lines}:2: not valid JSON (Expecting property name enclosed in double quotes "
        "at column 2)",
    ]
    assert [json.loads(line)["id"] for line in out.splitlines()] == [str(good), "a"]
    assert "Traceback" not in err


def test_a_failed_document_is_reported_and_kept_in_the_output(tmp_path: Path) -> None:
    lines = tmp_path / "docs.jsonl"
    lines.write_text(
        '{"id": "bad", "text": "Text.", "published": "yesterday"}\n{"id": "ok", "text": "Fine."}\n',
        encoding="utf-8",
    )
    code, out, err = run(str(lines))
    assert code == 1
    # The line names the file as well as the document's own id (hostile-input hardening).
    assert err == (
        f"sitrep: {lines}: bad: published 'yesterday' is not a date (YYYY-MM-DD or ISO 8601)\n"
    )
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["id"], bool(r["errors"])) for r in records] == [("bad", True), ("ok", False)]


def test_published_option_overrides_the_files_date() -> None:
    path = REPO / "examples" / "nairobi-protest.html"
    _, out, _ = run(str(path), "--published", "2024-06-13")
    assert json.loads(out)["article"]["published"] == "2024-06-13"
    _, out, _ = run(str(path))
    assert json.loads(out)["article"]["published"] == "2024-06-12"


def test_today_option_bounds_year_inference(seed_story_text: str) -> None:
    _, out, _ = run("-", "--today", "2019-01-01", stdin=seed_story_text.encode())
    article = json.loads(out)["article"]
    assert (article["published"], article["published_inferred"]) == ("2010-07-29", True)


def test_stdin_dash_reads_text() -> None:
    code, out, _ = run("-", stdin=b"Rockets hit base\n\nThe base was hit overnight.\n")
    assert code == 0
    record = json.loads(out)
    assert (record["id"], record["article"]["title"]) == ("<stdin>", "Rockets hit base")


@pytest.mark.parametrize("bad", ["2021-13-01", "soon"])
def test_bad_option_dates_are_usage_errors(bad: str) -> None:
    code, _, err = run("-", "--today", bad, stdin=b"Text.")
    assert code == 2
    assert "is not a date (YYYY-MM-DD)" in err


def test_a_bug_in_a_stage_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(events: object) -> None:
        raise ValueError("actor table missing")

    monkeypatch.setattr("sitrep.pipeline.resolve_actors", broken)
    code, out, err = run("-", stdin=b"Troops fired on a crowd on Friday.")
    assert (code, out) == (3, "")
    assert err == "sitrep: internal error: ValueError: actor table missing\n"
