"""A provider process started right after another spent UptimeRobot's window (a refresh straight after an
`up`) waits for the window instead of meeting a 429 (issue #16), against the sandbox's free-plan limit."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from harness.sandbox_process import UPTIMEROBOT_KEY, SandboxProcess
from providers.uptimerobot import client as uptimerobot
from transport import Transport


class Timeline:
    """The time every simulated process and the sandbox agree on; waits advance the sandbox's clock."""

    def __init__(self, api: SandboxProcess) -> None:
        self.api = api
        self.now = 1000.0
        self.epoch = float(api.control("GET", "/clock").json()["now"])
        self.slept: list[float] = []


class ProcessClock:
    """One process's clock on the shared timeline (a new object: a budget of its own, as a new process)."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline

    def monotonic(self) -> float:
        return self.timeline.now

    def time(self) -> float:
        return self.timeline.epoch + self.timeline.now - 1000.0

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.timeline.slept.append(seconds)
            self.timeline.now += seconds
            self.timeline.api.control("POST", "/clock", json={"advance": seconds})


@pytest.mark.parametrize("kept", [True, False], ids=["windows-kept", "windows-not-kept"])
def test_the_next_process_waits_for_the_window_instead_of_meeting_a_429(
    api: SandboxProcess, tmp_path: Path, kept: bool
):
    api.control("PUT", "/uptimerobot/settings", json={"rateLimit": None})  # the free plan's 10 a minute
    timeline = Timeline(api)
    vendor = dataclasses.replace(uptimerobot.VENDOR, requests_per_window=10)

    def new_process() -> Transport:
        windows = tmp_path / "rate-windows" if kept else None
        return Transport(
            vendor,
            api.vendor_url("uptimerobot"),
            UPTIMEROBOT_KEY,
            clock=ProcessClock(timeline),
            windows=windows,
        )

    up = new_process()
    for _ in range(10):
        up.request("GET", "/monitors")
    api.control("DELETE", "/requests")
    refresh = new_process()
    refresh.request("GET", "/monitors")
    refused = api.control("GET", "/requests").json()["byStatus"].get("uptimerobot 429", 0)
    if kept:
        assert refused == 0
        assert timeline.slept and 0 < timeline.slept[0] <= 60
    else:
        assert refused == 1  # what happens without the kept window: the server refuses, then we wait


def test_rate_limits_relaxed_for_a_deploy_come_back_as_they_were(api: SandboxProcess):
    """The game day deploys without the free plans' limits and runs its checks with them."""
    api.control("PUT", "/uptimerobot/settings", json={"rateLimit": 10})
    api.control("PUT", "/render/settings", json={"writeRateLimit": 30})
    with api.rate_limits_relaxed():
        assert api.control("GET", "/uptimerobot/settings").json()["rateLimit"] == 100000
    assert api.control("GET", "/uptimerobot/settings").json()["rateLimit"] == 10
    assert api.control("GET", "/render/settings").json()["writeRateLimit"] == 30
