"""Render API: connection settings and service lookup shared by every Render spec."""

from __future__ import annotations

import difflib
import re
from typing import Any

from transport import Expected, RateLimitHeaders, Transport, Vendor, json_error_message
from transport.listings import LISTINGS

from .. import settings

DEFAULT_ENDPOINT = "https://api.render.com/v1"

_SERVICE_ACTION = re.compile(r"^/services/([^/]+)(?:/(deploys|suspend|resume))?/?$")


def rate_class(method: str, path: str) -> tuple[str, int]:
    """Render limits endpoint classes apart (docs/vendors/render.md, rate limits): a service's PATCH, deploys,
    suspend and resume 10/min per service; other writes 30/min; reads 400/min. The headers of an answer
    describe its class, so each class keeps its own window."""
    action = _SERVICE_ACTION.match(path)
    if action and ((method == "PATCH" and not action[2]) or (method == "POST" and action[2])):
        return f"service {action[1]}", 10
    if method in ("GET", "HEAD", "OPTIONS"):
        return "read", 400
    return "write", 30


VENDOR = Vendor(
    name="render",
    parse_error=json_error_message,  # {id?, message}
    # Ratelimit-Reset counts seconds until the window ends (live values 45, 24), although documented as epoch.
    rate_limit_headers=RateLimitHeaders("Ratelimit-Limit", "Ratelimit-Remaining", "Ratelimit-Reset"),
    request_id_header="Render-Request-Id",
    rate_class=rate_class,
)


def client() -> Transport:
    endpoint = settings.get("render:endpoint") or DEFAULT_ENDPOINT
    key = settings.require_secret(
        "render:apiKey", "Run `pulumi config set --secret render:apiKey <API key>` or set RENDER_API_KEY."
    )
    return settings.connect(VENDOR, endpoint, key)


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
    if ref.startswith(("srv-", "crn-")):
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


class ServiceNotFound(Expected, LookupError):
    pass


class ServiceSuspended(Expected, RuntimeError):
    pass
