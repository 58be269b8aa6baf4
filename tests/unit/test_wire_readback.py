"""Read-back from real shapes (issue #11): for every resource kind, an answer shaped as the real API gives it
goes through `read` and `diff`, and the declaration that produced it shows no change.

The answers are in `tests/fixtures/wire/<vendor>.json`, each case naming its source beside it: the
vendors' spec examples, answers recorded from live accounts (the official Terraform providers' cassettes,
GoSuccessHQ's captures) and the official providers' test fixtures. They are not the sandbox's answers:
a reading that only the sandbox agrees with fails here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from harness.paths import REPO
from providers import registry, settings
from providers.base import SpecProvider
from providers.pagerduty import client as pagerduty_client
from providers.render import client as render_client
from providers.sentry import client as sentry_client
from providers.spec import ResourceSpec
from providers.uptimerobot import client as uptimerobot_client
from tests.fakes import FakeClock, response
from transport import Transport, Vendor
from transport.listings import LISTINGS

PROVIDERS: dict[str, type[SpecProvider]] = registry.BY_KIND  # every kind Lookout manages
VENDORS: dict[str, Vendor] = {
    "uptimerobot": uptimerobot_client.VENDOR,
    "sentry": sentry_client.VENDOR,
    "render": render_client.VENDOR,
    "pagerduty": pagerduty_client.VENDOR,
}


# Real answers that a kind's lookup rightly passes over.
NOT_ITS_SORT = {
    "pagerduty:EventsIntegration: an integration of a service": "an e-mail integration, not Events API v2",
}


def cases() -> Iterator[Any]:
    for vendor in VENDORS:
        fixture = json.loads((REPO / f"tests/fixtures/wire/{vendor}.json").read_text())
        for case in fixture["cases"]:
            yield pytest.param(vendor, fixture, case, id=f"{case['kind']}: {case['name']}")


class RoutedSession(requests.Session):
    """Answers GETs from the fixture's routes by path (queries aside); anything else is a 404."""

    def __init__(self, base_url: str, routes: dict[str, Any]) -> None:
        super().__init__()
        self.base = urlsplit(base_url).path.rstrip("/")
        self.routes = routes
        self.asked: list[str] = []

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        path = urlsplit(url).path[len(self.base) :]
        self.asked.append(f"{method} {path}")
        body = self.routes.get(f"{method} {path}")
        return response(200, body) if body is not None else response(404, {"message": "not found"})


@pytest.fixture(autouse=True)
def fresh_listings() -> Iterator[None]:
    LISTINGS.clear()
    yield
    LISTINGS.clear()
    settings.use_config({})


def test_every_resource_kind_has_a_real_shape():
    covered = {str(case.values[2]["kind"]) for case in cases()}
    assert covered == set(PROVIDERS), f"kinds without a read-back fixture: {set(PROVIDERS) - covered}"


def test_every_case_names_its_source():
    assert all(len(case.values[2]["source"]) > 20 for case in cases())


@pytest.mark.parametrize(("vendor", "fixture", "case"), list(cases()))
def test_a_real_answer_reads_back_as_the_declaration_that_made_it(
    vendor: str, fixture: dict[str, Any], case: dict[str, Any], monkeypatch: pytest.MonkeyPatch
):
    settings.use_config(fixture.get("config", {}))
    provider = PROVIDERS[case["kind"]]()
    session = RoutedSession(fixture["base_url"], case["routes"])
    transport = Transport(VENDORS[vendor], fixture["base_url"], "tok", clock=FakeClock(), session=session)
    monkeypatch.setattr(provider.spec, "client", lambda: transport)

    checked = provider.check({}, case["inputs"])
    assert checked.failures == [], [f.reason for f in checked.failures]
    declared = checked.inputs
    read = provider.read(case["id"], declared)
    assert read.id == case["id"], session.asked
    assert read.outs is not None and read.inputs is not None
    diff = provider.diff(case["id"], read.outs, declared)
    assert not diff.changes, f"read back as (read, declared): {_differing(read.outs, declared)}"
    for name, value in case.get("outputs", {}).items():
        assert read.outs[name] == value


@pytest.mark.parametrize(("vendor", "fixture", "case"), list(cases()))
def test_a_real_answer_has_the_natural_key_of_the_declaration_that_made_it(
    vendor: str, fixture: dict[str, Any], case: dict[str, Any]
):
    """`ResourceSpec.natural_key` (or a spec's own `matches`): what adoption and create claims look up, for
    the kinds that look objects up (`find`); the others' key only names them in reviews."""
    settings.use_config(fixture.get("config", {}))
    spec = PROVIDERS[case["kind"]].spec
    session = RoutedSession(fixture["base_url"], case["routes"])
    transport = Transport(VENDORS[vendor], fixture["base_url"], "tok", clock=FakeClock(), session=session)
    declared = spec.dump(spec.parse(case["inputs"]))
    assert spec.natural_key or spec.described_by, "a created or deleted object needs a name in reviews"
    if not spec.natural_key or type(spec).find is ResourceSpec.find:
        return  # named in reviews only (e.g. a Render env var: its service and key are its address)
    live = spec.get(transport, case["id"])
    assert spec.matches(live, declared) == (f"{case['kind']}: {case['name']}" not in NOT_ITS_SORT)
    text = {k for k in spec.natural_key if spec.model.model_fields[k].annotation in (str, str | None)}
    other = {k: f"other-{v}" if k in text and isinstance(v, str) else v for k, v in declared.items()}
    assert not spec.matches(live, other)


def _differing(outs: dict[str, Any], declared: dict[str, Any]) -> dict[str, Any]:
    return {name: (outs.get(name), value) for name, value in declared.items() if outs.get(name) != value}
