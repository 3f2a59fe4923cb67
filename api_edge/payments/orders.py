"""A user's orders and payments (reads), and asking to cancel or refund one (events the consumer acts on)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import RowMapping

from api_edge.errors import ApiError
from api_edge.payments.deps import PaymentsDeps
from api_edge.platform.idempotency import Answer
from api_edge.platform.idempotency_rules import derived_id, fingerprint
from api_edge.users.session_rules import Principal
from events.codec import decode
from events.envelope import Event
from events.orders import (
    CancellationRequestedData,
    OrderCancellationRequested,
    OrderRefundRequested,
    RefundRequestedData,
)
from events.registry import REGISTRY
from events.topics import ORDERS
from schemas.payments import (
    Accepted,
    CancelRequest,
    ItemView,
    OrderDetail,
    OrderPage,
    OrdersQuery,
    OrderSummary,
    PaymentHistory,
    PaymentRecord,
    PaymentsQuery,
    RefundRequest,
    RefundView,
    TimelineEntry,
)
from storage.orders import queries
from storage.orders.rows import timeline

SOURCE = "shine.edge"
CLOSED = ("shipped", "delivered", "cancelled")


def _summary(row: RowMapping) -> dict[str, Any]:
    return {
        "order_id": row["id"],
        "order_number": row["order_number"],
        "order_status": row["order_status"],
        "payment_status": row["payment_status"],
        "fulfillment_status": row["fulfillment_status"],
        "total_amount": row["total_amount"],
        "currency": row["currency"],
        "paid_amount": row["paid_amount"],
        "refunded_amount": row["refunded_amount"],
        "created_at": row["created_at"],
    }


async def list_orders(deps: PaymentsDeps, who: Principal, query: OrdersQuery) -> OrderPage:
    """The caller's orders, newest first."""
    offset = (query.page - 1) * query.limit
    async with deps.db.reading() as conn:
        rows, total = await queries.user_orders(conn, who.user_id, query.status, offset, query.limit)
    return OrderPage(
        orders=[OrderSummary(**_summary(r)) for r in rows],
        total_count=total,
        page=query.page,
        has_more=offset + len(rows) < total,
    )


async def _visible(deps: PaymentsDeps, who: Principal, order_id: uuid.UUID) -> RowMapping:
    """The order if the caller owns it (or is an admin); 404 otherwise, so ids cannot be probed."""
    async with deps.db.reading() as conn:
        row = await queries.order_row(conn, order_id)
    if row is None or (row["user_id"] != who.user_id and who.role != "admin"):
        raise ApiError(404, "NOT_FOUND", "No such order.")
    return row


def _events(bodies: list[dict[str, Any]]) -> list[Event]:
    events = [decode(json.dumps(b).encode(), REGISTRY) for b in bodies]
    return [e for e in events if e is not None]


async def order_detail(deps: PaymentsDeps, who: Principal, order_id: uuid.UUID) -> OrderDetail:
    """One order with its items, refunds and status timeline."""
    row = await _visible(deps, who, order_id)
    async with deps.db.reading() as conn:
        items = await queries.items_of(conn, order_id)
        refunds = await queries.refunds_of(conn, order_id)
        bodies = await queries.fact_bodies(conn, order_id)
    return OrderDetail(
        **_summary(row),
        refundable_amount=row["refundable_amount"],
        payment_intent_id=row["payment_intent_id"],
        partner=row["partner"],
        tracking_number=row["tracking_number"],
        carrier=row["carrier"],
        items=[
            ItemView(
                product_id=i["product_id"],
                sku=i["sku"],
                quantity=i["quantity"],
                unit_price=i["unit_price"],
                total_price=i["total_price"],
            )
            for i in items
        ],
        refunds=[
            RefundView(refund_id=r["refund_id"], amount=r["amount"], status=r["status"], created_at=r["created_at"])
            for r in refunds
        ],
        timeline=[TimelineEntry(**entry) for entry in timeline(_events(bodies))],
    )


