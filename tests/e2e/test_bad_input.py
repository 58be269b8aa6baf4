"""The bad stack files of the corpus (tests/bad_stacks.py) that the engine can load are each refused at
`pulumi preview` naming what to fix: no traceback, no secret echoed, zero API requests (sandbox counters)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lookout.harness.sandbox_process import SandboxProcess
from tests.bad_stacks import CORPUS, Case, committed

from .conftest import Stack

WORKERS = 2  # two stacks previewing at once: the corpus costs half the wall time on the 2-core CI machine


def refusal(stack: Stack, bad: Case) -> str | None:
    """None when the preview refused the case as it should; else what went wrong."""
    stack.configure({**{k: None for k in committed()}, **bad.config()}, inherit=True)
    result = stack.pulumi("preview", check=False)
    output = result.stdout + result.stderr
    if result.returncode == 0:
        return f"{bad.name}: preview succeeded"
    if bad.expect not in output:
        return f"{bad.name}: {bad.expect!r} not in the output:\n{output[-1500:]}"
    if "Traceback" in output:
        return f"{bad.name}: a traceback:\n{output[-1500:]}"
    if bad.secret and bad.secret in output:
        return f"{bad.name}: the pasted secret is printed back"
    return None


def test_every_loadable_bad_stack_fails_at_preview_naming_its_path_without_requests(
    api: SandboxProcess, tmp_path: Path
):
    cases = [c for c in CORPUS if c.raw is None]
    assert len(cases) >= 60
    stacks = [Stack(api, tmp_path / f"worker-{i}") for i in range(WORKERS)]
    before = api.control("GET", "/requests").json()["total"]

    def run(worker: int) -> list[str]:
        return [p for c in cases[worker::WORKERS] if (p := refusal(stacks[worker], c)) is not None]

    with ThreadPoolExecutor(WORKERS) as pool:
        problems = [p for found in pool.map(run, range(WORKERS)) for p in found]
    assert problems == []
    assert api.control("GET", "/requests").json()["total"] == before, "a bad stack reached a vendor API"


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
