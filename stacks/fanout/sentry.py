"""Sentry: the team, a project and DSN per service, metric monitors, and alerts routed by severity."""

from __future__ import annotations

from typing import Any, Literal

import pulumi

from providers.resource import SpecResource
from providers.sentry.resources import (
    Alert,
    ClientKey,
    Dashboard,
    IntegrationLookup,
    MetricMonitor,
    PagerDutyService,
    Project,
    Team,
)

from .. import dashboards, names
from ..checks import Check
from ..payloads import MetricThreshold, NewIssues
from ..plan import Plan
from ..system_health import told_by_sentry, watch_project
from .pagerduty import Paging

HIGH, MEDIUM = 75, 50  # Sentry issue priorities of a monitor's critical and warning levels


def actions(
    plan: Plan, team: SpecResource, used: set[str], opts: pulumi.ResourceOptions, paging: Paging | None = None
) -> dict[str, dict[str, Any]]:
    """One alert action per channel."""
    env, found = (
        plan.environment,
        {"email": {"type": "email", "target_type": "team", "target_id": team.team_id}},
    )
    if "slack" in used and plan.channels.slack:
        slack = IntegrationLookup(
            f"{env}-sentry-slack", opts, provider="slack", name=plan.channels.slack.sentry_integration
        )
        found["slack"] = {
            "type": "slack",
            "integration_id": slack.integration_id,
            "channel": plan.channels.slack.channel,
        }
    if "pagerduty" in used and plan.channels.pagerduty:
        pd = plan.channels.pagerduty
        pager = IntegrationLookup(
            f"{env}-sentry-pagerduty", opts, provider="pagerduty", name=pd.sentry_integration
        )
        service_id: Any = pd.service
        if paging is not None:  # Sentry's row for the service lookout:oncall makes
            row = PagerDutyService(
                f"{env}-sentry-pagerduty-service",
                opts,
                integration_id=pager.integration_id,
                service=names.pagerduty_service(plan),
                integration_key=paging.integration_key,
            )
            service_id = row.service_id
        found["pagerduty"] = {
            "type": "pagerduty",
            "integration_id": pager.integration_id,
            "service_id": service_id,
        }
    return found


def build(
    plan: Plan, checks: list[Check], opts: pulumi.ResourceOptions, paging: Paging | None = None
) -> dict[str, SpecResource]:
    mine = [c for c in checks if c.vendor == "sentry"]
    if not mine:
        return {}
    env = plan.environment
    team = Team(f"{env}-team", opts, slug=plan.team, adopt_key="sentry:team")  # adopted on its 409
    wanted = {ch for c in mine for ch in c.channels} | set(plan.routed("warning"))
    routes = actions(plan, team, wanted | set(told_by_sentry(plan, "critical")), opts, paging)
    projects: dict[str, SpecResource] = {}
    keys: dict[str, SpecResource] = {}
    for svc in plan.services:
        if not svc.sentry_platform:
            continue
        slug = plan.project_slug(svc)
        projects[slug] = Project(
            slug,
            opts,
            team=team.slug,
            slug=slug,
            name=f"{plan.app} {svc.name} ({env})",
            platform=svc.sentry_platform,
            default_key="remove",
            **names.adoption(plan, f"sentry:project:{svc.name}", by_id=False),
        )
        keys[svc.name] = ClientKey(
            f"{slug}-dsn", opts, project=projects[slug].project_id, name=f"lookout {env}"
        )
    widgets = dashboards.widgets(plan)
    if plan.dashboards.sentry and widgets:
        Dashboard(
            f"{env}-dashboard",
            opts,
            title=names.dashboard(plan),
            projects=[p.project_id for p in projects.values()],
            environment=[env],  # SENTRY_ENVIRONMENT of the services (fanout/render.py)
            period=plan.dashboards.period,
            widgets=widgets,
            **names.adoption(plan, "sentry:dashboard"),
        )
    monitors: dict[str, list[pulumi.Output[str]]] = {"critical": [], "warning": []}
    for check in mine:
        d = check.payload
        if not isinstance(d, NewIssues | MetricThreshold):
            continue
        project = projects[d.project]
        if isinstance(d, NewIssues):
            if not check.channels:
                continue  # nobody to tell (lint reports it)
            Alert(
                check.key.replace(":", "-"),
                opts,
                name=names.issue_alert(plan, check),
                frequency=30,
                triggers=["first_seen_event", "regression_event"],
                project=project.project_id,
                default_detectors=["issue_stream"],
                actions=[routes[ch] for ch in check.channels],
                **names.adoption(plan, check.key),
            )
            continue
        monitor = MetricMonitor(
            check.key.replace(":", "-"),
            opts,
            project=project.project_id,
            name=names.monitor(plan, check),
            dataset=d.dataset,
            aggregate=d.aggregate,
            query=d.query,
            time_window=d.time_window,
            critical=d.critical,
            warning=d.warning,
            owner_team_id=team.team_id,
            **names.adoption(plan, check.key),
        )
        for level in ("critical", "warning"):
            if d.level(level) is not None:
                monitors[level].append(monitor.id)
    levels: tuple[tuple[Literal["critical", "warning"], int], ...] = (("critical", HIGH), ("warning", MEDIUM))
    for severity, priority in levels:
        if monitors[severity] and plan.routed(severity):
            Alert(
                f"{env}-{severity}-thresholds",
                opts,
                name=names.threshold_alert(plan, severity),
                # As Sentry makes its own metric alerts: act when an issue reaches the level and when it
                # falls back below it or resolves (without the de-escalation filter nobody hears the
                # resolve), with no frequency (a throttle would swallow an escalation or the resolve):
                # docs/vendors/sentry.md, "How a metric monitor fires".
                frequency=0,
                monitor_ids=monitors[severity],
                filters=[
                    {"type": "issue_priority_greater_or_equal", "comparison": priority},
                    {"type": "issue_priority_deescalating", "comparison": priority},
                ],
                filter_match="any",
                actions=[routes[ch] for ch in plan.routed(severity)],
                **names.adoption(plan, names.threshold_alert_key(severity)),
            )
    _system_health(plan, checks, projects, routes, opts)
    return keys


def _system_health(
    plan: Plan,
    checks: list[Check],
    projects: dict[str, SpecResource],
    routes: dict[str, Any],
    opts: pulumi.ResourceOptions,
) -> None:
    """The system-health job (`lookout watch`) reports each finding as an issue of the backend's project,
    tagged `lookout.severity`: its new-issues alert tells the warning routes; this alert tells a critical
    finding's further ones (the plan's e-mail), on the same triggers."""
    backend = watch_project(plan)
    extra = [c for c in told_by_sentry(plan, "critical") if c not in told_by_sentry(plan, "warning")]
    if backend is None or not extra or not any(c.vendor == "lookout" for c in checks):
        return
    Alert(
        f"{plan.environment}-system-health-critical",
        opts,
        name=names.system_health_alert(plan),
        frequency=30,
        triggers=["first_seen_event", "regression_event"],
        project=projects[plan.project_slug(backend)].project_id,
        default_detectors=["issue_stream"],
        filters=[
            {
                "type": "tagged_event",
                "comparison": {"key": "lookout.severity", "match": "eq", "value": "critical"},
            }
        ],
        actions=[routes[ch] for ch in extra],
        **names.adoption(plan, "sentry:system-health"),
    )
