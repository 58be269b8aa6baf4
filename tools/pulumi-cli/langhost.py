"""Lookout's Python language host for the Pulumi CLI (``pulumi-language-python``).

Upstream builds this host from the Go module
``github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3``. The module proxy reachable here
refuses every version of that module (403 "This module version is not available"), so this small gRPC
server stands in for it. It speaks the engine's LanguageRuntime protocol with the stubs shipped in the
``pulumi`` wheel, and runs the program exactly as upstream does: through the official
``pulumi-language-python-exec`` shim (copied from the ``sdk/v3`` module) under the project's virtualenv.

The CLI starts it in the project directory as ``pulumi-language-python [flags] ENGINE_ADDRESS`` and reads
the port from the first line of stdout; runtime options (``virtualenv``...) arrive with each request.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import platform
import signal
import subprocess
import sys
import threading
import types
from collections.abc import Mapping
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
from google.protobuf.json_format import MessageToDict


def _stubs() -> tuple[Any, Any, Any]:
    """The pulumi wheel's LanguageRuntime stubs, loaded as a package of their own: importing them as
    ``pulumi.runtime.proto`` would run ``pulumi/__init__.py`` first (the whole SDK, automation API
    included: 0.3 s of CPU), and the engine starts this host twice for every run of the program (once to
    run it, once for the update's runtime metadata, pkg/cmd/pulumi/metadata/metadata.go)."""
    found = importlib.util.find_spec("pulumi")
    if found is None or not found.submodule_search_locations:
        raise SystemExit("the pulumi package is not installed in the project's virtualenv (make venv)")
    proto = Path(found.submodule_search_locations[0]) / "runtime" / "proto"
    for name, directory in (("_pulumi_stubs", proto), ("_pulumi_stubs.codegen", proto / "codegen")):
        package = types.ModuleType(name)
        package.__path__ = [str(directory)]
        sys.modules[name] = package
    return tuple(
        importlib.import_module(f"_pulumi_stubs.{m}")
        for m in ("language_pb2", "language_pb2_grpc", "plugin_pb2")
    )  # type: ignore[return-value]


language_pb2, language_pb2_grpc, plugin_pb2 = _stubs()
Servicer: Any = language_pb2_grpc.LanguageRuntimeServicer

HERE = Path(__file__).resolve().parent
EXEC_SHIM = HERE / "pulumi-language-python-exec"
VERSION = (HERE / "VERSION").read_text().strip() if (HERE / "VERSION").exists() else "0.0.0"
# The shim's exit code for "an error was already shown to the user" (upstream convention).
USER_ACTIONABLE_EXIT = 32


def engine_address(argv: list[str]) -> str:
    """The engine address is the last positional argument; flags (e.g. ``-root=``, ``-tracing``) vary."""
    positional = [arg for arg in argv if not arg.startswith("-")]
    return positional[-1] if positional else ""


def program_options(info: Any) -> dict[str, Any]:
    return MessageToDict(info.options) if info.HasField("options") else {}


def interpreter(options: Mapping[str, Any], root: str) -> str:
    """The program's Python: the `virtualenv` runtime option (relative to the project root), else ours."""
    venv = str(options.get("virtualenv") or "")
    if venv:
        path = Path(venv) if os.path.isabs(venv) else Path(root) / venv
        python = path / "bin" / "python"
        if python.exists():
            return str(python)
        raise SystemExit(
            f"The 'virtualenv' option in Pulumi.yaml is set to {venv!r}, but {python} does not exist. "
            "Create it first (make venv)."
        )
    return sys.executable


class Programs:
    """The programs `Run` started. The engine ends a plugin with SIGINT to its process group and kills the
    group 5 seconds later (sdk/go/common/resource/plugin/plugin.go, `kill`). After a failed step the program
    still waits on the engine and does not end on SIGINT: a host that waited for it kept the engine waiting
    those 5 seconds on every failed preview. Upstream's Go host simply exits; this one ends its programs too.
    """

    def __init__(self) -> None:
        self._running: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()

    def run(self, args: list[str], **options: Any) -> int:
        with subprocess.Popen(args, **options) as process:
            with self._lock:
                self._running.add(process)
            try:
                return process.wait()
            finally:
                with self._lock:
                    self._running.discard(process)

    def end(self) -> None:
        with self._lock:
            running = list(self._running)
        for process in running:
            process.kill()  # it had its SIGINT with ours; the engine would SIGKILL it next
        for process in running:
            process.wait()


PROGRAMS = Programs()


class LanguageHost(Servicer):
    def __init__(self, engine: str) -> None:
        self.engine = engine

    def GetPluginInfo(self, request, context):
        return plugin_pb2.PluginInfo(version=VERSION)

    def GetRequiredPlugins(self, request, context):
        return language_pb2.GetRequiredPluginsResponse(plugins=[])

    def GetRequiredPackages(self, request, context):
        # Dynamic providers run in the bundled `pulumi-python` plugin; no package plugin is needed.
        return language_pb2.GetRequiredPackagesResponse(packages=[])

    def About(self, request, context):
        root = request.info.root_directory or os.getcwd()
        python = interpreter(program_options(request.info), root)
        if os.path.realpath(python) == os.path.realpath(sys.executable):
            # This host runs on the program's interpreter (the wrapper picks the project's virtualenv):
            # no process to start for its version, which the engine asks on every run (its metadata).
            return language_pb2.AboutResponse(executable=python, version=platform.python_version())
        version = subprocess.run(
            [python, "-c", "import platform; print(platform.python_version())"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        return language_pb2.AboutResponse(executable=python, version=version)

    def Run(self, request, context):
        info = request.info
        root = info.root_directory or request.pwd
        python = interpreter(program_options(info), root)
        program = info.entry_point or request.program or "."
        program_dir = info.program_directory or request.pwd
        args = [
            python,
            "-u",
            str(EXEC_SHIM),
            f"--project={request.project}",
            f"--root_directory={root}",
            f"--stack={request.stack}",
            f"--pwd={program_dir}",
            f"--dry_run={'true' if request.dryRun else 'false'}",
            f"--parallel={request.parallel}",
            f"--monitor={request.monitor_address}",
            f"--engine={self.engine}",
            f"--organization={request.organization}",
            os.path.join(program_dir, program) if program != "." else program_dir,
            *request.args,
        ]
        env = dict(os.environ)
        env["PULUMI_CONFIG"] = json.dumps(dict(request.config))
        env["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(list(request.configSecretKeys))
        env["PULUMI_PROJECT"] = request.project
        env["PULUMI_STACK"] = request.stack
        env["PULUMI_ORGANIZATION"] = request.organization
        env["PULUMI_DRY_RUN"] = "true" if request.dryRun else "false"
        env["PULUMI_MONITOR"] = request.monitor_address
        env["PULUMI_ENGINE"] = self.engine
        env["PULUMI_PARALLEL"] = str(request.parallel)
        venv_bin = str(Path(python).parent)
        env["PATH"] = venv_bin + os.pathsep + env.get("PATH", "")
        env.pop("PYTHONHOME", None)
        # The program's stdout/stderr are ours, which the engine shows as program output.
        code = PROGRAMS.run(args, cwd=program_dir, env=env)
        sys.stdout.flush()
        if code == 0:
            return language_pb2.RunResponse()
        if code == USER_ACTIONABLE_EXIT:
            return language_pb2.RunResponse(bail=True)
        return language_pb2.RunResponse(error=f"Program exited with non-zero exit code: {code}")


def main() -> None:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(
        LanguageHost(engine_address(sys.argv[1:])), server
    )
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:  # entered before the port is announced: the engine may end the host as soon as it knows it
        print(port, flush=True)
        server.wait_for_termination()
    except KeyboardInterrupt:  # the engine interrupts its plugins when it is done with them
        PROGRAMS.end()
        server.stop(grace=None)


if __name__ == "__main__":
    main()
