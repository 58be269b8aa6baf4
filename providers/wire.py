"""Where an input field travels in the vendor's API: declared once, on the input model's field.

    name: Annotated[str, Wire("friendlyName", read=api.text)] = Field(min_length=1)

`ResourceSpec.written` builds a request body from the wired fields and the default `ResourceSpec.project`
reads an API object back into them (the projection diffs and drift detection compare), so a field's wire
name and conversions are not written again in a body builder and a projection that must agree.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel


def _same(value: Any) -> Any:
    return value


def _is_none(value: Any) -> bool:
    return value is None


def empty(value: Any) -> bool:
    """`omit` for a field whose empty value means "leave it to the API" (no custom domain, no password)."""
    return not value


def never(value: Any) -> bool:
    """`omit` for a field sent whatever it is, null included."""
    return False


@dataclass(frozen=True)
class Wire:
    name: str  # the field's name in the vendor's object, as its official spec spells it
    send: Callable[[Any], Any] = _same  # input value -> the value the API takes
    # The API's value (None when absent) -> the input value; None: write-only, never returned (a password,
    # a key), so the declared value stands.
    read: Callable[[Any], Any] | None = _same
    omit: Callable[[Any], bool] = _is_none  # input values not sent at all: the API's own value stands


_WIRES: dict[type[BaseModel], dict[str, Wire]] = {}


def wires(model: type[BaseModel]) -> dict[str, Wire]:
    """The wired fields of `model`, in declaration order."""
    found = _WIRES.get(model)
    if found is None:
        found = _WIRES[model] = {
            name: wire
            for name, info in model.model_fields.items()
            if (wire := next((m for m in info.metadata if isinstance(m, Wire)), None)) is not None
        }
    return found


def written(inputs: BaseModel, exclude: Collection[str] = ()) -> dict[str, Any]:
    """The request body fields of `inputs`' wired fields (but `exclude`), by their wire names."""
    body = {}
    for name, wire in wires(type(inputs)).items():
        value = getattr(inputs, name)
        if name not in exclude and not wire.omit(value):
            body[wire.name] = wire.send(value)
    return body


def read_back(model: type[BaseModel], obj: dict[str, Any]) -> dict[str, Any]:
    """`obj` (an API object) as the wired input fields it shows; write-only fields are left out."""
    return {
        name: wire.read(obj.get(wire.name)) for name, wire in wires(model).items() if wire.read is not None
    }
