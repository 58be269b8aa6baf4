"""The README's settings for the vendors' own tools name the roots the demo's sandbox really serves."""

from __future__ import annotations

import re

from harness import sandbox_process
from harness.paths import REPO
from harness.sandbox_process import DEMO_PORT
from sandbox.app import default_vendors
from sandbox.roots import roots

SECTION = "## Use the vendors' own tools on the sandbox"


def section() -> str:
    return (REPO / "README.md").read_text().split(SECTION, 1)[1].split("\n## ", 1)[0]


def test_the_table_is_the_order_and_ports_of_the_demos_roots():
    rows = re.findall(r"^\| `([^`]+)`[^|]*\| `http://127\.0\.0\.1:(\d+)` \|$", section(), re.MULTILINE)
    served = [root.host for root in roots(default_vendors())]
    assert [host for host, _ in rows] == served
    assert [int(port) for _, port in rows] == list(range(DEMO_PORT + 1, DEMO_PORT + 1 + len(served)))


def test_every_setting_names_a_served_root_and_the_sandboxs_accounts():
    text = section()
    table = dict(re.findall(r"^\| `([^`]+)`[^|]*\| `(http://127\.0\.0\.1:\d+)` \|$", text, re.MULTILINE))
    for url in re.findall(r"https?://127\.0\.0\.1:\d+", text):
        assert url.replace("https://", "http://") in table.values(), url
    for secret in (
        sandbox_process.UPTIMEROBOT_KEY,
        sandbox_process.SENTRY_TOKEN,
        sandbox_process.SENTRY_ORG,
        sandbox_process.RENDER_KEY,
        sandbox_process.PAGERDUTY_TOKEN,
    ):
        assert f"`{secret}`" in text or f'"{secret}"' in text, secret
