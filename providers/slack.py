"""Slack incoming webhooks: one message to the channel a webhook belongs to (api.slack.com/messaging/webhooks:
200 `ok`; errors are short texts such as `no_service`, `invalid_payload`). The URL is the secret."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from transport import Transport, Vendor, register_secret

from . import settings

if TYPE_CHECKING:
    import requests

HOST = "https://hooks.slack.com"


def parse_error(response: requests.Response) -> tuple[str, str | None]:
    return (response.text.strip() or response.reason or "")[:200], None


@dataclass(frozen=True)
class SlackVendor(Vendor):
    def auth_headers(self, token: str) -> dict[str, str]:
        return {}


VENDOR = SlackVendor(name="slack", parse_error=parse_error, requests_per_window=60)  # about 1 a second


def post(webhook_url: str, text: str) -> str:
    """Send `text`; Slack's answer (`ok`). `slack:endpoint` stands in for hooks.slack.com (the sandbox)."""
    register_secret(webhook_url)
    endpoint = settings.get("slack:endpoint")
    url = (
        endpoint.rstrip("/") + webhook_url[len(HOST) :]
        if endpoint and webhook_url.startswith(HOST)
        else webhook_url
    )
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    transport = Transport(VENDOR, base, url, timeout=(5.0, settings.read_timeout()))
    return str(transport.request("POST", parts.path, json_body={"text": text}, idempotent=False))
