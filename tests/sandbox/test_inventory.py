"""The control API's inventory (`GET /_control/inventory`): every account's objects that a plan could make,
named by what tells each from its peers, as the fault suite counts duplicates and losses."""

from __future__ import annotations

from tests.sandbox.conftest import ORG, Client, Server, http_monitor, new_project, new_team

from .test_render_cron_jobs import cron_body


def test_the_inventory_counts_every_accounts_objects_by_name(ur: Client, sandbox_server: Server):
    sandbox_server.add_account("second-key")
    ur.post("/monitors", json=http_monitor(friendlyName="API"))
    sandbox_server.control(
        "POST", "/uptimerobot/monitors?apiKey=second-key", json=http_monitor(friendlyName="API")
    )
    sandbox_server.control(
        "POST", "/uptimerobot/monitors", json=http_monitor(friendlyName="API", type="KEYWORD")
    )
    inventory = sandbox_server.control("GET", "/inventory").json()
    assert inventory["uptimerobot monitors HTTP API"] == 2  # one per account: the same name twice
    assert inventory["uptimerobot monitors KEYWORD API"] == 1


def test_the_inventory_names_scoped_objects_by_their_parent(
    sentry: Client, render: Client, render_ids: dict[str, str], sandbox_server: Server
):
    new_team(sentry)
    new_project(sentry, slug="api")
    sentry.post(f"/projects/{ORG}/api/keys/", json={"name": "Lookout"})
    service_name, service_id = next(iter(render_ids.items()))
    render.put(f"/services/{service_id}/env-vars/SENTRY_DSN", json={"value": "https://k@o0.ingest.test/1"})
    inventory = sandbox_server.control("GET", "/inventory").json()
    assert inventory["sentry teams backend"] == 1 and inventory["sentry projects api"] == 1
    assert inventory["sentry keys api Lookout"] == 1
    assert inventory[f"render env-vars {service_name} SENTRY_DSN"] == 1
    sentry.delete(f"/projects/{ORG}/api/")
    after = sandbox_server.control("GET", "/inventory").json()
    assert not [name for name in after if name.startswith(("sentry projects api", "sentry keys api"))]


def test_a_cron_job_is_counted_by_name_with_its_env_vars_inside_it(render: Client, sandbox_server: Server):
    for _ in range(2):  # a create repeated after a lost answer: two jobs of one name
        assert render.post("/services", json=cron_body()).status_code == 201
    inventory = sandbox_server.control("GET", "/inventory").json()
    assert inventory["render services cron_job optio-prod-system-health"] == 2
    assert not [name for name in inventory if name.startswith("render env-vars optio-prod-system-health")]
