"""tools/pulumi-cli/langhost (Go), the language host that stands in for upstream's: it runs the program
through the exec shim with the engine's config and answers as upstream does; when the engine is done with
it, it goes, and takes the program it started along.

The engine ends a plugin by sending SIGINT to the plugin's process group, then waits up to 5 seconds before
it kills the group (sdk/go/common/resource/plugin/plugin.go, `kill`). After a failed step the program is
still waiting on the engine and does not end on SIGINT; a host that waited for it kept every failing
`pulumi preview` waiting those 5 seconds, and could leave the program behind.

The host under test is the one `make cli` built (.lookout/bin), copied beside a stand-in exec shim."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import grpc
import pytest
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import language_pb2, language_pb2_grpc

from harness.paths import PULUMI_BIN

# Stands in for the official `pulumi-language-python-exec` shim. It records what it was started with, then
# exits with the code the config names, or (no code) waits on the engine for good, as a program after a
# failed step does: SIGINT does not end it.
SHIM = """\
import json, os, signal, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
seen = {"argv": sys.argv[1:], "config": json.loads(os.environ["PULUMI_CONFIG"]),
        "secret_keys": json.loads(os.environ["PULUMI_CONFIG_SECRET_KEYS"]), "cwd": os.getcwd(),
        "stack": os.environ["PULUMI_STACK"], "dry_run": os.environ["PULUMI_DRY_RUN"]}
open(os.environ["SEEN_FILE"], "w").write(json.dumps(seen))
open(os.environ["PID_FILE"], "w").write(str(os.getpid()))
if "exit" in seen["config"]:
    sys.exit(int(seen["config"]["exit"]))
while True:
    time.sleep(3600)
"""
HANG = 30  # seconds: the bound of a hang, not a speed budget
VENV = Path(sys.prefix)  # the project's virtualenv, which runs these tests


@pytest.fixture
def host(tmp_path: Path):
    here = tmp_path / "bin"
    here.mkdir()
    shutil.copy(PULUMI_BIN / "pulumi-language-python", here)
    (here / "VERSION").write_text("3.999.0\n")
    (here / "pulumi-language-python-exec").write_text(SHIM)
    env = {**os.environ, "SEEN_FILE": str(tmp_path / "seen.json"), "PID_FILE": str(tmp_path / "program.pid")}
    process = subprocess.Popen(
        [str(here / "pulumi-language-python"), "-root=/nowhere", "127.0.0.1:1"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, as the engine starts plugins
    )
    assert process.stdout is not None
    port = int(process.stdout.readline())
    yield process, language_pb2_grpc.LanguageRuntimeStub(grpc.insecure_channel(f"127.0.0.1:{port}"))
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def info(directory: Path, **options: str) -> language_pb2.ProgramInfo:
    found = struct_pb2.Struct()
    found.update(options)
    return language_pb2.ProgramInfo(
        root_directory=str(directory), program_directory=str(directory), entry_point=".", options=found
    )


def run_request(directory: Path, config: dict[str, str]) -> language_pb2.RunRequest:
    return language_pb2.RunRequest(
        project="p",
        stack="dev",
        pwd=str(directory),
        info=info(directory, virtualenv=str(VENV)),
        config=config,
        configSecretKeys=["p:token"],
        dryRun=True,
        parallel=4,
        monitor_address="127.0.0.1:2",
    )


def started_program(stub, tmp_path: Path) -> int:
    """Ask the host to Run a program that never ends (in the background: Run answers when the program
    ends), and return the program's pid once it runs."""
    request = run_request(tmp_path, {})
    threading.Thread(target=lambda: _ignore(stub.Run, request), daemon=True).start()
    pid_file = tmp_path / "program.pid"
    for _ in range(HANG * 20):
        if pid_file.exists() and pid_file.read_text():
            return int(pid_file.read_text())
        threading.Event().wait(0.05)
    raise AssertionError("the host never started the program")


def _ignore(call, request) -> None:
    with contextlib.suppress(grpc.RpcError):  # the host went away mid-call, as it should
        call(request)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes: it runs nothing.
    status = Path(f"/proc/{pid}/stat")
    return not status.exists() or status.read_text().split()[2] != "Z"


def test_the_program_runs_through_the_shim_with_the_engines_config(host, tmp_path: Path):
    _, stub = host
    answer = stub.Run(run_request(tmp_path, {"p:name": "x", "p:token": "s3", "exit": "0"}), timeout=HANG)
    assert (answer.error, answer.bail) == ("", False)
    seen = json.loads((tmp_path / "seen.json").read_text())
    assert seen["config"] == {"p:name": "x", "p:token": "s3", "exit": "0"}
    assert seen["secret_keys"] == ["p:token"]
    assert (seen["stack"], seen["dry_run"], seen["cwd"]) == ("dev", "true", str(tmp_path))
    assert "--engine=127.0.0.1:1" in seen["argv"] and "--monitor=127.0.0.1:2" in seen["argv"]
    assert "--parallel=4" in seen["argv"] and seen["argv"][-1] == str(tmp_path)


@pytest.mark.parametrize(("code", "error", "bail"), [(32, "", True), (3, "exit code: 3", False)])
def test_a_failed_program_is_an_error_or_a_bail_as_the_shim_says(host, tmp_path: Path, code, error, bail):
    """32: the program already showed the user its error (upstream's convention), so the engine adds none."""
    _, stub = host
    answer = stub.Run(run_request(tmp_path, {"exit": str(code)}), timeout=HANG)
    assert (answer.bail, answer.error.endswith(error) if error else answer.error == "") == (bail, True)


def test_an_interrupted_host_ends_without_waiting_for_a_stuck_program_and_ends_it(host, tmp_path: Path):
    process, stub = host
    program = started_program(stub, tmp_path)
    os.killpg(process.pid, signal.SIGINT)  # what the engine sends first
    try:
        process.wait(timeout=HANG)
    except subprocess.TimeoutExpired:
        pytest.fail("the host waited for a program that does not end on SIGINT")
    for _ in range(HANG * 20):
        if not alive(program):
            break
        threading.Event().wait(0.05)
    assert not alive(program), "the program the host started outlived it"


def test_an_idle_host_ends_on_sigint(host):
    process, _ = host
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=HANG) == 0


def test_about_names_the_programs_interpreter_and_its_version(host, tmp_path: Path):
    """The engine asks on every run, for the update's metadata: the project's virtualenv and its version."""
    _, stub = host
    about = stub.About(language_pb2.AboutRequest(info=info(tmp_path, virtualenv=str(VENV))), timeout=HANG)
    assert Path(about.executable) == VENV / "bin" / "python"
    assert about.version == platform.python_version()


def test_a_missing_virtualenv_is_named(host, tmp_path: Path):
    _, stub = host
    with pytest.raises(grpc.RpcError, match=r"'virtualenv' option in Pulumi\.yaml is set to .*no-venv"):
        stub.About(language_pb2.AboutRequest(info=info(tmp_path, virtualenv="no-venv")), timeout=HANG)


def test_the_plugin_info_is_the_clis_version(host):
    _, stub = host
    assert stub.GetPluginInfo(empty_pb2.Empty()).version == "3.999.0"
