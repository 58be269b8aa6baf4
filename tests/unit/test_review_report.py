"""`review.changes` and `review.markdown` on hand-written preview digests (no engine needed)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pulumi.runtime.rpc import UNKNOWN

from harness.paths import REPO
from lookout import review

PREFIX = "urn:pulumi:dev::lookout::lookout:index:MonitoringStack$pulumi-python:dynamic/"


def urn(kind: str, name: str) -> str:
    return f"{PREFIX}{kind}::{name}"


def step(
    op: str,
    kind: str,
    name: str,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    *,
    outputs: dict[str, Any] | None = None,
    id_: str = "",
    depends: dict[str, list[str]] | None = None,
    replace: list[str] | None = None,
) -> dict[str, Any]:
    """One step as `pulumi preview --json` writes it (old outputs are the old inputs plus `outputs`)."""
    token = f"pulumi-python:dynamic/{kind}"
    found: dict[str, Any] = {"op": op, "urn": urn(kind, name)}
    if old is not None:
        found["oldState"] = {
            "custom": True,
            "type": token,
            "id": id_,
            "inputs": old,
            "outputs": {**old, **(outputs or {})},
        }
    if new is not None:
        deps = {k: [urn(*d.split("::")) for d in v] for k, v in (depends or {}).items()}
        found["newState"] = {"custom": True, "type": token, "inputs": new, "propertyDependencies": deps}
    if replace:
        found["replaceReasons"] = replace
    return found


def checked(kind: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """Inputs as the state holds them: as the provider's `check` returned them."""
    return review.normalised(review.specs()[kind], inputs)


PROJECT = checked(
    "sentry:Project",
    {"team": "optio-dev", "slug": "optio-dev-backend", "name": "backend", "platform": "python-flask"},
)
PROJECT_OUT = {"project_id": "4505000003"}
KEY = checked("sentry:ClientKey", {"project": "4505000003", "name": "lookout dev"})
KEY_OUT = {"key_id": "k1", "dsn": "[secret]", "public_key": "[secret]"}
DSN_VAR = checked("render:EnvVar", {"service": "optio-dev-backend", "key": "SENTRY_DSN", "value": "[secret]"})
MONITOR_INPUTS = {
    "project": "4505000003",
    "name": "dev backend error rate",
    "dataset": "events_analytics_platform",
    "aggregate": "failure_rate()",
    "query": "",
    "time_window": 3600,
    "direction": "above",
    "critical": 0.05,
    "owner_team_id": "4505000002",
}
MONITOR = checked("sentry:MetricMonitor", MONITOR_INPUTS)


def platform_change(*, project_op: str = "update") -> dict[str, Any]:
    """A Sentry project's platform changes (or the project is new): its DSN key, a metric monitor and the
    SENTRY_DSN env var take its outputs, which the preview cannot know."""
    new_project = {**PROJECT, "platform": "python-django"}
    if project_op == "create":
        project = step("create", "sentry:Project", "optio-dev-backend", None, new_project)
    else:
        project = step(
            "update", "sentry:Project", "optio-dev-backend", PROJECT, new_project, outputs=PROJECT_OUT
        )
    on_project = {"project": ["sentry:Project::optio-dev-backend"]}
    return {
        "steps": [
            project,
            step(
                "replace",
                "sentry:ClientKey",
                "optio-dev-backend-dsn",
                KEY,
                {**KEY, "project": UNKNOWN},
                outputs=KEY_OUT,
                id_="4505000003/k1",
                depends=on_project,
                replace=["project"],
            ),
            step(
                "replace",
                "sentry:MetricMonitor",
                "sentry-backend-error-rate",
                MONITOR,
                {**MONITOR, "project": UNKNOWN},
                id_="4505000011",
                depends=on_project,
                replace=["project"],
            ),
            step(
                "update",
                "render:EnvVar",
                "optio-dev-backend-SENTRY_DSN",
                DSN_VAR,
                {**DSN_VAR, "value": UNKNOWN},
                depends={"value": ["sentry:ClientKey::optio-dev-backend-dsn"]},
            ),
        ]
    }


