"""The alert catalog (`python -m lookout catalog`): golden files and the properties they must keep.

The goldens are the catalog of the committed Pulumi.dev.yaml and Pulumi.prod.yaml. After an intended change
to the stacks or the catalog, regenerate them and review the diff:

    LOOKOUT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_catalog.py -q
"""

from __future__ import annotations

import copy
import os
import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.paths import REPO
from lookout import catalog, catalog_cli
from lookout.catalog_html import prose, render_html

GOLDEN = REPO / "tests" / "golden"
VOID = {"meta", "br"}
ALLOWED = VOID | {"html", "head", "title", "style", "body", "main", "h1", "h2", "h3", "h4", "p", "span"}
ALLOWED |= {"section", "table", "caption", "thead", "tbody", "tr", "th", "td", "a", "code", "strong"}
ALLOWED |= {"ul", "li"}


def committed() -> dict[str, Any]:
    return {s: yaml.safe_load((REPO / f"Pulumi.{s}.yaml").read_text()) for s in ("dev", "prod")}


def stack_file(tmp_path: Path, name: str, doc: dict[str, Any]) -> str:
    path = tmp_path / f"Pulumi.{name}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return str(path)


def both(stacks: list[str]) -> tuple[str, str]:
    envs = [catalog.load_env(s) for s in stacks]
    return catalog.render_markdown(envs), render_html(envs)


def sections(markdown: str) -> list[str]:
    """The Markdown split at its `## ` headings: [preamble, env..., not covered]."""
    return re.split(r"^## ", markdown, flags=re.M)


def html_sections(page: str) -> list[str]:
    """The page's environment sections, without the closing "not covered" one."""
    return page.split('<section class="uncovered"')[0].split('<section class="env"')[1:]


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.seen: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.add(tag)
        self.attrs += attrs
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


def assert_tables_keep_their_columns(markdown: str) -> None:
    """Every row of a Markdown table has as many cells as its header: no value broke out of its cell."""
    for table in re.findall(r"(?:^\|.*\n)+", markdown, flags=re.M):
        widths = {len(re.split(r"(?<!\\)\|", row)) for row in table.splitlines()}
        assert len(widths) == 1, table


def assert_safe_html(page: str) -> None:
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    tags = Tags()
    tags.feed(page)
    tags.close()
    assert tags.stack == [], f"unclosed: {tags.stack}"
    assert tags.seen <= ALLOWED, f"unexpected tags: {tags.seen - ALLOWED}"
    for name, value in tags.attrs:
        assert not name.startswith("on") and name not in ("src", "style")
        if name == "href":
            assert value and value.startswith("https://"), value


