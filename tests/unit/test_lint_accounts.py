"""Lint over the stack files together (they share the vendors' accounts: lookout/lint_limits.py and
lookout/lint_owners.py) and the words of the log stream's token (issue #30)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from harness.paths import REPO
from lookout import lint, lint_owners
from providers.resource import Declaration
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


def both(tmp_path: Path, capsys, change_dev, change_prod=lambda config: None) -> tuple[dict, str, str]:
    """`lookout lint` of the committed files, changed, together: (files, dev's name, prod's name)."""
    names = []
    for stack, change in (("dev", change_dev), ("prod", change_prod)):
        document = yaml.safe_load((REPO / f"Pulumi.{stack}.yaml").read_text())
        change(document["config"])
        path = tmp_path / f"Pulumi.{stack}.yaml"
        path.write_text(yaml.safe_dump(document))
        names.append(str(path))
    lint.run(names, "json")
    return json.loads(capsys.readouterr().out)["files"], names[0], names[1]


def owners(found: dict, severity: str = "errors") -> list[dict]:
    return [f for f in found[severity] if f["rule"] == "one-owner"]


def test_a_render_service_both_stacks_name_is_owned_twice(tmp_path, capsys):
    """dev pointed at prod's backend would write its health check, env vars and overrides: one error at
    the key that names it, however many objects follow from it."""

    def at_prods_backend(config):
        config["lookout:services"][0]["render_service"] = "optio-prod-backend"

    files, dev, prod = both(tmp_path, capsys, at_prods_backend)
    (finding,) = owners(files[prod])
    assert finding["path"] == "lookout:services[0].render_service"
    assert finding["message"].startswith(
        f"Render service health check ('optio-prod-backend') is one object, declared by {dev} too: each "
        "stack's `up` would undo the other's"
    )
    assert finding["message"].endswith("more objects it makes)")
    assert owners(files[dev]) == []


def test_a_sentry_team_slug_both_stacks_use_is_refused_by_sentry(tmp_path, capsys):
    def one_team(config):
        config["lookout:team"] = "optio"

    files, dev, prod = both(tmp_path, capsys, one_team, one_team)
    (finding,) = owners(files[prod])
    assert finding["path"] == "lookout:team"
    assert finding["message"].startswith(
        f"Sentry refuses a second Sentry team ('optio'), which {dev} declares too"
    )


def test_an_alert_contact_of_one_address_in_both_stacks_is_two_objects_adopt_cannot_tell_apart(
    tmp_path, capsys
):
    """The committed plans: each environment's contact is its own (named apart), with one address."""
    files, dev, prod = both(tmp_path, capsys, lambda config: None)
    assert owners(files[prod]) == []
    (finding,) = owners(files[prod], "warnings")
    assert finding["path"] == "lookout:channels.email"
    assert finding["message"] == (
        f"{dev} declares an UptimeRobot alert contact ('admin@optioeducation.com') too: each stack makes its "
        "own, and `lookout adopt`, which finds objects by email, cannot tell whose is whose"
    )


def test_identical_declarations_become_one_object_with_two_owners():
    """The second create would take the first's object over as an interrupted run's (providers/claims.py)."""
    contact = {"name": "Ops", "email": "ops@example.test", "ssl_expiration_reminder": True}
    made = Declaration("uptimerobot:AlertContact", "ops", None, contact)
    found = lint_owners.one_owner({"a": ({}, [made]), "b": ({"lookout:ops": "OPS@example.test"}, [made])})
    (finding,) = found["b"]
    assert (finding.severity, finding.path) == ("error", "lookout:ops")  # addresses match in any case
    assert "is declared alike by a: the second `up` would take over the first's object" in finding.message
    different = Declaration("uptimerobot:AlertContact", "ops", None, {**contact, "name": "Ops too"})
    (apart,) = lint_owners.one_owner({"a": ({}, [made]), "b": ({}, [different])})["b"]
    assert apart.severity == "warning"


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
