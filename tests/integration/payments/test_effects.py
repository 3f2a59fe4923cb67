"""The planner's actions carried out against stripe-mock and the partner processes, outcomes folded back."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from consumers.fulfillment.domain import facts as f
from consumers.fulfillment.domain.from_events import fact_from_event
from consumers.fulfillment.domain.order_state import OrderState, apply, fold
from consumers.fulfillment.domain.order_status import order_status, refund_exposure
from consumers.fulfillment.domain.planner import CancelOrder, Forward, IssueRefund, next_actions
from consumers.fulfillment.effects import Effects, Performed
from consumers.fulfillment.forwarding import Forwarder
from consumers.fulfillment.partners import PartnerClient, PartnerEndpoint
from consumers.fulfillment.payments_client import PaymentsClient, StripeConfig
from events import orders as o
from events.envelope import Event
from infra.partner.process import PartnerProcess
from infra.stripe_mock import TEST_API_KEY, StripeMock

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("normal")]

LINES = (f.Line("SKU-SERUM", 1),)


@pytest.fixture
async def effects(stripe_mock: StripeMock, partners: dict[str, PartnerProcess]) -> AsyncIterator[Effects]:
    payments = PaymentsClient(StripeConfig(TEST_API_KEY, stripe_mock.url, 5, 0))
    async with httpx.AsyncClient(trust_env=False) as http:
        clients = {
            name: PartnerClient(PartnerEndpoint(name, p.url, f"key-{name}", timeout_seconds=5), http)
            for name, p in partners.items()
        }
        yield Effects(Forwarder(list(clients.values())), payments, clients)
    await payments.close()


async def _paid_order(effects: Effects) -> tuple[OrderState, Event]:
    """A placed order whose (stripe-mock) PaymentIntent succeeded, and the event that said so."""
    order = uuid.uuid4()
    intent = await effects.payments.create_intent(order, uuid.uuid4(), 4200, "eur")
    placed = f.Placed("placed", 4200, "eur", LINES, intent.payment_intent_id, datetime.now(UTC))
    state = fold(order, [placed, f.PaymentObserved("paid", f.PaymentKind.SUCCEEDED, 1, 4200)])
    cause = o.OrderPlaced(
        source="test",
        subject=str(order),
        correlation_id=str(order),
        data=o.OrderPlacedData(
            order_id=order,
            user_id=uuid.uuid4(),
            order_number="SH-1",
            items=(
                o.OrderItem(product_id=uuid.uuid4(), sku="SKU-SERUM", quantity=1, unit_amount=4200, total_amount=4200),
            ),
            amount=4200,
            currency="eur",
            payment_intent_id=intent.payment_intent_id,
        ),
    )
    return state, cause


def _fold_events(state: OrderState, done: Performed) -> OrderState:
    for event in done.events:
        fact = fact_from_event(event)
        if fact is not None:
            state = apply(state, fact)
    return state


async def _partner_orders(http: httpx.AsyncClient, partner: PartnerProcess, reference: str) -> int:
    found = (await http.get(f"{partner.url}/_admin/orders")).json()["data"]
    return sum(1 for x in found if x["reference"] == reference)


async def test_a_paid_order_is_forwarded_once_even_when_performed_again_after_a_crash(
    effects: Effects, partners: dict[str, PartnerProcess], http: httpx.AsyncClient
) -> None:
    state, cause = await _paid_order(effects)
    (action,) = next_actions(state)
    assert isinstance(action, Forward)
    first = await effects.perform(state, action, cause)
    # Killed between the partner call and the commit: the same message is handled again from the same state.
    again = await effects.perform(state, action, cause)
    assert [e.event_id for e in first.events] == [e.event_id for e in again.events]
    assert first.events[-1].data == again.events[-1].data
    assert await _partner_orders(http, partners["primary"], str(state.order_id)) == 1
    forwarded = _fold_events(state, first)
    assert (order_status(forwarded), next_actions(forwarded)) == ("forwarded", ())


async def test_a_failing_primary_is_recorded_and_the_fallback_takes_the_order(
    effects: Effects, partners: dict[str, PartnerProcess], http: httpx.AsyncClient
) -> None:
    (await http.post(f"{partners['primary'].url}/_admin/mode", json={"mode": "error"})).raise_for_status()
    state, cause = await _paid_order(effects)
    done = await effects.perform(state, Forward("k-" + str(state.order_id)), cause)
    assert [type(e) for e in done.events] == [o.OrderForwardAttemptFailed, o.OrderForwarded]
    assert done.events[0].data.reason == "server_error" and done.events[1].data.partner == "fallback"
    assert _fold_events(state, done).forwarded == f.Forwarded(
        str(done.events[1].event_id), "fallback", done.events[1].data.partner_order_id
    )


async def test_every_partner_down_is_retried_later_not_failed(
    effects: Effects, partners: dict[str, PartnerProcess], http: httpx.AsyncClient
) -> None:
    for partner in partners.values():
        (await http.post(f"{partner.url}/_admin/mode", json={"mode": "error"})).raise_for_status()
    state, cause = await _paid_order(effects)
    done = await effects.perform(state, Forward("k-" + str(state.order_id)), cause)
    assert done.retry_later and [type(e) for e in done.events] == [o.OrderForwardAttemptFailed] * 2


async def test_refunds_go_through_stripe_and_hold_the_cap(effects: Effects) -> None:
    state, cause = await _paid_order(effects)
    request = uuid.uuid4()
    requested = apply(state, f.RefundRequested("req", request, 1500, datetime.now(UTC)))
    refund = next(a for a in next_actions(requested) if isinstance(a, IssueRefund))
    done = await effects.perform(requested, refund, cause)
    (issued,) = done.events
    assert isinstance(issued, o.OrderRefundIssued) and issued.data.refund_id.startswith("re_")
    after = _fold_events(requested, done)
    assert refund_exposure(after) == 1500
    assert not any(isinstance(a, IssueRefund) for a in next_actions(after))


async def test_a_forwarded_order_is_cancelled_at_the_partner_then_refunded(
    effects: Effects, partners: dict[str, PartnerProcess], http: httpx.AsyncClient
) -> None:
    state, cause = await _paid_order(effects)
    state = _fold_events(state, await effects.perform(state, next_actions(state)[0], cause))
    state = apply(state, f.CancellationRequested("cancel"))
    (cancel,) = next_actions(state)
    assert isinstance(cancel, CancelOrder) and cancel.partner == "primary"
    state = _fold_events(state, await effects.perform(state, cancel, cause))
    assert state.cancelled
    (refund,) = next_actions(state)
    assert isinstance(refund, IssueRefund) and refund.amount == 4200
    state = _fold_events(state, await effects.perform(state, refund, cause))
    assert next_actions(state) == ()
    found = (await http.get(f"{partners['primary'].url}/_admin/orders")).json()["data"]
    assert [x["status"] for x in found if x["reference"] == str(state.order_id)] == ["cancelled"]


async def test_a_cancellation_the_partner_already_shipped_is_rejected(
    effects: Effects, partners: dict[str, PartnerProcess], http: httpx.AsyncClient
) -> None:
    state, cause = await _paid_order(effects)
    state = _fold_events(state, await effects.perform(state, next_actions(state)[0], cause))
    assert state.forwarded is not None
    # Shipped at the partner, but its webhook has not reached us yet.
    ship = f"{partners['primary'].url}/_admin/orders/{state.forwarded.partner_order_id}/ship"
    (await http.post(ship, json={})).raise_for_status()
    state = apply(state, f.CancellationRequested("cancel"))
    done = await effects.perform(state, next_actions(state)[0], cause)
    assert [type(e) for e in done.events] == [o.OrderCancellationRejected]
    state = _fold_events(state, done)
    assert next_actions(state) == () and not state.cancelled
