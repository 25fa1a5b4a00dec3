"""The OpenAPI document against the implementation: schemathesis generates requests from it.

Every answer must match the documented status codes and schemas, never be a 5xx,
and never carry the operator's token or a stack trace.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from api_store import build_store
from sitrep.api.app import Settings, create_app

TOKEN = "schemathesis-secret-token"


def _operations(tmp_path: Path) -> list[schemathesis.APIOperation]:
    path = tmp_path / "store.db"
    build_store(path).dispose()
    # Writes stay off (no token would be guessed anyway); reads are what is fuzzed.
    app = create_app(Settings(db=str(path), token=None))
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.slow
def test_api_conforms_to_its_openapi_document(tmp_path: Path) -> None:
    operations = _operations(tmp_path)
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
        def conforms(case: schemathesis.Case) -> None:
            response = case.call()
            case.validate_response(response)
            assert response.status_code < 500, response.text
            assert "Traceback" not in response.text and TOKEN not in response.text

        conforms()


def test_openapi_document_is_valid_json_with_error_shapes(tmp_path: Path) -> None:
    build_store(tmp_path / "s.db").dispose()
    document = create_app(Settings(db=str(tmp_path / "s.db"))).openapi()
    events = document["paths"]["/api/events"]["get"]["responses"]
    assert {"200", "422"} <= set(events)
    assert "ErrorResponse" in document["components"]["schemas"]
