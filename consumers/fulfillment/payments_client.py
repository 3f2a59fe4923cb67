"""A thin async wrapper over Stripe's client: every creating call carries an idempotency key derived from its cause.

Works against Stripe itself or a local stripe-mock (`api_base`). No card data passes through here: the client
confirms the PaymentIntent with its `client_secret`, and the outcome reaches us through the signed webhook.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import stripe
from stripe.params import (
    CustomerCreateParams,
    PaymentIntentConfirmParams,
    PaymentIntentCreateParams,
    RefundCreateParams,
    SubscriptionCreateParams,
)

from consumers.fulfillment.domain import keys


@dataclass(frozen=True)
class StripeConfig:
    """How to reach Stripe (api_base None: Stripe itself) and how long to wait."""

    api_key: str
    api_base: str | None = None
    timeout_seconds: float = 10.0
    max_network_retries: int = 2


class PaymentsUnavailable(RuntimeError):
    """Stripe could not be reached or failed on its side: retry later with the same idempotency key."""


class PaymentRejected(RuntimeError):
    """Stripe refused the request itself (invalid, declined, not allowed): retrying will not help."""

    def __init__(self, message: str, code: str | None, status: int | None) -> None:
        super().__init__(message)
        self.code, self.status = code, status


@dataclass(frozen=True)
class IntentCreated:
    payment_intent_id: str
    client_secret: str
    status: str
    amount: int
    currency: str
    idempotency_key: str | None  # as Stripe acknowledged it in its answer's Idempotency-Key header


@dataclass(frozen=True)
class RefundCreated:
    refund_id: str
    amount: int
    status: str
    idempotency_key: str | None


@dataclass(frozen=True)
class SubscriptionState:
    subscription_id: str
    status: str
    cancel_at_period_end: bool


def intent_params(order_id: uuid.UUID, user_id: uuid.UUID, amount: int, currency: str) -> PaymentIntentCreateParams:
    """PaymentIntent parameters: the amount from our catalog, our ids in its metadata for the webhook."""
    return {
        "amount": amount,
        "currency": currency.lower(),
        "metadata": {"order_id": str(order_id), "user_id": str(user_id)},
        "automatic_payment_methods": {"enabled": True},
    }


def refund_params(
    payment_intent_id: str, amount: int, order_id: uuid.UUID, request_id: uuid.UUID | None
) -> RefundCreateParams:
    """Refund parameters; metadata ties refund webhooks back to the order and the request."""
    metadata = {"order_id": str(order_id)} | ({"refund_request_id": str(request_id)} if request_id else {})
    return {"payment_intent": payment_intent_id, "amount": amount, "metadata": metadata}


def _translate(error: stripe.StripeError) -> Exception:
    """Transient (connection, rate limit, Stripe's 5xx) or a refusal."""
    status = error.http_status
    if isinstance(error, stripe.APIConnectionError | stripe.RateLimitError) or (status is not None and status >= 500):
        return PaymentsUnavailable(f"stripe unavailable: {error.user_message or error}")
    return PaymentRejected(str(error.user_message or error), error.code, status)


def _acknowledged_key(obj: stripe.StripeObject) -> str | None:
    response = obj.last_response
    return response.headers.get("idempotency-key") if response is not None else None


class PaymentsClient:
    """The Stripe calls the payments use cases make."""

    def __init__(self, config: StripeConfig) -> None:
        self._http = stripe.HTTPXClient(timeout=config.timeout_seconds)
        self._stripe = stripe.StripeClient(
            config.api_key,
            base_addresses={"api": config.api_base or stripe.DEFAULT_API_BASE},
            http_client=self._http,
            max_network_retries=config.max_network_retries,
        )

    async def create_intent(self, order_id: uuid.UUID, user_id: uuid.UUID, amount: int, currency: str) -> IntentCreated:
        """The order's PaymentIntent; asking again for the same order gets the same intent from Stripe."""
        options: stripe.RequestOptions = {"idempotency_key": keys.payment_intent_key(order_id)}
        try:
            intent = await self._stripe.v1.payment_intents.create_async(
                intent_params(order_id, user_id, amount, currency), options
            )
        except stripe.StripeError as error:
            raise _translate(error) from error
        secret = intent.client_secret or ""
        acknowledged = _acknowledged_key(intent)
        return IntentCreated(intent.id, secret, intent.status, intent.amount, intent.currency, acknowledged)

    async def confirm_intent(self, payment_intent_id: str, payment_method: str | None) -> str:
        """Confirm an intent with a payment method id (never card data), or read it: its status after."""
        try:
            if payment_method:
                params: PaymentIntentConfirmParams = {"payment_method": payment_method}
                intent = await self._stripe.v1.payment_intents.confirm_async(payment_intent_id, params)
            else:
                intent = await self._stripe.v1.payment_intents.retrieve_async(payment_intent_id)
        except stripe.StripeError as error:
            raise _translate(error) from error
        return str(intent.status)

    async def cancel_intent(self, payment_intent_id: str) -> str:
        """Cancel an unpaid intent: its status after, or `not_cancellable` once it succeeded or is processing."""
        try:
            intent = await self._stripe.v1.payment_intents.cancel_async(
                payment_intent_id, {"cancellation_reason": "requested_by_customer"}
            )
        except stripe.InvalidRequestError as error:
            if error.code == "payment_intent_unexpected_state":
                return "not_cancellable"
            raise _translate(error) from error
        except stripe.StripeError as error:
            raise _translate(error) from error
        return str(intent.status)

    async def refund(
        self,
        payment_intent_id: str,
        amount: int,
        idempotency_key: str,
        order_id: uuid.UUID,
        request_id: uuid.UUID | None,
    ) -> RefundCreated:
        """A full or partial refund of the intent's charge, once per idempotency key."""
        params = refund_params(payment_intent_id, amount, order_id, request_id)
        try:
            created = await self._stripe.v1.refunds.create_async(params, {"idempotency_key": idempotency_key})
        except stripe.StripeError as error:
            raise _translate(error) from error
        return RefundCreated(created.id, created.amount, str(created.status), _acknowledged_key(created))

    async def create_customer(self, user_id: uuid.UUID) -> str:
        """A Stripe customer for a user (one per user: the key is the user id)."""
        params: CustomerCreateParams = {"metadata": {"user_id": str(user_id)}}
        try:
            customer = await self._stripe.v1.customers.create_async(
                params, {"idempotency_key": keys.customer_key(user_id)}
            )
        except stripe.StripeError as error:
            raise _translate(error) from error
        return customer.id

    async def subscribe(
        self, customer_id: str, price_id: str, user_id: uuid.UUID, request_id: uuid.UUID
    ) -> SubscriptionState:
        """A premium subscription, incomplete until its first invoice is paid (the webhook tells us)."""
        params: SubscriptionCreateParams = {
            "customer": customer_id,
            "items": [{"price": price_id}],
            "metadata": {"user_id": str(user_id)},
            "payment_behavior": "default_incomplete",
        }
        options: stripe.RequestOptions = {"idempotency_key": keys.subscription_key(user_id, request_id)}
        try:
            sub = await self._stripe.v1.subscriptions.create_async(params, options)
        except stripe.StripeError as error:
            raise _translate(error) from error
        return SubscriptionState(sub.id, sub.status, bool(sub.cancel_at_period_end))

    async def cancel_subscription(self, subscription_id: str, at_period_end: bool = True) -> SubscriptionState:
        """End a subscription: at the end of the paid period (the default), or now."""
        try:
            if at_period_end:
                sub = await self._stripe.v1.subscriptions.update_async(subscription_id, {"cancel_at_period_end": True})
            else:
                sub = await self._stripe.v1.subscriptions.cancel_async(subscription_id)
        except stripe.StripeError as error:
            raise _translate(error) from error
        return SubscriptionState(sub.id, sub.status, bool(sub.cancel_at_period_end))

    async def close(self) -> None:
        """Close the HTTP connections."""
        # stripe's HTTP client leaves this method unannotated.
        await self._http.close_async()  # type: ignore[no-untyped-call]
