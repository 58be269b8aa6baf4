"""Sentry project under a team: explicit slug (renamed in place), no unmanaged default alert."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from transport import Conflict, Transport

from ..spec import Inputs, ResourceSpec
from . import client as api
from .platforms import check_platform
from .team import SLUG


class ProjectInputs(Inputs):
    team: str = Field(pattern=SLUG, description="Slug of the owning team")
    slug: str = Field(min_length=1, max_length=100, pattern=SLUG)
    name: str = Field(min_length=1, max_length=50)
    platform: str = Field("python", min_length=1, description="e.g. python-flask, javascript-react")
    default_key: Literal["keep", "remove"] = Field(
        description="Sentry creates a key named 'Default' with every project: keep it (a ClientKey may adopt "
        "it) or remove it. Required, so that it is never left ambiguous."
    )

    @field_validator("platform")
    @classmethod
    def known_platform(cls, value: str) -> str:
        return check_platform(value)


class ProjectSpec(ResourceSpec[ProjectInputs]):
    kind = "sentry:Project"
    natural_key = ("slug",)
    described_by = ("platform",)
    # Sentry gives a new project a default key, which the create removes unless the plan keeps it.
    creates = (
        ("POST", "/teams/{organization_id_or_slug}/{team_id_or_slug}/projects/"),
        ("DELETE", "/projects/{organization_id_or_slug}/{project_id_or_slug}/keys/{key_id}/"),
    )
    output_names: ClassVar[tuple[str, ...]] = ("project_id",)
    model = ProjectInputs

    def client(self) -> Transport:
        return api.client()

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        team = obj.get("team")
        teams = obj.get("teams") or ([team] if isinstance(team, dict) else [])
        out: dict[str, Any] = {
            "slug": obj.get("slug"),
            "name": obj.get("name"),
            "platform": obj.get("platform"),
        }
        if teams:
            out["team"] = teams[0].get("slug")
        return out

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"project_id": str(obj["id"])}

    def create(self, client: Transport, inputs: ProjectInputs) -> dict[str, Any]:
        body = {
            "name": inputs.name,
            "slug": inputs.slug,
            "platform": inputs.platform,
            "default_rules": False,  # the default alert would fire outside of code
        }
        try:
            created = client.request(
                "POST",
                f"/teams/{api.org()}/{inputs.team}/projects/",
                json_body=body,
                recover=lambda: self.find(client, inputs),
            )
        except Conflict as exc:
            raise Conflict(
                exc.vendor,
                exc.method,
                exc.path,
                exc.status,
                f"project '{inputs.slug}' already exists; set adopt=True to manage it",
            ) from exc
        if inputs.default_key == "remove":
            self._remove_default_keys(client, str(created["id"]))
        return created

    def resume(self, client: Transport, obj: dict[str, Any], inputs: ProjectInputs) -> dict[str, Any]:
        updated = self.update(client, obj, inputs)
        if inputs.default_key == "remove":  # the interrupted create may have stopped before this step
            self._remove_default_keys(client, str(updated["id"]))
        return updated

    def _remove_default_keys(self, client: Transport, project_id: str) -> None:
        for key in api.list_all(client, f"/projects/{api.org()}/{project_id}/keys/"):
            if key.get("name") == "Default":
                client.request("DELETE", f"/projects/{api.org()}/{project_id}/keys/{key['id']}/")

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return client.request("GET", f"/projects/{api.org()}/{id_}/")

    def update(self, client: Transport, current: dict[str, Any], inputs: ProjectInputs) -> dict[str, Any]:
        project_id = str(current.get("project_id") or current["id"])
        body = {"name": inputs.name, "slug": inputs.slug, "platform": inputs.platform}
        updated = client.request("PUT", f"/projects/{api.org()}/{project_id}/", json_body=body)
        # `current` is the API object (adoption) or the old outputs, where `team` is the slug.
        old_team = self.project(current).get("team") or current.get("team")
        if old_team and old_team != inputs.team:
            client.request("POST", f"/projects/{api.org()}/{project_id}/teams/{inputs.team}/")
            client.request("DELETE", f"/projects/{api.org()}/{project_id}/teams/{old_team}/")
            updated = self.get(client, project_id)
        return updated

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        client.request("DELETE", f"/projects/{api.org()}/{id_}/")

    def find(self, client: Transport, inputs: ProjectInputs) -> dict[str, Any] | None:
        for project in api.list_all(
            client, f"/organizations/{api.org()}/projects/", query=f"slug:{inputs.slug}"
        ):
            if self.same(project, inputs):
                return self.get(client, str(project["id"]))
        return None

    def every(self, client: Transport) -> list[dict[str, Any]]:
        return api.list_all(client, f"/organizations/{api.org()}/projects/")

    def listing(self, client: Transport, inputs: ProjectInputs) -> tuple[tuple[str, ...], Any]:
        return (), lambda: self.every(client)

    def listed(self, client: Transport, id_: str) -> tuple[tuple[str, ...], Any]:
        # The list's items are project summaries, not the detail; they carry every field `project` and
        # `outputs` read (slug, name, platform, team, teams, id: specs/sentry-openapi.json).
        return (), lambda: self.every(client)

    def refuses_duplicates(self, inputs: ProjectInputs) -> bool:
        return True  # 409: the slug is taken


SPEC = ProjectSpec()
