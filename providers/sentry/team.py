"""Sentry team; its slug is the natural key."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import Field, model_validator

from transport import Conflict, Transport, notice

from ..spec import Inputs, ResourceSpec
from ..wire import Wire, empty
from . import client as api

SLUG = r"^[a-z0-9_-]*[a-z_-][a-z0-9_-]*$"  # lowercase, digits, _ and -; never all digits


class TeamInputs(Inputs):
    slug: Annotated[str, Wire("slug")] = Field(min_length=1, max_length=50, pattern=SLUG)
    name: Annotated[str | None, Wire("name", omit=empty)] = Field(
        None, max_length=64, description="Deprecated by Sentry; defaults to the slug"
    )

    @model_validator(mode="after")
    def name_defaults_to_slug(self) -> TeamInputs:
        # Sentry stores name = slug when none is given; saying so keeps diffs quiet.
        return self if self.name else self.model_copy(update={"name": self.slug})


class TeamSpec(ResourceSpec[TeamInputs]):
    kind = "sentry:Team"
    natural_key = ("slug",)
    creates = (("POST", "/organizations/{organization_id_or_slug}/teams/"),)
    output_names: ClassVar[tuple[str, ...]] = ("team_id",)
    model = TeamInputs
    replace_on: ClassVar[frozenset[str]] = frozenset({"slug"})  # the slug is the team's id in every URL

    def client(self) -> Transport:
        return api.client()

    def body(self, inputs: TeamInputs) -> dict[str, Any]:
        return self.written(inputs)

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"team_id": str(obj["id"])}

    def id_of(self, obj: dict[str, Any]) -> str:
        return str(obj["slug"])  # team URLs take the slug

    def refuses_duplicates(self, inputs: TeamInputs) -> bool:
        # 409 "A team with this slug already exists." (getsentry/sentry organization_teams.py; the model's
        # unique (organization, slug): models/team.py)
        return True

    def create(self, client: Transport, inputs: TeamInputs) -> dict[str, Any]:
        try:
            return client.request(
                "POST",
                f"/organizations/{api.org()}/teams/",
                json_body=self.body(inputs),
                recover=lambda: self.find(client, inputs),
            )
        except Conflict:
            # The slug names this team: a 409 means it exists, and the program declares it (issue #3).
            notice.warn(f"{self.kind} {inputs.slug}", "the team already exists; adopting it")
            existing = self.find(client, inputs)
            if existing is None:
                raise
            return self.update(client, existing, inputs)

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return client.request("GET", f"/teams/{api.org()}/{id_}/")

    def update(self, client: Transport, current: dict[str, Any], inputs: TeamInputs) -> dict[str, Any]:
        return client.request("PUT", f"/teams/{api.org()}/{current['slug']}/", json_body=self.body(inputs))

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        client.request("DELETE", f"/teams/{api.org()}/{props.get('slug') or id_}/")

    def every(self, client: Transport) -> list[dict[str, Any]]:
        return api.list_all(client, f"/organizations/{api.org()}/teams/")

    def find(self, client: Transport, inputs: TeamInputs) -> dict[str, Any] | None:
        for team in api.list_all(client, f"/organizations/{api.org()}/teams/", query=f"slug:{inputs.slug}"):
            if self.same(team, inputs):
                return team
        return None


SPEC = TeamSpec()
