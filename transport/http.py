"""One HTTP transport for every vendor: auth, timeouts, rate limits, retries, typed errors, redaction."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from .clock import SYSTEM_CLOCK, Clock
from .errors import ApiError, ConnectionFailed, NotFound, error_for_status
from .notice import announce
from .ratelimit import Budget, budget_for
from .redact import install_log_redaction, redact, register_secret
from .retry import IDEMPOTENT_METHODS, RetryPolicy

if TYPE_CHECKING:  # requests is imported when a transport is made: a preview's processes never send
    import requests

log = logging.getLogger("lookout.transport")
install_log_redaction(log)  # filters apply to records of their own logger, so here, not on "lookout"


@dataclass(frozen=True)
class RateLimitHeaders:
    limit: str | None = None
    remaining: str | None = None
    reset: str | None = None
    reset_is_epoch: bool = False
    concurrent_limit: str | None = None


@dataclass(frozen=True)
class Vendor:
    """What differs between vendors; everything else is the transport's."""

    name: str
    parse_error: Callable[[requests.Response], tuple[str, str | None]]
    rate_limit_headers: RateLimitHeaders = field(default_factory=RateLimitHeaders)
    request_id_header: str | None = None
    requests_per_window: int | None = None
    window_seconds: float = 60.0
    check_deprecation: Callable[[requests.Response], str | None] | None = None
    # Vendors that limit endpoint classes apart (Render): (method, path) -> (class, requests per window).
    rate_class: Callable[[str, str], tuple[str, int | None]] | None = None
    # 410 Gone means the object was deleted (UptimeRobot), not that the endpoint was retired (Sentry).
    gone_is_deleted: bool = False

    def auth_headers(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


Recover = Callable[[], Any]


@dataclass(frozen=True)
class Reply:
    body: Any
    headers: Mapping[str, str]


class Transport:
    def __init__(
        self,
        vendor: Vendor,
        base_url: str,
        token: str,
        *,
        clock: Clock | None = None,
        session: requests.Session | None = None,
        policy: RetryPolicy | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        windows: Path | None = None,
    ) -> None:
        self.vendor = vendor
        self.base_url = base_url.rstrip("/") + "/"
        self.clock = clock or SYSTEM_CLOCK
        if session is None:
            import requests

            session = requests.Session()
        self.session = session
        self.policy = policy or RetryPolicy()
        self.timeout = timeout
        self._token = token
        register_secret(token)
        self.windows = windows
        self.budget: Budget = self._budget(vendor.name, vendor.requests_per_window)

    @property
    def account(self) -> str:
        """Names the account without revealing the credential (a key for per-account caches)."""
        digest = hashlib.sha256(self._token.encode()).hexdigest()[:16]
        return f"{self.vendor.name}:{self.base_url}:{digest}"

    def url(self, path: str) -> str:
        url = urljoin(self.base_url, path.lstrip("/")) if "://" not in path else path
        base, target = urlsplit(self.base_url), urlsplit(url)
        if (base.scheme, base.netloc) != (target.scheme, target.netloc):
            # A pagination link pointing elsewhere must never receive our credential.
            raise ApiError(self.vendor.name, "GET", path, None, "refusing to follow a link to another host")
        return url

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send one logical request; returns the decoded JSON body (None when empty)."""
        return self.exchange(method, path, **kwargs).body

    def exchange(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        recover: Recover | None = None,
    ) -> Reply:
        """Send one logical request, retrying as the policy allows; returns the body and headers.

        `recover` makes a non-idempotent write safe to repeat: after an ambiguous failure it looks the
        object up; a result is returned as if the write had answered, None means "not applied, resend".
        """
        method = method.upper()
        url = self.url(path)
        if self.budget.refused is not None:
            raise self.budget.refused  # the credential was refused once; asking again cannot help
        budget = self._budget_of(method, url)
        replay_safe = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        attempt = 0
        while True:
            attempt += 1
            response, failure = self._send(budget, method, url, params, json_body, headers)
            status = response.status_code if response is not None else None
            if response is not None and status is not None and status < 400:
                return Reply(self._decode(response), response.headers)
            if recover is not None and not replay_safe and (status is None or status >= 500):
                found = recover()
                if found is not None:
                    log.info("%s %s: write was applied despite the failure; using it", method, path)
                    return Reply(found, {})
                replay_safe = True
            wait = self.policy.decide(
                attempt=attempt,
                status=status,
                replay_safe=replay_safe,
                server_wait=self._server_wait(response),
            )
            error = failure or self._error(method, url, response)
            if status == 401:
                self.budget.refused = error
            if wait is None or self._deprecated(response):
                raise error
            log.debug("%s (attempt %d); retrying in %.1fs", error, attempt, wait)  # long waits: announce
            if status == 429:
                budget.limiter.block_for(wait)  # the limiter's wait announces itself
            else:
                answer = f"it answered {status}" if status is not None else "no answer"
                announce(self.vendor.name, wait, f"before retrying {method} {urlsplit(url).path} ({answer})")
                self.clock.sleep(wait)

    def _budget_of(self, method: str, url: str) -> Budget:
        """The account's budget, or its endpoint class's where the vendor limits classes apart."""
        if self.vendor.rate_class is None:
            return self.budget
        path = "/" + urlsplit(url).path[len(urlsplit(self.base_url).path) :].lstrip("/")
        name, limit = self.vendor.rate_class(method, path)
        return self._budget(f"{self.vendor.name}/{name}", limit)

    def _budget(self, name: str, limit: int | None) -> Budget:
        window = self.vendor.window_seconds
        return budget_for(name, self._token, limit, window, self.clock, self.windows, self.base_url)

    def _send(
        self,
        budget: Budget,
        method: str,
        url: str,
        params: Any,
        json_body: Any,
        extra_headers: Mapping[str, str] | None = None,
    ) -> tuple[requests.Response | None, ApiError | None]:
        import requests  # loaded by __init__ already

        budget.limiter.acquire()
        headers = {"Accept": "application/json", **self.vendor.auth_headers(self._token)}
        headers.update(extra_headers or {})  # per request, e.g. PagerDuty's `From` on some writes
        started = time.monotonic()
        try:
            with self.budget.gate:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    headers=headers,
                    timeout=self.timeout,
                )
        except requests.RequestException as exc:
            reason = type(exc).__name__
            return None, ConnectionFailed(self.vendor.name, method, url, None, reason)
        self._observe(budget, response)
        log.debug(
            "%s %s -> %d (%.0f ms)",
            method,
            redact(url),
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        return response, None

    def _decode(self, response: requests.Response) -> Any:
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            return response.text

    def _header_number(
        self, response: requests.Response, name: str | None, pick: Callable[..., float] = min
    ) -> float | None:
        """A numeric header. A repeated header arrives joined ("400, 400"; Render sends some twice, from
        two limiters, so the values may differ): `pick` chooses, by default the more cautious minimum."""
        if name is None or name not in response.headers:
            return None
        try:
            values = [float(part) for part in response.headers[name].split(",") if part.strip()]
        except ValueError:
            return None
        return pick(values) if values else None

    def _observe(self, budget: Budget, response: requests.Response) -> None:
        spec = self.vendor.rate_limit_headers
        limit = self._header_number(response, spec.limit)
        remaining = self._header_number(response, spec.remaining)
        reset = self._header_number(response, spec.reset, max)
        if reset is not None and spec.reset_is_epoch:
            reset = max(0.0, reset - self.clock.time())
        budget.limiter.observe(
            int(limit) if limit is not None else None,
            int(remaining) if remaining is not None else None,
            reset if remaining is not None and remaining <= 0 else None,
        )
        concurrent = self._header_number(response, spec.concurrent_limit)
        if concurrent is not None:
            self.budget.gate.resize(int(concurrent))

    def _server_wait(self, response: requests.Response | None) -> float | None:
        if response is None:
            return None
        retry_after = self._header_number(response, "Retry-After", max)
        if retry_after is not None:
            return retry_after
        if response.status_code == 429:
            reset = self._header_number(response, self.vendor.rate_limit_headers.reset, max)
            if reset is not None and self.vendor.rate_limit_headers.reset_is_epoch:
                reset = max(0.0, reset - self.clock.time())
            return reset
        return None

    def _deprecated(self, response: requests.Response | None) -> bool:
        return bool(
            response is not None and self.vendor.check_deprecation and self.vendor.check_deprecation(response)
        )

    def _error(self, method: str, url: str, response: requests.Response | None) -> ApiError:
        assert response is not None
        message, code = self.vendor.parse_error(response)
        if self.vendor.check_deprecation:
            note = self.vendor.check_deprecation(response)
            if note:
                message = f"{message} ({note})"
        request_id = response.headers.get(self.vendor.request_id_header or "", None)
        path = urlsplit(url).path
        cls = error_for_status(response.status_code)
        if response.status_code == 410 and self.vendor.gone_is_deleted:
            cls = NotFound
        return cls(
            self.vendor.name, method, path, response.status_code, message, code=code, request_id=request_id
        )


def json_error_message(response: requests.Response) -> tuple[str, str | None]:
    """Best effort: vendors answer JSON, HTML or plain text on errors."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip() or response.reason or ""
        return text[:300], None
    if isinstance(body, dict):
        message = body.get("message") or body.get("detail") or body.get("error") or body
        if isinstance(message, list):
            message = "; ".join(str(m) for m in message)
        code = body.get("code")
        return str(message), str(code) if code is not None else None
    return json.dumps(body)[:300], None
