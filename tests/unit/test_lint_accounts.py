"""Lint over the stack files together (they share the vendors' accounts: lookout/lint_limits.py) and the
words of the log stream's token (issue #30)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from harness.paths import REPO
from lookout import lint
from stacks import source
from stacks.validation import ConfigError


def widened(tmp_path: Path, stack: str, sites: int) -> Path:
    """The committed stack file with `sites` more frontends, each watched by one more monitor."""
    document = yaml.safe_load((REPO / f"Pulumi.{stack}.yaml").read_text())
    services = document["config"]["lookout:services"]
    services += [
        {"name": f"site{i}", "url": f"https://site{i}.example.test", "role": "frontend"} for i in range(sites)
    ]
    path = tmp_path / f"Pulumi.{stack}-wide.yaml"
    path.write_text(yaml.safe_dump(document))
    return path


def test_the_monitors_of_the_plans_together_must_fit_the_uptimerobot_plan(tmp_path, capsys):
    """dev and prod make 4 monitors each; with 21 and 22 more sites they make 25 and 26: 51 of the free
    plan's 50 in the one account they share. Each alone fits."""
    dev, prod = widened(tmp_path, "dev", 21), widened(tmp_path, "prod", 22)
    assert lint.run([str(dev)], "json") == 0
    capsys.readouterr()
    assert lint.run([str(dev), str(prod)], "json") == 1
    files = json.loads(capsys.readouterr().out)["files"]
    (finding,) = files[str(prod)]["errors"]
    assert finding["path"] == "lookout:services" and finding["rule"] == "plan-limits"
    assert finding["message"].startswith(
        f"the plans make 51 UptimeRobot monitors ({dev} 25 + {prod} 26), more than the 50 of the free plan"
    )
    assert files[str(dev)]["errors"] == []


@pytest.mark.parametrize(
    ("key", "value", "what"),
    [
        ("lookout:render_notifications", {"email": True, "send": "failure"}, "notification settings"),
        ("lookout:log_stream", {"endpoint": "logs.example.test:1", "scope": "workspace"}, "log stream"),
    ],
)
def test_what_the_workspace_has_one_of_has_one_owning_stack(tmp_path, capsys, key, value, what):
    """prod owns the Render workspace's settings; dev declaring them too would undo prod's on its every `up`
    (and the other way round). A log stream of the services alone is the stack's own."""
    document = yaml.safe_load((REPO / "Pulumi.dev.yaml").read_text())
    document["config"][key] = value
    dev = tmp_path / "Pulumi.dev-too.yaml"
    dev.write_text(yaml.safe_dump(document))
    prod = str(REPO / "Pulumi.prod.yaml")
    assert lint.run([prod, str(dev)], "json") == 1
    files = json.loads(capsys.readouterr().out)["files"]
    (finding,) = [f for f in files[str(dev)]["errors"] if f["rule"] == "one-owner"]
    assert finding["path"] == key and what in finding["message"] and prod in finding["message"]
    assert not [f for f in files[prod]["errors"] if f["rule"] == "one-owner"]  # the first is the owner


def test_the_log_streams_token_is_named_as_the_key_it_is(tmp_path):
    """Its config key is fixed (lookout:logStreamToken): lookout:log_stream does not name it (issue #30)."""
    text = (REPO / "Pulumi.prod.yaml").read_text() + "  lookout:logStreamToken: abcdef123456\n"
    plain = tmp_path / "Pulumi.prod.yaml"
    plain.write_text(text)
    (finding,) = [f for f in lint.lint_file(plain) if f.rule == "no-plain-secrets"]
    assert (finding.path, finding.message.split(";")[0]) == (
        "lookout:logStreamToken",
        "the token of lookout:log_stream is in plain text",
    )
    config = yaml.safe_load((REPO / "Pulumi.prod.yaml").read_text())["config"]
    with pytest.raises(ConfigError) as unset:
        source.plan_of(config, secrets_present=True, secret_keys=["lookout:slackWebhookUrl"])
    assert (
        "lookout:log_stream: needs its token in the secret config key 'logStreamToken', which is not set; "
        "set it with `pulumi config set --secret lookout:logStreamToken`"
    ) in str(unset.value)
