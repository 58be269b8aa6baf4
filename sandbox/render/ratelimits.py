"""Render's rate-limit classes (docs/vendors/render.md, rate limits) on top of the shared fixed-window
limiter.

| class     | requests                                                        | limit (settings key)        |
|-----------|-----------------------------------------------------------------|-----------------------------|
| ``service`` | PATCH /services/{id}, POST …/deploys, …/suspend, …/resume     | 10/min per service          |
| ``write``   | every other POST/PUT/PATCH/DELETE                             | 30/min per API key          |
| ``read``    | every GET (and HEAD/OPTIONS)                                  | 400/min per API key         |

The shared limiter counts per ``Caller.account_id``, so each (key, class, scope) gets a bucket number of
its own. ``Ratelimit-Reset`` counts seconds until the window ends (recorded ``45``/``24``) although
Render's page calls it an epoch time.

Some answers carry each ``Ratelimit-*`` header twice, from two limiter layers (a client joining them sees
``500, 500``): recorded on ``PATCH /notification-settings/owners/{ownerId}``
(render-oss/terraform-provider-render ``internal/provider/notifications/resource/testdata/
notifications_resource_cassette.yaml``, interactions 0 and 3). The sandbox repeats them there, the same
values twice (deviation render-repeated-ratelimit-headers).
"""

from sandbox.ratelimit import Quota
from sandbox.render.accounts import settings

SERVICE_ROUTES = {
    ("PATCH", "/services/{serviceId}"),
    ("POST", "/services/{serviceId}/deploys"),
    ("POST", "/services/{serviceId}/suspend"),
    ("POST", "/services/{serviceId}/resume"),
}
_SETTING = {"service": "serviceRateLimit", "write": "writeRateLimit", "read": "readRateLimit"}


def classify(method: str, route: str, service_id: str | None) -> tuple[str, str]:
    """(class, scope) of a request: scope is the service for the per-service class, else the key."""
    if (method, route) in SERVICE_ROUTES and service_id:
        return "service", service_id
    if method in ("GET", "HEAD", "OPTIONS"):
        return "read", ""
    return "write", ""


REPEATED_HEADERS = {("PATCH", "/notification-settings/owners/{ownerId}")}


def limit(rate_class: str) -> int:
    return settings()[_SETTING[rate_class]]


def headers(quota: Quota) -> dict[str, str]:
    return {
        "Ratelimit-Limit": str(quota.limit),
        "Ratelimit-Remaining": str(quota.remaining),
        "Ratelimit-Reset": str(quota.reset_seconds),
    }
