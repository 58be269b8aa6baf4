"""check() and diff() as the engine calls them: floats for ints, old outputs, unknowns in preview."""

from __future__ import annotations

import pytest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.output import Unknown

from providers import registry, settings
from providers.uptimerobot.resources import IntegrationProvider, MonitorProvider

HTTP = {"name": "api", "type": "HTTP", "url": "https://example.test/api/health", "interval": 300.0}


@pytest.fixture(autouse=True)
def free_plan():
    settings.use_config({"uptimerobot:plan": "free"})
    yield
    settings.use_config({})


def failures(provider, news):
    return {f.property: f.reason for f in provider.check({}, news).failures}


def test_check_normalises_wire_floats_and_keeps_only_what_differs_from_a_default():
    declared = {**HTTP, "interval": 600.0, "timeout": 30.0, "keyword_case_sensitive": True}
    result = MonitorProvider().check({}, declared)
    assert result.failures == []
    assert result.inputs["interval"] == 600 and isinstance(result.inputs["interval"], int)
    # state keeps what differs from a default: each field stored costs every step of an up again
    assert result.inputs == {
        "name": "api",
        "url": HTTP["url"],
        "interval": 600,
        "keyword_case_sensitive": True,
    }
    assert MonitorProvider.spec.completed(result.inputs)["http_method"] == "GET"  # not the API's HEAD


def test_diff_fills_what_check_left_out_and_sees_a_drifted_default():
    news = MonitorProvider().check({}, HTTP).inputs
    assert MonitorProvider().diff("1", outputs_after_create(), news).changes is False
    drifted = outputs_after_create(http_method="HEAD")  # changed outside Lookout, back to the API's default
    assert MonitorProvider().diff("1", drifted, news).changes is True


@pytest.mark.parametrize(
    ("news", "field", "words"),
    [
        ({**HTTP, "interval": "often"}, "interval", "valid integer"),
        ({**HTTP, "intervall": 300}, "intervall", "unknown property"),
        ({**HTTP, "interval": 60.0}, "interval", "below the UptimeRobot free plan minimum of 300 s"),
        ({**HTTP, "url": "not a url"}, "url", "not an http(s) URL"),
        ({**HTTP, "type": "DNS"}, "type", "HTTP"),
        ({**HTTP, "type": "PORT"}, "port", "required for PORT"),
        ({**HTTP, "type": "KEYWORD"}, "keyword_value", "keyword_type and keyword_value"),
        # ids travel as numbers: a name where an id belongs is refused here, not by int() during `up`
        ({**HTTP, "maintenance_window_ids": ["weekly"]}, "maintenance_window_ids.0", "should match pattern"),
        ({**HTTP, "alert_contacts": [{"id": "ops"}]}, "alert_contacts.0.id", "should match pattern"),
    ],
)
def test_bad_input_names_the_field(news, field, words):
    found = failures(MonitorProvider(), news)
    assert field in found, found
    assert words in found[field]


def test_plan_minimum_follows_config():
    settings.use_config({"uptimerobot:plan": "enterprise"})
    assert failures(MonitorProvider(), {**HTTP, "interval": 60.0}) == {}


def test_unknown_values_in_preview_are_not_errors():
    news = {**HTTP, "alert_contacts": [{"id": Unknown(), "threshold": 0}]}
    result = MonitorProvider().check({}, news)
    assert result.failures == []


def test_known_errors_are_still_reported_beside_unknowns():
    news = {**HTTP, "interval": "x", "alert_contacts": [{"id": Unknown()}]}
    assert "interval" in failures(MonitorProvider(), news)


def test_integration_requires_its_kind_specific_secret():
    found = failures(IntegrationProvider(), {"name": "ops", "kind": "slack"})
    assert "webhook_url" in found


