"""The fixed train/test split of the gold development sets, shared by every learner and rule.

A document's split depends only on its id, so it never changes between runs or
machines. Models and rules learn from (and are tuned on) `train` documents only;
`sitrep eval` reports the `test` documents as the unseen figures.
"""

from __future__ import annotations

import hashlib
from typing import Literal

Split = Literal["train", "test"]
TEST_SHARE_PERCENT = 20


def split_of(document_id: str) -> Split:
    """`test` for a stable 20% of document ids, `train` for the rest."""
    bucket = int(hashlib.sha256(document_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "test" if bucket < TEST_SHARE_PERCENT else "train"
