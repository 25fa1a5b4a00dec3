"""Every exception sitrep raises, in one hierarchy.

The batch layer catches `DocumentError` per document and moves on; the CLI turns
any `SitrepError` into one line on stderr naming the input and the reason.
"""

from __future__ import annotations


class SitrepError(Exception):
    """Base of all sitrep errors."""


class InputError(SitrepError):
    """An input (file, stream, URL) could not be read at all."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class DocumentError(SitrepError):
    """One document inside an input is unusable; the others go on."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class GoldFormatError(SitrepError):
    """A gold file for `sitrep eval` does not follow ../shared/eval/README.md."""
