"""Pagination helpers: follow the vendor's next-page pointer until it runs out."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .http import Transport

MAX_PAGES = 1000  # a server that never stops paginating is a bug, not a reason to loop forever


def next_link_items(
    transport: Transport,
    path: str,
    params: Mapping[str, Any] | None = None,
    *,
    items_key: str = "data",
    next_key: str = "nextLink",
) -> Iterator[dict[str, Any]]:
    """Items of a `{data: [...], nextLink: url|null}` listing (UptimeRobot v3).

    Only the `cursor` of a nextLink is followed: the next page is asked of our own endpoint with our own
    parameters. The link itself names the vendor's public host (a proxy or the sandbox is not it), and
    its other parameters are the server's business."""
    page: dict[str, Any] = transport.request("GET", path, params=params) or {}
    for _ in range(MAX_PAGES):
        yield from page.get(items_key) or []
        cursor = _cursor_of(page.get(next_key))
        if cursor is None or not page.get(items_key):
            return
        page = transport.request("GET", path, params={**(params or {}), "cursor": cursor}) or {}
    raise RuntimeError(f"{transport.vendor.name}: {path} paginated past {MAX_PAGES} pages")


def _cursor_of(link: Any) -> str | None:
    if not isinstance(link, str) or not link:
        return None
    cursors = parse_qs(urlsplit(link).query).get("cursor")
    return cursors[0] if cursors else None


_LINK = re.compile(r'<(?P<url>[^>]+)>;\s*rel="(?P<rel>\w+)";\s*results="(?P<results>true|false)"')


def next_link_header(headers: Mapping[str, str]) -> str | None:
    """The `rel="next"` URL of a Sentry `Link` header, when it says more results exist."""
    for match in _LINK.finditer(headers.get("Link", "")):
        if match["rel"] == "next" and match["results"] == "true":
            return match["url"]
    return None


def link_header_items(
    transport: Transport, path: str, params: Mapping[str, Any] | None = None
) -> Iterator[dict[str, Any]]:
    """Items of a list endpoint paginated by `Link` headers (Sentry): follow next while results="true"."""
    reply = transport.exchange("GET", path, params=params)
    for _ in range(MAX_PAGES):
        yield from reply.body or []
        link = next_link_header(reply.headers)
        if not link:
            return
        reply = transport.exchange("GET", link)
    raise RuntimeError(f"{transport.vendor.name}: {path} paginated past {MAX_PAGES} pages")
