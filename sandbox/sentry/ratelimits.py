"""Sentry's rate limits (docs/vendors/sentry.md, conventions) on top of the shared fixed-window limiter.

Sentry counts requests per caller and endpoint in windows aligned to the epoch, reports the window's end
as ``X-Sentry-Rate-Limit-Reset`` (epoch seconds) and sets no ``Retry-After``. The shared limiter counts per
``Caller.account_id`` in windows that start with their first request, so each (token, route template,
window) gets a bucket of its own: a new window means a new bucket, whose count starts at zero.
"""

import math

from sandbox.ratelimit import Quota
from sandbox.sentry import orgs

THROTTLED = "You are attempting to use this endpoint too frequently. Limit is {} requests in {} seconds"


def window(now: float) -> str:
    """The window `now` falls in (windows are aligned to the epoch): a bucket per token, route and window."""
    return str(math.floor(now / orgs.settings()["rateWindow"]))


def headers(quota: Quota, now: float) -> dict[str, str]:
    settings = orgs.settings()
    window = settings["rateWindow"]
    concurrent = settings["concurrentLimit"]
    return {
        "X-Sentry-Rate-Limit-Limit": str(quota.limit),
        "X-Sentry-Rate-Limit-Remaining": str(quota.remaining),
        "X-Sentry-Rate-Limit-Reset": str((math.floor(now / window) + 1) * window),
        "X-Sentry-Rate-Limit-ConcurrentLimit": str(concurrent),
        # The sandbox serves one request at a time: only this one is in flight.
        "X-Sentry-Rate-Limit-ConcurrentRemaining": str(concurrent - 1),
    }


def throttled_message(limit: int) -> str:
    return THROTTLED.format(limit, orgs.settings()["rateWindow"])
