"""Typed API errors. Messages carry status, the vendor's message and request id; never a credential."""

from __future__ import annotations

from .redact import redact


class Expected(Exception):
    """A failure the user fixes (config, credential, the vendor's answer): its message says what to do, so
    it is shown alone, without a traceback (providers/display.py). Anything else is a bug."""


class ApiError(Expected):
    """An HTTP exchange with a vendor API failed."""

    def __init__(
        self,
        vendor: str,
        method: str,
        path: str,
        status: int | None,
        message: str,
        *,
        code: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.vendor = vendor
        self.method = method
        self.path = redact(path)
        self.status = status
        self.message = redact(message)
        self.code = code
        self.request_id = request_id
        super().__init__(self.describe())

    def describe(self) -> str:
        status = f"HTTP {self.status}" if self.status is not None else "no response"
        parts = [f"{self.vendor}: {self.method} {self.path} failed ({status}): {self.message}"]
        if self.code:
            parts.append(f"code {self.code}")
        if self.request_id:
            parts.append(f"request id {self.request_id}")
        return "; ".join(parts)


class BadRequest(ApiError):
    """400/422: the vendor rejected the request body; fix the input."""


class Unauthorized(ApiError):
    """401/403: the API key is missing, wrong, lacks scope, or the plan lacks the feature."""


class NotFound(ApiError):
    """404: the object does not exist (or belongs to another account)."""


class Conflict(ApiError):
    """409: the object already exists."""


class Gone(ApiError):
    """410: the endpoint is retired; retrying cannot help."""


class RateLimited(ApiError):
    """429 after every allowed retry."""


class ServerError(ApiError):
    """5xx after every allowed retry (or once, for a write that is unsafe to repeat)."""


class ConnectionFailed(ApiError):
    """No response: connect error, reset, or timeout. A write may or may not have been applied."""


def error_for_status(status: int) -> type[ApiError]:
    if status in (400, 422):
        return BadRequest
    if status in (401, 403):
        return Unauthorized
    if status == 404:
        return NotFound
    if status == 409:
        return Conflict
    if status == 410:
        return Gone
    if status == 429:
        return RateLimited
    if status >= 500:
        return ServerError
    return ApiError
