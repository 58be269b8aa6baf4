"""Runs the real `pulumi` CLI on this project against the sandbox, kept apart from real accounts.

A sandbox run has its own file backend, its own PULUMI_HOME and its own stack config file (passed with
`--config-file`), generated from the committed `Pulumi.<stack>.yaml` plus the sandbox endpoints and
credentials. The committed stack files are never written, and real-account state never mixes in.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from stacks import source

from .paths import PULUMI_BIN, REPO

# Commands that read stack config and therefore take --config-file.
CONFIG_COMMANDS = {"up", "preview", "refresh", "destroy", "config"}
# Config that commands record in the workspace (`lookout adopt --write`), kept when it is prepared again.
RECORDED_KEYS = ("lookout:adopt",)
SANDBOX_PASSPHRASE = "lookout-sandbox"  # protects sandbox state only; never used for a real account


@dataclass
class Workspace:
    state_dir: Path
    stack: str = "dev"
    env: dict[str, str] = field(default_factory=dict)
    backend: str | None = None  # default: a file backend under state_dir
    program: Path = REPO  # the Pulumi project directory (tests/e2e/program for the end-to-end tests)

    @property
    def config_file(self) -> Path:
        return self.state_dir / f"Pulumi.{self.stack}.yaml"

    def environ(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            PATH=f"{PULUMI_BIN}{os.pathsep}{env.get('PATH', '')}",
            PULUMI_HOME=str(self.state_dir / "home"),
            PULUMI_BACKEND_URL=self.backend or f"file://{self.state_dir / 'backend'}",
            PULUMI_CONFIG_PASSPHRASE=SANDBOX_PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK="true",
            LOOKOUT_RATE_WINDOWS=str(self.state_dir / "rate-windows"),  # this workspace's, no other's
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK="true",
        )
        if self.program != REPO:  # the providers' and plan's packages, for the program and its plugins
            env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
        # Vendor credentials come from the sandbox config file, never from the caller's shell.
        for name in list(env):
            if name.startswith(("UPTIMEROBOT_", "SENTRY_", "RENDER_")):
                del env[name]
        env.update(self.env)
        return env

    def deployed_config(self, key: str) -> str | None:
        """`key` as the stack's last deployment recorded it with the default provider of Lookout's dynamic
        providers: what a refresh uses, whatever the config file says now (the engine refreshes each
        resource with the provider as it was deployed). None without a file-backend state."""
        state = self._state_file()
        if self.backend is not None or not state.is_file():
            return None
        resources = (json.loads(state.read_text()).get("checkpoint", {}).get("latest") or {}).get("resources")
        for resource in resources or []:
            if resource.get("urn", "").endswith("::pulumi:providers:pulumi-python::default"):
                value = (resource.get("inputs") or {}).get(key)
                return value if isinstance(value, str) else None
        return None

    def _state_file(self) -> Path:
        """The stack's state in the file backend under state_dir (project-scoped layout)."""
        return self.state_dir / "backend" / ".pulumi" / "stacks" / "lookout" / f"{self.stack}.json"

    def command(self, *args: str) -> list[str]:
        """`pulumi ARGS --non-interactive [--stack STACK] [--config-file FILE]`."""
        command = ["pulumi", *args, "--non-interactive"]
        if tuple(args[:2]) not in (("stack", "ls"), ("stack", "init"), ("stack", "rm")):
            command += ["--stack", self.stack]
        if args and args[0] in CONFIG_COMMANDS:
            command += ["--config-file", str(self.config_file)]
        return command

    def start(self, *args: str, cwd: Path | None = None) -> subprocess.Popen[str]:
        """Start `pulumi ARGS` in the background (output discarded), e.g. to interrupt or watch it."""
        return subprocess.Popen(
            self.command(*args),
            cwd=cwd or self.program,
            env=self.environ(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def pulumi(
        self, *args: str, check: bool = True, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run `pulumi ARGS` (see `command`) and capture its output."""
        command = self.command(*args)
        result = subprocess.run(
            command, cwd=cwd or self.program, env=self.environ(), capture_output=True, text=True, check=False
        )
        if check and result.returncode != 0:
            raise PulumiFailed(command, result)
        return result

    def prepare(
        self,
        endpoints: dict[str, str],
        secrets: dict[str, str],
        overrides: dict[str, Any] | None = None,
        inherit: bool = True,
    ) -> dict[str, Any]:
        """Create the stack if needed and (re)write its sandbox config: what commands recorded in it
        (RECORDED_KEYS), the committed stack file's config (unless `inherit` is False), then `overrides`
        (a None value removes a key), then the endpoints."""
        (self.state_dir / "backend").mkdir(parents=True, exist_ok=True)
        fresh = not self.config_file.exists() and self.backend is None
        copied = fresh and TEMPLATES.copy_to(self)
        salt = self._copied_salt() if copied else (self._existing_salt() or self._init_stack())
        base = committed_config(self.stack) if inherit else {}
        merged = {**self._recorded(), **base, **(overrides or {}), **endpoints}
        config = {key: value for key, value in merged.items() if value is not None}  # None: drop the key
        kept = self._encrypted(secrets, salt)
        self.config_file.write_text(
            yaml.safe_dump({"encryptionsalt": salt, "config": {**config, **kept}}, sort_keys=True)
        )
        missing = [("--secret", f"{key}={value}") for key, value in secrets.items() if key not in kept]
        if missing:  # one CLI run for them all (each run derives the passphrase's key: about 0.4 s)
            self.pulumi("config", "set-all", *(arg for pair in missing for arg in pair))
        self._digests().write_text(json.dumps({k: _digest(v) for k, v in secrets.items()}))
        if fresh and not copied:
            TEMPLATES.keep(self)
        return config

    def _recorded(self) -> dict[str, Any]:
        if not self.config_file.exists():
            return {}
        current = (yaml.safe_load(self.config_file.read_text()) or {}).get("config") or {}
        return {key: current[key] for key in RECORDED_KEYS if key in current}

    def _digests(self) -> Path:
        return self.config_file.with_suffix(".secrets.json")

    def _encrypted(self, secrets: dict[str, str], salt: str) -> dict[str, Any]:
        """Secure values already in the config file for unchanged secrets under the same salt
        (encrypting costs a CLI run each)."""
        if not self.config_file.exists() or not self._digests().exists():
            return {}
        document = yaml.safe_load(self.config_file.read_text()) or {}
        if document.get("encryptionsalt") != salt:
            return {}
        known, current = json.loads(self._digests().read_text()), document.get("config") or {}
        unchanged = [key for key, value in secrets.items() if known.get(key) == _digest(value)]
        return {
            k: current[k] for k in unchanged if isinstance(current.get(k), dict) and "secure" in current[k]
        }

    def _copied_salt(self) -> str:
        return str(yaml.safe_load(self.config_file.read_text())["encryptionsalt"])

    def _existing_salt(self) -> str | None:
        if not self.config_file.exists():
            return None
        if self.backend is None:  # the file backend keeps a stack as one file (`stack rm` removes it)
            exists = any(self._state_file().with_suffix(end).is_file() for end in (".json", ".json.gz"))
        else:
            exists = f'"name": "{self.stack}"' in self.pulumi("stack", "ls", "--json", check=False).stdout
        if not exists:
            return None
        return str(yaml.safe_load(self.config_file.read_text()).get("encryptionsalt") or "") or None

    def _init_stack(self) -> str:
        """`stack init` writes the passphrase salt next to Pulumi.yaml; do it in a scratch copy."""
        with tempfile.TemporaryDirectory() as scratch:
            shutil.copy(REPO / "Pulumi.yaml", scratch)
            self.pulumi("stack", "rm", "--yes", "--force", self.stack, check=False, cwd=Path(scratch))
            self.pulumi("stack", "init", self.stack, "--secrets-provider", "passphrase", cwd=Path(scratch))
            written = yaml.safe_load((Path(scratch) / f"Pulumi.{self.stack}.yaml").read_text())
        return str(written["encryptionsalt"])


class StackTemplates:
    """Stacks as `stack init` and `config set-all --secret` leave them, kept once per process and stack name
    and copied into new workspaces of the file backend: those commands cost three CLI starts and a key
    derivation (about 1 s a workspace), and the copy is the same stack, salt and ciphertexts. A secret
    whose value differs from the template's is still encrypted by the CLI (`_encrypted` keeps only those
    whose digest matches)."""

    def __init__(self) -> None:
        self._root: Path | None = None
        self._lock = threading.Lock()

    def _dir(self, stack: str) -> Path:
        if self._root is None:
            self._root = Path(tempfile.mkdtemp(prefix="lookout-stacks-"))
            atexit.register(shutil.rmtree, self._root, True)
        return self._root / stack

    def keep(self, workspace: Workspace) -> None:
        with self._lock:
            target = self._dir(workspace.stack)
            if target.exists():
                return
            scratch = target.with_name(f"{target.name}.tmp")
            shutil.rmtree(scratch, ignore_errors=True)
            shutil.copytree(workspace.state_dir / "backend", scratch / "backend")
            shutil.copy(workspace._digests(), scratch / workspace._digests().name)
            # Of the config, only the salt and the ciphertexts: the rest is each workspace's own.
            document = yaml.safe_load(workspace.config_file.read_text())
            secure = {k: v for k, v in document["config"].items() if isinstance(v, dict) and "secure" in v}
            kept = {"encryptionsalt": document["encryptionsalt"], "config": secure}
            (scratch / workspace.config_file.name).write_text(yaml.safe_dump(kept, sort_keys=True))
            scratch.rename(target)

    def copy_to(self, workspace: Workspace) -> bool:
        """Whether a template of the workspace's stack existed and is now its backend and config."""
        with self._lock:
            source = self._dir(workspace.stack)
            if not source.exists():
                return False
            shutil.copytree(source / "backend", workspace.state_dir / "backend", dirs_exist_ok=True)
            for path in (workspace.config_file, workspace._digests()):
                shutil.copy(source / path.name, path)
            return True


TEMPLATES = StackTemplates()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def committed_config(stack: str) -> dict[str, Any]:
    """Plain config of the committed stack file (stacks/source.py reads it); its `secure:` values belong
    to other keys' salts. No file: nothing to inherit."""
    path = REPO / f"Pulumi.{stack}.yaml"
    config = source.read_file(path) if path.exists() else {}
    return {key: value for key, value in config.items() if not source.is_secure(value)}


class PulumiFailed(RuntimeError):
    def __init__(self, command: list[str], result: subprocess.CompletedProcess[str]) -> None:
        self.result = result
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-40:])
        super().__init__(f"{' '.join(command[:3])} exited {result.returncode}:\n{tail}")
