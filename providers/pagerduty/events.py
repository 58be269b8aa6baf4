"""PagerDuty Events API v2 (specs/pagerduty-events-v2-openapi.json): what a monitoring tool sends to page
(`trigger`, then `resolve` with the same dedup key). The routing key in the body is the credential."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from transport import Transport, Vendor, register_secret

from .. import settings

if TYPE_CHECKING:
    import requests

DEFAULT_ENDPOINT = "https://events.pagerduty.com/v2"


def parse_error(response: requests.Response) -> tuple[str, str | None]:
    """`{"status", "message", "errors": [...]}`."""
    try:
        body = response.json()
    except ValueError:
        return (response.text.strip() or response.reason or "")[:300], None
    if not isinstance(body, dict):
        return str(body)[:300], None
    reasons = "; ".join(str(e) for e in body.get("errors") or [])
    message = str(body.get("message") or body.get("status") or response.reason)
    return (f"{message}: {reasons}" if reasons else message), None


@dataclass(frozen=True)
class EventsVendor(Vendor):
    def auth_headers(self, token: str) -> dict[str, str]:
        return {"Content-Type": "application/json"}  # no header: the routing key travels in the body


# About 120 events a minute per routing key (reference/pagerduty.md, Events API v2).
VENDOR = EventsVendor(name="pagerduty-events", parse_error=parse_error, requests_per_window=120)


def client() -> Transport:
    endpoint = settings.get("pagerduty:eventsEndpoint") or DEFAULT_ENDPOINT
    return settings.connect(VENDOR, endpoint, "events")


def send(
    transport: Transport, routing_key: str, action: str, dedup_key: str, **payload: Any
) -> dict[str, Any]:
    """One event; `payload` (summary, severity, source, ...) for a trigger. Answers {status, dedup_key}."""
    register_secret(routing_key)
    body: dict[str, Any] = {"routing_key": routing_key, "event_action": action, "dedup_key": dedup_key}
    if payload:
        body["payload"] = payload
    answer: dict[str, Any] = transport.request("POST", "/enqueue", json_body=body, idempotent=True) or {}
    return answer


def change(transport: Transport, routing_key: str, summary: str, **fields: Any) -> None:
    """A change event (a deploy): on the service's timeline, paging nobody. `fields`: timestamp, source,
    custom_details (in the payload) and links (beside it), as createChangeEvent has them."""
    register_secret(routing_key)
    links = fields.pop("links", None)
    body: dict[str, Any] = {"routing_key": routing_key, "payload": {"summary": summary, **fields}}
    if links:
        body["links"] = links
    transport.request("POST", "/change/enqueue", json_body=body, idempotent=False)
