"""Partner routing (primary → fallback), the per-partner circuit breaker and idempotency keys."""

from __future__ import annotations

import uuid

import pytest

from consumers.fulfillment.domain import keys
from consumers.fulfillment.domain.circuit import Circuit, CircuitConfig, allow, failed, succeeded
from consumers.fulfillment.domain.routing import Attempt, Route, Tried, classify_status, route, strays

PARTNERS = ("primary", "fallback")
CONFIG = CircuitConfig(failure_threshold=3, reset_after_seconds=10)


def test_the_primary_is_tried_first() -> None:
    assert route(PARTNERS, []) == Route("primary")


@pytest.mark.parametrize(
    "outcome", [Attempt.SERVER_ERROR, Attempt.TIMEOUT, Attempt.UNREACHABLE, Attempt.CIRCUIT_OPEN, Attempt.OUT_OF_STOCK]
)
def test_a_failing_primary_hands_over_to_the_fallback(outcome: Attempt) -> None:
    assert route(PARTNERS, [Tried("primary", outcome)]) == Route("fallback")


def test_an_accepting_partner_ends_the_routing() -> None:
    tried = [Tried("primary", Attempt.TIMEOUT), Tried("fallback", Attempt.ACCEPTED)]
    assert route(PARTNERS, tried) == Route(None, accepted="fallback")


def test_a_refusal_of_the_request_itself_does_not_go_to_the_fallback() -> None:
    assert route(PARTNERS, [Tried("primary", Attempt.REJECTED)]) == Route(None, failed_reason="rejected_by_primary")


def test_everyone_down_is_transient_and_everyone_out_of_stock_is_not() -> None:
    down = route(PARTNERS, [Tried("primary", Attempt.TIMEOUT), Tried("fallback", Attempt.SERVER_ERROR)])
    assert down == Route(None, failed_reason="all_partners_unavailable", transient=True)
    empty = route(PARTNERS, [Tried("primary", Attempt.OUT_OF_STOCK), Tried("fallback", Attempt.TIMEOUT)])
    assert empty == Route(None, failed_reason="no_partner_can_supply", transient=False)
    assert route((), []) == Route(None, failed_reason="no_partners")


def test_a_partner_that_timed_out_before_another_accepted_is_a_stray() -> None:
    assert strays([Tried("primary", Attempt.TIMEOUT), Tried("fallback", Attempt.ACCEPTED)]) == ("primary",)
    assert strays([Tried("primary", Attempt.OUT_OF_STOCK), Tried("fallback", Attempt.ACCEPTED)]) == ()
    assert strays([Tried("primary", Attempt.TIMEOUT)]) == ()


@pytest.mark.parametrize(
    ("status", "code", "outcome"),
    [
        (201, None, Attempt.ACCEPTED),
        (200, None, Attempt.ACCEPTED),
        (409, "out_of_stock", Attempt.OUT_OF_STOCK),
        (409, "other", Attempt.REJECTED),
        (500, None, Attempt.SERVER_ERROR),
        (503, "unavailable", Attempt.SERVER_ERROR),
        (429, None, Attempt.SERVER_ERROR),
        (422, "idempotency_key_reused", Attempt.REJECTED),
        (401, "unauthorized", Attempt.REJECTED),
    ],
)
def test_http_answers_are_classified(status: int, code: str | None, outcome: Attempt) -> None:
    assert classify_status(status, code) is outcome


def test_the_circuit_opens_after_the_threshold_and_refuses_calls() -> None:
    circuit = Circuit()
    for now in (1.0, 2.0):
        circuit = failed(circuit, now, CONFIG)
        assert allow(circuit, now, CONFIG)[0]
    circuit = failed(circuit, 3.0, CONFIG)
    assert circuit.state == "open"
    assert not allow(circuit, 12.9, CONFIG)[0]


def test_a_success_resets_the_count() -> None:
    circuit = succeeded(failed(failed(Circuit(), 1.0, CONFIG), 2.0, CONFIG))
    assert failed(circuit, 3.0, CONFIG).state == "closed"


def test_after_the_reset_time_exactly_one_probe_goes_out() -> None:
    circuit = Circuit(failures=3, opened_at=0.0)
    ok, probing = allow(circuit, 10.0, CONFIG)
    assert ok and probing.state == "half_open"
    assert not allow(probing, 10.5, CONFIG)[0]
    assert succeeded(probing).state == "closed"
    reopened = failed(probing, 11.0, CONFIG)
    assert reopened.state == "open" and not allow(reopened, 20.9, CONFIG)[0] and allow(reopened, 21.0, CONFIG)[0]


def test_the_circuit_config_is_checked() -> None:
    with pytest.raises(ValueError):
        CircuitConfig(failure_threshold=0)
    with pytest.raises(ValueError):
        CircuitConfig(reset_after_seconds=0)


def test_keys_are_stable_distinct_and_within_stripes_limit() -> None:
    order, request, user = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    made = [
        keys.payment_intent_key(order),
        keys.partner_order_key(order),
        keys.refund_key(request),
        keys.cancellation_refund_key(order, 0, 0),
        keys.subscription_key(user, request),
    ]
    assert len(set(made)) == len(made)
    assert all(len(k) <= 255 for k in made)
    assert keys.payment_intent_key(order) == keys.payment_intent_key(uuid.UUID(str(order)))
    assert keys.refund_key(request) != keys.refund_key(uuid.uuid4())
