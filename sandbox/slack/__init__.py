"""Slack incoming webhooks, as a sink: messages are accepted as Slack accepts them and recorded as
deliveries (sandbox/deliveries.py)."""

from sandbox.slack.vendor import SlackVendor

VENDOR = SlackVendor()
