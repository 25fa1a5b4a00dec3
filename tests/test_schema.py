"""The committed JSON Schemas are the models' own, and real output validates against them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import REPO
from sitrep import extract_many
from sitrep.readers import read_inputs
from sitrep.schema import SCHEMAS, render, write_schemas

SCHEMA_DIR = REPO / "schema"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_is_generated_from_the_models(name: str) -> None:
    model, mode = SCHEMAS[name]
    committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == render(model, mode), (
        f"schema/{name} is stale: run `python -m sitrep.schema` and commit it"
    )


def test_schemas_are_valid_draft_2020_12() -> None:
    for name in SCHEMAS:
        Draft202012Validator.check_schema(json.loads((SCHEMA_DIR / name).read_text()))


def test_write_schemas_writes_every_file(tmp_path: Path) -> None:
    written = write_schemas(tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(SCHEMAS)


def test_extract_output_of_the_examples_validates() -> None:
    validator = Draft202012Validator(json.loads((SCHEMA_DIR / "document.schema.json").read_text()))
    documents = [
        item for item in read_inputs([REPO / "examples"]) if not isinstance(item, Exception)
    ]
    results = list(extract_many(documents))
    assert len(results) == 5
    for result in results:
        record = json.loads(result.model_dump_json())
        errors = [error.message for error in validator.iter_errors(record)]
        assert errors == [], result.id
    assert results[1].article.dateline is not None  # the schema saw a filled dateline


def test_output_missing_a_records_field_does_not_validate() -> None:
    validator = Draft202012Validator(json.loads((SCHEMA_DIR / "document.schema.json").read_text()))
    record = json.loads(next(extract_many([{"id": "x", "text": "Rockets hit."}])).model_dump_json())
    del record["article"]
    assert not validator.is_valid(record)
    record = json.loads(next(extract_many([{"id": "x", "text": "Rockets hit."}])).model_dump_json())
    record["article"]["published"] = 20210729
    assert not validator.is_valid(record)


def test_example_input_lines_validate_against_the_input_schema() -> None:
    validator = Draft202012Validator(json.loads((SCHEMA_DIR / "input.schema.json").read_text()))
    for line in (REPO / "examples" / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        assert validator.is_valid(json.loads(line))
