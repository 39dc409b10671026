"""Whether and when a message goes out: opt-outs, critical categories, quiet hours across midnight and DST."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from db.models import NotificationPreference
from db.session import tenant_session
from domain.context import TenantContext
from domain.errors import PermissionDenied
from domain.notifications import preferences
from domain.notifications.preferences import SendDecision, decide
from domain.notifications.schemas import PreferencesIn

CRITICAL = frozenset({"security"})


def prefs(**kw) -> NotificationPreference:
    values = {"timezone": "UTC", "opt_out": {}, "quiet_hours": None} | kw
    return NotificationPreference(**values)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def when(
    p: NotificationPreference | None,
    now: str,
    *,
    channel: str = "email",
    priority: str = "normal",
    category="x",
):
    return decide(p, category=category, channel=channel, priority=priority, now=at(now), critical=CRITICAL)


def test_no_preferences_means_send_now():
    assert when(None, "2026-01-01T03:00:00+00:00") == SendDecision(True, None, None)


def test_opt_out_is_per_category_and_channel_except_for_critical_categories():
    p = prefs(opt_out={"marketing": ["email", "sms"], "security": ["email"]})
    refused = when(p, "2026-01-01T12:00:00Z", category="marketing")
    assert not refused.send and refused.reason == "opted out of marketing by email"
    assert when(p, "2026-01-01T12:00:00Z", category="marketing", channel="push").send
    assert when(p, "2026-01-01T12:00:00Z", category="approvals").send
    critical = when(p, "2026-01-01T12:00:00Z", category="security")
    assert critical.send and critical.wait_until is None and "critical" in (critical.reason or "")


QUIET = prefs(timezone="Europe/Paris", quiet_hours={"start": "22:00", "end": "07:00"})


@pytest.mark.parametrize(
    ("now", "wait_until"),
    [
        ("2026-01-15T21:59:00+01:00", None),  # just before
        ("2026-01-15T22:00:00+01:00", "2026-01-16T07:00:00+01:00"),  # starts
        ("2026-01-15T23:30:00+01:00", "2026-01-16T07:00:00+01:00"),  # before midnight: tomorrow's end
        ("2026-01-16T00:10:00+01:00", "2026-01-16T07:00:00+01:00"),  # after midnight: today's end
        ("2026-01-16T06:59:00+01:00", "2026-01-16T07:00:00+01:00"),
        ("2026-01-16T07:00:00+01:00", None),  # ends
        ("2026-07-15T23:00:00+02:00", "2026-07-16T07:00:00+02:00"),  # summer time
    ],
)
def test_quiet_hours_wrapping_midnight_defer_until_they_end(now, wait_until):
    decision = when(QUIET, now)
    assert decision.send
    assert decision.wait_until == (at(wait_until) if wait_until else None)
    if wait_until:
        assert decision.wait_until.tzinfo == UTC and "22:00-07:00 Europe/Paris" in (decision.reason or "")


def test_quiet_hours_within_a_day_and_empty_ones():
    lunch = prefs(timezone="Asia/Tokyo", quiet_hours={"start": "12:00", "end": "13:30"})
    assert when(lunch, "2026-05-01T12:15:00+09:00").wait_until == at("2026-05-01T13:30:00+09:00")
    assert when(lunch, "2026-05-01T13:30:00+09:00").wait_until is None
    assert when(lunch, "2026-05-01T23:00:00+09:00").wait_until is None
    none = prefs(quiet_hours={"start": "08:00", "end": "08:00"})
    assert when(none, "2026-05-01T08:00:00Z") == SendDecision(True, None, None)


def test_high_priority_in_app_and_critical_ignore_quiet_hours():
    night = "2026-01-16T01:00:00+01:00"
    assert when(QUIET, night, priority="high") == SendDecision(True, None, None)
    assert when(QUIET, night, channel="in_app") == SendDecision(True, None, None)
    assert when(QUIET, night, category="security").wait_until is None
    assert when(QUIET, night, priority="low").wait_until is not None


NEW_YORK = "America/New_York"


def test_dst_days_in_new_york_end_at_the_wall_clock_time():
    night = prefs(timezone=NEW_YORK, quiet_hours={"start": "22:00", "end": "07:00"})
    # 2026-03-08: clocks jump 02:00 EST -> 03:00 EDT, so 07:00 is 11:00 UTC, not 12:00.
    assert when(night, "2026-03-07T23:00:00-05:00").wait_until == datetime(2026, 3, 8, 11, 0, tzinfo=UTC)
    # 2026-11-01: clocks fall back 02:00 EDT -> 01:00 EST, so 07:00 is 12:00 UTC.
    assert when(night, "2026-10-31T23:00:00-04:00").wait_until == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_dst_gaps_and_repeated_hours_never_defer_into_the_past():
    # 02:30 does not exist on 2026-03-08: read with the offset before the jump (07:30 UTC, 03:30 EDT).
    gap = prefs(timezone=NEW_YORK, quiet_hours={"start": "01:00", "end": "02:30"})
    assert when(gap, "2026-03-08T01:30:00-05:00").wait_until == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    # 01:30 happens twice on 2026-11-01; at 01:10 EST (the second pass) the end still ahead is 01:30 EST.
    twice = prefs(timezone=NEW_YORK, quiet_hours={"start": "00:30", "end": "01:30"})
    assert when(twice, "2026-11-01T01:10:00-04:00").wait_until == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert when(twice, "2026-11-01T01:10:00-05:00").wait_until == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def test_preferences_belong_to_a_user(engine, tenant):
    system = TenantContext.system(tenant.id)
    me = TenantContext(tenant_id=tenant.id, tenant_domain=tenant.domain, user_id=tenant.admin_id)
    with tenant_session(engine, tenant.id) as session:
        with pytest.raises(PermissionDenied, match="belong to a user"):
            preferences.mine(session, system, CRITICAL)
        with pytest.raises(PermissionDenied):
            preferences.replace_mine(session, system, PreferencesIn(), critical=CRITICAL, production=False)
        assert preferences.for_user(session, me, tenant.admin_id) is None
        saved = preferences.replace_mine(
            session, me, PreferencesIn(locale="pt-br", timezone=NEW_YORK), critical=CRITICAL, production=False
        )
        assert (saved.locale, saved.timezone, saved.critical_categories) == ("pt-BR", NEW_YORK, ["security"])
        row = preferences.for_user(session, me, tenant.admin_id)
        assert row is not None and row.locale == "pt-BR"
