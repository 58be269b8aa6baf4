"""One check over the network, as a vendor's checker makes it: an HTTP(S) request or a TCP connect to a host
of the plan, found through the sandbox's name service (sandbox/hosts.py).

The answer says what a checker can see and nothing more: the status, the body, the served certificate's
expiry, or why nothing came back (the name does not resolve, the connection is refused, the time ran out, the
TLS handshake failed). Verdicts (up or down) are the vendor's rules, in its package
(sandbox/uptimerobot/verdict.py for UptimeRobot).
"""

from __future__ import annotations

import functools
import http.client
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from cryptography import x509

from sandbox import hosts

MAX_BODY = 1 << 20  # bytes of a body kept for keyword matching
MAX_REDIRECTS = 10  # how many a checker follows (UptimeRobot does not say; deviation uptimerobot-redirects)
REDIRECTS = (301, 302, 303, 307, 308)

# Why a check got no HTTP answer.
NO_SUCH_HOST, REFUSED, TIMEOUT, TLS, RESET = "dns", "refused", "timeout", "tls", "reset"


@dataclass(frozen=True)
class Answer:
    url: str  # the URL that answered (after redirects)
    status: int | None = None  # None: no HTTP answer (see `error`)
    body: str = ""
    error: str | None = None  # NO_SUCH_HOST, REFUSED, TIMEOUT, TLS or RESET
    detail: str = ""  # the error's own words
    elapsed_ms: int = 0
    certificate_expires: float | None = None  # the served certificate's notAfter (Unix time), HTTPS only
    headers: dict[str, str] = field(default_factory=dict)


def fetch(
    url: str,
    *,
    method: str = "GET",
    timeout: float = 30.0,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    follow: bool = True,
    verify: bool = False,
) -> Answer:
    """`method url` with `timeout` seconds for the whole exchange; redirects followed when `follow`.
    `verify` checks the certificate chain, name and dates against the sandbox's trusted CA."""
    started = time.monotonic()
    for _ in range(MAX_REDIRECTS + 1):
        answer = _exchange(url, method, timeout, headers or {}, body, verify, started)
        location = answer.headers.get("location")
        if not (follow and answer.status in REDIRECTS and location):
            return answer
        url = urljoin(url, location)
        if answer.status == 303 or (answer.status in (301, 302) and method == "POST"):
            method, body = "GET", None
    return answer


def connect(host: str, port: int, timeout: float = 30.0) -> Answer:
    """A TCP connection to `host:port`, closed at once (a port check)."""
    started = time.monotonic()
    target = f"{host}:{port}"
    address = hosts.resolve(host, port)
    if address is None:
        return _unreachable(target, host, port)
    try:
        socket.create_connection(address, timeout).close()
    except TimeoutError:
        return Answer(target, error=TIMEOUT, detail=f"no connection within {timeout:g} s")
    except OSError as refused:
        return Answer(target, error=REFUSED, detail=str(refused))
    return Answer(target, elapsed_ms=_ms(started))


def _exchange(
    url: str,
    method: str,
    timeout: float,
    headers: dict[str, str],
    body: bytes | None,
    verify: bool,
    started: float,
) -> Answer:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = hosts.resolve(host, port)
    if address is None:
        return _unreachable(url, host, port)
    left = max(0.001, timeout - (time.monotonic() - started))
    connection = _Connection(parts.scheme == "https", host, address, left, verify)
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path, body=body, headers={"Host": parts.netloc, **headers})
        response = connection.getresponse()
        data = b"" if method == "HEAD" else response.read(MAX_BODY)
    except TimeoutError:
        return Answer(url, error=TIMEOUT, detail=f"no answer within {timeout:g} s", elapsed_ms=_ms(started))
    except ssl.SSLError as failed:
        why = getattr(failed, "verify_message", None) or failed.reason or str(failed)
        return Answer(url, error=TLS, detail=why, elapsed_ms=_ms(started))
    except ConnectionRefusedError as refused:
        return Answer(url, error=REFUSED, detail=str(refused), elapsed_ms=_ms(started))
    except (OSError, http.client.HTTPException) as broken:
        return Answer(url, error=RESET, detail=str(broken) or type(broken).__name__, elapsed_ms=_ms(started))
    finally:
        expires = connection.certificate_expires
        connection.close()
    return Answer(
        url,
        status=response.status,
        body=data.decode(response.headers.get_content_charset() or "utf-8", "replace"),
        elapsed_ms=_ms(started),
        certificate_expires=expires,
        headers={name.lower(): value for name, value in response.getheaders()},
    )


class _Connection(http.client.HTTPConnection):
    """A connection to `address` for `host`: TLS with `host` as the server name when `tls`."""

    def __init__(self, tls: bool, host: str, address: tuple[str, int], timeout: float, verify: bool) -> None:
        super().__init__(address[0], address[1], timeout=timeout)
        self.tls, self.server_name, self.verify = tls, host, verify
        self.certificate_expires: float | None = None

    def connect(self) -> None:
        super().connect()
        if not self.tls:
            return
        context = _context(hosts.trusted(), self.verify)
        self.sock = context.wrap_socket(self.sock, server_hostname=self.server_name)
        served = self.sock.getpeercert(binary_form=True)
        if served:
            expiry = x509.load_der_x509_certificate(served).not_valid_after_utc
            self.certificate_expires = expiry.timestamp()


@functools.lru_cache(maxsize=8)
def _context(trusted: str, verify: bool) -> ssl.SSLContext:
    """The client's TLS settings, made once per trusted CA: each check still connects and shakes hands
    afresh (a context resumes no session unless asked to)."""
    context = ssl.create_default_context(cadata=trusted or None)
    if not verify:
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return context


def _unreachable(target: str, host: str, port: int) -> Answer:
    if hosts.known(host):  # the host exists; nothing listens on that port
        return Answer(target, error=REFUSED, detail=f"connection to {host}:{port} refused")
    return Answer(target, error=NO_SUCH_HOST, detail=f"{host} does not resolve")


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
