"""Sending one event to a project's DSN, as Sentry's SDKs do: Relay's store endpoint
(`POST {scheme}://{host}/api/{project_id}/store/`, authenticated by `X-Sentry-Auth` with the DSN's public
key; getsentry/relay relay-server/src/endpoints/store.rs). Errors are `{"detail", "causes"}`.

`sentry:ingestEndpoint` stands in for the DSN's host (the sandbox's `/sentry-ingest`). The DSN is a secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from transport import Transport, Vendor, register_secret

from .. import settings

if TYPE_CHECKING:
    import requests

SDK = "lookout-drill/1.0"


def parse_error(response: requests.Response) -> tuple[str, str | None]:
    try:
        body = response.json()
    except ValueError:
        return (response.text.strip() or response.reason or "")[:300], None
    if not isinstance(body, dict):
        return str(body)[:300], None
    causes = "; ".join(str(c) for c in body.get("causes") or [])
    message = str(body.get("detail") or response.reason)
    return (f"{message}: {causes}" if causes else message), None


@dataclass(frozen=True)
class IngestVendor(Vendor):
    def auth_headers(self, token: str) -> dict[str, str]:
        return {"X-Sentry-Auth": f"Sentry sentry_version=7, sentry_client={SDK}, sentry_key={token}"}


VENDOR = IngestVendor(name="sentry-ingest", parse_error=parse_error)


@dataclass(frozen=True)
class Dsn:
    base: str  # scheme://host, or the configured stand-in
    public_key: str
    project_id: str


def parse_dsn(dsn: str) -> Dsn:
    """`https://<public key>@<host>/<project id>`; ValueError for anything else (the DSN not shown)."""
    register_secret(dsn)
    parts = urlsplit(dsn)
    project_id = parts.path.strip("/").rsplit("/", 1)[-1]
    if parts.scheme not in ("http", "https") or not parts.username or not project_id.isdigit():
        raise ValueError("not a Sentry DSN (https://<public key>@<host>/<project id>)")
    endpoint = settings.get("sentry:ingestEndpoint")
    base = endpoint.rstrip("/") if endpoint else f"{parts.scheme}://{parts.hostname}"
    if parts.port and not endpoint:
        base += f":{parts.port}"
    return Dsn(base, parts.username, project_id)


def send(dsn: Dsn, event: dict[str, Any]) -> str:
    """Send `event` (it carries its `event_id`, so a resend is the same event); the id Relay answers."""
    transport = Transport(VENDOR, dsn.base, dsn.public_key, timeout=(5.0, settings.read_timeout()))
    answer = transport.request("POST", f"/api/{dsn.project_id}/store/", json_body=event, idempotent=True)
    return str((answer or {}).get("id") or event.get("event_id") or "")
