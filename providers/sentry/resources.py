"""Sentry resources for Pulumi programs. Arguments are the fields of each spec's input model."""

from __future__ import annotations

from typing import Any, ClassVar

import pulumi
from pulumi.dynamic import Resource

from ..base import SpecProvider
from ..resource import register
from . import alert, client_key, lookups, metric_monitor, project, team


class TeamProvider(SpecProvider):
    spec: ClassVar = team.SPEC


class ProjectProvider(SpecProvider):
    spec: ClassVar = project.SPEC


class ClientKeyProvider(SpecProvider):
    spec: ClassVar = client_key.SPEC


class MetricMonitorProvider(SpecProvider):
    spec: ClassVar = metric_monitor.SPEC


class AlertProvider(SpecProvider):
    spec: ClassVar = alert.SPEC


class IntegrationLookupProvider(SpecProvider):
    spec: ClassVar = lookups.INTEGRATION


class ProjectDetectorsProvider(SpecProvider):
    spec: ClassVar = lookups.PROJECT_DETECTORS


class Team(Resource, module="sentry", name="Team"):
    slug: pulumi.Output[str]
    team_id: pulumi.Output[str]

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        register(self, TeamProvider(), resource_name, props, opts, ("team_id",))


class Project(Resource, module="sentry", name="Project"):
    project_id: pulumi.Output[str]

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        register(self, ProjectProvider(), resource_name, props, opts, ("project_id",))


class ClientKey(Resource, module="sentry", name="ClientKey"):
    """A DSN. Every DSN output is a Pulumi secret."""

    dsn: pulumi.Output[str]
    dsn_secret: pulumi.Output[str]

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        outputs = client_key.DSN_OUTPUTS
        register(self, ClientKeyProvider(), resource_name, props, opts, ("key_id", *outputs), outputs)


class MetricMonitor(Resource, module="sentry", name="MetricMonitor"):
    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        register(self, MetricMonitorProvider(), resource_name, props, opts)


class Alert(Resource, module="sentry", name="Alert"):
    detector_ids: pulumi.Output[list[str]]

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        register(self, AlertProvider(), resource_name, props, opts, ("detector_ids",))


class IntegrationLookup(Resource, module="sentry", name="IntegrationLookup"):
    """The id of an installed integration (`provider`: slack, pagerduty, ...) found by `name`."""

    integration_id: pulumi.Output[str]

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        register(self, IntegrationLookupProvider(), resource_name, props, opts, ("integration_id",))


class ProjectDetectors(Resource, module="sentry", name="ProjectDetectors"):
    """The default detectors of a project: `issue_stream_id` (new and regressed issues) and `error_id`."""

    issue_stream_id: pulumi.Output[str]
    error_id: pulumi.Output[str]

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        register(
            self, ProjectDetectorsProvider(), resource_name, props, opts, ("issue_stream_id", "error_id")
        )
