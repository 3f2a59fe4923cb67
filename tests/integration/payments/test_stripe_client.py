"""The Stripe wrapper against a real stripe-mock: idempotency keys derived from the order, refunds, plans."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from consumers.fulfillment.domain import keys
from consumers.fulfillment.payments_client import (
    PaymentRejected,
    PaymentsClient,
    PaymentsUnavailable,
    StripeConfig,
    intent_params,
)
from infra.stripe_mock import TEST_API_KEY, StripeMock, local_webhook_secret
from tests.support.services import free_port

pytestmark = pytest.mark.integration


@pytest.fixture
async def payments(stripe_mock: StripeMock) -> AsyncIterator[PaymentsClient]:
    client = PaymentsClient(StripeConfig(TEST_API_KEY, stripe_mock.url, timeout_seconds=5, max_network_retries=0))
    yield client
    await client.close()


async def test_creating_an_orders_intent_twice_sends_the_same_idempotency_key(payments: PaymentsClient) -> None:
    order, user = uuid.uuid4(), uuid.uuid4()
    first = await payments.create_intent(order, user, 4200, "EUR")
    again = await payments.create_intent(order, user, 4200, "EUR")
    other = await payments.create_intent(uuid.uuid4(), user, 4200, "EUR")
    assert first.idempotency_key == again.idempotency_key == keys.payment_intent_key(order)
    assert other.idempotency_key != first.idempotency_key
    assert (first.amount, first.currency, first.status) == (4200, "eur", "requires_payment_method")
    assert first.payment_intent_id.startswith("pi_") and first.client_secret


def test_the_intent_carries_our_order_in_its_metadata() -> None:
    order, user = uuid.uuid4(), uuid.uuid4()
    params = intent_params(order, user, 999, "USD")
    assert params["metadata"] == {"order_id": str(order), "user_id": str(user)}
    assert (params["amount"], params["currency"]) == (999, "usd")


async def test_a_partial_refund_is_created_once_per_key(payments: PaymentsClient) -> None:
    intent = await payments.create_intent(uuid.uuid4(), uuid.uuid4(), 5000, "eur")
    request = uuid.uuid4()
    refund = await payments.refund(intent.payment_intent_id, 1500, keys.refund_key(request), uuid.uuid4(), request)
    assert refund.refund_id.startswith("re_")
    assert (refund.amount, refund.idempotency_key) == (1500, keys.refund_key(request))


async def test_an_unpaid_intent_can_be_cancelled(payments: PaymentsClient) -> None:
    intent = await payments.create_intent(uuid.uuid4(), uuid.uuid4(), 100, "eur")
    assert await payments.cancel_intent(intent.payment_intent_id) in ("canceled", "requires_payment_method")


async def test_a_premium_subscription_is_created_and_cancelled(payments: PaymentsClient) -> None:
    user = uuid.uuid4()
    customer = await payments.create_customer(user)
    sub = await payments.subscribe(customer, "price_premium_monthly", user, uuid.uuid4())
    assert sub.subscription_id.startswith("sub_")
    ending = await payments.cancel_subscription(sub.subscription_id)
    assert ending.cancel_at_period_end is True
    now = await payments.cancel_subscription(sub.subscription_id, at_period_end=False)
    assert now.subscription_id.startswith("sub_")


async def test_a_request_stripe_refuses_is_a_rejection(payments: PaymentsClient) -> None:
    with pytest.raises(PaymentRejected) as refused:
        # Beyond the API's integer range: stripe-mock validates requests against Stripe's OpenAPI spec.
        await payments.create_intent(uuid.uuid4(), uuid.uuid4(), 2**70, "eur")
    assert refused.value.status == 400


async def test_an_unreachable_stripe_is_unavailable_not_a_rejection() -> None:
    closed = PaymentsClient(StripeConfig(TEST_API_KEY, f"http://127.0.0.1:{free_port()}", 2, max_network_retries=0))
    try:
        with pytest.raises(PaymentsUnavailable):
            await closed.create_intent(uuid.uuid4(), uuid.uuid4(), 100, "eur")
    finally:
        await closed.close()


def test_the_local_webhook_secret_is_made_once_and_kept_private(tmp_path: Path) -> None:
    secret = local_webhook_secret(tmp_path)
    assert secret.startswith("whsec_") and len(secret) > 40
    assert local_webhook_secret(tmp_path) == secret
    assert (tmp_path / "secrets" / "stripe-webhook").stat().st_mode & 0o077 == 0
    assert local_webhook_secret(tmp_path / "other") != secret
    assert local_webhook_secret(tmp_path, "partner-primary") not in (secret, local_webhook_secret(tmp_path / "other"))
