"""`sitrep watch`: rules over a real store, sent once, changes as updates, to a real receiver."""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from api_store import ERBIL, _document, _event, build_store
from sitrep.alerts.delivery import Backoff
from sitrep.alerts.rules import AlertRule, Destination, RuleSet
from sitrep.alerts.watch import evaluate_round
from sitrep.cli import main
from sitrep.store import write_document

BEFORE = datetime.now(UTC) - timedelta(minutes=5)
IRAQ_VIOLENCE = AlertRule(name="Iraq violence", country="Iraq", plover_types=["ASSAULT"])


def second_report_of_the_first_strike(killed: int) -> object:
    day = date(2021, 7, 10)
    body = (
        f"ERBIL — The death toll of the drone strike on an air base near Erbil on "
        f"{day:%d %B %Y} rose to {killed}, killing {killed} people in all, a medic said."
    )
    sentence = body.split(" — ", 1)[1]
    coded = _document(
        f"erbil-update-{killed}",
        "Erbil strike toll rises",
        body,
        day,
        [
            _event(
                body,
                sentence,
                "Erbil",
                event_type="Explosions/Remote violence",
                sub_event_type="Air/drone strike",
                date=day,
                date_earliest=day,
                date_latest=day,
                time_precision=1,
                location=ERBIL,
                fatalities=killed,
                weapon="drone",
            )
        ],
    )
    coded.source = f"Other Wire {killed}"
    return coded


def test_each_match_is_delivered_once_and_a_change_as_an_update(tmp_path: Path) -> None:
    engine = build_store(tmp_path / "store.db")
    out = tmp_path / "alerts.jsonl"
    rules = RuleSet(rule=[IRAQ_VIOLENCE], destination=[Destination(jsonl=out)])

    first = evaluate_round(engine, rules, BEFORE)
    assert sorted(a.kind for a in first.delivered) == ["new", "new", "new"]
    assert evaluate_round(engine, rules, BEFORE).delivered == []

    write_document(engine, second_report_of_the_first_strike(5))  # type: ignore[arg-type]
    third = evaluate_round(engine, rules, BEFORE)
    (update,) = third.delivered
    assert update.kind == "update"
    assert len(update.sources) == 2
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["kind"] for line in lines] == ["new", "new", "new", "update"]
    assert len({line["alert_id"] for line in lines}) == 4


def test_only_happenings_reported_since_the_watch_began_are_checked(tmp_path: Path) -> None:
    engine = build_store(tmp_path / "store.db")
    rules = RuleSet(rule=[IRAQ_VIOLENCE], destination=[Destination(jsonl=tmp_path / "a.jsonl")])
    assert evaluate_round(engine, rules, datetime.now(UTC) + timedelta(seconds=1)).delivered == []


class Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, object]]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        Receiver.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_webhook_down_for_30_seconds_still_gets_each_alert_exactly_once(tmp_path: Path) -> None:
    engine = build_store(tmp_path / "store.db")
    port = _free_port()
    Receiver.received = []
    servers: list[ThreadingHTTPServer] = []

    def come_up() -> None:
        servers.append(ThreadingHTTPServer(("127.0.0.1", port), Receiver))
        servers[0].serve_forever()

    # Nothing listens on the port until 30 s after the first delivery attempt.
    starter = threading.Timer(30.0, come_up)
    starter.daemon = True
    rules = RuleSet(
        rule=[IRAQ_VIOLENCE], destination=[Destination(webhook=f"http://127.0.0.1:{port}/hook")]
    )
    began = time.monotonic()
    starter.start()
    try:
        report = evaluate_round(
            engine, rules, BEFORE, backoff=Backoff(first_delay=1, max_delay=8, patience=90)
        )
        again = evaluate_round(engine, rules, BEFORE)
    finally:
        starter.cancel()
        for server in servers:
            server.shutdown()
            server.server_close()
    assert time.monotonic() - began >= 30
    assert report.failed == [] and len(report.delivered) == 3
    assert again.delivered == [] and again.failed == []
    ids = [alert["alert_id"] for alert in Receiver.received]
    assert sorted(ids) == sorted(a.alert_id for a in report.delivered)
    assert len(ids) == len(set(ids)) == 3


def test_watch_command_runs_rounds_over_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "story.txt").write_text(
        "Gunmen attack in Kirkuk\n\nKIRKUK, Iraq — Gunmen attacked a checkpoint in Kirkuk.\n"
    )
    rules_file = tmp_path / "rules.toml"
    out = tmp_path / "alerts.jsonl"
    rules_file.write_text(f'[[rule]]\nname = "all"\n[[destination]]\njsonl = "{out}"\n')
    result = CliRunner().invoke(
        main,
        [
            "watch",
            str(folder),
            "--db",
            str(tmp_path / "w.db"),
            "--rules",
            str(rules_file),
            "--rounds",
            "2",
            "--every",
            "0",
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "round 1: 1 new documents" in result.output
    assert "round 2: 0 new documents" in result.output


def test_watch_command_reports_a_bad_rules_file_in_one_line(tmp_path: Path) -> None:
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text("[[rule]\n")
    result = CliRunner().invoke(
        main, ["watch", "--db", str(tmp_path / "w.db"), "--rules", str(rules_file), "--rounds", "1"]
    )
    assert result.exit_code == 1
    assert f"{rules_file}: not valid TOML" in result.output
