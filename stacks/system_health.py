"""The system-health job's checks (`lookout watch`, lookout/watch.py): what no vendor here alerts on, the
database through Supabase's Management API and each Render service's CPU and memory against its
instance's limits. Nothing is deployed for them but the job; its findings reach people through the
backend's Sentry project and PagerDuty (`told_by_sentry`)."""

from __future__ import annotations

from .check import Check, Severity, runbook
from .payloads import Watched
from .plan import Channel, Plan, Service


def checks(plan: Plan) -> list[Check]:
    """What the system-health job checks, in catalog order."""
    t, checks = plan.thresholds, []
    if plan.database:
        ref = plan.database.supabase_project
        rows: list[tuple[str, str, str, Severity, float | None]] = [
            ("database", "database reachable", "Supabase reports the database unhealthy", "critical", None),
            (
                "pooler",
                "connection pooler reachable",
                "Supabase reports the pooler unhealthy",
                "warning",
                None,
            ),
            (
                "storage",
                "database storage",
                f"disk used > {t.storage_percent:g}%",
                "warning",
                t.storage_percent,
            ),
            (
                "connections",
                "database connections",
                f"connections > {t.connections_percent:g}% of max_connections",
                "warning",
                t.connections_percent,
            ),
            (
                "backups",
                "database backups",
                f"no completed backup in {t.backup_max_age_hours:g} h",
                "warning",
                t.backup_max_age_hours,
            ),
            (
                "slow-queries",
                "database query time",
                f"a statement's mean time > {t.slow_query_ms:g} ms",
                "warning",
                t.slow_query_ms,
            ),
        ]
        for measure, title, condition, severity, threshold in rows:
            checks.append(
                Check(
                    f"watch:database:{measure}",
                    "lookout",
                    "watch",
                    title,
                    condition,
                    severity,
                    tuple(plan.routed(severity)),
                    None,
                    runbook(plan, f"database-{measure}"),
                    Watched(measure, ref, threshold),
                )
            )
    for svc in plan.services:
        if not svc.render_service:
            continue
        for measure, limit in (("cpu", t.cpu_percent), ("memory", t.memory_percent)):
            checks.append(
                Check(
                    f"watch:{svc.name}:{measure}",
                    "lookout",
                    "watch",
                    f"{svc.name} {measure.upper() if measure == 'cpu' else measure}",
                    f"{measure} > {limit:g}% of the instance's limit over {t.usage_minutes} min",
                    "warning",
                    tuple(plan.routed("warning")),
                    svc.name,
                    runbook(plan, measure),
                    Watched(measure, svc.render_service, limit, t.usage_minutes),
                )
            )
    return checks


def watch_project(plan: Plan) -> Service | None:
    """The Sentry project the system-health job reports its findings to: the first backend's."""
    return next((s for s in plan.services if s.role == "backend" and s.sentry_platform), None)


def told_by_sentry(plan: Plan, severity: Severity) -> list[Channel]:
    """The channels Sentry carries for a system-health finding of `severity` (lookout/watch.py): the
    project's new-issues alert carries the warning routes' e-mail and Slack, and the `system-health`
    alert (stacks/fanout/sentry.py) what a critical finding adds to them; PagerDuty is paged by the job."""
    if watch_project(plan) is None:
        return []
    carried: list[Channel] = [c for c in plan.routed("warning") if c in ("email", "slack")]
    if severity == "critical":
        carried += [c for c in plan.routed("critical") if c in ("email", "slack") and c not in carried]
    return carried


# What the deployed job runs with (its Render cron job's env vars, stacks/fanout/render.py): where its
# alerts go, by route (lookout/watch.py `routes_from_env`) ...
JOB_ROUTES = {
    "sentry_dsn": "LOOKOUT_SENTRY_DSN",
    "pagerduty_key": "LOOKOUT_PAGERDUTY_KEY",
    "slack_webhook": "LOOKOUT_SLACK_WEBHOOK",
    "heartbeat_url": "LOOKOUT_HEARTBEAT_URL",
}
# ... and the account settings it reads, each under the env var name providers/settings.py falls back to.
JOB_SETTINGS = (
    "supabase:endpoint",
    "supabase:accessToken",
    "render:endpoint",
    "render:apiKey",
    "render:ownerId",
    "sentry:endpoint",
    "sentry:ingestEndpoint",
    "sentry:authToken",
    "sentry:organization",
    "pagerduty:eventsEndpoint",
    "slack:endpoint",
)


def job_command(stack: str) -> tuple[str, str]:
    """The cron job's build and start commands: this repository installed, then one run of the job for
    the stack (its plan is the repository's Pulumi.<stack>.yaml)."""
    return "pip install .", f"python -m lookout watch {stack} --once --from-env"
