"""Client keys / DSNs (docs/vendors/sentry.md, client keys). The key's API id is its 32-hex public key; lists
page 10 keys at a time.

``rateLimit`` is kept only when the organization has the ``projects:rate-limits`` feature; otherwise it is
silently ignored and reads back as null, as on plans without it. A create drops a limit whose count or
window is 0; an update stores it, but it reads back as null (getsentry/sentry
``core/endpoints/project_keys.py`` post, ``api/serializers/models/project_key.py``).
"""

import secrets
from typing import Any

from flask import request

from sandbox.collection import Args, Collection, Controlled
from sandbox.sentry import fields, orgs, repo
from sandbox.sentry.errors import not_found
from sandbox.sentry.web import paginate

KEYS_PER_PAGE = 10
SDK_VERSIONS = ("latest", "7.x")
DEFAULT_SDK_VERSION = "7.x"
LOADER_OPTIONS = ("hasReplay", "hasPerformance", "hasDebug", "hasFeedback", "hasLogsAndMetrics")
USE_CASES = ("user", "profiling", "tempest", "demo")
_ADJECTIVES = ("Liked", "Bold", "Calm", "Eager", "Brave", "Quiet", "Vivid", "Noble")
_ANIMALS = ("Pegasus", "Oarfish", "Heron", "Lynx", "Marten", "Ibex", "Puffin", "Gecko")

Doc = dict[str, Any]


def dto(key: Doc) -> Doc:
    project_id, public, secret = key["projectId"], key["public"], key["secret"]
    host = orgs.INGEST_HOST
    api = f"https://{host}/api/{project_id}"
    return {
        "id": public,
        "name": key["name"],
        "label": key["name"],
        "public": public,
        "secret": secret,
        "projectId": project_id,
        "isActive": key["isActive"],
        "rateLimit": _shown(key["rateLimit"]),
        "dsn": {
            "secret": f"https://{public}:{secret}@{host}/{project_id}",
            "public": f"https://{public}@{host}/{project_id}",
            "csp": f"{api}/csp-report/?sentry_key={public}",
            "security": f"{api}/security/?sentry_key={public}",
            "minidump": f"{api}/minidump/?sentry_key={public}",
            "nel": f"{api}/nel/?sentry_key={public}",
            "unreal": f"{api}/unreal/{public}/",
            "crons": f"{api}/crons/___MONITOR_SLUG___/{public}/",
            "cdn": f"https://js.sentry-cdn.com/{public}.min.js",
            "playstation": f"{api}/playstation/?sentry_key={public}",
            "integration": f"{api}/integration/",
            "otlp_traces": f"{api}/integration/otlp/v1/traces",
            "otlp_logs": f"{api}/integration/otlp/v1/logs",
        },
        "browserSdkVersion": key["browserSdkVersion"],
        "browserSdk": {"choices": [[version, version] for version in SDK_VERSIONS]},
        "dateCreated": key["dateCreated"],
        "dynamicSdkLoaderOptions": key["dynamicSdkLoaderOptions"],
        "useCase": key["useCase"],
    }


def create(project: Doc, data: Doc, *, checked: bool = True) -> Doc:
    name = data.get("name")
    if checked:
        name = fields.optional_text(name, ("name",), 64)
    key = {
        "id": repo.new_id(),
        "public": secrets.token_hex(16),
        "secret": secrets.token_hex(16),
        "projectId": project["id"],
        "name": name or f"{secrets.choice(_ADJECTIVES)} {secrets.choice(_ANIMALS)}",
        "isActive": True,
        "rateLimit": _shown(_rate_limit(data.get("rateLimit"), checked)),
        "browserSdkVersion": DEFAULT_SDK_VERSION,
        "dynamicSdkLoaderOptions": dict.fromkeys(LOADER_OPTIONS, False),
        "dateCreated": repo.now(),
        "useCase": fields.choice(data.get("useCase", "user"), USE_CASES, ("useCase",)) if checked else "user",
    }
    return repo.save(repo.KEYS, key)


