"""The HTTP transport shared by every vendor client."""

from .clock import Clock, SystemClock
from .errors import (
    ApiError,
    BadRequest,
    Conflict,
    ConnectionFailed,
    Gone,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
)
from .http import RateLimitHeaders, Transport, Vendor, json_error_message
from .pagination import next_link_items
from .redact import redact, register_secret
from .retry import RetryPolicy

__all__ = [
    "ApiError",
    "BadRequest",
    "Clock",
    "Conflict",
    "ConnectionFailed",
    "Gone",
    "NotFound",
    "RateLimitHeaders",
    "RateLimited",
    "RetryPolicy",
    "ServerError",
    "SystemClock",
    "Transport",
    "Unauthorized",
    "Vendor",
    "json_error_message",
    "next_link_items",
    "redact",
    "register_secret",
]
