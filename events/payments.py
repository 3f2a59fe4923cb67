"""Payments context: what Stripe told us, one event per verified webhook (shine.payments.v1).

Each event is keyed by the PaymentIntent id (payments, refunds) or the subscription id (subscriptions, invoices),
so one payment's or one subscription's events stay in order on one partition. The envelope's `event_id` is
`uuid5` of Stripe's event id: a webhook Stripe delivers twice becomes the same event twice, which every consumer's
dedupe drops. `stripe_created` (Stripe's clock, seconds) orders facts about the same object when they arrive out
of order.
"""

from __future__ import annotations

import uuid

from pydantic import Field

from events.envelope import Event, Payload

TOPIC_NAME = "shine.payments.v1"


class StripeFact(Payload):
    """Where a fact came from: the Stripe event that carried it."""

    stripe_event_id: str
    stripe_event_type: str
    stripe_created: int
    livemode: bool = False


class PaymentIntentData(StripeFact):
    payment_intent_id: str
    order_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    amount: int = Field(ge=0)
    amount_received: int = Field(default=0, ge=0)
    currency: str
    status: str
    latest_charge: str | None = None
    failure_code: str | None = None
    failure_message: str | None = None


class RefundSummary(Payload):
    refund_id: str
    amount: int = Field(ge=0)
    status: str


class ChargeRefundedData(StripeFact):
    payment_intent_id: str | None = None
    charge_id: str
    order_id: uuid.UUID | None = None
    amount: int = Field(ge=0)
    amount_refunded: int = Field(ge=0)
    currency: str
    refunds: tuple[RefundSummary, ...] = ()


class RefundData(StripeFact):
    refund_id: str
    payment_intent_id: str | None = None
    charge_id: str | None = None
    order_id: uuid.UUID | None = None
    amount: int = Field(ge=0)
    currency: str
    status: str
    reason: str | None = None
    failure_reason: str | None = None


class SubscriptionData(StripeFact):
    subscription_id: str
    customer_id: str
    user_id: uuid.UUID | None = None
    status: str
    price_id: str | None = None
    current_period_end: int | None = None
    cancel_at_period_end: bool = False
    canceled_at: int | None = None


class InvoiceData(StripeFact):
    invoice_id: str
    subscription_id: str | None = None
    customer_id: str | None = None
    user_id: uuid.UUID | None = None
    amount_due: int = Field(default=0, ge=0)
    amount_paid: int = Field(default=0, ge=0)
    currency: str
    status: str | None = None
    billing_reason: str | None = None
    period_end: int | None = None


class PaymentProcessingStarted(Event):
    """Stripe started processing a PaymentIntent (payment_intent.processing)."""

    TYPE = "payment.processing_started"
    data: PaymentIntentData


class PaymentSucceeded(Event):
    """A PaymentIntent succeeded: the money was received (payment_intent.succeeded)."""

    TYPE = "payment.succeeded"
    data: PaymentIntentData


class PaymentFailed(Event):
    """A payment attempt failed; the intent may still succeed later (payment_intent.payment_failed)."""

    TYPE = "payment.failed"
    data: PaymentIntentData


class PaymentCanceled(Event):
    """A PaymentIntent was canceled and can no longer be paid (payment_intent.canceled)."""

    TYPE = "payment.canceled"
    data: PaymentIntentData


class PaymentRefunded(Event):
    """A charge was refunded in full or in part; `amount_refunded` is cumulative (charge.refunded)."""

    TYPE = "payment.refunded"
    data: ChargeRefundedData


class RefundUpdated(Event):
    """A refund was created or changed status (refund.created, refund.updated)."""

    TYPE = "payment.refund_updated"
    data: RefundData


class SubscriptionCreated(Event):
    """A subscription was created (customer.subscription.created)."""

    TYPE = "subscription.created"
    data: SubscriptionData


class SubscriptionUpdated(Event):
    """A subscription changed: status, plan, renewal or scheduled cancellation (customer.subscription.updated)."""

    TYPE = "subscription.updated"
    data: SubscriptionData


class SubscriptionDeleted(Event):
    """A subscription ended for good (customer.subscription.deleted)."""

    TYPE = "subscription.deleted"
    data: SubscriptionData


class InvoicePaid(Event):
    """An invoice was paid, e.g. a subscription renewed (invoice.paid)."""

    TYPE = "invoice.paid"
    data: InvoiceData


class InvoicePaymentFailed(Event):
    """Paying an invoice failed, e.g. a renewal's card was declined (invoice.payment_failed)."""

    TYPE = "invoice.payment_failed"
    data: InvoiceData


PAYMENT_EVENTS: tuple[type[Event], ...] = (
    PaymentProcessingStarted,
    PaymentSucceeded,
    PaymentFailed,
    PaymentCanceled,
    PaymentRefunded,
    RefundUpdated,
    SubscriptionCreated,
    SubscriptionUpdated,
    SubscriptionDeleted,
    InvoicePaid,
    InvoicePaymentFailed,
)
