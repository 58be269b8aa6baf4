"""Fields declared with their wire names (providers/wire.py): one declaration makes the body and the read."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import BaseModel

from providers.normalize import canon
from providers.wire import Wire, read_back, wires, written

from .property_support import KINDS, PROPERTY, SPECS, candidates

WIRED = [kind for kind in KINDS if wires(SPECS[kind].model)]


class Example(BaseModel):
    name: Annotated[str, Wire("friendlyName", read=str.strip)]
    ids: Annotated[list[str] | None, Wire("monitorIds", send=lambda ids: [int(i) for i in ids])] = None
    secret: Annotated[str | None, Wire("password", read=None, omit=lambda value: not value)] = None
    local: str = "never sent"


def test_a_body_has_the_wire_names_and_leaves_out_what_is_unset_or_excluded():
    assert written(Example(name="api", ids=["7"])) == {"friendlyName": "api", "monitorIds": [7]}
    assert written(Example(name="api", secret="s3"), exclude={"name"}) == {"password": "s3"}
    assert written(Example(name="api", secret="")) == {"friendlyName": "api"}


def test_a_read_converts_each_wired_field_and_never_shows_a_write_only_one():
    obj = {"friendlyName": " api ", "monitorIds": ["7"], "password": "never returned"}
    assert read_back(Example, obj) == {"name": "api", "ids": ["7"]}


def test_every_spec_of_this_sort_wires_something():
    """The specs moved to wired fields; a regression to a hand-written projection shows here first."""
    assert {
        "uptimerobot:AlertContact",
        "uptimerobot:MaintenanceWindow",
        "uptimerobot:StatusPage",
        "sentry:Team",
        "pagerduty:Service",
        "render:EnvVar",
        "render:NotificationOverride",
        "render:OwnerNotificationSettings",
    } <= set(WIRED)


@PROPERTY
@pytest.mark.parametrize("kind", WIRED)
@given(data=st.data())
def test_what_a_spec_sends_reads_back_as_what_was_declared(kind: str, data: Any):
    """Each wired field's `send` and `read` undo each other: an API that stores what it was sent shows
    the declaration again, so a create is never followed by a diff of its own making."""
    spec = SPECS[kind]
    model, failures = spec.validate(data.draw(candidates(kind)))
    assume(model is not None and not failures)
    assert model is not None
    sent, declared = written(model), model.model_dump(mode="json")
    back = read_back(spec.model, sent)
    for name, wire in wires(spec.model).items():
        if wire.read is None or wire.omit(getattr(model, name)):
            continue  # never returned, or not sent: the API's own value stands
        assert canon(back[name]) == canon(declared[name]), name
