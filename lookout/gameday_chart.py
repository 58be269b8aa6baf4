"""The PNG of `lookout gameday ENV --sandbox --chart PATH`: one lane per check, a bar from the failure to the
first notification (minutes of plan time, logarithmic: checks take from seconds to a day), the plan's limit
as a tick; green when detected in time, orange when late or misrouted, red when missed (to the end of the
lane), grey when not run. matplotlib (Agg) is imported only when a chart is asked."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .gameday import Report

COLOURS = {"detected": "tab:green", "late": "tab:orange", "misrouted": "tab:orange", "missed": "tab:red"}
LANE_INCHES, WIDTH_INCHES, DPI = 0.32, 9.0, 100
SHORTEST = 0.05  # minutes: where a bar of something told at once starts to show


def render(report: Report, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    rows = list(reversed(report.rows))  # the catalog's first check on top
    longest = max([(r.limit or 0) / 60 for r in rows] + [(r.detected_after or 0) / 60 for r in rows] + [1.0])
    figure, axes = pyplot.subplots(figsize=(WIDTH_INCHES, 1.2 + LANE_INCHES * len(rows)), dpi=DPI)
    try:
        for lane, row in enumerate(rows):
            colour = COLOURS.get(row.verdict, "tab:gray")
            if row.detected_after is not None:
                end = max(row.detected_after / 60, SHORTEST)
            else:
                end = longest * 2 if row.verdict == "missed" else SHORTEST
            axes.barh(lane, end - SHORTEST, left=SHORTEST, height=0.6, color=colour)
            if row.limit is not None:
                axes.plot([row.limit / 60] * 2, [lane - 0.4, lane + 0.4], color="black", linewidth=1.5)
            axes.text(end * 1.1, lane, row.verdict, va="center", fontsize="x-small")
        axes.set_xscale("log")
        axes.set_xlim(SHORTEST, longest * 4)
        axes.set_yticks(range(len(rows)), [r.key for r in rows], fontsize="small")
        axes.set_xlabel(
            "minutes of plan time from the failure to the first notification (tick: the plan's limit)"
        )
        alarms = len(report.false_alarms)
        axes.set_title(f"Game day: {report.stack} ({alarms} false alarm{'s' if alarms != 1 else ''})")
        axes.grid(True, axis="x", alpha=0.3)
        figure.tight_layout()
        figure.savefig(path, format="png", dpi=DPI)
    finally:
        pyplot.close(figure)
