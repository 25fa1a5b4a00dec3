"""The dashboard in headless Chromium (Debian's, driven by Playwright) against a real server."""

from __future__ import annotations

import io
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from api_store import SCRIPT_TITLE, build_store
from sitrep.api.app import Settings, create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("dash") / "store.db"
    build_store(path).dispose()
    port = _free_port()
    config = uvicorn.Config(
        create_app(Settings(db=str(path))), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object, base_url: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.goto(base_url + "/")
    opened.wait_for_selector("body[data-ready='true']", timeout=20_000)
    opened.dialogs = dialogs
    yield opened
    context.close()


def test_map_list_and_timeline_show_the_events(page: object) -> None:
    assert page.locator("path.event-marker").count() == 4  # type: ignore[attr-defined]
    assert page.locator("#events tbody tr").count() == 4  # type: ignore[attr-defined]
    assert page.locator("#count").inner_text() == "4 events"  # type: ignore[attr-defined]
    assert page.locator("#timeline rect.bar").count() == 20  # type: ignore[attr-defined]


def test_filter_bar_narrows_map_and_list(page: object) -> None:
    page.select_option("#f-type", "Protests")  # type: ignore[attr-defined]
    page.click("#filters button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_function("document.querySelector('#count').textContent === '1 events'")  # type: ignore[attr-defined]
    assert page.locator("path.event-marker").count() == 1  # type: ignore[attr-defined]


def test_brushing_the_timeline_filters_by_date(page: object) -> None:
    box = page.locator("#timeline").bounding_box()  # type: ignore[attr-defined]
    # The timeline runs 2021-07-10 .. 2021-07-29 in 20 day-bars after a 28 px margin;
    # drag over the first nine days: the strikes of 10 and 17 July lie there, not the
    # protest of 20 July nor the rockets of 29 July.
    step = (box["width"] - 28 - 6) / 20
    start_x = box["x"] + 28 + 2
    end_x = box["x"] + 28 + step * 9 - 2
    y = box["y"] + box["height"] / 2
    page.mouse.move(start_x, y)  # type: ignore[attr-defined]
    page.mouse.down()  # type: ignore[attr-defined]
    page.mouse.move(end_x, y, steps=5)  # type: ignore[attr-defined]
    page.mouse.up()  # type: ignore[attr-defined]
    page.wait_for_function("document.querySelector('#count').textContent === '2 events'")  # type: ignore[attr-defined]
    assert page.locator("path.event-marker").count() == 2  # type: ignore[attr-defined]
    assert page.input_value("#f-since") == "2021-07-10"  # type: ignore[attr-defined]
    assert page.input_value("#f-until") == "2021-07-18"  # type: ignore[attr-defined]


def test_event_page_highlights_evidence_and_escapes_article_text(page: object) -> None:
    page.click("#events tbody tr:has-text('Peaceful protest')")  # type: ignore[attr-defined]
    page.wait_for_selector("#detail .source")  # type: ignore[attr-defined]
    source = page.locator("#detail .source")  # type: ignore[attr-defined]
    assert SCRIPT_TITLE in source.locator("h3").inner_text()
    assert "<script>window.__pwned = 1</script>" in source.locator(".body").inner_text()
    assert page.evaluate("window.__pwned") is None  # type: ignore[attr-defined]
    assert page.locator("#detail script, #detail b").count() == 0  # type: ignore[attr-defined]
    marks = source.locator("mark")
    assert {marks.nth(i).get_attribute("data-field") for i in range(marks.count())} >= {"sentence"}
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_screenshot_of_the_map_shows_the_event_markers(page: object) -> None:
    from PIL import Image

    page.locator("#map").scroll_into_view_if_needed()  # type: ignore[attr-defined]
    png = page.locator("#map").screenshot()  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "dashboard-map.png").write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []

    # Explosions/Remote violence markers are #e67e22 and the protest #2980b9 (anti-aliased
    # edges blend, so count pixels near each colour); the land is #f2efe6, the sea #cfe0ec.
    def near(target: tuple[int, int, int]) -> int:
        return sum(
            count
            for count, rgb in colours
            if sum(abs(a - b) for a, b in zip(rgb, target, strict=True)) < 40
        )

    assert near((0xE6, 0x7E, 0x22)) > 50, "no orange event markers on the map"
    assert near((0x29, 0x80, 0xB9)) > 20, "no blue protest marker on the map"
    assert near((0xF2, 0xEF, 0xE6)) > 10_000, "no land drawn: the offline base map is missing"
