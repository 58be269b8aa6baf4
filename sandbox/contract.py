"""Every vendor request is checked against the vendor's official OpenAPI document before it is handled.

The sandbox serves each vendor under a prefix (``/sentry/api/0``); the contract maps that prefix onto the
spec's server (``https://us.sentry.io/api/0``) and asks openapi-core whether the request fits the operation:
path, query, headers and body. Where the live API is known to depart from its document, the deviation
table (``sandbox/deviations/``) patches the spec, rewrites the body before the check, or skips it. What
remains is a violation: counted (control API ``/_control/violations``) and answered the way the vendor
answers a bad request, so a client that breaks the contract fails here as it would on a real account.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import yaml
from flask import Request
from jsonschema.exceptions import ValidationError as SchemaError
from jsonschema.exceptions import best_match
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.deserializing.exceptions import DeserializeError
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.templating.paths.finders import APICallPathFinder
from openapi_core.validation.request.exceptions import (
    MissingRequiredParameter,
    MissingRequiredRequestBody,
    ParameterValidationError,
    RequestBodyValidationError,
    SecurityValidationError,
)
from openapi_schema_validator import OAS30Validator
from werkzeug.datastructures import Headers, ImmutableMultiDict

from sandbox import contract_cache, deviations, forms, specs


@dataclass(frozen=True)
class Problem:
    """One way a request breaks the contract: where (a field path, or a parameter), which rule, and why."""

    location: tuple[str | int, ...]  # ("body", "interval") / ("query", "limit") / ("path",)
    rule: str  # the JSON-schema keyword that failed ("type", "required", "enum", ...), "path" or "malformed"
    detail: str  # readable, for logs and for vendors whose errors are plain messages
    constraint: Any = None  # the schema's value for `rule` (the enum, the minimum, ...)
    value: Any = None  # what the request sent there

    @property
    def field(self) -> str:
        return ".".join(str(part) for part in self.location[1:]) or str(self.location[0])

    @property
    def summary(self) -> str:
        """For logs and the control API: the field and the rule, never the value sent (it may be a secret)."""
        shown = self.constraint if isinstance(self.constraint, int | float | str | list) else None
        rule = f"{self.rule} {shown}" if shown is not None and len(str(shown)) <= 80 else self.rule
        return f"{self.field}: breaks {rule}"


class SpecRequest:
    """A Flask request seen at the spec's server: the openapi-core `Request` protocol."""

    def __init__(
        self,
        req: Request,
        server: str,
        prefix: str,
        body: bytes | None,
        content_type: str,
        append_slash: bool = False,
        empty_is_absent: bool = False,
    ) -> None:
        parts = urlsplit(server)
        self.host_url = f"{parts.scheme}://{parts.netloc}"
        self.path = parts.path.rstrip("/") + req.path[len(prefix) :]
        if append_slash and not self.path.endswith("/"):
            self.path += "/"
        self.method = req.method.lower()
        self.body = body
        self.content_type = content_type
        args = [(k, v) for k, v in req.args.items(multi=True) if v != "" or not empty_is_absent]
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(args),
            header=Headers(req.headers),
            cookie=req.cookies,
        )


@dataclass(frozen=True)
class Contract:
    vendor: str
    spec_file: str
    server: str  # the spec's server URL the sandbox prefix stands for
    # Django's APPEND_SLASH redirects a path without its trailing slash to the one with it (Sentry).
    append_slash: bool = False
    # A query parameter sent empty (`cursor=`, `query=`) is as if not sent: Django views read it with
    # `request.GET.get(...)` and test it for truth (Sentry: `if query:`, the paginator's cursor).
    empty_is_absent: bool = False

    @functools.cached_property
    def openapi(self) -> OpenAPI:
        """Loaded on the first request. The document itself is not re-validated (the spec is the vendor's);
        what the check derives from it alone is derived once (contract_cache.py)."""
        openapi = OpenAPI.from_dict(self.document, config=Config(spec_validator_cls=None))
        contract_cache.memoize(openapi.request_validator, self.document["paths"])
        return openapi

    @functools.cached_property
    def document(self) -> dict[str, Any]:
        """The spec as published, with the deviation table's patches applied."""
        text = specs.spec_path(self.spec_file).read_text(encoding="utf-8")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        spec: dict[str, Any] = (
            json.loads(text) if self.spec_file.endswith(".json") else yaml.load(text, loader)
        )
        for deviation in deviations.for_vendor(self.vendor):
            if deviation.patch is not None:
                deviation.patch(spec)
        _name_branches_by_type(spec)
        return spec

    def check(self, req: Request, prefix: str, route: str) -> list[Problem]:
        """The problems of `req` (a request to `route`, relative to the vendor's base URL) that no
        deviation excuses."""
        rules = [d for d in deviations.for_vendor(self.vendor) if d.applies(req.method, route)]
        if any(d.skip for d in rules):
            return []
        if req.mimetype in forms.FORM_TYPES:
            return self._check_form(req, prefix)
        body = req.get_data() or None
        for deviation in rules:
            if deviation.rewrite is not None and body is not None:
                body = _rewritten(body, deviation.rewrite)
        content_type = (req.content_type or "application/json").lower()
        spec_request = SpecRequest(
            req, self.server, prefix, body, content_type, self.append_slash, self.empty_is_absent
        )
        return list(_problems(self.openapi.iter_request_errors(spec_request)))

    def _check_form(self, req: Request, prefix: str) -> list[Problem]:
        """A form body is checked as the typed object it stands for: every form value is a string, and
        servers that take forms convert each to the type the operation's schema gives its field."""
        probe = SpecRequest(
            req, self.server, prefix, None, req.mimetype, self.append_slash, self.empty_is_absent
        )
        try:
            found = APICallPathFinder(self.openapi.spec).find(probe.method, probe.host_url + probe.path)
        except PathError as error:
            return [Problem(("path",), "path", f"the spec has no such operation ({error})")]
        operation = self.document["paths"][found.path.parts[-1]][found.operation.parts[-1]]
        content = (operation.get("requestBody") or {}).get("content") or {}
        if req.mimetype not in content:
            return [Problem(("body",), "mediaType", f"the operation does not take {req.mimetype}")]
        components = self.document.get("components", {}).get("schemas", {})
        schema = content[req.mimetype]["schema"]
        body = forms.typed(req.form, schema, components)
        validator = OAS30Validator({**schema, "components": {"schemas": components}})
        problems = [p for e in validator.iter_errors(body) for p in schema_problems(("body",), e)]
        others = self.openapi.iter_request_errors(probe)  # path, query and headers; the body is above
        return problems + [p for p in _problems(others) if p.location[0] != "body"]


