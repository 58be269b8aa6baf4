"""Each vendor at a server root of its own, as the vendors' own tools and SDKs expect one.

The main port serves every vendor under a path prefix (``/sentry/api/0/...``), which Lookout's stack config
names. A vendor's own tool knows only the vendor's host: ``sentry-cli`` appends ``/api/0/`` to its URL and
refuses one with a path (getsentry/sentry-cli src/config.rs get_base_url: "not on URL root"), a Sentry SDK
posts to ``/api/<project>/envelope/`` of its DSN's host, PagerDuty's clients append ``/services`` or
``/v2/enqueue`` to theirs. So beside the main port the sandbox listens on one port per host a vendor
answers on (``Vendor.host``), in the order of the app's vendors: port P+1, P+2, ... when the main port P is
given, free ports otherwise. A request there is the request that host would get, served by the same app
under the vendor's mount (the first segment of its prefix), through the same pipeline: authentication,
rate limits, faults, the contract check, the log.

    GET /_control/roots -> 200 {"api.uptimerobot.com": "http://127.0.0.1:18766", ...}

A leaf of the sandbox: the servers (sandbox/serving.py) and the pipeline (sandbox/app.py, state.py) use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol


class _Mounted(Protocol):
    host: str
    prefix: str


@dataclass(frozen=True)
class Root:
    host: str  # the vendor's public host this port stands for, e.g. api.pagerduty.com
    mount: str  # where that host's paths are served on the main port, e.g. /pagerduty


def mount(prefix: str) -> str:
    """The part of a vendor prefix that the vendor's host does not have: ``/sentry`` of ``/sentry/api/0``."""
    return "/" + prefix.strip("/").split("/")[0]


def roots(vendors: Iterable[_Mounted]) -> list[Root]:
    return [Root(vendor.host, mount(vendor.prefix)) for vendor in vendors]


class RootApp:
    """The app as one vendor host serves it: each request's path is taken under that vendor's mount."""

    def __init__(self, app: Callable[..., Iterable[bytes]], root: Root) -> None:
        self._app = app
        self.root = root

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ["PATH_INFO"] = self.root.mount + (environ.get("PATH_INFO") or "/")
        return self._app(environ, start_response)
