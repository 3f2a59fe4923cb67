"""The stripe-events companion in front of a real stripe-mock: our own Stripe client pays, refunds and subscribes
through it, and the webhooks it sends pass Shine's real bridge (signature, mapping) with the right facts."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from consumers.fulfillment.domain import keys
from consumers.fulfillment.payments_client import PaymentRejected, PaymentsClient, StripeConfig
from events import payments as p
from events.envelope import Event
from infra.stripe_events.app import Memory, build_app
from infra.stripe_mock import TEST_API_KEY, StripeMock
from producers.payments.outcomes import Outcome, Publish, Rejected
from producers.payments.verification import WebhookSecrets
from producers.stripe_bridge import bridge
from tests.support.polling import eventually, until
from tests.support.services import free_port
from tests.support.serving import served

pytestmark = pytest.mark.integration
SECRET = "whsec_stripe_events_test"


@dataclass
class StripeReceiver:
    """Shine's Stripe webhook, verified and mapped by producers.stripe_bridge."""

    url: str
    outcomes: list[Outcome] = field(default_factory=list)
    refuse: bool = False

    def events(self) -> list[Event]:
        return [o.event for o in self.outcomes if isinstance(o, Publish)]

    async def wait_for(self, count: int, timeout: float = 10) -> list[Event]:
        await until(lambda: len(self.events()) >= count, timeout=timeout, every=0.05, what=f"{count} webhooks")
        return self.events()


@pytest.fixture
async def receiver() -> AsyncIterator[StripeReceiver]:
    port = free_port()
    found = StripeReceiver(f"http://127.0.0.1:{port}/webhooks/stripe")

    async def webhook(request: Request) -> Response:
        if found.refuse:
            return JSONResponse({"error": "down"}, status_code=503)
        outcome = bridge(await request.body(), request.headers.get("stripe-signature"), WebhookSecrets((SECRET,)))
        found.outcomes.append(outcome)
        return JSONResponse({}, status_code=400 if isinstance(outcome, Rejected) else 200)

    async with served(Starlette(routes=[Route("/webhooks/stripe", webhook, methods=["POST"])]), port):
        yield found


@pytest.fixture
async def proxy(stripe_mock: StripeMock, receiver: StripeReceiver) -> AsyncIterator[str]:
    async with served(build_app(stripe_mock.url, receiver.url, SECRET), free_port()) as url:
        yield url


@pytest.fixture
async def payments(proxy: str) -> AsyncIterator[PaymentsClient]:
    client = PaymentsClient(StripeConfig(TEST_API_KEY, proxy, timeout_seconds=5, max_network_retries=0))
    yield client
    await client.close()


async def test_a_card_payment_succeeds_and_refunds_never_exceed_it(
    payments: PaymentsClient, receiver: StripeReceiver
) -> None:
    order, user = uuid.uuid4(), uuid.uuid4()
    intent = await payments.create_intent(order, user, 4200, "usd")
    again = await payments.create_intent(order, user, 4200, "usd")  # the order's key: Stripe's first answer
    assert again.payment_intent_id == intent.payment_intent_id

    assert await payments.confirm_intent(intent.payment_intent_id, "pm_card_visa") == "succeeded"
    [paid] = await receiver.wait_for(1)
    assert isinstance(paid, p.PaymentSucceeded)
    assert (paid.data.order_id, paid.data.user_id, paid.data.amount_received) == (order, user, 4200)
    assert paid.data.payment_intent_id == intent.payment_intent_id

    first, second = uuid.uuid4(), uuid.uuid4()
    await payments.refund(intent.payment_intent_id, 1000, keys.refund_key(first), order, first)
    await payments.refund(intent.payment_intent_id, 1000, keys.refund_key(first), order, first)  # a retry
    await payments.refund(intent.payment_intent_id, 3200, keys.refund_key(second), order, second)
    with pytest.raises(PaymentRejected):
        await payments.refund(intent.payment_intent_id, 1, keys.refund_key(uuid.uuid4()), order, None)
    events = await receiver.wait_for(5)
    refunded = [e for e in events if isinstance(e, p.PaymentRefunded)]
    assert [e.data.amount_refunded for e in refunded] == [1000, 4200]
    assert all(e.data.order_id == order for e in refunded)
    assert sorted(e.data.amount for e in events if isinstance(e, p.RefundUpdated)) == [1000, 3200]
    assert not any(isinstance(o, Rejected) for o in receiver.outcomes)