def _name_branches_by_type(spec: dict[str, Any]) -> None:
    """A `oneOf` of objects told apart by their `type` enums gets the discriminator it implies. It accepts
    and refuses exactly what the `oneOf` does, but a refusal then names the fields of the branch the body
    chose (as the vendors' validators do) instead of "not valid under any of the given schemas"."""
    components = spec.get("components", {}).get("schemas", {})

    def branch_types(branch: Any) -> list[str]:
        ref = branch.get("$ref", "") if isinstance(branch, dict) else ""
        target = components.get(ref.rsplit("/", 1)[-1], {})
        values = (target.get("properties", {}).get("type") or {}).get("enum") or []
        return list(values) if "type" in target.get("required", []) else []

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            branches = node.get("oneOf")
            if isinstance(branches, list) and branches and "discriminator" not in node:
                mapping = {kind: b["$ref"] for b in branches for kind in branch_types(b)}
                told_apart = all(branch_types(b) for b in branches)
                if told_apart and len(mapping) == sum(len(branch_types(b)) for b in branches):
                    node["discriminator"] = {"propertyName": "type", "mapping": mapping}
            for value in node.values():
                visit(value)

    visit(spec.get("paths", {}))


def _rewritten(body: bytes, rewrite: Any) -> bytes:
    try:
        data = json.loads(body)
    except ValueError:
        return body  # not JSON: the check reports it as it stands
    return json.dumps(rewrite(data)).encode()


class Unspecified(Contract):
    """A vendor API with no official spec (Slack webhooks, Sentry's Relay): its routes check requests
    themselves, as the vendor's server does."""

    def check(self, req: Request, prefix: str, route: str) -> list[Problem]:
        return []


def _problems(errors: Iterable[Exception]) -> Iterator[Problem]:
    for error in errors:
        if isinstance(error, SecurityValidationError):
            continue  # authentication is the vendor's own first step, answered as its 401
        if isinstance(error, PathError):
            yield Problem(("path",), "path", f"the spec has no such operation ({error})")
        elif isinstance(error, MissingRequiredRequestBody):
            yield Problem(("body",), "required", "a request body is required")
        elif isinstance(error, RequestBodyValidationError):
            yield from _schema_problems(("body",), error)
        elif isinstance(error, MissingRequiredParameter):
            yield Problem((error.location, error.name), "required", f"{error.name} is required")
        elif isinstance(error, ParameterValidationError):
            yield from _schema_problems((error.location, error.name), error)
        else:
            yield Problem(("request",), "request", str(error))


def _schema_problems(location: tuple[str | int, ...], error: Exception) -> Iterator[Problem]:
    """One problem per JSON-schema error behind an openapi-core error (or the error itself)."""
    cause = error.__cause__
    if isinstance(cause, DeserializeError):
        yield Problem(location, "malformed", str(cause))
        return
    schema_errors = [e for e in getattr(cause, "schema_errors", []) if isinstance(e, SchemaError)]
    if not schema_errors:
        yield Problem(location, "invalid", str(cause or error))
        return
    for schema_error in schema_errors:
        yield from schema_problems(location, schema_error)


def schema_problems(location: tuple[str | int, ...], error: SchemaError) -> Iterator[Problem]:
    """The problems of one JSON-schema error: a `oneOf`/`anyOf` failure through its most relevant branch,
    as validators report it; a `required` failure once per missing property."""
    chosen = _discriminator_problem(location, error)
    if chosen is not None:
        yield chosen
        return
    error = best_match([error]) or error
    if error.validator == "required" and isinstance(error.instance, dict):
        for missing in error.validator_value:
            if missing not in error.instance:
                where = (*location, *error.absolute_path, missing)
                yield Problem(where, "required", f"{missing} is required")
        return
    yield _problem(location, error)


def _discriminator_problem(location: tuple[str | int, ...], error: SchemaError) -> Problem | None:
    """The discriminating property itself missing or naming no branch."""
    discriminator = error.schema.get("discriminator") if isinstance(error.schema, dict) else None
    if not discriminator or not isinstance(error.instance, dict):
        return None
    name, mapping = discriminator["propertyName"], discriminator.get("mapping") or {}
    where = (*location, *error.absolute_path, name)
    if name not in error.instance:
        return Problem(where, "required", f"{name} is required")
    if mapping and error.instance[name] not in mapping:
        value = error.instance[name]
        return Problem(where, "enum", f"{value!r} is not one of {list(mapping)}", list(mapping), value)
    return None


def _problem(location: tuple[str | int, ...], error: SchemaError) -> Problem:
    where = (*location, *error.absolute_path)
    return Problem(where, str(error.validator), error.message, error.validator_value, error.instance)
