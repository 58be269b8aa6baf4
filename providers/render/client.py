"""Render API: connection settings and service lookup shared by every Render spec."""

from __future__ import annotations

import difflib
from typing import Any

from .. import settings
from ..transport import RateLimitHeaders, Transport, Vendor, json_error_message
from ..transport.listings import LISTINGS
from ..transport.shared import shared_transport

DEFAULT_ENDPOINT = "https://api.render.com/v1"

VENDOR = Vendor(
    name="render",
    parse_error=json_error_message,  # {id?, message}
    # Limits differ per endpoint class (PATCH/deploy 10/min/service, writes 30/min, reads 400/min), so one
    # client-side window would throttle reads by the write limit: only a 429's Reset (seconds) is used.
    rate_limit_headers=RateLimitHeaders(reset="Ratelimit-Reset"),
    request_id_header="Render-Request-Id",
)


def client() -> Transport:
    endpoint = settings.get("render:endpoint") or DEFAULT_ENDPOINT
    key = settings.require_secret(
        "render:apiKey", "Run `pulumi config set --secret render:apiKey <API key>` or set RENDER_API_KEY."
    )
    return shared_transport(VENDOR, endpoint, key, settings.read_timeout(), settings.clock_for(endpoint))


def owner_id(explicit: str | None = None) -> str:
    owner = explicit or settings.get("render:ownerId")
    if not owner:
        raise settings.MissingCredential(
            "render:ownerId is not set. Run `pulumi config set render:ownerId tea-...` "
            "(GET /owners lists the workspaces your key reaches)."
        )
    return owner


def pages(transport: Transport, path: str, item: str, **params: Any) -> list[dict[str, Any]]:
    """Unwrap `[{cursor, <item>}]` pages; the list ends with an empty page."""
    query = {k: v for k, v in params.items() if v is not None}
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = transport.request(
            "GET", path, params={**query, "limit": 100, **({"cursor": cursor} if cursor else {})}
        )
        if not page:
            return found
        found += [entry[item] for entry in page]
        cursor = page[-1].get("cursor")
        if not cursor:
            return found


def service(transport: Transport, ref: str, owner: str | None = None) -> dict[str, Any]:
    """A service by id (`srv-...`), or by exact name within the owner (previews excluded). A name is
    looked up once per provider process: N env vars of one service cost one lookup, not N."""
    if ref.startswith("srv-"):
        return transport.request("GET", f"/services/{ref}")
    owner = owner_id(owner)
    key = (transport.account, "render:Service", owner, ref)
    return LISTINGS.load(key, transport.clock, lambda: [_lookup(transport, ref, owner)], lambda _: ref)[ref]


def _lookup(transport: Transport, ref: str, owner: str) -> dict[str, Any]:
    matches = pages(transport, "/services", "service", name=ref, ownerId=owner, includePreviews="false")
    exact = [s for s in matches if s.get("name") == ref]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        ids = ", ".join(s["id"] for s in exact)
        raise ServiceNotFound(f"{len(exact)} Render services are named '{ref}' ({ids}); refer to one by id")
    names = [
        s["name"] for s in pages(transport, "/services", "service", ownerId=owner, includePreviews="false")
    ]
    close = difflib.get_close_matches(ref, names, n=3, cutoff=0.6)
    hint = (
        f" Did you mean {', '.join(repr(c) for c in close)}?"
        if close
        else f" Services: {', '.join(sorted(names))}."
    )
    raise ServiceNotFound(f"no Render service named '{ref}' in workspace {owner}.{hint}")


def writable(svc: dict[str, Any]) -> dict[str, Any]:
    """Refuse to act on a suspended service (its deploys fail; retrying cannot help)."""
    if svc.get("suspended") == "suspended":
        why = ", ".join(svc.get("suspenders") or []) or "unknown"
        raise ServiceSuspended(
            f"Render service '{svc.get('name')}' ({svc.get('id')}) is suspended (by: {why}). Resume it in "
            "the Render dashboard (or POST /services/{id}/resume) and run again."
        )
    return svc


class ServiceNotFound(LookupError):
    pass


class ServiceSuspended(RuntimeError):
    pass
