"""`lookout lint`: the committed stacks are clean, and each fixture (a committed stack with one thing broken)
fails its rule at the right YAML path."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.paths import REPO
from lookout import lint
from lookout.__main__ import main
from lookout.lint_rules import Finding
from lookout.lint_secrets import no_plain_secrets
from stacks.checks import UNCOVERED

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lint"

# Secret-shaped values are assembled at run time, so that no key-shaped literal sits in the repository.
FAKE_RENDER_KEY = "rnd_" + "0123456789abcdefABCDEF"
FAKE_UPTIMEROBOT_KEY = "u1234567-" + "0123456789abcdef0123456789"
FAKE_SENTRY_TOKEN = "sntryu_" + "0123456789abcdefghijklmnop"


def fixture(name: str) -> Path:
    return FIXTURES / f"{name}.yaml"


def found(findings: list[Finding], severity: str) -> set[tuple[str, str]]:
    return {(f.rule, f.path) for f in findings if f.severity == severity}


def variant(tmp_path: Path, base: str, change: Callable[[dict[str, Any]], None]) -> Path:
    """A fixture changed further, written next to the test."""
    doc = yaml.safe_load(fixture(base).read_text())
    change(doc["config"])
    path = tmp_path / f"{base}-variant.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def committed_variant(tmp_path: Path, stack: str, change: Callable[[dict[str, Any]], None]) -> Path:
    """A committed stack file changed, written next to the test."""
    doc = yaml.safe_load((REPO / f"Pulumi.{stack}.yaml").read_text())
    change(doc["config"])
    path = tmp_path / f"Pulumi.{stack}-variant.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_committed_stacks_lint_without_errors(stack, capsys):
    assert lint.run([stack], "text") == 0
    out = capsys.readouterr().out.splitlines()
    assert all(line.startswith(f"Pulumi.{stack}.yaml: ") for line in out[:-1])
    assert not [line for line in out if ": error " in line]
    assert out[-1].startswith("0 errors, ")


# fixture → the rule and path of its only error
FAILING = [
    ("config", "config", "lookout:services[1].health_path"),
    ("config-routing", "config", "lookout:routing.critical"),
    ("uptime-coverage-silent", "uptime-coverage", "lookout:routing.critical"),
    ("health-path-match", "health-path-match", "lookout:services[0].health_path"),
    (
        "sentry-alerting",
        "sentry-alerting",
        "lookout:services[0].sentry_platform lookout:services[1].sentry_platform",
    ),
    ("prod-pages", "prod-pages", "lookout:routing.critical"),
    ("dev-never-pages", "dev-never-pages", "lookout:routing.critical[0]"),
    # the plan itself now refuses these three (at preview too); lint reports them as config errors
    ("threshold-order", "config", "lookout:thresholds.error_rate_warning"),
    ("threshold-order-percent", "config", "lookout:thresholds.error_rate_critical"),  # a rate above 1
    ("plan-limits", "config", "lookout:thresholds.check_interval"),
    ("plan-limits-window", "plan-limits", "lookout:thresholds.window_seconds"),
    ("plan-limits-heartbeat", "plan-limits", "lookout:heartbeat.interval"),
    ("job-heartbeat", "job-heartbeat", "lookout:heartbeat.interval"),
    ("plan-limits-vendor-plan", "config", "lookout:uptimerobot_plan"),
    ("no-plain-secrets", "no-plain-secrets", "lookout:slackWebhookUrl"),
    # a key pasted where its config key's name belongs no longer validates: the config rule names it
    ("no-plain-secrets-reference", "config", "lookout:channels.pagerduty.key_secret"),
    ("no-plain-secrets-namespace", "no-plain-secrets", "sentry:authToken"),
]


@pytest.mark.parametrize(("name", "rule", "path"), FAILING)
def test_each_fixture_fails_its_rule_at_its_path(name, rule, path):
    findings = lint.lint_file(fixture(name))
    errors = found(findings, "error")
    assert {(rule, p) for p in path.split()} <= errors  # full config keys, as the stack file spells them
    assert {p for _, p in errors} == set(path.split())  # nothing else is wrong with the fixture
    assert lint.run([str(fixture(name))], "text") == 1


# fixture → a (rule, path) it warns about, without any error
WARNING = [
    ("uptime-coverage", "uptime-coverage", "lookout:services[0].url"),
    ("health-path-match-keyword", "health-path-match", "lookout:services[1].health_keyword"),
    ("dev-never-pages-channel", "dev-never-pages", "lookout:channels.pagerduty"),
    ("job-heartbeat-grace", "job-heartbeat", "lookout:heartbeat.interval"),
    ("slo-retention", "slo-retention", "lookout:slos.window_days"),
    ("muted", "muted", "lookout:maintenance_windows[0].duration"),
    ("never-escalates", "never-escalates", "lookout:oncall.escalate_to"),
    ("dev-never-pages", "dev-never-pages", "lookout:channels.pagerduty"),
    (
        "sentry-alerting",
        "sentry-alerting",
        "lookout:routing.warning",
    ),  # the warning-level monitors alert nobody
]


@pytest.mark.parametrize(("name", "rule", "path"), WARNING)
def test_warning_fixtures_warn_at_their_path(name, rule, path):
    findings = lint.lint_file(fixture(name))
    assert (rule, path) in found(findings, "warning")
    if name not in ("dev-never-pages", "sentry-alerting"):
        assert found(findings, "error") == set()
        assert lint.run([str(fixture(name))], "text") == 0


@pytest.mark.parametrize(
    ("interval", "duration", "days", "muted"),
    [
        ("daily", 1439, [], False),
        ("daily", 1440, [], True),
        ("weekly", 1440, [1, 2, 3, 4, 5, 6], False),  # Sundays are watched
        ("weekly", 1440, [1, 2, 3, 4, 5, 6, 7], True),
        ("weekly", 2880, [1, 3, 5, 7], True),  # each occurrence runs into the next day
        ("weekly", 10080, [3], True),
        ("monthly", 1440, [1, 15], False),
        ("once", 100000, [], False),  # it ends
    ],
)
def test_a_window_is_muted_only_when_its_occurrences_cover_their_whole_cycle(
    tmp_path, interval, duration, days, muted
):
    text = fixture("muted").read_text().replace("interval: daily", f"interval: {interval}")
    text = text.replace("duration: 1440", f"duration: {duration}\n      days: {days}")
    kept = tmp_path / "Pulumi.dev.yaml"
    kept.write_text(text)
    findings = lint.lint_file(kept)
    assert found(findings, "error") == set()
    assert ("muted" in {f.rule for f in findings}) == muted


@pytest.mark.parametrize(
    ("schedule", "interval", "path", "words"),
    [
        # the 15th of each month: the gap is a month, however the 8 days after a fixed date look
        ("0 0 15 * *", 300, "lookout:heartbeat.interval", "up to 31 days apart"),
        # the 31st: from August 31 to October 31 is 61 days, more than any heartbeat waits (31 days)
        ("0 0 31 * *", 2678400, "lookout:health_job.schedule", "up to 61 days apart"),
        ("0 0 29 2 *", 2678400, "lookout:health_job.schedule", "up to 1461 days apart"),  # leap days
    ],
)
def test_a_job_that_runs_rarely_is_reported_down_between_runs(tmp_path, schedule, interval, path, words):
    def rare(config: dict[str, Any]) -> None:
        config["lookout:health_job"]["schedule"] = schedule
        config["lookout:heartbeat"]["interval"] = interval

    findings = lint.lint_file(committed_variant(tmp_path, "dev", rare))
    (finding,) = [f for f in findings if f.rule == "job-heartbeat"]
    assert (finding.severity, finding.path) == ("error", path)
    assert words in finding.message


def test_a_monthly_job_with_a_monthly_heartbeat_passes(tmp_path):
    def monthly(config: dict[str, Any]) -> None:
        config["lookout:health_job"]["schedule"] = "0 0 1 * *"  # 31 days at most (January to February)
        config["lookout:heartbeat"].update(interval=2678400, grace=3600)

    findings = lint.lint_file(committed_variant(tmp_path, "dev", monthly))
    assert "job-heartbeat" not in {f.rule for f in findings}


def test_a_heartbeat_whose_alerts_reach_no_channel_can_never_fire(tmp_path):
    def silent(config: dict[str, Any]) -> None:
        config["lookout:routing"]["warning"] = []

    findings = lint.lint_file(committed_variant(tmp_path, "dev", silent))
    (never,) = [f for f in findings if f.rule == "never-fires"]
    assert (never.severity, never.path) == ("warning", "lookout:routing.warning")
    assert never.message.startswith("the system-health heartbeat alerts nobody when its job stops")
    assert "never-fires" not in {f.rule for f in lint.lint_file(REPO / "Pulumi.dev.yaml")}


def test_maintenance_windows_need_a_paid_uptimerobot_plan(tmp_path):
    """help.uptimerobot.com/en/articles/11360884: "exclusively available with our paid plans"."""
    window: dict[str, Any] = {"name": "deploys", "interval": "weekly", "date": "2026-01-05"}
    window.update(time="03:00:00", duration=30)

    def on(plan: str) -> Callable[[dict[str, Any]], None]:
        def change(config: dict[str, Any]) -> None:
            config["uptimerobot:plan"] = plan
            config["lookout:maintenance_windows"] = [window, {**window, "name": "backups"}]

        return change

    free = lint.lint_file(committed_variant(tmp_path, "dev", on("free")))
    (finding,) = [f for f in free if f.severity == "error"]
    assert (finding.rule, finding.path) == ("plan-limits", "lookout:maintenance_windows")
    assert finding.message.startswith("2 maintenance windows declared, but UptimeRobot's free plan has none")
    paid = lint.lint_file(committed_variant(tmp_path, "dev", on("solo")))
    assert not [f for f in paid if f.severity == "error"]


def test_a_window_within_what_the_organizations_plan_keeps_does_not_warn(tmp_path):
    """An organization that keeps spans longer (a plan billed by transactions: 90 days) says so."""
    text = (
        fixture("slo-retention")
        .read_text()
        .replace("    window_days: 60", "    span_retention_days: 90\n    window_days: 60")
    )
    kept = tmp_path / "Pulumi.prod.yaml"
    kept.write_text(text)
    assert "slo-retention" not in {f.rule for f in lint.lint_file(kept)}
    message = next(f.message for f in lint.lint_file(fixture("slo-retention")) if f.rule == "slo-retention")
    assert message == (
        "60 days is longer than the 30 days Sentry keeps spans (slos.span_retention_days): backend errors, "
        "backend latency, frontend latency would count only the last 30 days"
    )


def test_secrets_set_with_pulumi_are_not_plan_keys_and_lint_clean():
    """Pulumi.prod.yaml plus secure lookout:slackWebhookUrl, pagerdutyKey, logStreamToken and vendor keys."""
    findings = lint.lint_file(fixture("secure-secrets"))
    assert found(findings, "warning") == {
        (
            "health-path-match",
            "lookout:services[1].health_path",
        ),  # the prod frontend has no Render health check
        ("plan-limits", "lookout:thresholds.down_after"),  # the free plan alerts on the first failed check
        ("oncall", "lookout:oncall"),  # its PagerDuty service was set up by hand
    }
    assert found(findings, "error") == set()


def test_a_render_service_whose_health_path_nobody_watches_warns():
    findings = lint.lint_file(fixture("dev-never-pages-channel"))  # Pulumi.dev.yaml's frontend
    assert ("health-path-match", "lookout:services[1].health_keyword") in found(findings, "warning")


def test_dev_relying_on_the_default_routing_is_told_it_pages(tmp_path):
    path = variant(tmp_path, "dev-never-pages-channel", lambda config: config.pop("lookout:routing"))
    assert ("dev-never-pages", "lookout:routing.critical") in found(lint.lint_file(path), "error")


def test_an_invalid_file_reports_config_errors_and_still_its_plain_secrets(tmp_path):
    def break_both(config: dict[str, Any]) -> None:
        config["lookout:thresholds"]["check_intervall"] = 300
        config["render:apiKey"] = FAKE_RENDER_KEY

    findings = lint.lint_file(variant(tmp_path, "plan-limits", break_both))
    assert found(findings, "error") == {
        ("config", "lookout:thresholds.check_intervall"),
        ("no-plain-secrets", "render:apiKey"),
    }
    assert not [f for f in findings if f.rule not in ("config", "no-plain-secrets")]  # plan rules skipped


def test_a_missing_file_is_an_error(tmp_path, capsys):
    assert lint.run([str(tmp_path / "Pulumi.nope.yaml")], "text") == 1
    assert "error [config] no stack file" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("config", "path"),
    [
        ({"lookout:logStreamToken": "abc"}, "lookout:logStreamToken"),
        ({"lookout:log_stream": {"endpoint": "logs:1", "token": "abc"}}, "lookout:log_stream.token"),
        ({"render:apiKey": FAKE_RENDER_KEY}, "render:apiKey"),
        ({"ops:notes": FAKE_RENDER_KEY}, "ops:notes"),
        ({"ops:dsn": "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1"}, "ops:dsn"),
        ({"ops:keys": [FAKE_UPTIMEROBOT_KEY]}, "ops:keys[0]"),
        ({"ops:token": {"value": "x"}}, "ops:token"),
        ({"ops:sentry": FAKE_SENTRY_TOKEN}, "ops:sentry"),
        ({"ops:pager": "0123456789abcdef0123456789abcdef"}, "ops:pager"),
        ({"ops:db": {"Password": "hunter2"}}, "ops:db.Password"),
        ({"lookout:channels": {"pagerduty": {"key_secret": "pd"}}, "lookout:pd": "abc"}, "lookout:pd"),
        (
            {"lookout:channels": {"slack": {"webhook_secret": "https://hooks.slack.com/services/T0/B0/X"}}},
            "lookout:channels.slack.webhook_secret",
        ),
    ],
)
def test_plain_secrets_are_found_wherever_they_are(config, path):
    assert [(f.rule, f.path) for f in no_plain_secrets(config)] == [("no-plain-secrets", path)]


def test_references_public_urls_and_encrypted_values_are_not_secrets():
    config = {
        "render:apiKey": {"secure": "v1:abc"},
        "lookout:services": [{"url": "https://optio-dev-backend.onrender.com", "health_keyword": "healthy"}],
        "lookout:channels": {
            "slack": {"webhook_secret": "slackWebhookUrl"},
            "pagerduty": {"key_secret": "pd"},
        },
        "lookout:slackWebhookUrl": {"secure": "v1:def"},
        "lookout:log_stream": {"endpoint": "logs.papertrailapp.com:12345", "token": {"secure": "v1:x"}},
        "render:ownerId": "tea-optio-workspace",
        "ops:token_ttl_seconds": 3600,
    }
    assert list(no_plain_secrets(config)) == []


def test_text_output_one_line_per_finding_then_the_summary(capsys):
    assert lint.run([str(fixture("config"))], "text") == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{fixture('config')}: error lookout:services[1].health_path [config] must start with /",
        "1 error, 0 warnings",
    ]


def test_text_output_lists_what_no_vendor_covers_as_info(capsys):
    lint.run(["dev"], "text")
    info = [line for line in capsys.readouterr().out.splitlines() if ": info [uncovered] " in line]
    assert len(info) == len(UNCOVERED)


def test_json_output(capsys):
    assert main(["lint", "prod", str(fixture("prod-pages")), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"files", "errors", "warnings"}
    assert list(doc["files"]) == ["Pulumi.prod.yaml", str(fixture("prod-pages"))]
    for report in doc["files"].values():
        assert set(report) == {"errors", "warnings", "info"}
        for item in report["errors"] + report["warnings"] + report["info"]:
            assert set(item) == {"rule", "path", "message"}
        assert len(report["info"]) == len(UNCOVERED)
    assert doc["files"]["Pulumi.prod.yaml"]["errors"] == []
    assert [e["rule"] for e in doc["files"][str(fixture("prod-pages"))]["errors"]] == ["prod-pages"]
    assert doc["errors"] == 1
    assert doc["warnings"] == sum(len(r["warnings"]) for r in doc["files"].values())


def test_the_command_line():
    result = subprocess.run(
        [sys.executable, "-m", "lookout", "lint", str(fixture("prod-pages"))],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert f"{fixture('prod-pages')}: error lookout:routing.critical [prod-pages] " in result.stdout
    assert result.stdout.splitlines()[-1].startswith("1 error, ")


def test_prod_paging_must_reach_a_rotation_of_people_who_hand_over_and_escalate(tmp_path):
    def alone(config: dict[str, Any]) -> None:
        config["lookout:oncall"].update(people=["alex@optioeducation.com"], escalate_to=[], loops=0)

    findings = lint.lint_file(committed_variant(tmp_path, "prod", alone))
    assert ("oncall", "lookout:oncall.people") in found(findings, "error")
    assert ("oncall", "lookout:oncall.escalate_to") in found(findings, "warning")
    committed = lint.lint_file(REPO / "Pulumi.prod.yaml")
    assert not [f for f in committed if f.rule == "oncall"]  # three people, a backup, one more loop


def test_oncall_in_dev_is_refused_naming_the_key(tmp_path):
    def paging_dev(config: dict[str, Any]) -> None:
        config["lookout:oncall"] = {"people": ["a@optio.test", "b@optio.test"]}

    findings = lint.lint_file(committed_variant(tmp_path, "dev", paging_dev))
    assert any("dev never pages; lookout:oncall belongs to prod" in f.message for f in findings)


@pytest.mark.parametrize(
    ("keyword", "warned"),
    [("healthy", True), ("health", True), ("OK", True), ("pong", False), ('"status":"healthy"', False)],
)
def test_a_health_keyword_the_unhealthy_answer_also_contains_is_warned(tmp_path, keyword, warned):
    """The plan's health endpoint answers {"status": "unhealthy"} with a 503 when the database fails
    (docs/monitoring-plan.txt, Step 3): a keyword monitor waiting for 'healthy' still finds it there."""

    def use(config: dict[str, Any]) -> None:
        config["lookout:services"][0]["health_keyword"] = keyword

    findings = lint.lint_file(variant(tmp_path, "uptime-coverage", use))
    keyed = [f for f in findings if f.path == "lookout:services[0].health_keyword"]
    assert [(f.rule, f.severity) for f in keyed] == ([("health-keyword", "warning")] if warned else [])
    assert not warned or "is also in the answer of a failing health check" in keyed[0].message
