"""Sentry dashboard: widgets of queries on a 6-column grid (specs/sentry-openapi.json, the dashboards API).

A PUT replaces the widget list: widgets it does not name are deleted, widgets with an `id` are updated in
place, the others created, in the order sent; queries within a widget likewise, and a field a widget or
query leaves out keeps its value (getsentry/sentry src/sentry/api/serializers/rest_framework/dashboard.py,
DashboardDetailsSerializer.update_widgets). So updates send every field, and the ids of the live widgets
(matched by title, unique within a dashboard here) and of their queries (by position), so that an edit
keeps the widgets' identity. A new query needs `fields` and `conditions` (same file).

Titles are unique in an organization, but Sentry gives a create under a taken title the next free
"<title> copy [n]" instead of refusing it; so a create looks its title up first and is refused here as the
API once did, then claims settle it (providers/claims.py). A rename onto a taken title (409) and a create
past the plan's dashboard limit (400) fail naming the dashboard; the organization's last dashboard cannot
be deleted (409), which a warning says, leaving it in Sentry (docs/vendors/sentry.md, dashboards).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from transport import ApiError, BadRequest, Conflict, Transport, notice

from ..spec import Failure, Inputs, Part, ResourceSpec
from . import client as api
from .wire import camel, snake

# The spec's enums (createOrganizationDashboard): Sentry refuses anything else.
DisplayType = Literal[
    "line", "area", "bar", "table", "big_number", "details", "categorical_bar", "wheel",
    "rage_and_dead_clicks", "server_tree", "text", "agents_traces_table", "heatmap",
]  # fmt: skip
WidgetType = Literal[
    "discover", "issue", "metrics", "error-events", "transaction-like", "spans", "logs", "tracemetrics",
    "preprod-app-size",
]  # fmt: skip
COLUMNS = 6  # the grid's width (the spec's layout description: x + w <= 6)


class Layout(Part):
    x: int = Field(ge=0, le=COLUMNS - 1, description="Column, 0-5")
    y: int = Field(ge=0, description="Row")
    w: int = Field(ge=1, le=COLUMNS, description="Width in columns")
    h: int = Field(ge=1, description="Height in rows")
    min_h: int = Field(1, ge=1, description="Minimum height in rows")

    @model_validator(mode="after")
    def fits(self) -> Layout:
        if self.x + self.w > COLUMNS:
            raise ValueError(f"x + w must be at most {COLUMNS} (x {self.x}, w {self.w})")
        return self


class WidgetQuery(Part):
    name: str = ""
    aggregates: list[str] = Field(
        default_factory=list, description="e.g. p95(span.duration), failure_rate(); none for issues"
    )
    columns: list[str] = Field(default_factory=list, description="Group-by fields, e.g. transaction")
    conditions: str = Field("", description="Search query, e.g. span.op:http.server")
    orderby: str = Field("", description="e.g. -failure_rate()")


class Widget(Part):
    title: str = Field(min_length=1, max_length=255)
    display_type: DisplayType
    widget_type: WidgetType = "spans"
    queries: list[WidgetQuery] = Field(min_length=1)
    interval: str = Field("5m", max_length=10)
    limit: int | None = Field(None, ge=1, description="Rows of a table or series of a grouped chart")
    description: str = ""
    layout: Layout = Field(description="Where it sits on the grid (Sentry's UI places every widget)")


class DashboardInputs(Inputs):
    title: str = Field(min_length=1, max_length=255, description="Unique in the organization")
    projects: list[str] = Field(default_factory=list, description="Project ids; empty: the user's own")
    environment: list[str] = Field(default_factory=list, description="Saved environment filter")
    period: str = Field("24h", description="Saved time range, e.g. 24h, 14d")
    widgets: list[Widget] = Field(default_factory=list)


class DashboardSpec(ResourceSpec[DashboardInputs]):
    kind = "sentry:Dashboard"
    natural_key = ("title",)
    creates = (("POST", "/organizations/{organization_id_or_slug}/dashboards/"),)
    model = DashboardInputs
    unordered: ClassVar[frozenset[str]] = frozenset({"projects", "environment"})

    def semantic_failures(self, model: DashboardInputs) -> list[Failure]:
        failures: list[Failure] = []
        seen: set[str] = set()
        for i, widget in enumerate(model.widgets):
            where = f"widgets.{i}"
            if widget.title in seen:
                failures.append((where, f"{where}.title: '{widget.title}' is used twice; titles are unique"))
            seen.add(widget.title)
            if widget.display_type == "big_number" and any(len(q.aggregates) != 1 for q in widget.queries):
                failures.append((where, f"{where}: a big_number widget shows exactly one aggregate"))
            if widget.display_type == "table" and len(widget.queries) != 1:
                failures.append((where, f"{where}: a table widget has exactly one query"))
            failures += _kind_failures(widget, where)
        return failures

    def client(self) -> Transport:
        return api.client()

    # -- wire mapping -----------------------------------------------------------------------------

    def body(self, m: DashboardInputs, live: dict[str, Any] | None) -> dict[str, Any]:
        live_widgets = {w.get("title"): w for w in (live or {}).get("widgets") or []}
        widgets = []
        for widget in m.widgets:
            mate = live_widgets.get(widget.title) or {}
            mate_queries = mate.get("queries") or []
            queries = [
                {
                    **_id(mate_queries[i].get("id") if i < len(mate_queries) else None),
                    "name": q.name,
                    "fields": [*q.columns, *q.aggregates],
                    "aggregates": q.aggregates,
                    "columns": q.columns,
                    "conditions": q.conditions,
                    "orderby": q.orderby,
                }
                for i, q in enumerate(widget.queries)
            ]
            widgets.append(
                {
                    **_id(mate.get("id")),
                    "title": widget.title,
                    "description": widget.description,
                    "display_type": widget.display_type,
                    "widget_type": widget.widget_type,
                    "interval": widget.interval,
                    "limit": widget.limit,
                    "layout": widget.layout.model_dump(),
                    "queries": queries,
                }
            )
        return camel(
            {
                "title": m.title,
                "projects": [int(p) for p in m.projects],
                "environment": m.environment,
                "period": m.period,
                "widgets": widgets,
            }
        )

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        o = snake(obj)
        return {
            "title": o.get("title"),
            "projects": [str(p) for p in o.get("projects") or []],
            "environment": list(o.get("environment") or []),
            "period": o.get("period"),
            "widgets": [_widget(w) for w in o.get("widgets") or []],
        }

    # -- operations -------------------------------------------------------------------------------

    def create(self, client: Transport, inputs: DashboardInputs) -> dict[str, Any]:
        path = f"/organizations/{api.org()}/dashboards/"
        taken = self.find(client, inputs)
        if taken is not None:
            copy = f"Sentry would title a new one '{inputs.title} copy', so none was sent"
            raise Conflict("sentry", "POST", path, 409, _taken(inputs.title, taken, copy))
        try:
            made = client.request(
                "POST", path, json_body=self.body(inputs, None), recover=lambda: self.find(client, inputs)
            )
        except BadRequest as exc:
            if "You may not exceed" not in exc.message:
                raise
            what = f"dashboard '{inputs.title}' cannot be created"
            raise _explained(exc, f"{what}: {exc.message} {OVER}") from exc
        if made.get("title") != inputs.title:  # taken meanwhile: Sentry named ours "<title> copy"
            client.request("DELETE", f"{path}{made['id']}/")
            copy = f"Sentry titled the new one '{made.get('title')}', which was deleted"
            raise Conflict("sentry", "POST", path, 409, _taken(inputs.title, self.find(client, inputs), copy))
        return made

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return client.request("GET", f"/organizations/{api.org()}/dashboards/{id_}/")

    def update(self, client: Transport, current: dict[str, Any], inputs: DashboardInputs) -> dict[str, Any]:
        live = snake(self.get(client, str(current["id"])))
        path = f"/organizations/{api.org()}/dashboards/{current['id']}/"
        try:
            return client.request("PUT", path, json_body=self.body(inputs, live))
        except Conflict as exc:
            what = f"dashboard {current['id']} ('{live.get('title')}') cannot be titled '{inputs.title}'"
            advice = RENAME if "title" in exc.message else ""
            raise _explained(exc, f"{what}: {exc.message} {advice}".rstrip()) from exc

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        try:
            client.request("DELETE", f"/organizations/{api.org()}/dashboards/{id_}/")
        except Conflict as exc:
            what = f"dashboard {id_} ('{props.get('title')}') cannot be deleted: {exc.message}"
            if "last" not in exc.message.lower():
                raise _explained(exc, what) from exc
            # Sentry keeps an organization's last dashboard: say what stays behind instead of failing every
            # later run (as for PagerDuty's refused deletes); a later create of the same dashboard takes it
            # over (providers/claims.py).
            notice.warn(f"{self.kind} {id_}", f"{what} {LAST}")

    def refuses_duplicates(self, inputs: DashboardInputs) -> bool:
        return True  # refused by `create` itself: Sentry would rename the new dashboard instead

    def every(self, client: Transport) -> list[dict[str, Any]]:
        return api.list_all(client, f"/organizations/{api.org()}/dashboards/")

    def find(self, client: Transport, inputs: DashboardInputs) -> dict[str, Any] | None:
        """The custom dashboard with this title (`query` narrows the list to titles containing it; a
        prebuilt dashboard may share a title with a custom one)."""
        path = f"/organizations/{api.org()}/dashboards/"
        listed = api.list_all(client, path, query=inputs.title)
        return next((d for d in listed if d.get("prebuiltId") is None and self.same(d, inputs)), None)


OVER = "Delete a custom dashboard the organization no longer needs, or move to a plan that allows more."
RENAME = "Titles are unique in the organization: rename or delete the other dashboard, or keep this title."
LAST = (
    "It stays in Sentry, no longer managed by this stack; delete it in Sentry once the organization has "
    "another dashboard."
)


def _taken(title: str, other: dict[str, Any] | None, outcome: str) -> str:
    by = f" by dashboard {other['id']}" if other else ""
    return f"the title '{title}' is taken{by}; {outcome}"


def _explained(exc: ApiError, message: str) -> ApiError:
    """The same failure, said in terms of the dashboard."""
    return type(exc)(
        exc.vendor, exc.method, exc.path, exc.status, message, code=exc.code, request_id=exc.request_id
    )


def _kind_failures(widget: Widget, where: str) -> list[Failure]:
    """An issue widget lists issues (its columns, e.g. issue, assignee, title) in a table, the one display
    Sentry's issues dataset supports (static/app/views/dashboards/datasetConfig/issues.tsx,
    supportedDisplayTypes); the other datasets chart aggregates."""
    if widget.widget_type == "issue":
        if widget.display_type != "table":
            return [(where, f"{where}.display_type: an issue widget is a table")]
        return []
    return [
        (f"{where}.queries.{j}", f"{where}.queries.{j}.aggregates: at least one, e.g. count()")
        for j, q in enumerate(widget.queries)
        if not q.aggregates
    ]


def _widget(w: dict[str, Any]) -> dict[str, Any]:
    layout = w.get("layout")
    return {
        "title": w.get("title"),
        "display_type": w.get("display_type"),
        "widget_type": w.get("widget_type"),
        "queries": [
            {
                "name": q.get("name") or "",
                "aggregates": list(q.get("aggregates") or []),
                "columns": list(q.get("columns") or []),
                "conditions": q.get("conditions") or "",
                "orderby": q.get("orderby") or "",
            }
            for q in w.get("queries") or []
        ],
        "interval": w.get("interval"),
        "limit": w.get("limit"),
        "description": w.get("description") or "",
        "layout": {k: layout.get(k) for k in ("x", "y", "w", "h", "min_h")} if layout else None,
    }


def _id(value: Any) -> dict[str, Any]:
    return {"id": str(value)} if value is not None else {}


SPEC = DashboardSpec()
