"""Where things live. `.lookout/` (git-ignored) holds the CLI link, the sandbox and its state."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCAL = REPO / ".lookout"
PULUMI_BIN = LOCAL / "bin"
SANDBOX_DIR = LOCAL / "sandbox"
