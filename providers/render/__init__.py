"""Render: monitoring settings on existing services (health checks, env vars, notifications, log streams)."""

from .resources import EnvVar, LogStream, NotificationOverride, OwnerNotificationSettings, ServiceHealthCheck

__all__ = ["EnvVar", "LogStream", "NotificationOverride", "OwnerNotificationSettings", "ServiceHealthCheck"]
