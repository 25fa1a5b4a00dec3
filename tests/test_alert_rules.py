from pathlib import Path

import pytest

from sitrep.alerts.delivery import Alert, Backoff, DeliveryError, deliver
from sitrep.alerts.rules import AlertRule, Circle, Destination, load_rules
from sitrep.errors import InputError
from sitrep.models import Actor, Event, Location

ERBIL = Location(name="Erbil", admin1="Erbil", country="Iraq", iso3="IRQ", lat=36.19, lon=44.01)


def strike(**changes: object) -> Event:
    event = Event(
        plover_type="ASSAULT",
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        location=ERBIL,
        fatalities=2,
        actor1=Actor(name="Islamic State (Iraq)", raw="IS jihadists"),
    )
    return event.model_copy(update=changes)


def test_rule_with_every_condition_met_matches() -> None:
    rule = AlertRule(
        name="all",
        event_types=["Explosions/Remote violence"],
        sub_event_types=["Air/drone strike"],
        plover_types=["ASSAULT"],
        near=Circle(lat=36.0, lon=44.0, km=50),
        country="IRQ",
        admin1="erbil",
        min_fatalities=2,
        actor="islamic state",
    )
    assert rule.matches(strike())


@pytest.mark.parametrize(
    "rule",
    [
        AlertRule(name="type", event_types=["Protests"]),
        AlertRule(name="far", near=Circle(lat=33.3, lon=44.4, km=50)),
        AlertRule(name="country", country="Syria"),
        AlertRule(name="deadlier", min_fatalities=3),
        AlertRule(name="actor", actor="Taliban"),
    ],
)
def test_one_unmet_condition_fails(rule: AlertRule) -> None:
    assert not rule.matches(strike())


def test_event_without_place_never_matches_an_area() -> None:
    assert not AlertRule(name="x", near=Circle(lat=0, lon=0, km=1)).matches(strike(location=None))


def test_unknown_fatalities_do_not_meet_a_minimum() -> None:
    assert not AlertRule(name="x", min_fatalities=1).matches(strike(fatalities=None))


def test_rules_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        '[[rule]]\nname = "Erbil"\nnear = { lat = 36.19, lon = 44.01, km = 50 }\n'
        '[[destination]]\njsonl = "out.jsonl"\n'
    )
    rules = load_rules(path)
    assert rules.rule[0].near == Circle(lat=36.19, lon=44.01, km=50)
    assert rules.destination[0].key == "jsonl:out.jsonl"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[rule]\n", "not valid TOML"),
        ('[[rule]]\nname = "x"\nradius = 3\n', "rule.0.radius"),
        ("", "rule: Field required"),
        ('[[rule]]\nname = "x"\n[[destination]]\nstdout = true\njsonl = "a"\n', "exactly one"),
    ],
)
def test_bad_rules_file_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(content)
    with pytest.raises(InputError) as caught:
        load_rules(path)
    assert str(path) in str(caught.value) and message in str(caught.value)


def test_jsonl_destination_appends_one_line_per_alert(tmp_path: Path) -> None:
    out = tmp_path / "alerts.jsonl"
    alert = Alert("a1", "new", "Erbil", "e1", {"event_id": "e1"})
    deliver(alert, Destination(jsonl=out))
    deliver(alert, Destination(jsonl=out))
    assert out.read_text().count('"alert_id": "a1"') == 2


def test_unreachable_webhook_is_retried_with_backoff_then_fails() -> None:
    slept: list[float] = []
    with pytest.raises(DeliveryError):
        deliver(
            Alert("a1", "new", "r", "e1", {}),
            Destination(webhook="http://127.0.0.1:9/hook"),
            backoff=Backoff(first_delay=1, max_delay=4, patience=12),
            sleep=slept.append,
        )
    assert slept == [1, 2, 4, 4]