async def payment_history(deps: PaymentsDeps, who: Principal, query: PaymentsQuery) -> PaymentHistory:
    """The caller's payments, newest first, with the total of every matching payment."""
    offset = (query.page - 1) * query.limit
    async with deps.db.reading() as conn:
        rows, total, amount = await queries.user_payments(conn, who.user_id, query.status_filter, offset, query.limit)
    records = [
        PaymentRecord(
            payment_id=r["id"],
            order_id=r["order_id"],
            payment_intent_id=r["stripe_payment_intent_id"],
            amount=r["amount"],
            currency=r["currency"],
            payment_status=r["payment_status"],
            refunded_amount=r["refunded_amount"],
            processed_at=r["processed_at"],
            created_at=r["created_at"],
        )
        for r in rows
    ]
    return PaymentHistory(payments=records, total_amount=amount, total_count=total, has_more=offset + len(rows) < total)


async def _publish(deps: PaymentsDeps, event: Event) -> None:
    async def nothing() -> None:
        return None

    await deps.bus.publish(ORDERS, event, on_late=nothing, on_lost=nothing)


async def cancel(
    deps: PaymentsDeps, who: Principal, order_id: uuid.UUID, request: CancelRequest, key: str | None, cid: str
) -> Answer:
    """Ask to cancel an order before shipment (202); the fulfillment consumer cancels at the partner and refunds."""
    row = await _visible(deps, who, order_id)
    if row["fulfillment_status"] in CLOSED or row["order_status"] in ("cancelled", "refunded"):
        raise ApiError(409, "ORDER_NOT_CANCELLABLE", f"The order is {row['order_status']}; it cannot be cancelled.")
    print_ = fingerprint("orders.cancel", order_id.bytes, request.model_dump_json().encode())

    async def work() -> Answer:
        event_id = derived_id(who.user_id, key, f"cancel/{order_id}") if key else uuid.uuid4()
        event = OrderCancellationRequested(
            event_id=event_id,
            source=SOURCE,
            subject=str(order_id),
            correlation_id=cid,
            data=CancellationRequestedData(order_id=order_id, requested_by=who.user_id, reason=request.reason),
        )
        await _publish(deps, event)
        return Answer(202, Accepted(order_id=order_id, status="cancellation_requested").model_dump(mode="json"))

    return await deps.idempotency.once(who.user_id, key, "orders.cancel", print_, work)


async def refund(
    deps: PaymentsDeps, who: Principal, order_id: uuid.UUID, request: RefundRequest, key: str | None, cid: str
) -> Answer:
    """Ask for a full or partial refund (202): the owner within the return window, or an admin."""
    row = await _visible(deps, who, order_id)
    if row["paid_amount"] <= 0:
        raise ApiError(409, "ORDER_NOT_PAID", "Nothing has been paid for this order.")
    if who.role != "admin":
        since = row["shipped_at"] or row["paid_at"] or row["created_at"]
        if since is not None and datetime.now(UTC) - since > deps.return_window:
            raise ApiError(
                409, "RETURN_WINDOW_CLOSED", "The return window has closed; an administrator can still refund."
            )
    amount = request.amount if request.amount is not None else row["refundable_amount"]
    if amount <= 0 or amount > row["refundable_amount"]:
        raise ApiError(
            422,
            "REFUND_EXCEEDS_REFUNDABLE",
            "The amount is more than what can still be refunded.",
            {"refundable_amount": row["refundable_amount"]},
        )
    print_ = fingerprint("orders.refund", order_id.bytes, request.model_dump_json().encode())

    async def work() -> Answer:
        request_id = derived_id(who.user_id, key, f"refund/{order_id}") if key else uuid.uuid4()
        event = OrderRefundRequested(
            event_id=uuid.uuid5(request_id, "order.refund_requested"),
            source=SOURCE,
            subject=str(order_id),
            correlation_id=cid,
            data=RefundRequestedData(
                order_id=order_id,
                refund_request_id=request_id,
                amount=amount,
                currency=row["currency"],
                requested_by=who.user_id,
                reason=request.reason,
            ),
        )
        await _publish(deps, event)
        body = Accepted(order_id=order_id, status="refund_requested", refund_request_id=request_id, amount=amount)
        return Answer(202, body.model_dump(mode="json"))

    return await deps.idempotency.once(who.user_id, key, "orders.refund", print_, work)
