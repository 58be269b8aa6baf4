"""PagerDuty on-call objects declared directly: people looked up by address, one escalation policy, services
on it, and an Events API v2 integration whose key is exported as a secret."""

from __future__ import annotations

import pulumi

from providers.pagerduty import EscalationPolicy, EventsIntegration, Service, UserLookup

from .dialect import PagerDuty


def build(env: str, cfg: PagerDuty) -> None:
    people = [UserLookup(f"{env}-person-{i}", email=email) for i, email in enumerate(cfg.people)]
    policy = EscalationPolicy(
        f"{env}-policy",
        name=cfg.policy,
        rules=[{"delay_minutes": cfg.delay_minutes, "users": [p.user_id for p in people]}],
        num_loops=cfg.loops,
        adopt_id=cfg.adopt_policy_id,
    )
    services = [
        Service(f"{env}-service-{i}", name=name, escalation_policy=policy.id, urgency=cfg.urgency)
        for i, name in enumerate(cfg.services)
    ]
    if cfg.integration_on is not None:
        events = EventsIntegration(f"{env}-events", service=services[cfg.integration_on].id, name="Lookout")
        pulumi.export("pagerduty_integration_key", events.integration_key)