@pytest.mark.parametrize("name", [catalog.MD_NAME, catalog.HTML_NAME])
def test_the_committed_stacks_match_the_golden_catalog(name):
    markdown, page = both(["dev", "prod"])
    text = markdown if name == catalog.MD_NAME else page
    golden = GOLDEN / name
    if os.environ.get("LOOKOUT_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), f"regenerate with LOOKOUT_UPDATE_GOLDEN=1: {golden}"


def test_the_command_writes_both_files_and_prints_their_paths(tmp_path, capsys):
    assert catalog_cli.run(["dev", "prod"], str(tmp_path / "out")) == 0
    written = capsys.readouterr().out.split()
    assert written == [str(tmp_path / "out" / catalog.MD_NAME), str(tmp_path / "out" / catalog.HTML_NAME)]
    markdown, page = both(["dev", "prod"])
    assert Path(written[0]).read_text() == markdown and Path(written[1]).read_text() == page
    assert catalog_cli.run([], str(tmp_path / "default")) == 0  # no stacks given: dev and prod
    assert (tmp_path / "default" / catalog.MD_NAME).read_text() == markdown


def test_every_compiled_check_appears_once_per_environment():
    envs = [catalog.load_env(s) for s in ("dev", "prod")]
    parts = sections(catalog.render_markdown(envs))[1:3]
    pages = html_sections(render_html(envs))
    for env, part, page in zip(envs, parts, pages, strict=True):
        assert part.startswith(f"{env.name} (") and env.checks
        for check in env.checks:
            assert part.count(catalog.md_code(check.key)) == 1, check.key
            assert catalog.md(check.condition) in part and catalog.md(check.title) in part
            assert page.count(f'<code class="key">{escape(check.key)}</code>') == 1, check.key
            assert prose(check.condition) in page and escape(check.runbook) in page
    uncovered, page = sections(catalog.render_markdown(envs))[-1], render_html(envs)
    assert uncovered.startswith("Not covered")
    for item, why in catalog.UNCOVERED:
        assert catalog.md(item) in uncovered and catalog.md(why) in uncovered
        assert escape(item) in page and escape(why) in page


def test_checks_are_grouped_by_service_then_environment_wide():
    markdown = catalog.render_markdown([catalog.load_env("prod")])
    headings = re.findall(r"^#### (.+)$", markdown, flags=re.M)
    assert headings == ["backend", "frontend", "environment-wide"]
    assert "`heartbeat:system-health`" in markdown.split("#### environment-wide")[1]


def test_each_vendor_names_who_actually_receives_its_e_mail_and_metric_levels_are_both_routed():
    env = catalog.load_env("prod")
    by_key = {c.key: dict(catalog.notified(env.plan, c)) for c in env.checks}
    assert by_key["uptime:backend"]["email"] == "admin@optioeducation.com"
    assert by_key["sentry:backend:error-rate"]["email"] == "team optio-prod"
    assert by_key["render:backend:deploys"] == {"email": "Render workspace members"}
    assert by_key["sentry:backend:error-rate"]["slack (warning level)"] == "#alerts"
    assert by_key["sentry:backend:auth-failures"].keys() == {"pagerduty", "slack", "email"}


def without_lint(part: str) -> str:
    """An environment's Markdown or HTML without its lint findings."""
    return re.sub(
        r"(### Lint findings|<h3>Lint findings</h3>).*?(?=### Checks|<h3>Checks</h3>)", "", part, flags=re.S
    )


def test_dev_never_shows_paging_even_when_its_config_asks_for_it(tmp_path):
    doc = copy.deepcopy(committed()["dev"])
    config = doc["config"]
    config["lookout:channels"]["pagerduty"] = {
        "key_secret": "pagerdutyKey",
        "sentry_integration": "PD",
        "service": "7",
    }
    config["lookout:routing"]["critical"] = ["pagerduty", "slack", "email"]
    for stacks in (["dev"], [stack_file(tmp_path, "dev-paging", doc)]):
        markdown, page = both(stacks)
        dev, dev_page = sections(markdown)[1], html_sections(page)[0]
        lint, lint_page = dev.split("### Checks")[0], dev_page.split("<h3>Checks</h3>")[0]
        dev, dev_page = without_lint(dev), without_lint(dev_page)  # lint names the key to remove
        assert "pagerduty" not in dev.lower() and "pagerduty" not in dev_page.lower()
        assert "Dev never pages" in dev and "Dev never pages" in dev_page
    assert "asks to page for critical; that is dropped" in dev
    assert "| error | `lookout:routing.critical[0]` | dev-never-pages |" in lint
    assert "<code>lookout:channels.pagerduty</code></td><td>dev-never-pages</td>" in lint_page
    markdown, page = both(["prod"])
    assert "pagerduty: service “optio prod”" in markdown and "pagerduty: service “optio prod”" in page
    assert "Dev never pages" not in markdown and "Dev never pages" not in page  # prod is not told about dev


def test_the_paging_rule_fits_each_environment(tmp_path):
    dev, prod = (sections(both([s])[0])[1] for s in ("dev", "prod"))
    assert "Dev never pages" in dev
    summary = "> **This is prod: critical alerts page PagerDuty service “optio prod”, as the routing below"
    assert summary in prod
    assert "taking weekly turns (hand-off Mondays at 09:00, America/Los\\_Angeles)" in prod  # lookout:oncall
    doc = copy.deepcopy(committed()["prod"])
    doc["config"]["lookout:routing"] = {
        "critical": ["slack", "email"],
        "warning": ["slack"],
        "info": ["email"],
    }
    markdown, page = both([stack_file(tmp_path, "prod-quiet", doc)])
    for text in (markdown, page):
        assert "This is prod: no alert pages anyone (no severity is routed to PagerDuty)." in text
        assert "Dev never pages" not in text


def css_rules(page: str) -> dict[str, str]:
    """selector -> declarations of the page's style sheet (@media blocks flattened)."""
    css = page.split("<style>")[1].split("</style>")[0]
    css = re.sub(r"@media[^{]*\{", "", css)
    return {sel.strip(): body for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)}


