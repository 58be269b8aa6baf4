"""Where the vendors' official OpenAPI documents are: the sandbox and its fidelity tests read the same."""

from __future__ import annotations

import os
from pathlib import Path

SPECS_DIR_ENV = "LOOKOUT_SPECS_DIR"


def spec_path(file_name: str) -> Path:
    """``$LOOKOUT_SPECS_DIR``, else ``specs/`` in the repo, else ``shared/specs`` beside the repo."""
    override = os.environ.get(SPECS_DIR_ENV)
    if override:
        return Path(override) / file_name
    repo = Path(__file__).resolve().parents[1]
    for folder in (repo / "specs", repo.parent / "shared" / "specs"):
        if (folder / file_name).is_file():
            return folder / file_name
    raise FileNotFoundError(f"{file_name} not found; set {SPECS_DIR_ENV}")
