"""Service-level objectives (`lookout:slos`): a target share of good events over a rolling window, the error
budget it leaves, and the burn-rate alerts compiled from it (Google SRE workbook, "Alerting on SLOs":
page on a fast burn, warn on a slow one).

A burn rate B over a window of W minutes fires when the share of bad events in that window exceeds
B x (1 - target); by then B x W / (window_days x 1440) of the budget is spent. The workbook pairs each long
window with a short one (1 h with 5 min, 6 h with 30 min) so the alert also stops soon after the burn does;
a Sentry metric monitor evaluates one window, so Lookout compiles the long window only, and Sentry resolves
the alert when the long window's share falls back under the threshold. Sentry has no 6-hour window: the
slow burn defaults to 6x over 4 h (fires after 3.3% of a 30-day budget instead of 5%).

Defaults are the plan's numbers (docs/monitoring-plan.txt, "Monitoring Dashboard Requirements"): uptime
99.9% for every service; an error rate under 0.1% for backends with a Sentry project; API response time
(p95) under the plan's 2 s for backends and page load under 2 s for frontends, read as 95% of requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field, field_validator, model_validator

from providers.sentry.facts import SPAN_RETENTION_DAYS
from providers.sentry.metric_monitor import TIME_WINDOWS

from .plan_base import NAME, Strict

Kind = Literal["availability", "errors", "latency"]
WINDOW_MINUTES = tuple(seconds // 60 for seconds in TIME_WINDOWS)
MINUTES_PER_DAY = 1440
PLAN_UPTIME, PLAN_ERRORS, PLAN_LATENCY_SHARE, PLAN_PAGE_LOAD_MS = 0.999, 0.999, 0.95, 2000.0


class BurnAlert(Strict):
    burn_rate: float = Field(gt=0, description="Multiple of the budget's even spend that fires the alert")
    window_minutes: int = Field(description=f"The alert's window, one of Sentry's: {WINDOW_MINUTES}")

    @field_validator("window_minutes")
    @classmethod
    def sentry_window(cls, value: int) -> int:
        if value not in WINDOW_MINUTES:
            raise ValueError(f"{value} min is not a Sentry metric window: use one of {WINDOW_MINUTES}")
        return value


class Objective(Strict):
    service: str = Field(pattern=NAME, description="A service of lookout:services")
    kind: Kind = Field(description="availability (uptime checks), errors (failed requests), latency")
    target: float = Field(description="Share of good events, in (0, 1): 0.999 = 99.9%")
    threshold_ms: float | None = Field(None, gt=0, description="latency: a request slower than this is bad")

    @field_validator("target")
    @classmethod
    def fraction(cls, value: float) -> float:
        if not 0 < value < 1:
            raise ValueError(f"{value:g} is not a share in (0, 1): write 99.9% as 0.999")
        return value

    @model_validator(mode="after")
    def latency_has_threshold(self) -> Objective:
        if (self.kind == "latency") != (self.threshold_ms is not None):
            raise ValueError("threshold_ms: required for a latency objective, and only for one")
        return self

    @property
    def budget(self) -> float:
        return round(1 - self.target, 12)  # 1 - 0.999 is 0.0010000000000000009 in floats


class SLOs(Strict):
    # At most 90 days: UptimeRobot's uptime statistics span 90 days at most (spec, getMonitorUptimeStats).
    window_days: int = Field(30, ge=1, le=90, description="Rolling window, in days")
    span_retention_days: int = Field(
        SPAN_RETENTION_DAYS,
        ge=1,
        description="How long the organization's Sentry plan keeps spans (providers/sentry/facts.py): the "
        "error and latency objectives count spans, and Sentry's API does not show it",
    )
    fast: BurnAlert = Field(
        default_factory=lambda: BurnAlert(burn_rate=14.4, window_minutes=60), description="Pages"
    )
    slow: BurnAlert = Field(
        default_factory=lambda: BurnAlert(burn_rate=6, window_minutes=240), description="Warns"
    )
    objectives: list[Objective] | None = Field(None, description="Default: the plan's own targets")

    @model_validator(mode="after")
    def fast_before_slow(self) -> SLOs:
        if self.fast.window_minutes >= self.slow.window_minutes:
            raise ValueError("fast.window_minutes: must be shorter than slow.window_minutes")
        if self.fast.burn_rate <= self.slow.burn_rate:
            raise ValueError("fast.burn_rate: must be above slow.burn_rate")
        for alert in ("fast", "slow"):
            spent = burn_share(getattr(self, alert), self.window_days)
            if spent >= 1:
                raise ValueError(
                    f"{alert}: {spent * 100:g}% of the budget would be spent before it fires: shorten its "
                    "window or lower its burn rate"
                )
        return self


@dataclass(frozen=True)
class Burn:
    """One burn-rate alert of an objective, with its arithmetic."""

    speed: Literal["fast", "slow"]
    severity: Literal["critical", "warning"]
    burn_rate: float
    window_minutes: int
    threshold: float  # the share of bad events in the window that fires it
    budget_spent: float  # share of the window's budget spent when it fires

    @property
    def arithmetic(self) -> str:
        return (
            f"{self.burn_rate:g} x budget = {self.threshold * 100:.4g}% bad over {self.window_minutes} min; "
            f"fires after {self.budget_spent * 100:.2g}% of the budget is spent"
        )


def burn_share(alert: BurnAlert, window_days: int) -> float:
    return alert.burn_rate * alert.window_minutes / (window_days * MINUTES_PER_DAY)


def burns(slos: SLOs, objective: Objective) -> list[Burn]:
    """The fast (pages) and slow (warns) alerts; a burn whose threshold would exceed 100% is left out."""
    found = []
    for speed, severity in (("fast", "critical"), ("slow", "warning")):
        alert: BurnAlert = getattr(slos, speed)
        threshold = round(alert.burn_rate * objective.budget, 12)
        if threshold < 1:
            share = burn_share(alert, slos.window_days)
            found.append(Burn(speed, severity, alert.burn_rate, alert.window_minutes, threshold, share))  # type: ignore[arg-type]
    return found


def budget_text(slos: SLOs, objective: Objective) -> str:
    """The budget in the units people count: minutes of downtime, or bad events per million."""
    if objective.kind == "availability":
        minutes = objective.budget * slos.window_days * MINUTES_PER_DAY
        return f"{minutes:.3g} min down per {slos.window_days} days"
    what = "failed requests" if objective.kind == "errors" else f"requests over {objective.threshold_ms:g} ms"
    return f"{objective.budget * 1_000_000:,.0f} {what} per million"
