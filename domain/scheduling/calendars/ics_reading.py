"""Reading busy times out of an imported iCalendar, with bounded CPU and memory.

Imported calendars come from anyone: a URL the tenant gave, or an uploaded file. Parsing them with
``icalendar`` and expanding recurrences with ``recurring-ical-events`` (dateutil underneath) has no
work bound of its own: ``FREQ=SECONDLY`` from 1900, ``INTERVAL=0``, a rule that can never match
(dateutil then walks every day up to year 9999) or tens of thousands of events each cost seconds to
forever. So the reading runs in a child process (forked from a ``forkserver`` that preloads this
module) under ``RLIMIT_CPU`` and ``RLIMIT_AS`` and a wall-clock deadline; past any of them, the
calendar is refused (422 ``invalid_calendar``) and the child is killed. Cheap checks on the raw text
and the RRULEs run first in the child, so the usual hostile files are refused at once and with a
clear message: more than ``MAX_LINES`` lines, components nested deeper than ``MAX_DEPTH``, an
RRULE with ``INTERVAL`` below 1, ``FREQ=SECONDLY`` or ``MINUTELY``, or more than one ``BYSECOND`` or
four ``BYMINUTE`` values.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import resource
import threading
from datetime import UTC, date, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar

from domain.scheduling.errors import FieldError, ValidationFailed
from domain.scheduling.intervals import Interval, merge

IMPORT_PAST = timedelta(days=1)
IMPORT_AHEAD = timedelta(days=180)
MAX_IMPORTED_BLOCKS = 5000
MAX_LINES = 100_000  # content lines of the file (about 10,000 events)
MAX_BYMINUTE = 4  # quarter hours
MAX_DEPTH = 8  # VCALENDAR > VEVENT > VALARM is 3; nothing real goes deeper than 5
CPU_SECONDS = 8  # of the child's CPU; the wall-clock deadline allows for a busy machine
WALL_SECONDS = 20.0
MEMORY_BYTES = 768 * 1024 * 1024  # on top of what the child starts with
PARALLEL = 2  # readings at once per process: more wait their turn
_BEGIN_END = re.compile(r"^(BEGIN|END):", re.IGNORECASE | re.MULTILINE)
_slots = threading.BoundedSemaphore(PARALLEL)
_context: Any = None
_context_lock = threading.Lock()


def invalid(message: str) -> ValidationFailed:
    return ValidationFailed([FieldError("file", message)], message, code="invalid_calendar")


def busy_times(content: bytes, timezone: str, now: datetime) -> list[Interval]:
    """The busy spans of an iCalendar text from one day ago to 180 days ahead, merged; a 422
    ``invalid_calendar`` if it is not a calendar, or one too costly to read."""
    text = _text(content)
    with _slots:
        parent, child = _mp().Pipe(duplex=False)
        limits = (CPU_SECONDS, MEMORY_BYTES)
        worker = _mp().Process(target=_child, args=(child, text, timezone, now, limits), daemon=True)
        worker.start()
        child.close()
        try:
            answer = parent.recv() if parent.poll(WALL_SECONDS) else None
        except EOFError:  # killed by a limit before it could answer
            answer = None
        finally:
            parent.close()
            if worker.is_alive():
                worker.kill()
            worker.join(5)
            worker.close()
    if answer is None:
        raise invalid(f"the calendar is too costly to read (more than {CPU_SECONDS} s or the memory allowed)")
    kind, value = answer
    if kind == "invalid":
        raise invalid(value)
    return [(lo, hi) for lo, hi in value]


def _mp() -> Any:
    """The forkserver context, whose server has imported this module (and the parsers) and the main
    module (which every child would import again otherwise)."""
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["__main__", __name__])
            _context = context
    return _context


def _text(content: bytes) -> str:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise invalid("the file is not UTF-8 text") from exc
    if "BEGIN:VCALENDAR" not in text.upper():
        raise invalid("the file is not an iCalendar (no BEGIN:VCALENDAR)")
    return text


def _child(conn: Connection, text: str, timezone: str, now: datetime, limits: tuple[int, int]) -> None:
    """In the child: limit, read, answer ``("ok", spans)`` or ``("invalid", message)``."""
    try:
        _limit(*limits)
        try:
            answer: tuple[str, Any] = ("ok", read(text, timezone, now))
        except ValidationFailed as exc:
            answer = ("invalid", exc.message)
        except MemoryError:
            answer = ("invalid", "the calendar needs more memory to read than is allowed")
        except Exception as exc:  # any other failure of the parsers on a hostile file
            answer = ("invalid", f"the calendar cannot be read ({type(exc).__name__})")
        conn.send(answer)
    finally:
        conn.close()


def _limit(cpu_seconds: int, memory_bytes: int) -> None:
    size = os.sysconf("SC_PAGE_SIZE") * int(Path("/proc/self/statm").read_text().split()[0])
    resource.setrlimit(resource.RLIMIT_AS, (size + memory_bytes, size + memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def read(text: str, timezone: str, now: datetime) -> list[Interval]:
    """The reading itself (unbounded: call it through :func:`busy_times`)."""
    _check_shape(text)
    try:
        cal = Calendar.from_ical(text)
        _check_rules(cal)
        tz = ZoneInfo(timezone)
        lo, hi = now - IMPORT_PAST, now + IMPORT_AHEAD
        occurrences = recurring_ical_events.of(cal, components=["VEVENT"]).between(lo, hi)
        spans: list[Interval] = []
        for event in occurrences:
            if str(event.get("transp", "OPAQUE")).upper() == "TRANSPARENT":
                continue
            if str(event.get("status", "")).upper() == "CANCELLED":
                continue
            span = _span(event, tz)
            if span is not None and span[0] < hi and span[1] > lo:
                spans.append(span)
            if len(spans) > 50 * MAX_IMPORTED_BLOCKS:
                break
    except ValidationFailed:
        raise
    # What a hostile file makes the parsers raise: a time past year 9999 or before year 1 is an
    # OverflowError, an unknown TZID a KeyError, one too long for a file name an OSError (whose
    # text names a path on this server, so only its kind is told).
    except OSError as exc:
        raise invalid(f"the calendar cannot be read ({type(exc).__name__})") from exc
    except (ValueError, TypeError, AttributeError, ArithmeticError, LookupError, RecursionError) as exc:
        raise invalid(f"the calendar cannot be read: {exc or type(exc).__name__}"[:300]) from exc
    merged = merge(spans)
    if len(merged) > MAX_IMPORTED_BLOCKS:
        raise invalid(f"more than {MAX_IMPORTED_BLOCKS} busy periods in the next 180 days")
    return merged


def _check_shape(text: str) -> None:
    """Refuse files too long, or nested too deep, before parsing them."""
    if text.count("\n") > MAX_LINES:
        raise invalid(f"the file has more than {MAX_LINES} lines")
    depth = 0
    for match in _BEGIN_END.finditer(text):
        depth += 1 if match.group(1).upper() == "BEGIN" else -1
        if depth > MAX_DEPTH:
            raise invalid(f"components are nested more than {MAX_DEPTH} deep")


def _check_rules(cal: Calendar) -> None:
    """Refuse at once the rules whose expansion is endless or needlessly costly: an INTERVAL below 1
    never advances (dateutil loops for ever), and busy times do not repeat by the minute or second
    (such a rule is millions of instances in the window); everything else is bounded by the limits."""
    for event in cal.walk("VEVENT"):
        rules = event.get("rrule")
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            for interval in rule.get("INTERVAL", []):
                if not isinstance(interval, int) or interval < 1:
                    raise invalid("an RRULE's INTERVAL must be a whole number of at least 1")
            if {str(f).upper() for f in rule.get("FREQ", [])} & {"SECONDLY", "MINUTELY"}:
                raise invalid("an RRULE may not repeat more often than HOURLY")
            if len(rule.get("BYSECOND", [])) > 1 or len(rule.get("BYMINUTE", [])) > MAX_BYMINUTE:
                raise invalid(f"an RRULE may list one BYSECOND and at most {MAX_BYMINUTE} BYMINUTE values")


def _instant(value: date | datetime, tz: ZoneInfo) -> datetime:
    """An iCalendar time as UTC: floating times and all-day dates are the resource's local time."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


def _span(event: Any, tz: ZoneInfo) -> Interval | None:
    start_prop = event.get("dtstart")
    if start_prop is None:
        return None
    raw_start = start_prop.dt
    raw_end: date | datetime | None = event["dtend"].dt if event.get("dtend") is not None else None
    if raw_end is None and event.get("duration") is not None:
        raw_end = raw_start + event["duration"].dt
    if raw_end is None and not isinstance(raw_start, datetime):
        raw_end = raw_start + timedelta(days=1)  # an all-day event without an end lasts its day
    if raw_end is None:
        return None
    lo, hi = _instant(raw_start, tz), _instant(raw_end, tz)
    return (lo, hi) if lo < hi else None
