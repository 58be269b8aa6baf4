"""Sentry client key (DSN) of a project. Key names are not unique, so the key id is kept in state."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from transport import Transport, notice

from ..spec import Inputs, Part, ResourceSpec
from . import client as api

DSN_OUTPUTS = ("dsn", "dsn_secret", "dsn_csp", "public_key", "secret_key")


class RateLimit(Part):
    """Sentry drops a limit whose count or window is 0 (it reads back as none): refused here instead."""

    count: int = Field(ge=1, description="Events per window")
    window: int = Field(ge=1, le=86400, description="Seconds")


class ClientKeyInputs(Inputs):
    project: str = Field(description="Project id (or slug)")
    name: str = Field(min_length=1, max_length=64)
    rate_limit: RateLimit | None = Field(
        None, description="Plan-gated (feature projects:rate-limits); Sentry silently ignores it otherwise"
    )
    active: bool = Field(
        True, description="Accepts events; a deactivated key drops them (no issue, no alert)"
    )


class ClientKeySpec(ResourceSpec[ClientKeyInputs]):
    kind = "sentry:ClientKey"
    # Within its project: the listing `find` walks is the project's keys.
    natural_key = ("name",)
    creates = (("POST", "/projects/{organization_id_or_slug}/{project_id_or_slug}/keys/"),)
    output_names: ClassVar[tuple[str, ...]] = ("key_id", *DSN_OUTPUTS)
    secret_outputs: ClassVar[tuple[str, ...]] = DSN_OUTPUTS  # every DSN form is a secret
    model = ClientKeyInputs
    replace_on: ClassVar[frozenset[str]] = frozenset({"project"})
    muted: ClassVar[dict[str, str]] = {"active": "deactivated outside Lookout"}
    # The create takes no isActive (specs/sentry-openapi.json, POST .../keys/): a key declared inactive is
    # deactivated by a PUT right after.
    set_after_create: ClassVar[frozenset[str]] = frozenset({"active"})

    def client(self) -> Transport:
        return api.client()

    def path(self, project: str, key_id: str = "") -> str:
        return f"/projects/{api.org()}/{project}/keys/" + (f"{key_id}/" if key_id else "")

    def body(self, inputs: ClientKeyInputs, *, creating: bool) -> dict[str, Any]:
        """On update, rateLimit null clears a limit (omitted would leave it); the create serializer refuses
        null, so a create without a limit leaves the field out (docs/vendors/sentry.md, client keys)."""
        limit = inputs.rate_limit.model_dump() if inputs.rate_limit else None
        if creating and limit is None:
            return {"name": inputs.name}
        return {"name": inputs.name, "rateLimit": limit}

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        active = {"active": bool(obj["isActive"])} if obj.get("isActive") is not None else {}
        return {"name": obj.get("name"), "rate_limit": obj.get("rateLimit"), **active}

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        dsn = obj.get("dsn") or {}
        return {
            "key_id": obj.get("id"),
            "dsn": dsn.get("public"),
            "dsn_secret": dsn.get("secret"),
            "dsn_csp": dsn.get("csp"),
            "public_key": obj.get("public"),
            "secret_key": obj.get("secret"),
        }

    def create(self, client: Transport, inputs: ClientKeyInputs) -> dict[str, Any]:
        path, body = self.path(inputs.project), self.body(inputs, creating=True)
        created = client.request("POST", path, json_body=body, recover=lambda: self.find(client, inputs))
        if not inputs.active:
            return self.update(client, created, inputs)
        return self._warn_if_ignored(created, inputs)

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        project, _, key_id = id_.partition("/")
        return client.request("GET", self.path(project, key_id))

    def id_of(self, obj: dict[str, Any]) -> str:
        return f"{obj['projectId']}/{obj['id']}"  # a key URL needs both

    def listed(self, client: Transport, id_: str) -> tuple[tuple[str, ...], Any]:
        project = id_.partition("/")[0]  # list items are the detail's schema (specs/sentry-openapi.json)
        return (project,), lambda: api.list_all(client, self.path(project))

    def update(self, client: Transport, current: dict[str, Any], inputs: ClientKeyInputs) -> dict[str, Any]:
        key_id = str(current.get("key_id") or current["id"]).rpartition("/")[2]
        # isActive is only in the update schema (specs/sentry-openapi.json, PUT .../keys/{key_id}/).
        body = {**self.body(inputs, creating=False), "isActive": inputs.active}
        updated = client.request("PUT", self.path(inputs.project, key_id), json_body=body)
        return self._warn_if_ignored(updated, inputs)

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        project, _, key_id = id_.partition("/")
        client.request("DELETE", self.path(project, key_id))

    def adopt(self, client: Transport, inputs: ClientKeyInputs) -> dict[str, Any] | None:
        if inputs.adopt_id and "/" not in inputs.adopt_id:  # a bare key id: it lives in inputs.project
            inputs = inputs.model_copy(update={"adopt_id": f"{inputs.project}/{inputs.adopt_id}"})
        return super().adopt(client, inputs)

    def find(self, client: Transport, inputs: ClientKeyInputs) -> dict[str, Any] | None:
        matches = [k for k in api.list_all(client, self.path(inputs.project)) if self.same(k, inputs)]
        if len(matches) > 1:
            ids = ", ".join(str(k["id"]) for k in matches)
            raise ValueError(
                f"{len(matches)} keys are named '{inputs.name}' ({ids}); adopt one with adopt_id"
            )
        return matches[0] if matches else None

    def listing(self, client: Transport, inputs: ClientKeyInputs) -> tuple[tuple[str, ...], Any]:
        return (inputs.project,), lambda: api.list_all(client, self.path(inputs.project))

    def _warn_if_ignored(self, obj: dict[str, Any], inputs: ClientKeyInputs) -> dict[str, Any]:
        if inputs.rate_limit and not obj.get("rateLimit"):
            notice.warn(
                f"{self.kind} '{inputs.name}'",
                "Sentry ignored rate_limit: the organization's plan lacks the projects:rate-limits feature. "
                "Remove rate_limit or upgrade the plan.",
            )
            # Keep the declared value so that the ignored setting does not show as drift forever.
            return {**obj, "rateLimit": inputs.rate_limit.model_dump()}
        return obj


SPEC = ClientKeySpec()
