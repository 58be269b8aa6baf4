"""Supabase Management API v1 (`https://api.supabase.com/v1/...`): the reads `lookout watch` makes of a
project's database. Lookout declares nothing in Supabase (the plan sets no Supabase setting), so there is
no resource kind here, only the client.

Bearer access token (`supabase:accessToken` or SUPABASE_ACCESS_TOKEN); 120 requests a minute per user and
project, counted down in `x-ratelimit-*` (reset in seconds); errors are `{"message"}`; the SQL endpoints
answer 201 with an array of rows (docs/vendors/supabase.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from transport import RateLimitHeaders, Transport, Vendor, json_error_message

from .. import settings

DEFAULT_ENDPOINT = "https://api.supabase.com"
VENDOR = Vendor(
    name="supabase",
    parse_error=json_error_message,
    rate_limit_headers=RateLimitHeaders("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"),
    requests_per_window=120,
)


def client() -> Transport:
    endpoint = settings.get("supabase:endpoint") or DEFAULT_ENDPOINT
    token = settings.require_secret(
        "supabase:accessToken",
        "Run `pulumi config set --secret supabase:accessToken sbp_...` (a personal access token, "
        "supabase.com/dashboard/account/tokens) or set SUPABASE_ACCESS_TOKEN.",
    )
    return settings.connect(VENDOR, endpoint, token)


def health(transport: Transport, ref: str, services: Iterable[str]) -> list[dict[str, Any]]:
    """`[{name, status, healthy, error?}]`; `services` go as repeated keys (the spec's form style)."""
    return list(transport.request("GET", f"/v1/projects/{ref}/health", params={"services": list(services)}))


def disk(transport: Transport, ref: str) -> dict[str, Any]:
    """`{timestamp, metrics: {fs_size_bytes, fs_avail_bytes, fs_used_bytes}}`."""
    return dict(transport.request("GET", f"/v1/projects/{ref}/config/disk/util"))


def backups(transport: Transport, ref: str) -> dict[str, Any]:
    """`{region, walg_enabled, pitr_enabled, backups: [{id, status, inserted_at, ...}], ...}`."""
    return dict(transport.request("GET", f"/v1/projects/{ref}/database/backups"))


def query(transport: Transport, ref: str, sql: str, *parameters: Any) -> list[dict[str, Any]]:
    """Rows of a read-only query (`$1`... take `parameters`); entity names must be schema-qualified."""
    body: dict[str, Any] = {"query": sql, **({"parameters": list(parameters)} if parameters else {})}
    # A read: safe to send again after a lost answer, although it is a POST.
    return list(
        transport.request(
            "POST", f"/v1/projects/{ref}/database/query/read-only", json_body=body, idempotent=True
        )
    )
