"""After full dev and prod runs, no secret appears in clear anywhere Lookout writes or prints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.sandbox_process import SandboxProcess, sandbox_settings
from lookout import catalog_cli, review

from .conftest import Stack, plan

WRONG_KEY = "wrong-key-0123456789"


def run_with(target: Stack) -> review.Runner:
    def run(*args: str, stack: str) -> Any:
        return target.pulumi(*args, check=False)

    return run


def wrong_credentials(api: SandboxProcess, state: Path) -> list[str]:
    """A wrong API key: one clear error, no retry storm, and the key is not echoed."""
    stack = Stack(api, state)
    stack.configure(plan({"name": "site", "url": "https://wrong-key.example.test"}))
    stack.pulumi("config", "set", "--secret", "uptimerobot:apiKey", WRONG_KEY)
    api.control("DELETE", "/requests")
    failed = stack.pulumi("up", "--yes", check=False)
    assert failed.returncode != 0
    assert "HTTP 401" in failed.stdout and "Unauthorized" in failed.stdout
    assert api.control("GET", "/requests").json()["total"] == 1  # 401 is never retried
    return [failed.stdout, failed.stderr]


def test_no_secret_in_state_previews_logs_reports_or_catalog(api: SandboxProcess, tmp_path: Path, capsys):
    seen: list[str] = []
    for name in ("dev", "prod"):
        stack = Stack(api, tmp_path / name, name)
        stack.configure({}, inherit=True)
        up = stack.pulumi("up", "--yes")
        seen += [up.stdout, up.stderr]  # includes everything the providers printed
        seen.append(stack.pulumi("stack", "export").stdout)
        seen.append(stack.pulumi("stack", "output", "--json").stdout)
        seen.append(stack.pulumi("preview", "--json").stdout)
        seen.append(stack.pulumi("preview", "--refresh", "--diff").stdout)
        for drift in (False, True):
            seen.append(review.report(run_with(stack), [name], {}, drift=drift, fmt="json")[0])
    seen += wrong_credentials(api, tmp_path / "wrong")
    assert catalog_cli.run(["dev", "prod"], str(tmp_path / "catalog")) == 0
    seen += [p.read_text() for p in (tmp_path / "catalog").iterdir()]
    seen.append(capsys.readouterr().out)

    keys = api.control("GET", "/sentry/keys").json()
    secrets = [
        WRONG_KEY,
        *(v for name in ("dev", "prod") for v in sandbox_settings(api, name)["secrets"].values()),
    ]
    secrets += (
        [k["secret"] for k in keys] + [k["dsn"]["secret"] for k in keys] + [k["dsn"]["public"] for k in keys]
    )
    assert len(secrets) >= 10
    everything = "\n".join(seen)
    leaked = [s for s in secrets if s in everything]
    assert leaked == []
