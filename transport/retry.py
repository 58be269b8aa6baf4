"""The single retry decision for every vendor call.

A request is repeated only when repeating cannot do harm: the server said it did not process it (429),
or the method is idempotent, or (for a create) a lookup proved the first attempt left nothing behind.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5  # for 5xx and connection errors
    rate_limit_attempts: int = 8  # for 429
    base_delay: float = 0.5
    max_delay: float = 20.0
    max_server_wait: float = 120.0  # a Retry-After longer than this is reported, not waited out
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter: half fixed, half random, capped."""
        delay = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return delay / 2 + self.rng.uniform(0, delay / 2)

    def decide(
        self,
        *,
        attempt: int,
        status: int | None,
        replay_safe: bool,
        server_wait: float | None,
    ) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None to stop and raise.

        `status` is None when no response arrived (connection error or timeout).
        `server_wait` is what Retry-After or the vendor's reset header asked for, if anything.
        """
        if status == 429:
            if attempt >= self.rate_limit_attempts:
                return None
            if server_wait is not None:
                return server_wait if server_wait <= self.max_server_wait else None
            return self.backoff(attempt)
        transient = status is None or status >= 500
        if not transient or status in (501, 505) or not replay_safe or attempt >= self.max_attempts:
            return None
        if server_wait is not None and server_wait <= self.max_server_wait:
            return server_wait
        return self.backoff(attempt)
