"""What the contract check works out from the spec alone, worked out once (issue #26).

openapi-core builds, for every request, the JSON-schema validator of each schema it checks (deep-copying a
format checker each time), the caster of each parameter, and finds the operation by matching the URL
against every path of the spec. None of that depends on the request but the URL, and the specs are fixed
for the life of the sandbox, so the request validator gets:

- schema validators (and the parameter casters built on them) kept per schema location: a validator holds
  no state between `validate` calls (jsonschema's validators are reusable);
- the operation found for a (method, URL shape) kept in a bounded cache. Which spec paths match a URL
  depends only on its segments that some spec path spells out: every path parameter of these specs is a
  whole segment (`[^/]*`, openapi-core's PathParser), so `/monitors/17` and `/monitors/18` find the same
  operation, and only the parameters' values are read again from each URL, by openapi-core's own parser.
  A spec with a parameter inside a segment (`/files/{name}.json`) is keyed by whole URLs.

Profiled at N=100 before this: the factories and the path search were over half of the check's time; the
search by whole URL still cost a fifth of it, every object's GET being a new URL.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from openapi_core.templating.datatypes import TemplateResult
from openapi_core.templating.paths.parsers import PathParser

FOUND_SIZE = 4096


class _CachedSchemaValidators:
    """openapi-core's SchemaValidatorsFactory, one validator per schema location and options."""

    def __init__(self, factory: Any) -> None:
        self._factory = factory
        self._made: dict[tuple[Any, ...], Any] = {}
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:  # what else the factory offers, unchanged
        return getattr(self._factory, name)

    def create(self, spec: Any, schema: Any, *args: Any, **kwargs: Any) -> Any:
        options = tuple(id(a) if isinstance(a, dict) else a for a in args)
        named = tuple(sorted((k, id(v) if isinstance(v, dict) else v) for k, v in kwargs.items()))
        key = (id(spec), tuple(schema.parts), options, named)
        with self._lock:
            made = self._made.get(key)
        if made is None:
            made = self._factory.create(spec, schema, *args, **kwargs)
            with self._lock:
                self._made[key] = made
        return made


def url_shape(spec_paths: Iterable[str]) -> Callable[[str], str] | None:
    """The function that blanks each segment of a URL path that no spec path spells out, or None when
    some parameter of the spec is not a whole segment (then the URL alone says which paths match)."""
    literals: set[str] = set()
    for path in spec_paths:
        for segment in path.split("/"):
            if "{" not in segment:
                literals.add(segment)
            elif not (segment.startswith("{") and segment.endswith("}") and segment.count("{") == 1):
                return None
    return lambda path: "/".join(s if s in literals else "\0" for s in path.split("/"))


def _cached_find(find: Callable[[Any], Any], shape: Callable[[str], str] | None) -> Callable[[Any], Any]:
    found: OrderedDict[tuple[str, str, str], Any] = OrderedDict()
    parsers: dict[str, PathParser] = {}
    lock = threading.Lock()

    def cached(request: Any) -> Any:
        path = getattr(request, "path_pattern", None) or request.path
        key = (request.method, request.host_url, shape(path) if shape else path)
        with lock:
            hit = found.get(key)
            if hit is not None:
                found.move_to_end(key)
        if hit is None:
            result = find(request)  # a path the spec lacks raises, and is not kept
            with lock:
                found[key] = result
                if len(found) > FOUND_SIZE:
                    found.popitem(last=False)
            return result
        pattern = hit.path_result.pattern
        if not hit.path_result.variables:
            return hit
        parser = parsers.get(pattern) or parsers.setdefault(pattern, PathParser(pattern, post_expression="$"))
        matched = parser.search(request.host_url.rstrip("/") + path)  # the URL openapi-core searches
        if matched is None:
            return find(request)  # cannot happen while shapes are exact; judged the long way if it does
        return hit._replace(path_result=TemplateResult(pattern, matched.named))

    return cached


def memoize(validator: Any, spec_paths: Iterable[str]) -> Any:
    """`validator` (openapi-core's request validator of the spec whose `paths` are `spec_paths`) with the
    caches above."""
    validators = _CachedSchemaValidators(validator.schema_validators_factory)
    validator.schema_validators_factory = validators
    casters = validator.schema_casters_factory  # casters validate with the same validators
    validator.schema_casters_factory = type(casters)(validators, casters.types_caster)
    validator._find_path = _cached_find(validator._find_path, url_shape(spec_paths))
    return validator
