"""Render resources for Pulumi programs. Arguments are the fields of each spec's input model."""

from __future__ import annotations

from ..resource import derive
from . import cron_job, env_var, health_check, log_stream, notifications

ServiceHealthCheckProvider, ServiceHealthCheck = derive(health_check.SPEC, __name__)
EnvVarProvider, EnvVar = derive(env_var.SPEC, __name__)
NotificationOverrideProvider, NotificationOverride = derive(notifications.OVERRIDE, __name__)
OwnerNotificationSettingsProvider, OwnerNotificationSettings = derive(notifications.OWNER, __name__)
LogStreamProvider, LogStream = derive(log_stream.SPEC, __name__)
CronJobProvider, CronJob = derive(cron_job.SPEC, __name__)
