"""Sentry Web API emulator, served under ``/sentry/api/0``."""

from sandbox.sentry.vendor import SentryVendor

VENDOR = SentryVendor()
