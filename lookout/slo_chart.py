"""The PNG of `lookout slo ENV --chart PATH`: budget left over the window, one panel per service (its
objectives would hide each other on one: several sit at 100% for days), with the 0% line where a budget is
exhausted. Availability is drawn through the points where it changed (the start and end of each outage,
lookout/slo_report.py `series`); a span objective, known only where it was asked, as steps: each value
holds until the next sample that saw a change. matplotlib (Agg, no display) is imported only when a chart
is asked."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

Point = tuple[datetime, float | None]  # an instant and the share of the budget left then (None: no data)

WIDTH_INCHES, PANEL_INCHES, DPI = 8.0, 2.6, 100  # 800 pixels wide, 260 high per service
COLOURS = {"availability": "tab:blue", "errors": "tab:orange", "latency": "tab:green"}  # alike in each panel


def panels(lines: dict[tuple[str, str], list[Point]]) -> dict[str, dict[str, list[Point]]]:
    """The lines by service, then objective, in the plan's order."""
    found: dict[str, dict[str, list[Point]]] = {}
    for (service, kind), points in lines.items():
        found.setdefault(service, {})[kind] = points
    return found


def render(stack: str, lines: dict[tuple[str, str], list[Point]], path: Path) -> None:
    """Write the chart to `path` (PNG). Points without a value (no spans yet) leave a gap."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates
    from matplotlib import pyplot

    services = panels(lines)
    figure, grid = pyplot.subplots(
        len(services) or 1,
        1,
        figsize=(WIDTH_INCHES, PANEL_INCHES * max(1, len(services))),
        dpi=DPI,
        sharex=True,
        squeeze=False,
    )
    try:
        for axes, (service, kinds) in zip(grid[:, 0], services.items(), strict=False):
            for kind, points in kinds.items():
                xs = [matplotlib.dates.date2num(at) for at, _ in points]
                ys = [float("nan") if left is None else left * 100 for _, left in points]
                style = "default" if kind == "availability" else "steps-post"
                colour = COLOURS.get(kind)
                axes.plot(xs, ys, drawstyle=style, marker="o", markersize=3, label=kind, color=colour)
            axes.axhline(0, color="black", linewidth=1)
            axes.set_title(f"{service}: error budget left ({stack})", fontsize="medium")
            axes.set_ylabel("left (%)")
            axes.grid(True, alpha=0.3)
            axes.legend(loc="lower left", fontsize="small")
        locator = matplotlib.dates.AutoDateLocator(maxticks=8)
        bottom = grid[-1, 0]
        bottom.xaxis.set_major_locator(locator)
        bottom.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator))
        figure.tight_layout()
        figure.savefig(path, format="png", dpi=DPI)
    finally:
        pyplot.close(figure)
