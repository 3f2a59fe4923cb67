import httpx2
import pytest
from mcp import MCPError
from mcp_types import CONNECTION_CLOSED, INVALID_PARAMS, REQUEST_TIMEOUT

from consumers.crawl.backoff import backoff_delay
from consumers.crawl.breaker import CircuitBreaker
from consumers.crawl.errors import describe, is_transient, transient_tool_text
from consumers.crawl.rate_limit import KeyedLimiter, TokenBucket


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_bucket_spends_burst_then_refills_at_rate() -> None:
    clock = Clock()
    bucket = TokenBucket(rate=2.0, capacity=3, clock=clock)
    assert [bucket.try_take() for _ in range(4)] == [True, True, True, False]
    assert bucket.wait_time() == pytest.approx(0.5)
    clock.now += 0.5
    assert bucket.try_take() and not bucket.try_take()
    clock.now += 100
    assert bucket.tokens <= 3 and [bucket.try_take() for _ in range(4)] == [True, True, True, False]
    with pytest.raises(ValueError):
        TokenBucket(rate=0, capacity=1)


def test_keyed_limiter_keeps_one_bucket_per_site() -> None:
    limiter = KeyedLimiter(rate=1.0, capacity=1, clock=Clock())
    assert limiter.try_take("a.example") and not limiter.try_take("a.example")
    assert limiter.try_take("b.example")
    assert limiter.wait_time("a.example") == pytest.approx(1.0)


async def test_keyed_limiter_acquire_gives_up_past_max_wait() -> None:
    limiter = KeyedLimiter(rate=0.01, capacity=1)
    assert await limiter.acquire("s", max_wait=0.1)
    assert not await limiter.acquire("s", max_wait=0.1)


def test_breaker_opens_after_threshold_then_allows_one_trial() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=2, reset_after=10, clock=clock)
    breaker.record_failure()
    assert breaker.allows() and breaker.state == "closed"
    breaker.record_failure()
    assert breaker.state == "open" and not breaker.allows() and not breaker.available()
    clock.now += 10
    assert breaker.available()
    assert breaker.allows() and breaker.state == "half_open"
    assert not breaker.allows() and not breaker.available()  # one trial at a time
    breaker.record_failure()
    assert breaker.state == "open" and not breaker.allows()
    clock.now += 10
    assert breaker.allows()
    breaker.record_success()
    assert breaker.state == "closed" and breaker.failures == 0 and breaker.allows()


def test_breaker_release_frees_an_unused_trial_and_success_resets_the_count() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=2, reset_after=1, clock=clock)
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state == "closed"
    breaker.record_failure()
    clock.now += 1
    assert breaker.allows()
    breaker.release()
    assert breaker.allows()


def test_backoff_grows_exponentially_is_capped_and_jittered() -> None:
    assert [backoff_delay(n, 0.5, 3.0, lambda: 1.0) for n in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert backoff_delay(2, 0.5, 3.0, lambda: 0.25) == 0.5
    assert backoff_delay(0, 0.5, 3.0, lambda: 0.0) == 0.0


def test_transient_failures_are_outages_not_bad_requests() -> None:
    assert is_transient(MCPError(CONNECTION_CLOSED, "Connection closed"))
    assert is_transient(MCPError(REQUEST_TIMEOUT, "timed out"))
    assert not is_transient(MCPError(INVALID_PARAMS, "bad url"))
    assert is_transient(ConnectionRefusedError())
    assert is_transient(TimeoutError())
    assert is_transient(httpx2.ConnectError("refused"))
    assert is_transient(ExceptionGroup("g", [ConnectionResetError(), TimeoutError()]))
    assert not is_transient(ExceptionGroup("g", [ConnectionResetError(), ValueError()]))
    assert not is_transient(ValueError("x"))


def test_tool_error_texts_that_name_an_outage() -> None:
    assert transient_tool_text("Request failed with status code 502")
    assert transient_tool_text("connect ECONNREFUSED 127.0.0.1:3002")
    assert transient_tool_text("Service unavailable (injected HTTP 503)")
    assert transient_tool_text("Rate limit exceeded")
    assert not transient_tool_text("URL is not valid")
    assert not transient_tool_text("Request failed with status code 404")


def test_describe_looks_inside_groups() -> None:
    assert describe(ExceptionGroup("g", [ConnectionResetError("x")])) == "ConnectionResetError: x"
