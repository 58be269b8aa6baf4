"""sandbox/contract_cache.py keeps the parameters' verdict per operation and the values a request gives
them: the same values are judged once, other values (and every request that breaks the spec) anew."""

from __future__ import annotations

from typing import Any

from openapi_core.datatypes import RequestParameters
from openapi_core.validation.request.exceptions import ParametersError, SecurityValidationError
from werkzeug.datastructures import Headers, ImmutableMultiDict

from sandbox.contract_cache import _cached_parameters, _cached_security
from sandbox.uptimerobot.schemas import CONTRACT


def given(query: list[tuple[str, str]], **headers: str) -> RequestParameters:
    return RequestParameters(query=ImmutableMultiDict(query), header=Headers(headers), cookie={}, path={})


def test_a_verdict_is_kept_for_the_same_values_only_and_never_for_a_bad_request():
    validator = CONTRACT.openapi.request_validator
    unkept: Any = type(validator)  # openapi-core's own method, not the one memoize() put on the instance
    path = CONTRACT.openapi.spec / "paths" / "/monitors"
    operation = path / "get"
    judged: list[RequestParameters] = []

    def judge(parameters, operation, path):
        judged.append(parameters)
        return unkept._get_parameters(validator, parameters, operation, path)

    cached = _cached_parameters(judge)
    good, other, bad = [("limit", "10")], [("limit", "20")], [("limit", "ten")]
    assert cached(given(good), operation, path) is cached(given(good), operation, path)
    cached(given(other), operation, path)
    for _ in range(2):
        try:
            cached(given(bad), operation, path)
        except ParametersError:
            pass
        else:
            raise AssertionError("`limit=ten` breaks the spec's integer")
    # A header the operation does not declare plays no part in the verdict.
    cached(given(good, **{"User-Agent": "curl/8"}), operation, path)
    assert [p.query["limit"] for p in judged] == ["10", "20", "ten", "ten"]


def test_security_is_judged_once_per_operation_and_credentials_shape_and_a_missing_one_each_time():
    """Whether a request meets the operation's security depends on which credentials it carries (the
    Authorization header's scheme, the API-key parameters' presence), never on their values; openapi-core
    checks nothing else of a request that fails it, so a failure is judged afresh every time."""
    validator = CONTRACT.openapi.request_validator
    unkept: Any = type(validator)
    operation = CONTRACT.openapi.spec / "paths" / "/monitors" / "get"
    judged: list[RequestParameters] = []

    def judge(parameters, operation):
        judged.append(parameters)
        return unkept._get_security(validator, parameters, operation)

    cached = _cached_security(judge)
    cached(given([], Authorization="Bearer one"), operation)
    cached(given([], Authorization="Bearer two"), operation)  # another key, same shape: kept
    cached(given([], Authorization="bearer three"), operation)  # the scheme matches without case: kept
    for _ in range(2):
        try:
            cached(given([]), operation)
        except SecurityValidationError:
            pass
        else:
            raise AssertionError("UptimeRobot's /monitors requires a bearer token")
    try:
        cached(given([], Authorization="Basic b25lOnR3bw=="), operation)
    except SecurityValidationError:
        pass
    else:
        raise AssertionError("a Basic credential is not UptimeRobot's bearer token")
    assert [p.header.get("Authorization") for p in judged] == [
        "Bearer one",
        None,
        None,
        "Basic b25lOnR3bw==",
    ]
