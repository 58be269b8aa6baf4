"""tools/pulumi-cli/install.sh takes an official Pulumi CLI already on PATH when it is recent enough (issue
#16), and builds the pinned one from Go modules only otherwise. Run on a copy of tools/pulumi-cli, with a
fake `pulumi` and an empty cache, so that nothing is built and the checkout's .lookout/ is not touched."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.paths import REPO

PINNED = next(
    line.split()[1]
    for line in (REPO / "tools/pulumi-cli/go.mod").read_text().splitlines()
    if line.strip().startswith("github.com/pulumi/pulumi/pkg/v3 ")
)
TOOLS = ("awk", "basename", "cat", "dirname", "head", "install", "ln", "mkdir", "readlink", "sort", "printf")


def bump(version: str, minor: int) -> str:
    major, middle, patch = version.lstrip("v").split(".")
    return f"v{major}.{int(middle) + minor}.{patch}"


@pytest.mark.parametrize(
    ("version", "accepted"),
    [
        (PINNED, True),
        (bump(PINNED, 1), True),
        ("v4.0.0", True),
        (bump(PINNED, -1), False),
        ("v3.99.0", False),  # compared as versions, not as text
        (f"{bump(PINNED, 1)}-alpha.1", False),
        ("", False),
    ],
)
def test_the_version_check(version: str, accepted: bool):
    script = REPO / "tools/pulumi-cli/install.sh"
    result = subprocess.run(["bash", str(script), "--accepts", version], capture_output=True, check=False)
    assert (result.returncode == 0) == accepted


def install(tmp_path: Path, version: str) -> subprocess.CompletedProcess[str]:
    """install.sh from a copy of the repo's tools/, with only a fake official CLI (and no Go) on PATH."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "tools/pulumi-cli", repo / "tools/pulumi-cli")
    official = tmp_path / "official"
    official.mkdir()
    for name, body in (("pulumi", f"echo {version}"), ("pulumi-language-python", "exit 0")):
        (official / name).write_text(f"#!/bin/sh\n{body}\n")
        (official / name).chmod(0o755)
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        if found:
            (tools / tool).symlink_to(found)
    env = {"PATH": f"{official}:{tools}", "HOME": str(tmp_path), "LOOKOUT_CACHE": str(tmp_path / "cache")}
    bash = shutil.which("bash")
    assert bash is not None
    return subprocess.run(
        [bash, str(repo / "tools/pulumi-cli/install.sh")],
        capture_output=True,
        text=True,
        env={**env, "LANG": os.environ.get("LANG", "C")},
        check=False,
    )


def test_a_newer_official_cli_on_path_is_used_without_building(tmp_path: Path):
    result = install(tmp_path, bump(PINNED, 5))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "official")
    assert (tmp_path / "repo/.lookout/bin").resolve() == tmp_path / "official"
    assert "building" not in result.stderr


def test_an_older_one_is_ignored_and_the_build_says_what_it_needs(tmp_path: Path):
    result = install(tmp_path, bump(PINNED, -10))
    assert result.returncode == 1
    assert f"ignoring pulumi {bump(PINNED, -10)} on PATH: Lookout needs {PINNED} or newer" in result.stderr
    assert "Go is not installed" in result.stderr and f"{PINNED} or newer on PATH" in result.stderr
    assert not (tmp_path / "repo/.lookout/bin").exists()
