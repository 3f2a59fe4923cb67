"""Projection rows and timelines are functions of an order's events, whatever their order or repetition."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

from events import orders as o
from events import payments as p
from events.envelope import Event
from storage.orders import rows

ORDER, USER = uuid.uuid4(), uuid.uuid4()
T0 = datetime(2026, 5, 1, 12, 0, 0, 500_000, tzinfo=UTC)


def _placed() -> o.OrderPlaced:
    item = o.OrderItem(product_id=uuid.uuid4(), sku="A", quantity=2, unit_amount=700, total_amount=1400)
    data = o.OrderPlacedData(
        order_id=ORDER,
        user_id=USER,
        order_number="SH-1",
        items=(item,),
        amount=1400,
        currency="usd",
        payment_intent_id="pi_1",
    )
    return o.OrderPlaced(occurred_at=T0, source="t", subject=str(ORDER), correlation_id="c", data=data)


def _paid(created: int) -> p.PaymentSucceeded:
    data = p.PaymentIntentData(
        stripe_event_id="evt_1",
        stripe_event_type="payment_intent.succeeded",
        stripe_created=created,
        payment_intent_id="pi_1",
        order_id=ORDER,
        amount=1400,
        amount_received=1400,
        currency="usd",
        status="succeeded",
    )
    return p.PaymentSucceeded(
        occurred_at=datetime.fromtimestamp(created, UTC), source="t", subject="pi_1", correlation_id="c", data=data
    )


def _refund(status: str, created: int, amount: int = 400) -> p.RefundUpdated:
    data = p.RefundData(
        stripe_event_id=f"evt_r_{status}",
        stripe_event_type="refund.updated",
        stripe_created=created,
        refund_id="re_1",
        payment_intent_id="pi_1",
        order_id=ORDER,
        amount=amount,
        currency="usd",
        status=status,
    )
    return p.RefundUpdated(
        occurred_at=datetime.fromtimestamp(created, UTC), source="t", subject="pi_1", correlation_id="c", data=data
    )


def _shipped() -> o.OrderShipped:
    data = o.ShipmentData(
        order_id=ORDER,
        partner="primary",
        partner_order_id="po_1",
        partner_event_id="pevt_1",
        happened_at=T0 + timedelta(hours=2),
        carrier="DHL",
        tracking_number="TRK",
    )
    return o.OrderShipped(occurred_at=data.happened_at, source="t", subject=str(ORDER), correlation_id="c", data=data)


def _history() -> list[Event]:
    second = int(T0.timestamp())
    return [_placed(), _paid(second), _shipped(), _refund("pending", second + 10), _refund("succeeded", second + 20)]


def _all_rows(events: list[Event]) -> tuple[object, ...]:
    state = rows.order_state(ORDER, events)
    placed = rows.placed_event(events)
    assert placed is not None
    return (
        state.revision,
        rows.order_row(state, placed, events),
        rows.payment_row(state, placed, events),
        rows.refund_rows(state, "usd", events),
        rows.item_rows(placed),
    )


def test_rows_do_not_depend_on_arrival_order_or_repeats() -> None:
    history = _history()
    expected = _all_rows(history)
    rng = random.Random(5)
    for _ in range(30):
        shuffled = history + rng.sample(history, 3)
        rng.shuffle(shuffled)
        assert _all_rows(shuffled) == expected


def test_the_order_row_says_what_happened() -> None:
    history = _history()
    _, order, payment, refunds, items = _all_rows(history)
    assert isinstance(order, dict) and isinstance(payment, dict)
    assert order["order_status"] == "shipped" and order["payment_status"] == "partially_refunded"
    assert (order["paid_amount"], order["refunded_amount"], order["refundable_amount"]) == (1400, 400, 1000)
    assert order["carrier"] == "DHL" and order["tracking_number"] == "TRK"
    assert payment["processed_at"] == datetime.fromtimestamp(int(T0.timestamp()), UTC)
    assert refunds == [
        {
            "refund_id": "re_1",
            "order_id": ORDER,
            "amount": 400,
            "currency": "usd",
            "status": "succeeded",
            "created_at": datetime.fromtimestamp(int(T0.timestamp()) + 10, UTC),
        }
    ]
    assert isinstance(items, list) and items[0]["total_price"] == 1400


def test_no_rows_before_the_order_is_placed() -> None:
    assert rows.placed_event(_history()[1:]) is None


def test_the_timeline_puts_placement_first_within_stripes_whole_second() -> None:
    history = _history()
    # Stripe's second (12:00:00) is earlier than the placement (12:00:00.5): the life's order decides.
    labels = [entry["status"] for entry in rows.timeline(list(reversed(history)) + history)]
    assert labels == ["placed", "paid", "refund_updated", "refund_updated", "shipped"]
