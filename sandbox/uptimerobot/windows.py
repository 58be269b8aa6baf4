"""When a maintenance window is on: monitors it covers are not checked while it lasts and show UP
(help.uptimerobot.com/en/articles/11360884). A window starts at `time` on its days for `duration` minutes:
`once` on `date`, `daily` every day, `weekly` on the ISO weekdays in `days` (1 Monday .. 7 Sunday: the spec's
"[2, 4, 5] for Tuesday, Thursday and Friday"), `monthly` on the days of the month in `days` (-1 the last
day) (specs/uptimerobot-openapi.yaml, CreateMaintenanceWindowDto). A `paused` window is off.
The account's time zone applies (undocumented which; ASSUMED UTC, deviation uptimerobot-window-time-zone).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sandbox.uptimerobot import repo
from sandbox.uptimerobot.serialize import window_covers

Doc = dict[str, Any]


def on(window: Doc, at: float) -> bool:
    """Whether `window` is on at the Unix time `at`."""
    if window.get("status") != "active":
        return False
    moment = datetime.fromtimestamp(at, timezone.utc)
    length = timedelta(minutes=float(window.get("duration") or 0))
    starts = time.fromisoformat(str(window.get("time") or "00:00:00"))
    for back in range(length.days + 2):  # a window that began on an earlier day may still be on
        day = moment.date() - timedelta(days=back)
        if _starts_on(window, day):
            begin = datetime.combine(day, starts, timezone.utc)
            if begin <= moment < begin + length:
                return True
    return False


def covering(monitor: Doc, at: float) -> bool:
    """Whether a window that is on at `at` covers `monitor`."""
    windows = repo.find(repo.WINDOWS, int(monitor["userId"]))
    return any(window_covers(w, monitor["id"]) and on(w, at) for w in windows)


def _starts_on(window: Doc, day: date) -> bool:
    interval, days = window.get("interval"), window.get("days") or []
    if interval == "once":
        return str(window.get("date")) == day.isoformat()
    if interval == "daily":
        return True
    if interval == "weekly":
        return day.isoweekday() in days
    if interval == "monthly":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.day in days or (-1 in days and day.day == last)
    return False
