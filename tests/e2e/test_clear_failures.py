"""Expected failures at `pulumi up` are one clear message, never a Python traceback (issue #12): a Render
service the account does not have stops the run before any write, with the closest names; a missing
credential and a vendor's 4xx name the resource, the vendor's message and what to set."""

from __future__ import annotations

from pathlib import Path

from harness.sandbox_process import SandboxProcess
from tests.bad_stacks import committed

from .conftest import Stack

WRITES = ("POST", "PUT", "PATCH", "DELETE")


def writes(api: SandboxProcess) -> list[str]:
    routes = api.control("GET", "/requests").json()["byRoute"]
    return [route for route in routes if route.split(" ")[1] in WRITES]


def with_service(**change: str) -> dict[str, object]:
    services = committed()["lookout:services"]
    return {"lookout:services": [{**services[0], **change}, services[1]]}


def test_a_misspelt_render_service_stops_up_before_any_write(api: SandboxProcess, tmp_path: Path):
    stack = Stack(api, tmp_path)
    stack.configure(with_service(render_service="optio-dev-backnd"), inherit=True)
    api.control("DELETE", "/requests")
    result = stack.pulumi("up", "--yes", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "no Render service named 'optio-dev-backnd'" in output
    assert "Did you mean 'optio-dev-backend'" in output
    assert "Traceback" not in output
    assert writes(api) == []  # nothing was created in any vendor
    assert stack.monitors() == []


def test_a_missing_credential_at_up_is_one_line_naming_what_to_set(api: SandboxProcess, tmp_path: Path):
    stack = Stack(api, tmp_path)
    stack.configure({}, inherit=True)
    stack.pulumi("config", "rm", "uptimerobot:apiKey")
    result = stack.pulumi("up", "--yes", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "uptimerobot:apiKey is not set. Run `pulumi config set --secret uptimerobot:apiKey" in output
    assert "Traceback" not in output


def test_a_vendor_refusal_names_the_vendor_and_its_message(api: SandboxProcess, tmp_path: Path):
    """An organization the token cannot see: Sentry answers 404 to the first request under it."""
    stack = Stack(api, tmp_path)
    stack.configure({}, inherit=True)
    stack.pulumi("config", "set", "sentry:organization", "no-such-org")
    result = stack.pulumi("up", "--yes", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "sentry: " in output and "/organizations/no-such-org/" in output and "(HTTP 404)" in output
    assert "Traceback" not in output
