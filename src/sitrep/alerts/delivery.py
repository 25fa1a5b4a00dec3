"""Delivers alerts to a webhook (JSON POST with retries and backoff), a JSONL file or stdout.

Each alert carries an `alert_id` that is the same however often it is sent, so a
receiver can drop a repeat; the watch loop records an alert as delivered only after
the destination accepted it, so an unreachable webhook is retried on later rounds.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from sitrep.alerts.rules import Destination

log = logging.getLogger(__name__)

RETRYABLE_STATUS = {408, 425, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Alert:
    """One rule matched by one canonical event, at one version of that event."""

    alert_id: str
    kind: Literal["new", "update"]
    rule: str
    event_id: str
    event: dict[str, Any]
    sources: list[str] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        return {
            "alert_id": self.alert_id,
            "kind": self.kind,
            "rule": self.rule,
            "event_id": self.event_id,
            "event": self.event,
            "sources": self.sources,
        }


@dataclass
class Backoff:
    """Exponential backoff between webhook attempts, capped, within a total patience."""

    first_delay: float = 1.0
    max_delay: float = 30.0
    patience: float = 120.0

    def delays(self) -> list[float]:
        delays, delay, total = [], self.first_delay, 0.0
        while total + delay <= self.patience:
            delays.append(delay)
            total += delay
            delay = min(delay * 2, self.max_delay)
        return delays


class DeliveryError(Exception):
    """A destination did not accept an alert (after its retries)."""


def deliver(
    alert: Alert,
    destination: Destination,
    backoff: Backoff | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Send one alert to one destination, or raise `DeliveryError`."""
    line = json.dumps(alert.payload(), ensure_ascii=False, default=str)
    if destination.stdout:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    elif destination.jsonl is not None:
        try:
            with destination.jsonl.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            raise DeliveryError(f"{destination.jsonl}: {error.strerror or error}") from None
    elif destination.webhook is not None:
        _post_with_retries(destination.webhook, alert.alert_id, line, backoff or Backoff(), sleep)


def _post_with_retries(
    url: str, alert_id: str, body: str, backoff: Backoff, sleep: Callable[[float], None]
) -> None:
    # A receiver that took the request but never answered may see it again on a retry:
    # the Idempotency-Key (the alert id) lets it drop the repeat.
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "sitrep-alerts",
        "Idempotency-Key": alert_id,
    }
    last_problem = "not attempted"
    for delay in [0.0, *backoff.delays()]:
        if delay:
            sleep(delay)
        try:
            response = httpx.post(url, content=body, headers=headers, timeout=10.0)
        except httpx.HTTPError as error:
            last_problem = type(error).__name__
            log.info("webhook %s unreachable (%s); retrying", url, last_problem)
            continue
        if response.is_success:
            return
        last_problem = f"HTTP {response.status_code}"
        if response.status_code not in RETRYABLE_STATUS:
            break
        log.info("webhook %s answered %s; retrying", url, last_problem)
    raise DeliveryError(f"webhook {url}: {last_problem}")
