"""Fetches feeds and pages over HTTP(S) without letting a hostile URL reach inside the network.

Only http and https are fetched. Unless the caller allows it, a URL whose host
resolves to a private, loopback, link-local, multicast or reserved address is
refused, checked after DNS resolution and again on every redirect (redirects are
followed here, one hop at a time). Every fetch has a connect/read timeout, a
total deadline, a size cap on the body and a bounded number of redirects;
connection errors and 5xx/429 answers are retried with exponential backoff.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from sitrep.errors import InputError

RETRYABLE_STATUS = {429, 500, 502, 503, 504}
REDIRECT_STATUS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class FetchPolicy:
    """Limits of one fetch; the defaults suit feeds and news pages."""

    allow_private: bool = False
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 1.0


@dataclass(frozen=True)
class FetchedPage:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes


Resolver = Callable[[str, int], list[str]]


def resolve_host(host: str, port: int) -> list[str]:
    """Every address the host resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def check_url(url: str, policy: FetchPolicy, resolve: Resolver = resolve_host) -> None:
    """Raise `InputError` unless `url` is http(s) and, by policy, on a public address."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise InputError(url, f"refused: scheme {parts.scheme or '(none)'!r} is not http or https")
    if not parts.hostname:
        raise InputError(url, "refused: no host in URL")
    if policy.allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = resolve(parts.hostname, port)
    except (OSError, UnicodeError) as error:
        raise InputError(url, f"host does not resolve: {error}") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if _is_internal(ip):
            raise InputError(
                url, f"refused: {parts.hostname} resolves to non-public address {address}"
            )


def fetch(
    url: str,
    policy: FetchPolicy | None = None,
    resolve: Resolver = resolve_host,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchedPage:
    """GET `url` within `policy`; any failure is one `InputError` naming the URL."""
    policy = policy or FetchPolicy()
    problem = "not attempted"
    for attempt in range(policy.retries + 1):
        if attempt:
            sleep(policy.backoff * 2 ** (attempt - 1))
        try:
            return _fetch_once(url, policy, resolve)
        except _Retryable as error:
            problem = str(error)
    raise InputError(url, f"{problem} (after {policy.retries + 1} attempts)")


class _Retryable(Exception):
    """A failure worth another attempt: connection trouble, 5xx, 429."""


def _fetch_once(url: str, policy: FetchPolicy, resolve: Resolver) -> FetchedPage:
    timeout = httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout)
    started = time.monotonic()
    current = url
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for _hop in range(policy.max_redirects + 1):
            check_url(current, policy, resolve)
            try:
                with client.stream("GET", current, headers={"User-Agent": "sitrep"}) as response:
                    if response.status_code in REDIRECT_STATUS:
                        location = response.headers.get("location")
                        if not location:
                            raise InputError(
                                url, f"redirect {response.status_code} without Location"
                            )
                        current = urljoin(current, location)
                        continue
                    if response.status_code in RETRYABLE_STATUS:
                        raise _Retryable(f"HTTP {response.status_code}")
                    if not response.is_success:
                        raise InputError(url, f"HTTP {response.status_code}")
                    body = _read_capped(response, policy, started, url)
                    return FetchedPage(
                        url=current,
                        status=response.status_code,
                        content_type=response.headers.get("content-type", ""),
                        body=body,
                    )
            except httpx.TimeoutException:
                raise _Retryable("timed out") from None
            except httpx.TransportError as error:
                raise _Retryable(f"connection failed ({type(error).__name__})") from None
    raise InputError(url, f"more than {policy.max_redirects} redirects")


def _read_capped(response: httpx.Response, policy: FetchPolicy, started: float, url: str) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise InputError(url, f"body of {declared} bytes is over the {policy.max_bytes} byte cap")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > policy.max_bytes:
            raise InputError(url, f"body is over the {policy.max_bytes} byte cap")
        if time.monotonic() - started > policy.deadline:
            raise _Retryable(f"took over the {policy.deadline:g} s deadline")
        chunks.append(chunk)
    return b"".join(chunks)


def _is_internal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return _is_internal(ip.ipv4_mapped)
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )
