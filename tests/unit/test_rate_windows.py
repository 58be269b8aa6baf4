"""Rate windows kept between provider processes (issue #16): a new process starts where the last stopped,
and a file that is over, corrupt or unbelievable changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from providers import settings
from tests.fakes import FakeClock
from transport import Vendor, shared
from transport.clock import SYSTEM_CLOCK
from transport.ratelimit import WindowLimiter
from transport.windows import Window, WindowFile

ENDPOINT, KEY = "https://api.uptimerobot.com/v3/", "u123-secret"


def process(clock: FakeClock, directory: Path, endpoint: str = ENDPOINT, key: str = KEY) -> WindowLimiter:
    """A limiter as a new provider process makes it: nothing in memory, only the file."""
    return WindowLimiter(10, 60.0, clock, "uptimerobot", WindowFile(directory, "uptimerobot", endpoint, key))


def spend(limiter: WindowLimiter, n: int) -> None:
    for _ in range(n):
        limiter.acquire()


def test_a_new_process_waits_for_the_window_the_last_one_spent(tmp_path: Path):
    clock = FakeClock()
    spend(process(clock, tmp_path), 10)
    clock.now += 15  # the next `pulumi` command starts 15 s later
    second = process(clock, tmp_path)
    second.acquire()
    assert clock.sleeps == [pytest.approx(45.0)]


def test_without_the_file_a_new_process_would_not_know(tmp_path: Path):
    clock = FakeClock()
    spend(WindowLimiter(10, 60.0, clock), 10)
    WindowLimiter(10, 60.0, clock).acquire()
    assert clock.sleeps == []  # the request the server would refuse with a 429


def test_a_window_that_is_over_is_ignored(tmp_path: Path):
    clock = FakeClock()
    spend(process(clock, tmp_path), 10)
    clock.now += 61
    spend(process(clock, tmp_path), 10)
    assert clock.sleeps == []


def test_a_pause_the_server_imposed_holds_for_the_next_process(tmp_path: Path):
    clock = FakeClock()
    process(clock, tmp_path).block_for(30)
    process(clock, tmp_path).acquire()
    assert clock.sleeps == [pytest.approx(30.0)]


def test_the_limit_the_server_announced_is_kept(tmp_path: Path):
    clock = FakeClock()
    first = process(clock, tmp_path)
    first.observe(limit=100, remaining=99, reset_in=60)
    spend(first, 20)
    spend(process(clock, tmp_path), 50)  # not capped at the default 10
    assert clock.sleeps == []


@pytest.mark.parametrize(
    "content",
    ["{not json", '{"end": "soon"}', '{"used": 3}', "[]", '{"end": 1e18, "used": 10, "limit": 10}'],
    ids=["broken", "bad-end", "no-end", "not-an-object", "a-window-past-any-hour"],
)
def test_a_corrupt_or_unbelievable_file_is_ignored(tmp_path: Path, content: str):
    clock = FakeClock()
    file = WindowFile(tmp_path, "uptimerobot", ENDPOINT, KEY)
    file.path.parent.mkdir(parents=True, exist_ok=True)
    file.path.write_text(content)
    spend(process(clock, tmp_path), 10)
    assert clock.sleeps == []


def test_accounts_and_endpoints_keep_windows_apart(tmp_path: Path):
    clock = FakeClock()
    spend(process(clock, tmp_path), 10)
    process(clock, tmp_path, key="another-key").acquire()
    process(clock, tmp_path, endpoint="http://127.0.0.1:8080/uptimerobot/v3/").acquire()
    assert clock.sleeps == []


def test_the_file_names_the_account_without_its_credential(tmp_path: Path):
    clock = FakeClock()
    spend(process(clock, tmp_path), 1)
    files = list(tmp_path.glob("*.json"))
    assert len(files) == 1
    assert KEY not in files[0].name and KEY not in files[0].read_text()
    assert json.loads(files[0].read_text())["used"] == 1


def test_processes_running_at_once_share_one_window(tmp_path: Path):
    clock = FakeClock()
    a, b = process(clock, tmp_path), process(clock, tmp_path)
    spend(a, 6)
    spend(b, 4)
    a.acquire()  # the eleventh request of the window waits, whichever process sends it
    assert clock.sleeps == [pytest.approx(60.0)]


def test_a_tests_injected_clock_never_touches_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(settings.RATE_WINDOWS_ENV, str(tmp_path))
    vendor = Vendor(name="probe", parse_error=lambda r: ("", None))
    shared.use_clock(FakeClock())
    try:
        assert settings.connect(vendor, ENDPOINT, KEY).windows is None
    finally:
        shared.use_clock(SYSTEM_CLOCK)
    assert settings.connect(vendor, ENDPOINT, KEY).windows == tmp_path
    shared.use_clock(SYSTEM_CLOCK)


def test_sentrys_one_second_windows_do_not_hold_a_minutes_work(tmp_path: Path):
    from providers.sentry.client import VENDOR

    clock = FakeClock()
    limiter = WindowLimiter(
        40, VENDOR.window_seconds, clock, "sentry", WindowFile(tmp_path, "sentry", ENDPOINT, KEY)
    )
    for _ in range(120):  # three windows' worth, as a prod up and its refresh send in a minute
        limiter.acquire()
        clock.now += 0.05
    assert max(clock.sleeps, default=0) <= 1.0


class CountingFile(WindowFile):
    """A window file that counts how often the limiter writes it."""

    saves = 0

    def save(self, window: Window) -> None:
        self.saves += 1
        super().save(window)


def test_an_answer_that_agrees_with_the_window_is_not_written_again(tmp_path: Path):
    clock = FakeClock()
    file = CountingFile(tmp_path, "uptimerobot", ENDPOINT, KEY)
    limiter = WindowLimiter(10, 60.0, clock, "uptimerobot", file)
    for used in range(1, 4):
        limiter.acquire()
        limiter.observe(limit=10, remaining=10 - used, reset_in=None)  # the server counted what we did
    assert file.saves == 3  # one per request sent, none for the answers


def test_an_answer_that_changes_the_window_is_shared(tmp_path: Path):
    clock = FakeClock()
    limiter = process(clock, tmp_path)
    limiter.acquire()
    limiter.observe(limit=10, remaining=2, reset_in=None)  # another client of the account spent 7
    spend(process(clock, tmp_path), 2)
    process(clock, tmp_path).acquire()
    assert clock.sleeps == [pytest.approx(60.0)]
