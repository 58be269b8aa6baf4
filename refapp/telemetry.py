"""Sentry, initialised as the plan's Step 1 (docs/monitoring-plan.txt): the real `sentry-sdk[flask]` with its
default transport, so what reaches Sentry (the sandbox's ingest) is what the SDK sends by default
(envelopes, compressed). The DSN, version and environment come from the service's env vars, as Lookout set
them on the Render service. `release` is the plan's "release tracking" (APP_VERSION); the rest is Step 1's.
"""

from __future__ import annotations

from collections.abc import Mapping

import sentry_sdk
from sentry_sdk.integrations.flask import FlaskIntegration


def init(environ: Mapping[str, str]) -> None:
    sentry_sdk.init(
        dsn=environ.get("SENTRY_DSN"),
        integrations=[FlaskIntegration()],
        environment=environ.get("FLASK_ENV", "production"),
        release=environ.get("APP_VERSION"),
        traces_sample_rate=0.1,  # 10% of transactions for performance monitoring
        profiles_sample_rate=0.1,  # 10% for profiling
    )


def report(error: BaseException) -> None:
    """An error the app handled but must not hide (a failed payment)."""
    sentry_sdk.capture_exception(error)


def flush(timeout: float = 2.0) -> None:
    """Send what is queued (the default transport sends from a background thread)."""
    sentry_sdk.flush(timeout)