def test_narrow_columns_never_break_words_only_urls():
    page = both(["dev", "prod"])[1]
    breaking = re.compile(r"overflow-wrap:\s*(anywhere|break-word)|word-break:\s*break-(all|word)")
    for selector, body in css_rules(page).items():
        if breaking.search(body):  # only links, URLs and printed link targets may wrap mid-word
            assert {s.strip() for s in selector.split(",")} <= {"a", ".url", "a.runbook::after"}, selector
    assert "overflow-wrap: normal" in css_rules(page)["th, td"]
    # every URL in the text is a link or marked as one, so that it (and nothing else) may wrap
    body = page.split("</style>")[1]
    body = re.sub(r'<a [^>]*>.*?</a>|<span class="url">[^<]*</span>', "", body)
    assert re.search(r"https?://", body) is None  # (span.op:http.server is a query, not a URL)


def test_runbook_links_come_from_the_plan(tmp_path):
    doc = copy.deepcopy(committed()["prod"])
    doc["config"]["lookout:runbooks"] = "https://wiki.example.org/ops/runbooks/"
    markdown, page = both([stack_file(tmp_path, "own-runbooks", doc)])
    assert "[service-down.md](<https://wiki.example.org/ops/runbooks/service-down.md>)" in markdown
    assert 'href="https://wiki.example.org/ops/runbooks/error-rate.md"' in page
    assert "github.com" not in markdown and "github.com" not in page
    del doc["config"]["lookout:runbooks"]
    markdown, page = both([stack_file(tmp_path, "bare", doc)])
    env = catalog.load_env(stack_file(tmp_path, "bare", doc))
    assert env.checks and all(c.runbook == "" for c in env.checks)
    assert "runbook" not in page.split("</style>")[1].replace('<th scope="col">Runbook</th>', "")
    rows = [line for line in sections(markdown)[1].splitlines() if line.startswith("| ") and "`" in line]
    check_rows = [row for row in rows if row.rstrip().endswith("|") and row.count("|") == 7]
    assert check_rows and all(row.endswith("| — |") for row in check_rows)


def test_lint_findings_are_listed_per_environment(tmp_path):
    from lookout.lint import lint_file

    envs = [catalog.load_env(s) for s in ("dev", "prod")]
    markdown, page = catalog.render_markdown(envs), render_html(envs)
    for env, part, html_part in zip(envs, sections(markdown)[1:3], html_sections(page), strict=True):
        warnings = [f for f in lint_file(REPO / env.source) if f.severity == "warning"]
        assert warnings and env.findings == tuple(warnings)
        lint_md = part.split("### Lint findings")[1].split("### Checks")[0]
        lint_html = html_part.split("<h3>Lint findings</h3>")[1].split("<h3>Checks</h3>")[0]
        for f in warnings:
            assert f"| warning | `{f.path}` | {f.rule} | {catalog.md(f.message)} |" in lint_md
            assert f"<code>{escape(f.path)}</code>" in lint_html and f.path.startswith("lookout:")
        other = "prod" if env.name == "dev" else "dev"
        assert f"optio-{other}" not in lint_md  # each environment lists its own findings only
    doc = copy.deepcopy(committed()["dev"])
    doc["config"]["lookout:services"][0]["url"] = "http://optio-dev-backend.onrender.com"
    markdown, page = both([stack_file(tmp_path, "dev-http", doc)])
    assert "| warning | `lookout:services[0].url` | uptime-coverage | " in markdown
    assert "<code>lookout:services[0].url</code></td><td>uptime-coverage</td>" in page
    doc = copy.deepcopy(committed()["prod"])
    doc["config"]["uptimerobot:plan"] = "solo"  # no more down_after warning
    for svc in doc["config"]["lookout:services"]:
        svc["health_keyword"] = '"status":"healthy"'  # no more health-path-match warning
    markdown, page = both([stack_file(tmp_path, "prod-clean", doc)])
    assert "None: `python -m lookout lint` finds nothing to warn about." in markdown
    assert "<p>None: <code>python -m lookout lint</code> finds nothing to warn about.</p>" in page


