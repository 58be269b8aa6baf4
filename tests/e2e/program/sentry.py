"""The Sentry part of the plan: a team, its projects and DSNs, metric monitors, and alerts that route
new issues and monitor breaches to e-mail, Slack and PagerDuty."""

from __future__ import annotations

from typing import Any

import pulumi

from providers.resource import SpecResource
from providers.sentry.resources import (
    Alert,
    ClientKey,
    IntegrationLookup,
    MetricMonitor,
    Project,
    Team,
)

from .dialect import Sentry


def actions(env: str, cfg: Sentry, team: SpecResource) -> list[dict[str, Any]]:
    routed: list[dict[str, Any]] = []
    if cfg.notify.email_team:
        routed.append({"type": "email", "target_type": "team", "target_id": team.team_id})
    if cfg.notify.slack:
        slack = IntegrationLookup(f"{env}-slack", provider="slack", name=cfg.notify.slack.integration)
        routed.append(
            {"type": "slack", "integration_id": slack.integration_id, "channel": cfg.notify.slack.channel}
        )
    if cfg.notify.pagerduty:
        pager = IntegrationLookup(
            f"{env}-pagerduty", provider="pagerduty", name=cfg.notify.pagerduty.integration
        )
        routed.append(
            {
                "type": "pagerduty",
                "integration_id": pager.integration_id,
                "service_id": cfg.notify.pagerduty.service,
            }
        )
    return routed


def build(env: str, cfg: Sentry) -> dict[str, Any]:
    adopt = cfg.adopt_existing
    team = Team(f"{env}-team", slug=cfg.team, adopt=adopt)
    projects = {
        p.slug: Project(
            p.slug,
            team=team.slug,
            slug=p.slug,
            name=p.name,
            platform=p.platform,
            default_key=cfg.default_key,
            adopt=adopt,
        )
        for p in cfg.projects
    }
    keys = {
        slug: ClientKey(f"{slug}-dsn", project=project.project_id, name=f"lookout {env}")
        for slug, project in projects.items()
    }
    monitors = [
        MetricMonitor(
            m.name,
            project=projects[m.project].project_id,
            name=m.name,
            dataset=m.dataset,
            aggregate=m.aggregate,
            query=m.query,
            environment=cfg.environment,
            time_window=m.time_window,
            direction=m.direction,
            critical=m.critical,
            warning=m.warning,
            resolve=m.resolve,
            owner_team_id=team.team_id,
        )
        for m in cfg.monitors
    ]
    routed = actions(env, cfg, team)
    frequency = cfg.notify.frequency
    for slug, project in projects.items():
        Alert(
            f"{slug}-new-issues",
            name=f"{slug}: new and regressed issues",
            environment=cfg.environment,
            frequency=frequency,
            triggers=["first_seen_event", "regression_event"],
            project=project.project_id,
            default_detectors=["issue_stream"],
            actions=routed,
        )
    if monitors:
        Alert(
            f"{env}-monitor-breaches",
            name=f"{env}: monitor thresholds crossed",
            environment=cfg.environment,
            frequency=frequency,
            monitor_ids=[m.id for m in monitors],
            actions=routed,
        )
    pulumi.export("sentry_projects", {slug: p.project_id for slug, p in projects.items()})
    pulumi.export("sentry_dsns", {slug: k.dsn for slug, k in keys.items()})  # secret outputs
    return {"team": team, "projects": projects, "keys": keys, "monitors": monitors}
