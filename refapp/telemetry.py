"""Sentry, initialised as the plan's Step 1 (docs/monitoring-plan.txt): the real `sentry-sdk[flask]` with its
default transport, so what reaches Sentry (the sandbox's ingest) is what the SDK sends by default
(envelopes, compressed). The DSN, version and environment come from the service's env vars, as Lookout set
them on the Render service. `release` is the plan's "release tracking" (APP_VERSION); the rest is Step 1's,
but for one setting Lookout's monitors need: transactions named by their URL rule (`/api/auth/login`),
which the plan's thresholds and Lookout's compiled queries use (`transaction:/api/auth/login`), where the
SDK's default names them by view function (`login`) and no URL-based monitor would ever match
(docs/vendors/sentry.md, "What the SDK sends").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.flask import FlaskIntegration


def init(environ: Mapping[str, str]) -> None:
    sentry_sdk.init(
        dsn=environ.get("SENTRY_DSN"),
        integrations=[FlaskIntegration(transaction_style="url")],
        environment=environ.get("FLASK_ENV", "production"),
        release=environ.get("APP_VERSION"),
        traces_sample_rate=0.1,  # 10% of transactions for performance monitoring
        profiles_sample_rate=0.1,  # 10% for profiling
    )


def database_span(statement: str) -> Any:
    """A span around one database query, as the SDK's database integrations record it (op `db`)."""
    return sentry_sdk.start_span(op="db", name=statement)


def report(error: BaseException) -> None:
    """An error the app handled but must not hide (a failed payment)."""
    sentry_sdk.capture_exception(error)


def flush(timeout: float = 2.0) -> None:
    """Send what is queued (the default transport sends from a background thread)."""
    sentry_sdk.flush(timeout)
