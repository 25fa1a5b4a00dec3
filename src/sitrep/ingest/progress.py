"""Ingest progress: a live bar on a terminal, plain log lines in logs and pipes."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

from tqdm import tqdm

# How often the plain log line is written when stderr is not a terminal.
LOG_EVERY_SECONDS = 10.0


@dataclass
class IngestTotals:
    """What an ingest run did: new documents and events, errors, inputs already stored."""

    documents: int = 0
    events: int = 0
    errors: int = 0
    skipped: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def seconds(self) -> float:
        return max(1e-9, time.monotonic() - self.started)

    def summary(self) -> str:
        rate = self.documents / self.seconds
        return (
            f"{self.documents} documents ({rate:.1f}/s), {self.events} events, "
            f"{self.errors} errors, {self.skipped} already stored, in {self.seconds:.1f} s"
        )


class IngestProgress:
    """Reports `IngestTotals` as they change: tqdm on a terminal, else a line every few seconds."""

    def __init__(
        self, totals: IngestTotals, stream: TextIO | None = None, live: bool | None = None
    ):
        self.totals = totals
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self._last_line = time.monotonic()
        self._bar: tqdm[None] | None = None
        if self.live:
            self._bar = tqdm(file=self.stream, unit="doc", desc="ingest", dynamic_ncols=True)

    def update(self, documents: int = 0) -> None:
        if self._bar is not None:
            self._bar.update(documents)
            self._bar.set_postfix(
                events=self.totals.events,
                errors=self.totals.errors,
                skipped=self.totals.skipped,
                refresh=False,
            )
        elif time.monotonic() - self._last_line >= LOG_EVERY_SECONDS:
            self._last_line = time.monotonic()
            self.stream.write(f"ingest: {self.totals.summary()}\n")
            self.stream.flush()

    def close(self, interrupted: bool = False) -> None:
        if self._bar is not None:
            self._bar.close()
        if interrupted:
            line = f"interrupted after {self.totals.summary()}; run it again to resume"
        else:
            line = f"done: {self.totals.summary()}"
        self.stream.write(f"ingest: {line}\n")
        self.stream.flush()
