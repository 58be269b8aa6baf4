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
  A spec with a parameter inside a segment (`/files/{name}.json`) is keyed by whole URLs;
- whether a request meets its operation's security, kept per the shape of the credentials it carries: the
  Authorization header's scheme (openapi-core's HttpProvider compares `auth_type.lower()` with the spec's
  scheme) and which headers, query parameters and cookies it has (its ApiKeyProvider asks only whether the
  key's parameter is there), never their values. Only a pass is kept: openapi-core checks nothing else of
  a request that fails its security (and the contract leaves authentication to the vendor's 401), and the
  credentials themselves, which the check never uses, are not returned from the cache. Finding the
  requirements and schemes through the spec's paths was over half of the request check in the game day;
- the parameters' verdict for an operation kept per the values the request gives the parameters it declares
  (the whole query string when it declares any query parameter, as a deepObject or an exploded form object
  reads keys other than its name), in a bounded cache: finding, deserialising and validating each parameter
  through the spec's paths was most of the check's time in the game day (the system-health job's reads of
  metrics, issues and monitors repeat their queries every run). A request whose parameters break the spec
  is judged afresh every time (its verdict is not kept).

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
PARAMETERS_SIZE = 4096


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


class _Kept:
    """At most `size` answers by key, the least recently used leaving first; shared by the threads."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._answers: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, key: Any, answer: Any) -> Any:
        with self._lock:
            self._answers[key] = answer
            if len(self._answers) > self._size:
                self._answers.popitem(last=False)
        return answer


def _cached_find(find: Callable[[Any], Any], shape: Callable[[str], str] | None) -> Callable[[Any], Any]:
    found = _Kept(FOUND_SIZE)
    parsers: dict[str, PathParser] = {}

    def cached(request: Any) -> Any:
        path = getattr(request, "path_pattern", None) or request.path
        key = (request.method, request.host_url, shape(path) if shape else path)
        hit = found.get(key)
        if hit is None:
            return found.put(key, find(request))  # a path the spec lacks raises, and is not kept
        pattern = hit.path_result.pattern
        if not hit.path_result.variables:
            return hit
        parser = parsers.get(pattern) or parsers.setdefault(pattern, PathParser(pattern, post_expression="$"))
        matched = parser.search(request.host_url.rstrip("/") + path)  # the URL openapi-core searches
        if matched is None:
            return find(request)  # cannot happen while shapes are exact; judged the long way if it does
        return hit._replace(path_result=TemplateResult(pattern, matched.named))

    return cached


def _declared(operation: Any, path: Any) -> tuple[tuple[str, str], ...]:
    """(name, location) of each parameter the operation and its path item declare."""
    return tuple(
        ((param / "name").read_str(), (param / "in").read_str())
        for owner in (operation, path)
        if "parameters" in owner
        for param in owner / "parameters"
    )


def _given(parameters: Any, declared: tuple[tuple[str, str], ...]) -> tuple[Any, ...]:
    """What the request gives the declared parameters: all that their verdict can depend on."""
    given: list[Any] = []
    if any(where == "query" for _, where in declared):
        given.append(tuple(parameters.query.items(multi=True)))
    for name, where in declared:
        if where != "query":
            given.append((where, name, getattr(parameters, where).get(name)))
    return tuple(given)


def _cached_parameters(get: Callable[..., Any]) -> Callable[..., Any]:
    declared: dict[tuple[Any, ...], tuple[tuple[str, str], ...]] = {}
    verdicts = _Kept(PARAMETERS_SIZE)

    def cached(parameters: Any, operation: Any, path: Any) -> Any:
        where = (tuple(operation.parts), tuple(path.parts))
        names = declared.get(where)
        if names is None:
            names = declared.setdefault(where, _declared(operation, path))
        key = (where, _given(parameters, names))
        hit = verdicts.get(key)
        if hit is None:  # a request that breaks the spec raises: not kept
            return verdicts.put(key, get(parameters, operation, path))
        return hit

    return cached


def _credentials_shape(parameters: Any) -> tuple[Any, ...]:
    """All that openapi-core's security providers read of a request, but the credentials' values."""
    auth = parameters.header.get("Authorization")
    scheme = None if auth is None else (" " in auth, auth.split(" ", 1)[0].lower())
    return (
        scheme,
        frozenset(name.lower() for name, _ in parameters.header.items()),  # headers match without case
        frozenset(parameters.query.keys()),
        frozenset(parameters.cookie.keys()),
    )


def _cached_security(get: Callable[..., Any]) -> Callable[..., Any]:
    passed = _Kept(PARAMETERS_SIZE)

    def cached(parameters: Any, operation: Any) -> Any:
        key = (tuple(operation.parts), _credentials_shape(parameters))
        if passed.get(key):
            return {}  # the verdict only: the request check discards the credentials found
        found = get(parameters, operation)  # a request that fails security raises: not kept
        passed.put(key, True)
        return found

    return cached


def memoize(validator: Any, spec_paths: Iterable[str]) -> Any:
    """`validator` (openapi-core's request validator of the spec whose `paths` are `spec_paths`) with the
    caches above."""
    validators = _CachedSchemaValidators(validator.schema_validators_factory)
    validator.schema_validators_factory = validators
    casters = validator.schema_casters_factory  # casters validate with the same validators
    validator.schema_casters_factory = type(casters)(validators, casters.types_caster)
    validator._find_path = _cached_find(validator._find_path, url_shape(spec_paths))
    validator._get_parameters = _cached_parameters(validator._get_parameters)
    validator._get_security = _cached_security(validator._get_security)
    return validator
