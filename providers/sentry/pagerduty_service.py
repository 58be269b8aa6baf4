"""One row of the service table of Sentry's PagerDuty integration: the PagerDuty service (by name) and the
integration key Sentry pages it with; alert actions of type pagerduty target the row's id.

The integration itself is installed once in Sentry's web app (an OAuth-like flow, no API); its rows are
changed by POSTing the whole table back (the private endpoint Sentry's web app and its official Terraform
provider use): rows are matched by id, a row without an id is new, a row left out is deleted
(getsentry/sentry src/sentry/integrations/pagerduty/integration.py update_organization_config;
jianyuan/terraform-provider-sentry internal/provider/resource_integration_pagerduty.go). The row's
service name is its natural key within the integration.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from transport import Expected, NotFound, Transport

from ..spec import Inputs, ResourceSpec
from . import client as api


class PagerDutyServiceInputs(Inputs):
    integration_id: str = Field(
        min_length=1, description="Sentry's PagerDuty integration (IntegrationLookup)"
    )
    service: str = Field(min_length=1, description="The PagerDuty service's name, as Sentry shows it")
    integration_key: str = Field(min_length=1, description="Its Events API v2 integration key (secret)")


class PagerDutyServiceSpec(ResourceSpec[PagerDutyServiceInputs]):
    kind = "sentry:PagerDutyService"
    natural_key = ("service",)
    creates = (("POST", "/organizations/{organization_id_or_slug}/integrations/{integration_id}/"),)
    model = PagerDutyServiceInputs
    replace_on: ClassVar[frozenset[str]] = frozenset({"integration_id"})
    secret_fields: ClassVar[frozenset[str]] = frozenset({"integration_key"})
    output_names: ClassVar[tuple[str, ...]] = ("service_id",)

    def client(self) -> Transport:
        return api.client()

    def _path(self, integration_id: str) -> str:
        return f"/organizations/{api.org()}/integrations/{integration_id}/"

    def _table(self, client: Transport, integration_id: str) -> list[dict[str, Any]]:
        integration = client.request("GET", self._path(integration_id)) or {}
        rows: list[dict[str, Any]] = (integration.get("configData") or {}).get("service_table") or []
        return rows

    def _write(
        self, client: Transport, integration_id: str, rows: list[dict[str, Any]], **retry: Any
    ) -> None:
        """The whole table back. Without a new row it is safe to resend (rows are matched by id); with one,
        `retry` must say how to tell whether a lost write was applied."""
        client.request("POST", self._path(integration_id), json_body={"service_table": rows}, **retry)

    def id_of(self, obj: dict[str, Any]) -> str:
        return f"{obj['integration_id']}/{obj['id']}"

    def _with_integration(self, row: dict[str, Any], integration_id: str) -> dict[str, Any]:
        return {**row, "integration_id": integration_id}

    def create(self, client: Transport, inputs: PagerDutyServiceInputs) -> dict[str, Any]:
        rows = self._table(client, inputs.integration_id)
        seen = {str(row["id"]) for row in rows}

        def added() -> dict[str, Any] | None:
            fresh = self._table(client, inputs.integration_id)
            return next((r for r in fresh if str(r["id"]) not in seen and self.same(r, inputs)), None)

        new = {**self._row(inputs), "id": 0}  # no id: a new row (update_organization_config)
        self._write(client, inputs.integration_id, [*rows, new], idempotent=False, recover=added)
        row = added()
        if row is None:
            raise MissingRow(
                f"{self.kind}: Sentry accepted the service row '{inputs.service}' but does not list it"
            )
        return self._with_integration(row, inputs.integration_id)

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        integration_id, _, row_id = id_.partition("/")
        for row in self._table(client, integration_id):
            if str(row["id"]) == row_id:
                return self._with_integration(row, integration_id)
        raise NotFound("sentry", "GET", self._path(integration_id), 404, f"no service row {row_id}")

    def update(
        self, client: Transport, current: dict[str, Any], inputs: PagerDutyServiceInputs
    ) -> dict[str, Any]:
        row_id = str(current["id"]).partition("/")[2] or str(current["id"])
        rows = self._table(client, inputs.integration_id)
        changed = [
            {**self._row(inputs), "id": row["id"]} if str(row["id"]) == row_id else row for row in rows
        ]
        self._write(client, inputs.integration_id, changed, idempotent=True)
        return self.get(client, f"{inputs.integration_id}/{row_id}")

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        integration_id, _, row_id = id_.partition("/")
        try:
            rows = self._table(client, integration_id)
        except NotFound:
            return  # the integration was uninstalled, and its rows with it
        if any(str(row["id"]) == row_id for row in rows):
            self._write(
                client, integration_id, [row for row in rows if str(row["id"]) != row_id], idempotent=True
            )

    def _row(self, inputs: PagerDutyServiceInputs) -> dict[str, Any]:
        return {"service": inputs.service, "integration_key": inputs.integration_key}

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {
            "integration_id": obj.get("integration_id"),
            "service": obj.get("service"),
            "integration_key": obj.get("integration_key"),
        }

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"service_id": str(obj["id"])}

    def find(self, client: Transport, inputs: PagerDutyServiceInputs) -> dict[str, Any] | None:
        rows = self._table(client, inputs.integration_id)
        found = next((row for row in rows if self.same(row, inputs)), None)
        return self._with_integration(found, inputs.integration_id) if found else None

    def listing(self, client: Transport, inputs: PagerDutyServiceInputs) -> tuple[tuple[str, ...], Any]:
        """The table takes two rows of one service name: a create looks at it first (providers/claims.py)."""

        def rows() -> list[dict[str, Any]]:
            return [
                self._with_integration(r, inputs.integration_id)
                for r in self._table(client, inputs.integration_id)
            ]

        return (inputs.integration_id,), rows


class MissingRow(Expected, LookupError):
    pass


SPEC = PagerDutyServiceSpec()