def ops(found: list[review.Change]) -> dict[str, str]:
    return {c.name: c.op for c in found}


def test_dependents_of_an_updated_project_keep_its_id_and_are_not_predicted_to_change():
    found = review.changes(platform_change(), "dev", ["backend"])
    assert ops(found) == {"optio-dev-backend": "update"}
    assert found[0].fields == [("platform", "python-flask", "python-django")]


def test_dependents_of_a_new_project_are_still_replaced_and_their_values_known_after_apply():
    found = review.changes(platform_change(project_op="create"), "dev", ["backend"])
    assert ops(found) == {
        "optio-dev-backend": "create",
        "optio-dev-backend-dsn": "replace",
        "sentry-backend-error-rate": "replace",
        "optio-dev-backend-SENTRY_DSN": "update",
    }
    key = next(c for c in found if c.name == "optio-dev-backend-dsn")
    assert key.fields == [("project", "4505000003", review.KNOWN_AFTER_APPLY)]
    text = review.markdown("Planned changes", found, ["dev"], review.PLAN_WORDS, "before | after")
    assert UNKNOWN not in text
    assert '| project | "4505000003" | (known after apply) |' in text
    assert '| value | "[secret]" | (known after apply) |' in text


def test_an_input_the_upstream_update_changes_stays_a_change():
    team_old, team_new = {"slug": "optio-dev"}, {"slug": "optio-devs"}
    digest = {
        "steps": [
            # the team's slug is renamed in place: an input, not an identity, so its value changes
            step("update", "sentry:Team", "dev-team", team_old, team_new, outputs={"team_id": "7"}),
            step(
                "update",
                "sentry:Project",
                "optio-dev-backend",
                PROJECT,
                {**PROJECT, "team": UNKNOWN},
                outputs=PROJECT_OUT,
                depends={"team": ["sentry:Team::dev-team"]},
            ),
        ]
    }
    found = review.changes(digest, "dev", [])
    assert ops(found) == {"dev-team": "update", "optio-dev-backend": "update"}
    project = next(c for c in found if c.name == "optio-dev-backend")
    assert project.fields == [("team", "optio-dev", review.KNOWN_AFTER_APPLY)]


def test_unknown_values_nested_in_lists_and_dicts_read_known_after_apply():
    old = {"name": "dev: critical", "frequency": 30, "monitor_ids": ["1", "2"]}
    new = {**old, "monitor_ids": ["1", UNKNOWN], "actions": [{"type": "email", "target_id": UNKNOWN}]}
    digest = {"steps": [step("update", "sentry:Alert", "dev-critical-thresholds", old, new)]}
    found = review.changes(digest, "dev", [])
    fields = dict((f[0], f[2]) for f in found[0].fields)
    assert fields["monitor_ids[1]"] == review.KNOWN_AFTER_APPLY  # the leaf that changes; "1" is kept
    assert fields["actions"] == [{"type": "email", "target_id": review.KNOWN_AFTER_APPLY}]  # all new
    assert UNKNOWN not in json.dumps([c.fields for c in found])


def test_created_and_deleted_resources_are_one_line_of_key_fields_without_secrets():
    monitor = {
        "name": "dev frontend is reachable",
        "type": "HTTP",
        "url": "https://frontend.example.test",
        "interval": 300,
        "timeout": 30,
        "tags": ["lookout"],
    }
    digest = {
        "steps": [
            step("create", "uptimerobot:Monitor", "uptime-frontend", None, monitor),
            step(
                "create", "render:EnvVar", "optio-dev-backend-SENTRY_DSN", None, {**DSN_VAR, "value": UNKNOWN}
            ),
            step("delete", "sentry:Project", "optio-dev-docs", {**PROJECT, "slug": "optio-dev-docs"}, None),
        ]
    }
    found = review.changes(digest, "dev", ["frontend", "backend", "docs"])
    text = review.markdown("Planned changes", found, ["dev"], review.PLAN_WORDS, "before | after")
    rows = [line for line in text.splitlines() if line.startswith("| **")]
    assert rows == [
        '| **delete** | `sentry:Project` optio-dev-docs |  | slug: "optio-dev-docs", '
        'platform: "python-flask" | — |',
        '| **create** | `render:EnvVar` optio-dev-backend-SENTRY_DSN |  | — | service: "optio-dev-backend", '
        'key: "SENTRY_DSN" |',
        '| **create** | `uptimerobot:Monitor` uptime-frontend |  | — | type: "HTTP", '
        'url: "https://frontend.example.test" |',
    ]
    assert "interval" not in text and "value" not in text and "[secret]" not in text


