"""Premium plans through Stripe: subscribe, read the status, cancel (the webhooks fold the tier)."""

from __future__ import annotations

import uuid

from api_edge.errors import ApiError
from api_edge.payments.deps import PaymentsDeps
from api_edge.platform.idempotency import Answer
from api_edge.platform.idempotency_rules import derived_id, fingerprint
from api_edge.users.session_rules import Principal
from schemas.payments import CancelSubscriptionRequest, SubscribeRequest, SubscriptionView
from storage.orders import queries


async def subscribe(deps: PaymentsDeps, who: Principal, request: SubscribeRequest, key: str | None) -> Answer:
    """Start a premium subscription (201, `incomplete` until its first invoice is paid)."""
    print_ = fingerprint("subscriptions.create", request.model_dump_json().encode())

    async def work() -> Answer:
        request_id = derived_id(who.user_id, key, "subscription") if key else uuid.uuid4()
        customer = await deps.call_stripe(deps.stripe.create_customer(who.user_id))
        price = request.price_id or deps.premium_price_id
        sub = await deps.call_stripe(deps.stripe.subscribe(customer, price, who.user_id, request_id))
        view = SubscriptionView(
            subscription_id=sub.subscription_id,
            status=sub.status,
            tier="premium" if who.role == "premium" else "free",
            cancel_at_period_end=sub.cancel_at_period_end,
        )
        return Answer(201, view.model_dump(mode="json"))

    return await deps.idempotency.once(who.user_id, key, "subscriptions.create", print_, work)


async def status(deps: PaymentsDeps, who: Principal) -> SubscriptionView:
    """The caller's subscription as the webhooks left it, and their tier."""
    async with deps.db.reading() as conn:
        found = await queries.user_subscriptions(conn, who.user_id)
    tier = "premium" if who.role == "premium" else "free"
    if not found:
        return SubscriptionView(subscription_id=None, status="none", tier=tier)
    sub = found[0]
    return SubscriptionView(
        subscription_id=sub["subscription_id"],
        status=sub["status"],
        tier=tier,
        cancel_at_period_end=sub["cancel_at_period_end"],
        current_period_end=sub["current_period_end"],
        renewal_failed=sub["renewal_failed"],
    )


async def cancel(deps: PaymentsDeps, who: Principal, request: CancelSubscriptionRequest) -> SubscriptionView:
    """Cancel the caller's live subscription (at the period's end by default)."""
    async with deps.db.reading() as conn:
        found = [s for s in await queries.user_subscriptions(conn, who.user_id) if s["status"] != "canceled"]
    if not found:
        raise ApiError(404, "NOT_FOUND", "You have no subscription to cancel.")
    sub = await deps.call_stripe(deps.stripe.cancel_subscription(found[0]["subscription_id"], request.at_period_end))
    return SubscriptionView(
        subscription_id=sub.subscription_id,
        status=sub.status,
        tier="premium" if who.role == "premium" else "free",
        cancel_at_period_end=sub.cancel_at_period_end,
    )
