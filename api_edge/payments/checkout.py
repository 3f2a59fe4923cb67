"""Checkout: price the cart from the catalog, create the order's PaymentIntent, publish order.placed; confirm."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from api_edge.errors import ApiError
from api_edge.payments.deps import PaymentsDeps
from api_edge.platform.idempotency import Answer
from api_edge.platform.idempotency_rules import derived_id, fingerprint
from api_edge.users.session_rules import Principal
from events.orders import OrderItem, OrderPlaced, OrderPlacedData
from events.topics import ORDERS
from schemas.payments import ConfirmRequest, ConfirmResponse, CreateIntentRequest, CreateIntentResponse
from storage.orders import queries
from storage.orders.folds import fold_order_event

log = logging.getLogger(__name__)
SOURCE = "shine.edge"
OPERATION = "payments.create_intent"


def order_number(order_id: uuid.UUID, at: datetime) -> str:
    """A short human order number (unique: it carries the order id's first 48 bits)."""
    return f"SH-{at:%Y%m%d}-{order_id.hex[:12].upper()}"


async def _price(deps: PaymentsDeps, request: CreateIntentRequest) -> tuple[list[OrderItem], int, str]:
    wanted: dict[uuid.UUID, int] = {}
    for line in request.order_items:
        wanted[line.product_id] = wanted.get(line.product_id, 0) + line.quantity
    async with deps.db.reading() as conn:
        prices = await queries.catalog_prices(conn, list(wanted))
    missing = [str(p) for p in wanted if p not in prices]
    if missing:
        raise ApiError(422, "UNKNOWN_PRODUCT", "Some products are not in the catalog.", {"product_ids": missing})
    unavailable = [str(p) for p in wanted if not prices[p].available]
    if unavailable:
        raise ApiError(409, "PRODUCT_UNAVAILABLE", "Some products cannot be bought now.", {"product_ids": unavailable})
    currencies = {prices[p].currency.lower() for p in wanted}
    if currencies != {request.currency.lower()}:
        raise ApiError(
            422, "CURRENCY_MISMATCH", "The products are not sold in this currency.", {"currencies": sorted(currencies)}
        )
    items = [
        OrderItem(
            product_id=p,
            sku=prices[p].sku,
            quantity=q,
            unit_amount=prices[p].unit_amount,
            total_amount=prices[p].unit_amount * q,
        )
        for p, q in wanted.items()
    ]
    return items, sum(i.total_amount for i in items), request.currency.lower()


async def create_intent(
    deps: PaymentsDeps, who: Principal, request: CreateIntentRequest, key: str | None, cid: str
) -> Answer:
    """Place an order at catalog prices and create its PaymentIntent (201), once per Idempotency-Key."""
    print_ = fingerprint(OPERATION, request.model_dump_json().encode())

    async def work() -> Answer:
        return await _create(deps, who, request, key, cid)

    return await deps.idempotency.once(who.user_id, key, OPERATION, print_, work)


async def _create(
    deps: PaymentsDeps, who: Principal, request: CreateIntentRequest, key: str | None, cid: str
) -> Answer:
    items, total, currency = await _price(deps, request)
    if request.amount != total:
        raise ApiError(
            422,
            "AMOUNT_MISMATCH",
            "The amount differs from the catalog's total for these items.",
            {"expected_amount": total, "currency": currency},
        )
    deps.bus.ensure_connected()  # refuse before creating a PaymentIntent nobody will hear of
    order_id = derived_id(who.user_id, key, "order") if key else uuid.uuid4()
    intent = await deps.call_stripe(deps.stripe.create_intent(order_id, who.user_id, total, currency))
    now = datetime.now(UTC)
    number = order_number(order_id, now)
    event = OrderPlaced(
        event_id=uuid.uuid5(order_id, "order.placed"),
        occurred_at=now,
        source=SOURCE,
        subject=str(order_id),
        correlation_id=cid,
        data=OrderPlacedData(
            order_id=order_id,
            user_id=who.user_id,
            order_number=number,
            items=tuple(items),
            amount=total,
            currency=currency,
            payment_intent_id=intent.payment_intent_id,
        ),
    )

    async def project() -> None:
        await _project(deps, event)

    async def forget() -> None:
        log.warning("order.placed lost; the PaymentIntent stays unpaid", extra={"order_id": str(order_id)})

    await deps.bus.publish(ORDERS, event, on_late=project, on_lost=forget)
    await _project(deps, event)
    body = CreateIntentResponse(
        payment_intent_id=intent.payment_intent_id,
        client_secret=intent.client_secret,
        status=intent.status,
        amount=total,
        currency=currency,
        order_id=order_id,
        order_number=number,
    )
    return Answer(201, body.model_dump(mode="json"), {"Location": f"{deps.public_url}/orders/{order_id}"})


async def _project(deps: PaymentsDeps, event: OrderPlaced) -> None:
    # Read-your-write only: the projector folds the same event (the fold is idempotent).
    try:
        async with deps.db.transaction() as conn:
            await fold_order_event(conn, event)
    except Exception:
        log.warning("read-your-write projection of order.placed failed", exc_info=True)


async def confirm(deps: PaymentsDeps, who: Principal, request: ConfirmRequest) -> ConfirmResponse:
    """Confirm the caller's PaymentIntent with a payment method id; the outcome itself comes by webhook."""
    async with deps.db.reading() as conn:
        order = await queries.order_by_intent(conn, request.payment_intent_id)
    if order is None or order["user_id"] != who.user_id:
        raise ApiError(404, "NOT_FOUND", "No such payment.")
    stripe_status = await deps.call_stripe(
        deps.stripe.confirm_intent(request.payment_intent_id, request.payment_method_id)
    )
    # Our record wins once the webhook has told us the payment's fate; until then, Stripe's word.
    status = order["payment_status"] if order["payment_status"] != "pending" else stripe_status
    return ConfirmResponse(
        payment_status=status,
        order_id=order["id"],
        receipt_url=f"{deps.public_url}/orders/{order['id']}",
        fulfillment_status=order["fulfillment_status"],
    )
