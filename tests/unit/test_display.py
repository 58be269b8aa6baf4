"""Provider failures as the engine shows them: an expected one is its message alone, a bug keeps its
traceback (providers/display.py)."""

from __future__ import annotations

import traceback
import types

from providers import display
from providers.settings import MissingCredential
from transport import BadRequest


def server() -> types.ModuleType:
    module = types.ModuleType("fake_dynamic_server")
    module.DynamicResourceProviderServicer = object  # type: ignore[attr-defined]
    module.traceback = traceback  # type: ignore[attr-defined]
    return module


def shown(module: types.ModuleType, exc: Exception) -> str:
    try:
        raise exc
    except Exception:
        return str(module.traceback.format_exc())


def test_expected_failures_are_their_message_and_bugs_keep_the_traceback():
    module = server()
    assert display.install(module) and display.install(module)  # idempotent
    refused = BadRequest("sentry", "POST", "/x/", 400, "Invalid platform", request_id="req-1")
    assert shown(module, refused) == "sentry: POST /x/ failed (HTTP 400): Invalid platform; request id req-1"
    assert shown(module, MissingCredential("render:apiKey is not set.")) == "render:apiKey is not set."
    bug = shown(module, KeyError("id"))
    assert bug.startswith("Traceback (most recent call last)") and "KeyError: 'id'" in bug


def test_only_the_provider_server_is_changed():
    plain = types.ModuleType("not_the_server")
    assert display.install(plain) is False
    assert not hasattr(plain, "traceback")
