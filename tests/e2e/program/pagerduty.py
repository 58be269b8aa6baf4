"""PagerDuty on-call objects declared directly: people looked up by address, one escalation policy, services
on it, and an Events API v2 integration whose key is exported as a secret; optionally an on-call schedule
of those people and a maintenance window over those services."""

from __future__ import annotations

import pulumi

from providers.pagerduty.resources import (
    EscalationPolicy,
    EventsIntegration,
    MaintenanceWindow,
    Schedule,
    Service,
    UserLookup,
)

from .dialect import PagerDuty


def build(env: str, cfg: PagerDuty) -> None:
    people = {email: UserLookup(f"{env}-person-{i}", email=email) for i, email in enumerate(cfg.people)}
    policy = EscalationPolicy(
        f"{env}-policy",
        name=cfg.policy,
        rules=[{"delay_minutes": cfg.delay_minutes, "users": [p.user_id for p in people.values()]}],
        num_loops=cfg.loops,
        adopt_id=cfg.adopt_policy_id,
    )
    services = {
        name: Service(f"{env}-service-{i}", name=name, escalation_policy=policy.id, urgency=cfg.urgency)
        for i, name in enumerate(cfg.services)
    }
    if cfg.integration_on is not None:
        on = services[cfg.services[cfg.integration_on]]
        events = EventsIntegration(f"{env}-events", service=on.id, name="Lookout")
        pulumi.export("pagerduty_integration_key", events.integration_key)
    if cfg.schedule:
        layers = [
            {
                "name": layer.name,
                "users": [people[email].user_id for email in layer.people],
                "turn_days": layer.turn_days,
                "handoff": layer.handoff,
                "handoff_day": layer.handoff_day,
                "restrictions": layer.restrictions,
            }
            for layer in cfg.schedule.layers
        ]
        s = cfg.schedule
        schedule = Schedule(
            f"{env}-schedule", name=s.name, time_zone=s.time_zone, description=s.description, layers=layers
        )
        pulumi.export("pagerduty_schedule_id", schedule.id)
    if cfg.maintenance:
        window = cfg.maintenance
        MaintenanceWindow(
            f"{env}-maintenance",
            services=[services[name].id for name in window.services or cfg.services],
            start_time=window.start,
            end_time=window.end,
            description=window.description,
        )
