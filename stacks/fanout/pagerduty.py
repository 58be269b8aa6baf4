"""PagerDuty: the plan's on-call (`lookout:oncall`) as a schedule, an escalation policy over it, the service
alerts open incidents on, and the Events v2 integration whose key UptimeRobot and Sentry page with."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from providers.pagerduty.resources import EscalationPolicy, EventsIntegration, Schedule, Service, UserLookup
from providers.resource import SpecResource

from .. import names
from ..plan import WEEKDAYS, Plan


@dataclass(frozen=True)
class Paging:
    """What the other vendors page through."""

    service: SpecResource
    integration_key: pulumi.Output[str]


def paging_key(plan: Plan, paging: Paging | None) -> pulumi.Output[str] | None:
    """The Events v2 key alerts page with: that of the integration lookout:oncall makes, else the one the
    plan names by its secret config key (`channels.pagerduty.key_secret`); none if neither."""
    if paging is not None:
        return paging.integration_key
    pd = plan.channels.pagerduty
    return pulumi.Config("lookout").require_secret(pd.key_secret) if pd and pd.key_secret else None


def build(plan: Plan, opts: pulumi.ResourceOptions) -> Paging | None:
    oncall = plan.oncall
    routed = {c for severity in ("critical", "warning", "info") for c in plan.routed(severity)}
    if oncall is None or "pagerduty" not in routed:
        return None  # dev never pages (the plan refuses lookout:oncall there)
    env = plan.environment
    everyone = list(dict.fromkeys([*oncall.people, *oncall.escalate_to]))
    people = {
        email: UserLookup(f"{env}-oncall-person-{i}", opts, email=email) for i, email in enumerate(everyone)
    }
    weekly = oncall.rotation == "weekly"
    layer = {
        "name": "rotation",
        "users": [people[e].user_id for e in oncall.people],
        "turn_days": 7 if weekly else 1,
        "handoff": oncall.handoff,
        "handoff_day": WEEKDAYS.index(oncall.handoff_day) + 1 if weekly else None,
    }
    schedule = Schedule(
        f"{env}-oncall-schedule",
        opts,
        name=names.oncall_schedule(plan),
        time_zone=oncall.time_zone,
        layers=[layer],
        **names.adoption(plan, "pagerduty:schedule"),
    )
    rules = [{"delay_minutes": oncall.escalate_after, "schedules": [schedule.id]}]
    if oncall.escalate_to:
        backup = [people[e].user_id for e in oncall.escalate_to]
        rules.append({"delay_minutes": oncall.escalate_after, "users": backup})
    policy = EscalationPolicy(
        f"{env}-oncall-policy",
        opts,
        name=names.oncall_policy(plan),
        rules=rules,
        num_loops=oncall.loops,
        **names.adoption(plan, "pagerduty:escalationpolicy"),
    )
    service = Service(
        f"{env}-pagerduty-service",
        opts,
        name=names.pagerduty_service(plan),
        escalation_policy=policy.id,
        urgency=oncall.urgency,
        **names.adoption(plan, "pagerduty:service"),
    )
    # An adopted service may carry Lookout's integration already: found by name instead of made twice.
    adopted = "pagerduty:service" in plan.adopt
    events = EventsIntegration(
        f"{env}-pagerduty-events", opts, service=service.id, name="Lookout", adopt=adopted
    )
    return Paging(service, events.integration_key)
