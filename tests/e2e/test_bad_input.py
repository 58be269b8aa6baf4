"""Bad stack files of the corpus (tests/bad_stacks.py) through the real `pulumi preview`: each is refused
naming what to fix, as the preview model says (tests/preview_model.py, which runs every case of the corpus
in tests/unit/test_bad_stacks.py): no traceback, no secret echoed, zero API requests (sandbox counters).
A handful, one per way a plan is refused, keeps the model honest."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.sandbox_process import SandboxProcess
from tests import preview_model
from tests.bad_stacks import CORPUS, Case, committed

from .conftest import Stack

# One case per way a preview refuses a plan: a field's rule, a key unknown to the plan (with a hint), a
# cross-field rule, a vendor plan limit, a secret the engine alone knows is unset, a pasted secret.
HANDFUL = (
    "url-no-scheme",
    "threshold-typo",
    "slo-unknown-service",
    "interval-below-plan",
    "slack-secret-unset",
    "slack-key-as-name",
)


@pytest.mark.parametrize("bad", [c for c in CORPUS if c.name in HANDFUL], ids=lambda c: c.name)
def test_a_bad_stack_fails_at_preview_as_the_model_says_without_requests(
    bad: Case, api: SandboxProcess, stack: Stack
):
    stack.configure({**{k: None for k in committed()}, **bad.config()}, inherit=True)
    before = api.control("GET", "/requests").json()["total"]
    result = stack.pulumi("preview", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, "the preview succeeded"
    assert bad.expect in output
    for line in "\n".join(preview_model.refusals(bad.config())).splitlines():
        assert line.strip() in output, f"the model's refusal {line.strip()!r} is not what the preview says"
    assert "Traceback" not in output
    assert not bad.secret or bad.secret not in output, "the pasted secret is printed back"
    assert api.control("GET", "/requests").json()["total"] == before, "a bad stack reached a vendor API"


def test_the_handful_covers_cases_that_exist():
    assert set(HANDFUL) <= {c.name for c in CORPUS}


def test_preview_without_credentials_warns_and_names_what_to_set(api: SandboxProcess, tmp_path: Path):
    stack = Stack(api, tmp_path)
    stack.configure({}, inherit=True)
    for key in ("sentry:authToken", "render:apiKey"):
        stack.pulumi("config", "rm", key)
    result = stack.pulumi("preview")
    output = result.stdout + result.stderr
    assert "Sentry: sentry:authToken not set (nor SENTRY_AUTH_TOKEN)" in output
    assert "Render: render:apiKey not set (nor RENDER_API_KEY)" in output
    assert "UptimeRobot:" not in output  # its key is set
