"""``/services/{id}/integrations``: how events reach a service. An Events API v2 integration carries the
32-character ``integration_key`` the Events API takes as ``routing_key`` (returned although the spec's
Integration schema omits it: PagerDuty/terraform-provider-pagerduty reads it). There is no list route.
The spec lists no DELETE either, but the API has an undocumented one that the official Terraform provider
uses (resourcePagerDutyServiceIntegrationDelete; hashicorp/terraform#10891: "not documented in the
PagerDuty API reference"): deviation `pagerduty-integration-delete`. An integration also goes with its
service."""

import hashlib
from typing import Any

from sandbox.collection import Collection, Controlled
from sandbox.pagerduty import repo, web
from sandbox.pagerduty.errors import invalid, not_found

Doc = dict[str, Any]
EVENTS_V2 = "events_api_v2_inbound_integration"
TYPES = (EVENTS_V2, "generic_events_api_inbound_integration", "generic_email_inbound_integration")


def _service(args: dict[str, Any]) -> Doc:
    return repo.get_or_404(repo.SERVICES, args["id"])


def create(service: Doc, data: Doc) -> Doc:
    kind = data.get("type")
    if kind not in TYPES:
        raise invalid(f"type must be one of {', '.join(TYPES)}")
    record = repo.new_record()
    key = hashlib.sha256(f"pagerduty-integration:{record['id']}".encode()).hexdigest()[:32]
    record.update(
        type=kind,
        name=str(data.get("name") or "Events API V2"),
        service=service["pid"],
        key=key,
        created_at=repo.now(),
    )
    return repo.save(repo.INTEGRATIONS, record)


def _load(args: dict[str, Any]) -> Doc:
    service = _service(args)
    record = repo.by_pid(repo.INTEGRATIONS, args["integration_id"])
    if record is None or record["service"] != service["pid"]:
        raise not_found()
    return record


def update(record: Doc, data: Doc) -> Doc:
    if "type" in data and data["type"] != record["type"]:
        raise invalid("type can not be changed")
    if "name" in data:
        record["name"] = str(data["name"])
    return repo.save(repo.INTEGRATIONS, record)


def dto(record: Doc) -> Doc:
    service = repo.by_pid(repo.SERVICES, record["service"]) or {"pid": record["service"]}
    return {
        **web.header(record, record["type"], f"services/{record['service']}/integrations"),
        "name": record["name"],
        "service": web.ref("service", service, "services"),
        "created_at": record["created_at"],
        "vendor": None,
        "integration_key": record["key"],
    }


COLLECTION = Collection(
    "pagerduty_integrations",
    "/services/<id>/integrations",
    "/services/<id>/integrations/<integration_id>",
    records=None,
    load=_load,
    dto=lambda args: dto,
    body=web.wrapped("integration"),
    envelope="integration",
    parent=_service,
    create=lambda args, data: create(args["parent"], data),
    update=lambda args, record, data: update(record, data),
    update_method="PUT",
    delete=lambda args, record: repo.remove(repo.INTEGRATIONS, record),
)
# Out of band (sandbox/pagerduty/control.py): shown as the API shows it, deleted without its checks.
CONTROLLED = Controlled(
    repo.INTEGRATIONS,
    dto,
    lambda record: repo.remove(repo.INTEGRATIONS, record),
    names=lambda view: [f"{view['service']['summary']} {view['name']}"],
)