def test_names_and_urls_from_config_are_escaped(tmp_path):
    doc = copy.deepcopy(committed()["prod"])
    evil = '<script>alert("x")</script>'
    config = doc["config"]
    svc = config["lookout:services"][0]
    svc["render_service"] = evil
    svc["health_keyword"] = '"><img src=x onerror=alert(1)>'
    svc["url"] = 'https://evil.example/"><script>alert(1)</script>'
    config["lookout:channels"]["email"] = "<b>ops</b>@evil.example"
    config["lookout:channels"]["pagerduty"]["sentry_integration"] = "PD | `x` & [y](javascript:z)"
    window = {"name": "<iframe src=x>|", "interval": "once", "date": "2025-01-01", "time": "01:00:00"}
    config["lookout:maintenance_windows"] = [{**window, "duration": 30}]
    markdown, page = both([stack_file(tmp_path, "evil", doc)])
    assert_safe_html(page)
    assert escape(evil) in page and "&lt;b&gt;ops&lt;/b&gt;@evil.example" in page
    for raw in ("<script", "<img", "<iframe", "<b>"):
        assert raw not in page.lower() and raw not in markdown.lower()
    assert not re.search(r"(?<!\\)\]\(javascript", markdown) and "PD \\| \\`x\\` & \\[y\\]" in markdown
    assert_tables_keep_their_columns(markdown)


def test_the_committed_catalog_is_valid_self_contained_html_and_markdown():
    markdown, page = both(["dev", "prod"])
    assert_safe_html(page)
    assert_tables_keep_their_columns(markdown)


def test_secrets_appear_only_as_config_key_names(tmp_path):
    doc = copy.deepcopy(committed()["prod"])
    config = doc["config"]
    config["lookout:slackWebhookUrl"] = {"secure": "v1:CIPHERTEXTslack0123456789abcdef"}
    config["lookout:pagerdutyKey"] = {"secure": "v1:CIPHERTEXTpager0123456789abcdef"}
    del config["lookout:oncall"]  # the PagerDuty key set by hand, as before lookout:oncall
    config["lookout:channels"]["pagerduty"].update(key_secret="pagerdutyKey", service="1")
    config["lookout:logStreamToken"] = {"secure": "v1:CIPHERTEXTlogs0123456789abcdef"}
    markdown, page = both([stack_file(tmp_path, "secrets", doc)])
    for text in (markdown, page):
        assert "CIPHERTEXT" not in text and "secure" not in text
        assert "lookout:slackWebhookUrl" in text and "lookout:pagerdutyKey" in text


def test_a_secret_pasted_where_its_key_name_belongs_is_refused(tmp_path, capsys):
    doc = copy.deepcopy(committed()["prod"])
    pasted = "https://hooks.slack.com/services/T000/B000/FAKE-FAKE-FAKE"
    doc["config"]["lookout:channels"]["slack"]["webhook_secret"] = pasted
    assert catalog_cli.run([stack_file(tmp_path, "pasted", doc)], str(tmp_path / "out")) == 1
    err = capsys.readouterr().err
    assert "lookout:channels.slack.webhook_secret" in err and pasted not in err


def test_the_committed_catalog_holds_nothing_secret_looking():
    markdown, page = both(["dev", "prod"])
    for text in (markdown, page):
        assert not re.search(r"hooks\.slack\.com|secure|v1:|[A-Za-z0-9+_-]{32,}", text)


def test_a_stack_that_does_not_validate_exits_1_naming_the_yaml_path(tmp_path, capsys):
    doc = copy.deepcopy(committed()["dev"])
    doc["config"]["lookout:services"][0]["name"] = "<script>"
    bad = stack_file(tmp_path, "bad", doc)
    assert catalog_cli.run(["dev", bad], str(tmp_path / "out")) == 1
    err = capsys.readouterr().err
    assert bad in err and "lookout:services[0].name" in err and "invalid stack config" in err
    assert not (tmp_path / "out").exists()  # nothing half-written
    assert catalog_cli.run([str(tmp_path / "Pulumi.nope.yaml")], str(tmp_path / "out")) == 1
    assert "no stack file" in capsys.readouterr().err
