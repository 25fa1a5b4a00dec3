"""The fetcher against real local servers that misbehave: stall, loop, never end, fail."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sitrep.errors import InputError
from sitrep.fetch import FetchPolicy, check_url, fetch

LOCAL = FetchPolicy(
    allow_private=True, read_timeout=1.0, connect_timeout=1.0, deadline=3.0, retries=0
)
FAILS_BEFORE_SUCCESS = {"count": 0}


class Misbehaving(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/ok":
            self._answer(200, b"<rss><channel><title>t</title></channel></rss>")
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/to-ok":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.end_headers()
        elif self.path == "/to-localhost":
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{self.server.server_address[1]}/ok")
            self.end_headers()
        elif self.path == "/stall":
            time.sleep(3)
            self._answer(200, b"late")
        elif self.path == "/endless":
            self.send_response(200)
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"x" * 65536)
            except OSError:
                return
        elif self.path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Length", str(10**9))
            self.end_headers()
        elif self.path == "/flaky":
            FAILS_BEFORE_SUCCESS["count"] += 1
            if FAILS_BEFORE_SUCCESS["count"] < 3:
                self._answer(503, b"busy")
            else:
                self._answer(200, b"finally")
        else:
            self._answer(404, b"no")

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_plain_fetch_and_redirect_are_followed(server: str) -> None:
    page = fetch(f"{server}/to-ok", LOCAL)
    assert page.url.endswith("/ok") and page.body.startswith(b"<rss>")


def test_redirect_loop_stops(server: str) -> None:
    with pytest.raises(InputError, match="more than 5 redirects"):
        fetch(f"{server}/loop", LOCAL)


def test_stalling_server_times_out(server: str) -> None:
    with pytest.raises(InputError, match="timed out"):
        fetch(f"{server}/stall", LOCAL)


def test_endless_body_is_capped(server: str) -> None:
    with pytest.raises(InputError, match="byte cap"):
        fetch(f"{server}/endless", FetchPolicy(allow_private=True, max_bytes=1_000_000, retries=0))


def test_declared_huge_body_is_refused_before_reading(server: str) -> None:
    with pytest.raises(InputError, match="over the"):
        fetch(f"{server}/big-declared", LOCAL)


def test_server_errors_are_retried_with_backoff(server: str) -> None:
    slept: list[float] = []
    policy = FetchPolicy(allow_private=True, retries=3, backoff=0.5)
    page = fetch(f"{server}/flaky", policy, sleep=slept.append)
    assert page.body == b"finally"
    assert slept == [0.5, 1.0]


def test_client_errors_are_not_retried(server: str) -> None:
    with pytest.raises(InputError, match="HTTP 404"):
        fetch(f"{server}/missing", FetchPolicy(allow_private=True, retries=3), sleep=lambda s: None)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/feed", "gopher://x", "javascript:alert(1)"]
)
def test_non_http_schemes_are_refused(url: str) -> None:
    with pytest.raises(InputError, match="refused: scheme"):
        check_url(url, FetchPolicy())


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "0.0.0.0",
    ],
)
def test_internal_addresses_are_refused_after_resolution(address: str) -> None:
    def resolver(host: str, port: int) -> list[str]:
        return ["93.184.216.34", address]  # one public and one internal answer

    with pytest.raises(InputError, match="non-public address"):
        check_url("http://news.example/feed", FetchPolicy(), resolve=resolver)


def test_public_address_passes() -> None:
    check_url("https://news.example/feed", FetchPolicy(), resolve=lambda h, p: ["93.184.216.34"])


def test_redirect_to_internal_address_is_refused(server: str) -> None:
    # The resolver vouches for the first host (the test server itself), and says
    # `localhost` is loopback: the redirect hop must be checked and refused.
    def resolver(host: str, port: int) -> list[str]:
        return ["93.184.216.34"] if host == "127.0.0.1" else ["127.0.0.1"]

    with pytest.raises(InputError, match="localhost resolves to non-public"):
        fetch(f"{server}/to-localhost", FetchPolicy(retries=0), resolve=resolver)


def test_loopback_fetch_without_permission_is_refused(server: str) -> None:
    with pytest.raises(InputError, match=r"non-public address 127\.0\.0\.1"):
        fetch(f"{server}/ok", FetchPolicy(retries=0))
