"""A schedule layer's rotation starts at the last hand-off before it takes effect, in the schedule's own
clock, so the first person listed is on call at once and hands over at the declared local time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from providers.pagerduty.schedule import Layer, last_handoff

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_weekly_rotation_starts_at_the_last_declared_weekday_and_time():
    layer = Layer(name="weekly", users=["P1", "P2"], handoff="10:00", handoff_day=2)  # Tuesdays 10:00
    wednesday = datetime(2026, 12, 2, 15, 0, tzinfo=timezone.utc)
    assert last_handoff(layer, BERLIN, wednesday) == datetime(2026, 12, 1, 10, 0, tzinfo=BERLIN)
    tuesday_early = datetime(2026, 12, 8, 8, 0, tzinfo=timezone.utc)  # 09:00 in Berlin, before the hand-off
    assert last_handoff(layer, BERLIN, tuesday_early) == datetime(2026, 12, 1, 10, 0, tzinfo=BERLIN)


def test_a_daily_rotation_hands_over_at_local_time_across_a_clock_change():
    layer = Layer(name="daily", users=["P1"], turn_days=1, handoff="09:00")
    after_dst = datetime(2026, 3, 29, 12, 0, tzinfo=timezone.utc)  # Berlin moved to summer time that night
    handoff = last_handoff(layer, BERLIN, after_dst)
    assert handoff == datetime(2026, 3, 29, 9, 0, tzinfo=BERLIN)
    assert handoff.utcoffset() == timedelta(hours=2)


def test_weekly_layers_default_to_monday_and_other_lengths_have_no_weekday():
    assert Layer(name="w", users=["P1"]).handoff_day == 1
    assert Layer(name="d", users=["P1"], turn_days=3).handoff_day is None
