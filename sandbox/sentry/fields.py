"""DRF-style field checks: each returns the clean value or raises a 400 naming the field's path."""

from collections.abc import Collection, Sequence
from typing import Any

from sandbox.sentry import repo
from sandbox.sentry.errors import BLANK, NOT_A_DICT, NOT_A_LIST, REQUIRED, SLUG_MESSAGE, invalid, type_name

Path = Sequence[str | int]


def required(data: dict[str, Any], key: str, path: Path = ()) -> Any:
    if data.get(key) is None:
        raise invalid((*path, key), REQUIRED if key not in data else "This field may not be null.")
    return data[key]


def text(value: Any, path: Path, max_length: int, *, blank: bool = False) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise invalid(path, "Not a valid string.")
    value = str(value)
    if not blank and not value.strip():
        raise invalid(path, BLANK)
    if len(value) > max_length:
        raise invalid(path, f"Ensure this field has no more than {max_length} characters.")
    return value


def optional_text(value: Any, path: Path, max_length: int) -> str | None:
    return None if value is None else text(value, path, max_length, blank=True)


def slug(value: Any, path: Path, max_length: int) -> str:
    value = text(value, path, max_length)
    if not repo.SLUG_PATTERN.match(value):
        raise invalid(path, SLUG_MESSAGE)
    return value


def boolean(value: Any, path: Path) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "True", "1", 1):
        return True
    if value in ("false", "False", "0", 0):
        return False
    raise invalid(path, "Must be a valid boolean.")


def integer(value: Any, path: Path, low: int | None = None, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).lstrip("-").isdigit():
        raise invalid(path, "A valid integer is required.")
    number = int(value)
    if low is not None and number < low:
        raise invalid(path, f"Ensure this value is greater than or equal to {low}.")
    if high is not None and number > high:
        raise invalid(path, f"Ensure this value is less than or equal to {high}.")
    return number


def number(value: Any, path: Path) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid(path, "A valid number is required.")
    return value


def choice(value: Any, choices: Collection[Any], path: Path) -> Any:
    if isinstance(value, bool) or value not in choices:
        raise invalid(path, f'"{value}" is not a valid choice.')
    return value


def array(value: Any, path: Path) -> list[Any]:
    if not isinstance(value, list):
        raise invalid(path, NOT_A_LIST.format(type_name(value)))
    return value


def mapping(value: Any, path: Path) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise invalid(path, NOT_A_DICT.format(type_name(value)))
    return value


def id_list(value: Any, path: Path) -> list[str]:
    """A list of ids given as ints or numeric strings, returned as strings (the API's id type)."""
    items = array(value, path)
    for index, item in enumerate(items):
        if isinstance(item, bool) or not str(item).isdigit():
            raise invalid((*path, index), "A valid integer is required.")
    return [str(item) for item in items]


def keep_id(sent: dict[str, Any], clean: dict[str, Any], path: Path) -> dict[str, Any]:
    """``clean`` plus the child's ``id`` if one was sent (for the update semantics), checked to be an id."""
    if sent.get("id") is None:
        return clean
    if isinstance(sent["id"], bool) or not str(sent["id"]).isdigit():
        raise invalid((*path, "id"), "A valid integer is required.")
    return {"id": str(sent["id"]), **clean}
