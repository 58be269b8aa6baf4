"""Pagination helpers: follow the vendor's next-page pointer until it runs out."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

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
    """Items of a `{data: [...], nextLink: url|null}` listing (UptimeRobot v3)."""
    page: dict[str, Any] = transport.request("GET", path, params=params) or {}
    for _ in range(MAX_PAGES):
        yield from page.get(items_key) or []
        link = page.get(next_key)
        if not link or not page.get(items_key):
            return
        page = transport.request("GET", link) or {}
    raise RuntimeError(f"{transport.vendor.name}: {path} paginated past {MAX_PAGES} pages")
