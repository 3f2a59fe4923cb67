"""HTTP models of payments, orders, subscriptions and revenue reports (amounts in integer minor units)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.history import Period

Text = Field(default="", max_length=500)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrderLine(Strict):
    product_id: uuid.UUID
    quantity: int = Field(default=1, ge=1, le=100)


class CreateIntentRequest(Strict):
    amount: int = Field(ge=1, le=99_999_999, description="The total you expect to pay, in minor units (cents)")
    currency: str = Field(pattern="^[A-Za-z]{3}$")
    payment_method: str | None = Field(default=None, max_length=255, description="A payment method type or id")
    order_items: list[OrderLine] = Field(min_length=1, max_length=50)


class CreateIntentResponse(Strict):
    payment_intent_id: str
    client_secret: str
    status: str
    amount: int
    currency: str
    order_id: uuid.UUID
    order_number: str


class ConfirmRequest(Strict):
    payment_intent_id: str = Field(min_length=1, max_length=255)
    payment_method_id: str | None = Field(default=None, max_length=255)


class ConfirmResponse(Strict):
    payment_status: str
    order_id: uuid.UUID
    receipt_url: str
    fulfillment_status: str


class PaymentsQuery(Strict):
    page: int = Field(default=1, ge=1, le=100_000)
    limit: int = Field(default=20, ge=1, le=100)
    status_filter: str | None = Field(default=None, max_length=50)


class PaymentRecord(Strict):
    payment_id: uuid.UUID
    order_id: uuid.UUID
    payment_intent_id: str | None
    amount: int
    currency: str
    payment_status: str
    refunded_amount: int
    processed_at: datetime | None
    created_at: datetime | None


class PaymentHistory(Strict):
    payments: list[PaymentRecord]
    total_amount: int
    total_count: int
    has_more: bool


class OrdersQuery(Strict):
    page: int = Field(default=1, ge=1, le=100_000)
    limit: int = Field(default=20, ge=1, le=100)
    status: str | None = Field(default=None, max_length=50)


class ItemView(Strict):
    product_id: uuid.UUID
    sku: str
    quantity: int
    unit_price: int
    total_price: int


class RefundView(Strict):
    refund_id: str
    amount: int
    status: str
    created_at: datetime | None


class TimelineEntry(BaseModel):
    model_config = ConfigDict(extra="allow")
    status: str
    at: datetime


class OrderSummary(Strict):
    order_id: uuid.UUID
    order_number: str | None
    order_status: str
    payment_status: str
    fulfillment_status: str
    total_amount: int
    currency: str
    paid_amount: int
    refunded_amount: int
    created_at: datetime | None


class OrderDetail(OrderSummary):
    refundable_amount: int
    payment_intent_id: str | None
    partner: str | None
    tracking_number: str | None
    carrier: str | None
    items: list[ItemView]
    refunds: list[RefundView]
    timeline: list[TimelineEntry]


class OrderPage(Strict):
    orders: list[OrderSummary]
    total_count: int
    page: int
    has_more: bool


class CancelRequest(Strict):
    reason: str = Text


class RefundRequest(Strict):
    amount: int | None = Field(default=None, ge=1, description="Minor units; omitted: everything still refundable")
    reason: str = Text


class Accepted(Strict):
    order_id: uuid.UUID
    status: str
    refund_request_id: uuid.UUID | None = None
    amount: int | None = None


class SubscribeRequest(Strict):
    price_id: str | None = Field(default=None, max_length=255, description="Unset: the premium plan")


class CancelSubscriptionRequest(Strict):
    at_period_end: bool = True


class SubscriptionView(Strict):
    subscription_id: str | None
    status: str
    tier: str
    cancel_at_period_end: bool = False
    current_period_end: datetime | None = None
    renewal_failed: bool = False
    client_secret: str | None = None


class RevenueQuery(Period):
    group_by: Literal["day", "product"] = "day"


class RevenueRow(Strict):
    key: str
    currency: str
    gross: int
    refunds: int
    net: int
    count: int


class RevenueReport(Strict):
    group_by: str
    date_from: datetime | None
    date_to: datetime | None
    rows: list[RevenueRow]
    totals: list[RevenueRow]


class WebhookAck(Strict):
    received: bool
    outcome: Literal["published", "ignored"]
