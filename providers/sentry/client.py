"""Sentry API: connection settings, error parsing and the lookups every Sentry spec shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from transport import Expected, RateLimitHeaders, Transport, Vendor, link_header_items

from .. import settings

if TYPE_CHECKING:
    import requests

DEFAULT_ENDPOINT = "https://sentry.io/api/0"


def parse_error(response: requests.Response) -> tuple[str, str | None]:
    """Sentry answers `{"detail": ...}`, or DRF field maps such as `{"slug": ["..."]}`."""
    try:
        body = response.json()
    except ValueError:
        return (response.text.strip() or response.reason or "")[:300], None
    if isinstance(body, dict):
        if "detail" in body and len(body) <= 2:
            return str(body["detail"]), None
        if "message" in body:
            return str(body["message"]), None
        return "; ".join(f"{field}: {_flatten(reason)}" for field, reason in body.items()), None
    return str(body)[:300], None


def _flatten(reason: Any) -> str:
    if isinstance(reason, list):
        return " ".join(_flatten(r) for r in reason)
    if isinstance(reason, dict):
        return "; ".join(f"{k}: {_flatten(v)}" for k, v in reason.items())
    return str(reason)


def deprecation(response: requests.Response) -> str | None:
    """Retired endpoints answer 410 with these headers; say so instead of retrying."""
    date = response.headers.get("X-Sentry-Deprecation-Date")
    if not date:
        return None
    replacement = response.headers.get("X-Sentry-Replacement-Endpoint", "see the Sentry changelog")
    return f"endpoint deprecated on {date}; replacement: {replacement}"


VENDOR = Vendor(
    name="sentry",
    parse_error=parse_error,
    rate_limit_headers=RateLimitHeaders(
        "X-Sentry-Rate-Limit-Limit",
        "X-Sentry-Rate-Limit-Remaining",
        "X-Sentry-Rate-Limit-Reset",
        reset_is_epoch=True,
        concurrent_limit="X-Sentry-Rate-Limit-ConcurrentLimit",
    ),
    check_deprecation=deprecation,
    # Sentry counts per caller and endpoint in one-second windows (40 a second on the key endpoints:
    # docs/vendors/sentry.md, conventions); a 60 s window would hold the 41st request of a minute.
    window_seconds=1.0,
)


def client() -> Transport:
    endpoint = settings.get("sentry:endpoint") or DEFAULT_ENDPOINT
    token = settings.require_secret(
        "sentry:authToken",
        "Run `pulumi config set --secret sentry:authToken <token>` or set SENTRY_AUTH_TOKEN.",
    )
    return settings.connect(VENDOR, endpoint, token)


def org() -> str:
    slug = settings.get("sentry:organization")
    if not slug:
        raise settings.MissingCredential(
            "sentry:organization is not set. Run `pulumi config set sentry:organization <org slug>`."
        )
    return slug


def list_all(transport: Transport, path: str, **params: Any) -> list[dict[str, Any]]:
    query = {k: v for k, v in params.items() if v is not None}
    return list(link_header_items(transport, path, query or None))


def require_environment(transport: Transport, name: str | None) -> None:
    """Environments appear when events arrive; the API cannot create them (docs/vendors/sentry.md,
    monitors)."""
    if not name:
        return
    known = [env.get("name") for env in list_all(transport, f"/organizations/{org()}/environments/")]
    if name not in known:
        listed = ", ".join(sorted(str(k) for k in known)) or "none"
        raise UnknownEnvironment(
            f"Sentry environment '{name}' does not exist in organization '{org()}' (known: {listed}). "
            "Environments cannot be created through the API: they appear when an SDK sends its first event "
            "with that environment."
        )


class UnknownEnvironment(Expected, ValueError):
    pass
