"""``PATCH /services/{id}``: a partial update (docs/vendors/render.md, services). Omitted fields stay as
they are;
``serviceDetails`` merges into the current details and is type-dependent: ``healthCheckPath`` and
``maintenanceMode`` exist only for web services, so another type answers 400 naming the field. Fields no
service type knows are ignored, as Render's JSON decoding does.
"""

from collections.abc import Callable
from typing import Any

from sandbox.render import repo
from sandbox.render.catalog import trigger_of
from sandbox.render.errors import ApiError, invalid

Doc = dict[str, Any]
Check = Callable[[Any], bool]

PAID_PLANS = ("starter", "standard", "pro", "pro_plus", "pro_max", "pro_ultra")
RUNTIMES = ("docker", "elixir", "go", "node", "python", "ruby", "rust", "image")
_ENV_SPECIFIC = ("buildCommand", "startCommand", "dockerCommand", "dockerContext", "dockerfilePath")

_COMMON = {"envSpecificDetails", "plan", "preDeployCommand", "pullRequestPreviewsEnabled", "previews"}
_SERVER = _COMMON | {"runtime", "maxShutdownDelaySeconds"}
DETAIL_FIELDS = {
    "web_service": _SERVER
    | {"healthCheckPath", "maintenanceMode", "renderSubdomainPolicy", "ipAllowList", "cache"},
    "private_service": _SERVER,
    "background_worker": _SERVER,
    "cron_job": {"envSpecificDetails", "plan", "schedule", "runtime"},
    "static_site": {
        "buildCommand",
        "publishPath",
        "pullRequestPreviewsEnabled",
        "previews",
        "renderSubdomainPolicy",
        "ipAllowList",
    },
}
_ALL_DETAIL_FIELDS = set().union(*DETAIL_FIELDS.values())


def _string(value: Any) -> bool:
    return isinstance(value, str)


def _one_of(*allowed: str) -> Check:
    return lambda value: value in allowed


def _health_check_path(value: Any) -> bool:
    return isinstance(value, str) and (value == "" or value.startswith("/"))


def _delay(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 300


def _maintenance(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("enabled"), bool)
        and isinstance(value.get("uri", ""), str)
    )


def _allow_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, dict) and _string(item.get("cidrBlock")) and _string(item.get("description", ""))
        for item in value
    )


def _string_map(*keys: str) -> Check:
    return lambda value: (
        isinstance(value, dict) and all(_string(item) for key, item in value.items() if key in keys)
    )


_DETAIL_CHECKS: dict[str, tuple[Check, str]] = {
    "healthCheckPath": (_health_check_path, "must be a string, empty or starting with /"),
    "maintenanceMode": (_maintenance, "must be an object with a boolean enabled and a string uri"),
    "plan": (_one_of(*PAID_PLANS), f"must be one of {', '.join(PAID_PLANS)}"),
    "preDeployCommand": (_string, "must be a string"),
    "pullRequestPreviewsEnabled": (_one_of("yes", "no"), "must be one of yes, no"),
    "previews": (
        lambda v: isinstance(v, dict) and v.get("generation", "off") in ("off", "manual", "automatic"),
        "generation must be one of off, manual, automatic",
    ),
    "runtime": (_one_of(*RUNTIMES), f"must be one of {', '.join(RUNTIMES)}"),
    "maxShutdownDelaySeconds": (_delay, "must be an integer between 1 and 300"),
    "renderSubdomainPolicy": (_one_of("enabled", "disabled"), "must be one of enabled, disabled"),
    "ipAllowList": (_allow_list, "must be a list of {cidrBlock, description}"),
    "cache": (lambda v: isinstance(v, dict) and _string(v.get("profile")), "must be {profile}"),
    "envSpecificDetails": (_string_map(*_ENV_SPECIFIC), "must be an object of strings"),
    "schedule": (lambda v: isinstance(v, str) and v.strip() != "", "must be a non-empty cron expression"),
    "buildCommand": (_string, "must be a string"),
    "publishPath": (_string, "must be a string"),
}
_TOP_CHECKS: dict[str, tuple[Check, str]] = {
    "autoDeploy": (_one_of("yes", "no"), "must be one of yes, no"),
    "name": (lambda v: isinstance(v, str) and v.strip() != "", "must be a non-empty string"),
    "repo": (_string, "must be a string"),
    "branch": (_string, "must be a string"),
    "rootDir": (_string, "must be a string"),
    "buildFilter": (
        lambda v: (
            isinstance(v, dict)
            and all(
                isinstance(v.get(k, []), list) and all(map(_string, v.get(k, [])))
                for k in ("paths", "ignoredPaths")
            )
        ),
        "must be {paths: [string], ignoredPaths: [string]}",
    ),
    "image": (
        lambda v: isinstance(v, dict) and _string(v.get("imagePath")),
        "must be an object with imagePath",
    ),
}


def _check(field: str, value: Any, checks: dict[str, tuple[Check, str]]) -> None:
    check, message = checks[field]
    if not check(value):
        raise invalid(f"invalid {field}: {message}")


def apply_patch(service: Doc, body: Doc) -> None:
    """Validate all of ``body`` first, then merge it into ``service`` (so a 400 changes nothing)."""
    for field in _TOP_CHECKS.keys() & body.keys():
        _check(field, body[field], _TOP_CHECKS)
    if "image" in body and service["serviceDetails"].get("runtime") != "image":
        raise invalid("invalid image: only image-backed services have an image")
    details = body.get("serviceDetails", {})
    if not isinstance(details, dict):
        raise invalid("invalid serviceDetails: must be an object")
    allowed = DETAIL_FIELDS.get(service["type"], set())
    for field in _ALL_DETAIL_FIELDS & details.keys():
        if field not in allowed:
            raise invalid(f"invalid serviceDetails.{field}: not supported for {service['type']} services")
        _check(field, details[field], _DETAIL_CHECKS)
    if "name" in body and body["name"] != service["name"]:
        _check_name_free(service, body["name"])
    for field in _TOP_CHECKS.keys() & body.keys():
        if field == "image":
            service["imagePath"] = body["image"]["imagePath"]
        else:
            service[field] = body[field]
    if "autoDeploy" in body:
        service["autoDeployTrigger"] = trigger_of(body["autoDeploy"])
    _merge_details(
        service["serviceDetails"], {key: details[key] for key in _ALL_DETAIL_FIELDS & details.keys()}
    )


def _check_name_free(service: Doc, name: str) -> None:
    """409 for a rename onto a name another service of the same workspace and type uses: name lookups
    (TF's, and Lookout's) fail unless exactly one matches (render.md, services; ASSUMED: no source says
    what Render answers, and a create with a taken name is accepted). A body repeating the service's own
    name is no rename."""
    clash = (name, service["ownerId"], service["type"])
    for record in repo.visible_services():
        other = record["doc"]
        if other["id"] != service["id"] and (other["name"], other["ownerId"], other["type"]) == clash:
            raise ApiError(409, f"a {service['type']} named {name} already exists")


def _merge_details(current: Doc, changes: Doc) -> None:
    for field, value in changes.items():
        if field == "preDeployCommand":
            current.setdefault("envSpecificDetails", {})["preDeployCommand"] = value
        elif field == "maintenanceMode":
            current["maintenanceMode"] = {**current.get("maintenanceMode", {"uri": ""}), **value}
        elif field in ("envSpecificDetails", "previews"):
            current[field] = {**current.get(field, {}), **value}
        else:
            current[field] = value
            if field == "runtime":
                current["env"] = value  # the deprecated alias follows
