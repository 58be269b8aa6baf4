"""tools/pulumi-cli/langhost.py, the language host that stands in for upstream's: when the engine is done
with it, it goes, and takes the program it started along.

The engine ends a plugin by sending SIGINT to the plugin's process group, then waits up to 5 seconds before
it kills the group (sdk/go/common/resource/plugin/plugin.go, `kill`). After a failed step the program is
still waiting on the engine and does not end on SIGINT; a host that waited for it kept every failing
`pulumi preview` waiting those 5 seconds, and could leave the program behind."""

from __future__ import annotations

import contextlib
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
from pulumi.runtime.proto import language_pb2, language_pb2_grpc

from harness.paths import REPO

# Stands in for the official `pulumi-language-python-exec` shim: a program stuck waiting on the engine,
# which SIGINT does not end (it records its pid, then blocks for good).
STUCK_PROGRAM = """\
import os, signal, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
open(os.environ["STUCK_PID_FILE"], "w").write(str(os.getpid()))
while True:
    time.sleep(3600)
"""
HANG = 30  # seconds: the bound of a hang, not a speed budget


@pytest.fixture
def host(tmp_path: Path):
    here = tmp_path / "bin"
    here.mkdir()
    shutil.copy(REPO / "tools/pulumi-cli/langhost.py", here)
    (here / "pulumi-language-python-exec").write_text(STUCK_PROGRAM)
    env = {**os.environ, "STUCK_PID_FILE": str(tmp_path / "program.pid")}
    process = subprocess.Popen(
        [sys.executable, "-u", str(here / "langhost.py"), "127.0.0.1:1"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, as the engine starts plugins
    )
    assert process.stdout is not None
    port = int(process.stdout.readline())
    yield process, port, tmp_path / "program.pid"
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def started_program(port: int, pid_file: Path, program_dir: Path) -> int:
    """Ask the host to Run a program (in the background: Run answers when the program ends), and return
    the program's pid once it runs."""
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    stub = language_pb2_grpc.LanguageRuntimeStub(channel)
    info = language_pb2.ProgramInfo(
        root_directory=str(program_dir), program_directory=str(program_dir), entry_point="."
    )
    request = language_pb2.RunRequest(project="p", stack="s", pwd=str(program_dir), info=info)
    threading.Thread(target=lambda: _ignore(stub.Run, request), daemon=True).start()
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


def test_an_interrupted_host_ends_without_waiting_for_a_stuck_program_and_ends_it(host, tmp_path: Path):
    process, port, pid_file = host
    program = started_program(port, pid_file, tmp_path)
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
    process, _, _ = host
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=HANG) == 0


def test_the_host_loads_the_stubs_without_the_sdk():
    """The engine starts the host twice for every run of the program (to run it, and for the update's
    runtime metadata); importing the stubs through `pulumi.runtime.proto` ran the whole SDK's import (the
    automation API included) each time. The host answers with the wheel's own stubs all the same."""
    probe = (
        "import runpy, sys; host = runpy.run_path(sys.argv[1], run_name='host'); "
        "print(sorted(m for m in sys.modules if m == 'pulumi' or m.startswith('pulumi.')), "
        "host['language_pb2'].RunResponse.DESCRIPTOR.full_name)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(REPO / "tools/pulumi-cli/langhost.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["[]", "pulumirpc.RunResponse"]


def test_about_names_the_programs_interpreter_and_its_version(host):
    """The engine asks on every run, for the update's metadata: the project's virtualenv and its version."""
    _, port, _ = host
    stub = language_pb2_grpc.LanguageRuntimeStub(grpc.insecure_channel(f"127.0.0.1:{port}"))
    info = language_pb2.ProgramInfo(root_directory=str(REPO), program_directory=str(REPO), entry_point=".")
    about = stub.About(language_pb2.AboutRequest(info=info), timeout=HANG)
    assert Path(about.executable).resolve() == Path(sys.executable).resolve()
    assert about.version == platform.python_version()
