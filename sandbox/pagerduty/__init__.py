"""PagerDuty REST API v2 emulator, served under ``/pagerduty``."""

from sandbox.pagerduty.vendor import PagerDutyVendor

VENDOR = PagerDutyVendor()
