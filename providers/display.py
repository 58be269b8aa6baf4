"""How a provider failure reaches the user.

The Python dynamic-provider server answers every exception with `traceback.format_exc()` (the
`_abort_with_traceback` wrapper in `pulumi/dynamic/__main__.py`), so a vendor's 400 or a missing API key
would show as a Python traceback under each resource. For an `Expected` failure the message alone says
what to fix (issue #12); a real bug keeps its traceback.
"""

from __future__ import annotations

import sys
import traceback
from types import ModuleType
from typing import Any

from transport import Expected


class _Traceback:
    """Stands in for the `traceback` module inside the provider server's module."""

    def __init__(self, real: ModuleType) -> None:
        self._real = real

    def format_exc(self, *args: Any, **kwargs: Any) -> str:
        exc = sys.exc_info()[1]
        if isinstance(exc, Expected):
            return str(exc)
        return str(self._real.format_exc(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def install(server: ModuleType | None = None) -> bool:
    """Shorten expected failures in the dynamic-provider server (run as `python -m pulumi.dynamic`, so it
    is `__main__`). Idempotent; False when this process is not that server."""
    module = server if server is not None else sys.modules.get("__main__")
    if module is None or not hasattr(module, "DynamicResourceProviderServicer"):
        return False
    current = getattr(module, "traceback", None)
    if not isinstance(current, _Traceback):
        module.traceback = _Traceback(current if isinstance(current, ModuleType) else traceback)  # type: ignore[attr-defined]
    return True
