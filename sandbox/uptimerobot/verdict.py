"""Up or down: UptimeRobot's rules for one check of a monitor, from what the check saw (sandbox/probe.py).

Each rule and its source is in docs/vendors/uptimerobot.md, "How a monitor is checked"; where no source
settles a rule, the choice is a row of sandbox/deviations/uptimerobot.py (ASSUMED). In short:
- HTTP: up when the status is in `successHttpResponseCodes` (codes or `2xx`-style ranges; default 2xx and
  3xx: specs/uptimerobot-openapi.yaml, CreateHttpMonitorDto); down on any other status, on no answer, and,
  with `checkSSLErrors`, on a certificate that fails verification;
- keyword: the same status rule (the keyword DTO takes `successHttpResponseCodes` too), then the keyword,
  searched in the body with `keywordCaseType` (0 case-sensitive, 1 insensitive): `ALERT_EXISTS` is down
  when the keyword is there, `ALERT_NOT_EXISTS` when it is not (uptimerobot/ai `create-keyword-monitor`);
- port: up when a TCP connection opens;
- a status or keyword failure is an application error, retried `config.applicationErrorRetries` times;
  no answer is a connection error, retried 3 times "regardless of this setting" (the spec, L4700-4706;
  the official provider's `docs/resources/monitor.md` classes keyword failures as application errors).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from sandbox.probe import NO_SUCH_HOST, REFUSED, RESET, TIMEOUT, TLS, Answer

Doc = dict[str, Any]

CONNECTION_RETRIES = 3
DEFAULT_CODES = ("2xx", "3xx")
KEYWORD_CASE_SENSITIVE = 0
_RANGE = re.compile(r"^([1-5])xx$", re.IGNORECASE)

# An incident's `reason`: "503 Service Unavailable" with `cause` 503 for a status (uptimerobot-cli
# test/columns.test.ts), "Connection timeout" for a timeout (the same file's activity log). The others, and
# `cause` 0 for no answer, are ASSUMED (deviation uptimerobot-check-reasons): no source lists them.
NO_ANSWER_REASONS = {
    NO_SUCH_HOST: "Host not found",
    REFUSED: "Connection refused",
    TIMEOUT: "Connection timeout",
    TLS: "SSL error",
    RESET: "No response",
}


@dataclass(frozen=True)
class Verdict:
    up: bool
    reason: str  # why it is down ("OK" when up), as an incident's `reason` reads
    status: int | None = None  # the HTTP status that decided, if one did
    application: bool = False  # an application error (status or keyword), not a connection error

    @property
    def cause(self) -> int:
        """An incident's `cause`: the HTTP status, 0 without one."""
        return self.status or 0

    def retries(self, monitor: Doc) -> int:
        """How many more checks confirm this failure before the monitor is down."""
        if self.up:
            return 0
        if not self.application:
            return CONNECTION_RETRIES
        return int((monitor.get("config") or {}).get("applicationErrorRetries") or 0)


UP = Verdict(True, "OK")


def judge(monitor: Doc, answer: Answer) -> Verdict:
    """The verdict on `answer`, the outcome of one check of `monitor` (a stored monitor record)."""
    if answer.error is not None:
        return Verdict(False, NO_ANSWER_REASONS.get(answer.error, "No Response"))
    if monitor["type"] == "PORT":
        return UP
    status = int(answer.status or 0)
    if not succeeded(monitor.get("successHttpResponseCodes") or DEFAULT_CODES, status):
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        return Verdict(False, f"{status} {phrase}", status, application=True)
    if monitor["type"] == "KEYWORD":
        return _keyword(monitor, answer.body, status)
    return Verdict(True, "OK", status)


def succeeded(codes: Any, status: int) -> bool:
    """Whether `status` is one of `codes` (`"200"`, `200` or a range such as `"2xx"`)."""
    for code in codes:
        text = str(code).strip()
        matched = _RANGE.match(text)
        if matched and status // 100 == int(matched.group(1)):
            return True
        if text.isdigit() and int(text) == status:
            return True
    return False


def _keyword(monitor: Doc, body: str, status: int) -> Verdict:
    keyword = str(monitor.get("keywordValue") or "")
    sensitive = monitor.get("keywordCaseType") == KEYWORD_CASE_SENSITIVE
    present = keyword in body if sensitive else keyword.casefold() in body.casefold()
    alert_when_present = monitor.get("keywordType") == "ALERT_EXISTS"
    if present == alert_when_present:
        reason = "Keyword Found" if present else "Keyword Not Found"
        return Verdict(False, reason, status, application=True)
    return Verdict(True, "OK", status)
