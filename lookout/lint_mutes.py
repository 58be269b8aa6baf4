"""Lint for plans that mute everything or never escalate: config that is legal but leaves no time
monitored, or a page that can only ever reach the person who missed it (issue #30).

A maintenance window mutes every monitor it holds while active (UptimeRobot: alerts are not sent and the
monitors are not checked: docs/vendors/uptimerobot.md). A daily window of a whole day, or weekly windows on
all seven days that long, are active always: the window is on, so nothing is ever watched.
"""

from __future__ import annotations

from collections.abc import Iterator

from stacks.plan import MaintenanceWindow

from .lint_rules import Finding, Stack, warning

DAY, WEEK = 1440, 7 * 1440  # minutes


def windows_leave_time(s: Stack) -> Iterator[Finding]:
    for i, window in enumerate(s.plan.maintenance_windows):
        if _always(window):
            yield warning(
                "muted",
                f"maintenance_windows[{i}].duration",
                f"'{window.name}' ({window.interval}, {window.duration} min"
                + (f" on days {window.days}" if window.days else "")
                + ") is active all the time: every monitor it holds is never checked; shorten it",
            )


def _always(window: MaintenanceWindow) -> bool:
    """Whether the window, once started, never ends: its occurrences cover their whole cycle."""
    if window.interval == "daily":
        return window.duration >= DAY
    if window.interval == "weekly":
        hh, mm, _ = (int(part) for part in window.time.split(":"))
        starts = [(day - 1) * DAY + hh * 60 + mm for day in set(window.days or [1])]
        covered: set[int] = set()
        for start in starts:  # minutes of the week each occurrence covers, wrapping into the next week
            covered.update((start + minute) % WEEK for minute in range(min(window.duration, WEEK)))
        return len(covered) == WEEK
    if window.interval == "monthly":
        return window.duration >= 31 * DAY
    return False  # once: it ends


def escalation_reaches_someone_else(s: Stack) -> Iterator[Finding]:
    """An escalation only to people of the rotation may page the very person who did not answer."""
    oc = s.plan.oncall
    if oc is None or not oc.escalate_to:
        return
    rotation = {person.lower() for person in oc.people}
    if all(person.lower() in rotation for person in oc.escalate_to):
        yield warning(
            "never-escalates",
            "oncall.escalate_to",
            f"{', '.join(oc.escalate_to)} {'is' if len(oc.escalate_to) == 1 else 'are'} in the rotation: an "
            "unacknowledged page may go back to whoever is on call and missed it; escalate to someone else",
        )


MUTE_RULES = [windows_leave_time, escalation_reaches_someone_else]
