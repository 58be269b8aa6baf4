"""What the contract check works out from the spec alone, worked out once (issue #26).

openapi-core builds, for every request, the JSON-schema validator of each schema it checks (deep-copying a
format checker each time), the caster of each parameter, and finds the operation by matching the URL
against every path of the spec. None of that depends on the request but the URL, and the specs are fixed
for the life of the sandbox, so the request validator gets:

- schema validators (and the parameter casters built on them) kept per schema location: a validator holds
  no state between `validate` calls (jsonschema's validators are reusable);
- the operation found for a (method, URL) kept in a bounded cache: collection routes (`POST /monitors`,
  a project's detector list) repeat on every create of a kind.

Profiled at N=100 before this: the factories and the path search were over half of the check's time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

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


def _cached_find(find: Callable[[Any], Any]) -> Callable[[Any], Any]:
    found: OrderedDict[tuple[str, str, str], Any] = OrderedDict()
    lock = threading.Lock()

    def cached(request: Any) -> Any:
        key = (request.method, request.host_url, getattr(request, "path_pattern", None) or request.path)
        with lock:
            if key in found:
                found.move_to_end(key)
                return found[key]
        result = find(request)  # a path the spec lacks raises, and is not kept
        with lock:
            found[key] = result
            if len(found) > FOUND_SIZE:
                found.popitem(last=False)
        return result

    return cached


def memoize(validator: Any) -> Any:
    """`validator` (openapi-core's request validator of one spec) with the caches above."""
    validators = _CachedSchemaValidators(validator.schema_validators_factory)
    validator.schema_validators_factory = validators
    casters = validator.schema_casters_factory  # casters validate with the same validators
    validator.schema_casters_factory = type(casters)(validators, casters.types_caster)
    validator._find_path = _cached_find(validator._find_path)
    return validator
