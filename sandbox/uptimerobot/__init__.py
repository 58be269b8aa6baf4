"""UptimeRobot API v3 emulator, served under ``/uptimerobot/v3``."""

from sandbox.uptimerobot.vendor import UptimeRobotVendor

VENDOR = UptimeRobotVendor()
