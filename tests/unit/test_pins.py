"""The CLI we build and the SDK we install must be the same Pulumi release."""

from __future__ import annotations

import re
from importlib.metadata import version

from harness.paths import REPO


def test_cli_build_pins_the_installed_sdk_version():
    go_mod = (REPO / "tools/pulumi-cli/go.mod").read_text()
    pyproject = (REPO / "pyproject.toml").read_text()
    pkg = re.search(r"github.com/pulumi/pulumi/pkg/v3 v(\S+)", go_mod)
    sdk = re.search(r"github.com/pulumi/pulumi/sdk/v3 v(\S+)", go_mod)
    pin = re.search(r'"pulumi==(\S+?)"', pyproject)
    assert pkg and sdk and pin
    assert pkg.group(1) == sdk.group(1) == pin.group(1) == version("pulumi")


def test_the_workflows_install_the_same_cli_with_pulumis_action():
    pin = version("pulumi")
    for workflow in sorted((REPO / ".github/workflows").glob("*.yml")):
        text = workflow.read_text()
        assert "uses: pulumi/actions@v6" in text, workflow.name
        assert re.findall(r'pulumi-version: "([^"]+)"', text) == [pin], workflow.name
        assert "cache: pip" in text and "setup-go" not in text, workflow.name
