"""`sitrep watch`: ingest on a schedule, match the rules, deliver each alert once.

Each round ingests the inputs (folders, files, feed URLs) into the store, then
looks at every happening with a report ingested since the watch began, and for
each rule it matches and each destination compares the happening's version
(deaths, injuries, sources) with what that destination was last sent: nothing
sent yet is a `new` alert, a different version an `update`, the same version
nothing. A delivery is recorded only after the destination accepted it, so a
webhook that is down gets the alert on a later round, once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select, update

from sitrep.alerts.delivery import Alert, Backoff, DeliveryError, deliver
from sitrep.alerts.rules import AlertRule, Destination, RuleSet
from sitrep.store.query import EventFilter, query_events
from sitrep.store.records import StoredEvent
from sitrep.store.schema import alert_deliveries

log = logging.getLogger(__name__)


@dataclass
class RoundReport:
    """What one round did, for the log line and the tests."""

    documents: int = 0
    events_seen: int = 0
    delivered: list[Alert] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def summary(self, number: int) -> str:
        return (
            f"round {number}: {self.documents} new documents, {self.events_seen} happenings "
            f"checked, {len(self.delivered)} alerts sent, {len(self.failed)} not delivered"
        )


def happening_version(stored: StoredEvent) -> str:
    """What makes an update worth sending: casualties, sources, type and place."""
    event = stored.event
    place = event.location
    key = {
        "fatalities": event.fatalities,
        "injuries": event.injuries,
        "sources": sorted(stored.sources),
        "members": stored.members,
        "sub_event_type": event.sub_event_type,
        "place": [place.name, place.lat, place.lon] if place else None,
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()[:32]


def evaluate_round(
    engine: Engine,
    rules: RuleSet,
    since: datetime,
    backoff: Backoff | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> RoundReport:
    """Match and deliver over every happening with a report ingested at or after `since`."""
    report = RoundReport()
    with engine.connect().execution_options(sitrep_read_only=True) as connection:
        page = query_events(connection, EventFilter(ingested_since=since, limit=None))
    report.events_seen = len(page.events)
    for stored in sorted(page.events, key=lambda item: item.canonical_uid):
        version = happening_version(stored)
        for rule in rules.rule:
            if not rule.matches(stored.event):
                continue
            for destination in rules.destination:
                _deliver_once(engine, rule, destination, stored, version, report, backoff, sleep)
    return report


def _deliver_once(
    engine: Engine,
    rule: AlertRule,
    destination: Destination,
    stored: StoredEvent,
    version: str,
    report: RoundReport,
    backoff: Backoff | None,
    sleep: Callable[[float], None],
) -> None:
    key = (
        alert_deliveries.c.rule == rule.name,
        alert_deliveries.c.canonical_uid == stored.canonical_uid,
        alert_deliveries.c.destination == destination.key,
    )
    with engine.connect() as connection:
        sent = connection.execute(select(alert_deliveries.c.version).where(*key)).scalar()
    if sent == version:
        return
    alert_id = hashlib.sha256(f"{rule.name}|{stored.canonical_uid}|{version}".encode()).hexdigest()
    alert = Alert(
        alert_id=alert_id[:32],
        kind="new" if sent is None else "update",
        rule=rule.name,
        event_id=stored.canonical_uid,
        event=stored.event.model_dump(mode="json"),
        sources=stored.sources,
    )
    try:
        deliver(alert, destination, backoff=backoff, sleep=sleep)
    except DeliveryError as error:
        report.failed.append(str(error))
        log.warning("alert %s not delivered: %s", alert.alert_id, error)
        return
    row = {"version": version, "alert_id": alert.alert_id, "delivered_at": datetime.now(UTC)}
    with engine.begin() as connection:
        if sent is None:
            connection.execute(
                insert(alert_deliveries).values(
                    rule=rule.name,
                    canonical_uid=stored.canonical_uid,
                    destination=destination.key,
                    **row,
                )
            )
        else:
            connection.execute(update(alert_deliveries).where(*key).values(**row))
    report.delivered.append(alert)


def watch(
    engine: Engine,
    rules: RuleSet,
    inputs: Sequence[str],
    every_seconds: float,
    rounds: int | None = None,
    since: datetime | None = None,
    ingest: Callable[[Sequence[str]], int] | None = None,
    backoff: Backoff | None = None,
    sleep: Callable[[float], None] = time.sleep,
    on_round: Callable[[int, RoundReport], None] | None = None,
) -> list[RoundReport]:
    """Run rounds every `every_seconds` (forever when `rounds` is None)."""
    started = since or datetime.now(UTC)
    reports = []
    number = 0
    while rounds is None or number < rounds:
        number += 1
        began = time.monotonic()
        documents = ingest(inputs) if ingest is not None and inputs else 0
        report = evaluate_round(engine, rules, started, backoff, sleep)
        report.documents = documents
        reports.append(report)
        if on_round is not None:
            on_round(number, report)
        if rounds is not None and number >= rounds:
            break
        sleep(max(0.0, every_seconds - (time.monotonic() - began)))
    return reports