async def test_a_declining_card_fails_and_a_succeeded_intent_cannot_be_cancelled(
    payments: PaymentsClient, receiver: StripeReceiver
) -> None:
    intent = await payments.create_intent(uuid.uuid4(), uuid.uuid4(), 900, "eur")
    assert (
        await payments.confirm_intent(intent.payment_intent_id, "pm_card_chargeDeclined") == "requires_payment_method"
    )
    [failed] = await receiver.wait_for(1)
    assert isinstance(failed, p.PaymentFailed) and failed.data.failure_code == "generic_decline"
    assert await payments.confirm_intent(intent.payment_intent_id, "pm_card_visa") == "succeeded"
    await receiver.wait_for(2)
    assert await payments.cancel_intent(intent.payment_intent_id) == "not_cancellable"

    unpaid = await payments.create_intent(uuid.uuid4(), uuid.uuid4(), 900, "eur")
    assert await payments.cancel_intent(unpaid.payment_intent_id) == "canceled"
    assert isinstance((await receiver.wait_for(3))[-1], p.PaymentCanceled)


async def test_a_subscription_starts_paid_and_ends(payments: PaymentsClient, receiver: StripeReceiver) -> None:
    user = uuid.uuid4()
    customer = await payments.create_customer(user)
    sub = await payments.subscribe(customer, "price_shine_premium_monthly", user, uuid.uuid4())
    created, paid = await receiver.wait_for(2)
    assert isinstance(created, p.SubscriptionCreated) and created.data.user_id == user
    assert (created.data.status, created.data.price_id) == ("active", "price_shine_premium_monthly")
    assert isinstance(paid, p.InvoicePaid) and paid.data.subscription_id == sub.subscription_id
    assert paid.data.user_id == user
    assert (await payments.cancel_subscription(sub.subscription_id)).cancel_at_period_end
    await payments.cancel_subscription(sub.subscription_id, at_period_end=False)
    updated, deleted = (await receiver.wait_for(4))[2:]
    assert isinstance(updated, p.SubscriptionUpdated) and updated.data.cancel_at_period_end
    assert isinstance(deleted, p.SubscriptionDeleted) and deleted.data.status == "canceled"


async def _deliveries(proxy: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(trust_env=False) as http:
        return list((await http.get(f"{proxy}/_events")).json()["data"])


async def test_webhooks_are_retried_until_shine_takes_them(
    proxy: str, payments: PaymentsClient, receiver: StripeReceiver
) -> None:
    receiver.refuse = True
    intent = await payments.create_intent(uuid.uuid4(), uuid.uuid4(), 500, "usd")
    await payments.confirm_intent(intent.payment_intent_id, "pm_card_visa")

    async def refused_twice() -> bool:
        return any(d["attempts"] >= 2 and not d["delivered"] for d in await _deliveries(proxy))

    await eventually(refused_twice, timeout=10, what="a webhook refused and tried again")
    assert receiver.events() == []
    receiver.refuse = False
    [paid] = await receiver.wait_for(1)
    assert isinstance(paid, p.PaymentSucceeded)


async def test_the_proxy_lists_its_deliveries(proxy: str, payments: PaymentsClient, receiver: StripeReceiver) -> None:
    intent = await payments.create_intent(uuid.uuid4(), uuid.uuid4(), 500, "usd")
    await payments.confirm_intent(intent.payment_intent_id, "pm_card_visa")
    await receiver.wait_for(1)
    listed = await _deliveries(proxy)
    assert [(d["type"], d["delivered"]) for d in listed] == [("payment_intent.succeeded", True)]


async def test_what_it_remembers_survives_a_restart(
    stripe_mock: StripeMock, receiver: StripeReceiver, tmp_path: Path
) -> None:
    state = tmp_path / "stripe-events.json"
    config = {"timeout_seconds": 5, "max_network_retries": 0}
    order, user = uuid.uuid4(), uuid.uuid4()
    async with served(build_app(stripe_mock.url, receiver.url, SECRET, Memory.load(state)), free_port()) as url:
        before = PaymentsClient(StripeConfig(TEST_API_KEY, url, **config))
        intent = await before.create_intent(order, user, 1200, "usd")
        await before.close()
    async with served(build_app(stripe_mock.url, receiver.url, SECRET, Memory.load(state)), free_port()) as url:
        after = PaymentsClient(StripeConfig(TEST_API_KEY, url, **config))
        assert (await after.create_intent(order, user, 1200, "usd")).payment_intent_id == intent.payment_intent_id
        assert await after.confirm_intent(intent.payment_intent_id, "pm_card_visa") == "succeeded"
        await after.close()
    [paid] = await receiver.wait_for(1)
    assert isinstance(paid, p.PaymentSucceeded) and (paid.data.order_id, paid.data.amount) == (order, 1200)
