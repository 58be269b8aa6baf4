"""The PNG of `lookout slo ENV --chart PATH`: budget left over the window, one line per objective, with the
0% line where a budget is exhausted. matplotlib (Agg, no display) is imported only when a chart is asked."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

Point = tuple[datetime, float | None]  # an instant and the share of the budget left then (None: no data)

SIZE_INCHES, DPI = (8.0, 4.0), 100  # 800 x 400 pixels


def render(stack: str, lines: dict[tuple[str, str], list[Point]], path: Path) -> None:
    """Write the chart to `path` (PNG). Points without a value (no spans yet) leave a gap."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=SIZE_INCHES, dpi=DPI)
    try:
        for (service, kind), points in lines.items():
            xs = [matplotlib.dates.date2num(at) for at, _ in points]
            ys = [float("nan") if left is None else left * 100 for _, left in points]
            axes.plot(xs, ys, marker="o", markersize=3, label=f"{service} {kind}")
        locator = matplotlib.dates.AutoDateLocator(maxticks=8)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator))
        axes.axhline(0, color="black", linewidth=1)
        axes.set_title(f"Error budget left: {stack}")
        axes.set_ylabel("budget left (%)")
        axes.grid(True, alpha=0.3)
        axes.legend(loc="lower left", fontsize="small")
        figure.tight_layout()
        figure.savefig(path, format="png", dpi=DPI)
    finally:
        pyplot.close(figure)
