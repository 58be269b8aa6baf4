"""What every part of the plan shares: strict models and the name pattern."""

from __future__ import annotations

import types
from typing import Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

NAME = r"^[a-z][a-z0-9-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    @field_validator("*", mode="before")
    @classmethod
    def no_bool_for_numbers(cls, value: object, info: ValidationInfo) -> object:
        # YAML `check_interval: true` would otherwise be read as 1 second (issue #12).
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, bool) and field is not None and _numeric(field.annotation):
            raise ValueError("must be a number, not true/false")
        return value


def _numeric(annotation: object) -> bool:
    if annotation in (int, float):
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_numeric(arg) for arg in get_args(annotation)) and bool not in get_args(annotation)
    return False
