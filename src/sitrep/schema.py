"""JSON Schemas of sitrep's records, generated from the pydantic models.

`python -m sitrep.schema [DIR]` writes `document.schema.json` (one output line
of `sitrep extract`) and `input.schema.json` (one input JSONL line) into DIR
(default: `schema/`); the copies committed there are checked against the
models by tests/test_schema.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode

from sitrep.models import DocumentResult, InputDocument

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMAS: dict[str, tuple[type[BaseModel], JsonSchemaMode]] = {
    "document.schema.json": (DocumentResult, "serialization"),
    "input.schema.json": (InputDocument, "validation"),
}


def schema_of(model: type[BaseModel], mode: JsonSchemaMode) -> dict[str, Any]:
    """The model's JSON Schema (draft 2020-12), as the model serialises or validates."""
    return {"$schema": DRAFT, **model.model_json_schema(mode=mode)}


def render(model: type[BaseModel], mode: JsonSchemaMode) -> str:
    """The schema as committed: sorted keys, two-space indent, final newline."""
    return json.dumps(schema_of(model, mode), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (model, mode) in SCHEMAS.items():
        path = directory / name
        path.write_text(render(model, mode), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    for path in write_schemas(Path(args[0] if args else "schema")):
        print(path)


if __name__ == "__main__":
    main()
