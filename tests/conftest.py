"""Shared fixtures: paths to the read-only gold data and examples beside the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EVAL_DIR = SHARED / "eval"
SHARED_EXAMPLES = SHARED / "examples"


@pytest.fixture(scope="session")
def seed_story_text() -> str:
    return (SHARED_EXAMPLES / "baghdad-rockets.txt").read_text(encoding="utf-8")
