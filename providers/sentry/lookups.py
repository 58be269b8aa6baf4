"""Read-only lookups, as resources: like data sources, they read at `up` and `refresh`, never in preview.

They own nothing: deleting one forgets the result and leaves Sentry untouched.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from transport import Expected, NotFound, Transport

from ..spec import Inputs, ResourceSpec
from . import client as api


class LookupSpec(ResourceSpec[Any]):
    """Create and update look up; delete forgets."""

    def client(self) -> Transport:
        return api.client()

    def lookup(self, client: Transport, inputs: Any) -> dict[str, Any]:
        raise NotImplementedError

    def create(self, client: Transport, inputs: Any) -> dict[str, Any]:
        return self.lookup(client, inputs)

    def update(self, client: Transport, current: dict[str, Any], inputs: Any) -> dict[str, Any]:
        return self.lookup(client, inputs)

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        return None


class IntegrationInputs(Inputs):
    provider: Literal["slack", "pagerduty", "msteams", "opsgenie", "discord"]
    name: str = Field(min_length=1, description="The integration's name in Sentry, e.g. the Slack workspace")


class IntegrationLookupSpec(LookupSpec):
    kind = "sentry:IntegrationLookup"
    natural_key = ("provider", "name")
    output_names: ClassVar[tuple[str, ...]] = ("integration_id",)
    model = IntegrationInputs

    def lookup(self, client: Transport, inputs: IntegrationInputs) -> dict[str, Any]:
        path = f"/organizations/{api.org()}/integrations/"
        found = api.list_all(client, path, providerKey=inputs.provider)
        for integration in found:
            if integration.get("name") == inputs.name:
                return integration
        names = ", ".join(str(i.get("name")) for i in found) or "none installed"
        raise MissingIntegration(
            f"no {inputs.provider} integration named '{inputs.name}' in '{api.org()}' ({names})"
        )

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return client.request("GET", f"/organizations/{api.org()}/integrations/{id_}/")

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"provider": (obj.get("provider") or {}).get("key"), "name": obj.get("name")}

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"integration_id": str(obj["id"])}


class ProjectDetectorsInputs(Inputs):
    project: str = Field(description="Project id")


class ProjectDetectorsSpec(LookupSpec):
    """The detectors Sentry creates with every project: `issue_stream` (new/regressed issues) and `error`."""

    kind = "sentry:ProjectDetectors"
    natural_key = ("project",)
    output_names: ClassVar[tuple[str, ...]] = ("issue_stream_id", "error_id")
    model = ProjectDetectorsInputs

    def lookup(self, client: Transport, inputs: ProjectDetectorsInputs) -> dict[str, Any]:
        path = f"/organizations/{api.org()}/detectors/"
        found = {d.get("type"): str(d["id"]) for d in api.list_all(client, path, project=inputs.project)}
        return {"id": inputs.project, "issue_stream": found.get("issue_stream"), "error": found.get("error")}

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        result = self.lookup(client, ProjectDetectorsInputs(project=id_))
        if result["issue_stream"] is None and result["error"] is None:
            raise NotFound("sentry", "GET", f"detectors?project={id_}", 404, "project has no detectors")
        return result

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"project": obj["id"]}

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"issue_stream_id": obj.get("issue_stream"), "error_id": obj.get("error")}


INTEGRATION = IntegrationLookupSpec()
PROJECT_DETECTORS = ProjectDetectorsSpec()


class MissingIntegration(Expected, LookupError):
    """The plan names a Sentry integration (Slack workspace, PagerDuty account) not installed in the org."""
