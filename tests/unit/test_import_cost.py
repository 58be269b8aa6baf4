"""Every `pulumi` run starts the program and the dynamic-provider process, and a preview (or an `up` that
changes nothing) sends no request from either: neither may pay for the HTTP stack (requests, urllib3 and
filelock: about 50 ms of each process's start) until a request goes out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from harness.paths import REPO

# What the program imports, and what a provider process imports to unpickle any of the four vendors'
# providers (a preview runs only their check and diff).
PROCESS_IMPORTS = (
    "stacks.program",
    "providers.uptimerobot.resources",
    "providers.sentry.resources",
    "providers.render.resources",
    "providers.pagerduty.resources",
)
HTTP_STACK = ("requests", "urllib3", "filelock")


def _loaded_after(statements: str) -> set[str]:
    probe = f"{statements}\nimport sys\nprint(' '.join(m for m in {HTTP_STACK!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True, timeout=60
    )
    return set(done.stdout.split())


def test_the_program_and_the_providers_import_no_http_stack_until_they_send():
    assert _loaded_after("\n".join(f"import {module}" for module in PROCESS_IMPORTS)) == set()


def test_a_transport_brings_it_in_when_made(tmp_path: Path):
    made = (
        "from pathlib import Path\n"
        "from providers.uptimerobot.client import VENDOR\n"
        "from transport import Transport\n"
        f"Transport(VENDOR, 'http://127.0.0.1:9', 'key', windows=Path({str(tmp_path)!r}))"
    )
    assert _loaded_after(made) == set(HTTP_STACK)  # the rate windows it shares with other processes