def outputs_after_create(**overrides):
    """What state holds after create: checked inputs plus outputs, all numbers as floats."""
    checked = MonitorProvider.spec.completed(MonitorProvider().check({}, HTTP).inputs)
    olds = {**checked, "status": "STARTED", "target": "sandbox", **overrides}
    return {k: float(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in olds.items()}


def test_diff_sees_no_change_between_float_outputs_and_int_inputs():
    news = MonitorProvider().check({}, HTTP).inputs
    result = MonitorProvider().diff("1", outputs_after_create(), news)
    assert result.changes is False


def test_diff_ignores_order_of_unordered_lists():
    news = MonitorProvider().check({}, {**HTTP, "tags": ["b", "a"]}).inputs
    result = MonitorProvider().diff("1", outputs_after_create(tags=["a", "b"]), news)
    assert result.changes is False


def test_diff_updates_in_place_but_replaces_on_type_change():
    news = MonitorProvider().check({}, {**HTTP, "interval": 600.0}).inputs
    update = MonitorProvider().diff("1", outputs_after_create(), news)
    assert update.changes is True and update.replaces == []

    news = (
        MonitorProvider()
        .check({}, {**HTTP, "type": "KEYWORD", "keyword_type": "ALERT_NOT_EXISTS", "keyword_value": "ok"})
        .inputs
    )
    replace = MonitorProvider().diff("1", outputs_after_create(), news)
    assert replace.replaces == ["type"] and replace.delete_before_replace is True


def test_diff_ignores_adoption_flags():
    news = MonitorProvider().check({}, {**HTTP, "adopt": True}).inputs
    assert MonitorProvider().diff("1", outputs_after_create(), news).changes is False


def test_provider_pickles_without_attributes_or_secrets():
    settings.use_config({"uptimerobot:apiKey": "super-secret-key-123"})
    provider = MonitorProvider()
    assert vars(provider) == {}
    blob = serialize_provider(provider)
    assert "super-secret-key-123" not in blob
    assert len(blob) < 200  # pickled by reference to the importable class, not by value


def test_plan_minimum_is_enforced_even_when_other_values_are_unknown():
    news = {**HTTP, "interval": 60.0, "alert_contacts": [{"id": Unknown()}]}
    assert "below the UptimeRobot free plan minimum" in failures(MonitorProvider(), news)["interval"]


def test_cross_field_rules_run_when_a_required_value_is_unknown():
    from providers.sentry.resources import MetricMonitorProvider

    news = {
        "project": Unknown(),
        "name": "error rate",
        "dataset": "transactions",
        "aggregate": "failure_rate()",
        "critical": 0.05,
        "warning": 0.09,
    }
    assert "must be below critical" in failures(MetricMonitorProvider(), news)["warning"]


def test_log_stream_send_needs_an_endpoint_not_a_token_and_drop_refuses_them():
    """The token is optional per Render's spec (and its Terraform provider sends none for overrides)."""
    from providers.render.resources import LogStreamProvider

    assert set(failures(LogStreamProvider(), {"service": "api"})) == {"endpoint"}
    assert failures(LogStreamProvider(), {"service": "api", "endpoint": "logs.example.test:1"}) == {}
    dropped = {"service": "api", "setting": "drop", "endpoint": "logs.example.test:1"}
    assert "must be empty" in failures(LogStreamProvider(), dropped)["endpoint"]


SPANS = {"project": "1", "name": "api p95", "aggregate": "p95(span.duration)", "critical": 2000.0}


@pytest.mark.parametrize(
    ("news", "field", "words"),
    [
        (
            {**SPANS, "dataset": "events_analytics_platform", "time_window": 60.0},
            "time_window",
            "at least 300",
        ),
        ({**SPANS, "dataset": "metrics", "time_window": 900.0}, "time_window", "crash-rate"),
        ({**SPANS, "dataset": "events", "time_window": 45.0}, "time_window", "not one of"),
        (
            {
                **SPANS,
                "dataset": "events_analytics_platform",
                "event_types": ["trace_item_span", "transaction"],
            },
            "event_types",
            "exactly one",
        ),
        (
            {**SPANS, "dataset": "events", "event_types": ["transaction"]},
            "event_types",
            "not events event types",
        ),
    ],
)
def test_sentry_monitor_windows_and_event_types_fit_the_dataset_at_preview(news, field, words):
    from providers.sentry.resources import MetricMonitorProvider

    assert words in failures(MetricMonitorProvider(), news)[field]


def test_a_sentry_monitor_on_spans_defaults_its_event_type_and_takes_12_hours():
    from providers.sentry.resources import MetricMonitorProvider

    news = {**SPANS, "dataset": "events_analytics_platform", "time_window": 43200.0}
    result = MetricMonitorProvider().check({}, news)
    assert result.failures == [] and result.inputs["event_types"] == ["trace_item_span"]


def test_a_sentry_key_rate_limit_of_zero_is_refused_at_preview():
    """Sentry drops a limit whose count or window is 0: it would read back as none and differ forever."""
    from providers.sentry.resources import ClientKeyProvider

    news = {"project": "1", "name": "k", "rate_limit": {"count": 0.0, "window": 60.0}}
    assert "greater than or equal to 1" in failures(ClientKeyProvider(), news)["rate_limit.count"]


def test_the_sentry_key_body_leaves_out_a_missing_limit_on_create_and_clears_it_on_update():
    from providers.sentry.client_key import SPEC

    inputs = SPEC.parse({"project": "1", "name": "k"})
    assert SPEC.body(inputs, creating=True) == {"name": "k"}
    assert SPEC.body(inputs, creating=False) == {"name": "k", "rateLimit": None}


def test_sentry_alerts_send_any_as_any_short_and_never_send_query_type():
    from providers.sentry.alert import SPEC as ALERT
    from providers.sentry.metric_monitor import SPEC as MONITOR

    alert = ALERT.parse(
        {
            "name": "a",
            "filter_match": "any",
            "monitor_ids": ["1"],
            "actions": [{"type": "email", "target_type": "team", "target_id": "1"}],
        }
    )
    assert ALERT.body(alert, ["1"], None)["actionFilters"][0]["logicType"] == "any-short"
    monitor = MONITOR.parse({**SPANS, "dataset": "events_analytics_platform"})
    assert "queryType" not in MONITOR.body(monitor, None)["dataSources"][0]


def test_an_incident_only_pagerduty_service_is_refused_at_preview_naming_the_field():
    """`create_incidents` is deprecated and going away (specs/pagerduty-rest-openapi.json
    Service.alert_creation): a plan that asks for it would diff forever once PagerDuty migrates it."""
    spec = registry.spec_of("pagerduty:Service")
    props = {"name": "optio prod", "escalation_policy": "PPOLICY", "alert_creation": "create_incidents"}
    _, failures = spec.validate(props)
    assert [field for field, _ in failures] == ["alert_creation"]
    assert spec.validate({**props, "alert_creation": "create_alerts_and_incidents"})[1] == []


@pytest.mark.parametrize(
    ("restriction", "words"),
    [
        (
            {"type": "daily", "start": "09:00", "minutes": 24 * 60},
            "a daily restriction lasts less than a day",
        ),
        ({"type": "weekly", "start": "09:00", "minutes": 7 * 24 * 60, "day": 1}, "less than 10080"),
    ],
)
def test_an_on_call_restriction_too_long_for_its_kind_is_refused_at_preview(restriction, words):
    spec = registry.spec_of("pagerduty:Schedule")
    layer = {"name": "weekly", "users": ["PUSER1"], "restrictions": [restriction]}
    _, failures = spec.validate({"name": "optio prod", "time_zone": "UTC", "layers": [layer]})
    assert len(failures) == 1 and failures[0][0].startswith("layers.0.restrictions.0")
    assert words in failures[0][1]
