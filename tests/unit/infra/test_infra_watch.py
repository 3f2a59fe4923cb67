"""The infrastructure watcher's rules: when a local service counts as down or hung, and the restart backoff."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from shine.infra_watch import InfraWatcher, Watched


@dataclass
class Service:
    """A service's observable state, changed by hand; records what the watcher asked of it."""

    pid: int | None = 100
    answering: bool = True
    fail_starts: int = 0
    calls: list[str] = field(default_factory=list)

    def start(self) -> None:
        self.calls.append("start")
        if self.fail_starts:
            self.fail_starts -= 1
            raise RuntimeError("port in use\nmore detail")
        self.pid, self.answering = (self.pid or 0) + 1, True

    def stop(self) -> None:
        self.calls.append("stop")
        self.pid = None

    def watched(self) -> Watched:
        return Watched("svc", lambda: self.pid, lambda: self.answering, self.start, self.stop)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_a_live_answering_service_is_left_alone(clock: Clock) -> None:
    svc = Service()
    watcher = InfraWatcher([svc.watched()], hung_after=30, clock=clock)
    for second in range(100):
        clock.now = float(second)
        watcher.check_all()
    assert svc.calls == []


def test_a_dead_service_is_restarted_with_doubling_backoff(clock: Clock, capsys: pytest.CaptureFixture[str]) -> None:
    svc = Service()
    watched = svc.watched()
    watcher = InfraWatcher([watched], clock=clock)
    restarted_at = []
    for tenth in range(0, 160):  # it dies as soon as it is up, for 16 s
        clock.now = tenth / 10
        svc.pid = None
        before = len(svc.calls)
        watcher.check(watched)
        if len(svc.calls) > before:
            restarted_at.append(clock.now)
    assert restarted_at == [0.0, 1.0, 3.0, 7.0, 15.0]
    assert "service down; restarting" in capsys.readouterr().err


def test_backoff_starts_again_after_a_stable_minute(clock: Clock) -> None:
    svc = Service()
    watched = svc.watched()
    watcher = InfraWatcher([watched], clock=clock)
    for now in (0.0, 1.0, 3.0):
        clock.now, svc.pid = now, None
        watcher.check(watched)
    assert watched.restarts == 3
    clock.now, svc.pid = 100.0, None
    watcher.check(watched)
    assert watched.restarts == 1 and watched.next_try == 101.0


def test_a_failed_restart_is_logged_and_tried_again_after_the_backoff(
    clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    svc = Service(pid=None, fail_starts=1)
    watched = svc.watched()
    watcher = InfraWatcher([watched], clock=clock)
    watcher.check(watched)
    assert svc.pid is None and '"error": "port in use"' in capsys.readouterr().err
    clock.now = 0.5
    watcher.check(watched)
    assert svc.calls == ["start"]
    clock.now = 1.0
    watcher.check(watched)
    assert svc.calls == ["start", "start"] and svc.pid is not None


def test_a_live_pid_that_stops_answering_is_restarted_only_after_the_grace(clock: Clock) -> None:
    svc = Service(answering=False)
    watched = svc.watched()
    watcher = InfraWatcher([watched], hung_after=30, clock=clock)
    for now in (0.0, 10.0, 29.9):
        clock.now = now
        watcher.check(watched)
    assert svc.calls == []
    svc.answering = True  # it recovered: the silence is forgotten
    clock.now = 30.0
    watcher.check(watched)
    svc.answering = False
    for now in (31.0, 60.0):
        clock.now = now
        watcher.check(watched)
    assert svc.calls == []
    clock.now = 61.0
    watcher.check(watched)
    assert svc.calls == ["stop", "start"] and svc.answering
