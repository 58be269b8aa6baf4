"""The HTTP transport shared by every vendor client."""

from .clock import Clock, SystemClock
from .errors import (
    ApiError,
    BadRequest,
    Conflict,
    ConnectionFailed,
    Expected,
    Gone,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
)
from .http import RateLimitHeaders, Reply, Transport, Vendor, json_error_message
from .pagination import link_header_items, next_link_items
from .redact import redact, register_secret
from .retry import RetryPolicy

__all__ = [
    "ApiError",
    "BadRequest",
    "Clock",
    "Conflict",
    "ConnectionFailed",
    "Expected",
    "Gone",
    "NotFound",
    "RateLimitHeaders",
    "RateLimited",
    "Reply",
    "RetryPolicy",
    "ServerError",
    "SystemClock",
    "Transport",
    "Unauthorized",
    "Vendor",
    "json_error_message",
    "link_header_items",
    "next_link_items",
    "redact",
    "register_secret",
]
