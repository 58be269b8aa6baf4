"""UptimeRobot API v3: connection settings and the thin helpers every UptimeRobot spec shares."""

from __future__ import annotations

import dataclasses
import html
from typing import Annotated, Any

from pydantic import Field

from transport import RateLimitHeaders, Transport, Vendor, json_error_message, next_link_items

from .. import settings
from . import facts

DEFAULT_ENDPOINT = "https://api.uptimerobot.com/v3"

VENDOR = Vendor(
    name="uptimerobot",
    parse_error=json_error_message,
    # Live behaviour: X-RateLimit-Reset is seconds until the window resets, not an epoch.
    rate_limit_headers=RateLimitHeaders("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"),
    window_seconds=60.0,
    gone_is_deleted=True,  # the official provider treats 410 like 404 (docs/vendors/uptimerobot.md)
)


def plan() -> str:
    return facts.plan_named(settings.get("uptimerobot:plan"))


def client() -> Transport:
    """The process-wide transport for the configured account (one rate-limit budget per account)."""
    endpoint = settings.get("uptimerobot:endpoint") or DEFAULT_ENDPOINT
    key = settings.require_secret(
        "uptimerobot:apiKey",
        "Run `pulumi config set --secret uptimerobot:apiKey <main API key>` or set UPTIMEROBOT_API_KEY.",
    )
    vendor = dataclasses.replace(VENDOR, requests_per_window=facts.requests_per_minute(plan()))
    return settings.connect(vendor, endpoint, key)


def list_all(transport: Transport, path: str, **params: Any) -> list[dict[str, Any]]:
    query = {k: v for k, v in params.items() if v is not None}
    return list(next_link_items(transport, path, query or None))


def text(value: Any) -> Any:
    """Names and URLs come back HTML-escaped (`&` as `&amp;`)."""
    return html.unescape(value) if isinstance(value, str) else value


# An object's id as Lookout holds it: a string of the number the API sends and takes (Pulumi ids are strings).
Id = Annotated[str, Field(pattern=r"^[1-9][0-9]*$")]


def ids(values: Any) -> list[str]:
    """Ids are numbers on the wire and strings in Lookout (Pulumi resource ids are strings)."""
    return [str(int(v)) for v in values or []]


def numbers(values: list[str]) -> list[int]:
    """Lookout's string ids as the numbers the API takes."""
    return [int(v) for v in values]


NOTIFY_ON = ("UpAndDown", "Down", "Up", "None")


def notify_on(value: Any) -> str:
    """`enableNotificationsFor` arrives as a number (0-3) or as its name."""
    if isinstance(value, int | float) and 0 <= int(value) < len(NOTIFY_ON):
        return NOTIFY_ON[int(value)]
    return str(value) if value in NOTIFY_ON else "UpAndDown"