def _rate_limit(raw: Any, checked: bool) -> Doc | None:
    """``{"window", "count"}`` or null; dropped without the organization's rate-limits feature."""
    if raw is None or (checked and not orgs.has_feature(orgs.RATE_LIMIT_FEATURE)):
        return None
    if not checked:
        return dict(raw)
    limit = fields.mapping(raw, ("rateLimit",))
    window = fields.integer(
        fields.required(limit, "window", ("rateLimit",)), ("rateLimit", "window"), 0, 86400
    )
    count = fields.integer(fields.required(limit, "count", ("rateLimit",)), ("rateLimit", "count"), 0)
    return {"window": window, "count": count}


def _shown(limit: Doc | None) -> Doc | None:
    """A limit with a zero count or window is no limit."""
    return limit if limit and limit.get("count") and limit.get("window") else None


def _update(key: Doc, data: Doc) -> None:
    if "name" in data:
        key["name"] = fields.text(data["name"], ("name",), 64)
    if "isActive" in data:
        key["isActive"] = fields.boolean(data["isActive"], ("isActive",))
    if "rateLimit" in data:  # omitted: unchanged; null: cleared
        key["rateLimit"] = _rate_limit(data["rateLimit"], checked=True)
    # Quirk (sentry.md, client keys): a PUT without browserSdkVersion resets it to the default.
    version = data.get("browserSdkVersion", DEFAULT_SDK_VERSION)
    key["browserSdkVersion"] = fields.choice(version, SDK_VERSIONS, ("browserSdkVersion",))
    if "dynamicSdkLoaderOptions" in data:
        options = fields.mapping(data["dynamicSdkLoaderOptions"], ("dynamicSdkLoaderOptions",))
        for option in LOADER_OPTIONS:
            if option in options:  # merged, not replaced
                path = ("dynamicSdkLoaderOptions", option)
                key["dynamicSdkLoaderOptions"][option] = fields.boolean(options[option], path)


def _project_keys(project: Doc) -> list[Doc]:
    return [key for key in repo.find(repo.KEYS) if key["projectId"] == project["id"]]


def _key(project: Doc, key_id: str) -> Doc:
    found = next((key for key in _project_keys(project) if key["public"] == key_id), None)
    if found is None:
        raise not_found()
    return found


def _listed(args: Args) -> list[Doc]:
    found = _project_keys(repo.lookup(repo.PROJECTS, args["proj"]))
    status = request.args.get("status")
    if status in ("active", "inactive"):
        found = [key for key in found if key["isActive"] == (status == "active")]
    return found


def _update_saved(key: Doc, data: Doc) -> Doc:
    _update(key, data)
    return repo.save(repo.KEYS, key)


COLLECTION = Collection(
    "keys",
    "/projects/<org>/<proj>/keys/",
    "/projects/<org>/<proj>/keys/<key_id>/",
    records=_listed,
    load=lambda args: _key(repo.lookup(repo.PROJECTS, args["proj"]), args["key_id"]),
    dto=lambda args: dto,
    page=lambda items, to_dto: paginate(items, to_dto, KEYS_PER_PAGE),
    create=lambda args, data: create(args["parent"], data),
    parent=lambda args: repo.lookup(repo.PROJECTS, args["proj"]),
    update=lambda args, record, data: _update_saved(record, data),
    delete=lambda args, record: repo.remove(repo.KEYS, record["id"]),
    update_method="PUT",
)


# Out of band (sandbox/sentry/control.py): shown as the API shows it; seeded without validation.
CONTROLLED = Controlled(
    repo.KEYS,
    dto,
    lambda key: repo.remove(repo.KEYS, key["id"]),
    names=lambda view: [f"{repo.project_slug(view['projectId'])} {view['name']}"],
    create=lambda data: create(repo.seeded_in(repo.PROJECTS, data.get("project")), data, checked=False),
)
