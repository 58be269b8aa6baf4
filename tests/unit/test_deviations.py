"""The deviation table (sandbox/deviations/): every row is still needed, has a source, and is listed in the
README's "Fidelity" section."""

from __future__ import annotations

import copy
import json
import re

import pytest
import yaml

from harness.paths import REPO
from sandbox import deviations, specs

SPEC_FILES = {
    "uptimerobot": "uptimerobot-openapi.yaml",
    "sentry": "sentry-openapi.json",
    "render": "render-openapi.json",
    "pagerduty": "pagerduty-rest-openapi.json",
    "supabase": "supabase-management-openapi.json",
}


def published(vendor: str) -> dict:
    text = specs.spec_path(SPEC_FILES[vendor]).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return json.loads(text) if text.lstrip().startswith("{") else yaml.load(text, loader)


def test_rows_have_unique_keys_a_reason_and_a_source():
    keys = [row.key for row in deviations.TABLE]
    assert len(keys) == len(set(keys))
    for row in deviations.TABLE:
        assert row.vendor in SPEC_FILES and row.key.startswith(row.vendor)
        assert row.what and row.reason and len(row.source) > 10, row.key
        assert row.where in ("*", "check") or re.fullmatch(
            r"(\*|GET|POST|PUT|PATCH|DELETE) /\S*", row.where
        ), row.key


@pytest.mark.parametrize("row", [r for r in deviations.TABLE if r.patch], ids=lambda r: r.key)
def test_every_patch_still_changes_the_published_spec(row: deviations.Deviation):
    """A patch that no longer changes anything means the vendor fixed its spec: remove the row."""
    document = published(row.vendor)
    before = copy.deepcopy(document)
    assert row.patch is not None
    row.patch(document)
    assert document != before


def test_camel_case_bodies_are_checked_in_the_spec_s_snake_case():
    row = deviations.named("sentry-camel-bodies")
    assert row.rewrite is not None
    assert row.rewrite({"dataSources": [{"timeWindow": 60}]}) == {"data_sources": [{"time_window": 60}]}
    assert row.applies("POST", "/organizations/o/projects/p/detectors/")
    assert row.applies("PUT", "/organizations/o/detectors/1/")
    assert not row.applies("POST", "/organizations/o/workflows/")


def test_the_readme_lists_every_deviation():
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Fidelity", 1)[1].split("\n## ", 1)[0]
    missing = [row.key for row in deviations.TABLE if f"`{row.key}`" not in section]
    assert not missing, f"README Fidelity section lacks {missing}"
