"""Where the vendors' official OpenAPI documents are: `specs/` in this repository (see specs/SOURCES.md).

The sandbox validates requests against them and its fidelity tests validate responses against the same
files. `LOOKOUT_SPECS_DIR` points at another folder (to try a newer spec before committing it).
"""

from __future__ import annotations

import os
from pathlib import Path

SPECS_DIR_ENV = "LOOKOUT_SPECS_DIR"
SPECS_DIR = Path(__file__).resolve().parents[1] / "specs"


def spec_path(file_name: str) -> Path:
    """The spec file `file_name` in ``$LOOKOUT_SPECS_DIR`` if set, else in the repository's `specs/`."""
    folder = Path(os.environ.get(SPECS_DIR_ENV) or SPECS_DIR)
    path = folder / file_name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: the sandbox needs the vendor's official spec there")
    return path
