"""The Sentry Dashboard resource meets Sentry's dashboard rules (issue #29; docs/vendors/sentry.md,
dashboards): a taken title never becomes a "<title> copy"; the plan's limit and a rename onto a taken title
fail with one error naming the dashboard; the organization's last dashboard stays, with a warning."""

from __future__ import annotations

from typing import Any

import pytest

from harness.sandbox_process import SandboxProcess
from providers.claims import AlreadyExists
from providers.sentry.dashboard import DashboardSpec
from providers.sentry.resources import DashboardProvider
from transport import BadRequest, Conflict, notice

from .conftest import checked
from .test_sentry_dashboard import as_state, props
from .test_sentry_provider import create, project  # noqa: F401 (fixture)


def titles(api: SandboxProcess) -> list[str]:
    return sorted(d["title"] for d in api.control("GET", "/sentry/dashboards").json())


def someone_elses(api: SandboxProcess, title: str) -> str:
    """A dashboard made in Sentry's UI, with no widgets."""
    return str(api.control("POST", "/sentry/dashboards", json={"title": title}).json()["id"])


def test_a_taken_title_is_reported_not_renamed(configured: SandboxProcess, project):  # noqa: F811
    someone_elses(configured, "api health")
    with pytest.raises(AlreadyExists, match=r"already exists \(id \d+\) and differs in .*widgets.*adopt"):
        create(DashboardProvider(), props(project))
    assert titles(configured) == ["api health"]  # Sentry would have made "api health copy"


def test_a_title_taken_between_lookup_and_create_leaves_no_copy(
    configured: SandboxProcess,
    project,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
):
    looked_up = DashboardSpec.find

    def late(spec: DashboardSpec, client: Any, inputs: Any) -> dict[str, Any] | None:
        if not titles(configured):  # the lookup before the create: someone saves theirs right after it
            someone_elses(configured, "api health")
            return None
        return looked_up(spec, client, inputs)

    monkeypatch.setattr(DashboardSpec, "find", late)
    with pytest.raises(AlreadyExists, match=r"already exists \(id \d+\) and differs in .*widgets"):
        create(DashboardProvider(), props(project))
    assert titles(configured) == ["api health"]


def test_the_plan_limit_names_the_dashboard(configured: SandboxProcess, project):  # noqa: F811
    configured.control("PUT", "/sentry/settings", json={"dashboardLimit": 0})
    with pytest.raises(BadRequest) as refused:
        create(DashboardProvider(), props(project))
    message = str(refused.value)
    assert "dashboard 'api health' cannot be created: You may not exceed 0 dashboards on your" in message
    assert titles(configured) == []


def test_a_rename_onto_a_taken_title_names_both(configured: SandboxProcess, project):  # noqa: F811
    provider = DashboardProvider()
    board_id, outs = create(provider, props(project))
    someone_elses(configured, "web health")
    with pytest.raises(Conflict) as refused:
        provider.update(board_id, as_state(outs), checked(provider, props(project, title="web health")))
    message = str(refused.value)
    assert f"dashboard {board_id} ('api health') cannot be titled 'web health'" in message
    assert "Dashboard with that title already exists." in message
    assert titles(configured) == ["api health", "web health"]


def test_the_last_dashboard_is_left_in_sentry_with_a_warning(
    configured: SandboxProcess,
    project,  # noqa: F811
):
    configured.control("PUT", "/sentry/settings", json={"prebuiltDashboards": False})  # an AM1 organization
    provider = DashboardProvider()
    board_id, outs = create(provider, props(project))
    said: list[str] = []
    notice.use_sink(said.append)
    try:
        provider.delete(board_id, outs)  # a destroy goes on
    finally:
        notice.use_sink(None)
    assert said == [
        f"warning: sentry:Dashboard {board_id}: dashboard {board_id} ('api health') cannot be deleted: "
        "Cannot delete last Dashboard. It stays in Sentry, no longer managed by this stack; delete it in "
        "Sentry once the organization has another dashboard."
    ]
    assert titles(configured) == ["api health"]
    again, _ = create(provider, props(project))  # the same dashboard declared again takes it over
    assert again == board_id and titles(configured) == ["api health"]
    someone_elses(configured, "web health")
    provider.delete(board_id, outs)
    assert titles(configured) == ["web health"]
