"""The repeat filter: identical warnings and errors are let through once per interval, with a count."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from observability.logs import JsonFormatter, RepeatFilter


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def lines(clock: Clock) -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger whose JSON lines go to a buffer through a RepeatFilter with a 10 s interval."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter("test"))
    handler.addFilter(RepeatFilter(interval=10.0, clock=clock))
    logger = logging.getLogger("shine.test.repeats")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger, out
    logger.handlers.clear()


def _emitted(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def _fail(logger: logging.Logger, exc: Exception, host: str) -> None:
    try:
        raise exc
    except Exception:
        logger.exception("database unreachable at %s", host)


def test_repeats_inside_the_interval_are_dropped_and_counted_on_the_next_line(
    lines: tuple[logging.Logger, io.StringIO], clock: Clock
) -> None:
    logger, out = lines
    for second in range(25):
        clock.now = 1000.0 + second
        _fail(logger, ConnectionRefusedError(), f"10.0.0.{second}")
    emitted = _emitted(out)
    # Windows open at t=0, t=10 and t=20: one line each; 9 repeats dropped in each closed window.
    hosts = ["10.0.0.0", "10.0.0.10", "10.0.0.20"]
    assert [e["msg"] for e in emitted] == [f"database unreachable at {host}" for host in hosts]
    assert "suppressed_repeats" not in emitted[0]
    assert [e.get("suppressed_repeats") for e in emitted[1:]] == [9, 9]


def test_a_different_error_class_template_or_logger_is_not_a_repeat(
    lines: tuple[logging.Logger, io.StringIO], clock: Clock
) -> None:
    logger, out = lines
    _fail(logger, ConnectionRefusedError(), "a")
    _fail(logger, TimeoutError(), "a")
    logger.error("another template %s", "a")
    logging.getLogger("shine.test.repeats.child").error("database unreachable at %s", "a")
    _fail(logger, ConnectionRefusedError(), "b")
    emitted = _emitted(out)
    # The child's record propagates to the same handler: another logger, so not a repeat.
    assert [e["logger"] for e in emitted] == ["shine.test.repeats"] * 3 + ["shine.test.repeats.child"]
    assert [str(e.get("exc", "")).splitlines()[-1:] for e in emitted] == [
        ["ConnectionRefusedError"],
        ["TimeoutError"],
        [],
        [],
    ]


def test_a_quiet_key_opens_a_new_window_without_a_count(
    lines: tuple[logging.Logger, io.StringIO], clock: Clock
) -> None:
    logger, out = lines
    logger.warning("broker %s down", "x")
    clock.now += 10.0
    logger.warning("broker %s down", "x")
    assert [e.get("suppressed_repeats") for e in _emitted(out)] == [None, None]


def test_info_and_below_are_never_limited(lines: tuple[logging.Logger, io.StringIO]) -> None:
    logger, out = lines
    for _ in range(5):
        logger.info("consumer caught up")
    assert len(_emitted(out)) == 5


def test_an_interval_of_zero_disables_the_limit(clock: Clock) -> None:
    flt = RepeatFilter(interval=0, clock=clock)
    record = logging.makeLogRecord({"name": "x", "msg": "boom", "levelno": logging.ERROR})
    assert all(flt.filter(record) for _ in range(3))


def test_many_distinct_messages_do_not_grow_memory_without_bound(clock: Clock) -> None:
    flt = RepeatFilter(interval=10.0, clock=clock)
    for n in range(5000):
        flt.filter(logging.makeLogRecord({"name": "x", "msg": f"unique {n}", "levelno": logging.ERROR}))
    assert len(flt._windows) <= 1024
    repeat = logging.makeLogRecord({"name": "x", "msg": "unique 4999", "levelno": logging.ERROR})
    assert not flt.filter(repeat)  # the newest window survived pruning
