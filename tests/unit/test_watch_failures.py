"""`lookout watch` when what it needs is missing: a vendor it cannot read or reach is reported in the table
(unknown, never healthy) and fails the run; nothing surfaces as a traceback."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from lookout import stackfile, watch
from lookout.exits import Exit
from lookout.watch_measure import Readings
from providers import settings
from providers.render import client as render
from providers.supabase import client as supabase

CLOSED = "http://127.0.0.1:9"  # the discard port: nothing listens


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("SUPABASE_ACCESS_TOKEN", "RENDER_API_KEY", "SENTRY_AUTH_TOKEN", "SENTRY_ORGANIZATION"):
        monkeypatch.delenv(name, raising=False)
    settings.use_config({})
    yield
    settings.use_config({})


def test_missing_credentials_make_every_check_unknown_and_the_run_fail():
    plan = stackfile.load("prod")
    routes = watch.routes_of(plan, {}, {"sentry_dsns": {"backend": f"http://key@{CLOSED[7:]}/1"}})
    outcomes = watch.run_once(routes, Readings(supabase.client, render.client, time.time))
    assert {o.state for o in outcomes} == {"unknown"}
    database = next(o for o in outcomes if o.finding.check.key == "watch:database:database")
    assert "supabase:accessToken is not set" in database.finding.detail
    assert all(any(f.startswith("sentry: sentry:authToken is not set") for f in o.failed) for o in outcomes)
    assert watch.exit_code(outcomes) == Exit.FAILED and not watch.complete(outcomes)


def test_a_heartbeat_that_cannot_be_reached_is_said_not_raised():
    plan = stackfile.load("prod")
    routes = watch.routes_of(plan, {}, {"heartbeat_url": f"{CLOSED}/heartbeat-token"})
    assert watch.ping(routes) == "heartbeat NOT pinged: ConnectionError"