def drifted_monitor(live_active: bool, declared_active: bool) -> dict[str, Any]:
    live = {
        "name": "dev site",
        "type": "HTTP",
        "url": "https://x.test",
        "interval": 900,
        "active": live_active,
    }
    declared = {**live, "interval": 300, "active": declared_active}
    return {"steps": [step("update", "uptimerobot:Monitor", "uptime-site", live, declared)]}


@pytest.fixture
def muted_monitor(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = review.specs()["uptimerobot:Monitor"]
    monkeypatch.setattr(spec, "muted", {"active": "paused outside Lookout"}, raising=False)


@pytest.mark.usefixtures("muted_monitor")
def test_a_muted_field_is_said_as_the_spec_words_it():
    found = review.changes(drifted_monitor(False, True), "dev", [], drift=True)
    text = review.markdown("Drift", found, ["dev"], review.DRIFT_WORDS, "live | declared")
    assert "## dev: 1 paused outside Lookout, 1 drifted" in text
    assert (
        "| **paused outside Lookout** | `uptimerobot:Monitor` uptime-site | active | false | true |" in text
    )
    assert "| **drifted** | `uptimerobot:Monitor` uptime-site | interval | 900 | 300 |" in text


@pytest.mark.usefixtures("muted_monitor")
def test_a_muted_field_switched_on_outside_or_in_a_plan_is_plain_drift():
    on_outside = review.changes(drifted_monitor(True, False), "dev", [], drift=True)
    assert [(c.verb, [f[0] for f in c.fields]) for c in on_outside] == [("", ["interval", "active"])]
    planned = review.changes(drifted_monitor(False, True), "dev", [], drift=False)
    assert [c.verb for c in planned] == [""]


def test_a_list_of_ids_unknown_as_a_whole_settles_when_each_id_is_kept():
    """A dashboard's project ids: one project is updated in place (its id stays), the other unchanged."""
    updated = review.Settled("update", {"platform"}, frozenset({"platform"}), {"project_id": "41"})
    same = review.Settled("same", set(), frozenset(), {"project_id": "42"})
    assert review.settle(UNKNOWN, ["41", "42"], [updated, same]) == (["41", "42"], True)
    replaced = review.Settled("replace", {"slug"}, frozenset({"slug"}), {"project_id": "41"})
    assert review.settle(UNKNOWN, ["41", "42"], [replaced, same]) == (["41", "42"], False)
    assert review.settle(UNKNOWN, ["41", "43"], [updated, same])[1] is False  # 43 is nobody's output


def test_a_field_the_plan_leaves_to_the_api_is_no_change_and_a_masked_secret_still_shows():
    """A refresh reads a cron job's branch back (the repository's default); the plan leaves it unset, so the
    diff ignores it and so does the report; the job's env vars are a secret, masked in the preview."""
    job = {
        "name": "optio-dev-system-health",
        "schedule": "*/5 * * * *",
        "repo": "https://github.com/optio/monitoring",
        "build_command": "pip install .",
        "start_command": "python -m lookout watch dev --once --from-env",
        "env_vars": review.SECRET,
    }
    drifted = step("update", "render:CronJob", "dev-health-job", {**job, "branch": "main"}, job)
    [change] = review.changes({"steps": [drifted]}, "dev", [], drift=True)
    assert change.fields == [("(secret value)", review.SECRET, review.SECRET)]


def alert(channel: str, **more: Any) -> dict[str, Any]:
    slack = {"type": "slack", "integration_id": "7", "channel": channel, "channel_id": ""}
    email = {"type": "email", "target_type": "team", "target_id": "12"}
    return checked(
        "sentry:Alert",
        {
            "name": "dev backend errors",
            "triggers": [{"type": "first_seen_event"}],
            "actions": [slack, email],
            **more,
        },
    )


def test_a_nested_change_is_shown_at_its_leaf_as_pulumi_preview_diff_shows_it():
    """A Slack channel changed inside a Sentry alert's actions: one row, `actions[0].channel`, not two
    truncated lists of objects (issue #30)."""
    found = review.changes(
        {"steps": [step("update", "sentry:Alert", "dev-alert", alert("alerts-dev"), alert("ops"), id_="9")]},
        "dev",
        [],
    )
    assert [c.fields for c in found] == [[("actions[0].channel", "alerts-dev", "ops")]]
    table = review.markdown("Plan", found, ["dev"], review.PLAN_WORDS, "before | after")
    assert '| actions[0].channel | "alerts-dev" | "ops" |' in table and "channel_id" not in table


def test_a_list_that_grew_and_an_unordered_one_show_what_joined_and_left():
    before = alert("ops", monitor_ids=["1", "2"])
    after = alert("ops", monitor_ids=["3", "1"])
    after["actions"] = [*after["actions"], {"type": "email", "target_type": "user", "target_id": "5"}]
    (change,) = review.changes(
        {"steps": [step("update", "sentry:Alert", "dev-alert", before, after, id_="9")]}, "dev", []
    )
    assert change.fields == [
        ("actions[]", None, {"type": "email", "target_type": "user", "target_id": "5"}),  # joined
        ("monitor_ids[0]", "2", "3"),  # "1" kept; "2" left as "3" joined: taken as the one edited
    ]


def test_a_large_plan_stays_short_counting_what_it_does_not_list():
    """500 new monitors of one service: five listed, the rest one row with their count (issue #30)."""
    steps = [
        step("create", "uptimerobot:Monitor", f"backend-check-{i}", None, {"friendly_name": f"check {i}"})
        for i in range(500)
    ]
    found = review.changes({"steps": steps}, "dev", ["backend"])
    table = review.markdown("Plan", found, ["dev"], review.PLAN_WORDS, "before | after")
    assert "## dev: 500 create" in table
    rows = [line for line in table.splitlines() if line.startswith("| **create**")]
    assert len(rows) == 6 and rows[-1] == "| **create** | … and 495 more `uptimerobot:Monitor` |  |  |  |"


def test_a_change_names_the_catalog_check_its_resource_serves():
    """Each change links to its check as the catalog lists it (`uptime:backend`), from what the stack file's
    plan makes; a resource no check is about (a team, a key) names none (issue #30)."""
    checks = review.checks_of("prod")
    assert checks["uptime-backend"] == "uptime:backend" and checks["sentry-backend-error-rate"] == (
        "sentry:backend:error-rate"
    )
    catalog = (REPO / "tests" / "golden" / "alert-catalog.md").read_text()
    assert all(f"`{key}`" in catalog for key in checks.values())
    old = checked(
        "uptimerobot:Monitor",
        {"type": "HTTP", "friendly_name": "b", "url": "https://b.test", "interval": 300},
    )
    steps = [step("update", "uptimerobot:Monitor", "uptime-backend", old, {**old, "interval": 600}, id_="1")]
    found = review.changes({"steps": steps}, "prod", ["backend"], checks=checks)
    table = review.markdown("Plan", found, ["prod"], review.PLAN_WORDS, "before | after")
    assert (
        "| **update** | `uptimerobot:Monitor` uptime-backend (`uptime:backend`) | interval | 300 | 600 |"
        in table
    )
    assert "team" not in " ".join(checks)  # only resources a check is about
