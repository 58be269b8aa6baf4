"""PagerDuty REST API v2: connection settings, errors, offset pagination, wrapped bodies and references
(reference/pagerduty.md; specs/pagerduty-rest-openapi.json)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from transport import RateLimitHeaders, Transport, Vendor
from transport.pagination import MAX_PAGES

from .. import settings

if TYPE_CHECKING:
    import requests

DEFAULT_ENDPOINT = "https://api.pagerduty.com"
PAGE_SIZE = 100  # the largest `limit` of offset pagination


def parse_error(response: requests.Response) -> tuple[str, str | None]:
    """`{"error": {"message", "code", "errors": [...]}}`: the message with its reasons, and the code."""
    try:
        body = response.json()
    except ValueError:
        return (response.text.strip() or response.reason or "")[:300], None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return str(body)[:300], None
    reasons = error.get("errors") or []
    message = str(error.get("message") or response.reason or "")
    if reasons:
        message += ": " + "; ".join(str(r) for r in reasons)
    code = error.get("code")
    return message, str(code) if code is not None else None


@dataclass(frozen=True)
class PagerDutyVendor(Vendor):
    def auth_headers(self, token: str) -> dict[str, str]:
        return {
            "Authorization": f"Token token={token}",
            "Accept": "application/vnd.pagerduty+json;version=2",
            "Content-Type": "application/json",  # the spec requires it on every operation, reads included
        }


VENDOR = PagerDutyVendor(
    name="pagerduty",
    parse_error=parse_error,
    # ratelimit-reset counts seconds until the window resets (reference/pagerduty.md, rate limit).
    rate_limit_headers=RateLimitHeaders("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"),
    requests_per_window=960,
    window_seconds=60.0,
)


def client() -> Transport:
    endpoint = settings.get("pagerduty:endpoint") or DEFAULT_ENDPOINT
    token = settings.require_secret(
        "pagerduty:token",
        "Run `pulumi config set --secret pagerduty:token <REST API key>` or set PAGERDUTY_TOKEN.",
    )
    return settings.connect(VENDOR, endpoint, token)


def list_all(transport: Transport, path: str, plural: str, **params: Any) -> list[dict[str, Any]]:
    return list(_pages(transport, path, plural, {k: v for k, v in params.items() if v is not None}))


def _pages(transport: Transport, path: str, plural: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Offset pagination: `limit`/`offset` until `more` is false."""
    offset = 0
    for _ in range(MAX_PAGES):
        page = transport.request("GET", path, params={**params, "limit": PAGE_SIZE, "offset": offset}) or {}
        items = page.get(plural) or []
        yield from items
        if not page.get("more") or not items:
            return
        offset += len(items)
    raise RuntimeError(f"pagerduty: {path} paginated past {MAX_PAGES} pages")


def ref(id_: str, kind: str) -> dict[str, str]:
    """A reference to another object, as request bodies take them: `{"id", "type": "<kind>_reference"}`."""
    return {"id": id_, "type": f"{kind}_reference"}


def policy_ref(id_: str) -> dict[str, str]:
    return ref(id_, "escalation_policy")


def one(reply: Any, singular: str) -> dict[str, Any]:
    """The object of a `{"<singular>": {...}}` answer (a write recovered by a lookup is the object itself)."""
    reply = reply or {}
    found: dict[str, Any] = reply.get(singular, reply)
    return found
