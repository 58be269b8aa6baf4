"""The repository carries the vendors' official specs itself, unmodified, and reaches nothing beside it."""

from __future__ import annotations

import hashlib
import re
import subprocess

from harness.paths import REPO
from sandbox import specs

ROW = re.compile(r"^\| `(?P<file>[^`]+)` \|.*\| `(?P<sha>[0-9a-f]{64})` \|$", re.MULTILINE)


def test_every_spec_file_matches_the_checksum_its_source_row_records():
    rows = {m["file"]: m["sha"] for m in ROW.finditer((REPO / "specs/SOURCES.md").read_text())}
    files = sorted(p.name for p in (REPO / "specs").iterdir() if p.name != "SOURCES.md")
    assert sorted(rows) == files, "each spec file needs exactly one row in specs/SOURCES.md"
    for name, expected in rows.items():
        assert hashlib.sha256(specs.spec_path(name).read_bytes()).hexdigest() == expected, name


def test_the_specs_are_found_inside_the_repository():
    assert specs.spec_path("sentry-openapi.json").parent == REPO / "specs"


def test_no_tracked_file_reaches_outside_the_repository():
    """A user's clone has nothing beside it: no code, test, script or workflow may read outside it."""
    pattern = "|".join(
        (
            r"\.\./shared",
            r"parents?\[[0-9]\]\s*/\s*\"shared\"",
            r"\"shared\"\s*/\s*\"specs\"",
            r"shared/(specs|reference|seed)",
        )
    )
    found = subprocess.run(
        ["git", "grep", "-nIE", pattern, "--", ".", ":!*.md"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode == 1, found.stdout  # git grep exits 1 when nothing matches
